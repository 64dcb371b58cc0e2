"""Recovering characters whose UTF-8 bytes were partly lost.

For every damaged line the detector found, each mis-decoded run is turned back
into bytes: complete sequences decode exactly, and each truncated sequence (a
lead byte with too few continuation bytes) becomes a slot whose candidates are
all characters obtained by inserting lost byte values
(:data:`~readme_tools.mojibake.codec.LOST_BYTES`) at the missing positions.
Characters outside the damaged runs, and complete sequences, are fixed: they
are never changed.

The candidates are then chosen jointly per line:

* Han text (and CJK/general punctuation, symbols): Viterbi over a word lattice
  with the word-frequency model of :mod:`.models.words`, a
  part-of-speech bigram correction, the word classes each word is seen
  next to in a tagged corpus (:class:`.models.words.LexContext`),
  a punctuation prior with bracket/quote balance, and a syntactic cue
  computed from a first pass (a coordinating conjunction such as ``与``
  standing between two nominal words).  With snownlp, the uncertain choices
  among characters that share their surviving bytes are then decided again
  with a character-context classifier added
  (:mod:`.models.confusion`, weight :data:`.han.CONFUSION_WEIGHT`);
  the margins stay those of the decode without it, so this changes which
  uncertain candidate is chosen, never what counts as confident.
* Cyrillic, Greek and accented Latin letters: word-by-word search with
  langdetect's character trigrams, plus wordfreq word frequencies when the
  optional extra is installed.

Document context (on by default) adds the document's own vocabulary: words
that occur elsewhere in the same document -- undamaged, or repaired with high
confidence in another line -- get a cache-model boost.  The line being decoded
never contributes to its own context (leave-one-line-out).

Every choice carries a margin: the difference in log-probability (nats)
between the best path through the chosen character and the best path through
any other candidate.  A choice is *confident* when the margin clears
:data:`.choice.CONFIDENCE_MARGIN` for its script.  Confident choices are then fixed
and the remaining ones decided again, until none becomes newly confident
(see :func:`recover`). Han lines are decided in :mod:`.han`, letters in
:mod:`.alphabetic`; :mod:`.rerank` may reorder the uncertain Han choices afterwards.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Final

from .alphabetic import decode_alphabetic_lines, nbsp_ambiguous
from .choice import CONFIDENCE_MARGIN, Choice, ranked_table, table_margin
from .codec import candidates
from .detect import (
    FAMILY_CYRILLIC,
    FAMILY_GREEK,
    FAMILY_HAN,
    FAMILY_LATIN,
    FAMILY_SYMBOL,
    LineReport,
    family_of,
)
from .han import decode_han_lines
from .lattice import DecodeResult, Slot
from .models.words import HanModel, is_han

__all__ = ["Choice", "build_slots", "damaged_lines", "recover"]

#: Most decoding passes of :func:`recover` (each fixes the new confident choices).
MAX_PASSES: Final = 10

_ALPHABETIC: Final = frozenset({FAMILY_CYRILLIC, FAMILY_GREEK, FAMILY_LATIN})


def recover(
    reports: Sequence[LineReport],
    *,
    han_model: HanModel | None,
    document_context: bool = True,
) -> list[Choice]:
    """Choose a character for every damaged sequence of the recoverable ``reports``.

    Lines needing the Han model are skipped when ``han_model`` is None.
    Returns the choices sorted by line and position (:func:`.rerank.rerank` may then
    reorder the uncertain Han ones).

    Choices are made in passes: after each pass the confident choices become
    fixed characters and the lines that still hold uncertain ones are decoded
    again (with the document context of those lines only), until no new choice
    becomes confident.  This is what a second repair of the repaired text
    sees, so it has (almost always) nothing new to apply: readme-fmt checks
    that its fixes converge.
    """
    all_slots = damaged_lines(reports, han_model)
    reports_by_index = {r.index: r for r in reports}

    final: dict[tuple[int, int], Choice] = {}
    current = all_slots
    for _round in range(MAX_PASSES):
        choices = _choose(current, reports_by_index, han_model, document_context)
        for choice in choices:
            final[(choice.line_index, choice.start)] = choice
        settled = {(c.line_index, c.start): c.chosen for c in choices if c.confident}
        unsettled = {c.line_index for c in choices if not c.confident}
        if not settled or not unsettled:
            break
        current = {
            index: [
                Slot(s.start, s.end, (settled[(index, s.start)],), False)
                if s.damaged and (index, s.start) in settled
                else s
                for s in slots
            ]
            for index, slots in current.items()
            if index in unsettled
        }
    return [final[key] for key in sorted(final)]


def build_slots(report: LineReport) -> list[Slot]:
    """One slot per decoded character of the line (see the module docstring)."""
    line = report.text
    slots: list[Slot] = []
    pos = 0
    for segment in report.segments:
        for k in range(pos, segment.start):
            slots.append(Slot(k, k + 1, (line[k],), False))
        for piece in segment.pieces:
            start = segment.start + piece.start
            end = segment.start + piece.end
            if piece.kind == "valid":
                slots.append(Slot(start, end, (piece.char,), False))
            elif piece.kind == "truncated" and family_of(piece) is not None:
                slots.append(Slot(start, end, candidates(piece.data), True))
            else:
                for k in range(start, end):
                    slots.append(Slot(k, k + 1, (line[k],), False))
        pos = segment.end
    for k in range(pos, len(line)):
        slots.append(Slot(k, k + 1, (line[k],), False))
    return slots


def damaged_lines(
    reports: Sequence[LineReport], han_model: HanModel | None
) -> dict[int, list[Slot]]:
    """The slots of each line :func:`recover` decides: the recoverable ones (those that
    need the Han model only when there is one), by line index."""
    return {
        report.index: build_slots(report)
        for report in reports
        if report.kind == "recoverable"
        and not (FAMILY_HAN in report.families and han_model is None)
    }


def _slot_family(slot: Slot) -> str:
    if any(is_han(c) for c in slot.options):
        return FAMILY_HAN
    if all(c.isalpha() for c in slot.options):
        cp = ord(slot.options[0])
        if 0x0370 <= cp <= 0x03FF:
            return FAMILY_GREEK
        if 0x0400 <= cp <= 0x052F:
            return FAMILY_CYRILLIC
        if cp <= 0x024F:
            return FAMILY_LATIN
    return FAMILY_SYMBOL


def _choose(
    all_slots: Mapping[int, list[Slot]],
    reports_by_index: Mapping[int, LineReport],
    han_model: HanModel | None,
    document_context: bool,
) -> list[Choice]:
    """One pass of :func:`recover` over the damaged slots of ``all_slots``."""
    han_lines: list[tuple[int, list[Slot]]] = []
    alpha_lines: dict[str, list[tuple[int, list[Slot]]]] = {}
    for index, slots in all_slots.items():
        families = {_slot_family(s) for s in slots if s.damaged}
        for script in families & _ALPHABETIC:
            alpha_lines.setdefault(script, []).append((index, slots))
        if families - _ALPHABETIC:
            han_lines.append((index, slots))

    results: dict[int, list[tuple[DecodeResult, str]]] = {}
    for script, lines in alpha_lines.items():
        for index, result in decode_alphabetic_lines(lines, script, document_context).items():
            results.setdefault(index, []).append((result, script))
    if han_lines:
        for index, result in decode_han_lines(han_lines, han_model, document_context).items():
            results.setdefault(index, []).append((result, FAMILY_HAN))

    choices: list[Choice] = []
    for index in sorted(all_slots):
        slots = all_slots[index]
        report = reports_by_index[index]
        per_line = results.get(index, [])
        for k, slot in enumerate(slots):
            if not slot.damaged:
                continue
            family = _slot_family(slot)
            wanted = family if family in _ALPHABETIC else FAMILY_HAN
            table: Mapping[str, float] | None = None
            cap = math.inf
            for result, script in per_line:
                if script == wanted and k in result.scores:
                    table = result.scores[k]
                    cap = result.margin_caps.get(k, math.inf)
            if not table:
                continue
            finite = {c: v for c, v in table.items() if v > float("-inf")}
            if not finite:
                continue
            margin = min(table_margin(finite), cap)
            confident = margin >= CONFIDENCE_MARGIN[family]
            if family in _ALPHABETIC and nbsp_ambiguous(report.text, slot):
                confident = False
            choices.append(
                Choice(
                    line_index=index,
                    start=slot.start,
                    end=slot.end,
                    original=report.text[slot.start : slot.end],
                    family=family,
                    ranked=ranked_table(finite),
                    margin=margin,
                    confident=confident,
                    options=slot.options,
                )
            )
    return choices
