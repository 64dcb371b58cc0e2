"""Longest increasing subsequences: what stays in place when a sequence is put in order.

Used where a sequence is compared with its sorted form: the anchors of the formatter's
alignment (:mod:`readme_tools.fmt.align`), the entries already in a section's order
(:mod:`readme_tools.listdata.order`) and the TOC items already in heading order
(:mod:`readme_tools.rules.toc`). Patience sorting, O(n log n).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

__all__ = ["longest_increasing"]


def longest_increasing(values: Sequence[int], *, strict: bool = True) -> list[int]:
    """Positions (ascending) of one longest increasing subsequence of ``values``.

    ``strict=False``: non-decreasing (equal values may follow each other).
    """
    place = bisect.bisect_left if strict else bisect.bisect_right
    tails: list[int] = []  # the smallest last value of an increasing run of each length
    tail_pos: list[int] = []  # where that run ends
    parent = [-1] * len(values)
    for pos, value in enumerate(values):
        k = place(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[k] = value
            tail_pos[k] = pos
        parent[pos] = tail_pos[k - 1] if k else -1
    chain: list[int] = []
    pos = tail_pos[-1] if tail_pos else -1
    while pos >= 0:
        chain.append(pos)
        pos = parent[pos]
    chain.reverse()
    return chain
