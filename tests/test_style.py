"""Style inference (readme_tools.style): what the document's entries usually look like."""

from __future__ import annotations

import dataclasses

import readme_tools
from readme_tools.config import Config, EntryOptions
from readme_tools.facts import ElidedChunk, PartialDocument
from readme_tools.model import Document, StyleCounts
from readme_tools.style import DOMINANT, MIN_ENTRIES, Style, infer_style, style_counts

LINE = "- {box}{name}Title {n}. CVPR2025 [{label}](https://arxiv.org/abs/2401.{n:05d})\n"


def doc(*entries: tuple[str, str, str]) -> Document:
    """One list entry per (box, name, label); '' leaves the part out."""
    lines = [
        LINE.format(box=box, name=f"**{name}**: " if name else "", label=label, n=n)
        for n, (box, name, label) in enumerate(entries, 1)
    ]
    return readme_tools.parse_text("# L\n\n" + "".join(lines))


def test_too_few_entries_infer_nothing() -> None:
    assert MIN_ENTRIES == 3
    style = infer_style(doc(("[x] ", "A", "Paper"), ("[x] ", "B", "Paper")))
    assert style.list_entries == 2
    assert not (style.grammar or style.checkbox or style.bold_name)


def test_a_feature_is_the_style_above_half_of_the_entries() -> None:
    assert DOMINANT == 0.5
    three_of_four = doc(
        ("[x] ", "A", "Paper"), ("[x] ", "B", "Paper"), ("[x] ", "", "Paper"), ("", "", "Paper")
    )
    style = infer_style(three_of_four)
    assert style.checkbox and style.grammar and not style.bold_name  # 3/4, 4/4, 2/4
    half = doc(("[x] ", "A", "Paper"), ("[x] ", "B", "Paper"), ("", "", "Paper"), ("", "", "Paper"))
    assert not infer_style(half).checkbox  # exactly half is not dominant


def test_ticked_spelling_and_label_spelling_follow_the_majority() -> None:
    style = infer_style(doc(("[X] ", "A", "paper"), ("[x] ", "B", "Paper"), ("[X] ", "C", "Paper")))
    assert style.checked_char == "X"
    assert style.labels == (("paper", "Paper"),)
    assert style.label_spelling("PAPER") == "Paper" and style.label_spelling("code") is None


def test_configuration_pins_the_style_down() -> None:
    bare = doc(("", "", "Paper"), ("", "", "Paper"), ("", "", "Paper"))
    pinned = Config(
        sections={EntryOptions: EntryOptions(checkbox="required", bold_name="required")}
    )
    style = infer_style(bare, pinned)
    assert style.checkbox and style.bold_name
    boxed = doc(("[x] ", "A", "Paper"), ("[x] ", "B", "Paper"), ("[x] ", "C", "Paper"))
    loose = Config(
        sections={EntryOptions: EntryOptions(checkbox="forbidden", bold_name="optional")}
    )
    style = infer_style(boxed, loose)
    assert not style.checkbox and not style.bold_name


def test_only_list_entries_count() -> None:
    table = readme_tools.parse_text(
        "| Paper | Code |\n| --- | --- |\n"
        "| [A Long Paper Title](https://arxiv.org/abs/2401.00001) | [Code](https://github.com/a/b) |\n"
    )
    assert [e.kind for e in table.entries] == ["table"]
    assert style_counts(table) == StyleCounts()
    assert infer_style(table) == Style()


def test_elided_chunks_count_as_if_parsed() -> None:
    whole = doc(*[("[x] ", f"N{i}", "Paper") for i in range(4)], ("[X] ", "", "Code"))
    first, rest = whole.entries[:2], whole.entries[2:]
    counts = StyleCounts()
    for entry in rest:
        counts.add(entry)
    fields = {f.name: getattr(whole, f.name) for f in dataclasses.fields(whole)}
    fields["entries"] = first
    partial = PartialDocument(**fields, elided=(ElidedChunk(rest[0].line, 0, counts, ()),))
    assert style_counts(partial) == style_counts(whole)
    assert infer_style(partial) == infer_style(whole)


def test_counts_merge() -> None:
    a, b = StyleCounts(), StyleCounts()
    for entry in doc(("[x] ", "A", "Paper"), ("", "", "Code")).entries:
        a.add(entry)
    for entry in doc(
        ("[X] ", "B", "paper"),
    ).entries:
        b.add(entry)
    a.update(b)
    assert (a.entries, a.boxes, a.named, a.grammar) == (3, 2, 2, 3)
    assert dict(a.ticked) == {"x": 1, "X": 1}
    assert {k: dict(v) for k, v in a.labels.items()} == {
        "paper": {"Paper": 1, "paper": 1},
        "code": {"Code": 1},
    }
