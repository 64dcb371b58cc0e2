"""The server's copy of a document: incremental changes, line bookkeeping, LSP positions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readme_tools.lsp.documents import (
    UTF8,
    UTF16,
    UTF32,
    Document,
    column_of,
    line_starts,
    shift_lines,
    split_lines,
    units,
)

# Text with every LSP line break, astral characters (two UTF-16 units), and U+2028, which
# str.splitlines treats as a line break and LSP does not.
ALPHABET = st.sampled_from(["a", "b", " ", "\n", "\r", "\r\n", "é", "中", "📖", "\u2028"])
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)


def lines_of(text: str) -> list[str]:
    """LSP lines, the reference: split at \\r\\n, \\r and \\n only."""
    return re.split(r"\r\n|\r|\n", text)


def to_units(line: str, column: int, encoding: str) -> int:
    prefix = line[:column]
    if encoding == UTF8:
        return len(prefix.encode("utf-8"))
    if encoding == UTF16:
        return len(prefix.encode("utf-16-le")) // 2
    return len(prefix)


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, tuple[int, int], tuple[int, int], str, str]:
    text = draw(TEXTS)
    encoding = draw(st.sampled_from([UTF8, UTF16, UTF32]))
    lines = lines_of(text)
    a_line = draw(st.integers(0, len(lines) - 1))
    b_line = draw(st.integers(a_line, len(lines) - 1))
    a_col = draw(st.integers(0, len(lines[a_line])))
    low = a_col if b_line == a_line else 0
    b_col = draw(st.integers(low, len(lines[b_line])))
    new = draw(TEXTS)
    start = (a_line, to_units(lines[a_line], a_col, encoding))
    end = (b_line, to_units(lines[b_line], b_col, encoding))
    return text, start, end, new, encoding


def offset_of(text: str, line: int, column: int) -> int:
    """Reference offset of a (line, code-point column)."""
    pos = 0
    for _ in range(line):
        match = re.compile(r"\r\n|\r|\n").search(text, pos)
        assert match is not None
        pos = match.end()
    return pos + column


@given(edits())
@settings(max_examples=400, deadline=None)
def test_incremental_change_matches_a_rebuilt_document(
    case: tuple[str, tuple[int, int], tuple[int, int], str, str],
) -> None:
    text, start, end, new, encoding = case
    doc = Document("file:///t.md", text, 1, encoding)
    lines = lines_of(text)
    a = offset_of(text, start[0], column_of(lines[start[0]], start[1], encoding))
    b = offset_of(text, end[0], column_of(lines[end[0]], end[1], encoding))
    expected = text[:a] + new + text[b:]
    edit = doc.apply(start, end, new, 2)
    assert doc.text == expected
    assert doc.version == 2
    fresh = Document("file:///t.md", expected, 2, encoding)
    assert doc.line_count == fresh.line_count == len(lines_of(expected))
    assert [doc.line(n) for n in range(doc.line_count)] == lines_of(expected)
    # Lines outside the edit are the old ones, moved by its delta.
    old = lines_of(text)
    now = lines_of(expected)
    for n in range(edit.first):
        assert now[n] == old[n]
    for n in range(edit.last + 1, len(old)):
        assert now[n + edit.delta] == old[n]
    assert edit.first + edit.count <= len(now)


@given(TEXTS, TEXTS)
@settings(max_examples=300, deadline=None)
def test_full_change_reports_the_lines_that_differ(old: str, new: str) -> None:
    doc = Document("file:///t.md", old, 1)
    edit = doc.replace(new, 2)
    assert doc.text == new
    before, after = lines_of(old), lines_of(new)
    assert edit.count >= 1 and edit.last >= edit.first
    for n in range(edit.first):
        assert after[n] == before[n]
    for n in range(edit.last + 1, len(before)):
        assert after[n + edit.delta] == before[n]


@given(TEXTS)
def test_split_lines_keeps_the_text_and_cuts_only_at_lsp_breaks(text: str) -> None:
    pieces = split_lines(text)
    assert "".join(pieces) == text
    assert len(line_starts(text)) == len(lines_of(text))
    for piece in pieces[:-1]:
        assert piece.endswith(("\n", "\r"))


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [(UTF8, [0, 1, 3, 7, 8]), (UTF16, [0, 1, 2, 4, 5]), (UTF32, [0, 1, 2, 3, 4])],
)
def test_positions_in_each_encoding(encoding: str, expected: list[int]) -> None:
    line = "aé📖b"
    doc = Document("file:///t.md", f"x\n{line}\n", 1, encoding)
    assert [doc.to_client(1, c)[1] for c in range(5)] == expected
    assert [column_of(line, u, encoding) for u in expected] == [0, 1, 2, 3, 4]
    assert units(line, encoding) == expected[-1]
    assert doc.offset(1, expected[3]) == 2 + 3
    assert doc.end() == (2, 0)


def test_shift_lines_moves_later_lines_and_adds_the_written_ones() -> None:
    doc = Document("file:///t.md", "a\nb\nc\nd\n", 1)
    edit = doc.apply((1, 0), (2, 1), "x\ny\nz", 2)  # b, c -> x, y, z
    assert doc.text == "a\nx\ny\nz\nd\n"
    assert (edit.first, edit.last, edit.count, edit.delta) == (1, 2, 3, 1)
    assert shift_lines({0, 3}, [edit]) == {0, 1, 2, 3, 4}
