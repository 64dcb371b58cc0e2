"""Lossless repair: re-decoding mojibake whose bytes all survived.

A lossless line is repaired by re-encoding each mis-decoded run with the code
page it went through and decoding the bytes as UTF-8 -- exactly ftfy's
``encode sloppy-windows-125x`` / ``decode utf-8`` step, restricted to the runs
the detector found, so nothing outside them can change.

ftfy itself runs as a second opinion with :data:`SAFE_CONFIG`, which changes
nothing but the encoding: no HTML unescaping, no quote uncurling, no
full-width folding, no ligature, line-break or control-character changes, no
Unicode normalisation and no replacement of lossy sequences by ``�`` (lost
bytes are handled by :mod:`readme_tools.mojibake.recover`).
:func:`fix_line` reports whether ftfy produced the same line.
"""

from __future__ import annotations

from typing import Final

import ftfy

from .detect import LineReport, Segment

__all__ = ["SAFE_CONFIG", "decode_line", "fix_line", "ftfy_fix"]

#: ftfy configuration that only fixes encodings.
SAFE_CONFIG: Final[ftfy.TextFixerConfig] = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=False,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def ftfy_fix(text: str) -> str:
    """ftfy with :data:`SAFE_CONFIG`."""
    return ftfy.fix_text(text, config=SAFE_CONFIG)


def decode_line(line: str, segments: tuple[Segment, ...]) -> list[tuple[int, int, str]]:
    """Exact re-decoding of the complete sequences in ``segments``.

    Returns (start, end, replacement) triples in line offsets, one per complete
    multi-byte sequence; truncated sequences are left alone.
    """
    out: list[tuple[int, int, str]] = []
    for segment in segments:
        for piece in segment.pieces:
            if piece.kind == "valid":
                out.append((segment.start + piece.start, segment.start + piece.end, piece.char))
    return out


def _apply(line: str, edits: list[tuple[int, int, str]]) -> str:
    parts: list[str] = []
    pos = 0
    for start, end, replacement in edits:
        parts.append(line[pos:start])
        parts.append(replacement)
        pos = end
    parts.append(line[pos:])
    return "".join(parts)


def fix_line(report: LineReport) -> tuple[str, list[tuple[int, int, str]], bool]:
    """Repair a lossless line.

    Returns the repaired line, the edits (line offsets) and whether ftfy's
    result agreed with the byte-level decoding.
    """
    edits = decode_line(report.text, report.segments)
    exact = _apply(report.text, edits)
    agreed = ftfy_fix(report.text) == exact
    return exact, edits, agreed
