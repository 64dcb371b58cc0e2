"""Stage 2+3: text → markdown-it tokens → :class:`~readme_tools.model.Document`.

markdown-it-py does the block parse of the whole file; the inline parse (the expensive half)
runs only where the model needs it: headings, entry lines, TOC items, table cells and the
paragraphs that can contain links. Inline link rules are wrapped so that every link carries its
exact source range, which is mapped back to offsets in ``Source.text``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, NamedTuple

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from readme_tools.chunks import Chunk
from readme_tools.config import TocOptions
from readme_tools.model import (
    Control,
    Document,
    Entry,
    EntryKind,
    Heading,
    Link,
    Paragraph,
    Section,
    Span,
    Toc,
    TocItem,
)
from readme_tools.source import Source

_TRIM = " \t\n\r\x0b\x0c"
CHECKBOX_RE = re.compile(r"\[([ xX])\](?=[ \t\u00a0]|$)")
NAME_RE = re.compile(r"(\*\*|__)(?P<name>[^*_\n](?:[^\n]*?[^*_\n])?)\1(?P<sep>[ \t]*[:：])?[ \t]*")
TERMINATOR_RE = re.compile(r"[.?!。？！](?=\s|$)")
CONTROL_RE = re.compile(
    r"<!--\s*readme-lint\s+(disable-next-line|disable|enable)\b\s*([^>]*?)\s*-->"
)
# An HTML start tag, and its id / name attributes (name counts on <a> only, as in HTML).
_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?/?>")
_ATTR_RE = re.compile(r"""(?:^|\s)(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`/]+))""", re.I)
TOC_MARKER_RE = re.compile(r"<!--\s*(?:toc|START doctoc\b[^>]*)\s*-->", re.IGNORECASE)
_SUMMARY_MARKUP = ("[", "<", "http", "](")


# --------------------------------------------------------------------------- markdown-it setup


def _tracking(rule: Callable[[StateInline, bool], bool], image: bool) -> Any:
    """Wrap an inline rule so the token it opens records its source range."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        start = state.pos
        count = len(state.tokens)
        ok = rule(state, silent)
        if ok and not silent:
            for token in state.tokens[count:]:
                if token.type in ("link_open", "image"):
                    token.meta = {**(token.meta or {}), "src": (start, state.pos)}
                    if token.markup != "autolink":
                        dest = _destination(state, start + (2 if image else 1), state.pos)
                        if dest is not None:
                            token.meta["dest"] = dest
                    break
        return ok

    return wrapped


def _destination(state: StateInline, label_start: int, end: int) -> tuple[int, int] | None:
    """(start, end) of an inline link's destination in ``state.src``, or None."""
    label_end = parseLinkLabel(state, label_start - 1, False)
    pos = label_end + 1
    src = state.src
    if label_end < 0 or pos >= end or src[pos] != "(":
        return None
    pos += 1
    while pos < end and src[pos] in " \t\n":
        pos += 1
    if pos < end and src[pos] == ")":
        return (pos, pos)
    result = parseLinkDestination(src, pos, end)
    if not result.ok:
        return None
    if src[pos] == "<":
        return (pos + 1, result.pos - 1)
    return (pos, result.pos)


@cache
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.disable("inline")  # run lazily, only where the model needs it
    ruler = md.inline.ruler
    from markdown_it.rules_inline import autolink, image, link

    ruler.at("link", _tracking(link, image=False))
    ruler.at("image", _tracking(image, image=True))
    ruler.at("autolink", _tracking(autolink, image=False))
    return md


def chunk_block(source: Source, chunk: Chunk, whole: bool = True) -> list[Token]:
    """Block tokens of one chunk (see :mod:`readme_tools.chunks`), or of its heading line only.

    Token line maps are shifted to lines of ``source``.
    """
    if whole:
        begin, end = source.lines_span(chunk.start + 1, chunk.end)
    elif chunk.heading:
        begin, end = source.line_span(chunk.start + 1)
    else:
        return []
    tokens = markdown().parse(source.text[begin:end], {})
    if chunk.start:
        for token in tokens:
            if token.map is not None:
                token.map = [token.map[0] + chunk.start, token.map[1] + chunk.start]
    return tokens


# --------------------------------------------------------------------------- offset mapping


class _Inline(NamedTuple):
    """Inline content of a block, with the map from content offsets to source offsets."""

    content: str
    starts: tuple[int, ...]  # content offset where each content line starts
    origins: tuple[int, ...]  # source offset of each content line's first character

    def to_source(self, offset: int) -> int:
        if len(self.starts) == 1:
            return self.origins[0] + offset
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.origins[index] + offset - self.starts[index]

    def span(self, start: int, end: int) -> Span:
        if len(self.starts) == 1:
            origin = self.origins[0]
            return Span(origin + start, origin + end)
        return Span(self.to_source(start), self.to_source(end))


def _map_lines(source: Source, content: str, first_line: int) -> _Inline:
    """Locate each line of ``content`` (0-based first source line) in the source."""
    lines = content.split("\n")
    starts: list[int] = []
    origins: list[int] = []
    pos = 0
    last = len(lines) - 1
    for i, piece in enumerate(lines):
        line_no = min(first_line + i + 1, source.line_count)
        line_start, line_end = source.line_span(line_no)
        text = source.text[line_start:line_end]
        stripped = text.rstrip(_TRIM) if i == last else text
        k = len(stripped) - len(piece)
        if k < 0 or stripped[k:] != piece:
            found = text.find(piece)
            k = found if found >= 0 else max(0, k)
        starts.append(pos)
        origins.append(line_start + k)
        pos += len(piece) + 1
    return _Inline(content, tuple(starts), tuple(origins))


def _map_in_line(source: Source, content: str, line0: int, cursor: int = 0) -> tuple[_Inline, int]:
    """Locate single-line ``content`` in source line ``line0`` (0-based) from ``cursor``."""
    line_start, line_end = source.line_span(line0 + 1)
    text = source.text[line_start:line_end]
    found = text.find(content, cursor) if content else cursor
    k = found if found >= 0 else cursor
    return _Inline(content, (0,), (line_start + k,)), k + len(content)


# --------------------------------------------------------------------------- inline helpers


def _inline_tokens(md: MarkdownIt, content: str, env: dict[str, Any]) -> list[Token]:
    tokens: list[Token] = []
    md.inline.parse(content, md, env, tokens)
    return tokens


def plain_text(tokens: Sequence[Token]) -> str:
    """Rendered plain text: text and inline code kept, markup, images and HTML dropped."""
    out: list[str] = []
    for token in tokens:
        kind = token.type
        if kind in ("text", "text_special", "code_inline"):
            out.append(token.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def _links(tokens: Sequence[Token], inline: _Inline, source: Source) -> list[Link]:
    links: list[Link] = []
    for index, token in enumerate(tokens):
        if token.type not in ("link_open", "image"):
            continue
        meta = token.meta or {}
        src = meta.get("src")
        if src is None:
            continue
        span = inline.span(src[0], src[1])
        dest = meta.get("dest")
        href = str(token.attrGet("href" if token.type == "link_open" else "src") or "")
        if dest is not None:
            url = inline.content[dest[0] : dest[1]]
            url_span: Span | None = inline.span(dest[0], dest[1])
        elif token.markup == "autolink":
            url = inline.content[src[0] + 1 : src[1] - 1]
            url_span = inline.span(src[0] + 1, src[1] - 1)
        else:
            url, url_span = href, None  # reference link: the destination is elsewhere
        if token.type == "image":
            label = plain_text(token.children or [])
        else:
            depth, j, parts = 1, index + 1, []
            while j < len(tokens):
                if tokens[j].type == "link_open":
                    depth += 1
                elif tokens[j].type == "link_close":
                    depth -= 1
                    if depth == 0:
                        break
                parts.append(tokens[j])
                j += 1
            label = plain_text(parts)
        links.append(
            Link(
                label=label,
                url=url,
                span=span,
                url_span=url_span,
                line=source.position(span.start)[0],
                image=token.type == "image",
                autolink=token.markup == "autolink",
            )
        )
    return links


_SIMPLE_LINK_RE = re.compile(r"\[([^\[\]\\`<>&*_\n]*)\]\(([^()\s<>\\`]*)\)")
_SLOW_RE = re.compile(r"[\[\]\\`<]")


def fast_links(content: str, inline: _Inline, source: Source) -> list[Link] | None:
    """Links of a line in the common simple shape, without the inline parser.

    Returns None (use markdown-it) unless every bracket of ``content`` belongs to a plain
    ``[label](url)`` link (or a leading checkbox) and nothing else could change how
    CommonMark reads it: no escapes, code spans, HTML/autolinks, images, entities or
    emphasis inside labels. On that subset the result equals markdown-it's.
    """
    start = 0
    match = CHECKBOX_RE.match(content)
    if match:
        start = match.end()
    links: list[Link] = []
    pos = start
    single = len(inline.starts) == 1
    line = source.position(inline.origins[0])[0] if single else 0
    slow = _SLOW_RE.search
    for m in _SIMPLE_LINK_RE.finditer(content, start):
        begin = m.start()
        if (begin > 0 and content[begin - 1] == "!") or slow(content, pos, begin):
            return None
        pos = m.end()
        span = inline.span(begin, pos)
        links.append(
            Link(
                m.group(1),
                m.group(2),
                span,
                inline.span(m.start(2), m.end(2)),
                line if single else source.position(span.start)[0],
            )
        )
    if slow(content, pos):
        return None
    return links


# --------------------------------------------------------------------------- entry grammar


@dataclass
class _HeadParts:
    checkbox: str | None = None
    checkbox_span: Span | None = None
    name: str | None = None
    name_span: Span | None = None
    title: str | None = None
    title_span: Span | None = None
    venue: str | None = None
    venue_span: Span | None = None
    grammar: bool = False


def parse_head(content: str, inline: _Inline, links: Sequence[Link]) -> _HeadParts:
    """Split an entry line into checkbox, bold name, title, venue tag and trailing links."""
    parts = _HeadParts()
    pos = 0
    match = CHECKBOX_RE.match(content)
    if match:
        parts.checkbox = match.group(1)
        parts.checkbox_span = inline.span(match.start(), match.end())
        pos = match.end()
        while pos < len(content) and content[pos] in " \t\u00a0":
            pos += 1
    separator_ok = True
    match = NAME_RE.match(content, pos)
    if match and "](" not in match.group("name"):
        parts.name = match.group("name").strip()
        parts.name_span = inline.span(match.start(), match.end("name") + len(match.group(1)))
        separator_ok = match.group("sep") is not None
        pos = match.end()
    # The tail: the maximal run of links (and whitespace) that ends the line.
    tail = len(content.rstrip(_TRIM))
    span_starts = sorted(
        (inline_pos(inline, link.span.start), inline_pos(inline, link.span.end))
        for link in links
        if not link.image
    )
    trailing = 0
    for start, end in reversed(span_starts):
        if start >= pos and content[end:tail].strip(_TRIM) == "":
            tail = start
            trailing += 1
        else:
            break
    body = content[pos:tail].rstrip(_TRIM)
    if not body:
        return parts
    # In the default grammar the title is plain text: a link before the tail (a linked title,
    # "[**Title.**](url) *Authors.* Venue") means another entry style.
    linked_body = any(pos <= start < tail for start, _ in span_starts)
    terminators = list(TERMINATOR_RE.finditer(body))
    if terminators:
        cut = terminators[-1].end()
        title = body[:cut]
        rest = body[cut:]
        venue = rest.strip(_TRIM)
        parts.title = title.strip(_TRIM)
        t_start = pos + len(title) - len(title.lstrip(_TRIM))
        parts.title_span = inline.span(t_start, pos + cut)
        if venue:
            v_start = pos + cut + (len(rest) - len(rest.lstrip(_TRIM)))
            parts.venue = venue
            parts.venue_span = inline.span(v_start, v_start + len(venue))
    else:
        parts.title = body.strip(_TRIM)
        parts.title_span = inline.span(pos, pos + len(body))
    parts.grammar = bool(
        separator_ok and terminators and trailing and "\n" not in body and not linked_body
    )
    return parts


def inline_pos(inline: _Inline, source_offset: int) -> int:
    """Inverse of ``_Inline.to_source`` (for offsets inside the content)."""
    if len(inline.origins) == 1:
        return source_offset - inline.origins[0]
    index = max(bisect.bisect_right(inline.origins, source_offset) - 1, 0)
    return inline.starts[index] + source_offset - inline.origins[index]


_GENERIC_LABELS = frozenset({"pdf", "paper", "code", "arxiv", "github", "link", "project"})


def _loose_title(content: str, links: Sequence[Link]) -> str | None:
    """Title of a list entry outside the default grammar: a leading ``[Title](url)``."""
    text = CHECKBOX_RE.sub("", content, count=1).lstrip(" \t\u00a0*_")
    if not text.startswith("[") or not links:
        return None
    first = min(links, key=lambda link: link.span.start)
    label = first.label.strip(_TRIM)
    if not label or label.casefold().strip("[]") in _GENERIC_LABELS:
        return None
    return label.rstrip(".").strip() or None


def _bold_title(content: str) -> str | None:
    """Title of a paragraph entry: its leading bold text (``**Title** \\``)."""
    match = re.match(r"(?:\*\*|__)([^*_\n]+)", content)
    return (match.group(1).strip().rstrip(".:").strip() or None) if match else None


# --------------------------------------------------------------------------- TOC detection


def _letters(text: str) -> list[str]:
    words, current = [], []
    for ch in text.casefold():
        if unicodedata.category(ch)[0] in "LN":
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def is_toc_heading(text: str, names: Sequence[str]) -> bool:
    words = _letters(text)
    for name in names:
        target = _letters(name)
        n = len(target)
        if not n or len(words) > n + 2:
            continue
        for i in range(len(words) - n + 1):
            if words[i : i + n] == target:
                return True
    return False


# --------------------------------------------------------------------------- the builder


@dataclass
class _EntryBuilder:
    kind: EntryKind
    line: int
    start: int
    head: str
    head_span: Span
    links: list[Link]
    section: int
    parts: _HeadParts
    marker: str | None = None
    depth: int = 0
    end: int = 0
    summary: list[Paragraph] = field(default_factory=list)
    title: str | None = None

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
        )


def _is_external(url: str) -> bool:
    return bool(url) and not url.startswith("#")


def parse(
    source: Source,
    toc_options: TocOptions | None = None,
    *,
    block: tuple[list[Token], dict[str, Any]] | None = None,
) -> Document:
    """Build the document model of ``source``.

    ``block`` is the result of ``markdown().parse(source.text, env)`` as ``(tokens, env)``
    when the caller already has it (the formatter lays lists out from the same tokens).
    """
    toc_options = toc_options or TocOptions()
    md = markdown()
    env: dict[str, Any] = {}
    if block is not None:
        tokens, env = block
    else:
        tokens = md.parse(source.text, env)
    references = bool(env.get("references"))  # shortcut references defeat the fast path
    text = source.text

    def line_offset(line0: int) -> int:
        return source.line_starts[min(line0, source.line_count - 1)]

    # Pass 1: matching close tokens and TOC candidates.
    close_of = close_index(tokens)

    code_lines: set[int] = set()
    fence_lines: set[int] = set()  # code blocks only (code_lines adds HTML comments)
    html_lines: set[int] = set()
    html_anchors: list[str] = []
    for token in tokens:
        if token.map is None:
            continue
        if token.type in ("fence", "code_block"):
            fence_lines.update(range(token.map[0] + 1, token.map[1] + 1))
        elif token.type == "html_block":
            lines = range(token.map[0] + 1, token.map[1] + 1)
            if token.content.lstrip().startswith("<!--"):
                code_lines.update(lines)
            else:
                html_lines.update(lines)

    code_lines |= fence_lines
    for name, offset in html_anchor_positions(text):
        if source.position(offset)[0] not in code_lines:
            html_anchors.append(name)

    toc_list = _find_toc_list(tokens, close_of, toc_options)

    # Pass 2: headings, sections, entries, links.
    headings: list[Heading] = []
    section_starts: list[tuple[int, Heading | None]] = [(0, None)]
    entries: list[_EntryBuilder] = []
    all_links: list[Link] = []
    toc_items: list[TocItem] = []
    toc_heading: Heading | None = None
    # Open list items: (index of the closing token, nearest entry at or above this item).
    open_items: list[tuple[int, _EntryBuilder | None]] = []
    in_toc_until = -1
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        kind = token.type
        while open_items and open_items[-1][0] < i:
            open_items.pop()
        if kind == "heading_open":
            inline_token = tokens[i + 1]
            assert token.map is not None
            content = inline_token.content
            if token.markup in ("=", "-"):
                inline = _map_lines(source, content, token.map[0])
            else:
                inline, _ = _map_in_line(source, content, token.map[0])
            children = _inline_tokens(md, content, env)
            links = _links(children, inline, source)
            all_links.extend(links)
            heading = Heading(
                level=int(token.tag[1]),
                text=plain_text(children),
                raw=content,
                line=token.map[0] + 1,
                span=Span(line_offset(token.map[0]), _block_end(source, token)),
                content_span=inline.span(0, len(content)),
            )
            headings.append(heading)
            section_starts.append((heading.span.start, heading))
            if toc_list is not None and toc_list[2] is not None and toc_list[2] == i:
                toc_heading = heading
            i += 3
            continue
        if toc_list is not None and i == toc_list[0]:
            in_toc_until = toc_list[1]
        if kind == "list_item_open":
            close = close_of.get(i, i)
            parent_entry = open_items[-1][1] if open_items else None
            depth = len(open_items)
            entry: _EntryBuilder | None = None
            has_para = i + 2 < n and tokens[i + 1].type == "paragraph_open"
            if has_para:
                para = tokens[i + 1]
                inline_token = tokens[i + 2]
                assert para.map is not None
                content = inline_token.content
                inline = _map_lines(source, content, para.map[0])
                fast = None if references else fast_links(content, inline, source)
                links = (
                    fast
                    if fast is not None
                    else _links(_inline_tokens(md, content, env), inline, source)
                )
                all_links.extend(links)
                if i < in_toc_until:
                    first = next((lk for lk in links if not lk.image), None)
                    if first is not None and first.url.startswith("#"):
                        line0 = para.map[0]
                        toc_items.append(
                            TocItem(
                                text=first.label,
                                anchor=first.url[1:],
                                depth=sum(1 for c, _ in open_items if c <= in_toc_until),
                                line=line0 + 1,
                                link=first,
                                span=Span(line_offset(line0), source.line_span(line0 + 1)[1]),
                            )
                        )
                elif parent_entry is not None:
                    parent_entry.summary.append(_paragraph(source, content, inline, para))
                elif any(_is_external(lk.url) for lk in links) or CHECKBOX_RE.match(content):
                    assert token.map is not None
                    parts = parse_head(content, inline, links)
                    entry = _EntryBuilder(
                        kind="list",
                        line=token.map[0] + 1,
                        start=line_offset(token.map[0]),
                        head=content,
                        head_span=inline.span(0, len(content)),
                        links=[lk for lk in links],
                        section=len(section_starts) - 1,
                        parts=parts,
                        marker=f"{token.info}{token.markup}"
                        if token.markup in (".", ")")
                        else token.markup,
                        depth=depth,
                        title=_loose_title(content, links) if not parts.grammar else None,
                    )
                    entry.end = _block_end(source, token)
                    entries.append(entry)
            open_items.append((close, entry or parent_entry))
            i += 4 if has_para else 1
            continue
        if kind == "paragraph_open":
            inline_token = tokens[i + 1]
            assert token.map is not None
            content = inline_token.content
            parent_entry = open_items[-1][1] if open_items else None
            if parent_entry is not None:
                inline = _map_lines(source, content, token.map[0])
                parent_entry.summary.append(_paragraph(source, content, inline, token))
                if any(marker in content for marker in _SUMMARY_MARKUP):
                    all_links.extend(_links(_inline_tokens(md, content, env), inline, source))
            elif any(marker in content for marker in _SUMMARY_MARKUP) or "**" in content:
                inline = _map_lines(source, content, token.map[0])
                children = _inline_tokens(md, content, env)
                links = _links(children, inline, source)
                all_links.extend(links)
                if (
                    not open_items
                    and content.startswith(("**", "__"))
                    and any(_is_external(lk.url) and not lk.image for lk in links)
                ):
                    entries.append(
                        _EntryBuilder(
                            kind="paragraph",
                            line=token.map[0] + 1,
                            start=line_offset(token.map[0]),
                            head=content,
                            head_span=inline.span(0, len(content)),
                            links=links,
                            section=len(section_starts) - 1,
                            parts=_HeadParts(),
                            end=_block_end(source, token),
                            title=_bold_title(content),
                        )
                    )
            i += 3
            continue
        if kind == "tr_open" and i + 1 < n and tokens[i + 1].type == "td_open":
            row_links: list[Link] = []
            cells: list[str] = []
            cursor = 0
            j = i + 1
            assert token.map is not None
            while j < n and tokens[j].type != "tr_close":
                if tokens[j].type == "inline":
                    content = tokens[j].content
                    inline, cursor = _map_in_line(source, content, token.map[0], cursor)
                    cell_tokens = _inline_tokens(md, content, env)
                    row_links.extend(_links(cell_tokens, inline, source))
                    cells.append(plain_text(_outside_links(cell_tokens)))
                j += 1
            all_links.extend(row_links)
            if any(_is_external(lk.url) and not lk.image for lk in row_links):
                start, end = source.line_span(token.map[0] + 1)
                entries.append(
                    _EntryBuilder(
                        kind="table",
                        line=token.map[0] + 1,
                        start=start,
                        head=text[start:end],
                        head_span=Span(start, end),
                        links=row_links,
                        section=len(section_starts) - 1,
                        parts=_HeadParts(),
                        end=end,
                        title=_table_title(row_links, cells),
                    )
                )
            i = j + 1
            continue
        if kind == "inline" and token.map is not None and any(m in token.content for m in "[<"):
            # th cells and other inline containers: links only.
            inline, _ = _map_in_line(source, token.content, token.map[0])
            all_links.extend(_links(_inline_tokens(md, token.content, env), inline, source))
        i += 1

    # Sections and their entries.
    section_list: list[Section] = []
    bounds = [start for start, _ in section_starts] + [len(text)]
    per_section: list[list[int]] = [[] for _ in section_starts]
    for index, builder in enumerate(entries):
        per_section[builder.section].append(index)
    for k, (section_start, section_heading) in enumerate(section_starts):
        section_list.append(
            Section(
                heading=section_heading,
                span=Span(section_start, bounds[k + 1]),
                entries=tuple(per_section[k]),
            )
        )

    toc: Toc | None = None
    if toc_list is not None and toc_items:
        start_tok = tokens[toc_list[0]]
        assert start_tok.map is not None
        marker = start_tok.markup or "-"
        indent = _toc_indent(source, toc_items)
        end_line = max(item.line for item in toc_items)
        toc = Toc(
            heading=toc_heading,
            items=tuple(toc_items),
            span=Span(line_offset(start_tok.map[0]), source.line_span(end_line)[1]),
            marker=tokens[toc_list[0] + 1].markup if toc_list[0] + 1 < n else marker,
            indent=indent,
        )

    controls = _controls(source, fence_lines)
    return Document(
        source=source,
        headings=tuple(headings),
        sections=tuple(section_list),
        entries=tuple(b.freeze() for b in entries),
        links=tuple(sorted(all_links, key=lambda lk: lk.span.start)),
        toc=toc,
        html_anchors=tuple(html_anchors),
        code_lines=frozenset(code_lines),
        controls=controls,
        html_lines=frozenset(html_lines),
    )


def _block_end(source: Source, token: Token) -> int:
    """Offset of the end of the last non-blank line of a block token."""
    assert token.map is not None
    last = token.map[1]
    while last > token.map[0] + 1 and not source.line(last).strip():
        last -= 1
    return source.line_span(last)[1]


def _paragraph(source: Source, content: str, inline: _Inline, token: Token) -> Paragraph:
    assert token.map is not None
    span = inline.span(0, len(content))
    return Paragraph(
        text=content,
        span=span,
        line=token.map[0] + 1,
        end_line=source.position(span.end)[0],
    )


def _table_title(links: Sequence[Link], cells: Sequence[str] = ()) -> str | None:
    """The first link label of three or more words, else the longest such plain-text cell."""
    for link in links:
        label = link.label.strip(_TRIM + "[]")
        if not link.image and len(label.split()) >= 3:
            return label
    texts = [c.strip(_TRIM) for c in cells if len(c.split()) >= 3]
    return max(texts, key=len) if texts else None


def _outside_links(tokens: Sequence[Token]) -> list[Token]:
    """Inline tokens that are not inside a link (a cell's own text, not its link labels)."""
    out: list[Token] = []
    depth = 0
    for token in tokens:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(token)
    return out


def _toc_indent(source: Source, items: Sequence[TocItem]) -> int:
    for item in items:
        if item.depth == 1:
            line = source.line(item.line)
            return len(line) - len(line.lstrip(" "))
    return 2


def close_index(tokens: Sequence[Token]) -> dict[int, int]:
    """Index of the matching close token of every open token."""
    close_of: dict[int, int] = {}
    stack: list[int] = []
    for i, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append(i)
        elif token.nesting == -1 and stack:
            close_of[stack.pop()] = i
    return close_of


def first_list(tokens: Sequence[Token], start: int, stop_at_heading: bool) -> int | None:
    """Index of the first top-level list opening at or after ``start``."""
    for j in range(start, len(tokens)):
        kind = tokens[j].type
        if kind in ("bullet_list_open", "ordered_list_open") and tokens[j].level == 0:
            return j
        if stop_at_heading and kind == "heading_open":
            return None
    return None


def toc_by_heading(
    tokens: Sequence[Token], close_of: dict[int, int], options: TocOptions
) -> tuple[int, int, int] | None:
    """The list after the first heading named like a TOC, if mostly in-page links."""
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and is_toc_heading(tokens[i + 1].content, options.headings):
            found = first_list(tokens, i + 3, stop_at_heading=True)
            if found is not None and _anchor_ratio(tokens, found, close_of[found]) >= 0.5:
                return found, close_of[found], i
    return None


def toc_markers(tokens: Sequence[Token]) -> list[int]:
    """Indices of explicit TOC marker comments (``<!-- toc -->``, doctoc's)."""
    return [
        i
        for i, token in enumerate(tokens)
        if token.type == "html_block" and TOC_MARKER_RE.search(token.content)
    ]


def leading_list(
    tokens: Sequence[Token], close_of: dict[int, int]
) -> tuple[Literal["toc", "entries"], int] | None:
    """The first top-level list that tells whether the document opens with a TOC."""
    for i, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open") and token.level == 0:
            if _anchor_ratio(tokens, i, close_of[i]) >= 0.8:
                return "toc", i
            if _external_links_in(tokens, i, close_of[i]):
                return "entries", i
    return None


def _find_toc_list(
    tokens: Sequence[Token],
    close_of: dict[int, int],
    options: TocOptions,
) -> tuple[int, int, int | None] | None:
    """(list open index, list close index, heading_open index or None) of the TOC list."""
    # 1. A heading named like a TOC.
    by_heading = toc_by_heading(tokens, close_of, options)
    if by_heading is not None:
        return by_heading
    # 2. Explicit markers.
    for i in toc_markers(tokens):
        found = first_list(tokens, i + 1, stop_at_heading=False)
        if found is not None:
            return found, close_of[found], None
    # 3. The leading list of anchor links, before any list with external links.
    leading = leading_list(tokens, close_of)
    if leading is not None and leading[0] == "toc":
        return leading[1], close_of[leading[1]], None
    return None


# A TOC item starts with an in-page link, possibly after an emoji or other non-word prefix.
_ANCHOR_HEAD_RE = re.compile(r"^[^\w\[\]`<]{0,8}(?:\*\*|__)?\[[^\]]*\]\(#")


def _anchor_ratio(tokens: Sequence[Token], start: int, end: int) -> float:
    heads = [
        tokens[j + 2].content
        for j in range(start, end)
        if tokens[j].type == "list_item_open" and tokens[j + 1].type == "paragraph_open"
    ]
    if not heads:
        return 0.0
    return sum(1 for h in heads if _ANCHOR_HEAD_RE.match(h)) / len(heads)


def _external_links_in(tokens: Sequence[Token], start: int, end: int) -> bool:
    return any(
        tokens[j].type == "inline" and "](http" in tokens[j].content for j in range(start, end)
    )


def html_anchor_positions(text: str) -> list[tuple[str, int]]:
    """(target, offset of the tag) of every ``id="…"`` attribute and ``<a name="…">``."""
    if "<" not in text:
        return []
    out: list[tuple[str, int]] = []
    for tag in _TAG_RE.finditer(text):
        attrs = tag.group(2)
        if not attrs or ("id" not in attrs.lower() and "name" not in attrs.lower()):
            continue
        is_a = tag.group(1).lower() == "a"
        for attr in _ATTR_RE.finditer(attrs):
            value = next(v for v in attr.group(2, 3, 4) if v is not None)
            if value and (attr.group(1).lower() == "id" or is_a):
                out.append((value, tag.start()))
    return out


def _controls(source: Source, fence_lines: set[int]) -> tuple[Control, ...]:
    if "readme-lint" not in source.text:
        return ()
    controls: list[Control] = []
    for match in CONTROL_RE.finditer(source.text):
        line = source.position(match.start())[0]
        if line in fence_lines:
            continue
        action = match.group(1)
        rules = tuple(r.strip() for r in re.split(r"[,\s]+", match.group(2)) if r.strip())
        end_line = source.position(match.end())[0]
        controls.append(Control(action=action, rules=rules, line=line, end_line=end_line))  # type: ignore[arg-type]
    return tuple(controls)
