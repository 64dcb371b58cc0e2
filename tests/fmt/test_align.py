"""The patience alignment: its hunks turn one sequence into the other, and only differences."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from readme_tools.fmt.align import Hunk, align


def _apply(a: list[int], b: list[int], hunks: list[Hunk]) -> list[int]:
    out: list[int] = []
    pos = 0
    for hunk in hunks:
        out.extend(a[pos : hunk.a_start])
        out.extend(b[hunk.b_start : hunk.b_end])
        pos = hunk.a_end
    out.extend(a[pos:])
    return out


@given(st.lists(st.integers(0, 6), max_size=60), st.lists(st.integers(0, 6), max_size=60))
def test_hunks_rebuild_the_second_sequence(a: list[int], b: list[int]) -> None:
    hunks = align(a, b)
    assert _apply(a, b, hunks) == b
    # Hunks are ordered, disjoint and never empty on both sides.
    for first, second in itertools.pairwise(hunks):
        assert first.a_end <= second.a_start and first.b_end <= second.b_start
    assert all(h.a_end > h.a_start or h.b_end > h.b_start for h in hunks)


@given(st.lists(st.integers(), max_size=80, unique=True), st.data())
def test_one_local_change_is_one_small_hunk(a: list[int], data: st.DataObject) -> None:
    if not a:
        assert align(a, a) == []
        return
    k = data.draw(st.integers(0, len(a) - 1))
    b = [*a[:k], -1, *a[k + 1 :]] if -1 not in a else a
    hunks = align(a, b)
    assert _apply(a, b, hunks) == b
    if b != a:
        assert hunks == [Hunk("replace", k, k + 1, k, k + 1)]


def test_an_insertion_at_the_top_of_a_long_sequence_is_found_exactly() -> None:
    a = [f"block {i}" for i in range(50_000)]
    b = ["new 1", "new 2", *a[:20_000], "changed", *a[20_001:]]
    assert align(a, b) == [
        Hunk("insert", 0, 0, 0, 2),
        Hunk("replace", 20_000, 20_001, 20_002, 20_003),
    ]


def test_repeated_items_without_anchors_are_diffed_locally() -> None:
    a = ["<li>", "x", "</li>", "<li>", "x", "</li>"]
    b = ["<li>", "x", "</li>", "<li>", "y", "</li>"]
    assert align(a, b) == [Hunk("replace", 4, 5, 4, 5)]
