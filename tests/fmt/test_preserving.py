"""readme-fmt keeps the document's own style: its diff is the fixes and nothing else.

Each case is a shape a real list uses (issue #19) that an earlier, normalising formatter
rewrote; the formatter now leaves it byte for byte and applies only the findings' fixes.
"""

from __future__ import annotations

import pytest

from .helpers import fmt

ENTRIES = (
    "- [x] **A**: Title a. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)\n"
    "- [x] **B**: Title b. CVPR2025 [Paper](https://arxiv.org/abs/2401.00002)\n"
    "- [x] **C**: Title c. CVPR2025 [Paper](https://arxiv.org/abs/2401.00003)\n"
)


@pytest.mark.parametrize(
    "text",
    [
        # A footnote definition and its reference from a table row.
        "# T\n\n| Model | Note |\n| --- | --- |\n| A | see[^transformer] |\n\n"
        "[^transformer]: Vaswani et al., 2017.\n",
        # Escaped underscores in link destinations (the href is unchanged).
        "# T\n\n- [NeurIPS](http://papers.nips.cc/paper\\_files/paper/2023/x.html)\n"
        "- [TACL](https://doi.org/10.1162/tacl\\_a\\_00407)\n",
        # '*' bullets, a tight list with badge continuation lines.
        "# T\n\n* [ChatGLM](https://github.com/THUDM/ChatGLM-6B)\n"
        "![](https://img.shields.io/github/stars/THUDM/ChatGLM-6B)\n"
        "* [Qwen](https://github.com/QwenLM/Qwen)\n  ![](https://img.shields.io/badge/a-b-c)\n",
        # Two-space and backslash hard breaks, as written.
        "# T\n\n**Title one**  \n*Authors*  \n[[Paper](https://a.org/1)]\n\n"
        "**Title two**\\\n*Authors*\\\n[[Paper](https://a.org/2)]\n",
        # Bracketed bold text that is not a link.
        "# T\n\n- [**LCLM-Horizon**] A survey of long-context models. [Paper](https://a.org/x)\n",
        # No blank line after headings, an indented quick-link list, raw CJK anchors.
        "# 论文列表\n## 目录\n  - [目录](#目录)\n  - [模型](#模型)\n## 模型\n"
        "- [Paper](https://a.org/y)\n",
        # Numbered entries with ')' and a tab-indented sub-list.
        "# T\n\n1) [A](https://a.org/1)\n\t- sub item\n2) [B](https://a.org/2)\n",
    ],
)
def test_a_clean_list_in_its_own_style_is_left_byte_for_byte(text: str) -> None:
    result = fmt(text, ignore=("whitespace",))
    assert result.text == text
    assert not result.changed


def test_only_the_finding_lines_change() -> None:
    text = (
        "# L\n## S\n"
        "* [x] **A**: Title a. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)  \n"
        "  continuation line\n"
        "* [x] **B**: Title b. Eccv2024 [Paper](https://arxiv.org/abs/2401.00002)\n"
        "* [x] **C**: Title c. CVPR2025 [Paper](https://arxiv.org/abs/2401.00003) "
        "[Code](https://github.com/a/c?utm_source=x)\n"
    )
    result = fmt(text)
    assert result.text == text.replace("Eccv2024", "ECCV2024").replace("?utm_source=x", "")
    assert sorted(a.rule for a in result.applied) == ["link-tracking", "venue-tag"]


@pytest.mark.parametrize(
    ("how", "kwargs"),
    [
        ("--ignore", {"ignore": ("venue-tag",)}),
        ("--select", {"select": ("link-tracking",)}),
        ("config ignore", {"config": {"ignore": ["venue-tag"]}}),
        ("config select", {"config": {"select": ["whitespace"]}}),
    ],
)
def test_the_formatter_obeys_every_selection(how: str, kwargs: dict[str, object]) -> None:
    text = "# L\n\n## S\n\n" + ENTRIES.replace("CVPR2025", "Neurips2024", 1)
    result = fmt(text, **kwargs)  # type: ignore[arg-type]
    assert "Neurips2024" in result.text, how
    assert not result.changed, how


@pytest.mark.parametrize(
    "comment",
    [
        "<!-- readme-lint disable venue-tag -->\n{entry}<!-- readme-lint enable venue-tag -->\n",
        "<!-- readme-lint disable-next-line venue-tag -->\n{entry}",
        "<!-- readme-lint disable -->\n{entry}<!-- readme-lint enable -->\n",
    ],
)
def test_inline_disable_comments_keep_their_lines_as_written(comment: str) -> None:
    bad = "- [x] **D**: Title d. Neurips2024 [Paper](https://arxiv.org/abs/2401.00004)\n"
    text = "# L\n\n## S\n\n" + ENTRIES + comment.format(entry=bad)
    result = fmt(text)
    assert result.text == text
    # The same entry without the comment is fixed.
    assert "NeurIPS2024" in fmt("# L\n\n## S\n\n" + ENTRIES + bad).text
