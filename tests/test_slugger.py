"""GitHub heading anchors: github-slugger's fixtures, run in file order through one slugger."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readme_tools.slugger import Slugger, base_slug, slugs

FIXTURES = Path(__file__).parent / "fixtures" / "github-slugger" / "fixtures.json"
CASES = json.loads(FIXTURES.read_text(encoding="utf-8"))


def _newer_unicode(case: dict[str, str]) -> set[str]:
    """Characters the fixture treats as unassigned but this Python's Unicode database assigns.

    The fixtures were generated with Unicode 13; on Python >= 3.12 (Unicode 15+) a few of the
    "Unassigned" code points are letters (e.g. CJK Extension H), which GitHub keeps as well.
    """
    if case["name"] != "Unassigned":
        return set()
    return {
        c
        for c in case["input"]
        if unicodedata.category(c) != "Cn" and c not in case["expected"] and c not in " ab"
    }


def test_all_78_fixtures_in_order_through_one_slugger() -> None:
    assert len(CASES) == 78
    slugger = Slugger()
    failures = []
    for case in CASES:
        newer = _newer_unicode(case)
        text = "".join(c for c in case["input"] if c not in newer)
        got = slugger.slug(text)
        if got != case["expected"]:
            failures.append((case["name"], got[:40], case["expected"][:40]))
    assert failures == []


def test_unicode_database_exception_is_empty_on_unicode_14_or_older() -> None:
    if tuple(int(p) for p in unicodedata.unidata_version.split(".")) > (14, 0, 0):
        pytest.skip("newer Unicode database: the exception may apply")
    assert all(not _newer_unicode(case) for case in CASES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("📖 Table of Contents", "-table-of-contents"),
        ("ğŸ“– Table of Contents", "ğÿ-table-of-contents"),  # mojibake: “ and – are punctuation
        ("Valid Heading 20.04 ✔️", "valid-heading-2004-\ufe0f"),  # VS16 is a mark: kept
        ("#️⃣ Keycap Number Sign", "\ufe0f\u20e3-keycap-number-sign"),
        ("Awesome-LLM ", "awesome-llm-"),  # a badge image dropped, its space kept
        ("C++ & CUDA", "c--cuda"),
        ("标题", "标题"),
        ("", ""),
    ],
)
def test_base_slug(text: str, expected: str) -> None:
    assert base_slug(text) == expected


def test_duplicates_count_per_base_and_skip_taken() -> None:
    assert slugs(["a", "a", "a-1", "a"]) == ["a", "a-1", "a-1-1", "a-2"]
    assert slugs(["foxtrot-1", "foxtrot", "foxtrot"]) == ["foxtrot-1", "foxtrot", "foxtrot-2"]


def test_each_slugger_has_its_own_state() -> None:
    first, second = Slugger(), Slugger()
    assert first.slug("x") == "x"
    assert second.slug("x") == "x"
    assert first.slug("x") == "x-1"
    first.reset()
    assert first.slug("x") == "x"


@given(st.lists(st.text(max_size=12), max_size=30))
def test_slugs_are_unique(texts: list[str]) -> None:
    out = slugs(texts)
    assert len(set(out)) == len(out)


@given(st.text(max_size=40))
def test_base_slug_is_idempotent_and_has_no_spaces(text: str) -> None:
    once = base_slug(text)
    assert " " not in once
    assert base_slug(once) == once
