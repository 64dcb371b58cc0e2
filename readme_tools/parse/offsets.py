"""Offset mapping: from offsets in a block's inline content to offsets in ``Source.text``.

markdown-it hands each block's inline content over with the container's markers and
indentation removed (``- [x] **A**: …`` → ``[x] **A**: …``, a summary's two-space indent
gone). :class:`InlineMap` remembers where each content line starts in the source so that link
and entry-part offsets can be mapped back exactly.
"""

from __future__ import annotations

import bisect
from typing import NamedTuple

from readme_tools.model import Span
from readme_tools.source import Source

__all__ = ["TRIM", "InlineMap", "inline_pos", "map_in_line", "map_lines"]

TRIM = " \t\n\r\x0b\x0c"  # what markdown-it strips around inline content


class InlineMap(NamedTuple):
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


def map_lines(source: Source, content: str, first_line: int) -> InlineMap:
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
        stripped = text.rstrip(TRIM) if i == last else text
        k = len(stripped) - len(piece)
        if k < 0 or stripped[k:] != piece:
            found = text.find(piece)
            k = found if found >= 0 else max(0, k)
        starts.append(pos)
        origins.append(line_start + k)
        pos += len(piece) + 1
    return InlineMap(content, tuple(starts), tuple(origins))


def map_in_line(source: Source, content: str, line0: int, cursor: int = 0) -> tuple[InlineMap, int]:
    """Locate single-line ``content`` in source line ``line0`` (0-based) from ``cursor``."""
    line_start, line_end = source.line_span(line0 + 1)
    text = source.text[line_start:line_end]
    found = text.find(content, cursor) if content else cursor
    k = found if found >= 0 else cursor
    return InlineMap(content, (0,), (line_start + k,)), k + len(content)


def inline_pos(inline: InlineMap, source_offset: int) -> int:
    """Inverse of :meth:`InlineMap.to_source` (for offsets inside the content)."""
    if len(inline.origins) == 1:
        return source_offset - inline.origins[0]
    index = max(bisect.bisect_right(inline.origins, source_offset) - 1, 0)
    return inline.starts[index] + source_offset - inline.origins[index]
