"""The single-pass list layout and the hand-over to mdformat."""

from __future__ import annotations

import pytest

from readme_tools.fmt.render import LayoutError, find_blocks, layout

P = "https://arxiv.org/abs/2401.00001"


def test_loose_entry_list_one_blank_line_summary_indented_two() -> None:
    text = (
        "## S\n"
        f"* [x] **A**: T. CVPR2025 [Paper]({P})\n  \n   Summary\n   more.\n\n\n"
        f"* [x] **B**: T. CVPR2025 [Paper]({P})\n"
    )
    out = layout(text).text
    assert out == (
        "## S\n\n"
        f"- [x] **A**: T. CVPR2025 [Paper]({P})\n\n  Summary\n  more.\n\n"
        f"- [x] **B**: T. CVPR2025 [Paper]({P})\n"
    )


def test_tight_list_stays_tight() -> None:
    text = "- [a](https://a.io)\n- [b](https://b.io)\n"
    assert layout(text).text == text


def test_entry_line_broken_over_lines_is_joined() -> None:
    text = f"- [x] **A**: A long\n  title. CVPR2025\n  [Paper]({P})\n"
    assert layout(text).text == f"- [x] **A**: A long title. CVPR2025 [Paper]({P})\n"


def test_continuation_that_would_start_a_block_leaves_the_list_to_mdformat() -> None:
    text = "- item [a](https://a.io)\n      # not a heading\n"
    assert find_blocks(text) == []


def test_nested_list_goes_to_mdformat() -> None:
    text = "- [A](#a)\n  - [B](#b)\n"
    assert find_blocks(text) == []
    assert layout(text).text == text


def test_adjacent_lists_keep_their_markers() -> None:
    text = "- a [x](https://x.io)\n\n* b [y](https://y.io)\n"
    out = layout(text).text
    assert "- a" in out and "* b" in out


def test_tables_are_kept_as_written() -> None:
    text = "| a   | b |\n|:---:|---|\n| 1   | [x](https://x.io) |\n"
    assert layout(text).text == text


@pytest.mark.parametrize("mode", ["mdformat", "none"])
def test_text_outside_lists(mode: str) -> None:
    text = "# T\nIntro  \n\n\n\n- [a](https://a.io)\n---\n"
    out = layout(text, markdown_mode=mode).text
    if mode == "mdformat":
        assert out == "# T\n\nIntro\n\n- [a](https://a.io)\n\n---\n"
    else:
        assert out == "# T\nIntro  \n\n- [a](https://a.io)\n\n---\n"


def test_idempotent_on_its_output() -> None:
    text = (
        "# T\n> quote\n\n1. [**A.**](https://a.io) *X.*\n\n    More.\n"
        "2. [**B.**](https://b.io)\n\n```\ncode  \n\n\n```\n"
    )
    once = layout(text).text
    assert layout(once).text == once


def test_ordered_items_keep_their_continuation_width() -> None:
    text = "1. [**A.**](https://a.io)\n\n    *Authors.* ACL'24\n\n2.  [**B.**](https://b.io)\n\n     *C.*\n"
    out = layout(text).text
    assert out == (
        "1. [**A.**](https://a.io)\n\n    *Authors.* ACL'24\n\n2. [**B.**](https://b.io)\n\n     *C.*\n"
    )
    assert layout(out).text == out


def test_an_assertion_inside_mdformat_says_where_it_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Found by fuzzing: "mdformat failed: AssertionError:" with nothing after it.
    import mdformat

    def fail(*args: object, **kwargs: object) -> str:
        raise AssertionError  # a bare assert, as in mdformat-gfm

    monkeypatch.setattr(mdformat, "text", fail)
    with pytest.raises(LayoutError) as caught:
        layout("# T\n\nText.\n")
    message = str(caught.value)
    assert message.startswith("mdformat failed: AssertionError in ")
    assert "test_render.py:" in message and "in fail" in message
    assert "\n" not in message


def test_a_list_using_reference_definitions_goes_to_mdformat() -> None:
    # Found while fuzzing: the definitions a laid-out list used were unused for mdformat
    # (it saw a placeholder), which dropped them: refused as "link target lost".
    text = "- [a][X] and [b]\n- [c][]\n\n[x]: https://x.org/a\n[b]: #b\n[c]: https://x.org/c\n"
    assert find_blocks(text) == []
    assert (
        layout(text).text
        == "- [a][x] and [b]\n- [c]\n\n[b]: #b\n[c]: https://x.org/c\n[x]: https://x.org/a\n"
    )
    assert len(find_blocks("- [a] [b](https://x.org/b)\n\n[x]: https://x.org/a\n")) == 1
    own = "- [x]: https://x.org/a\n  See [x].\n- b\n"  # a definition inside an item
    assert find_blocks(own) == []
    assert "https://x.org/a" in layout(own).text
