from __future__ import annotations

from readme_tools.diagnostics import apply_edits

from ..conftest import findings


def test_trailing_whitespace_but_not_hard_breaks() -> None:
    text = "para line one  \nline two\n\nend   \n  \n```\ncode  \n```\n"
    found = findings(text, "whitespace")
    assert [(d.line, d.message) for d in found] == [
        (4, "trailing whitespace"),
        (5, "whitespace-only line"),
    ]
    fixed = apply_edits(text, [e for d in found for e in d.fix.edits])  # type: ignore[union-attr]
    assert fixed == "para line one  \nline two\n\nend\n\n```\ncode  \n```\n"


def test_hard_break_before_a_new_block_is_trailing_whitespace() -> None:
    assert [d.line for d in findings("text  \n- item\n", "whitespace")] == [1]


def test_tabs_nbsp_final_newline_and_mixed_endings() -> None:
    text = "a\tb\r\n- [x]\u00a0**A**: T.\r\nno newline\n"
    found = findings(text.encode() + b"end", "whitespace")
    messages = [d.message for d in found]
    assert "tab character; use spaces" in messages
    assert any("after a checkbox" in m for m in messages)
    assert "no newline at end of file" in messages
    assert any(m.startswith("mixed line endings: LF here, CRLF elsewhere") for m in messages)


def test_nbsp_inside_mojibake_is_left_to_the_mojibake_rule(seed_text: str) -> None:
    assert [d.line for d in findings(seed_text, "whitespace")] == [11, 19, 24, 28]


def test_encoding_findings() -> None:
    text = "\ufeffa\u200bb \x07 c\ufffd 👨\u200d👩 کتاب\u200cها\n".encode() + b"bad \xff\n"
    found = findings(text, "encoding")
    messages = [d.message for d in found]
    assert messages[0].startswith("UTF-8 byte order mark")
    assert any("U+200B" in m for m in messages)
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
