"""Inline cases of the rules; tests/fixtures/golden/<rule>/ holds the golden ones."""

from __future__ import annotations

import readme_tools
from readme_tools.diagnostics import apply_edits

from ..conftest import findings

E = "- [x] {head} CVPR2025 [Paper](https://arxiv.org/abs/2401.{n:05d})\n"


def entries(heads: list[str], box: str = "[x] ") -> str:
    return "".join(E.format(head=h, n=i + 1).replace("[x] ", box, 1) for i, h in enumerate(heads))


def test_bold_name_follows_the_dominant_style() -> None:
    named = [f"**M{i}**: Title {i}." for i in range(19)]
    unnamed = [f"Lumen-{i}: Sparse tokens for video {i}." for i in range(5)]
    found = findings(entries(named + unnamed), "bold-name")
    assert [d.line for d in found] == [20, 21, 22, 23, 24]
    assert "the title suggests **Lumen-0**" in found[0].message
    # A list that never uses bold names gets nothing.
    assert findings(entries(unnamed * 3), "bold-name") == []


def test_bold_name_only_where_the_paper_has_a_short_name() -> None:
    named = [f"**M{i}**: Title {i}." for i in range(6)]
    text = entries(named) + (
        "- [x] Unveiling the Ignorance of MLLMs: Seeing Clearly, Answering Incorrectly "
        "[Paper](https://arxiv.org/abs/2406.10638)\n"
        "- [x] Can Large Vision-Language Models Correct Grounding Errors By Themselves? CVPR2025 "
        "[Paper](https://openreview.net/pdf?id=fO1xnmW8T6)\n"
        "- [x] Perception Tokens Enhance Visual Reasoning. CVPR2025 "
        "[Paper](https://arxiv.org/abs/2412.03548)\n"
    )
    assert findings(text, "bold-name") == []


def test_bold_name_suggests_the_model_named_by_the_summary() -> None:
    text = entries([f"**M{i}**: T{i}." for i in range(3)]) + (
        "- [x] Self-Reflective Tokens for VQA. CVPR2025 [Paper](https://arxiv.org/abs/2411.16863)\n\n"
        "  ReflectiVA是一种增强多模态大语言模型的方法。\n"
    )
    (d,) = findings(text, "bold-name")
    assert "**ReflectiVA**" in d.message


def test_entry_format_reports_why_and_fixes_what_it_can() -> None:
    good = [f"**M{i}**: Title {i}." for i in range(4)]
    text = entries(good) + (
        "- [x] **NoColon** Title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00011)\n"
        "- [x] **Open**: Title without stop CVPR2025 [Paper](https://arxiv.org/abs/2401.00012)\n"
        "- [x] **Tail**: Title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00013) (great!)\n"
    )
    found = findings(text, "entry-format")
    assert [(d.line, d.severity) for d in found] == [(5, "warning"), (6, "warning"), (7, "warning")]
    assert "missing ':' after the bold name **NoColon**" in found[0].message
    assert "missing '.' between the title and the venue tag 'CVPR2025'" in found[1].message
    assert "text '(great!)' after the links" in found[2].message
    fixed = apply_edits(text, [e for d in found if d.fix for e in d.fix.edits])
    assert "**NoColon**: Title." in fixed and "Title without stop. CVPR2025" in fixed
    assert [d.line for d in findings(fixed, "entry-format")] == [7]


def test_entry_format_and_venue_tag_report_together() -> None:
    good = [f"**M{i}**: Title {i}." for i in range(4)]
    text = entries(good) + (
        "- [x] **NoColon** Title. Neurips2024 [Paper](https://arxiv.org/abs/2401.00011)\n"
    )
    found = readme_tools.lint_text(text, select=("entry-format", "venue-tag"))
    assert [(d.line, d.rule) for d in found] == [(5, "entry-format"), (5, "venue-tag")]


def test_a_summary_glued_to_the_entry_line_is_reported() -> None:
    good = [f"**M{i}**: Title {i}." for i in range(4)]
    text = entries(good) + (
        "- [x] **Glued**: Title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00011)\n"
        "  A summary that continues the paragraph.\n"
    )
    (d,) = findings(text, "entry-format")
    assert d.line == 6 and "add a blank line above it" in d.message


def test_entries_without_venues_need_no_stop_and_a_subtitle_is_title() -> None:
    heads = [
        "**Video-MME**: The First-Ever Comprehensive Evaluation Benchmark",
        "**MLVU**: Benchmarking Multi-task Long Video Understanding",
        "**ECBench**: Can Multi-modal Foundation Models Understand the Egocentric World? "
        "A Holistic Embodied Cognition Benchmark",
        "**ICQ**: Is `Right' Right? Enhancing Object Orientation Understanding",
    ]
    text = "## Benchmarks CVPR2025\n" + "".join(
        f"- [x] {h} [Paper](https://arxiv.org/abs/2401.{i:05d})\n" for i, h in enumerate(heads)
    )
    found = readme_tools.lint_text(text, select=("entry-format", "venue-tag", "bold-name"))
    assert found == []


def test_titles_may_end_with_question_or_exclamation_mark() -> None:
    text = entries([f"**M{i}**: Does it work{'?!'[i % 2]}" for i in range(4)])
    assert findings(text, "entry-format") == []


def test_entry_format_ignores_lists_in_another_style() -> None:
    text = "".join(
        f"{i}. [**Paper {i}.**](https://arxiv.org/abs/2401.{i:05d}) *Someone.* NeurIPS 2023.\n"
        for i in range(1, 30)
    )
    found = readme_tools.lint_text(text)
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


def test_a_pasted_entry_is_fixed_in_one_format_run() -> None:
    # #25.5: one lint run reports every finding of the entry, one readme-fmt run fixes the
    # fixable ones (the formatter verifies each fix against GitHub's rendering).
    from readme_tools.config import Config
    from readme_tools.fmt.pipeline import format_source
    from readme_tools.source import decode

    text = entries([f"**M{i}**: Title {i}." for i in range(4)]) + (
        "- [x] **Pasted** A fresh paper without a stop Neurips2024 "
        "[Paper](https://arxiv.org/abs/2401.00011)\n"
    )
    result = format_source(decode(text.encode(), "t.md"), Config())
    assert "- [x] **Pasted**: A fresh paper without a stop. NeurIPS2024 [Paper]" in result.text
    left = readme_tools.lint_text(result.text, select=("entry-format", "venue-tag"))
    assert left == []
