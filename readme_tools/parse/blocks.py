"""Block handlers: one function per construct, dispatched by the type of its opening token.

Like markdown-it-py's block rules and mdformat's renderers, each handler gets the builder state
and the index of the token it is registered for, records what the model needs of the construct
and returns the index of the next token to look at. :data:`HANDLERS` maps token types to
handlers; tokens without one are passed over (their content, if any, is met by the walk).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markdown_it.token import Token

from readme_tools.model import Heading, Link, Paragraph, Span, TocItem
from readme_tools.parse.entryline import parse_head
from readme_tools.parse.head import CHECKBOX_RE, HeadParts
from readme_tools.parse.inline import fast_links, links_of, outside_links, plain_text
from readme_tools.parse.layouts import table_title
from readme_tools.parse.markdown import LIMIT_TOKEN
from readme_tools.parse.offsets import InlineMap, map_in_line, map_lines
from readme_tools.parse.state import BlockState, EntryBuilder
from readme_tools.parse.subitems import (
    attach_links,
    own_entry,
    title_paragraph,
    titled,
)

__all__ = ["HANDLERS", "Handler"]

Handler = Callable[[BlockState, int], int]
_SUMMARY_MARKUP = ("[", "<", "http", "](")  # a paragraph without these has no links


def _is_external(url: str) -> bool:
    return bool(url) and not url.startswith("#")


def _paragraph(state: BlockState, content: str, inline: InlineMap, token: Token) -> Paragraph:
    assert token.map is not None
    span = inline.span(0, len(content))
    return Paragraph(
        text=content,
        span=span,
        line=token.map[0] + 1,
        end_line=state.source.position(span.end)[0],
    )


# --------------------------------------------------------------------------- headings


def heading(state: BlockState, i: int) -> int:
    """ATX and setext headings: a new section; links in headings count too."""
    token, content = state.tokens[i], state.tokens[i + 1].content
    assert token.map is not None
    source = state.source
    if token.markup in ("=", "-"):
        inline = map_lines(source, content, token.map[0])
    else:
        inline, _ = map_in_line(source, content, token.map[0])
    children = state.inline(content, token.map[0])
    state.links.extend(links_of(children, inline, source))
    found = Heading(
        level=int(token.tag[1]),
        text=plain_text(children),
        raw=content,
        line=token.map[0] + 1,
        span=Span(state.line_offset(token.map[0]), state.block_end(token)),
        content_span=inline.span(0, len(content)),
    )
    state.add_heading(found, i)
    state.titled = None
    return i + 3


# --------------------------------------------------------------------------- lists


def list_open(state: BlockState, i: int) -> int:
    """A bullet or ordered list: where the TOC list starts, its items are TOC items; right
    after a bold title paragraph, its items carry that paper's links (``**Title**`` ⏎
    ``- Paper: https://arxiv.org/…``)."""
    if state.toc is not None and i == state.toc.start:
        state.in_toc_until = state.toc.end
    if state.titled is not None and not state.open_items:
        state.attached, state.attached_until = state.titled, state.close_of.get(i, i)
    state.titled = None
    return i + 1


def list_item(state: BlockState, i: int) -> int:
    """A list item: a TOC item, a summary of the entry above it, or an entry of its own."""
    tokens = state.tokens
    token = tokens[i]
    parent = state.parent_entry()
    depth = len(state.open_items)
    entry: EntryBuilder | None = None
    has_para = i + 2 < len(tokens) and tokens[i + 1].type == "paragraph_open"
    if has_para:
        para, content = tokens[i + 1], tokens[i + 2].content
        assert para.map is not None
        inline = map_lines(state.source, content, para.map[0])
        fast = None if state.references else fast_links(content, inline, state.source)
        if fast is None:
            fast = links_of(state.inline(content, para.map[0]), inline, state.source)
        links = fast
        state.links.extend(links)
        external = any(_is_external(lk.url) for lk in links)
        if i < state.in_toc_until:
            toc_item(state, links, para)
        elif state.attached_until > i:
            attach_links(state, state.attached, content, inline, links)  # "- Paper: https://…"
        elif parent is not None and not (parent.pending and own_entry(links)):
            parent.summary.append(_paragraph(state, content, inline, para))
            if parent.pending:
                attach_links(state, parent, content, inline, links)
        elif external or CHECKBOX_RE.match(content):
            entry = list_entry(state, token, content, inline, links, depth)
        else:
            entry = title_item(state, token, content, inline, links, depth)
    state.open_items.append((state.close_of.get(i, i), entry or parent))
    return i + 4 if has_para else i + 1


def toc_item(state: BlockState, links: Sequence[Link], para: Token) -> None:
    """An item of the TOC list: its first link, if it is an in-page one."""
    first = next((lk for lk in links if not lk.image), None)
    if first is None or not first.url.startswith("#"):
        return
    assert para.map is not None
    line0 = para.map[0]
    state.toc_items.append(
        TocItem(
            text=first.label,
            anchor=first.url[1:],
            depth=sum(1 for c, _ in state.open_items if c <= state.in_toc_until),
            line=line0 + 1,
            link=first,
            span=Span(state.line_offset(line0), state.source.line_span(line0 + 1)[1]),
        )
    )


def list_entry(
    state: BlockState,
    token: Token,
    content: str,
    inline: InlineMap,
    links: list[Link],
    depth: int,
    parts: HeadParts | None = None,
) -> EntryBuilder:
    """A list item that is a paper: its first paragraph split by the entry grammar."""
    assert token.map is not None
    if parts is None:
        parts = parse_head(content, inline, links)
    entry = EntryBuilder(
        kind="list",
        line=token.map[0] + 1,
        start=state.line_offset(token.map[0]),
        head=content,
        head_span=inline.span(0, len(content)),
        links=list(links),
        section=state.section,
        parts=parts,
        marker=f"{token.info}{token.markup}" if token.markup in (".", ")") else token.markup,
        depth=depth,
    )
    entry.end = state.block_end(token)
    state.entries.append(entry)
    return entry


def title_item(
    state: BlockState,
    token: Token,
    content: str,
    inline: InlineMap,
    links: list[Link],
    depth: int,
) -> EntryBuilder | None:
    """A list item without links that may be a paper: a bold title whose links follow in its
    sub-items or paragraphs (``- **Title (ICML 2021)**`` ⏎ ``  - [[Paper]](…)``), or a plain
    title in a list of entries (``* [**CVPR'25**] Title``). It stays an entry only if links
    come or its section holds linked entries at its depth (:meth:`BlockState.document`)."""
    parts = parse_head(content, inline, links)
    if not titled(parts):
        return None
    entry = list_entry(state, token, content, inline, links, depth, parts)
    entry.pending = True
    return entry


# --------------------------------------------------------------------------- paragraphs


def paragraph(state: BlockState, i: int) -> int:
    """A paragraph: part of an entry's summary, a paragraph entry (``**Title** …`` with
    links, outside lists), or text whose links are collected."""
    token, content = state.tokens[i], state.tokens[i + 1].content
    assert token.map is not None
    source = state.source
    parent = state.parent_entry()
    if parent is not None:
        inline = map_lines(source, content, token.map[0])
        parent.summary.append(_paragraph(state, content, inline, token))
        if any(marker in content for marker in _SUMMARY_MARKUP):
            links = links_of(state.inline(content, token.map[0]), inline, source)
            state.links.extend(links)
            if parent.pending:
                attach_links(state, parent, content, inline, links)
        return i + 3
    state.titled = None
    if not state.open_items and content.startswith(("**", "__")) and "](" not in content:
        title_paragraph(state, token, content)
    elif any(marker in content for marker in _SUMMARY_MARKUP) or "**" in content:
        inline = map_lines(source, content, token.map[0])
        links = links_of(state.inline(content, token.map[0]), inline, source)
        state.links.extend(links)
        if (
            not state.open_items
            and content.startswith(("**", "__", "["))
            and any(_is_external(lk.url) and not lk.image for lk in links)
        ):
            paragraph_entry(state, token, content, inline, links)
    return i + 3


def paragraph_entry(
    state: BlockState, token: Token, content: str, inline: InlineMap, links: list[Link]
) -> None:
    """A paragraph outside lists that is a paper: ``**Title** \\ *Authors* \\ Venue [Paper](…)``
    or a linked title alone on its line (``[Title](…)``, followed by a description)."""
    assert token.map is not None
    parts = parse_head(content, inline, links)
    if parts.layout == "linked-title" and "\n" in content.strip():
        return  # a paragraph of prose that opens with a link
    if parts.layout not in ("bold-title", "linked-title") and not content.startswith(("**", "__")):
        return
    state.entries.append(
        EntryBuilder(
            kind="paragraph",
            line=token.map[0] + 1,
            start=state.line_offset(token.map[0]),
            head=content,
            head_span=inline.span(0, len(content)),
            links=links,
            section=state.section,
            parts=parts,
            end=state.block_end(token),
        )
    )


# --------------------------------------------------------------------------- tables


# Header words of a table whose rows are papers: a title, paper, name, method or model column.
_PAPER_COLUMN_RE = re.compile(
    r"title|paper|name|method|model|work|publication|article|论文|标题|题目|名称|方法|模型",
    re.IGNORECASE,
)


def table_row(state: BlockState, i: int) -> int:
    """A table row: the header says whether rows are papers (a title, paper, name … column);
    a body row has its links, and is an entry when it is a paper linking outside the page."""
    state.titled = None
    tokens = state.tokens
    if i + 1 >= len(tokens) or tokens[i + 1].type != "td_open":
        return table_header(state, i)
    token, source = tokens[i], state.source
    assert token.map is not None
    row_links: list[Link] = []
    cells: list[str] = []
    cursor = 0
    j = i + 1
    while j < len(tokens) and tokens[j].type != "tr_close":
        if tokens[j].type == "inline":
            content = tokens[j].content
            inline, cursor = map_in_line(source, content, token.map[0], cursor)
            cell_tokens = state.inline(content, token.map[0])
            row_links.extend(links_of(cell_tokens, inline, source))
            cells.append(plain_text(outside_links(cell_tokens)))
        j += 1
    state.links.extend(row_links)
    if state.paper_table and any(_is_external(lk.url) and not lk.image for lk in row_links):
        start, end = source.line_span(token.map[0] + 1)
        state.entries.append(
            EntryBuilder(
                kind="table",
                line=token.map[0] + 1,
                start=start,
                head=source.text[start:end],
                head_span=Span(start, end),
                links=row_links,
                section=state.section,
                parts=HeadParts(layout="other"),
                end=end,
                title=table_title(row_links, cells),
            )
        )
    return j + 1


def table_header(state: BlockState, i: int) -> int:
    """A table's header row: whether its rows are papers. Its cells are read (for their
    links) by :func:`inline_container`."""
    tokens = state.tokens
    j = i + 1
    header: list[str] = []
    while j < len(tokens) and tokens[j].type != "tr_close":
        if tokens[j].type == "inline":
            header.append(tokens[j].content)
        j += 1
    state.paper_table = any(_PAPER_COLUMN_RE.search(cell) for cell in header)
    return i + 1


def inline_container(state: BlockState, i: int) -> int:
    """Inline content no other handler took (header cells): its links only."""
    token = state.tokens[i]
    if token.map is not None and any(m in token.content for m in "[<"):
        inline, _ = map_in_line(state.source, token.content, token.map[0])
        children = state.inline(token.content, token.map[0])
        state.links.extend(links_of(children, inline, state.source))
    return i + 1


# --------------------------------------------------------------------------- code and HTML


def code(state: BlockState, i: int) -> int:
    """Fenced and indented code: no links, no entries, no control comments."""
    state.titled = None
    token = state.tokens[i]
    if token.map is not None:
        state.fence_lines.update(range(token.map[0] + 1, token.map[1] + 1))
    return i + 1


def html_block(state: BlockState, i: int) -> int:
    """An HTML block: a comment counts as code, anything else as HTML lines."""
    token = state.tokens[i]
    if not token.content.lstrip().startswith("<!--"):
        state.titled = None
    if token.map is not None:
        lines = range(token.map[0] + 1, token.map[1] + 1)
        if token.content.lstrip().startswith("<!--"):
            state.code_lines.update(lines)
        else:
            state.html_lines.update(lines)
    return i + 1


# --------------------------------------------------------------------------- limits


def parse_limit(state: BlockState, i: int) -> int:
    """Lines the block parser skipped (nesting deeper than it goes): a finding, not silence."""
    state.skipped(state.tokens[i])
    return i + 1


HANDLERS: dict[str, Handler] = {
    "heading_open": heading,
    "bullet_list_open": list_open,
    "ordered_list_open": list_open,
    "list_item_open": list_item,
    "paragraph_open": paragraph,
    "tr_open": table_row,
    "inline": inline_container,
    "fence": code,
    "code_block": code,
    "html_block": html_block,
    LIMIT_TOKEN: parse_limit,
}
