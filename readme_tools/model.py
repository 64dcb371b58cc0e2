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


@dataclass(frozen=True, slots=True)
class Section:
    heading: Heading | None  # None for the part before the first heading
    span: Span
    entries: tuple[int, ...] = ()  # indices into Document.entries


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


@dataclass
class StyleCounts:
    """How often each style feature occurs among list entries (Counters keep first-seen order).

    What style inference (:mod:`readme_tools.style`) counts; an incremental run caches it per
    unchanged chunk (:mod:`readme_tools.facts`).
    """

    entries: int = 0
    boxes: int = 0
    ticked: Counter[str] = field(default_factory=Counter)
    named: int = 0
    grammar: int = 0
    labels: dict[str, Counter[str]] = field(default_factory=dict)  # casefolded → spellings

    def add(self, entry: Entry) -> None:
        if entry.kind != "list":
            return
        self.entries += 1
        if entry.checkbox is not None:
            self.boxes += 1
            if entry.checkbox in "xX":
                self.ticked[entry.checkbox] += 1
        self.named += bool(entry.name)
        self.grammar += entry.grammar
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
        for key, spellings in other.labels.items():
            self.labels.setdefault(key, Counter()).update(spellings)
