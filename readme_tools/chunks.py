"""Stage 2a: text → top-level chunks that markdown-it parses the same alone as in place.

A line starting with ``#`` + space (an ATX heading at column 0) closes every open block —
paragraphs, lists, block quotes, tables — except a fenced code block or an HTML block that
is still open at the top level. :func:`split` cuts the text before every such heading that is
certainly not inside one, so each chunk's block tokens, parsed alone and shifted by the
chunk's first line, equal the whole document's tokens for those lines (a hypothesis test
checks this against markdown-it on generated documents with fences, HTML blocks of every
kind, lists, quotes, tables and setext headings).

The scan is deliberately conservative: where it cannot be sure it stops cutting (an indented
fence, a fence-like line inside an HTML block, …), and a document with link reference
definitions is not cut at all (a definition anywhere changes how links parse everywhere).

A chunk is *plain* when it holds nothing the document model collects outside its entries:
no heading other than its first line, no fence, no HTML block, comment or ``id``/``name``
anchor, no setext underline. An incremental run can leave an unchanged plain chunk
unparsed and take what document-wide rules need about its entries from a cache
(:mod:`readme_tools.incremental`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple

from markdown_it.rules_block.html_block import HTML_SEQUENCES

from readme_tools.source import line_starts as _line_starts

__all__ = ["Chunk", "split"]


class Chunk(NamedTuple):
    start: int  # first line, 0-based
    end: int  # line after the last, 0-based
    heading: bool  # the first line is an ATX heading
    plain: bool


_ATX: Final = re.compile(r"#{1,6}(?:[ \t]|$)")
_FENCE: Final = re.compile(r"(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_CLOSER: Final = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*$")
# A heading, fence or HTML block start, maybe inside list items or block quotes; a line of
# "=" or "-" (a setext underline when it follows a text line).  Over-matching costs speed only.
_BLOCKISH: Final = re.compile(r"[ \t>*+\-\d.)]*(?:#|```|~~~|<)")
_UNDERLINE: Final = re.compile(r"[ \t>]*(?:=+|-+)[ \t]*$")
# Anywhere in a chunk: comments (and control comments), id/name anchors.
_INLINE_HTML: Final = re.compile(r"<!--|<[A-Za-z][^<>]*?\s(?:id|name)\s*=", re.IGNORECASE)
_LEADS: Final = frozenset("#`~<")
_SMALL_INDENTS: Final = frozenset(("", " ", "  ", "   "))


def _html_end(lines: list[str], index: int, body: str) -> int:
    """Last line of the HTML block that may start at ``lines[index]`` (``index - 1``: none)."""
    for start, end, _ in HTML_SEQUENCES:
        if start.search(body):
            if end.pattern == "^$":
                j = index + 1
                while j < len(lines) and lines[j].strip(" \t"):
                    j += 1
                return j - 1
            j = index
            while j < len(lines) and not end.search(lines[j]):
                j += 1
            return min(j, len(lines) - 1)
    return index - 1


def split(text: str, line_starts: Sequence[int] | None = None) -> tuple[Chunk, ...] | None:
    """Cut ``text`` into independently parseable chunks; None when it must not be cut.

    ``line_starts``: the offset of each line, when the caller has them (``Source``).
    """
    if "]:" in text:
        return None  # maybe a link reference definition: it changes links everywhere
    lines = text.split("\n")
    cuts: list[int] = []
    special: list[int] = []  # lines that make their chunk not plain
    fence: tuple[str, int] | None = None  # the open top-level fence: (char, length)
    html_until = -1  # last line of the HTML block (or what may be one) we are in
    stopped = False  # no more cuts (something the scan cannot judge)
    for index, line in enumerate(lines):
        first = line[:1]
        if first == "" or first.isalpha() or (first == "-" and line[1:3] == " ["):
            continue  # the common lines: blank lines, text, entries
        if not _BLOCKISH.match(line):
            if _UNDERLINE.match(line) and index and lines[index - 1].strip(" \t>"):
                special.append(index)
            continue
        special.append(index)
        if stopped:
            continue
        body = line.lstrip(" \t")
        lead = body[:1]
        if lead not in _LEADS:
            continue
        if fence is not None:
            closer = _CLOSER.match(line)
            if closer and closer.group(1)[0] == fence[0] and len(closer.group(1)) >= fence[1]:
                fence = None
            continue
        indent = line[: len(line) - len(body)]
        opener = _FENCE.match(body) if lead in "`~" else None
        if opener and opener.group("fence")[0] == "`" and "`" in opener.group("info"):
            opener = None  # a code span starting a paragraph, not a fence
        if opener:
            if index <= html_until or (indent and indent in _SMALL_INDENTS) or "\t" in indent:
                stopped = True  # in an HTML block? in a list item? cannot tell: stop cutting
            elif not indent:
                fence = (opener.group("fence")[0], len(opener.group("fence")))
            continue  # indented by 4 or more: code or inside a list item, closed by a heading
        if lead == "<":
            if indent in _SMALL_INDENTS:
                html_until = max(html_until, _html_end(lines, index, body))
            continue
        if not indent and index > html_until and index > 0 and _ATX.match(line):
            cuts.append(index)
    starts = [*(line_starts if line_starts is not None else _line_starts(text)), len(text)]
    bounds = [0, *cuts, len(lines)]
    chunks = []
    marks = iter(special)
    mark = next(marks, len(lines))
    for k in range(len(bounds) - 1):
        start, end = bounds[k], bounds[k + 1]
        heading = k > 0 or _ATX.match(lines[0]) is not None
        body_start = start + 1 if heading else start
        while mark < body_start:
            mark = next(marks, len(lines))
        plain = mark >= end
        if plain and text.find("<", starts[start], starts[end]) >= 0:
            plain = _INLINE_HTML.search(text, starts[start], starts[end]) is None
        chunks.append(Chunk(start, end, heading, plain))
    return tuple(chunks)
