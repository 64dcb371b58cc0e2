"""Paper identity across entries: the same paper listed twice, or two papers sharing one id."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

from readme_tools.context import Context
from readme_tools.diagnostics import Problem
from readme_tools.facts import elided_chunks
from readme_tools.identifiers import Identifier
from readme_tools.identity import entry_key, paper_identity
from readme_tools.model import Document, Entry
from readme_tools.registry import OptionSection, Rule

# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class DuplicateOptions:
    """``[tool.readme-tools.duplicates]``: which repeated papers are intended.

    ``allow-cross-section``: true = a paper may appear once per section (lists cross-listed by
    topic); false = report every repeat; unset = decide from the document: a list that repeats
    many papers across sections (at least ``cross-section-min`` papers and
    ``cross-section-share`` of its identified entries) cross-lists on purpose.
    """

    allow_cross_section: bool | None = None
    cross_section_min: int = 10
    cross_section_share: float = 0.05


OPTIONS = (OptionSection("duplicates", DuplicateOptions),)

# --------------------------------------------------------------------------- duplicate-entry

_MIN_TITLE = 12  # shorter normalised titles ("Survey", "Code") never make duplicates alone


# Leading words that say nothing about which paper it is.
_COMMON_FIRST = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "to",
        "from",
        "with",
        "towards",
        "toward",
        "when",
        "how",
        "what",
        "why",
        "is",
        "are",
        "do",
        "does",
        "can",
        "learning",
        "rethinking",
        "improving",
        "efficient",
        "unified",
        "large",
        "deep",
        "neural",
        "exploring",
        "understanding",
        "beyond",
    ]
)


def _same_title(a: str, b: str) -> bool:
    """Whether two normalised titles plausibly name the same paper."""
    if a == b or (len(a) >= _MIN_TITLE and len(b) >= _MIN_TITLE and (a in b or b in a)):
        return True
    first_a, first_b = a.split(" ", 1)[0], b.split(" ", 1)[0]
    if first_a == first_b and len(first_a) >= 3 and first_a not in _COMMON_FIRST:
        return True  # the same model name leads both ("DeepSeek-V2: …" / "DeepSeek-v2-236B")
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.8


class _Paper(NamedTuple):
    """An entry as the duplicate check sees it; ``entry`` is None for an elided one."""

    line: int
    section: int
    title: str  # normalised
    ids: tuple[Identifier, ...]
    entry: Entry | None


def _papers(doc: Document) -> list[_Paper]:
    papers = [_Paper(e.line, e.section, *paper_identity(e), e) for e in doc.entries]
    elided = elided_chunks(doc)
    if elided:
        papers += [
            _Paper(chunk.line + p.line, chunk.section, p.title, p.ids, None)
            for chunk in elided
            for p in chunk.papers
        ]
        papers.sort(key=lambda paper: paper.line)
    return papers


class _Seen(NamedTuple):
    order: int  # index in document order
    line: int
    section: int
    title: str
    ids: tuple[Identifier, ...]


def _report_span(doc: Document, entry: Entry) -> tuple[int, int]:
    start = entry.head_span.start
    line_end = doc.source.line_span(entry.line)[1]
    return start, max(start, min(entry.head_span.end, line_end))


def _cross_listing(options: DuplicateOptions, papers: Sequence[_Paper]) -> bool:
    if options.allow_cross_section is not None:
        return options.allow_cross_section
    first_section: dict[Identifier, int] = {}
    repeated: set[Identifier] = set()
    for paper in papers:
        for ident in paper.ids:
            section = first_section.setdefault(ident, paper.section)
            if section != paper.section:
                repeated.add(ident)
    if not first_section:
        return False
    return len(repeated) >= options.cross_section_min and (
        len(repeated) / len(first_section) >= options.cross_section_share
    )


def _where(doc: Document, first: _Seen, entry: Entry) -> str:
    if first.section == entry.section:
        return f"line {first.line}"
    heading = doc.sections[first.section].heading
    name = f" ({heading.text.strip()!r})" if heading is not None else ""
    return f"line {first.line}, another section{name}"


def _earliest(
    candidates: Sequence[tuple[_Seen | None, Identifier]],
) -> tuple[_Seen | None, Identifier | None]:
    best: tuple[_Seen | None, Identifier | None] = (None, None)
    for seen, ident in candidates:
        if seen is not None and (best[0] is None or seen.order < best[0].order):
            best = (seen, ident)
    return best


def check_duplicate_entry(doc: Document, ctx: Context) -> Iterator[Problem]:
    if len(doc.entries) < 1 or len(doc.entries) + len(elided_chunks(doc)) < 2:
        return
    options = ctx.options(DuplicateOptions)
    papers = _papers(doc)
    cross_ok = _cross_listing(options, papers)
    # First occurrence of each identifier / title: anywhere, and per section (a repeat inside
    # one section is reported as such even where cross-listing is allowed).
    by_id: dict[Identifier, _Seen] = {}
    by_id_in: dict[tuple[Identifier, int], _Seen] = {}
    by_title: dict[str, _Seen] = {}
    by_title_in: dict[tuple[str, int], _Seen] = {}
    # An incremental run reports only on some entries: only papers sharing an identifier or
    # the title with one of them can be their earlier occurrence.
    relevant: set[object] | None = None
    if ctx.lines is not None:
        relevant = set()
        for paper in papers:
            if paper.entry is not None and ctx.wants(paper.line):
                relevant.update(paper.ids)
                if paper.title:
                    relevant.add(paper.title)
    for index, paper in enumerate(papers):
        ids = paper.ids
        title = paper.title
        if relevant is not None and title not in relevant and relevant.isdisjoint(ids):
            continue
        section = paper.section
        seen = _Seen(index, paper.line, section, title, ids)
        match: _Seen | None = None
        shared: Identifier | None = None
        if ids and not by_id.keys().isdisjoint(ids):  # by_id_in ⊆ by_id: usually skipped
            match, shared = _earliest([(by_id_in.get((i, section)), i) for i in ids])
            if match is None:
                match, shared = _earliest([(by_id.get(i), i) for i in ids])
        kind = "same"
        if match is not None and match.title and title and not _same_title(match.title, title):
            kind = "conflict"
        if match is None and len(title) >= _MIN_TITLE and title in by_title:
            other = by_title_in.get((title, section)) or by_title.get(title)
            if other is not None:
                other_kinds = {i.kind: i for i in other.ids}
                if not any(other_kinds.get(i.kind, i) != i for i in ids):
                    match = other  # same title, no identifier that tells them apart
        for ident in ids:
            by_id.setdefault(ident, seen)
            by_id_in.setdefault((ident, section), seen)
        if title:
            by_title.setdefault(title, seen)
            by_title_in.setdefault((title, section), seen)
        entry = paper.entry
        if match is None or entry is None or not ctx.wants(entry.line):
            continue
        first = match
        if cross_ok and first.section != entry.section and kind == "same":
            continue
        start, end = _report_span(doc, entry)
        key = entry_key(entry)
        if kind == "conflict":
            assert shared is not None
            yield Problem(
                start,
                end,
                f"shares {shared.key} with the entry at {_where(doc, first, entry)}, but the "
                "titles differ: one of the two links is probably wrong",
                key=key,
            )
            continue
        how = f"same {shared.key}" if shared is not None else "same title"
        scope = "cross-section duplicate" if first.section != entry.section else "duplicate"
        yield Problem(
            start,
            end,
            f"{scope} of the entry at {_where(doc, first, entry)} ({how})",
            key=key,
        )


# --------------------------------------------------------------------------- the rule

_GOOD = (
    "- [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. "
    "CVPR2025 [Paper](https://arxiv.org/abs/2412.04467) [Code](https://github.com/dvlab-research/VisionZip)"
)

RULES = (
    Rule(
        name="duplicate-entry",
        code="L405",
        family="links",  # the L4xx family: links and paper identity
        severity="warning",
        fixable=False,
        summary="The same paper listed twice (by paper id or title), or two papers sharing one id.",
        doc=f"""\
**What** — two entries that are the same paper: they share a paper identifier (arXiv id in
any URL form, DOI, OpenReview id, ACL Anthology id, CVF paper, NeurIPS/PMLR paper — a shared
code repository or project page alone does not make two entries the same paper), or they have
the same title after normalisation (Unicode NFKC, case, punctuation and spacing ignored). The
second occurrence is reported and names the line of the first. Two entries that share an
arXiv id but have different titles get a distinct message: one link is probably wrong.

Lists that cross-list papers by topic can allow one occurrence per section with
`[tool.readme-tools.duplicates] allow-cross-section = true`; when the option is unset, a
document that repeats many papers across sections (at least 10 papers and 5% of its identified
entries) is taken to cross-list on purpose and only same-section repeats are reported.

**Why** — a list that grows over years collects the same paper under a `pdf` and an `abs` link.

Bad:

    - [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)
    - [ ] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. arXiv2024 [Paper](https://arxiv.org/pdf/2412.04467v1)

Good:

    {_GOOD}
""",
        check=check_duplicate_entry,
    ),
)
