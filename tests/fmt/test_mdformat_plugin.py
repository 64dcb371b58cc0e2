"""``mdformat --extensions paperlist``: installed through the entry point, used via mdformat."""

from __future__ import annotations

import mdformat
import pytest

from readme_tools.fmt.render import layout

P = "https://arxiv.org/abs/2412.04467"
BROKEN = (
    "# L\n## S\n"
    f"* [x] **VisionZip**: Longer is Better\n  but Not Necessary. CVPR2025\n  [Paper]({P})\n"
    "  \n  Summary  \n  with a hard break.\n"
)


def test_the_entry_point_is_installed() -> None:
    from mdformat.plugins import PARSER_EXTENSIONS

    assert "paperlist" in PARSER_EXTENSIONS


def test_entry_line_is_joined_and_summary_indented() -> None:
    out = mdformat.text(BROKEN, extensions={"gfm", "paperlist"})
    assert out == (
        "# L\n\n## S\n\n"
        f"- [x] **VisionZip**: Longer is Better but Not Necessary. CVPR2025 [Paper]({P})\n\n"
        "  Summary\\\n  with a hard break.\n"
    )


def test_same_entry_shape_as_readme_fmt_layout() -> None:
    ours = layout(BROKEN).text
    theirs = mdformat.text(BROKEN, extensions={"gfm", "paperlist"})
    # Same lines except the hard break: readme-fmt keeps the document's two spaces.
    assert ours.replace("Summary  \n", "Summary\\\n") == theirs


def test_without_the_plugin_the_entry_stays_broken() -> None:
    out = mdformat.text(BROKEN, extensions={"gfm"})
    assert "Longer is Better\n  but Not Necessary" in out


def test_bracketed_links_are_not_escaped() -> None:
    text = "**Title** \\\narXiv 2023. [[Paper](https://arxiv.org/abs/2310.01400)] [[Code](https://github.com/a/b)] \\[x\\]\n"
    out = mdformat.text(text, extensions={"gfm", "paperlist"})
    assert "[[Paper](https://arxiv.org/abs/2310.01400)] [[Code](https://github.com/a/b)]" in out
    plain = mdformat.text(text, extensions={"gfm"})
    assert "\\[[Paper]" in plain


def test_thematic_break_is_three_dashes_at_top_level() -> None:
    assert mdformat.text("a\n\n***\n\nb\n", extensions={"paperlist"}) == "a\n\n---\n\nb\n"
    nested = mdformat.text("- a\n\n  ***\n", extensions={"paperlist"})
    assert "- ---" not in nested


def test_backslash_before_a_letter_is_not_doubled() -> None:
    # GitHub renders $…$ as math: mdformat's "\\textit" would change the formula.
    text = "**DORSal $\\textit{et al.}$** \\\nC:\\Users\n"
    assert mdformat.text(text, extensions={"gfm", "paperlist"}) == text
    assert "\\\\textit" in mdformat.text(text, extensions={"gfm"})


def test_text_postprocessor_looks_at_siblings_only_next_to_brackets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Found by fuzzing: the postprocessor asked every text node for its previous sibling, a
    # scan of the parent's children: quadratic in a paragraph of many links (minutes).
    from markdown_it.tree import SyntaxTreeNode

    calls: list[int] = []
    real = SyntaxTreeNode.previous_sibling
    monkeypatch.setattr(
        SyntaxTreeNode,
        "previous_sibling",
        property(lambda self: calls.append(1) or real.fget(self)),  # type: ignore[attr-defined]
    )
    text = "[a](https://x.org) and " * 200 + "[[Paper](https://x.org)]\n"
    out = mdformat.text(text, extensions={"gfm", "paperlist"})
    assert out.endswith(" [[Paper](https://x.org)]\n")
    assert len(calls) <= 2


def test_references_to_invisible_characters_are_kept_as_written() -> None:
    text = "# A&nbsp;B\n\nx&zwj;y &emsp;[a&#xa0;b](u) ![c&thinsp;d](i) Q&amp;A\n"
    out = mdformat.text(text, extensions={"gfm", "paperlist"})
    assert out == text.replace("&amp;", "&")  # visible characters are still written as such
    from mdformat._util import is_md_equal

    assert is_md_equal(text, out, extensions={"gfm", "paperlist"})


@pytest.mark.parametrize("space", ["\t", "\n  ", "\x0b", "\x0c"])
def test_a_task_checkbox_followed_by_other_whitespace(space: str) -> None:
    # mdit-py-plugins reads "[x]" then any whitespace as a checkbox but writes the checkbox
    # only before a space; mdformat-gfm then failed with a bare AssertionError.
    text = f"- [x]{space}done *now*\n- [ ]{space}todo\n"
    out = mdformat.text(text, extensions=("gfm", "paperlist"))
    assert out == "- [x] done *now*\n- [ ] todo\n"
    from mdformat._util import is_md_equal

    assert is_md_equal(text, out, extensions=("gfm", "paperlist"))
