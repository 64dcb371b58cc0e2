"""Joint decoding of a line with damaged characters over a Han word lattice.

A line is a sequence of :class:`Slot` objects: fixed characters (one option)
and damaged characters (their candidates).  Every path through the lattice is
a segmentation of one choice of characters into tokens: Han words from the
word model, single Han characters (known single-character words or unknown
words, scored by a character model) and single non-Han characters (scored by
:func:`~readme_tools.mojibake.models.punct.punct_logp` when they are candidates;
fixed non-Han characters cost nothing since every path contains them).

:func:`decode` runs Viterbi forwards and backwards and returns, for every
damaged slot, the best path score achievable with each candidate
(max-marginals); the best candidate's score minus the runner-up's is the
repair's margin in nats.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .models.punct import punct_logp
from .models.words import START_TAG, HanModel, coarse_tag, is_han

__all__ = ["DecodeResult", "Slot", "decode"]

#: log P(unknown single Han character) = UNKNOWN_CHAR_WEIGHT + character log-probability.
UNKNOWN_CHAR_WEIGHT = math.log(0.005)
#: log P(a token is a Han word) relative to the punctuation table's scale.
HAN_TOKEN = math.log(0.75)
#: Weight of the part-of-speech bigram correction.
TAG_WEIGHT = 0.7
#: Weight of the word-specific class context (:class:`.models.words.LexContext`).
LEX_WEIGHT = 0.5

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
    #: For damaged slots: an upper bound on the margin set by the caller (a
    #: second opinion that disagrees or is less sure), see ``recover``.
    margin_caps: dict[int, float] = field(default_factory=dict)


def _single_han(model: HanModel, char: str) -> tuple[float, str]:
    word = model.words.get(char, _NEG_INF)
    unknown = UNKNOWN_CHAR_WEIGHT + model.chars.get(char, model.char_floor)
    if word >= unknown:
        return HAN_TOKEN + word, model.tags.get(char, _UNKNOWN_TAG)
    return HAN_TOKEN + unknown, _UNKNOWN_TAG


_TRANSPARENT = " "
_UNKNOWN_TAG = "?"
#: Decoder state: (jieba tag, corpus word or "", class) of the last token.
_State = tuple[str, str, str]


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
    lex_weight: float = LEX_WEIGHT,
) -> DecodeResult:
    """Find the best joint choice of candidates for ``slots``.

    ``bonus`` adds extra log-scores to particular candidates of particular
    slots (context cues, bracket balance); ``word_bonus`` adds log-scores to
    particular Han words (the document's own vocabulary).  Paths are scored
    by the sum of token log-probabilities plus ``tag_weight`` times the
    part-of-speech bigram correction between consecutive tokens plus, when
    the model has a :class:`~readme_tools.mojibake.models.words.LexContext`,
    ``lex_weight`` times how well each token fits the class of the token
    before it and the class of the token after it.
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

    lex = model.lex if model is not None else None
    lex_left = lex.left if lex is not None else {}
    lex_right = lex.right if lex is not None else {}
    lex_floor = lex.floor if lex is not None else {}
    lex_tags = lex.tags if lex is not None else {}

    def step(state: _State, chars: str, tag: str) -> tuple[_State, float]:
        """The state after a token and the score of the transition into it.

        A state is (tag, word, class) of the last token: its jieba tag for
        the tag bigram, and for the word-specific context the token itself
        (if it is a corpus word) and its class.
        """
        if tag == _TRANSPARENT:
            return state, 0.0
        t1, w1, c1 = state
        score = tag_weight * tag_bigram.get((t1, tag), 0.0)
        if lex is None:
            return (tag, "", ""), score
        c2 = lex_tags.get(chars) or coarse_tag(tag)
        if c1 != _UNKNOWN_TAG and chars in lex_floor:
            score += lex_weight * lex_left.get((c1, chars), lex_floor[chars])
        if c2 != _UNKNOWN_TAG and w1:
            score += lex_weight * lex_right.get((w1, c2), lex_floor[w1])
        return (tag, chars if chars in lex_floor else "", c2), score

    start: _State = (START_TAG, START_TAG, START_TAG) if lex is not None else (START_TAG, "", "")
    # forward[j]: state after the last token -> best score of a path from 0 to j.  Every
    # transition (a state before a token -> the state after it, and its score) is computed
    # here once, for the passes below: moves[j][e][state] for the e-th token ending at j.
    forward: list[dict[_State, float]] = [{} for _ in range(n + 1)]
    forward[0][start] = 0.0
    moves: list[list[dict[_State, tuple[_State, float]]]] = [[] for _ in range(n + 1)]
    for j in range(1, n + 1):
        here = forward[j]
        for i, chars, cost, tag in edges[j]:
            taken: dict[_State, tuple[_State, float]] = {}
            for state, score in forward[i].items():
                new, glue = taken[state] = step(state, chars, tag)
                value = score + glue + cost
                if value > here.get(new, _NEG_INF):
                    here[new] = value
            moves[j].append(taken)

    outgoing: list[list[tuple[int, str, float, dict[_State, tuple[_State, float]]]]] = [
        [] for _ in range(n + 1)
    ]
    for j in range(1, n + 1):
        for (i, chars, cost, _tag), taken in zip(edges[j], moves[j], strict=True):
            outgoing[i].append((j, chars, cost, taken))
    # backward[i]: state at i -> best score from i to n
    backward: list[dict[_State, float]] = [{} for _ in range(n + 1)]
    backward[n] = {state: 0.0 for state in forward[n]}
    for i in range(n - 1, -1, -1):
        table = backward[i]
        for state in forward[i]:
            best = _NEG_INF
            for j, _chars, cost, taken in outgoing[i]:
                new, glue = taken[state]
                value = glue + cost + backward[j].get(new, _NEG_INF)
                if value > best:
                    best = value
            table[state] = best

    total = max(forward[n].values()) if forward[n] else _NEG_INF
    scores: dict[int, dict[str, float]] = {i: {} for i, s in enumerate(slots) if s.damaged}
    # Best path (by following the best continuation) and max-marginals.
    best_chars: list[str] = [""] * n
    tokens: list[tuple[int, int, str]] = []
    state_i, state = 0, start
    while state_i < n:
        best = _NEG_INF
        choice: tuple[int, str, _State] | None = None
        for j, chars, cost, taken in outgoing[state_i]:
            new, glue = taken[state]
            value = glue + cost + backward[j].get(new, _NEG_INF)
            if value > best:
                best = value
                choice = (j, chars, new)
        assert choice is not None
        j, chars, state = choice
        tokens.append((state_i, j, chars))
        for k, char in enumerate(chars):
            best_chars[state_i + k] = char
        state_i = j

    for j in range(1, n + 1):
        for (i, chars, cost, _tag), taken in zip(edges[j], moves[j], strict=True):
            if not any((i + k) in scores for k in range(len(chars))):
                continue
            through = _NEG_INF
            for state, score in forward[i].items():
                new, glue = taken[state]
                value = score + glue + cost + backward[j].get(new, _NEG_INF)
                if value > through:
                    through = value
            if through == _NEG_INF:
                continue
            for k, char in enumerate(chars):
                table2 = scores.get(i + k)
                if table2 is not None and through > table2.get(char, _NEG_INF):
                    table2[char] = through
    return DecodeResult(best=tuple(best_chars), tokens=tuple(tokens), scores=scores, total=total)
