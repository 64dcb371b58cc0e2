"""Finding UTF-8 text that was mis-decoded through cp1252/cp1254/latin-1.

Detection works line by line but decides with document-level evidence:

1. A cheap pre-filter: every mis-decoded UTF-8 sequence starts with a lead
   byte, which reads as one of the Latin-1 letters ``Â``..``ô`` (or cp1254's
   ``Ğ ğ İ Ş``).  Their UTF-8 encodings start with the bytes 0xC3-0xC5, so a
   ``bytes.find`` per byte value skips every line without such a letter; a
   clean 17 MB list costs one UTF-8 encode.
2. On a candidate line, every maximal run of characters that single-byte code
   pages produce is turned back into bytes and parsed as UTF-8
   (:func:`~readme_tools.mojibake.codec.parse_run`): complete sequences that
   decode to plausible characters are evidence for mojibake; continuation
   bytes without a lead (a genuine ``©``, ``–``, ``¿``) and sequences that
   decode to implausible characters (IPA, combining marks, controls) are
   evidence against it; truncated sequences (a lead byte with too few
   continuation bytes) are damage if the line is mojibake.
3. ftfy's badness heuristic must agree (``ftfy.badness.is_bad``).
4. A line with strong evidence (a complete sequence of three or four bytes,
   or two complete sequences) is reported on its own; weaker lines (a single
   two-byte sequence, or only leftover fragments of a partial repair) are
   reported only when the document has a strong line -- or, for leftovers,
   when at least two of them are glued to CJK text, which genuine text does
   not do.

Each finding is classified as lossless, recoverable (with the model that can
choose the lost bytes) or unrecoverable.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from .badness import is_bad
from .codec import CHAR_TO_BYTE, CONTINUATION_CHARS, LEAD_CHARS, Piece, candidates, parse_run

if TYPE_CHECKING:
    from .types import Kind, MojibakeSpan


def cjk_model_available() -> bool:
    """Whether the ``cjk`` extra is installed (:func:`.models.installed.cjk_model_available`;
    the word model's module is imported only to build the model)."""
    from .models.installed import cjk_model_available as installed

    return installed()


__all__ = [
    "LineReport",
    "Segment",
    "analyze",
    "family_of",
    "find_mojibake",
    "is_plausible",
    "line_report",
]

#: UTF-8 lead bytes of every character that can stand for a UTF-8 lead byte.
_GATE_BYTES: Final[tuple[bytes, ...]] = (b"\xc3", b"\xc4", b"\xc5")

#: Model families, by the lead byte of a damaged sequence.
FAMILY_HAN: Final = "han"
FAMILY_SYMBOL: Final = "symbol"
FAMILY_CYRILLIC: Final = "cyrillic"
FAMILY_GREEK: Final = "greek"
FAMILY_LATIN: Final = "latin"

_FAMILY_LABEL: Final[dict[str, str]] = {
    FAMILY_HAN: "Chinese",
    FAMILY_SYMBOL: "punctuation/symbols",
    FAMILY_CYRILLIC: "Cyrillic",
    FAMILY_GREEK: "Greek",
    FAMILY_LATIN: "Latin",
}

#: Most lost bytes per damaged character we try to recover.
MAX_MISSING: Final[int] = 2


def family_of(piece: Piece) -> str | None:
    """Which model can choose the lost bytes of a truncated ``piece`` (None: none)."""
    if piece.missing > MAX_MISSING or not candidates(piece.data):
        return None
    lead = piece.data[0]
    if 0xE3 <= lead <= 0xE9:
        return FAMILY_HAN
    if lead in (0xE2, 0xEF) or 0xF0 <= lead <= 0xF4:
        return FAMILY_SYMBOL
    if 0xD0 <= lead <= 0xD4:
        return FAMILY_CYRILLIC
    if 0xCD <= lead <= 0xCF:
        return FAMILY_GREEK
    if 0xC2 <= lead <= 0xC9:
        return FAMILY_LATIN
    return None


_PLAUSIBLE_RANGES: Final[tuple[tuple[int, int], ...]] = (
    (0x00A0, 0x024F),  # Latin-1 supplement, Latin extended A/B
    (0x0370, 0x052F),  # Greek, Cyrillic
    (0x05D0, 0x05EA),  # Hebrew letters
    (0x0600, 0x06FF),  # Arabic
    (0x0900, 0x0DFF),  # Indic scripts
    (0x0E00, 0x0E7F),  # Thai
    (0x1E00, 0x1EFF),  # Latin extended additional
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x205E),
    (0x2070, 0x2BFF),  # sub/superscripts .. arrows, math, technical, symbols, dingbats
    (0x2E80, 0x9FFF),  # CJK radicals, punctuation, kana, Hangul jamo, CJK
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
    (0x1F000, 0x1FAFF),  # emoji and pictographs
    (0x20000, 0x3134F),  # CJK extensions
)

_IMPLAUSIBLE_CATEGORIES: Final[frozenset[str]] = frozenset(
    {"Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me", "Zl", "Zp"}
)


_RANGE_STARTS: Final[tuple[int, ...]] = tuple(lo for lo, _hi in _PLAUSIBLE_RANGES)


def is_plausible(char: str) -> bool:
    """Could ``char`` be the intended character behind a mis-decoded sequence?"""
    if unicodedata.category(char) in _IMPLAUSIBLE_CATEGORIES:
        return char == "\u200d"
    cp = ord(char)
    index = bisect.bisect_right(_RANGE_STARTS, cp) - 1  # the ranges are sorted and disjoint
    return index >= 0 and cp <= _PLAUSIBLE_RANGES[index][1]


def _is_cjk(char: str) -> bool:
    cp = ord(char)
    return 0x3000 <= cp <= 0x9FFF or 0xFF00 <= cp <= 0xFFEF or 0xAC00 <= cp <= 0xD7A3


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of mis-decoded characters (line-relative offsets) and its UTF-8 pieces.

    Piece offsets are relative to ``start``.
    """

    start: int
    end: int
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class LineReport:
    """Analysis of one damaged line (see :func:`analyze`)."""

    index: int
    start: int
    text: str
    segments: tuple[Segment, ...]
    kind: Kind
    families: frozenset[str]
    lost_chars: int
    lost_bytes: int
    evidence: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True, slots=True)
class _Evidence:
    segments: tuple[Segment, ...]
    strength: str  # "strong", "weak" or "residual"
    truncated: int
    lost_bytes: int
    glued: int = 0


def _runs(line: str) -> list[tuple[int, int]]:
    """Maximal runs of non-ASCII characters that a single-byte code page produces."""
    out: list[tuple[int, int]] = []
    start = -1
    for i, char in enumerate(line):
        if char > "\x7f" and char in CHAR_TO_BYTE:
            if start < 0:
                start = i
        elif start >= 0:
            out.append((start, i))
            start = -1
    if start >= 0:
        out.append((start, len(line)))
    return out


_CJK_CLASS: Final = "\u3000-\u9fff\uac00-\ud7a3\uff00-\uffef"
#: A lead-byte character followed by a continuation-byte character (needed for
#: any complete or partial sequence) or glued to CJK text (leftovers).
_SUSPECT_RE: Final[re.Pattern[str]] = re.compile(
    f"[{re.escape(LEAD_CHARS)}][{re.escape(CONTINUATION_CHARS)}{_CJK_CLASS}\ufffd]"
    f"|[{_CJK_CLASS}][{re.escape(LEAD_CHARS)}]"
)

#: Lead bytes that, standing alone, are far more likely genuine symbols.
_STANDALONE: Final[frozenset[bytes]] = frozenset({b"\xd7"})


def _split_runs(line: str) -> list[tuple[int, int, tuple[Piece, ...]]]:
    """Runs split into stretches of stray pieces and of sequence pieces.

    Returns (start, end, pieces) with piece offsets relative to ``start``; a
    stretch is either all stray pieces or free of them.  A truncated sequence
    directly followed by U+FFFD (a lost byte replaced rather than dropped)
    takes in up to one U+FFFD per missing byte.
    """
    out: list[tuple[int, int, tuple[Piece, ...]]] = []
    for run_start, run_end in _runs(line):
        group: list[Piece] = []
        pieces = parse_run(line[run_start:run_end])
        last = pieces[-1]
        if last.kind == "truncated":
            # Some tools replace lost bytes by U+FFFD: take it into the piece.
            extra = 0
            while extra < last.missing and line[run_end + extra : run_end + extra + 1] == "\ufffd":
                extra += 1
            if extra:
                pieces[-1] = dataclasses.replace(last, end=last.end + extra)
        for piece in pieces:
            if piece.kind == "truncated" and piece.data in _STANDALONE:
                # A lone "×" is the multiplication sign, not a damaged Hebrew letter.
                piece = dataclasses.replace(piece, kind="stray", missing=0)
            if group and (group[0].kind == "stray") != (piece.kind == "stray"):
                out.append(_rebase(run_start, group))
                group = []
            group.append(piece)
        if group:
            out.append(_rebase(run_start, group))
    return out


def _rebase(run_start: int, group: list[Piece]) -> tuple[int, int, tuple[Piece, ...]]:
    shift = group[0].start
    if shift == 0:
        return run_start, run_start + group[-1].end, tuple(group)
    pieces = tuple(dataclasses.replace(p, start=p.start - shift, end=p.end - shift) for p in group)
    return run_start + shift, run_start + group[-1].end, pieces


def _scan_line(line: str) -> _Evidence | None:
    plausible = strong = implausible = stray_runs = truncated = lost = residual = glued_runs = 0
    segments: list[Segment] = []
    for start, end, pieces in _split_runs(line):
        if pieces[0].kind == "stray":
            # Genuine non-ASCII text.  Letters (ö, ü, ÿ...) speak against
            # mojibake; punctuation such as — “ ” © is common in both.
            if any(c.isalpha() for c in line[start:end]):
                stray_runs += 1
            continue
        run_valid = 0
        for piece in pieces:
            if piece.kind == "valid":
                if is_plausible(piece.char):
                    plausible += 1
                    run_valid += 1
                    if len(piece.data) >= 3:
                        strong += 1
                else:
                    implausible += 1
            else:
                truncated += 1
                lost += piece.missing
        if run_valid == 0:
            # Leftover fragments of an earlier partial repair: a lead byte with
            # continuation bytes that ftfy finds bad, or a lead byte glued to
            # CJK text.
            text = line[start:end]
            glued = (start > 0 and _is_cjk(line[start - 1])) or (
                end < len(line) and _is_cjk(line[end])
            )
            if (end - start >= 2 and is_bad(text)) or glued:
                residual += 1
            glued_runs += glued
        segments.append(Segment(start, end, pieces))
    if not segments:
        return None
    if (
        plausible
        and implausible * 4 <= plausible
        and stray_runs * 4 <= plausible
        and truncated <= plausible
        and is_bad(line)
    ):
        strength = "strong" if strong or plausible >= 2 else "weak"
    elif residual and not stray_runs:
        # Leftovers of a partial repair; a complete sequence among them (a leftover lead
        # byte that happens to meet two continuation characters) does not make it less so.
        strength = "residual"
    else:
        return None
    return _Evidence(tuple(segments), strength, truncated, lost, glued_runs)


def _classify(evidence: _Evidence) -> tuple[Kind, frozenset[str]]:
    families: set[str] = set()
    unrecoverable = False
    for segment in evidence.segments:
        for piece in segment.pieces:
            if piece.kind != "truncated":
                continue
            family = family_of(piece)
            if family is None:
                unrecoverable = True
            else:
                families.add(family)
    if unrecoverable:
        return "unrecoverable", frozenset(families)
    if families:
        return "recoverable", frozenset(families)
    return "lossless", frozenset()


def _candidate_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) char offsets of the lines that contain a lead-byte character."""
    if text.isascii():
        return []
    data = text.encode("utf-8", "surrogatepass")
    hits: set[int] = set()
    for gate in _GATE_BYTES:
        pos = data.find(gate)
        while pos >= 0:
            line_start = data.rfind(b"\n", 0, pos) + 1
            hits.add(line_start)
            line_end = data.find(b"\n", pos)
            if line_end < 0:
                break
            pos = data.find(gate, line_end)
    if not hits:
        return []
    # Convert byte offsets of line starts to character offsets in one pass.
    out: list[tuple[int, int]] = []
    char_pos = 0
    byte_pos = 0
    for line_start in sorted(hits):
        char_pos += len(data[byte_pos:line_start].decode("utf-8", "surrogatepass"))
        byte_pos = line_start
        end = text.find("\n", char_pos)
        out.append((char_pos, len(text) if end < 0 else end))
    return out


def analyze(text: str) -> list[LineReport]:
    """Find and classify the damaged lines of ``text`` (sorted by position)."""
    found: list[tuple[int, int, _Evidence]] = []
    for start, end in _candidate_lines(text):
        if not _SUSPECT_RE.search(text, start, end):
            continue
        evidence = _scan_line(text[start:end])
        if evidence is not None:
            found.append((start, end, evidence))
    if not found:
        return []
    strong = any(ev.strength == "strong" for _s, _e, ev in found)
    glued = sum(ev.glued for _s, _e, ev in found)
    reports: list[LineReport] = []
    index, counted = 0, 0  # line index of ``start``, counted incrementally (linear time)
    for start, end, ev in found:
        keep = (
            strong
            or ev.strength == "strong"
            or (ev.strength == "residual" and ev.glued and glued >= 2)
        )
        if not keep:
            continue
        index += text.count("\n", counted, start)
        counted = start
        reports.append(_report(ev, index, start, text[start:end]))
    return reports


def line_report(line: str) -> LineReport | None:
    """Analyse one line on its own, accepting weak evidence.

    For re-checking a line already known to hold mojibake (text that was
    mis-decoded twice), where the document-level requirement does not apply.
    """
    evidence = _scan_line(line)
    return None if evidence is None else _report(evidence, 0, 0, line)


def _report(evidence: _Evidence, index: int, start: int, line: str) -> LineReport:
    kind, families = _classify(evidence)
    return LineReport(
        index=index,
        start=start,
        text=line,
        segments=evidence.segments,
        kind=kind,
        families=families,
        lost_chars=evidence.truncated,
        lost_bytes=evidence.lost_bytes,
        evidence=evidence.strength,
    )


def _message(report: LineReport, cjk_available: bool) -> tuple[str, str | None]:
    if report.kind == "lossless":
        return "UTF-8 text decoded as a Windows code page; repairable losslessly", None
    what = (
        f"UTF-8 text decoded as a Windows code page, {report.lost_bytes} bytes of "
        f"{report.lost_chars} characters lost"
    )
    if report.kind == "unrecoverable":
        return f"{what}; not recoverable automatically", None
    labels = " and ".join(_FAMILY_LABEL[f] for f in sorted(report.families))
    if FAMILY_HAN in report.families and not cjk_available:
        from .models.words import CJK_EXTRA_HINT  # the install hint: only for damaged text

        return (
            f"{what}; recoverable with a language model ({labels}): {CJK_EXTRA_HINT}",
            "cjk",
        )
    return f"{what}; recoverable with a language model ({labels})", None


def to_span(report: LineReport, cjk_available: bool | None = None) -> MojibakeSpan:
    """The public finding for a :class:`LineReport`."""
    from .types import MojibakeSpan  # the public types: only once damage is found

    if cjk_available is None:
        cjk_available = cjk_model_available()
    message, extra = _message(report, cjk_available)
    script = None
    if report.kind != "lossless":
        script = ",".join(sorted(report.families)) or None
    return MojibakeSpan(
        start=report.start,
        end=report.end,
        line=report.index + 1,
        kind=report.kind,
        message=message,
        lost=report.lost_chars,
        script=script,
        needs_extra=extra,
    )


def find_mojibake(text: str) -> list[MojibakeSpan]:
    """Report each line of ``text`` that holds UTF-8 mojibake (one finding per line).

    Never loads a language model; only checks whether the optional one is
    installed, to say which extra recovers the line.
    """
    reports = analyze(text)
    if not reports:
        return []
    cjk_available = cjk_model_available()
    return [to_span(report, cjk_available) for report in reports]
