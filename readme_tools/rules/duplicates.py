"""Paper identity across entries: the same paper listed twice, or two papers sharing one id.

The list's papers are the paper entries of its body sections (news lines, news sections and
front/back matter repeat body papers on purpose). Two of them are the same paper when they
share a paper identifier and their titles agree, or when they have the same title of four
words or more and no identifier tells them apart; two papers that share an identifier under
different titles are an id clash: one entry links another paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from readme_tools.context import Context
from readme_tools.diagnostics import Problem
from readme_tools.facts import PaperFacts, elided_chunks
from readme_tools.identifiers import Identifier
from readme_tools.identity import (
    entry_key,
    facts_kind,
    id_year,
    list_groups,
    paper_facts,
    paper_identity,
    paper_ids,
    titles_conflict,
)
from readme_tools.model import Document, Entry
from readme_tools.registry import OptionSection, Rule
from readme_tools.venues import builtin_vocabulary

# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class DuplicateOptions:
    """``[tool.readme-tools.duplicates]``: which repeated papers are intended.

    ``allow-cross-section``: true = a paper may appear once per topic section (lists
    cross-listed by topic); false = report every repeat; unset = decide from the document: a
    list that repeats at least ``cross-section-min`` papers (and ``cross-section-share`` of its
    identified papers) across topic sections cross-lists on purpose; one that repeats a single
    paper across sections does not, unless the two entries are verbatim copies.
    """

    allow_cross_section: bool | None = None
    cross_section_min: int = 2
    cross_section_share: float = 0.0


OPTIONS = (OptionSection("duplicates", DuplicateOptions),)

_MIN_TITLE = 12  # shorter normalised titles ("Survey", "Code") never make duplicates alone
_MIN_TITLE_WORDS = 4  # nor do titles of fewer words ("Natural Language Processing")


# --------------------------------------------------------------------------- topics


def _dated(text: str) -> bool:
    """A heading that only dates or places its papers ("2025", "CVPR 2025", "Before 2020")."""
    vocab = builtin_vocabulary()
    words = re.findall(r"[^\W_]+", text)
    return (
        bool(words)
        and all(
            w.isdigit()
            or w.casefold() in ("before", "after", "since", "and", "年", "月")
            or vocab.name(w) is not None
            or re.fullmatch(r"[A-Za-z]+\d{2,4}", w) is not None
            for w in words
        )
        and any(w.isdigit() or re.search(r"\d", w) for w in words)
    )


def _topics(doc: Document) -> list[int]:
    """For each section, the section of its topic: itself, or the nearest section above it
    whose heading is not just a year or a venue (``#### 2025`` belongs to its parent topic)."""
    topics: list[int] = []
    stack: list[tuple[int, int]] = []  # (level, topic section) of the open headings
    for index, section in enumerate(doc.sections):
        heading = section.heading
        if heading is None:
            topics.append(index)
            continue
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        topic = stack[-1][1] if stack and _dated(heading.text) else index
        stack.append((heading.level, topic))
        topics.append(topic)
    return topics


# --------------------------------------------------------------------------- the papers


class _Paper(NamedTuple):
    """An entry as the duplicate check sees it; ``entry`` is None for an elided one."""

    order: int
    line: int
    topic: tuple[int, int]  # (topic section, numbered-list group)
    title: str  # normalised
    ids: tuple[Identifier, ...]
    kind: str  # PaperFacts.kind
    entry: Entry | None
    cached: PaperFacts | None  # an elided entry's facts


def _papers(doc: Document) -> list[_Paper]:
    topics = _topics(doc)
    body = [section.kind == "body" for section in doc.sections]
    found: list[tuple[int, tuple[int, int], str, tuple[Identifier, ...], str, Any, Any]] = [
        (e.line, (topics[e.section], group), *paper_identity(e), facts_kind(e), e, None)
        for e, group in zip(doc.entries, list_groups(doc.entries), strict=True)
        if e.role == "paper" and body[e.section]
    ]
    for chunk in elided_chunks(doc):
        if body[chunk.section]:
            topic = topics[chunk.section]
            found += [
                (chunk.line + p.line, (topic, p.group), p.title, p.ids, p.kind, None, p)
                for p in chunk.papers
            ]
    found.sort(key=lambda paper: paper[0])
    # A line that links several papers under their own names mentions them: not an entry of one.
    return [_Paper(k, *paper) for k, paper in enumerate(p for p in found if p[4] != "mentions")]


def _facts(paper: _Paper) -> PaperFacts:
    if paper.cached is not None:
        return paper.cached
    assert paper.entry is not None
    return paper_facts(paper.entry)


Relation = Literal["same", "clash"]


class _Match(NamedTuple):
    paper: _Paper
    first: _Paper
    relation: Relation
    shared: Identifier | None


def _id_match(paper: _Paper, earlier: Sequence[_Paper], shared: Identifier) -> _Match:
    """The earlier paper ``paper`` repeats: one with the same title (same topic first), else
    the first one (an id clash)."""
    facts = _facts(paper)
    compatible = [p for p in earlier if not titles_conflict(facts, _facts(p))]
    if compatible:
        same_topic = [p for p in compatible if p.topic == paper.topic]
        return _Match(paper, (same_topic or compatible)[0], "same", shared)
    return _Match(paper, earlier[0], "clash", shared)


def _matches(papers: Sequence[_Paper]) -> list[_Match]:
    by_id: dict[Identifier, list[_Paper]] = {}
    by_title: dict[str, _Paper] = {}
    by_title_in: dict[tuple[str, tuple[int, int]], _Paper] = {}
    out: list[_Match] = []
    for paper in papers:
        match: _Match | None = None
        for ident in paper.ids:
            earlier = by_id.get(ident)
            if earlier:
                candidate = _id_match(paper, earlier, ident)
                if match is None or (match.relation == "clash" and candidate.relation == "same"):
                    match = candidate
        title = paper.title
        if (
            match is None
            and len(title) >= _MIN_TITLE
            and len(title.split()) >= _MIN_TITLE_WORDS
            and title in by_title
        ):
            other = by_title_in.get((title, paper.topic)) or by_title[title]
            kinds = {i.kind: i for i in other.ids}
            one_sided = bool(other.ids) != bool(paper.ids) and other.topic != paper.topic
            if not one_sided and not any(kinds.get(i.kind, i) != i for i in paper.ids):
                match = _Match(paper, other, "same", None)  # no identifier tells them apart
        for ident in paper.ids:
            by_id.setdefault(ident, []).append(paper)
        if title:
            by_title.setdefault(title, paper)
            by_title_in.setdefault((title, paper.topic), paper)
        if match is not None:
            out.append(match)
    return out


def _cross_listing(
    options: DuplicateOptions, papers: Sequence[_Paper], matches: Sequence[_Match]
) -> bool:
    """Whether the list repeats papers across topic sections on purpose."""
    if options.allow_cross_section is not None:
        return options.allow_cross_section
    repeats = sum(
        1
        for m in matches
        if m.relation == "same" and m.first.topic != m.paper.topic and not _different_items(m)
    )
    identified = sum(1 for p in papers if p.ids or p.title)
    return repeats >= options.cross_section_min and (
        repeats >= options.cross_section_share * max(identified, 1)
    )


def _different_items(match: _Match) -> bool:
    """Two entries of one paper under different short names: two datasets or models of one
    paper ("**MMLU (College Medicine)**" / "**MMLU (Professional Medicine)**")."""
    a, b = _facts(match.paper), _facts(match.first)
    return bool(a.name and b.name and a.name != b.name)


# --------------------------------------------------------------------------- findings


def _report_span(doc: Document, entry: Entry) -> tuple[int, int]:
    start = entry.head_span.start
    line_end = doc.source.line_span(entry.line)[1]
    return start, max(start, min(entry.head_span.end, line_end))


def _where(doc: Document, first: _Paper, paper: _Paper) -> str:
    if first.topic == paper.topic:
        return f"line {first.line}"
    if first.topic[0] == paper.topic[0]:
        return f"line {first.line}, another numbered list of this section"
    heading = doc.sections[first.topic[0]].heading
    name = f" ({heading.text.strip()!r})" if heading is not None else ""
    return f"line {first.line}, another section{name}"


def _shown(title: str) -> str:
    """A title for a message: at most about 50 characters, cut between words."""
    if len(title) <= 50:
        return repr(title)
    cut = title.rfind(" ", 0, 48)
    return repr(title[: cut if cut > 20 else 47].rstrip(" ,:;") + "…")


_PAPER_LABEL_RE = re.compile(r"[\s\[\]*_]*(?:pdf|paper|arxiv|abs|论文)[\s\[\]*_.]*", re.IGNORECASE)


def _paper_links_only(paper: _Paper) -> bool:
    """Whether an entry's links to papers are all labelled as *the* paper ([arXiv], [paper],
    [pdf]): then two of them are two claims of one paper, and one is wrong (a link labelled
    otherwise, such as [v1] or [journal], may mean another paper on purpose)."""
    entry = paper.entry
    if entry is None:
        return False
    return all(
        _PAPER_LABEL_RE.fullmatch(link.label) is not None
        for link in entry.links
        if not link.image and paper_ids([link.url])
    )


class _Blame(NamedTuple):
    wrong: _Paper  # the entry that links another paper's id
    right: _Paper  # the entry the id belongs to
    why: str  # the evidence, for the message


def _blame(match: _Match) -> _Blame | None:
    """Which of two entries sharing an id under different titles links another paper, where
    the entries themselves say so: one links two papers of the id's kind and the other only
    this one, or the id was issued after every year one entry mentions and not the other's."""
    shared = match.shared
    assert shared is not None
    a, b = match.paper, match.first
    kin_a = {i for i in a.ids if i.kind == shared.kind}
    kin_b = {i for i in b.ids if i.kind == shared.kind}
    if (len(kin_a) > 1) != (len(kin_b) > 1) and _paper_links_only(a if len(kin_a) > 1 else b):
        wrong, right = (a, b) if len(kin_a) > 1 else (b, a)
        others = ", ".join(sorted(i.key for i in (kin_a if wrong is a else kin_b) - {shared}))
        return _Blame(wrong, right, f"this entry also links {others}")
    issued = id_year(shared)
    if issued is None:
        return None
    years_a, years_b = _facts(a).years, _facts(b).years
    a_bad = bool(years_a) and years_a[-1] < issued
    b_bad = bool(years_b) and years_b[-1] < issued
    if a_bad == b_bad:
        return None
    wrong, right = (a, b) if a_bad else (b, a)
    year = _facts(wrong).years[-1]
    return _Blame(wrong, right, f"this entry's year ({year}) is before the id's ({issued})")


def _duplicate(doc: Document, match: _Match, cross_ok: bool) -> Problem | None:
    paper, first = match.paper, match.first
    if paper.entry is None or _different_items(match):
        return None
    if first.topic != paper.topic and (
        cross_ok or "label" in (paper.kind, first.kind) or _facts(paper).copy == _facts(first).copy
    ):
        return None  # a cross-listing: the list's practice, a resource, or a verbatim copy
    start, end = _report_span(doc, paper.entry)
    how = f"same {match.shared.key}" if match.shared is not None else "same title"
    scope = "cross-section duplicate" if first.topic != paper.topic else "duplicate"
    return Problem(
        start,
        end,
        f"{scope} of the entry at {_where(doc, first, paper)} ({how})",
        key=entry_key(paper.entry),
    )


def _clash(doc: Document, match: _Match) -> tuple[Entry, Problem] | None:
    assert match.shared is not None
    key = match.shared.key
    blamed = _blame(match)
    if blamed is None:
        paper, first = match.paper, match.first
        if paper.entry is None:
            return None
        start, end = _report_span(doc, paper.entry)
        return paper.entry, Problem(
            start,
            end,
            f"shares {key} with the entry at {_where(doc, first, paper)} "
            f"({_shown(_facts(first).raw_title)}), but the titles differ: one of the two links "
            "is probably wrong (or the paper was renamed, and one entry is a stale copy)",
            key=entry_key(paper.entry),
        )
    wrong, right = blamed.wrong, blamed.right
    if wrong.entry is None:
        return None
    start, end = _report_span(doc, wrong.entry)
    return wrong.entry, Problem(
        start,
        end,
        f"{key} belongs to another paper: the entry at line {right.line} "
        f"({_shown(_facts(right).raw_title)}) links it too, and {blamed.why}; "
        "this entry's link is wrong",
        severity="error",
        key=entry_key(wrong.entry),
    )


def check_duplicate_entry(doc: Document, ctx: Context) -> Iterator[Problem]:
    if len(doc.entries) < 1 or len(doc.entries) + len(elided_chunks(doc)) < 2:
        return
    papers = _papers(doc)
    matches = _matches(papers)
    if not matches:
        return
    cross_ok = _cross_listing(ctx.options(DuplicateOptions), papers, matches)
    clashes: set[tuple[int, Identifier | None]] = set()
    for match in matches:
        if match.relation == "same":
            problem = _duplicate(doc, match, cross_ok)
            entry = match.paper.entry
        else:
            found = _clash(doc, match)
            if found is None:
                continue
            entry, problem = found
            once = (entry.line, match.shared)
            if once in clashes:
                continue  # one defect, one finding: the entry carrying another paper's id
            clashes.add(once)
        if problem is not None and entry is not None and ctx.wants(entry.line):
            yield problem


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
code repository or project page alone does not make two entries the same paper) and their
titles agree, or they have the same title of four words or more after normalisation (Unicode
NFKC, case, punctuation and spacing ignored). The second occurrence is reported and names the
line of the first. Only the list's papers count: news lines, news / updates / highlights
sections and front or back matter (the title section, acknowledgements, citation) repeat body
papers on purpose, and two entries of one paper under different bold names (two datasets of
one paper) are two items.

A paper repeated in another *topic* section (a heading that is only a year or a venue, such as
`#### 2025`, belongs to its parent's topic) is a cross-listing when the list does it more than
once (at least `cross-section-min` = 2 papers) or when the two entries are verbatim copies;
otherwise it is reported as a cross-section duplicate. `[tool.readme-tools.duplicates]
allow-cross-section = true` allows one occurrence per section, `false` reports every repeat.

Two entries that share an identifier under different titles are an id clash: one links another
paper. When the years say which (the arXiv id was issued after every year one entry mentions,
and not after the other's), that entry is reported as an **error** ("belongs to another
paper"); otherwise the later entry gets a warning that one of the two links is probably wrong.

**Why** — a list that grows over years collects the same paper under a `pdf` and an `abs`
link, and a copied line keeps the id of the paper it was copied from.

Bad:

    - [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)
    - [ ] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. arXiv2024 [Paper](https://arxiv.org/pdf/2412.04467v1)

Good:

    {_GOOD}
""",
        check=check_duplicate_entry,
    ),
)
