"""The block parser: markdown-it-py configured for paper lists, with link source ranges.

markdown-it-py does the block parse of the whole file; its inline rules are disabled here and
run lazily (:mod:`readme_tools.parse.inline`), only where the model needs them. The link,
image and autolink rules are wrapped so that every link token records its exact source range
(``token.meta["src"]``) and the range of its destination (``token.meta["dest"]``).

Nesting: the ``commonmark`` preset stops at 20 nested blocks and skips the rest of the
innermost container (a list item 18 spaces deep that opens a block quote swallowed the rest
of a 2,500-line file). GitHub's cmark-gfm has no such small limit, so blocks nest up to
:data:`MAX_NESTING` here (as deep as Python's recursion allows with room to spare), and
should a document go deeper, the lines markdown-it skips are marked by a ``parse_limit``
token (``map``: the skipped lines) that the model turns into a finding. Inline markup keeps
markdown-it's default of 20 (:func:`inline_markdown`); deeper inline markup stays text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkLabel
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from readme_tools.chunks import Chunk
from readme_tools.source import Source

__all__ = [
    "LIMIT_TOKEN",
    "MAX_NESTING",
    "block_parse",
    "chunk_block",
    "inline_markdown",
    "markdown",
    "parser_for",
]

#: How deep blocks may nest (list items, block quotes: a list item is two levels).
MAX_NESTING = 400
#: The type of the token that marks lines the block parser skipped (nesting too deep).
LIMIT_TOKEN = "parse_limit"


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


def _configured(options: dict[str, Any]) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, **options}).enable("table")
    md.disable("inline")  # run lazily, only where the model needs it
    ruler = md.inline.ruler
    from markdown_it.rules_inline import autolink, image, link

    ruler.at("link", _tracking(link, image=False))
    ruler.at("image", _tracking(image, image=True))
    ruler.at("autolink", _tracking(autolink, image=False))
    return md


@cache
def markdown(references: bool = True) -> MarkdownIt:
    """The block parser: CommonMark + HTML + tables, blocks nested up to :data:`MAX_NESTING`.

    Its inline rules are those of :func:`inline_markdown` (links tracked), disabled in the
    block parse. ``references=False``: without the link reference definition rule, for text
    that cannot hold one (:func:`parser_for`).
    """
    md = _configured({"maxNesting": MAX_NESTING})
    if not references:
        md.disable("reference")
    tokenize = md.block.tokenize

    def limited(state: StateBlock, start: int, end: int) -> None:
        if state.level >= MAX_NESTING:
            first = state.skipEmptyLines(start)
            if first < end and state.sCount[first] >= state.blkIndent:
                token = state.push(LIMIT_TOKEN, "", 0)  # markdown-it skips first..end
                token.map = [first, end]
        tokenize(state, start, end)

    md.block.tokenize = limited  # type: ignore[method-assign, assignment]
    return md


@cache
def inline_markdown() -> MarkdownIt:
    """The inline parser: links, images and autolinks record their source ranges."""
    return _configured({})


def parser_for(text: str) -> MarkdownIt:
    """The block parser for ``text``: a link reference definition needs ``]:`` (its label
    is followed by the colon at once), so text without one is parsed without markdown-it's
    reference rule, which gathers the whole paragraph behind every line that starts with
    ``[`` before it looks for the colon (a fifth of the block parse of a list of
    ``[Title](url)`` lines). The tokens are the same."""
    return markdown("]:" in text)


def block_parse(text: str) -> tuple[list[Token], dict[str, Any]]:
    """Block tokens of ``text`` and the parse environment (link reference definitions)."""
    env: dict[str, Any] = {}
    return parser_for(text).parse(text, env), env


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
    text = source.text[begin:end]
    tokens = parser_for(text).parse(text, {})
    if chunk.start:
        for token in tokens:
            if token.map is not None:
                token.map = [token.map[0] + chunk.start, token.map[1] + chunk.start]
    return tokens
