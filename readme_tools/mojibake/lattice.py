"""Joint decoding of a line with damaged characters over a Han word lattice.

A line is a sequence of :class:`Slot` objects: fixed characters (one option)
and damaged characters (their candidates).  Every path through the lattice is
a segmentation of one choice of characters into tokens: Han words from the
word model, single Han characters (known single-character words or unknown
words, scored by a character model) and single non-Han characters (scored by
:func:`~readme_tools.mojibake.charprior.punct_logp` when they are candidates;
fixed non-Han characters cost nothing since every path contains them).

:func:`decode` runs Viterbi forwards and backwards and returns, for every
damaged slot, the best path score achievable with each candidate
(max-marginals); the best candidate's score minus the runner-up's is the
repair's margin in nats.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .charprior import punct_logp
from .lm import START_TAG, HanModel, is_han

__all__ = ["DecodeResult", "Slot", "decode"]

#: log P(unknown single Han character) = UNKNOWN_CHAR_WEIGHT + character log-probability.
UNKNOWN_CHAR_WEIGHT = math.log(0.005)
#: log P(a token is a Han word) relative to the punctuation table's scale.
HAN_TOKEN = math.log(0.75)
#: Weight of the part-of-speech bigram correction.
TAG_WEIGHT = 0.7

_NEG_INF = float("-inf")


@dataclass(frozen=True, slots=True)
class Slot:
    """One decoded character position of a line."""

    start: int
    end: int
    options: tuple[str, ...]
    damaged: bool


@dataclass(frozen=True, slots=True)
class DecodeResult:
    best: tuple[str, ...]
    #: Tokens of the best path as (first slot, end slot, text).
    tokens: tuple[tuple[int, int, str], ...]
    #: For each damaged slot index: candidate -> best total path score.
    scores: dict[int, dict[str, float]]
    total: float


def _single_han(model: HanModel, char: str) -> tuple[float, str]:
    word = model.words.get(char, _NEG_INF)
    unknown = UNKNOWN_CHAR_WEIGHT + model.chars.get(char, model.char_floor)
    if word >= unknown:
        return HAN_TOKEN + word, model.tags.get(char, _UNKNOWN_TAG)
    return HAN_TOKEN + unknown, _UNKNOWN_TAG


_TRANSPARENT = " "
_UNKNOWN_TAG = "?"


def _fixed_tag(char: str) -> str:
    if char.isspace():
        return _TRANSPARENT
    if char.isdigit():
        return "m"
    if char.isalpha():
        return "nz"
    return START_TAG


def decode(
    slots: Sequence[Slot],
    model: HanModel | None,
    bonus: Mapping[int, Mapping[str, float]] | None = None,
    *,
    word_bonus: Mapping[str, float] | None = None,
    tag_weight: float = TAG_WEIGHT,
) -> DecodeResult:
    """Find the best joint choice of candidates for ``slots``.

    ``bonus`` adds extra log-scores to particular candidates of particular
    slots (context cues, bracket balance); ``word_bonus`` adds log-scores to
    particular Han words (the document's own vocabulary).  Paths are scored
    by the sum of token log-probabilities plus ``tag_weight`` times the
    part-of-speech bigram correction between consecutive tokens.
    """
    word_bonus = word_bonus or {}
    n = len(slots)
    bonus = bonus or {}
    tag_bigram = model.tag_bigram if model is not None else {}
    tags = model.tags if model is not None else {}
    # edges[j] = list of (i, chars, cost, tag) for tokens covering slots i..j-1
    edges: list[list[tuple[int, str, float, str]]] = [[] for _ in range(n + 1)]
    for i, slot in enumerate(slots):
        extra = bonus.get(i, {})
        for char in slot.options:
            if model is not None and is_han(char):
                cost, tag = _single_han(model, char)
                cost += word_bonus.get(char, 0.0)
            elif slot.damaged:
                cost, tag = punct_logp(char), START_TAG
            else:
                cost, tag = 0.0, _fixed_tag(char)
            if slot.damaged:
                cost += extra.get(char, 0.0)
            edges[i + 1].append((i, char, cost, tag))
        if model is None:
            continue
        # Multi-character Han words starting at i, by depth-first search.
        stack: list[tuple[int, str, float]] = [
            (i + 1, c, extra.get(c, 0.0) if slot.damaged else 0.0)
            for c in slot.options
            if c in model.prefixes and is_han(c)
        ]
        while stack:
            j, prefix, bon = stack.pop()
            if j >= n:
                continue
            nxt = slots[j]
            nxt_extra = bonus.get(j, {})
            for c in nxt.options:
                word = prefix + c
                b = bon + (nxt_extra.get(c, 0.0) if nxt.damaged else 0.0)
                logp = model.words.get(word)
                if logp is not None:
                    cost = HAN_TOKEN + logp + b + word_bonus.get(word, 0.0)
                    edges[j + 1].append((i, word, cost, tags.get(word, _UNKNOWN_TAG)))
                if word in model.prefixes:
                    stack.append((j + 1, word, b))

    def trans(t1: str, t2: str) -> float:
        return tag_weight * tag_bigram.get((t1, t2), 0.0)

    # forward[j]: tag of the last token -> best score of a path from 0 to j
    forward: list[dict[str, float]] = [{} for _ in range(n + 1)]
    forward[0][START_TAG] = 0.0
    for j in range(1, n + 1):
        here = forward[j]
        for i, _chars, cost, tag in edges[j]:
            before = forward[i]
            if not before:
                continue
            if tag == _TRANSPARENT:
                for t1, score in before.items():
                    if score + cost > here.get(t1, _NEG_INF):
                        here[t1] = score + cost
                continue
            best_in = max(score + trans(t1, tag) for t1, score in before.items())
            if best_in + cost > here.get(tag, _NEG_INF):
                here[tag] = best_in + cost

    # backward[j]: tag of the last token before j -> best score from j to n
    backward: list[dict[str, float]] = [{} for _ in range(n + 1)]
    backward[n] = {t: 0.0 for t in forward[n]}
    outgoing: list[list[tuple[int, str, float, str]]] = [[] for _ in range(n + 1)]
    for j in range(1, n + 1):
        for i, chars, cost, tag in edges[j]:
            outgoing[i].append((j, chars, cost, tag))
    for i in range(n - 1, -1, -1):
        table = backward[i]
        for t1 in forward[i]:
            best = _NEG_INF
            for j, _chars, cost, tag in outgoing[i]:
                after = backward[j]
                if tag == _TRANSPARENT:
                    score = cost + after.get(t1, _NEG_INF)
                else:
                    score = trans(t1, tag) + cost + after.get(tag, _NEG_INF)
                if score > best:
                    best = score
            table[t1] = best

    total = max(forward[n].values()) if forward[n] else _NEG_INF
    scores: dict[int, dict[str, float]] = {i: {} for i, s in enumerate(slots) if s.damaged}
    # Best path (by following the best continuation) and max-marginals.
    best_chars: list[str] = [""] * n
    tokens: list[tuple[int, int, str]] = []
    state_i, state_t = 0, START_TAG
    while state_i < n:
        best = _NEG_INF
        choice: tuple[int, str, str] | None = None
        for j, chars, cost, tag in outgoing[state_i]:
            t2 = state_t if tag == _TRANSPARENT else tag
            step = 0.0 if tag == _TRANSPARENT else trans(state_t, tag)
            score = step + cost + backward[j].get(t2, _NEG_INF)
            if score > best:
                best = score
                choice = (j, chars, t2)
        assert choice is not None
        j, chars, t2 = choice
        tokens.append((state_i, j, chars))
        for k, char in enumerate(chars):
            best_chars[state_i + k] = char
        state_i, state_t = j, t2

    for j in range(1, n + 1):
        for i, chars, cost, tag in edges[j]:
            if not any((i + k) in scores for k in range(len(chars))):
                continue
            before = forward[i]
            if not before:
                continue
            if tag == _TRANSPARENT:
                through = max(s + cost + backward[j].get(t, _NEG_INF) for t, s in before.items())
            else:
                through = (
                    max(s + trans(t, tag) for t, s in before.items())
                    + cost
                    + backward[j].get(tag, _NEG_INF)
                )
            if through == _NEG_INF:
                continue
            for k, char in enumerate(chars):
                table2 = scores.get(i + k)
                if table2 is not None and through > table2.get(char, _NEG_INF):
                    table2[char] = through
    return DecodeResult(best=tuple(best_chars), tokens=tuple(tokens), scores=scores, total=total)
