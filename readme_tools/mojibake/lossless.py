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
:func:`fix_line` reports whether ftfy produced the same line, and uses ftfy's
line when ours still holds mojibake and ftfy's does not; :func:`fixed_line`, the repair's
entry, gives the same line and asks ftfy only then (importing ftfy costs ~25 ms).
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any, Final

from .detect import LineReport, Segment, analyze, line_report

__all__ = [
    "MAX_ROUNDS",
    "SAFE_CONFIG",
    "apply_edits",
    "decode_line",
    "diff_edits",
    "fix_line",
    "fixed_line",
    "ftfy_fix",
    "redecode",
]

if TYPE_CHECKING:
    import ftfy

    #: ftfy configuration that only fixes encodings (made on first use: :func:`_safe_config`).
    SAFE_CONFIG: ftfy.TextFixerConfig

_CONFIG: list[ftfy.TextFixerConfig] = []


def _safe_config() -> ftfy.TextFixerConfig:
    """ftfy configuration that only fixes encodings (``SAFE_CONFIG``)."""
    if not _CONFIG:
        import ftfy

        _CONFIG.append(
            ftfy.TextFixerConfig(
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
        )
    return _CONFIG[0]


def __getattr__(name: str) -> Any:
    if name == "SAFE_CONFIG":
        return _safe_config()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def ftfy_fix(text: str) -> str:
    """ftfy with ``SAFE_CONFIG``."""
    import ftfy

    return ftfy.fix_text(text, config=_safe_config())


def _c1_replacement(char: str) -> str | None:
    """The cp1252 character a C1 control stands for (latin-1 mojibake), if any."""
    try:
        return bytes([ord(char)]).decode("cp1252")
    except UnicodeDecodeError:
        return None


def decode_line(line: str, segments: tuple[Segment, ...]) -> list[tuple[int, int, str]]:
    """Exact re-decoding of the complete sequences in ``segments``.

    Returns sorted (start, end, replacement) triples in line offsets, one per
    complete multi-byte sequence; truncated sequences are left alone.  Stray
    C1 control characters (U+0080-U+009F, never intended text) become the
    cp1252 characters they stand for.
    """
    out: list[tuple[int, int, str]] = []
    covered: set[int] = set()
    for segment in segments:
        covered.update(range(segment.start, segment.end))
        for piece in segment.pieces:
            if piece.kind == "valid":
                out.append((segment.start + piece.start, segment.start + piece.end, piece.char))
    for pos, char in enumerate(line):
        if "\x80" <= char <= "\x9f" and pos not in covered:
            replacement = _c1_replacement(char)
            if replacement is not None:
                out.append((pos, pos + 1, replacement))
    out.sort()
    return out


def apply_edits(line: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply sorted, non-overlapping (start, end, replacement) edits."""
    parts: list[str] = []
    pos = 0
    for start, end, replacement in edits:
        parts.append(line[pos:start])
        parts.append(replacement)
        pos = end
    parts.append(line[pos:])
    return "".join(parts)


#: Above this product of lengths the changed middle of a line is one edit: SequenceMatcher
#: is quadratic or worse (minutes on a 160 kB line).
DIFF_LIMIT: Final = 4_000_000


def diff_edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """Minimal-ish edits turning ``old`` into ``new`` (offsets in ``old``)."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    a, b = old[head : len(old) - tail], new[head : len(new) - tail]
    if not a and not b:
        return []
    if len(a) * len(b) > DIFF_LIMIT:
        return [(head, head + len(a), b)]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        (head + i1, head + i2, b[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


#: Rounds of re-decoding for text that was mis-decoded more than once.
MAX_ROUNDS: Final = 3


def redecode(line: str, rounds: int) -> str:
    """Re-decode ``line`` again while it is still lossless mojibake (at most ``rounds`` times)."""
    for _ in range(rounds):
        again = line_report(line)
        if again is None or again.kind != "lossless":
            break
        line = apply_edits(line, decode_line(line, again.segments))
    return line


def fix_line(report: LineReport) -> tuple[str, bool]:
    """Repair a lossless line; returns the new line and whether ftfy agreed.

    The exact re-decoding is repeated while the result is still lossless
    mojibake (double mis-decoding).  If ftfy (safe configuration) produces a
    different line that has no mojibake left while ours still has some (ftfy
    knows more code pages, e.g. cp1250 or MacRoman), ftfy's line is used.
    """
    fixed = _redecoded(report)
    other = ftfy_fix(report.text)
    if other == fixed:
        return fixed, True
    if other != report.text and not analyze(other) and analyze(fixed):
        return other, False
    return fixed, False


def fixed_line(report: LineReport) -> str:
    """The line :func:`fix_line` returns, without its agreement flag: ftfy is asked only when
    our re-decoding leaves mojibake (otherwise its line could not be chosen)."""
    fixed = _redecoded(report)
    if not analyze(fixed):
        return fixed
    return fix_line(report)[0]


def _redecoded(report: LineReport) -> str:
    fixed = apply_edits(report.text, decode_line(report.text, report.segments))
    return redecode(fixed, MAX_ROUNDS - 1)
