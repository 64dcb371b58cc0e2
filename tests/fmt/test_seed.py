"""``readme-fmt --fix`` on the user's list: what it must and must not change."""

from __future__ import annotations

import difflib
import importlib.util

import pytest

from readme_tools import registry
from readme_tools.config import Config
from readme_tools.diagnostics import Diagnostic
from readme_tools.engine import Selection, active_rules, check
from readme_tools.parse import parse
from readme_tools.source import decode

from ..conftest import SEED
from .helpers import fmt


@pytest.fixture(scope="module")
def seed_raw() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="module")
def formatted(seed_raw: bytes) -> str:
    result = fmt(seed_raw)
    assert result.changed
    return result.text


def test_idempotent(formatted: str) -> None:
    again = fmt(formatted)
    assert not again.changed
    assert again.text == formatted


def test_lints_clean_of_every_fixable_rule(formatted: str) -> None:
    reg = registry.load()
    fixable = [r for r in active_rules(reg, Config(), Selection()) if r.fixable]
    doc = parse(decode(formatted.encode(), "out.md"))
    left = [d for d in check(doc, fixable, Config()) if d.fix is not None]
    assert left == []


def _fixable_findings(source_text: bytes) -> list[Diagnostic]:
    reg = registry.load()
    fixable = [r for r in active_rules(reg, Config(), Selection()) if r.fixable]
    doc = parse(decode(source_text, "in.md"))
    return [d for d in check(doc, fixable, Config()) if d.fix is not None]


@pytest.fixture(scope="module")
def seed_fixable(seed_raw: bytes) -> list[Diagnostic]:
    """The seed's fixable findings, computed once (the mojibake repair makes them costly)."""
    return _fixable_findings(seed_raw)


def test_keeps_every_entry_and_link_target(
    seed_raw: bytes, formatted: str, seed_fixable: list[Diagnostic]
) -> None:
    before = parse(decode(seed_raw, "in.md"))
    after = parse(decode(formatted.encode(), "out.md"))
    assert len(before.entries) == len(after.entries) == 24
    assert [e.name for e in before.entries] == [e.name for e in after.entries]
    # Every external target is kept, in the canonical form the link rules' fixes give it.
    text = before.source.text
    expected = set()
    for link in before.links:
        if link.url.startswith("#") or link.url_span is None:
            continue
        url = link.url
        for d in seed_fixable:
            assert d.fix is not None
            for edit in d.fix.edits:
                span = link.url_span
                if span.start <= edit.start and edit.end <= span.end:
                    url = (
                        text[span.start : edit.start] + edit.replacement + text[edit.end : span.end]
                    )
        expected.add(url)
    assert {lk.url for lk in after.links if not lk.url.startswith("#")} == expected
    assert "https://arxiv.org/abs/2411.10640" in expected  # "v1" dropped by arxiv-link


def test_diff_touches_only_findings(
    seed_raw: bytes, formatted: str, seed_fixable: list[Diagnostic]
) -> None:
    source = decode(seed_raw, "in.md")
    findings = seed_fixable
    finding_lines = {d.line for d in findings}
    mojibake_lines = {d.line for d in findings if d.rule == "mojibake"}
    # Lines 11, 19, 24 and 28 are whitespace-only ("  "): blank lines, not hard breaks.
    assert {11, 19, 24, 28} <= finding_lines
    before = source.text.split("\n")
    after = formatted.split("\n")
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    inserted = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed = set(range(i1 + 1, i2 + 1))
        assert removed <= finding_lines, (tag, removed)
        if tag == "insert":
            inserted += j2 - j1
        elif tag == "replace":
            # A whitespace-only line became blank, an entry line got its link fixes, or a
            # line's mojibake was repaired.
            pairs = zip(range(i1 + 1, i2 + 1), before[i1:i2], after[j1:j2], strict=False)
            for number, old, new in pairs:
                if not old.strip():
                    assert new == ""
                elif number not in mojibake_lines:
                    assert new.startswith(old[:40])
            extra = after[j1 + (i2 - i1) : j2]
            assert extra == [""] * len(extra)
            inserted += len(extra)
    assert inserted == 0  # no layout: lines only change where a fix is


def test_keeps_the_summaries_as_written_or_repaired(seed_raw: bytes, formatted: str) -> None:
    # mdformat alone escapes '**' after some symbols of the mojibake on line 81; the entry
    # list is laid out by readme-fmt's own renderer, which copies inline content as written
    # (after the mojibake stage, when there is one).
    text = decode(seed_raw).text
    if importlib.util.find_spec("readme_tools.mojibake") is not None:
        from readme_tools.mojibake import repair

        text = repair(text).text
    line_81 = text.split("\n")[80]
    assert line_81 in formatted.split("\n")
    assert "\\*" not in formatted


def test_hard_breaks_are_kept() -> None:
    text = (
        "# L\n\n## S\n\n"
        "- [x] **A**: Title one. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)\n\n"
        "  First line of the summary  \n  second line after a hard break.\n\n"
        "- [x] **B**: Title two. CVPR2025 [Paper](https://arxiv.org/abs/2401.00002)\n\n"
        "  One\\\n  two.\n"
    )
    out = fmt(text).text
    assert "  First line of the summary  \n  second line after a hard break." in out
    assert "  One\\\n  two." in out
    assert not fmt(out).changed


def test_restores_mojibake_of_the_seed(formatted: str) -> None:
    assert "## 📖 Table of Contents" in formatted
    assert "≤4B" in formatted
    assert "ğŸ“–" not in formatted
