"""Inline cases of the rules; tests/fixtures/golden/<rule>/ holds the golden ones."""

from __future__ import annotations

from ..conftest import findings

E = "- [x] {head} CVPR2025 [Paper](https://arxiv.org/abs/2401.{n:05d})\n"


def entries(heads: list[str], box: str = "[x] ") -> str:
    return "".join(E.format(head=h, n=i + 1).replace("[x] ", box, 1) for i, h in enumerate(heads))


def test_bold_name_follows_the_dominant_style() -> None:
    named = [f"**M{i}**: Title {i}." for i in range(19)]
    unnamed = [f"Plain title {i}." for i in range(5)]
    found = findings(entries(named + unnamed), "bold-name")
    assert [d.line for d in found] == [20, 21, 22, 23, 24]
    # A list that never uses bold names gets nothing.
    assert findings(entries(unnamed * 3), "bold-name") == []


def test_summary_subject_flags_a_summary_about_another_model(seed_text: str) -> None:
    found = findings(seed_text, "summary-subject")
    assert [(d.line, d.column) for d in found] == [(29, 3)]
    assert "Llama-VID" in found[0].message and "Insight-V" in found[0].message
