"""The longest increasing subsequence shared by the aligner, section order and the TOC."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from readme_tools.sequences import longest_increasing


def _longest_length(values: list[int], strict: bool) -> int:
    best = [1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] < values[i] or (not strict and values[j] == values[i]):
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@given(st.lists(st.integers(0, 9), max_size=40), st.booleans())
def test_an_increasing_subsequence_of_the_greatest_length(values: list[int], strict: bool) -> None:
    positions = longest_increasing(values, strict=strict)
    assert positions == sorted(set(positions))
    chosen = [values[p] for p in positions]
    pairs = list(itertools.pairwise(chosen))
    assert all(a < b if strict else a <= b for a, b in pairs)
    assert len(positions) == _longest_length(values, strict)
