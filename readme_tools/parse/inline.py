"""Inline helpers: run markdown-it's inline parser on one block, read its links and text.

:func:`links_of` turns the link tokens of a block (with the source ranges that
:mod:`readme_tools.parse.markdown` records) into :class:`~readme_tools.model.Link` objects with
exact source spans; :func:`fast_links` gets the same result without the inline parser for the
common simple shape of an entry line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from readme_tools.model import Link, Span
from readme_tools.parse.head import CHECKBOX_RE
from readme_tools.parse.offsets import InlineMap
from readme_tools.source import Source

__all__ = ["fast_links", "inline_tokens", "links_of", "outside_links", "plain_text"]


def inline_tokens(md: MarkdownIt, content: str, env: dict[str, Any]) -> list[Token]:
    """The inline tokens of ``content`` (``env`` holds the document's reference definitions)."""
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


def outside_links(tokens: Sequence[Token]) -> list[Token]:
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


def links_of(tokens: Sequence[Token], inline: InlineMap, source: Source) -> list[Link]:
    """The links and images among a block's inline tokens, with their source spans."""
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


def fast_links(content: str, inline: InlineMap, source: Source) -> list[Link] | None:
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
