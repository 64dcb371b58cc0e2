"""Stage 1: bytes → text.

Decodes a file's bytes as UTF-8, strips a BOM, normalises line endings to ``\\n`` and keeps
everything needed to map offsets in the normalised text back to the original file (line numbers
are unchanged by the normalisation, and so are columns, because only line terminators change).

Invalid UTF-8 does not raise: each invalid byte run is decoded as U+FFFD and recorded with its
byte offset, so the ``encoding`` rule can report it and the formatter can refuse to write.
"""

from __future__ import annotations

import bisect
import codecs
import contextvars
import functools
import re
from dataclasses import dataclass, field

BOM = "\ufeff"
_NEWLINE_RE = re.compile(r"\r\n|\r|\n")


class InputError(Exception):
    """Input that cannot be linted at all (binary, unreadable). One line, exit code 2."""


@dataclass(frozen=True, slots=True)
class InvalidBytes:
    """A run of bytes that is not valid UTF-8."""

    byte_offset: int
    length: int
    line: int
    column: int
    offset: int  # offset of the U+FFFD in the decoded text


@dataclass(frozen=True)
class Source:
    """A decoded document.

    ``text`` is what every later stage sees: BOM removed, every line ending turned into ``\\n``.
    Offsets (0-based, in characters) index ``text``; ``position`` turns them into the 1-based
    line and column of the original file.
    """

    path: str
    text: str
    had_bom: bool = False
    line_endings: tuple[str, ...] = ()
    invalid: tuple[InvalidBytes, ...] = ()
    encoding_guess: str | None = None  # a legacy encoding the bytes decode in, when not UTF-8
    line_starts: tuple[int, ...] = field(default=(0,), repr=False)

    @functools.cached_property
    def newline(self) -> str:
        """The dominant line ending of the original file (``\\n`` for a file with none).

        Computed once: every fix of a finding asks for it (:func:`readme_tools.engine.resolve`).
        """
        counts: dict[str, int] = {}
        for ending in self.line_endings:
            if ending:
                counts[ending] = counts.get(ending, 0) + 1
        if not counts:
            return "\n"
        return max(counts, key=lambda k: (counts[k], k == "\n"))

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a text offset."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def offset(self, line: int, column: int = 1) -> int:
        """Text offset of a 1-based (line, column)."""
        line = max(1, min(line, len(self.line_starts)))
        return self.line_starts[line - 1] + column - 1

    def line_span(self, line: int) -> tuple[int, int]:
        """(start, end) offsets of a 1-based line, without its newline."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return start, end

    def lines_span(self, first: int, last: int) -> tuple[int, int]:
        """(start, end) offsets of 1-based lines ``first``..``last``, with the last newline."""
        starts = self.line_starts
        return starts[first - 1], starts[last] if last < len(starts) else len(self.text)

    def line(self, line: int) -> str:
        start, end = self.line_span(line)
        return self.text[start:end]

    def lines(self) -> list[str]:
        return self.text.split("\n")


def line_starts(text: str) -> tuple[int, ...]:
    """Offset of the first character of each line of ``text`` ("\\n" line ends)."""
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return tuple(starts)


_RECORDED: contextvars.ContextVar[list[tuple[int, int]]] = contextvars.ContextVar("_RECORDED")


def _record_invalid(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: note the invalid run's byte range, decode it as U+FFFD."""
    assert isinstance(exc, UnicodeDecodeError)
    end = max(exc.end, exc.start + 1)
    _RECORDED.get().append((exc.start, end))
    return "\ufffd", end


codecs.register_error("readme-tools-record", _record_invalid)


def _decode(raw: bytes) -> tuple[str, list[tuple[int, int, int]]]:
    """Decode UTF-8; invalid runs become U+FFFD. Returns text and (byte_off, len, text_off).

    One decoding pass with an error handler (decoding the rest of the input again after each
    invalid run was quadratic: minutes for a few MB with many invalid bytes).
    """
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    runs: list[tuple[int, int]] = []
    token = _RECORDED.set(runs)
    try:
        text = raw.decode("utf-8", errors="readme-tools-record")
    finally:
        _RECORDED.reset(token)
    bad: list[tuple[int, int, int]] = []
    pos = length = 0
    for start, end in runs:
        length += len(raw[pos:start].decode("utf-8"))
        bad.append((start, end - start, length))
        length += 1
        pos = end
    return text, bad


def decode(raw: bytes, path: str = "<stdin>") -> Source:
    """Turn a file's bytes into a :class:`Source`.

    Raises :class:`InputError` for input that is not text at all (NUL bytes).
    """
    if b"\x00" in raw[:8192] or (b"\x00" in raw and raw.count(b"\x00") > len(raw) // 1000):
        raise InputError(f"{path}: binary file (contains NUL bytes), not a markdown text file")
    had_bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if had_bom else raw
    text, bad = _decode(body)
    if "\r" in text:
        endings: list[str] = []
        pieces: list[str] = []
        last = 0
        for match in _NEWLINE_RE.finditer(text):
            pieces.append(text[last : match.start()])
            endings.append(match.group())
            last = match.end()
        pieces.append(text[last:])
        endings.append("")
        # Offsets of invalid bytes shift when \r\n becomes \n; recompute from the pieces.
        normalised = "\n".join(pieces)
        if bad:
            bad = _remap_offsets(text, bad)
        text = normalised
    else:
        count = text.count("\n")
        endings = ["\n"] * count + [""]
    starts = line_starts(text)
    invalid: list[InvalidBytes] = []
    for byte_offset, length, offset in bad:
        line = bisect.bisect_right(starts, offset)
        invalid.append(
            InvalidBytes(
                byte_offset=byte_offset + (3 if had_bom else 0),
                length=length,
                line=line,
                column=offset - starts[line - 1] + 1,
                offset=offset,
            )
        )
    return Source(
        path=path,
        text=text,
        had_bom=had_bom,
        line_endings=tuple(endings),
        invalid=tuple(invalid),
        encoding_guess=guess_encoding(body) if invalid else None,
        line_starts=starts,
    )


LEGACY_ENCODINGS = ("gb18030", "big5", "shift_jis", "euc-kr", "cp1252")


def _in(byte: int, low: int, high: int) -> bool:
    return low <= byte <= high


# Where each double-byte encoding keeps its everyday characters, by lead (and trail) byte:
# GB2312 level 1 and its punctuation; Big5's frequent characters (A440-C67E) and symbols;
# JIS X 0208 symbols, kana and level 1 kanji; KS X 1001 symbols and Hangul. A text in one
# encoding read as another lands mostly outside the other's everyday block (Big5 trail bytes
# 0x40-0x7E never occur in GB2312, GB2312's level-1 leads run past Big5's frequent block).
def _common_gb(lead: int, trail: int) -> bool:
    return (_in(lead, 0xB0, 0xD7) or _in(lead, 0xA1, 0xA3)) and _in(trail, 0xA1, 0xFE)


def _common_big5(lead: int, trail: int) -> bool:
    return _in(lead, 0xA1, 0xC6) and (_in(trail, 0x40, 0x7E) or _in(trail, 0xA1, 0xFE))


def _common_sjis(lead: int, trail: int) -> bool:
    return _in(lead, 0x81, 0x84) or _in(lead, 0x88, 0x98)


def _common_euc_kr(lead: int, trail: int) -> bool:
    return (_in(lead, 0xA1, 0xA3) or _in(lead, 0xB0, 0xC8)) and _in(trail, 0xA1, 0xFE)


_COMMON = {
    "gb18030": _common_gb,
    "big5": _common_big5,
    "shift_jis": _common_sjis,
    "euc-kr": _common_euc_kr,
}


def _common_share(raw: bytes, encoding: str) -> float:
    """The share of ``raw``'s double-byte characters (read in ``encoding``) that lie in that
    encoding's everyday block; 0 when there are none."""
    common = _COMMON[encoding]
    total = hits = i = 0
    end = len(raw) - 1
    while i < end:
        lead = raw[i]
        if lead < 0x80 or (encoding == "shift_jis" and _in(lead, 0xA1, 0xDF)):
            i += 1
            continue
        trail = raw[i + 1]
        total += 1
        if encoding == "gb18030" and _in(trail, 0x30, 0x39):
            i += 4  # a four-byte GB18030 sequence: never everyday text
            continue
        hits += common(lead, trail)
        i += 2
    return hits / total if total else 0.0


def guess_encoding(raw: bytes) -> str | None:
    """The legacy encoding ``raw`` is most plausibly in, among those that decode it.

    Several CJK encodings decode most double-byte text without error (Big5 reads as GB18030
    and the reverse), so among those that do, the one whose everyday characters make up the
    largest share of the text wins; the order of :data:`LEGACY_ENCODINGS` breaks ties.
    """
    decodes = []
    for encoding in LEGACY_ENCODINGS:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        decodes.append(encoding)
    multibyte = [e for e in decodes if e in _COMMON]
    if not multibyte:
        return decodes[0] if decodes else None
    return max(multibyte, key=lambda e: (_common_share(raw, e), -LEGACY_ENCODINGS.index(e)))


def _remap_offsets(original: str, bad: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Map offsets in ``original`` (with \\r\\n) to offsets after newline normalisation."""
    crlf = [m.start() for m in re.finditer("\r\n", original)]
    out = []
    for byte_offset, length, offset in bad:
        shift = bisect.bisect_left(crlf, offset)
        out.append((byte_offset, length, offset - shift))
    return out


def encode(text: str, source: Source | None = None, newline: str | None = None) -> bytes:
    """Inverse of :func:`decode` for writing: restore BOM and line endings of ``source``."""
    nl = newline or (source.newline if source else "\n")
    out = text.replace("\n", nl) if nl != "\n" else text
    data = out.encode("utf-8")
    if source is not None and source.had_bom:
        data = b"\xef\xbb\xbf" + data
    return data
