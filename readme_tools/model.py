"""The document model: plain data built by :mod:`readme_tools.parse`, read by the rules.

All offsets are 0-based character offsets into ``Source.text``; ``Source.position`` turns them
into the original file's 1-based line and column.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from readme_tools.source import Source

EntryKind = Literal["list", "table", "paragraph"]
# What an entry is, judged from its own text: a paper (or a resource listed like one), or a
# news / update line ("- [2024/05] Paper: [Title](…) accepted by …") that only mentions one.
EntryRole = Literal["paper", "news"]
# How the entry line was read (:mod:`readme_tools.parse.entryline`): the default grammar
# ``[x] **Name**: Title. VENUE [Paper](…)`` (whether or not the line follows it exactly: see
# ``Entry.grammar``), the venue first (``[**Nature, 2024**] **Name** Title [paper](…)``), a
# bold title line (``**Full Title** <br> *Authors* …``), a linked title (``[Title](…)``), a
# linked name with a description (``[BPE](…) - subword units …``: the label names a resource
# rather than titling a paper), a quoted title (``"Title", *arXiv, 2024*``), or none of these.
EntryLayout = Literal[
    "grammar", "venue-first", "bold-title", "linked-title", "described", "quoted", "other"
]
# What a section holds, judged from its heading chain: the list's body, a news / updates /
# highlights section (repeats body papers on purpose), or front and back matter (the title
# section before the first subsection, acknowledgements, citation, contributors, …).
SectionKind = Literal["body", "news", "matter"]


class Span(NamedTuple):
    """Offsets ``[start, end)`` into ``Source.text`` (a tuple: cheap, there are many)."""

    start: int
    end: int

    def text(self, source: Source) -> str:
        return source.text[self.start : self.end]


class Link(NamedTuple):
    """An inline link ``[label](url)`` (or an image, or an autolink)."""

    label: str
    url: str
    span: Span  # the whole link syntax
    url_span: Span | None  # the destination as written; None when it cannot be located
    line: int
    image: bool = False
    autolink: bool = False

    @property
    def target_span(self) -> Span:
        """Where a finding about the target goes: the destination, else the whole link."""
        return self.url_span or self.span


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str  # rendered plain text (inline code kept, markup dropped)
    raw: str  # inline source as written
    line: int
    span: Span  # the heading line(s)
    content_span: Span  # the inline content


@dataclass(frozen=True, slots=True)
class TocItem:
    text: str
    anchor: str  # without '#', as written (percent-decoding left to the TOC rules)
    depth: int  # nesting depth in the TOC list, 0 = top level
    line: int
    link: Link
    span: Span  # the whole list item line


@dataclass(frozen=True, slots=True)
class Toc:
    heading: Heading | None  # the "Table of Contents" heading, if any
    items: tuple[TocItem, ...]
    span: Span  # the TOC list block
    marker: str  # bullet marker of the TOC list ("-", "*", "+")
    indent: int  # spaces per nesting level


class Paragraph(NamedTuple):
    text: str  # source text of the paragraph (lines joined with "\n", indentation removed)
    span: Span
    line: int
    end_line: int


class Entry(NamedTuple):
    """One paper: a list item, a table row or a paragraph that carries paper links."""

    kind: EntryKind
    line: int
    span: Span  # the whole entry (item incl. summary / row / paragraph)
    head: str  # the entry line's inline source (after marker and checkbox)
    head_span: Span
    links: tuple[Link, ...]
    section: int  # index into Document.sections
    marker: str | None = None  # "-", "*", "+", "1.", "1)" for list entries
    checkbox: str | None = None  # " ", "x" or "X" when a task-list box is present
    checkbox_span: Span | None = None
    name: str | None = None  # bold short name
    name_span: Span | None = None
    title: str | None = None
    title_span: Span | None = None
    venue: str | None = None  # the venue tag as written ("CVPR2025")
    venue_span: Span | None = None
    grammar: bool = False  # the head parses with the default entry grammar
    summary: tuple[Paragraph, ...] = ()
    depth: int = 0  # list nesting depth
    role: EntryRole = "paper"
    layout: EntryLayout = "grammar"
    # Links below a title that has none on its line (sub-items, following paragraphs, the
    # list after a bold title paragraph; bare URLs included): they identify its paper.
    extra_links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    heading: Heading | None  # None for the part before the first heading
    span: Span
    entries: tuple[int, ...] = ()  # indices into Document.entries
    kind: SectionKind = "body"


@dataclass(frozen=True, slots=True)
class Control:
    """An inline control comment: ``<!-- readme-lint disable|enable|disable-next-line R,R -->``."""

    action: Literal["disable", "enable", "disable-next-line"]
    rules: tuple[str, ...]  # empty = all rules
    line: int
    end_line: int


class ParseLimit(NamedTuple):
    """Lines the parser did not read in full, so rules could not check them.

    ``reason`` is ``"nesting"`` (blocks nested deeper than the parser goes: the lines were
    skipped) or ``"markup"`` (a block with more inline markup than the budget allows: its
    links were not parsed).
    """

    line: int  # 1-based, first line
    end_line: int  # last line
    reason: Literal["nesting", "markup"]
    detail: str  # what exceeded which limit, for the finding


@dataclass(frozen=True)
class Document:
    source: Source
    headings: tuple[Heading, ...]
    sections: tuple[Section, ...]
    entries: tuple[Entry, ...]
    links: tuple[Link, ...]  # every link of the document outside code, in order
    toc: Toc | None
    html_anchors: tuple[str, ...]  # ids/names of explicit <a id|name="..."> anchors
    code_lines: frozenset[int]  # lines inside fenced/indented code blocks or HTML comments
    controls: tuple[Control, ...] = ()
    html_lines: frozenset[int] = field(default_factory=frozenset)  # lines in HTML blocks
    limits: tuple[ParseLimit, ...] = ()  # lines the parser did not read in full

    def limited(self, line: int) -> bool:
        """Whether ``line`` lies in a part the parser did not read in full."""
        return any(limit.line <= line <= limit.end_line for limit in self.limits)

    @property
    def path(self) -> str:
        return self.source.path

    def is_paper(self, entry: Entry) -> bool:
        """Whether ``entry`` is one of the list's papers: a paper line in a body section."""
        return entry.role == "paper" and self.sections[entry.section].kind == "body"

    def heading_chain(self, section_index: int) -> list[Heading]:
        """A section's heading and its ancestors' headings, nearest first."""
        chain: list[Heading] = []
        level = 99
        for section in reversed(self.sections[: section_index + 1]):
            heading = section.heading
            if heading is not None and heading.level < level:
                chain.append(heading)
                level = heading.level
                if level == 1:
                    break
        return chain


@dataclass
class StyleCounts:
    """How often each style feature occurs among list entries (Counters keep first-seen order).

    What style inference (:mod:`readme_tools.style`) and the venue rules count; an incremental
    run caches it per unchanged chunk (:mod:`readme_tools.facts`). Only paper entries of list
    items count (:meth:`add`); the sections they belong to are the caller's business.
    """

    entries: int = 0
    boxes: int = 0
    ticked: Counter[str] = field(default_factory=Counter)
    named: int = 0
    grammar: int = 0
    labels: dict[str, Counter[str]] = field(default_factory=dict)  # casefolded → spellings
    shaped: int = 0  # read with the default grammar (layout "grammar")
    distinct: int = 0  # … and carrying a checkbox, a bold name or a venue tag
    tagged: int = 0  # … and carrying a venue tag

    def add(self, entry: Entry) -> None:
        if entry.kind != "list" or entry.role != "paper":
            return
        self.entries += 1
        if entry.checkbox is not None:
            self.boxes += 1
            if entry.checkbox in "xX":
                self.ticked[entry.checkbox] += 1
        self.named += bool(entry.name)
        self.grammar += entry.grammar
        if entry.layout == "grammar":
            self.shaped += 1
            tagged = entry.venue is not None
            self.tagged += tagged
            self.distinct += tagged or entry.checkbox is not None or entry.name is not None
        for link in entry.links:
            label = link.label.strip()
            if label:
                self.labels.setdefault(label.casefold(), Counter())[label] += 1

    def update(self, other: StyleCounts) -> None:
        self.entries += other.entries
        self.boxes += other.boxes
        self.ticked.update(other.ticked)
        self.named += other.named
        self.grammar += other.grammar
        self.shaped += other.shaped
        self.distinct += other.distinct
        self.tagged += other.tagged
        for key, spellings in other.labels.items():
            self.labels.setdefault(key, Counter()).update(spellings)
