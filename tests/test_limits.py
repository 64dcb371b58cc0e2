"""Parse limits: deep nesting is parsed as GitHub renders it, pathological markup costs bounded
work, and whatever the parser does not read is reported (parse-limit), never dropped silently."""

from __future__ import annotations

from typing import Any

import pytest

import readme_tools
from readme_tools.config import TocOptions
from readme_tools.incremental import parse_changed
from readme_tools.parse import inline as inline_module
from readme_tools.parse import state as state_module
from readme_tools.parse.markdown import MAX_NESTING
from readme_tools.parse.state import MAX_BLOCK_MARKUP, MAX_DOCUMENT_MARKUP
from readme_tools.source import decode


def _entry(n: int) -> str:
    return f"- [x] **P{n}**: Paper number {n}. CVPR2025 [Paper](https://arxiv.org/abs/2401.{n:05d})"


def deep_list(lines: int = 2500) -> str:
    """A list of entries with, in the middle, a list item 20 spaces deep opening a quote."""
    out = ["# Deep", ""]
    while len(out) < lines // 2:
        out.append(_entry(len(out)))
    out += ["", "## Nested", ""]
    out += ["  " * depth + f"- level {depth}" for depth in range(10)]
    out += ["  " * 10 + "- > a quote opened 20 spaces deep", "", "## After", ""]
    while len(out) < lines - 1:
        out.append(_entry(len(out)))
    return "\n".join([*out, ""])


def test_a_deeply_nested_item_does_not_swallow_the_rest() -> None:
    # markdown-it's commonmark preset stops at 20 levels and skipped everything after this item.
    text = deep_list()
    lines = text.split("\n")
    assert len(lines) == 2500
    doc = readme_tools.parse_text(text)
    assert [h.text for h in doc.headings] == ["Deep", "Nested", "After"]
    last = doc.entries[-1]
    assert last.line == 2499 and last.title == f"Paper number {len(lines) - 2}."
    assert doc.links[-1].line == 2499
    assert len(doc.entries) == sum(line.startswith("- [x]") for line in lines)
    assert doc.limits == ()
    assert [d for d in readme_tools.lint_text(text) if d.rule == "parse-limit"] == []


def test_nesting_deeper_than_the_parser_goes_is_a_finding() -> None:
    levels = MAX_NESTING // 3 + 10  # "- > " opens a list, an item and a quote
    text = (
        "# Deep\n\n" + "- > " * levels + "too deep\n\n"
        "## After\n\nSee [after](https://example.org/after).\n"
    )
    doc = readme_tools.parse_text(text)
    ((line, end, reason, detail),) = doc.limits
    assert (line, end, reason) == (3, 3, "nesting") and f"{MAX_NESTING}" in detail
    assert [h.text for h in doc.headings] == ["Deep", "After"]  # the rest is parsed
    assert [lk.url for lk in doc.links] == ["https://example.org/after"]
    (finding,) = readme_tools.lint_text(text, select=["parse-limit"])
    assert (finding.line, finding.severity, finding.code) == (3, "warning", "W304")
    assert "line 3 not checked" in finding.message and "GitHub still renders" in finding.message


def test_limits_survive_an_incremental_parse() -> None:
    levels = MAX_NESTING // 3 + 10
    sections = "".join(f"## S{k}\n\n{_entry(k)}\n\n" for k in range(6))
    text = "# Deep\n\n" + sections + "## Deep\n\n" + "- > " * levels + "x\n\n" + sections
    source = decode(text.encode(), "t.md")
    full = readme_tools.parse_text(text)
    assert full.limits and parse_changed(source, TocOptions(), {1}, None).limits == full.limits


class Spy:
    """Counts what reaches markdown-it's inline parser: the work the budgets bound."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.markup = 0
        real = inline_module.inline_tokens

        def counted(md: Any, content: str, env: dict[str, Any]) -> Any:
            self.calls += 1
            self.markup += sum(map(content.count, "[]()*_`<!&\\"))
            return real(md, content, env)

        monkeypatch.setattr(state_module, "inline_tokens", counted)


PATTERNS = ["*a", "**a", "[", "]", "[a](", "`a", "<a"]


@pytest.mark.parametrize("unit", PATTERNS)
def test_one_pathological_line_costs_bounded_work(
    unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(monkeypatch)
    small = readme_tools.lint_text(unit * 2_000 + "\n")
    small_markup = spy.markup
    big = readme_tools.lint_text(unit * 40_000 + "\n")  # 20x the size
    assert spy.markup - small_markup <= MAX_BLOCK_MARKUP
    limits = [d for d in big if d.rule == "parse-limit"]
    if spy.markup > small_markup:  # the line went to the inline parser: under budget
        assert limits == []
    assert len(big) <= len(small) + 1  # no finding per character: one limit at most
    assert all(d.line == 1 for d in big)


def test_many_dense_blocks_spend_the_document_budget_once(monkeypatch: pytest.MonkeyPatch) -> None:
    budget = 30_000  # the mechanism, at a tenth of the real budget (which costs seconds)
    monkeypatch.setattr(state_module, "MAX_DOCUMENT_MARKUP", budget)
    spy = Spy(monkeypatch)
    block = "[a](" * 1_000  # 3,000 markup characters: under the block budget
    count = budget // 3_000 + 10
    text = "\n\n".join([block] * count) + "\n"
    found = readme_tools.lint_text(text)
    assert spy.markup <= budget
    (limit,) = [d for d in found if d.rule == "parse-limit"]
    assert "markup budget (30,000 characters)" in limit.message
    assert (limit.line, limit.end_line) == (2 * (budget // 3_000) + 1, 2 * count - 1)
    assert not any(d.rule == "link-syntax" and d.line >= limit.line for d in found)


def test_real_lists_stay_far_below_the_budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    from .data import FIXTURES, SEED, TESTS

    spy = Spy(monkeypatch)
    lists = [*(FIXTURES / "corpora").glob("*.md"), *(TESTS / "corpus").glob("**/*.md")]
    assert lists, "the real lists kept in the repository"
    largest = 0
    for path in [SEED, *sorted(lists)]:
        before = spy.markup
        doc = readme_tools.parse_text(path.read_bytes())
        assert doc.limits == (), path.name
        largest = max(largest, spy.markup - before)
    # The budget is per file: the list with the most markup uses a fraction of it.
    assert 0 < largest < MAX_DOCUMENT_MARKUP // 4
