"""The formatter's edit log: edits of later rounds traced back to the input's lines."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readme_tools.diagnostics import Edit
from readme_tools.fmt.log import EditLog

LINES = st.lists(st.text(alphabet="ab ", max_size=6), min_size=1, max_size=8)
REPLACEMENT = st.text(alphabet="xy\n", max_size=4)


@st.composite
def round_of_edits(draw: st.DrawFn, text: str) -> list[Edit]:
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    edits = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        edits.append(Edit(start, end, draw(REPLACEMENT)))
    return edits


@given(LINES, st.data())
def test_lines_no_touch_covers_are_found_unchanged_where_line_map_says(
    lines: list[str], data: st.DataObject
) -> None:
    original = "\n".join(lines) + "\n"
    log = EditLog()
    text = original
    for _ in range(data.draw(st.integers(1, 3))):
        edits = data.draw(round_of_edits(text))
        text = log.apply(text, [(e, "text") for e in edits])
    touched = {n for t in log.touches(original) for n in range(t.first, t.last + 1)}
    line_map = log.line_map(original, text)
    final = text.split("\n")
    for number, content in enumerate(original.split("\n")[:-1], start=1):
        if number in touched:
            continue
        assert final[line_map[number] - 1] == content


def test_an_edit_of_a_later_round_maps_to_the_input_range_it_grew_from() -> None:
    log = EditLog()
    text = log.apply("one\ntwo\nthree\n", [(Edit(4, 7, "2\n2b"), "text")])
    assert text == "one\n2\n2b\nthree\n"
    text = log.apply(text, [(Edit(6, 8, "B"), "href")])  # inside the first edit's text
    assert text == "one\n2\nB\nthree\n"
    touches = log.touches("one\ntwo\nthree\n")
    assert [(t.first, t.last, t.effect) for t in touches] == [(2, 2, "text"), (2, 2, "href")]
    assert log.line_map("one\ntwo\nthree\n", text)[1:] == [1, 2, 4, 5]
