"""Inline cases of the rules; tests/fixtures/golden/<rule>/ holds the golden ones."""

from __future__ import annotations

from ..conftest import findings


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


def test_invisible_characters_in_mojibake_lines_belong_to_the_mojibake_rule() -> None:
    # A C1 control inside a mis-decoded line is part of the same damage: one finding, M601.
    damaged = "## ğŸ“– Table of Contents\x85\n\nclean \x07 line\n"
    found = findings(damaged, "encoding")
    assert [d.line for d in found] == [3]
