"""Finding the table of contents: which top-level list of the document is the TOC.

In order: (1) the first list after a heading named like a TOC (``options.headings``) if at
least half its items start with an in-page link; (2) the first list after a TOC marker comment
(``<!-- toc -->``, doctoc's ``<!-- START doctoc -->``); (3) the leading top-level list if 80%
of its items are in-page links and no list with external links comes before it.

:func:`parse_toc_chunks` is the same decision for an incremental parse: it parses just the
chunks the decision reads.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Literal, NamedTuple

from markdown_it.token import Token

from readme_tools.chunks import Chunk
from readme_tools.config import TocOptions
from readme_tools.parse.markdown import chunk_block
from readme_tools.source import Source

__all__ = [
    "TOC_MARKER_RE",
    "TocList",
    "close_index",
    "find_toc_list",
    "is_toc_heading",
    "parse_toc_chunks",
]

TOC_MARKER_RE = re.compile(r"<!--\s*(?:toc|START doctoc\b[^>]*)\s*-->", re.IGNORECASE)
# A TOC item starts with an in-page link, possibly after an emoji or other non-word prefix.
_ANCHOR_HEAD_RE = re.compile(r"^[^\w\[\]`<]{0,8}(?:\*\*|__)?\[[^\]]*\]\(#")


class TocList(NamedTuple):
    """Token indices of the TOC list: its opening, its closing and its heading (or None)."""

    start: int
    end: int
    heading: int | None


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
    """Whether a heading's text is one of ``names`` (case, emoji, punctuation ignored)."""
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


def _first_list(tokens: Sequence[Token], start: int, stop_at_heading: bool) -> int | None:
    """Index of the first top-level list opening at or after ``start``."""
    for j in range(start, len(tokens)):
        kind = tokens[j].type
        if kind in ("bullet_list_open", "ordered_list_open") and tokens[j].level == 0:
            return j
        if stop_at_heading and kind == "heading_open":
            return None
    return None


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


def _by_heading(
    tokens: Sequence[Token], close_of: dict[int, int], options: TocOptions
) -> TocList | None:
    """Rule 1: the list after the first heading named like a TOC, if mostly in-page links."""
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and is_toc_heading(tokens[i + 1].content, options.headings):
            found = _first_list(tokens, i + 3, stop_at_heading=True)
            if found is not None and _anchor_ratio(tokens, found, close_of[found]) >= 0.5:
                return TocList(found, close_of[found], i)
    return None


def _markers(tokens: Sequence[Token]) -> list[int]:
    """Indices of explicit TOC marker comments (``<!-- toc -->``, doctoc's)."""
    return [
        i
        for i, token in enumerate(tokens)
        if token.type == "html_block" and TOC_MARKER_RE.search(token.content)
    ]


def _leading_list(
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


def find_toc_list(
    tokens: Sequence[Token], close_of: dict[int, int], options: TocOptions
) -> TocList | None:
    """The TOC list of a document's block tokens, by the three rules of this module."""
    by_heading = _by_heading(tokens, close_of, options)
    if by_heading is not None:
        return by_heading
    for i in _markers(tokens):
        found = _first_list(tokens, i + 1, stop_at_heading=False)
        if found is not None:
            return TocList(found, close_of[found], None)
    leading = _leading_list(tokens, close_of)
    if leading is not None and leading[0] == "toc":
        return TocList(leading[1], close_of[leading[1]], None)
    return None


def parse_toc_chunks(
    source: Source,
    chunks: Sequence[Chunk],
    blocks: dict[int, list[Token]],
    options: TocOptions,
) -> None:
    """Parse (into ``blocks``, by chunk index) the chunks the TOC decision reads.

    For an incremental parse that leaves most chunks unparsed: with these chunks parsed, the
    decision is the one :func:`find_toc_list` makes on the whole document. Chunks with a
    TOC-like heading are parsed (rule 1 then reads only parsed chunks); marker comments live in
    chunks that are not plain, so are parsed already; for the other two rules, chunks are
    parsed in order up to the deciding list.
    """

    def tokens_of(index: int) -> list[Token]:
        if index not in blocks:
            blocks[index] = chunk_block(source, chunks[index])
        return blocks[index]

    for index, chunk in enumerate(chunks):
        if chunk.heading and is_toc_heading(source.line(chunk.start + 1), options.headings):
            tokens_of(index)
    for index in sorted(blocks):
        tokens = blocks[index]
        if _by_heading(tokens, close_index(tokens), options) is not None:
            return
    for index in sorted(blocks):
        markers = _markers(blocks[index])
        if markers:
            for later in range(index, len(chunks)):
                start = markers[0] + 1 if later == index else 0
                if _first_list(tokens_of(later), start, stop_at_heading=False) is not None:
                    return
            break
    for index in range(len(chunks)):
        tokens = tokens_of(index)
        if _leading_list(tokens, close_index(tokens)) is not None:
            return
