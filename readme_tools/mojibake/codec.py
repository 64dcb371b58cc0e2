"""Byte-level view of UTF-8 text that was mis-decoded through a Windows code page.

Mojibake of the kind handled here is produced by::

    original.encode("utf-8").decode("cp1254" or "cp1252" or "latin-1")

possibly *dropping* the bytes that the code page does not define (and the soft
hyphen 0xAD, which many tools strip as invisible).  Every mis-decoded character
stands for exactly one byte, so a run of such characters can be turned back into
the byte string it came from and parsed as UTF-8 again.

Because only *continuation* bytes (0x80-0xBF) can be lost, damage always shows
up as a UTF-8 lead byte followed by too few continuation bytes; lead bytes and
ASCII are never lost.  :func:`parse_run` splits a run into pieces (valid
sequences, truncated sequences and stray bytes) and :func:`candidates` lists
every character a truncated sequence may have been.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "CHAR_TO_BYTE",
    "CONTINUATION_CHARS",
    "LEAD_CHARS",
    "LOST_BYTES",
    "Piece",
    "candidates",
    "is_mappable",
    "parse_run",
    "sequence_length",
]


def _build_char_to_byte() -> dict[str, int]:
    """Union of cp1252, cp1254 and latin-1 (C1 controls) as char -> byte.

    The three code pages agree on every byte they all define; where they
    differ (cp1254's Ğ/ğ/İ/ı/Ş/ş versus cp1252's Ð/ð/Ý/ý/Þ/þ, cp1252's Ž/ž,
    latin-1's C1 controls) the characters are distinct, so the union maps each
    character to a single byte.
    """
    table: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        for encoding in ("cp1252", "cp1254", "latin-1"):
            try:
                char = bytes([byte]).decode(encoding)
            except UnicodeDecodeError:
                continue
            previous = table.setdefault(char, byte)
            assert previous == byte, (char, previous, byte)
    return table


CHAR_TO_BYTE: Final[dict[str, int]] = _build_char_to_byte()

#: Bytes that the accident in the issue silently dropped: the five bytes that
#: neither cp1252 nor cp1254 define, the two more that cp1254 leaves undefined
#: (0x8E, 0x9E) and the soft hyphen 0xAD.
LOST_BYTES: Final[tuple[int, ...]] = (0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E, 0xAD)

#: Characters that stand for a UTF-8 lead byte (0xC2-0xF4).
LEAD_CHARS: Final[str] = "".join(sorted(c for c, b in CHAR_TO_BYTE.items() if 0xC2 <= b <= 0xF4))
#: Characters that stand for a UTF-8 continuation byte (0x80-0xBF).
CONTINUATION_CHARS: Final[str] = "".join(
    sorted(c for c, b in CHAR_TO_BYTE.items() if 0x80 <= b <= 0xBF)
)


def is_mappable(char: str) -> bool:
    """True if ``char`` can be the mis-decoding of a single non-ASCII byte."""
    return char in CHAR_TO_BYTE


def sequence_length(lead: int) -> int:
    """Number of bytes of the UTF-8 sequence started by ``lead`` (0 if not a lead byte)."""
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _second_byte_ok(lead: int, second: int) -> bool:
    """UTF-8's restrictions on the byte after E0, ED, F0 and F4 (no overlongs/surrogates)."""
    if lead == 0xE0:
        return 0xA0 <= second <= 0xBF
    if lead == 0xED:
        return 0x80 <= second <= 0x9F
    if lead == 0xF0:
        return 0x90 <= second <= 0xBF
    if lead == 0xF4:
        return 0x80 <= second <= 0x8F
    return 0x80 <= second <= 0xBF


PieceKind = Literal["valid", "truncated", "stray"]


@dataclass(frozen=True, slots=True)
class Piece:
    """One UTF-8 unit found in a run of mis-decoded characters.

    ``start``/``end`` are character offsets into the run (one character per
    byte).  ``kind`` is ``"valid"`` for a complete multi-byte sequence (then
    ``char`` is what it decodes to), ``"truncated"`` for a lead byte followed by
    too few continuation bytes (``missing`` > 0) and ``"stray"`` for a byte that
    cannot start or continue a sequence here.
    """

    kind: PieceKind
    start: int
    end: int
    data: bytes
    char: str = ""
    missing: int = 0


def parse_run(run: str) -> list[Piece]:
    """Parse a run of mappable non-ASCII characters as the UTF-8 bytes they stand for."""
    data = bytes(CHAR_TO_BYTE[c] for c in run)
    pieces: list[Piece] = []
    i = 0
    n = len(data)
    while i < n:
        lead = data[i]
        need = sequence_length(lead)
        if need < 2:
            pieces.append(Piece("stray", i, i + 1, data[i : i + 1]))
            i += 1
            continue
        j = i + 1
        while j < n and j - i < need and 0x80 <= data[j] <= 0xBF:
            if j == i + 1 and not _second_byte_ok(lead, data[j]):
                break
            j += 1
        chunk = data[i:j]
        if j - i == need:
            pieces.append(Piece("valid", i, j, chunk, chunk.decode("utf-8")))
        else:
            pieces.append(Piece("truncated", i, j, chunk, missing=need - (j - i)))
        i = j
    return pieces


_EXCLUDED_CATEGORIES: Final[frozenset[str]] = frozenset({"Cn", "Cs", "Co", "Cc", "Cf"})
#: Format characters kept as candidates anyway (ZWJ joins emoji sequences).
_KEPT_FORMAT: Final[frozenset[str]] = frozenset({"\u200d"})


@functools.lru_cache(maxsize=4096)
def candidates(data: bytes) -> tuple[str, ...]:
    """Every character a truncated UTF-8 sequence ``data`` may have been.

    The missing bytes are drawn from :data:`LOST_BYTES` and may have stood at
    any continuation position; results that are not valid UTF-8 or decode to
    unassigned, surrogate, private-use, control or invisible format characters
    (except the zero-width joiner) are left out.
    The order is deterministic (by code point).
    """
    lead = data[0]
    need = sequence_length(lead)
    present = data[1:]
    missing = need - len(data)
    if need < 2 or missing <= 0:
        return ()
    found: set[str] = set()
    slots = need - 1
    for positions in itertools.combinations(range(slots), missing):
        for values in itertools.product(LOST_BYTES, repeat=missing):
            tail = bytearray()
            it_present = iter(present)
            it_values = iter(values)
            for slot in range(slots):
                tail.append(next(it_values) if slot in positions else next(it_present))
            try:
                char = (bytes([lead]) + bytes(tail)).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if unicodedata.category(char) in _EXCLUDED_CATEGORIES and char not in _KEPT_FORMAT:
                continue
            found.add(char)
    return tuple(sorted(found))


def corrupt_char(char: str) -> str:
    """The accident this package repairs, on one character: UTF-8 read as cp1254 with the
    undefined bytes and the soft hyphen dropped. Used to build ground truth."""
    return char.encode("utf-8").decode("cp1254", errors="ignore").replace("\xad", "")


def corrupt(text: str) -> tuple[str, dict[int, str]]:
    """``text`` after the accident, and the offset where each character's mojibake starts
    mapped to that character (the ground truth for measuring recovery)."""
    parts: list[str] = []
    origin: dict[int, str] = {}
    pos = 0
    for char in text:
        bad = corrupt_char(char)
        origin[pos] = char
        parts.append(bad)
        pos += len(bad)
    return "".join(parts), origin
