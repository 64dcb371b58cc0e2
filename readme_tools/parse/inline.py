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


#: Destinations markdown-it checks further: scripts it refuses, entities it decodes first.
_REFUSED_DEST_RE = re.compile(r"(?i)(?:vbscript|javascript|file|data):")
_ENTITY_RE = re.compile(r"&#?\w+;")


def _doubtful(url: str) -> bool:
    """Whether markdown-it might refuse the destination ``url`` (then it is no link)."""
    if _REFUSED_DEST_RE.match(url) is not None:
        return True
    return "&" in url and _ENTITY_RE.search(url) is not None


_SIMPLE_LINK_RE = re.compile(r"\[([^\[\]\\`<>&*_\n]*)\]\(([^()\s<>\\`]*)\)")
_SLOW_RE = re.compile(r"[\[\]\\`<]")


def _simple_links(content: str, inline: InlineMap, source: Source) -> list[Link] | None:
    """Links of a line in the common simple shape, by one regular expression.

    Returns None (use markdown-it) unless every bracket of ``content`` belongs to a plain
    ``[label](url)`` link (or a leading checkbox) and nothing else could change how
    CommonMark reads it: no escapes, code spans, HTML/autolinks, images, entities or
    emphasis inside labels, no destination markdown-it refuses. On that subset the result
    equals markdown-it's.
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
        if _doubtful(m.group(2)):
            return None
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


#: Characters whose constructs the scanner does not follow (code spans, escapes, control
#: characters) and ``<`` unless it opens a ``<br>`` tag (autolinks and HTML can hide brackets).
_UNSAFE_RE = re.compile(r"[`\\\x00-\x09\x0b-\x1f\x7f]|<(?!br\s*/?>)", re.IGNORECASE)
#: Where a label scan stops: brackets and the ``!`` of an image.
_LABEL_STOP_RE = re.compile(r"[\[\]!]")
#: Label text markdown-it would turn into more than text: emphasis, entities, HTML, breaks.
_MARKUP_IN_LABEL_RE = re.compile(r"[*_<\n]|&#?\w+;")  # an entity: text, but not as written
#: A label that is one emphasis run around plain text (``**Title**``): its text is the inside.
_EMPHASIZED_RE = re.compile(r"(\*\*|\*|__|_)([^*_]+)\1")
#: The scanner gives up on text with more brackets than this (markdown-it's nesting limits).
_MAX_BRACKETS = 64
_MAX_DEPTH = 8


class _GiveUp(Exception):
    """The text has a construct the scanner does not follow: markdown-it parses it."""


class _LinkScanner:
    """markdown-it's link and image rules, for text with no code spans, escapes, autolinks,
    HTML other than ``<br>``, nor reference definitions in the document.

    ``link(pos)`` and ``image(pos)`` answer as the rules do in validation mode (the end of the
    link, or -1), ``label_end`` as ``parseLinkLabel`` does; constructs the scanner does not
    follow (a title, spaces around a destination, an angle-bracket destination, markup in a
    label) raise :class:`_GiveUp`. Text brackets balance inside a label, a link cannot hold a
    link (markdown-it gives up the outer one), an image's alt text can hold brackets.
    """

    def __init__(self, src: str) -> None:
        self.src = src
        self.n = len(src)
        self.found: dict[int, tuple[int, int, int, int]] = {}  # start -> end, label end, dest
        self.depth = 0

    def label_end(self, start: int, nested: bool) -> int:
        src, n = self.src, self.n
        level, pos = 1, start + 1
        stop = _LABEL_STOP_RE.search
        while pos < n:
            match = stop(src, pos)
            if match is None:
                return -1
            pos = match.start()
            char = src[pos]
            if char == "]":
                level -= 1
                if level == 0:
                    return pos
                pos += 1
            elif char == "[":
                end = self.link(pos)
                if end < 0:
                    level += 1
                    pos += 1
                elif not nested:
                    return -1  # a link inside a link's label: no outer link
                else:
                    pos = end
            else:  # "!"
                end = self.image(pos) if pos + 1 < n and src[pos + 1] == "[" else -1
                pos = end if end >= 0 else pos + 1
        return -1

    def link(self, pos: int) -> int:
        return self._inline(pos, pos, nested=False)

    def image(self, pos: int) -> int:
        return self._inline(pos, pos + 1, nested=True)

    def _inline(self, start: int, bracket: int, nested: bool) -> int:
        known = self.found.get(start)
        if known is not None:
            return known[0]
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _GiveUp
        try:
            label = self.label_end(bracket, nested)
        finally:
            self.depth -= 1
        end, dest = -1, (0, 0)
        if label >= 0 and label + 1 < self.n and self.src[label + 1] == "(":
            end, dest = self._destination(label + 2)
        self.found[start] = (end, label, *dest)
        return end

    def _destination(self, pos: int) -> tuple[int, tuple[int, int]]:
        """(end of the link, destination range) after ``](``; end -1: no link."""
        src, n = self.src, self.n
        if pos >= n:
            return -1, (0, 0)
        if src[pos] in " \t\n<":
            raise _GiveUp  # spaces, or an angle-bracket destination
        if src[pos] == ")":
            return pos + 1, (pos, pos)  # [label](): a link with an empty destination
        level, end = 0, pos
        while end < n:
            char = src[end]
            if char in " \n":
                break
            if char == "(":
                level += 1
                if level > 32:
                    return -1, (0, 0)
            elif char == ")":
                if level == 0:
                    break
                level -= 1
            end += 1
        if level:
            return -1, (0, 0)
        if _doubtful(src[pos:end]):
            raise _GiveUp
        if end >= n:
            return -1, (0, 0)
        if src[end] != ")":
            raise _GiveUp  # a title may follow
        return end + 1, (pos, end)

    def links(self, start: int, end: int, images_only: bool, out: list[tuple[int, ...]]) -> None:
        """The links and images markdown-it's tokenizer produces in ``src[start:end]``, as
        (kind, start, end, label end, destination start, destination end), in token order."""
        src = self.src
        pos = start
        while True:
            at = src.find("[", pos, end)
            if at < 0:
                return
            if at > pos and src[at - 1] == "!" and self.image(at - 1) >= 0:
                self._emit(1, at - 1, out)
                pos = self.found[at - 1][0]
                continue
            if not images_only and self.link(at) >= 0:
                self._emit(0, at, out)
                pos = self.found[at][0]
                continue
            pos = at + 1

    def _emit(self, kind: int, start: int, out: list[tuple[int, ...]]) -> None:
        end, label, dest_start, dest_end = self.found[start]
        out.append((kind, start, end, label, dest_start, dest_end))
        if kind == 0:
            self.links(start + 1, label, True, out)  # images inside the label, after it


def _label_text(label: str) -> str | None:
    """The plain text of a link label markdown-it reads as text, or as one emphasis run around
    text (between ``[`` and ``]``, both punctuation, the run opens and closes whatever the
    text's first and last characters, unless they are spaces); None for other markup."""
    match = _EMPHASIZED_RE.fullmatch(label)
    if match is not None:
        label = match.group(2)
        if label[0].isspace() or label[-1].isspace():
            return None
    return None if _MARKUP_IN_LABEL_RE.search(label) else label


def fast_links(content: str, inline: InlineMap, source: Source) -> list[Link] | None:
    """The links and images of a block without the inline parser, or None (use markdown-it).

    The common shape (plain ``[label](url)`` links) is read by a regular expression, other
    text by :class:`_LinkScanner`, which follows brackets as markdown-it does: it is exact on
    text with no code spans, escapes, autolinks, HTML but ``<br>``, control characters, link
    titles or markup inside labels but one emphasis run. The caller runs it only for documents
    without reference definitions. Where it answers, the result equals :func:`links_of` over
    markdown-it's tokens (tests compare the two).
    """
    simple = _simple_links(content, inline, source)
    if simple is not None:
        return simple
    return _scanned_links(content, inline, source)


def _scanned_links(content: str, inline: InlineMap, source: Source) -> list[Link] | None:
    if content.count("[") > _MAX_BRACKETS or _UNSAFE_RE.search(content):
        return None
    scanner = _LinkScanner(content)
    found: list[tuple[int, ...]] = []
    try:
        scanner.links(0, len(content), False, found)
    except _GiveUp:
        return None
    links: list[Link] = []
    single = len(inline.starts) == 1
    line = source.position(inline.origins[0])[0] if single else 0
    for index, (kind, start, end, label_end, dest_start, dest_end) in enumerate(found):
        if kind == 1:
            label = content[start + 2 : label_end]
            if "[" in label or "]" in label or _MARKUP_IN_LABEL_RE.search(label):
                return None
        else:
            label = content[start + 1 : label_end]
            inner = [f for f in found[index + 1 :] if f[1] < label_end]
            for image in reversed(inner):  # an image's text is not the link's
                label = label[: image[1] - start - 1] + label[image[2] - start - 1 :]
            text = _label_text(label)
            if text is None:
                return None
            label = text
        span = inline.span(start, end)
        links.append(
            Link(
                label,
                content[dest_start:dest_end],
                span,
                inline.span(dest_start, dest_end),
                line if single else source.position(span.start)[0],
                image=kind == 1,
            )
        )
    return links
