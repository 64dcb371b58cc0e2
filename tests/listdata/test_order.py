"""section-order: golden files per order, an ordered list untouched, moves that keep blocks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readme_tools.listdata.order import longest_in_order, sorted_positions

from ..conftest import findings
from .helpers import FIXTURES, fmt, golden

ORDER = FIXTURES / "order"

INFERRED = {"order": {"report-inferred": True}}
CASES = {
    # fixture: (config table, lines reported)
    "date": (INFERRED, [19]),
    "name": (INFERRED, [7]),
    "year": (None, [8, 10]),  # marked in the section
    "numbered": ({"order": {"default": "date"}}, [6]),
}


@pytest.mark.parametrize("name", ["date", "name"])
def test_an_inferred_order_is_reported_only_when_asked(name: str) -> None:
    text = (ORDER / f"{name}.md").read_text(encoding="utf-8")
    assert findings(text, "section-order") == []
    # The same order configured is reported without asking.
    configured = findings(text, "section-order", config={"order": {"default": name}})
    assert [d.line for d in configured] == CASES[name][1]


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    table, lines = CASES[name]
    text = (ORDER / f"{name}.md").read_text(encoding="utf-8")
    found = findings(text, "section-order", config=table)
    assert [d.line for d in found] == lines, [d.message for d in found]
    fixed = fmt(text, ("section-order",), table)
    golden(ORDER / f"{name}.fixed.md", fixed)
    assert findings(fixed, "section-order", config=table) == []
    assert fmt(fixed, ("section-order",), table) == fixed  # idempotent


def test_message_names_the_order_and_the_place() -> None:
    text = (ORDER / "date.md").read_text(encoding="utf-8")
    (finding,) = findings(text, "section-order", config=INFERRED)
    assert finding.message == (
        "entry 'DivPrune' is out of order: this run of 10 entries is sorted by arXiv date, "
        "newest first (inferred: 9 of 10 entries follow it); it belongs before 'FlashSloth'"
    )
    assert finding.severity == "warning" and finding.fixable


def test_an_ordered_list_is_untouched() -> None:
    text = (ORDER / "sorted.md").read_text(encoding="utf-8")
    assert findings(text, "section-order") == []
    assert fmt(text, ("section-order",)) == text


def test_entries_keep_their_summaries_and_sub_items() -> None:
    fixed = (ORDER / "date.fixed.md").read_text(encoding="utf-8")
    assert fixed.index("**DivPrune**") < fixed.index("DivPrune was added last")
    assert fixed.index("DivPrune was added last") < fixed.index("**FlashSloth**")
    assert (
        "- [x] **Critic-V**: VLM Critics Help Catch VLM Errors in Multimodal Reasoning. CVPR2025 [Paper](https://arxiv.org/abs/2411.18203)\n  - [x] **Critic-V 2**"
        in fixed
    )


def test_pinned_entry_stays() -> None:
    fixed = (ORDER / "name.fixed.md").read_text(encoding="utf-8")
    lines = [line for line in fixed.splitlines() if line.startswith("* ")]
    assert lines[0].startswith("* ALI ")
    assert lines[-1].startswith("* WGAN ")


def test_numbered_list_keeps_its_numbers() -> None:
    fixed = (ORDER / "numbered.fixed.md").read_text(encoding="utf-8")
    numbers = [line.split(".")[0] for line in fixed.splitlines() if line[:1].isdigit()]
    assert numbers == ["8", "9", "10", "11"]
    assert "\n   Read this one first." in fixed  # re-indented under "9."


def test_order_none_turns_it_off() -> None:
    text = (ORDER / "date.md").read_text(encoding="utf-8")
    assert findings(text, "section-order", config={"order": {"default": "none"}}) == []
    table = {"order": {"sections": {"vision": "none"}}}
    assert findings(text, "section-order", config=table) == []


def test_configured_section_order() -> None:
    text = (ORDER / "sorted.md").read_text(encoding="utf-8")
    table = {"order": {"sections": {"Vision": "name"}}}
    found = findings(text, "section-order", config=table)
    assert found and all("name, A to Z (configured)" in d.message for d in found)


def test_too_few_entries_infer_nothing() -> None:
    text = "# L\n\n" + "".join(
        f"- **P{i}**: T. CVPR2024 [Paper](https://arxiv.org/abs/{y}.0000{i})\n"
        for i, y in enumerate(["2401", "2403", "2402", "2405"])
    )
    assert findings(text, "section-order") == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 5)), max_size=12), st.data())
def test_sort_is_a_stable_permutation_that_keeps_fixed_places(keys, data) -> None:  # type: ignore[no-untyped-def]
    fixed = data.draw(st.lists(st.booleans(), min_size=len(keys), max_size=len(keys)))
    perm = sorted_positions(keys, "name", fixed)
    assert sorted(perm) == list(range(len(keys)))
    for slot, pos in enumerate(perm):
        if keys[slot] is None or fixed[slot]:
            assert pos == slot
    moved = [keys[p] for p in perm if keys[p] is not None and not fixed[p]]
    assert moved == sorted(moved)
    ranks = [k for k in keys if k is not None]
    assert len(longest_in_order(sorted(ranks))) == len(ranks)
