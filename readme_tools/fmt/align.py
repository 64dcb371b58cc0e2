"""Align two sequences of hashable items that are mostly equal: a patience diff.

``difflib.SequenceMatcher`` is quadratic on long sequences with many repeated items (45 s for
the 60,000 rendered blocks of a 20k-entry list); a formatter's before/after differ in a few
places only. Patience alignment anchors on the items that occur exactly once in both
sequences (most rendered paragraphs hold a unique title or URL), keeps the longest run of
anchors that appear in the same order in both, and recurses into the gaps between them;
small gaps without unique items fall back to ``difflib``.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Literal, NamedTuple

from readme_tools.sequences import longest_increasing

#: Gaps with no unique anchor up to this size (items on both sides multiplied) go to difflib.
SMALL_GAP = 40_000

Tag = Literal["replace", "delete", "insert"]


class Hunk(NamedTuple):
    """``a[a_start:a_end]`` became ``b[b_start:b_end]`` (one side may be empty)."""

    tag: Tag
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def align(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Hunk]:
    """The differing regions of ``a`` and ``b``, in order (everything else is equal)."""
    out: list[Hunk] = []
    _align(a, b, 0, len(a), 0, len(b), out)
    return _merge(out)


def _align(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    a_lo: int,
    a_hi: int,
    b_lo: int,
    b_hi: int,
    out: list[Hunk],
) -> None:
    while a_lo < a_hi and b_lo < b_hi and a[a_lo] == b[b_lo]:
        a_lo += 1
        b_lo += 1
    while a_lo < a_hi and b_lo < b_hi and a[a_hi - 1] == b[b_hi - 1]:
        a_hi -= 1
        b_hi -= 1
    if a_lo == a_hi and b_lo == b_hi:
        return
    if a_lo == a_hi or b_lo == b_hi:
        out.append(_hunk(a_lo, a_hi, b_lo, b_hi))
        return
    anchors = _anchors(a, b, a_lo, a_hi, b_lo, b_hi)
    if not anchors:
        _small(a, b, a_lo, a_hi, b_lo, b_hi, out)
        return
    for i, j in anchors:
        _align(a, b, a_lo, i, b_lo, j, out)
        a_lo, b_lo = i + 1, j + 1
    _align(a, b, a_lo, a_hi, b_lo, b_hi, out)


def _anchors(
    a: Sequence[Hashable], b: Sequence[Hashable], a_lo: int, a_hi: int, b_lo: int, b_hi: int
) -> list[tuple[int, int]]:
    """Pairs (i, j) of items unique in both ranges, the longest increasing chain of them."""
    count_a = Counter(a[a_lo:a_hi])
    count_b = Counter(b[b_lo:b_hi])
    where_b = {b[j]: j for j in range(b_lo, b_hi) if count_b[b[j]] == 1}
    pairs = [
        (i, where_b[a[i]]) for i in range(a_lo, a_hi) if count_a[a[i]] == 1 and a[i] in where_b
    ]
    if not pairs:
        return []
    # The longest chain of them in the same order in both.
    return [pairs[k] for k in longest_increasing([j for _, j in pairs])]


def _small(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    a_lo: int,
    a_hi: int,
    b_lo: int,
    b_hi: int,
    out: list[Hunk],
) -> None:
    if (a_hi - a_lo) * (b_hi - b_lo) > SMALL_GAP:
        out.append(_hunk(a_lo, a_hi, b_lo, b_hi))  # no anchor: report the gap whole
        return
    matcher = difflib.SequenceMatcher(None, a[a_lo:a_hi], b[b_lo:b_hi], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            out.append(_hunk(a_lo + i1, a_lo + i2, b_lo + j1, b_lo + j2))


def _hunk(a_lo: int, a_hi: int, b_lo: int, b_hi: int) -> Hunk:
    tag: Tag = "replace" if a_lo < a_hi and b_lo < b_hi else "delete" if a_lo < a_hi else "insert"
    return Hunk(tag, a_lo, a_hi, b_lo, b_hi)


def _merge(hunks: list[Hunk]) -> list[Hunk]:
    """Adjacent hunks joined (a delete next to an insert is one replacement)."""
    merged: list[Hunk] = []
    for hunk in hunks:
        if merged and merged[-1].a_end == hunk.a_start and merged[-1].b_end == hunk.b_start:
            last = merged.pop()
            hunk = _hunk(last.a_start, hunk.a_end, last.b_start, hunk.b_end)
        merged.append(hunk)
    return merged
