"""``<!-- readme-tools:NAME ARGS -->`` marker comments: the stats block's bounds, a section's
order, a pinned entry.

Markers are HTML comments on lines of their own (HTML blocks, so a marker shown inside a
code block is not one). :func:`markers` finds them with one block parse, and only when the
text mentions ``readme-tools:`` at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from readme_tools.model import Document, Entry
from readme_tools.parse.markdown import block_parse

__all__ = ["PIN", "Marker", "markers", "pinned"]

MARKER_RE = re.compile(r"<!--[ \t]*(/?)readme-tools:([a-z][a-z-]*)((?:[ \t]+[^\s>]+)*)[ \t]*-->")
PIN = "<!-- readme-tools:pin -->"


@dataclass(frozen=True)
class Marker:
    name: str  # "stats", "/stats", "order"
    args: tuple[str, ...]
    start: int  # offsets of the comment in Source.text
    end: int
    line: int
    line_start: int  # offset of the comment's line
    line_end: int  # offset after the line's newline


_memo: dict[str, Any] = {}


def markers(doc: Document) -> tuple[Marker, ...]:
    """Every marker comment of ``doc`` in HTML blocks, in order (memoised per document)."""
    if _memo.get("doc") is doc:
        found: tuple[Marker, ...] = _memo["value"]
        return found
    found = _find(doc)
    _memo.update(doc=doc, value=found)
    return found


def _find(doc: Document) -> tuple[Marker, ...]:
    source = doc.source
    text = source.text
    if "readme-tools:" not in text:
        return ()
    tokens, _ = block_parse(text)
    out: list[Marker] = []
    for token in tokens:
        if token.type != "html_block" or token.map is None or "readme-tools:" not in token.content:
            continue
        first, last = token.map[0] + 1, token.map[1]
        for line in range(first, last + 1):
            if line > source.line_count:
                break
            start, end = source.line_span(line)
            match = MARKER_RE.fullmatch(text[start:end].strip())
            if match is None:
                continue
            offset = text.index(match.group(0), start)
            line_end = end + 1 if end < len(text) and text[end] == "\n" else end
            out.append(
                Marker(
                    name=match.group(1) + match.group(2),
                    args=tuple(match.group(3).split()),
                    start=offset,
                    end=offset + len(match.group(0)),
                    line=line,
                    line_start=start,
                    line_end=line_end,
                )
            )
    return tuple(out)


def pinned(entry: Entry) -> bool:
    """Whether the entry's line carries ``<!-- readme-tools:pin -->`` (it never moves)."""
    return "readme-tools:pin" in entry.head and PIN.replace(" ", "") in entry.head.replace(" ", "")
