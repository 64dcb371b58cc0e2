from __future__ import annotations

import readme_tools
from readme_tools.diagnostics import apply_edits

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


def test_bold_name_suggests_the_model_named_by_the_summary() -> None:
    text = entries([f"**M{i}**: T{i}." for i in range(3)]) + (
        "- [x] Self-Reflective Tokens for VQA. CVPR2025 [Paper](https://arxiv.org/abs/2411.16863)\n\n"
        "  ReflectiVA是一种增强多模态大语言模型的方法。\n"
    )
    (d,) = findings(text, "bold-name")
    assert "**ReflectiVA**" in d.message


def test_entry_format_reports_why() -> None:
    good = [f"**M{i}**: Title {i}." for i in range(4)]
    text = entries(good) + (
        "- [x] **NoColon** Title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00011)\n"
        "- [x] **Open**: Title without stop CVPR2025 [Paper](https://arxiv.org/abs/2401.00012)\n"
        "- [x] **Tail**: Title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00013) (great!)\n"
    )
    messages = [(d.line, d.message) for d in findings(text, "entry-format")]
    assert [line for line, _ in messages] == [5, 6, 7]
    assert "followed by ':'" in messages[0][1]
    assert "'.', '?' or '!'" in messages[1][1]
    assert "links must end" in messages[2][1]


def test_titles_may_end_with_question_or_exclamation_mark() -> None:
    text = entries([f"**M{i}**: Does it work{'?!'[i % 2]}" for i in range(4)])
    assert findings(text, "entry-format") == []


def test_entry_format_ignores_lists_in_another_style() -> None:
    text = "".join(
        f"{i}. [**Paper {i}.**](https://arxiv.org/abs/2401.{i:05d}) *Someone.* NeurIPS 2023.\n"
        for i in range(1, 30)
    )
    found = readme_tools.lint_text(text, path="t.md", fixes=True)
    assert found == []


def test_checkbox_missing_and_case() -> None:
    text = (
        entries([f"**M{i}**: T{i}." for i in range(5)])
        + entries(["**N**: T."], box="")
        + entries(["**O**: T."], box="[X] ")
    )
    found = findings(text, "checkbox")
    assert [d.line for d in found] == [6, 7]
    fixed = apply_edits(text, [e for d in found for e in d.fix.edits])  # type: ignore[union-attr]
    assert findings(fixed, "checkbox") == []
    assert "- [ ] **N**: T." in fixed and "- [x] **O**: T." in fixed


def test_summary_subject_flags_a_summary_about_another_model(seed_text: str) -> None:
    found = findings(seed_text, "summary-subject")
    assert [(d.line, d.column) for d in found] == [(29, 3)]
    assert "Llama-VID" in found[0].message and "Insight-V" in found[0].message


def test_summary_subject_accepts_partial_names() -> None:
    text = (
        entries(["**Molmo and PixMo**: Open weights."]) + "\n  PixMo is a dataset; Molmo a model.\n"
    )
    assert findings(text, "summary-subject") == []
