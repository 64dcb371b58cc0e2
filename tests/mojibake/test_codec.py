"""Byte-level view of mis-decoded text: the union code page, parsing, candidates."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from readme_tools.mojibake.codec import (
    CHAR_TO_BYTE,
    CONTINUATION_CHARS,
    LEAD_CHARS,
    LOST_BYTES,
    candidates,
    parse_run,
    sequence_length,
)

from .helpers import corrupt_char, is_damaged


def test_union_code_page_is_injective_and_covers_cp1254_and_cp1252() -> None:
    assert len(set(CHAR_TO_BYTE.values())) == 128  # every byte 0x80-0xFF
    for encoding in ("cp1252", "cp1254"):
        for byte in range(0x80, 0x100):
            try:
                char = bytes([byte]).decode(encoding)
            except UnicodeDecodeError:
                continue
            assert CHAR_TO_BYTE[char] == byte
    assert CHAR_TO_BYTE["Ğ"] == CHAR_TO_BYTE["Ð"] == 0xD0
    assert "ğ" in LEAD_CHARS and "€" in CONTINUATION_CHARS


def test_lost_bytes_are_what_cp1254_cannot_decode_plus_soft_hyphen() -> None:
    undefined = []
    for byte in range(0x80, 0x100):
        try:
            bytes([byte]).decode("cp1254")
        except UnicodeDecodeError:
            undefined.append(byte)
    assert sorted((*undefined, 0xAD)) == sorted(LOST_BYTES)


def test_parse_run_valid_and_truncated() -> None:
    # 是 (E6 98 AF) is intact, 中 (E4 B8 AD) lost its last byte.
    pieces = parse_run("æ˜¯ä¸")
    assert [p.kind for p in pieces] == ["valid", "truncated"]
    assert pieces[0].char == "是"
    assert pieces[1].missing == 1
    assert (pieces[1].start, pieces[1].end) == (3, 5)


def test_parse_run_stray_bytes() -> None:
    assert [p.kind for p in parse_run("©")] == ["stray"]
    assert [p.kind for p in parse_run("ö")] == ["stray"]  # 0xF6 starts nothing


def test_candidate_counts_match_the_issue() -> None:
    # Raw combinations: 2 positions x 8 values, or 8 x 8 for two missing bytes.
    assert len(list(itertools.product(range(2), LOST_BYTES))) == 16
    assert len(list(itertools.product(LOST_BYTES, repeat=2))) == 64
    assert 10 <= len(candidates(b"\xe4\xb8")) <= 16
    assert 32 <= len(candidates(b"\xe6")) <= 64
    assert "中" in candidates(b"\xe4\xb8") and "与" in candidates(b"\xe4\xb8")


def test_candidates_exclude_invisible_and_unassigned() -> None:
    quotes = candidates(b"\xe2\x80")
    assert "”" in quotes and "‐" in quotes
    assert "\u200e" not in quotes and "\u202d" not in quotes  # LRM, LRO
    assert "\u200d" in quotes  # ZWJ is kept for emoji sequences
    assert candidates(b"\xc2") == ()  # only controls and the soft hyphen


def test_sequence_length() -> None:
    assert [sequence_length(b) for b in (0x41, 0x80, 0xC2, 0xE4, 0xF0, 0xF8)] == [1, 0, 2, 3, 4, 0]


_TEXT_CHARS = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x0400, max_codepoint=0x045F),
    st.characters(min_codepoint=0x0370, max_codepoint=0x03FF, categories=("Ll", "Lu")),
    st.characters(min_codepoint=0x00C0, max_codepoint=0x017F),
    st.sampled_from("、。，”“—…！～【】「」『』😀📖📝🎵"),
)


@given(_TEXT_CHARS)
def test_true_character_is_always_a_candidate(char: str) -> None:
    bad = corrupt_char(char)
    pieces = parse_run(bad)
    assert len(pieces) == 1
    piece = pieces[0]
    if is_damaged(char):
        assert piece.kind == "truncated"
        assert char in candidates(piece.data)
    else:
        assert piece.kind == "valid" and piece.char == char
