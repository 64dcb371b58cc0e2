"""Finding the table of contents: which top-level list of the document is the TOC.

In order: (1) the first list after a heading named like a TOC (``options.headings``) if at
least half its items start with an in-page link; (2) the first list after a TOC marker comment
(``<!-- toc -->``, doctoc's ``<!-- START doctoc -->``); (3) the leading top-level list if 80%
of its items are in-page links, no list with external links comes before it, and it reads as
a table of contents (:func:`reads_as_toc`): its items name the headings they point at, in
document order, and cover most headings of the levels they list. Any other list of in-page
links (``- [the beta part explains why](#beta)``) is not a TOC, so nothing regenerates it.

:func:`parse_toc_chunks` is the same decision for an incremental parse: it parses just the
chunks the decision reads.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from typing import Literal, NamedTuple
from urllib.parse import unquote

from markdown_it.token import Token

from readme_tools.chunks import Chunk
from readme_tools.config import TocOptions
from readme_tools.parse.inline import inline_tokens, plain_text
from readme_tools.parse.markdown import chunk_block, markdown
from readme_tools.slugger import Slugger
from readme_tools.source import Source

__all__ = [
    "TOC_MARKER_RE",
    "TocList",
    "close_index",
    "find_toc_list",
    "is_toc_heading",
    "names_heading",
    "parse_toc_chunks",
    "reads_as_toc",
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


# Small words a TOC may leave out of a heading's text ("3D Understanding (LLM)" for
# "3D Understanding via LLM").
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "via",
        "vs",
        "with",
    ]
)


def names_heading(item_text: str, heading_text: str) -> bool:
    """A TOC item's text names the heading: the same words, case, punctuation, emoji, markup
    and small words (via, of, and, …) aside."""
    item, heading = _letters(item_text), _letters(heading_text)
    if item == heading:
        return True
    return bool(item) and set(item) - _SMALL_WORDS == set(heading) - _SMALL_WORDS


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
        candidate = TocList(leading[1], close_of[leading[1]], None)
        return candidate if reads_as_toc(tokens, candidate) else None
    return None


# --------------------------------------------------------------------------- a real TOC?

# "[text](#fragment)": the first in-page link of an item's head.
_ITEM_LINK_RE = re.compile(r"\[((?:[^\[\]\n]|\[[^\]\n]*\])*)\]\(\s*<?#([^)\s>]*)")
NAMED_SHARE = 0.6  # items that name the heading they point at
ORDER_SHARE = 0.6  # of those, in document order (TOCs drift: DWCTOD lists 71%)
COVERAGE_SHARE = 0.5  # of the headings of the listed levels below the list


def _item_links(tokens: Sequence[Token], start: int, end: int) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for j in range(start, end):
        if tokens[j].type == "list_item_open" and tokens[j + 1].type == "paragraph_open":
            match = _ITEM_LINK_RE.search(tokens[j + 2].content)
            if match is not None:
                out.append((match.group(1), unquote(match.group(2))))
    return out


def _headings(tokens: Sequence[Token]) -> list[tuple[int, int, str, str]]:
    """(token index, level, rendered text, GitHub anchor) of every heading."""
    md = markdown()
    slugger = Slugger()
    out: list[tuple[int, int, str, str]] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            text = plain_text(inline_tokens(md, tokens[i + 1].content, {}))
            out.append((i, int(token.tag[1]), text, slugger.slug(text)))
    return out


def reads_as_toc(tokens: Sequence[Token], found: TocList) -> bool:
    """The list's items name the headings they point at (or their text names one), mostly in
    document order, covering at least half the headings of the levels they list that follow
    the list. Reads only the list and the headings, so an incremental parse (which keeps every
    heading) decides as a full one does."""
    items = _item_links(tokens, found.start, found.end)
    if len(items) < 2:
        return False
    headings = _headings(tokens)
    by_anchor = {anchor.lower(): k for k, (_, _, _, anchor) in enumerate(headings)}
    named: list[int] = []
    for text, fragment in items:
        k = by_anchor.get(fragment.lower())
        if k is not None and names_heading(text, headings[k][2]):
            named.append(k)
            continue
        k = next((n for n, h in enumerate(headings) if names_heading(text, h[2])), None)
        if k is not None:
            named.append(k)
    if len(named) < NAMED_SHARE * len(items):
        return False
    if _increasing(named) < ORDER_SHARE * len(named):
        return False
    levels = {headings[k][1] for k in named}
    below = [k for k, h in enumerate(headings) if h[0] > found.end and h[1] in levels]
    listed = set(named)
    return not below or sum(1 for k in below if k in listed) >= COVERAGE_SHARE * len(below)


def _increasing(values: Sequence[int]) -> int:
    """Length of the longest strictly increasing subsequence of ``values``."""
    tails: list[int] = []
    for value in values:
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
        else:
            tails[at] = value
    return len(tails)


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
