"""Paper metadata that stays true: venue updates, venue claims, withdrawn papers, code repos.

The rules read the facts of the committed lock file (``readme-tools sync`` writes it; see
:mod:`readme_tools.metadata`), so a plain ``readme-lint`` run is deterministic and offline.
With ``--online`` the papers and repositories the lock does not have yet are looked up live
(nothing is written). Without a lock the rules report nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from readme_tools.context import Context
from readme_tools.diagnostics import Problem
from readme_tools.identifiers import identify
from readme_tools.lockpath import LockError, resolve_lock_path
from readme_tools.model import Document, Entry
from readme_tools.registry import OptionSection, Rule
from readme_tools.venues import VenueOptions, VenueTag, Vocabulary, parse_venue, vocabulary

if TYPE_CHECKING:  # the metadata package loads only when there is a lock (or --online)
    from readme_tools.metadata.context import Knowledge
    from readme_tools.metadata.evidence import PaperFacts


@dataclass(frozen=True)
class MetadataOptions:
    """``[tool.readme-tools.metadata]``: what a repository may say about the metadata layer.

    Only settings that narrow what the tool does: where the lock lives *inside* the
    repository, and which sources ``readme-tools sync`` asks. Endpoints, tokens, private
    addresses and the cache path are never read from here (see
    :data:`readme_tools.metadata.settings.PRIVILEGED`).
    """

    #: The lock file, relative to the config file's directory (default:
    #: ``.readme-tools/papers.lock.json`` next to the list).
    lock: str | None = None
    #: Sources ``sync`` asks (default: all of arxiv, s2, openreview, github, crossref, dblp).
    sources: tuple[str, ...] | None = None


_reported: set[tuple[int, str]] = set()


def _knowledge(doc: Document, ctx: Context) -> tuple[Knowledge | None, list[Problem]]:
    """The facts for ``doc`` (``None``: nothing to check) and a lock problem to report.

    An offline run with no lock file stops here, before the metadata package is imported.
    A lock problem is reported once per document, by the first rule that runs.
    """
    options = ctx.options(MetadataOptions)
    base = ctx.config.path.parent if ctx.config.path is not None else None
    online = getattr(ctx.online, "settings", ctx.online)
    if online is None:
        if doc.path in ("<stdin>", "-", ""):
            return None, []
        try:
            if not resolve_lock_path(Path(doc.path), options.lock, base).is_file():
                return None, []
        except LockError as exc:
            return None, _once(doc, str(exc))
    from readme_tools.metadata.context import knowledge_for

    sink = getattr(ctx.online, "progress_for", None)
    progress = sink("metadata") if callable(sink) else None
    known = knowledge_for(doc, options.lock, base, online, progress)
    problems = _once(doc, known.error) if known.error else []
    return (None if known.empty else known), problems


def _once(doc: Document, message: str) -> list[Problem]:
    key = (id(doc), message)
    if key in _reported:
        return []
    if len(_reported) > 64:
        _reported.clear()
    _reported.add(key)
    return [Problem(0, 0, message, severity="error")]


def _vocab(ctx: Context) -> Vocabulary:
    o = ctx.options(VenueOptions)
    return vocabulary(o.extra, o.aliases, o.first_year, o.last_year)


def _tags(doc: Document, vocab: Vocabulary) -> dict[int, VenueTag | None]:
    parse = cache(lambda text: parse_venue(text, vocab))
    return {i: parse(e.venue) if e.venue else None for i, e in enumerate(doc.entries)}


def _house_sep(tags: dict[int, VenueTag | None]) -> str:
    seps = Counter(t.sep for t in tags.values() if t is not None and t.raw_year)
    return seps.most_common(1)[0][0] if seps else ""


def _facts(entry: Entry, known: Knowledge) -> PaperFacts | None:
    from readme_tools.metadata.knowledge import paper_facts
    from readme_tools.metadata.targets import paper_target

    target = paper_target(entry)
    return None if target is None else paper_facts(target.ids, known.get)


def check_venue_update(doc: Document, ctx: Context) -> Iterator[Problem]:
    known, problems = _knowledge(doc, ctx)
    yield from problems
    if known is None:
        return
    from readme_tools.metadata.findings import venue_update

    vocab = _vocab(ctx)
    tags = _tags(doc, vocab)
    house = _house_sep(tags)
    tagged = sum(1 for e in doc.entries if e.venue)
    for i, entry in enumerate(doc.entries):
        if not ctx.wants(entry.line) or (entry.venue and tags[i] is None):
            continue
        if entry.venue is None and (not entry.grammar or tagged * 2 <= len(doc.entries)):
            continue  # untagged entries only count in a list that tags its entries
        facts = _facts(entry, known)
        if facts is not None:
            problem = venue_update(entry, tags[i], facts, vocab, house)
            if problem is not None:
                yield problem


def check_venue_claim(doc: Document, ctx: Context) -> Iterator[Problem]:
    known, problems = _knowledge(doc, ctx)
    yield from problems
    if known is None:
        return
    from readme_tools.metadata.findings import venue_claim

    vocab = _vocab(ctx)
    tags = _tags(doc, vocab)
    for i, entry in enumerate(doc.entries):
        tag = tags[i]
        if tag is None or not ctx.wants(entry.line):
            continue
        facts = _facts(entry, known)
        if facts is not None:
            problem = venue_claim(entry, tag, facts, vocab)
            if problem is not None:
                yield problem


def check_withdrawn(doc: Document, ctx: Context) -> Iterator[Problem]:
    known, problems = _knowledge(doc, ctx)
    yield from problems
    if known is None:
        return
    from readme_tools.metadata.facts import ArxivFacts
    from readme_tools.metadata.findings import withdrawn

    for entry in doc.entries:
        if not ctx.wants(entry.line):
            continue
        for link in entry.links:
            ident = identify(link.url) if not link.image else None
            if ident is None or ident.kind != "arxiv":
                continue
            facts = known.get(ident.key, "arxiv")
            if isinstance(facts, ArxivFacts):
                problem = withdrawn(link, ident, facts)
                if problem is not None:
                    yield problem


def check_code_repository(doc: Document, ctx: Context) -> Iterator[Problem]:
    known, problems = _knowledge(doc, ctx)
    yield from problems
    if known is None:
        return
    from readme_tools.metadata.facts import GithubFacts
    from readme_tools.metadata.findings import repository
    from readme_tools.metadata.targets import entry_repos

    for entry in doc.entries:
        if not ctx.wants(entry.line):
            continue
        for link, repo in entry_repos(entry):
            facts = known.get(repo.key, "github")
            if isinstance(facts, GithubFacts):
                yield from repository(doc.source, link, repo, facts)


_SYNC = (
    "Facts come from the lock file `readme-tools sync` writes "
    "(`.readme-tools/papers.lock.json` next to the list; commit it), so the check needs no "
    "network; with `--online`, papers missing from the lock are looked up live."
)

OPTIONS = (OptionSection("metadata", MetadataOptions),)

RULES = (
    Rule(
        name="venue-update",
        code="P801",
        severity="warning",
        fixable=True,
        summary="Entry tagged arXiv/preprint whose paper has since been published.",
        doc=f"""\
**What** — an entry tagged as a preprint (`arXiv2024`, `Arxiv 2023`, `Preprint`), or untagged
in a list that tags its entries, whose paper has a published version with strong evidence:
a dblp record, Semantic Scholar's venue or dblp key, an accepted OpenReview venue, Crossref
metadata of the paper's DOI, or the arXiv record's journal-ref — each tied to the paper by an
identifier. The fix rewrites only the venue token, in the entry's own style (`arXiv2024` ->
`NeurIPS2024`, `Arxiv 2023` -> `EMNLP 2023`), and the message names the evidence with a link.
A dblp record that matches only by **title** is reported, never fixed; so is a paper whose
sources disagree.

**Why** — "accepted by NeurIPS'23, please update" is the most common request in big paper
lists; readers filter by venue.

{_SYNC}

Bad:

    - [x] **LLaVA**: Visual Instruction Tuning. arXiv2023 [Paper](https://arxiv.org/abs/2304.08485)

Good:

    - [x] **LLaVA**: Visual Instruction Tuning. NeurIPS2023 [Paper](https://arxiv.org/abs/2304.08485)
""",
        check=check_venue_update,
    ),
    Rule(
        name="venue-claim",
        code="P802",
        severity="warning",
        fixable=False,
        summary="The entry's venue or year is contradicted by the paper's metadata.",
        doc=f"""\
**What** — an entry's venue tag that the evidence contradicts: OpenReview shows the paper
was rejected (or withdrawn, desk-rejected, never accepted) at that venue; the paper was
published at another venue; a workshop paper is written as the main conference; the year is
off by one. Only evidence tied to the paper by an identifier counts. Nothing is rewritten:
which one is right needs a maintainer.

**Why** — "some papers rejected by ICLR are marked as accepted"; a wrong venue misleads every
reader of the list.

{_SYNC}

Bad:

    - [x] **X**: A title. ICLR2023 [Paper](https://openreview.net/forum?id=AbCdEf123)

(OpenReview: "Submitted to ICLR 2023", venue id `ICLR.cc/2023/Conference/Rejected_Submission`)

Good:

    - [x] **X**: A title. arXiv2022 [Paper](https://openreview.net/forum?id=AbCdEf123)
""",
        check=check_venue_claim,
    ),
    Rule(
        name="withdrawn-paper",
        code="P803",
        severity="warning",
        fixable=False,
        summary="Links an arXiv paper that has been withdrawn or superseded.",
        doc=f"""\
**What** — an arXiv link whose record says the paper was withdrawn (the comment or abstract
says so) or superseded ("superseded by 2405.13351"); the message names the successor when
the record gives one.

**Why** — a withdrawn paper's `/abs/` page still answers 200, so no link checker sees it;
readers should be sent to the paper that replaced it.

{_SYNC}

Bad:

    - [x] **X**: A title. arXiv2023 [Paper](https://arxiv.org/abs/2301.00001)

(arXiv comment: "This paper has been withdrawn; superseded by 2405.13351")

Good:

    - [x] **X**: A title. arXiv2024 [Paper](https://arxiv.org/abs/2405.13351)
""",
        check=check_withdrawn,
    ),
    Rule(
        name="code-repository",
        code="P804",
        severity="warning",
        fixable=True,
        summary="Code link to a deleted, renamed, archived, empty or forked GitHub repository.",
        doc=f"""\
**What** — every GitHub repository an entry links is checked through the GitHub API: an
**error** when it no longer exists (404); a **warning** when it was renamed or moved (fixable:
the link is rewritten to the canonical `owner/repo`, the rest of the URL kept), archived,
empty (nothing pushed: "code coming soon"), or a fork of another repository.

**Why** — code links decay: repositories move to an organisation, get archived or never
receive the promised code; a renamed repository still redirects today but not forever.

{_SYNC} Set `GITHUB_TOKEN` for `sync` (60 requests an hour without it, 5,000 with it).

Bad:

    - [x] **X**: A title. CVPR2024 [Paper](https://arxiv.org/abs/2401.00001) [Code](https://github.com/old-owner/x)

Good:

    - [x] **X**: A title. CVPR2024 [Paper](https://arxiv.org/abs/2401.00001) [Code](https://github.com/new-org/x)
""",
        check=check_code_repository,
    ),
)
