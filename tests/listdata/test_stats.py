"""stats-block: golden blocks, stale blocks reported and refreshed by readme-fmt --fix."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from readme_tools.cli.fmt import main as fmt_main
from readme_tools.cli.lint import main as lint_main

from ..conftest import findings
from .helpers import FIXTURES, fmt, golden

STATS = FIXTURES / "stats"


def test_golden_full_block() -> None:
    text = (STATS / "list.md").read_text(encoding="utf-8")
    (finding,) = findings(text, "stats-block")
    assert finding.line == 3
    assert finding.message == (
        "stats block is out of date (it says 3 papers, the list has 8): "
        "readme-fmt --fix rewrites it"
    )
    fixed = fmt(text, ("stats-block",))
    golden(STATS / "list.fixed.md", fixed)
    assert findings(fixed, "stats-block") == []
    block = fixed.split("<!-- readme-tools:stats -->\n")[1].split("<!-- /readme")[0]
    assert block.startswith("**8 papers** in 3 sections, 3 with code (38%).\n")
    assert "| Curated \\| picked | 3 |" in block  # a pipe in a heading stays in its cell
    assert "| CVPR 2025 | 5 |" in block  # ODE is listed twice, counted once


def test_golden_total_only_and_code_blocks_ignored() -> None:
    text = (STATS / "total.md").read_text(encoding="utf-8")
    (finding,) = findings(text, "stats-block")
    assert "it says 8 papers, the list has 2" in finding.message
    fixed = fmt(text, ("stats-block",))
    golden(STATS / "total.fixed.md", fixed)
    assert "**2 papers**, 1 with code (50%).\n\n<!-- /readme-tools:stats -->" in fixed


def test_fresh_block_is_clean_and_untouched() -> None:
    text = (STATS / "list.fixed.md").read_text(encoding="utf-8")
    assert fmt(text, ("stats-block",)) == text


def test_adding_an_entry_makes_it_stale() -> None:
    text = (STATS / "total.fixed.md").read_text(encoding="utf-8")
    more = text.replace(
        "## Papers\n",
        "## Papers\n- [x] **ODE**: Open-Set Evaluation. CVPR2025 "
        "[Paper](https://arxiv.org/abs/2409.09318)\n",
    )
    (finding,) = findings(more, "stats-block")
    assert "it says 2 papers, the list has 3" in finding.message


def test_unclosed_and_stray_markers() -> None:
    unclosed = "# L\n\n<!-- readme-tools:stats -->\n\n## A\n"
    (finding,) = findings(unclosed, "stats-block")
    assert finding.message.startswith("stats block is never closed")
    assert not finding.fixable
    stray = "# L\n\n<!-- /readme-tools:stats -->\n"
    (finding,) = findings(stray, "stats-block")
    assert finding.message.startswith("closing <!-- /readme-tools:stats --> without")
    unknown = "# L\n\n<!-- readme-tools:stats totals -->\n<!-- /readme-tools:stats -->\n"
    (finding,) = findings(unknown, "stats-block")
    assert finding.message == "unknown stats part 'totals' (known: total, sections, venues)"


def test_readme_fmt_fix_refreshes_it(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text((STATS / "list.md").read_text(encoding="utf-8"), encoding="utf-8")
    runner = CliRunner()
    lint = ["--select", "stats-block", "--fail-on", "warning", str(path)]
    result = runner.invoke(lint_main, lint)
    assert result.exit_code == 1 and "S902 stats-block" in result.output
    result = runner.invoke(fmt_main, ["--select", "stats-block", "--fix", str(path)])
    assert result.exit_code == 1, result.output
    assert path.read_text(encoding="utf-8") == (STATS / "list.fixed.md").read_text(encoding="utf-8")
    result = runner.invoke(lint_main, lint)
    assert result.exit_code == 0, result.output


def test_an_incremental_run_does_not_count_a_partial_list(tmp_path: Path) -> None:
    from readme_tools import registry
    from readme_tools.config import Config
    from readme_tools.engine import lint_source
    from readme_tools.facts import elided_chunks
    from readme_tools.source import decode

    text = (STATS / "list.fixed.md").read_text(encoding="utf-8")
    rule = registry.load().get("stats-block")
    assert rule is not None
    source = decode(text.encode("utf-8"), "t.md")
    line = text.splitlines().index("<!-- readme-tools:stats -->") + 1
    cache = tmp_path / "cache"
    lint_source(source, [rule], Config(), lines=frozenset({line}), cache=cache)  # fills it
    doc, found = lint_source(source, [rule], Config(), lines=frozenset({line}), cache=cache)
    assert elided_chunks(doc)  # the sections were not parsed this time
    assert found == []  # so the rule says nothing about the numbers
