"""Inline cases of the rules; tests/fixtures/golden/<rule>/ holds the golden ones."""

from __future__ import annotations

import pytest

from readme_tools.diagnostics import apply_edits
from readme_tools.venues import parse_venue, venue_in_heading, vocabulary

from ..conftest import findings

LINE = "- [x] **M{i}**: Title {i}. {venue} [Paper](https://arxiv.org/abs/2401.{i:05d})\n"


def listing(venues: list[str], heading: str = "## Papers") -> str:
    return heading + "\n" + "".join(LINE.format(i=i + 1, venue=v) for i, v in enumerate(venues))


@pytest.mark.parametrize(
    ("tag", "canonical", "year", "quals"),
    [
        ("CVPR2025", "CVPR", 2025, ()),
        ("NeurIPS 2024 Oral", "NeurIPS", 2024, ("Oral",)),
        ("Neurips2021", "NeurIPS", 2021, ()),
        ("NIPS2017", "NeurIPS", 2017, ()),
        ("ACL2024 Findings", "ACL", 2024, ("Findings",)),
        ("ICLR'24", "ICLR", 2024, ()),
        ("ECCV-2022 Workshop", "ECCV", 2022, ("Workshop",)),
        ("Foo2025", None, 2025, ()),
    ],
)
def test_parse_venue(tag: str, canonical: str | None, year: int, quals: tuple[str, ...]) -> None:
    parsed = parse_venue(tag, vocabulary())
    assert parsed is not None
    assert (parsed.canonical, parsed.year, parsed.qualifiers) == (canonical, year, quals)


def test_heading_venue() -> None:
    vocab = vocabulary()
    assert venue_in_heading("Image LLMs CVPR2025", vocab) == ("CVPR", 2025)
    assert venue_in_heading("NeurIPS 2024", vocab) == ("NeurIPS", 2024)
    assert venue_in_heading("Papers of 2023", vocab) == (None, 2023)
    assert venue_in_heading("Table of Contents", vocab) == (None, None)


def test_venue_tag_findings_and_fix() -> None:
    text = listing(["CVPR2025", "CVPR2025", "Neurips2024", "Foo2025", "CVPR1890", "CVPR2025 Orall"])
    found = findings(text, "venue-tag")
    assert [d.line for d in found] == [4, 5, 6, 7]
    assert "'NeurIPS2024'" in found[0].message and found[0].fixable
    assert "unknown venue 'Foo'" in found[1].message
    assert "implausible year" in found[2].message
    assert "unknown qualifier" in found[3].message
    fixed = apply_edits(text, found[0].fix.edits)  # type: ignore[union-attr]
    assert "NeurIPS2024 [Paper]" in fixed


def test_venue_section_uses_parent_headings() -> None:
    text = "## CVPR2025\n### Video\n" + listing(["CVPR2025", "CVPR2025", "CVPR2024"], heading="")
    assert [d.line for d in findings(text, "venue-section")] == [6]


def test_seed_has_no_venue_or_grammar_findings(seed_text: str) -> None:
    for rule in ("venue-tag", "venue-section", "entry-format", "checkbox"):
        assert findings(seed_text, rule) == [], rule
