"""Re-ranking the uncertain Han choices with a second-opinion model.

After :func:`~readme_tools.mojibake.recover.recover`, the Han choices that are not confident
can be decided again by a model that reads the text around them
(:class:`~readme_tools.mojibake.models.context.ContextModel`: a word trigram or a small
neural model). Re-ranked choices stay uncertain: the model reorders the alternatives, it
never makes a repair look sure.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Mapping, Sequence

from .choice import Choice, ranked_table, table_margin
from .detect import FAMILY_HAN
from .lattice import Slot
from .models.context import WINDOW, ContextModel
from .models.words import is_han

__all__ = ["rerank"]


def _reranked(choice: Choice, table: Mapping[str, float]) -> Choice:
    """``choice`` with its candidates scored anew by ``table``; it stays uncertain.

    As in :func:`.han._second_opinion`, the margin is capped by the old one when the
    choice is the same and is 0 when it changed: more evidence of this kind
    reorders uncertain choices, it never makes one look sure.
    """
    ranked = ranked_table(table)
    margin = min(table_margin(table), choice.margin) if ranked[0][0] == choice.chosen else 0.0
    # Candidates the model was not asked about stay listed for review, after the others
    # and as far below the weakest asked one as they were before.
    before = dict(choice.ranked)
    left = [(c, v) for c, v in choice.ranked if c not in table]
    if left:
        lowest, weakest = ranked[-1][1], min(before.get(c, 0.0) for c in table)
        ranked += tuple((c, lowest + min(0.0, v - weakest)) for c, v in left)
    return dataclasses.replace(choice, ranked=ranked[: len(choice.ranked)], margin=margin)


def rerank(
    choices: list[Choice], all_slots: Mapping[int, list[Slot]], word_lm: ContextModel
) -> list[Choice]:
    """Re-rank the uncertain Han choices jointly with a second-opinion model.

    The model is a word trigram (:mod:`.models.trigram`) or a causal language model
    (:mod:`.models.neural`), see :class:`~.models.context.ContextModel`.  Neighbouring uncertain
    characters of a run of Han text are decided together: every combination of
    their best candidates scores the sum of the candidates' own scores plus the
    model's weighted log-probability of the text around them.  Two damaged
    neighbours that are only right together (名词, 步步错) are reachable, which
    re-ranking one at a time could not do.  The choices stay uncertain (:func:`_reranked`).
    The model is asked about many groups at once: those of different lines, and
    those of a line that do not read each other (:func:`_rerank_rounds`).
    """
    result = list(choices)
    by_line: dict[int, list[int]] = {}
    for n, choice in enumerate(choices):
        by_line.setdefault(choice.line_index, []).append(n)
    rounds: list[list[tuple[list[str], list[int], list[int]]]] = []  # (chars, group, numbers)
    for index, members in by_line.items():
        open_ = {
            choices[n].start: n
            for n in members
            if not choices[n].confident and choices[n].family == FAMILY_HAN
        }
        if not open_:
            continue
        slots = all_slots[index]
        chosen = {choices[n].start: choices[n].chosen for n in members}
        chars = [chosen.get(s.start, s.options[0]) for s in slots]
        positions = [k for k, s in enumerate(slots) if s.start in open_]
        groups = _rerank_groups(chars, positions, word_lm.max_joint)
        for group, round_ in zip(groups, _rerank_rounds(groups, chars, word_lm), strict=True):
            rounds += [[] for _ in range(round_ + 1 - len(rounds))]
            rounds[round_].append((chars, group, [open_[slots[k].start] for k in group]))
    for current in rounds:  # every group of a round is asked about at once
        asks = [
            _rerank_ask(group, chars, numbers, result, word_lm) for chars, group, numbers in current
        ]
        answers = word_lm.continuations([(prefix, suffixes) for prefix, suffixes, _ in asks])
        for (chars, group, numbers), (_p, _s, combos), scores in zip(
            current, asks, answers, strict=True
        ):
            _rerank_decide(group, chars, numbers, result, combos, scores, word_lm.weight)
    word_lm.flush()
    return result


def _rerank_rounds(
    groups: Sequence[list[int]], chars: Sequence[str], word_lm: ContextModel
) -> list[int]:
    """The round in which each group of a line is asked about (see :func:`rerank`).

    A group reads the text around it: the groups before it that it reads must be
    decided first, and a group it reads (or that reads it) is decided in the
    order of the line, as if one at a time.  Groups farther apart are independent,
    so a line's groups take as many rounds as its longest chain of neighbours, and
    each round is one batch for the model.
    """
    rounds: list[int] = []
    for n, group in enumerate(groups):
        lo, _hi = word_lm.span(chars, group[0], group[-1])
        if n == 0:
            rounds.append(0)
            continue
        before = groups[n - 1]
        _lo, reach = word_lm.span(chars, before[0], before[-1])
        near = before[-1] >= lo or reach > group[0]
        rounds.append(rounds[-1] + 1 if near else 0)
    return rounds


def _rerank_groups(
    chars: Sequence[str], positions: Sequence[int], max_joint: int
) -> list[list[int]]:
    """Uncertain positions decided together: same Han run, at most WINDOW apart, a few at most."""
    groups: list[list[int]] = []
    for k in positions:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and k - last <= WINDOW
            and len(groups[-1]) < max_joint
            and all(is_han(c) for c in chars[last + 1 : k])
        ):
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def _rerank_ask(
    group: list[int],
    chars: list[str],
    numbers: list[int],
    result: list[Choice],
    word_lm: ContextModel,
) -> tuple[str, list[str], list[tuple[tuple[str, ...], float]]]:
    """What to ask the model about the uncertain positions ``group`` of ``chars``:
    the text before them, the continuation each combination of candidates makes,
    and the combinations with their built-in scores (see :func:`rerank`)."""
    options = []
    for n in numbers:  # Han candidates, and the current choice whatever it is
        ranked = result[n].ranked
        options.append([(c, v) for c, v in ranked if is_han(c) or v == 0.0][: word_lm.candidates])
    first = group[0]
    lo, hi = word_lm.span(chars, first, group[-1])
    combos = [
        (tuple(char for char, _ in combo), sum(value for _, value in combo))
        for combo in itertools.product(*options)
    ]
    floor = max(own for _, own in combos) - word_lm.max_gap
    combos = [(picked, own) for picked, own in combos if own >= floor]
    tail = chars[first:hi]
    suffixes = []
    for picked, _own in combos:
        for k, char in zip(group, picked, strict=True):
            tail[k - first] = char
        suffixes.append("".join(tail))
    return "".join(chars[lo:first]), suffixes, combos


def _rerank_decide(
    group: list[int],
    chars: list[str],
    numbers: list[int],
    result: list[Choice],
    combos: Sequence[tuple[tuple[str, ...], float]],
    scores: Sequence[float],
    weight: float,
) -> None:
    """Decide ``group`` by the combinations' built-in scores plus ``weight`` times the model's."""
    tables: list[dict[str, float]] = [{} for _ in group]
    best: tuple[float, tuple[str, ...]] = (-math.inf, ())
    for (picked, own), score in zip(combos, scores, strict=True):
        total = own + weight * score
        if total > best[0]:
            best = (total, picked)
        for table, char in zip(tables, picked, strict=True):
            if total > table.get(char, -math.inf):
                table[char] = total
    for k, n, table, char in zip(group, numbers, tables, best[1], strict=True):
        chars[k] = char
        result[n] = _reranked(result[n], table)
