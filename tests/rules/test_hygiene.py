"""Inline cases of the rules; tests/fixtures/golden/<rule>/ holds the golden ones."""

from __future__ import annotations

from readme_tools.diagnostics import apply_edits

from ..conftest import findings


def test_hard_break_before_a_new_block_is_trailing_whitespace() -> None:
    assert [d.line for d in findings("text  \n- item\n", "whitespace")] == [1]


def test_tabs_nbsp_final_newline_and_mixed_endings() -> None:
    text = "a\tb\r\n- [x]\u00a0**A**: T.\r\nno newline\n"
    found = findings(text.encode() + b"end", "whitespace")
    messages = [d.message for d in found]
    assert any(m.startswith("tab character inside the text") for m in messages)
    assert any("after a checkbox" in m for m in messages)
    assert "no newline at end of file" in messages
    assert any(m.startswith("mixed line endings: LF here, CRLF elsewhere") for m in messages)


def test_backslash_then_space_is_reported_without_a_fix_that_makes_a_hard_break() -> None:
    # amirhossein-kz:536: removing the space would turn the backslash into a line break.
    text = "**Title** \\\n*Authors* \\\n[2025] [arXiv] \\ \n[[Paper](https://x.org/p)]\n"
    (d,) = findings(text, "whitespace")
    assert d.line == 3 and d.fix is None and "backslash" in d.message
    from readme_tools.fmt.equivalence import render

    assert render(text) != render(text.replace("\\ \n", "\\\n"))  # the rendering would change
    # At the end of a paragraph the backslash is text either way: the fix is offered.
    (end,) = findings("end of it \\ \n\nnext\n", "whitespace")
    assert end.message == "trailing whitespace" and end.fix is not None


def test_hard_break_style_is_learned() -> None:
    backslash = "".join(f"line {i} \\\nnext {i}\n\n" for i in range(6))
    text = backslash + "odd one  \nnext\n"
    (d,) = findings(text, "whitespace")
    assert "hard break written as trailing spaces where this list writes" in d.message
    fixed = apply_edits(text, list(d.fix.edits))  # type: ignore[union-attr]
    assert fixed.endswith("odd one\\\nnext\n")
    from readme_tools.fmt.equivalence import render

    assert render(fixed) == render(text)  # both are <br />
    spaces = "".join(f"line {i}  \nnext {i}\n\n" for i in range(6))
    assert findings(spaces, "whitespace") == []


def test_tab_indentation_follows_the_list() -> None:
    tabbed = "- [A](#a)\n\t* [B](#b)\n\t* [C](#c)\n" * 3
    assert findings(tabbed, "whitespace") == []  # the list indents with tabs throughout
    spaced = "- a\n  - b\n" * 6 + "- c\n\t- d\n"
    (d,) = findings(spaced, "whitespace")
    assert d.line == 14 and d.message.startswith("indented with a tab where this list indents")
    mixed = "- a\n  - b\n- c\n\t- d\n"
    assert findings(mixed, "whitespace") == []  # too few lines to learn a habit


def test_nbsp_once_per_line_and_only_where_it_matters() -> None:
    nb = "\u00a0"
    text = (
        f"- Ran Hong,{nb}Feng Lu,{nb}Leilei Cao.<br />\n"  # authors: invisible, harmless
        f'"A{nb}Mutual{nb}Information Perspective." ICLR (2020).\n'
        f"1. **Finding Universal Relations in Multilingual{nb}BERT**. *E. Chi*. ACL 2020.\n"
        f"## Image{nb}LLMs\n"
    )
    found = findings(text, "whitespace")
    assert [(d.line, d.message.split(" (U+00A0)")[0]) for d in found] == [
        (2, "2 non-breaking spaces"),
        (3, "a non-breaking space"),
        (4, "a non-breaking space"),
    ]
    fixed = apply_edits(text, [e for d in found for e in d.fix.edits])  # type: ignore[union-attr]
    assert fixed.count(nb) == 2  # only the author line keeps its NBSPs


def test_nbsp_inside_mojibake_is_left_to_the_mojibake_rule(seed_text: str) -> None:
    assert [d.line for d in findings(seed_text, "whitespace")] == [11, 19, 24, 28]


def test_encoding_findings() -> None:
    text = "\ufeffa\u200bb \x07 c\ufffd 👨\u200d👩 کتاب\u200cها\n".encode() + b"bad \xff\n"
    found = findings(text, "encoding")
    messages = [d.message for d in found]
    assert messages[0].startswith("UTF-8 byte order mark")
    assert any("U+200B" in m for m in messages)
    invisible = [d for d in found if "U+200B" in d.message or "byte order" in d.message]
    assert [d.severity for d in invisible] == ["warning", "warning"]  # nothing broken
    broken = [d for d in found if "U+FFFD" in d.message or "U+0007" in d.message]
    assert len(broken) == 2 and all(d.severity == "error" for d in broken)
    assert any("U+0007" in m for m in messages)
    assert any("U+FFFD" in m for m in messages)
    assert any("invalid UTF-8: 1 byte(s) at byte offset" in m for m in messages)
    assert not any("U+200D" in m or "U+200C" in m for m in messages)  # emoji ZWJ, Persian ZWNJ


def test_gbk_file_is_one_finding_naming_the_encoding() -> None:
    text = "# 论文\n- [x] **模型**: 中文标题。 CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)\n"
    (d,) = findings(text.encode("gbk"), "encoding")
    assert "not valid UTF-8" in d.message and "gb18030" in d.message


def test_invisible_characters_in_mojibake_lines_belong_to_the_mojibake_rule() -> None:
    # A C1 control inside a mis-decoded line is part of the same damage: one finding, M601.
    damaged = "## ğŸ“– Table of Contents\x85\n\nclean \x07 line\n"
    found = findings(damaged, "encoding")
    assert [d.line for d in found] == [3]
