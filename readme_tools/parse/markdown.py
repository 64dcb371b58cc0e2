"""The block parser: markdown-it-py configured for paper lists, with link source ranges.

markdown-it-py does the block parse of the whole file; its inline rules are disabled here and
run lazily (:mod:`readme_tools.parse.inline`), only where the model needs them. The link,
image and autolink rules are wrapped so that every link token records its exact source range
(``token.meta["src"]``) and the range of its destination (``token.meta["dest"]``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from readme_tools.chunks import Chunk
from readme_tools.source import Source

__all__ = ["block_parse", "chunk_block", "markdown"]


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
    """The shared parser: CommonMark + HTML + tables, inline rules off, links tracked."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.disable("inline")  # run lazily, only where the model needs it
    ruler = md.inline.ruler
    from markdown_it.rules_inline import autolink, image, link

    ruler.at("link", _tracking(link, image=False))
    ruler.at("image", _tracking(image, image=True))
    ruler.at("autolink", _tracking(autolink, image=False))
    return md


def block_parse(text: str) -> tuple[list[Token], dict[str, Any]]:
    """Block tokens of ``text`` and the parse environment (link reference definitions)."""
    env: dict[str, Any] = {}
    return markdown().parse(text, env), env


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
