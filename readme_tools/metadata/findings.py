"""The metadata rules' findings: one function per rule, from an entry and its facts.

Pure functions of the document model, the venue vocabulary and the facts; the rule module
(:mod:`readme_tools.rules.metadata`) only feeds them. Messages say what is wrong, where the
evidence is (a URL a maintainer can open) and what to write instead.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence

from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.identifiers import Identifier
from readme_tools.metadata.evidence import Evidence, PaperFacts, published, refusals
from readme_tools.metadata.facts import ArxivFacts, GithubFacts
from readme_tools.metadata.venuemap import PREPRINT, VenueRef
from readme_tools.model import Entry, Link
from readme_tools.source import Source
from readme_tools.venues import VenueTag, Vocabulary

_DECISIONS = {
    "rejected": "rejected",
    "withdrawn": "withdrawn from review",
    "desk-rejected": "desk-rejected",
    "submitted": "submitted but not accepted",
}


def _sources(evidence: Sequence[Evidence]) -> str:
    return "; ".join(f"{e.source}: {e.url}" for e in evidence)


def _groups(
    evidence: Sequence[Evidence],
) -> dict[tuple[str, int | None, str | None], list[Evidence]]:
    """Strong evidence grouped by (venue, year, track); a year-less statement joins the
    group of the same venue and track that has a year."""
    groups: dict[tuple[str, int | None, str | None], list[Evidence]] = {}
    for e in sorted(evidence, key=lambda e: e.ref.year is None):
        key = (e.ref.name, e.ref.year, e.track)
        if e.ref.year is None:
            key = next((k for k in groups if k[0] == e.ref.name and k[2] == e.track), key)
        groups.setdefault(key, []).append(e)
    return groups


def _rewrite(tag: VenueTag, ref: VenueRef, house_sep: str) -> str:
    """``ref`` written the way ``tag`` is: ``arXiv2024`` -> ``NeurIPS2024``,
    ``Arxiv 2023`` -> ``EMNLP 2023``, ``arXiv'23`` -> ``ICLR'24``."""
    assert ref.year is not None
    sep = tag.sep if tag.raw_year else house_sep
    year = f"{ref.year % 100:02d}" if len(tag.raw_year) == 2 else str(ref.year)
    if " " in ref.name and sep == "":
        sep = " "
    head = f"{ref.name}{sep}{year}"
    track = ref.qualifier if ref.qualifier in ("Workshop", "Findings", "D&B") else None
    return f"{head} {track}" if track else head


def venue_update(
    entry: Entry, tag: VenueTag | None, facts: PaperFacts, vocab: Vocabulary, house_sep: str
) -> Problem | None:
    """A preprint-tagged (or untagged) entry whose paper has been published."""
    if tag is not None and tag.canonical != PREPRINT:
        return None
    evidence = published(facts, vocab)
    strong = [e for e in evidence if e.strong]
    span = entry.venue_span or entry.title_span or entry.head_span
    written = repr(tag.text) if tag is not None else "no venue tag"
    if strong:
        groups = _groups(strong)
        if len(groups) > 1:
            labels = ", ".join(
                f"{VenueRef(n, y, t).label} ({_sources(es)})" for (n, y, t), es in groups.items()
            )
            return Problem(
                span.start,
                span.end,
                f"published, but the sources disagree where: {labels}; check and update "
                f"{written} by hand",
            )
        (name, year, track), group = next(iter(groups.items()))
        ref = VenueRef(name, year, track)
        where = _sources(group)
        if tag is None or year is None or entry.venue_span is None:
            return Problem(
                span.start,
                span.end,
                f"published at {ref.label} ({where}), but the entry has {written}: add it",
            )
        new = _rewrite(tag, ref, house_sep)
        vs = entry.venue_span
        return Problem(
            vs.start,
            vs.end,
            f"published at {ref.label} ({where}): write {new!r} instead of {tag.text!r}",
            fix=Fix(f"write {new}", (Edit(vs.start, vs.end, new),), effect="text"),
        )
    title_only = [e for e in evidence if not e.strong]
    if not title_only:
        return None
    labels = ", ".join(f"{e.ref.label} ({e.url})" for e in title_only)
    return Problem(
        span.start,
        span.end,
        f"a dblp record with the same title was published at {labels}, but no identifier "
        f"links it to this entry's paper: if it is the same paper, update {written} by hand",
    )


def _matches(e: Evidence, tag: VenueTag) -> bool:
    if e.ref.name != tag.canonical:
        return False
    if tag.year is not None and e.ref.year is not None and e.ref.year != tag.year:
        return False
    return not (e.track == "Workshop" and "Workshop" not in tag.qualifiers)


def venue_claim(
    entry: Entry,
    tag: VenueTag,
    facts: PaperFacts,
    vocab: Vocabulary,
    today: datetime.date | None = None,
) -> Problem | None:
    """An entry's venue or year contradicted by the evidence."""
    if tag.canonical in (None, PREPRINT) or entry.venue_span is None:
        return None
    span = entry.venue_span
    strong = [e for e in published(facts, vocab) if e.strong]
    elsewhere = [e for e in strong if e.ref.name != tag.canonical]
    for refusal in refusals(facts, vocab, today):
        if refusal.ref.name != tag.canonical:
            continue
        if tag.year is not None and refusal.ref.year not in (None, tag.year):
            continue
        where = refusal.ref.label if refusal.ref.year else refusal.ref.name
        later = ""
        if elsewhere:
            later = "; it was published at " + ", ".join(
                f"{e.ref.label} ({e.source}: {e.url})" for e in elsewhere
            )
        return Problem(
            span.start,
            span.end,
            f"{tag.text!r} is contradicted by OpenReview: the paper was "
            f"{_DECISIONS.get(refusal.decision, refusal.decision)} at {where} "
            f'("{refusal.venue}", {refusal.url}){later}',
        )
    if not strong or any(_matches(e, tag) for e in strong):
        return None
    same = [e for e in strong if e.ref.name == tag.canonical]
    workshop = [e for e in same if e.track == "Workshop" and "Workshop" not in tag.qualifiers]
    if workshop and all(tag.year in (None, e.ref.year) for e in workshop):
        e = workshop[0]
        return Problem(
            span.start,
            span.end,
            f"{tag.text!r} names the main conference, but the paper is in a workshop at "
            f"{VenueRef(e.ref.name, e.ref.year).label} ({_sources(workshop)})",
        )
    near = [e for e in same if e.ref.year and tag.year and abs(e.ref.year - tag.year) == 1]
    if near:
        e = near[0]
        return Problem(
            span.start,
            span.end,
            f"year of {tag.text!r} is off by one: the paper is at {e.ref.label} ({_sources(near)})",
        )
    labels = ", ".join(f"{e.ref.label} ({e.source}: {e.url})" for e in strong)
    return Problem(
        span.start,
        span.end,
        f"{tag.text!r} is contradicted by the evidence: the paper was published at {labels}",
    )


def withdrawn(link: Link, ident: Identifier, facts: ArxivFacts) -> Problem | None:
    """A link to an arXiv paper that has been withdrawn or superseded."""
    if not (facts.withdrawn or facts.superseded_by):
        return None
    span = link.url_span or link.span
    state = "has been withdrawn" if facts.withdrawn else "has been superseded"
    version = f" (v{facts.version})" if facts.version else ""
    message = f"arXiv {ident.value} {state}{version}"
    if facts.superseded_by:
        message += (
            f"; its record names the successor {facts.superseded_by}: link "
            f"https://arxiv.org/abs/{facts.superseded_by} instead"
        )
    elif facts.comment:
        comment = facts.comment if len(facts.comment) <= 120 else facts.comment[:117] + "..."
        message += f" (comment: {comment!r})"
    return Problem(span.start, span.end, message)


def _moved_fix(source: Source, link: Link, old: str, new: str) -> Fix | None:
    """Rewrite ``github.com/<old>`` to ``github.com/<new>`` in the link's destination, the rest
    of the URL (a path, a fragment) kept."""
    if link.url_span is None:
        return None
    written = link.url_span.text(source)
    match = re.search(r"github\.com/" + re.escape(old) + r"(?=$|[/?#.])", written, re.IGNORECASE)
    if match is None:
        return None
    start = match.start() + len("github.com/")
    url = written[:start] + new + written[match.end() :]
    # The whole destination is the edit, so the formatter's safety check sees the new target.
    edit = Edit(link.url_span.start, link.url_span.end, url)
    return Fix(f"point at {new}", (edit,), effect="href")


def repository(
    source: Source, link: Link, repo: Identifier, facts: GithubFacts
) -> Iterator[Problem]:
    """Code repository health: gone, renamed, archived, empty, a fork."""
    span = link.url_span or link.span
    if not facts.found:
        yield Problem(
            span.start,
            span.end,
            f"repository {repo.value} does not exist (GitHub API: 404): it was deleted or made "
            "private; link the code's new home or remove the link",
            severity="error",
        )
        return
    name = facts.full_name or repo.value
    if name.lower() != repo.value.lower():
        yield Problem(
            span.start,
            span.end,
            f"repository {repo.value} was renamed or moved to {name}: link "
            f"https://github.com/{name}",
            fix=_moved_fix(source, link, repo.value, name),
        )
    if facts.archived:
        yield Problem(
            span.start, span.end, f"repository {name} is archived (read-only, no longer maintained)"
        )
    if facts.empty:
        yield Problem(
            span.start,
            span.end,
            f"repository {name} is empty: nothing has been pushed to it (code not released yet?)",
        )
    if facts.fork_of:
        yield Problem(
            span.start,
            span.end,
            f"repository {name} is a fork of {facts.fork_of}: link the original unless this "
            "fork is the paper's code",
        )
