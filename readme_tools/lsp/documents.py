"""Open documents as the server holds them: text, version and LSP positions.

The server keeps its own copy of each open document instead of pygls's workspace: applying an
incremental change here touches only the changed lines (pygls re-splits the whole text, about
50 ms per keystroke on a 16 MB list) and tells which lines changed, which the incremental lint
needs. Line breaks are LSP's (``\\r\\n``, ``\\r``, ``\\n``), the same ones
:func:`readme_tools.source.decode` normalises, so a document's line *n* is the linter's line
*n + 1* and columns agree in code points. Positions on the wire are counted in the negotiated
``positionEncoding`` (UTF-16 code units unless the client offers UTF-32 or UTF-8).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from readme_tools.source import line_starts as newline_starts

_BREAK: Final = re.compile(r"\r\n|\r|\n")
_ASTRAL: Final = "\U00010000"
# What the linter's decode would change or refuse: a CR (line ends are normalised), NUL
# (binary input), a lone surrogate (not encodable), a BOM (stripped at the start).
_SPECIAL: Final = re.compile("[\r\x00\ud800-\udfff\ufeff]")

UTF8: Final = "utf-8"
UTF16: Final = "utf-16"
UTF32: Final = "utf-32"


@dataclass(frozen=True, slots=True)
class LineEdit:
    """Lines ``first..last`` (0-based, inclusive) of the old text became ``count`` lines."""

    first: int
    last: int
    count: int

    @property
    def delta(self) -> int:
        return self.count - (self.last - self.first + 1)

    def map_line(self, line: int) -> int:
        """Where an old line is now (a line inside the edit: clamped into its new lines)."""
        if line < self.first:
            return line
        if line > self.last:
            return line + self.delta
        return min(line, self.first + self.count - 1)


def line_starts(text: str) -> list[int]:
    """Offset of the first character of every line (LSP line breaks)."""
    if "\r" not in text:
        return list(newline_starts(text))
    return [0, *(m.end() for m in _BREAK.finditer(text))]


def split_lines(text: str) -> list[str]:
    """``text`` cut after each LSP line break (``str.splitlines`` also cuts at U+2028 etc.)."""
    starts = line_starts(text)
    ends = [*starts[1:], len(text)]
    return [text[a:b] for a, b in zip(starts, ends, strict=True) if b > a]


def units(text: str, encoding: str) -> int:
    """Length of ``text`` in the code units of ``encoding``."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF16:
        return len(text) + sum(1 for ch in text if ch >= _ASTRAL)
    return len(text.encode("utf-8", "surrogatepass"))


def column_of(line: str, count: int, encoding: str) -> int:
    """The code-point column ``count`` code units into ``line`` (clamped to the line)."""
    if encoding == UTF32 or line.isascii():
        return max(0, min(count, len(line)))
    used = 0
    for index, ch in enumerate(line):
        if used >= count:
            return index
        if encoding == UTF16:
            used += 2 if ch >= _ASTRAL else 1
        else:
            used += len(ch.encode("utf-8", "surrogatepass"))
    return len(line)


class Document:
    """One open text document."""

    def __init__(self, uri: str, text: str, version: int, encoding: str = UTF16) -> None:
        self.uri = uri
        self.version = version
        self.encoding = encoding
        self.text = text
        self._starts = line_starts(text)
        self._plain = _is_plain(text)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line(self, index: int) -> str:
        """Line ``index`` (0-based) without its line break; '' past the end."""
        if not 0 <= index < len(self._starts):
            return ""
        start = self._starts[index]
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def plain_starts(self) -> tuple[int, ...] | None:
        """The line starts when the text is what the linter's decode would make of it.

        That is: ``\n`` line ends only, no NUL, BOM or lone surrogate. Kept up to date from
        each change's inserted text, so the check does not rescan a large document; a
        deletion may leave it pessimistic (None), which only costs the slower path.
        """
        return tuple(self._starts) if self._plain else None

    # ----------------------------------------------------------------- positions

    def offset(self, line: int, character: int) -> int:
        """Text offset of an LSP position (clamped into the document)."""
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self.text)
        column = column_of(self.line(line), character, self.encoding)
        return self._starts[line] + column

    def to_client(self, line: int, column: int) -> tuple[int, int]:
        """A 0-based line and code-point column as an LSP (line, character)."""
        if line >= len(self._starts):
            last = len(self._starts) - 1
            return last, units(self.line(last), self.encoding)
        text = self.line(line)
        column = max(0, min(column, len(text)))
        return line, units(text[:column], self.encoding)

    def end(self) -> tuple[int, int]:
        """The LSP position just past the last character."""
        last = len(self._starts) - 1
        return last, units(self.line(last), self.encoding)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset) - 1

    # ----------------------------------------------------------------- changes

    def replace(self, text: str, version: int) -> LineEdit:
        """A full-text change; the lines that differ are found by comparing both texts."""
        old = self._line_texts()
        self.text = text
        self._starts = line_starts(text)
        self._plain = _is_plain(text)
        self.version = version
        new = self._line_texts()
        prefix = 0
        limit = min(len(old), len(new))
        while prefix < limit and old[prefix] == new[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
            suffix += 1
        # Report at least one new line and one old line: a deletion changes the line after it.
        while (len(new) - suffix - prefix < 1 or len(old) - suffix - prefix < 1) and (
            prefix or suffix
        ):
            if prefix:
                prefix -= 1
            else:
                suffix -= 1
        return LineEdit(prefix, len(old) - suffix - 1, len(new) - suffix - prefix)

    def _line_texts(self) -> list[str]:
        """Every line with its line break (the last one maybe empty)."""
        starts = self._starts
        ends = [*starts[1:], len(self.text)]
        return [self.text[a:b] for a, b in zip(starts, ends, strict=True)]

    def apply(
        self, start: tuple[int, int], end: tuple[int, int], new: str, version: int
    ) -> LineEdit:
        """An incremental change: the text between two LSP positions becomes ``new``."""
        a = self.offset(*start)
        b = max(a, self.offset(*end))
        first = self.line_of(a)
        last = self.line_of(b)
        if first > 0 and self.text[self._starts[first] - 1] == "\r":
            first -= 1  # an inserted "\n" may join the lone "\r" before into one line break
        lo = self._starts[first]
        has_tail = last + 1 < len(self._starts)
        hi = self._starts[last + 1] if has_tail else len(self.text)
        self.text = self.text[:a] + new + self.text[b:]
        if self._plain and _SPECIAL.search(new):
            self._plain = False
        shift = len(new) - (b - a)
        new_hi = hi + shift
        middle = [lo + s for s in line_starts(self.text[lo:new_hi])]
        if has_tail:
            middle.pop()  # the region ends with its (unchanged) line break: the tail's start
        self._starts[first:] = middle + [s + shift for s in self._starts[last + 1 :]]
        self.version = version
        return LineEdit(first, last, len(middle))


def _is_plain(text: str) -> bool:
    return _SPECIAL.search(text) is None


def shift_lines(lines: Iterable[int], edits: Iterable[LineEdit]) -> set[int]:
    """0-based ``lines`` after ``edits`` (in order); every line an edit wrote is added."""
    out = set(lines)
    for edit in edits:
        out = {edit.map_line(n) for n in out}
        out.update(range(edit.first, edit.first + edit.count))
    return out


def map_through(line: int, edits: Iterable[LineEdit]) -> int:
    for edit in edits:
        line = edit.map_line(line)
    return line
