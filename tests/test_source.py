from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readme_tools.source import InputError, decode, encode


def test_bom_is_stripped_and_remembered() -> None:
    src = decode(b"\xef\xbb\xbf# Title\n")
    assert src.text == "# Title\n"
    assert src.had_bom
    assert encode(src.text, src) == b"\xef\xbb\xbf# Title\n"


def test_crlf_and_cr_are_normalised_but_positions_match_the_original() -> None:
    src = decode(b"a\r\nbb\rccc\n")
    assert src.text == "a\nbb\nccc\n"
    assert src.line_endings == ("\r\n", "\r", "\n", "")
    assert src.position(src.text.index("ccc") + 1) == (3, 2)


def test_dominant_newline_is_kept_on_encode() -> None:
    src = decode(b"a\r\nb\r\nc\n")
    assert src.newline == "\r\n"
    assert encode("a\nb\n", src) == b"a\r\nb\r\n"


def test_invalid_utf8_is_recorded_with_byte_offset_and_line() -> None:
    src = decode(b"ok\nab\xffcd\n")
    assert src.text == "ok\nab\ufffdcd\n"
    (bad,) = src.invalid
    assert (bad.byte_offset, bad.line, bad.column, bad.length) == (5, 2, 3, 1)
    assert src.text[bad.offset] == "\ufffd"


def test_invalid_utf8_offsets_survive_crlf_normalisation() -> None:
    src = decode(b"a\r\nb\r\n\xfe!\r\n")
    (bad,) = src.invalid
    assert (bad.line, bad.column, bad.byte_offset) == (3, 1, 6)
    assert src.text[bad.offset] == "\ufffd"


def test_many_invalid_sequences_decode_in_linear_time() -> None:
    # Found by fuzzing: each invalid run decoded the rest of the input again, so 2.5 MB with
    # 640k invalid bytes took minutes. The runs' offsets are unchanged.
    raw = b"ab\xff\n" * 200_000 + b"\xe4\xb8 \xf0\x9f\x93\x96\xc0\xaf"
    src = decode(raw, "t.md")
    assert len(src.invalid) == 200_003
    assert (src.invalid[1].byte_offset, src.invalid[1].line, src.invalid[1].column) == (6, 2, 3)
    tail = src.invalid[-3:]
    assert [(b.byte_offset - 800_000, b.length) for b in tail] == [(0, 2), (7, 1), (8, 1)]
    assert src.text.endswith("\ufffd 📖\ufffd\ufffd")


def test_legacy_encoding_is_guessed() -> None:
    src = decode("论文列表，中文摘要".encode("gbk"))
    assert src.invalid
    assert src.encoding_guess == "gb18030"


def test_binary_input_is_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        decode(b"\x00\x01\x02PNG", "x.png")


def test_empty_input() -> None:
    src = decode(b"")
    assert src.text == "" and src.line_count == 1 and src.position(0) == (1, 1)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00")))
def test_decode_encode_round_trip(text: str) -> None:
    src = decode(text.encode("utf-8"))
    assert encode(src.text, src) == text.encode("utf-8")


@given(
    st.lists(st.text(alphabet="ab \u00e9中", max_size=8), max_size=8),
    st.sampled_from(["\n", "\r\n"]),
)
def test_position_and_offset_are_inverse(lines: list[str], newline: str) -> None:
    src = decode(newline.join(lines).encode("utf-8"))
    for offset in range(len(src.text) + 1):
        line, column = src.position(offset)
        assert src.offset(line, column) == offset
