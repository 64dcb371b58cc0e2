"""From facts to conclusions: where a paper was published, and how strong the evidence is.

*Strong* evidence is tied to the paper by an identifier: the arXiv record's own journal-ref,
a Semantic Scholar record looked up by the paper's id (its venue, or the dblp key among its
``externalIds``), an OpenReview note the entry links to, Crossref metadata of a DOI the
paper has, a dblp record whose DOI, electronic edition or key matches one of those.
A dblp record found only because its *title* equals the entry's is *title-only*: reported,
never used to rewrite the list. Preprint servers (arXiv, CoRR) are never evidence of
publication.

OpenReview also tells when a paper was *not* accepted: :func:`refusals`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from readme_tools.identity import normalize_title
from readme_tools.metadata.facts import (
    ArxivFacts,
    CrossrefFacts,
    DblpHit,
    OpenReviewFacts,
    S2Facts,
)
from readme_tools.metadata.venuemap import (
    PREPRINT,
    VenueRef,
    venue_from_dblp,
    venue_from_openreview,
    venue_from_text,
)
from readme_tools.venues import Vocabulary, vocabulary

_SUPERSEDED_RE = re.compile(
    r"(?:\bsuperseded|\b(?:has been|is|was) (?:replaced|subsumed))\s+by\s+"
    r"(?:arxiv:\s*|https?://arxiv\.org/abs/)?"
    r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})",
    re.IGNORECASE,
)
_ANY = vocabulary()
#: Presentation labels that say nothing about which venue (dropped when comparing).
PRESENTATIONS = frozenset({"Oral", "Spotlight", "Poster", "Notable"})


@dataclass(frozen=True)
class Evidence:
    """One source's statement that the paper appeared at ``ref``."""

    ref: VenueRef
    source: str  # "dblp", "Semantic Scholar", "OpenReview", "Crossref", "arXiv journal-ref"
    url: str  # where a reader can see it
    strong: bool = True

    @property
    def track(self) -> str | None:
        """The qualifier that changes the claim (Workshop, Findings, D&B), else None."""
        q = self.ref.qualifier
        return q if q and q not in PRESENTATIONS else None

    def where(self) -> str:
        return f"{self.source} {self.url}"


@dataclass(frozen=True)
class Refusal:
    """OpenReview: the paper was submitted to ``ref`` and not accepted there."""

    ref: VenueRef
    decision: str  # rejected, withdrawn, desk-rejected, submitted
    url: str
    venue: str  # OpenReview's venue string, quoted in messages


@dataclass
class PaperFacts:
    """Everything known about one entry's paper, gathered from the lock (or the network)."""

    arxiv_ids: tuple[str, ...] = ()
    dois: tuple[str, ...] = ()
    arxiv: list[tuple[str, ArxivFacts]] = field(default_factory=list)
    s2: list[S2Facts] = field(default_factory=list)
    openreview: list[OpenReviewFacts] = field(default_factory=list)
    crossref: list[tuple[str, CrossrefFacts]] = field(default_factory=list)
    dblp: list[DblpHit] = field(default_factory=list)

    def known_dois(self) -> set[str]:
        found = {d.lower() for d in self.dois}
        found |= {f.external_ids["DOI"].lower() for f in self.s2 if "DOI" in f.external_ids}
        found |= {f.doi.lower() for _, f in self.arxiv if f.doi}
        return {d for d in found if not d.startswith("10.48550/")}

    def dblp_keys(self) -> set[str]:
        return {f.external_ids["DBLP"] for f in self.s2 if "DBLP" in f.external_ids}


def superseded_by(comment: str) -> str:
    """The successor id a withdrawal comment names ("superseded by 2405.13351"), or ""."""
    match = _SUPERSEDED_RE.search(comment)
    return match.group(1) if match else ""


def _track(text: str) -> str | None:
    ref = venue_from_text(text, _ANY) if text.strip() else None
    if ref is not None and ref.qualifier:
        return ref.qualifier
    low = text.lower()
    return "Findings" if "findings" in low else ("Workshop" if "workshop" in low else None)


def _published(ref: VenueRef | None) -> bool:
    return ref is not None and ref.name != PREPRINT


def _dblp_linked(hit: DblpHit, facts: PaperFacts) -> bool:
    if hit.key in facts.dblp_keys():
        return True
    if hit.doi and hit.doi.lower() in facts.known_dois():
        return True
    for ee in hit.ee:
        low = ee.lower()
        if any(f"arxiv.org/abs/{i}" in low for i in facts.arxiv_ids):
            return True
        if any(low.endswith(d) for d in facts.known_dois()):
            return True
    return False


def published(facts: PaperFacts, vocab: Vocabulary) -> list[Evidence]:
    """Every statement that the paper appeared at a (non-preprint) venue, strongest first."""
    out: list[Evidence] = []
    for note in facts.openreview:
        if note.decision == "accepted":
            ref = venue_from_openreview(note.venue, note.venueid, vocab)
            if _published(ref):
                assert ref is not None
                out.append(
                    Evidence(ref, "OpenReview", f"https://openreview.net/forum?id={note.id}")
                )
    for s2 in facts.s2:
        key = s2.external_ids.get("DBLP", "")
        url = f"https://www.semanticscholar.org/paper/{s2.paper_id}"
        if key:
            # The key names the stream (conf/emnlp); the track (Findings, Workshops) shows in
            # Semantic Scholar's venue or the ACL Anthology id (2023.findings-emnlp.12).
            track = " ".join((s2.venue, s2.publication_venue, s2.external_ids.get("ACL", "")))
            ref = venue_from_dblp(key, "", None, vocab)
            if ref is not None:
                ref = VenueRef(ref.name, ref.year, ref.qualifier or _track(track))
            if _published(ref):
                assert ref is not None
                out.append(
                    Evidence(ref, "dblp (via Semantic Scholar)", f"https://dblp.org/rec/{key}")
                )
                continue
        for text in (s2.publication_venue, s2.venue):
            ref = venue_from_text(text, vocab)
            if _published(ref):
                assert ref is not None
                year = ref.year or (s2.year or None)
                out.append(
                    Evidence(VenueRef(ref.name, year, ref.qualifier), "Semantic Scholar", url)
                )
                break
    for doi, cr in facts.crossref:
        if not cr.found:
            continue
        for text in (cr.event, cr.container):
            ref = venue_from_text(text, vocab)
            if _published(ref):
                assert ref is not None
                year = ref.year or (cr.year or None)
                out.append(
                    Evidence(
                        VenueRef(ref.name, year, ref.qualifier),
                        "Crossref",
                        f"https://doi.org/{doi}",
                    )
                )
                break
    for ident, ax in facts.arxiv:
        ref = venue_from_text(ax.journal_ref, vocab) if ax.journal_ref else None
        if _published(ref):
            assert ref is not None
            out.append(Evidence(ref, "arXiv journal-ref", f"https://arxiv.org/abs/{ident}"))
    for hit in facts.dblp:
        ref = venue_from_dblp(hit.key, hit.venue, hit.year or None, vocab)
        if _published(ref):
            assert ref is not None
            strong = _dblp_linked(hit, facts)
            out.append(Evidence(ref, "dblp", f"https://dblp.org/rec/{hit.key}", strong))
    return out


def refusals(
    facts: PaperFacts, vocab: Vocabulary, today: datetime.date | None = None
) -> list[Refusal]:
    """OpenReview notes saying the paper was not accepted where it was submitted.

    A note still "Submitted to" a venue of this year or later may be under review and is
    left out; one of an earlier year was not accepted there.
    """
    year_now = (today or datetime.date.today()).year
    out = []
    for note in facts.openreview:
        if note.decision == "accepted":
            continue
        ref = venue_from_openreview(note.venue, note.venueid, vocab)
        if ref is None or ref.name == PREPRINT:
            continue
        if note.decision == "submitted" and (ref.year is None or ref.year >= year_now):
            continue
        url = f"https://openreview.net/forum?id={note.id}"
        out.append(Refusal(ref, note.decision, url, note.venue or note.venueid))
    return out


def title_matches(hits: Iterable[DblpHit], title: str) -> list[DblpHit]:
    """The hits whose title equals ``title`` (normalised: case, punctuation, final dot)."""
    want = normalize_title(title)
    return [h for h in hits if want and normalize_title(h.title) == want]
