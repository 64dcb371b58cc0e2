"""The builder state of one parse: what the block handlers have collected so far.

:class:`BlockState` is created from the block tokens, filled by the handlers of
:mod:`readme_tools.parse.blocks` as :func:`~readme_tools.parse.parse` walks the tokens, and
frozen into a :class:`~readme_tools.model.Document` by :meth:`BlockState.document`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from readme_tools.config import TocOptions
from readme_tools.model import (
    Document,
    Entry,
    EntryKind,
    Heading,
    Link,
    Paragraph,
    ParseLimit,
    Section,
    Span,
    Toc,
    TocItem,
)
from readme_tools.parse.head import HeadParts
from readme_tools.parse.html import controls, html_anchor_positions
from readme_tools.parse.inline import inline_tokens
from readme_tools.parse.markdown import MAX_NESTING, inline_markdown
from readme_tools.parse.sections import section_kinds
from readme_tools.parse.toc import close_index, find_toc_list
from readme_tools.source import Source

__all__ = ["MAX_BLOCK_MARKUP", "MAX_DOCUMENT_MARKUP", "BlockState", "EntryBuilder"]

#: Inline markup characters (brackets, parentheses, emphasis, code, HTML, escapes) one block
#: may hand to the inline parser. Markup-dense text costs markdown-it-py tens of microseconds
#: a character: a 10 MB line of ``[a](`` took minutes. Real lists stay far below (the largest
#: block of the reference corpora has under 150); a block above is not parsed for links, and
#: a finding says so.
MAX_BLOCK_MARKUP = 10_000
#: The same for the whole document (the reference corpora: at most ~51,000).
MAX_DOCUMENT_MARKUP = 300_000
_MARKUP = "[]()*_`<!&\\"


@dataclass
class EntryBuilder:
    """An entry being built: its summary paragraphs are added as the walk meets them."""

    kind: EntryKind
    line: int
    start: int
    head: str
    head_span: Span
    links: list[Link]
    section: int
    parts: HeadParts
    marker: str | None = None
    depth: int = 0
    end: int = 0
    summary: list[Paragraph] = field(default_factory=list)
    title: str | None = None
    # A title whose links are below it (:mod:`readme_tools.parse.subitems`): it collects them.
    pending: bool = False
    extra_links: list[Link] = field(default_factory=list)

    def freeze(self) -> Entry:
        p = self.parts
        return Entry(
            kind=self.kind,
            line=self.line,
            span=Span(self.start, max(self.end, self.head_span.end)),
            head=self.head,
            head_span=self.head_span,
            links=tuple(self.links),
            section=self.section,
            marker=self.marker,
            checkbox=p.checkbox,
            checkbox_span=p.checkbox_span,
            name=p.name,
            name_span=p.name_span,
            title=self.title if self.title is not None else p.title,
            title_span=p.title_span,
            venue=p.venue,
            venue_span=p.venue_span,
            grammar=p.grammar,
            summary=tuple(self.summary),
            depth=self.depth,
            role=p.role,
            layout=p.layout,
            extra_links=tuple(self.extra_links),
        )


class BlockState:
    """Everything one parse collects; the handlers read ``tokens`` and append to the rest."""

    __slots__ = (
        "attached",
        "attached_until",
        "close_of",
        "code_lines",
        "entries",
        "env",
        "fence_lines",
        "headings",
        "html_lines",
        "in_toc_until",
        "limits",
        "links",
        "markup",
        "md",
        "open_items",
        "paper_table",
        "references",
        "section_starts",
        "source",
        "titled",
        "toc",
        "toc_heading",
        "toc_items",
        "tokens",
    )

    def __init__(
        self, source: Source, tokens: list[Token], env: dict[str, Any], options: TocOptions
    ) -> None:
        self.source = source
        self.tokens = tokens
        self.env = env
        self.md = inline_markdown()
        self.references = bool(env.get("references"))  # shortcut refs defeat the fast path
        self.close_of = close_index(tokens)
        self.toc = find_toc_list(tokens, self.close_of, options)
        self.in_toc_until = -1  # token index where the TOC list ends, once it has started
        self.headings: list[Heading] = []
        self.section_starts: list[tuple[int, Heading | None]] = [(0, None)]
        self.entries: list[EntryBuilder] = []
        self.links: list[Link] = []
        self.toc_items: list[TocItem] = []
        self.toc_heading: Heading | None = None
        # Open list items: (index of the closing token, nearest entry at or above this item).
        self.open_items: list[tuple[int, EntryBuilder | None]] = []
        self.code_lines: set[int] = set()  # HTML comments (code blocks are added at the end)
        self.fence_lines: set[int] = set()  # fenced and indented code blocks
        self.html_lines: set[int] = set()
        self.limits: list[ParseLimit] = []
        self.markup = 0  # markup characters handed to the inline parser so far
        self.paper_table = True  # the current table's header names a title or paper column
        # A bold title paragraph waiting for the list after it, and the list it got.
        self.titled: EntryBuilder | None = None
        self.attached: EntryBuilder | None = None
        self.attached_until = -1

    # ------------------------------------------------------------------ helpers for handlers

    @property
    def section(self) -> int:
        """Index of the current section (0: before the first heading)."""
        return len(self.section_starts) - 1

    def parent_entry(self) -> EntryBuilder | None:
        """The entry the innermost open list item belongs to, if any."""
        return self.open_items[-1][1] if self.open_items else None

    def inline(self, content: str, line0: int) -> list[Token]:
        """The inline tokens of ``content`` (first line ``line0``, 0-based), within budget.

        Over :data:`MAX_BLOCK_MARKUP` for the block or :data:`MAX_DOCUMENT_MARKUP` for the
        document, the content stays one text token (no links) and a limit is recorded.
        """
        markup = sum(map(content.count, _MARKUP))
        if markup > MAX_BLOCK_MARKUP or self.markup + markup > MAX_DOCUMENT_MARKUP:
            self._over_budget(line0, line0 + content.count("\n") + 1, markup)
            return [Token("text", "", 0, content=content)]
        self.markup += markup
        return inline_tokens(self.md, content, self.env)

    def _over_budget(self, first: int, last: int, markup: int) -> None:
        """Record a block left unparsed: one limit a block, one for the rest of a document
        whose budget is spent (extended block by block), one a line (table cells)."""
        if markup > MAX_BLOCK_MARKUP:
            detail = f"{markup:,} markup characters in one block (limit {MAX_BLOCK_MARKUP:,})"
        else:
            detail = f"the file's markup budget ({MAX_DOCUMENT_MARKUP:,} characters) is spent"
        previous = self.limits[-1] if self.limits else None
        if previous is not None and previous.reason == "markup":
            same_line = previous.line == first + 1
            still_spent = markup <= MAX_BLOCK_MARKUP and previous.detail == detail
            if same_line or still_spent:
                self.limits[-1] = previous._replace(end_line=max(previous.end_line, last))
                return
        self.limits.append(ParseLimit(first + 1, last, "markup", detail))

    def skipped(self, token: Token) -> None:
        """Lines the block parser skipped because blocks nest too deep (a limit token)."""
        assert token.map is not None
        first, end = token.map
        detail = f"blocks nested deeper than {MAX_NESTING} levels"
        self.limits.append(ParseLimit(first + 1, max(end, first + 1), "nesting", detail))

    def line_offset(self, line0: int) -> int:
        return self.source.line_starts[min(line0, self.source.line_count - 1)]

    def block_end(self, token: Token) -> int:
        """Offset of the end of the last non-blank line of a block token."""
        assert token.map is not None
        source = self.source
        last = token.map[1]
        while last > token.map[0] + 1 and not source.line(last).strip():
            last -= 1
        return source.line_span(last)[1]

    def add_heading(self, heading: Heading, index: int) -> None:
        self.headings.append(heading)
        self.section_starts.append((heading.span.start, heading))
        if self.toc is not None and self.toc.heading == index:
            self.toc_heading = heading

    # ------------------------------------------------------------------ the result

    def document(self) -> Document:
        source = self.source
        kept = self._kept_entries()
        code_lines = self.code_lines | self.fence_lines
        anchors = [
            name
            for name, offset in html_anchor_positions(source.text)
            if source.position(offset)[0] not in code_lines
        ]
        return Document(
            source=source,
            headings=tuple(self.headings),
            sections=self._sections(kept),
            entries=tuple(b.freeze() for b in kept),
            links=tuple(sorted(self.links, key=lambda lk: lk.span.start)),
            toc=self._toc(),
            html_anchors=tuple(anchors),
            code_lines=frozenset(code_lines),
            controls=controls(self.source, self.fence_lines),
            html_lines=frozenset(self.html_lines),
            limits=tuple(sorted(self.limits)),
        )

    def _kept_entries(self) -> list[EntryBuilder]:
        """The entries, without pending titles that got no links and are not plain titles
        among entries of their list."""
        if not any(b.pending for b in self.entries):
            return self.entries
        linked = {(b.section, b.depth) for b in self.entries if not b.pending and b.links}
        return [
            b
            for b in self.entries
            if not b.pending
            or b.extra_links
            or (
                b.kind == "list"
                and (b.section, b.depth) in linked
                and b.parts.layout != "bold-title"
            )
        ]

    def _sections(self, kept: Sequence[EntryBuilder]) -> tuple[Section, ...]:
        bounds = [start for start, _ in self.section_starts] + [len(self.source.text)]
        per_section: list[list[int]] = [[] for _ in self.section_starts]
        for index, builder in enumerate(kept):
            per_section[builder.section].append(index)
        kinds = section_kinds([heading for _, heading in self.section_starts])
        return tuple(
            Section(
                heading=heading,
                span=Span(start, bounds[k + 1]),
                entries=tuple(per_section[k]),
                kind=kinds[k],
            )
            for k, (start, heading) in enumerate(self.section_starts)
        )

    def _toc(self) -> Toc | None:
        if self.toc is None or not self.toc_items:
            return None
        tokens, items = self.tokens, self.toc_items
        start_tok = tokens[self.toc.start]
        assert start_tok.map is not None
        end_line = max(item.line for item in items)
        after = self.toc.start + 1
        return Toc(
            heading=self.toc_heading,
            items=tuple(items),
            span=Span(self.line_offset(start_tok.map[0]), self.source.line_span(end_line)[1]),
            marker=tokens[after].markup if after < len(tokens) else start_tok.markup or "-",
            indent=_toc_indent(self.source, items),
        )


def _toc_indent(source: Source, items: Sequence[TocItem]) -> int:
    for item in items:
        if item.depth == 1:
            line = source.line(item.line)
            return len(line) - len(line.lstrip(" "))
    return 2
