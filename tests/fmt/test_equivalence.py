"""Rendering equivalence (cmark-gfm): every rendered difference needs an intended fix."""

from __future__ import annotations

import pytest

from readme_tools.fmt.equivalence import Touch, blocks, compare


def test_blocks_own_their_source_lines() -> None:
    text = "# Title\n\n- [x] **A**: B. [Paper](https://a.org/1)\n\n  summary\n\nlast\n"
    owned = [(b.first, b.owned) for b in blocks(text)]
    assert owned[0] == (1, 2)  # the heading owns the blank line after it
    assert owned[-1] == (7, 7)
    # Every line belongs to some block, in order.
    assert [first for first, _ in owned] == sorted(first for first, _ in owned)


def test_identical_texts_are_equivalent() -> None:
    text = "Text[^a].\n\n[^a]: note\n\n| a | b |\n|---|---|\n| [x](y) | z |\n"
    assert compare(text, text, []) == []


def test_layout_only_changes_are_equivalent() -> None:
    before = "* one\n* two\n\n\n# H\ntext  \n"
    after = "- one\n- two\n\n# H\ntext\n"
    assert compare(before, after, []) == []


@pytest.mark.parametrize(
    ("before", "after", "why"),
    [
        ("Text[^a].\n\n[^a]: the note\n", "Text[^a].\n\n\\[^a\\]: the note\n", "footnote escaped"),
        ("- x  \n  y\n", "- x\n  y\n", "hard break removed"),
        ("[**LCLM**](https://a.org)\n", "\\[**LCLM**\\](https://a.org)\n", "link escaped"),
        ("- a\n- b\n", "- a\n\n  - b\n", "list restructured"),
    ],
)
def test_unintended_rendering_changes_are_named(before: str, after: str, why: str) -> None:
    problems = compare(before, after, [Touch(1, 1, "none")])
    assert len(problems) == 1, why
    assert problems[0].message.startswith("the rendering of line")
    assert problems[0].first == 1


def test_escaped_underscores_in_a_destination_are_the_same_link() -> None:
    before = (
        "[a](http://papers.nips.cc/paper\\_files/x) [b](https://doi.org/10.1162/tacl\\_a\\_00407)\n"
    )
    after = "[a](http://papers.nips.cc/paper_files/x) [b](https://doi.org/10.1162/tacl_a_00407)\n"
    assert compare(before, after, []) == []


def test_a_text_fix_may_change_text_but_not_markup() -> None:
    before = "- **A**: Title. Neurips2024 [Paper](https://a.org/1)\n"
    fixed = "- **A**: Title. NeurIPS2024 [Paper](https://a.org/1)\n"
    broken = "- **A: Title. NeurIPS2024 [Paper](https://a.org/1)\n"
    assert compare(before, fixed, [Touch(1, 1, "text")]) == []
    assert compare(before, fixed, [Touch(1, 1, "none")]) != []
    assert compare(before, broken, [Touch(1, 1, "text")]) != []


def test_an_href_fix_may_change_targets_only() -> None:
    before = "- [Paper](https://arxiv.org/pdf/2401.00001v2) <https://x.org/?utm_source=a>\n"
    after = "- [Paper](https://arxiv.org/abs/2401.00001) <https://x.org/>\n"
    assert compare(before, after, [Touch(1, 1, "href")]) == []
    assert compare(before, after, [Touch(1, 1, "text")]) != []
    relabelled = "- [Code](https://arxiv.org/abs/2401.00001) <https://x.org/>\n"
    assert compare(before, relabelled, [Touch(1, 1, "href")]) != []


def test_a_touch_explains_only_its_own_lines() -> None:
    before = "- [x](https://a.org/pdf)\n\n- [y](https://b.org/pdf)\n"
    after = "- [x](https://a.org/abs)\n\n- [y](https://b.org/abs)\n"
    problems = compare(before, after, [Touch(1, 1, "href")])
    assert [(p.first, p.last) for p in problems] == [(3, 3), (0, 0)]
    assert [p.message for p in problems] == [
        "the rendering of line 3 changes: "
        "'<p><a href=\"https://b.org/pdf\">y</a></p> </li> </ul>' becomes "
        "'<p><a href=\"https://b.org/abs\">y</a></p> </li> </ul>'",
        "link target(s) lost: https://b.org/pdf",
    ]


def test_identical_blocks_are_paired_by_position_when_lines_are_known() -> None:
    entry = "- [x] **A**: T. CVPR2025 [P](https://a.org/1)\n"
    before = entry + entry.replace("[x] ", "[x]\u00a0") + entry.replace("CVPR2025", "Neurips 2024")
    after = entry * 2 + entry.replace("CVPR2025", "NeurIPS 2024")
    touches = [Touch(2, 2, "structure"), Touch(3, 3, "text")]
    assert compare(before, after, touches, line_map=[0, 1, 2, 3, 4]) == []


def test_a_structure_touch_explains_a_regenerated_block() -> None:
    before = "# T\n\n- [A](#a)\n\n## A\n\n## B\n"
    after = "# T\n\n- [A](#a)\n- [B](#b)\n\n## A\n\n## B\n"
    assert compare(before, after, []) != []
    assert compare(before, after, [Touch(3, 3, "structure")]) == []
