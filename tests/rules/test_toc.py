"""toc-anchor (T501) and toc-missing (T502)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from readme_tools import registry
from readme_tools.cli.lint import main
from readme_tools.config import Config, TocOptions
from readme_tools.diagnostics import Diagnostic, apply_edits
from readme_tools.engine import Selection, active_rules, lint_source
from readme_tools.rules.toc import TocAnchorOptions, TocMissingOptions
from readme_tools.source import decode

from ..data import SEED

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MARKDOWNLINT = FIXTURES / "markdownlint"
SHARED = Path(__file__).resolve().parents[3] / "shared"
MOJIBAKE = "ğŸ“– Table of Contents"
REPAIRED = "📖 Table of Contents"
TOC_RULES = ("toc-anchor", "toc-missing")


def lint(text: str, config: Config | None = None, path: str = "t.md") -> list[Diagnostic]:
    config = config or Config()
    rules = active_rules(registry.load(), config, Selection(select=TOC_RULES))
    _, found = lint_source(decode(text.encode("utf-8"), path), rules, config)
    return found


def fixed(text: str, config: Config | None = None) -> str:
    edits = [e for d in lint(text, config) if d.fix for e in d.fix.edits]
    return apply_edits(text, edits)


def test_rules_are_registered_with_codes() -> None:
    reg = registry.load()
    anchor, missing = reg.get("toc-anchor"), reg.get("toc-missing")
    assert anchor is not None and anchor.code == "T501" and anchor.family == "toc"
    assert missing is not None and missing.code == "T502"


# --------------------------------------------------------------------------- the seed


def test_seed_as_it_stands_reports_only_the_mojibake_toc_link() -> None:
    found = lint(SEED.read_text(encoding="utf-8"))
    assert [(d.rule, d.line) for d in found] == [("toc-anchor", 6)]
    message = found[0].message
    assert "#-table-of-contents" in message
    assert "did you mean #ğÿ-table-of-contents?" in message
    assert "mis-decoded" in message and REPAIRED in message
    assert found[0].fix is None  # the repair belongs to the heading, not to the TOC


def test_seed_with_repaired_heading_is_clean() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert text.count(MOJIBAKE) == 2
    repaired = text.replace(MOJIBAKE, REPAIRED)
    assert lint(repaired) == []


# --------------------------------------------------------------------------- toc-anchor


def test_broken_anchor_suggests_closest_and_regeneration_fixes_it() -> None:
    text = "# T\n\n## Contents\n- [Alpha Beta](#alpha-bta)\n\n## Alpha Beta\n"
    found = lint(text)
    assert [d.rule for d in found] == ["toc-anchor"]
    assert "did you mean #alpha-beta?" in found[0].message
    assert fixed(text) == text.replace("#alpha-bta", "#alpha-beta")


EXACT_CASE = Config(sections={TocAnchorOptions: TocAnchorOptions(case="exact")})


def test_case_difference_works_on_github() -> None:
    # GitHub compares fragments case-insensitively (rsc/markdown#19, serokell/xrefcheck#211).
    text = "# T\n\nSee [here](#Heading-Name).\n\n## Heading Name\n"
    assert lint(text) == []
    (found,) = lint(text, EXACT_CASE)  # markdownlint's MD051 semantics
    assert found.severity == "error"
    assert "differs in case from the anchor #heading-name" in found.message
    assert fixed(text, EXACT_CASE) == text.replace("#Heading-Name", "#heading-name")


def test_case_difference_as_a_warning() -> None:
    text = "# T\n\nSee [here](#Heading-Name).\n\n## Heading Name\n"
    warn = Config(sections={TocAnchorOptions: TocAnchorOptions(case="warn")})
    (found,) = lint(text, warn)
    assert found.severity == "warning" and "differs only in case" in found.message
    assert fixed(text, warn) == text.replace("#Heading-Name", "#heading-name")


def test_percent_encoded_and_escaped_fragments_resolve() -> None:
    text = (
        "# 标题\n\n## Valid Heading 20.04 ✔️\n\n## Snake_Case\n\n"
        "[a](#%E6%A0%87%E9%A2%98) [b](#valid-heading-2004-%EF%B8%8F) [c](#snake\\_case)\n"
        "[d](#valid-heading-2004-)\n"
    )
    found = lint(text)
    assert [(d.line, d.message.split(";")[0]) for d in found] == [
        (8, "link fragment #valid-heading-2004- matches no heading or HTML anchor")
    ]


def test_html_anchors_top_and_line_links_are_targets() -> None:
    text = '# T\n\n<a name="x"></a>\n\n[x](#x) [top](#top) [l](#L10-L12) [bad](#L10C2) [c](#XX)\n'
    found = lint(text)
    assert [m.group(1) for d in found if (m := re.search(r"fragment (#\S+)", d.message))] == [
        "#L10C2",
        "#XX",
    ]


def test_links_inside_code_are_ignored() -> None:
    assert lint("# T\n\n```\n[x](#nowhere)\n```\n\n`[y](#nowhere)`\n") == []


# --------------------------------------------------------------------------- markdownlint


def _md051_lines(path: Path) -> set[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {i + 1 for i, line in enumerate(lines) if "{MD051}" in line}


# Where we knowingly differ from markdownlint's MD051 (see the module docstring of the report):
#  - 226 `<a id="myident" name="myname"/>`: HTML makes `name` on <a> a target even with an id.
#  - 241/254: a reference link's fragment is reported at the link, not at its definition.
#  - 258-268: `{#custom-id}` heading attributes are not a GitHub feature: the anchor of
#    "Valid Heading with Named Fragment {#named-fragment}" is the slug of the whole text.
LINK_FRAGMENTS_DEVIATIONS = {
    "missing": {226, 241, 254},
    "extra": {239, 252, 258, 262, 266, 268},
}


def test_markdownlint_link_fragments() -> None:
    path = MARKDOWNLINT / "link-fragments.md"
    found = {d.line for d in lint(path.read_text(encoding="utf-8"), EXACT_CASE, path=str(path))}
    expected = _md051_lines(path)
    assert expected - found == LINK_FRAGMENTS_DEVIATIONS["missing"]
    assert found - expected == LINK_FRAGMENTS_DEVIATIONS["extra"]


@pytest.mark.parametrize(
    "name",
    [
        "link-fragments-default-case.md",
        "MD051-MD060.md",
        "link-fragments-ignored-pattern-default.md",
    ],
)
def test_markdownlint_files_without_deviation(name: str) -> None:
    path = MARKDOWNLINT / name
    # MD051 compares case by default: the same semantics here is case = "exact".
    found = {d.line for d in lint(path.read_text(encoding="utf-8"), EXACT_CASE, path=str(path))}
    assert found == _md051_lines(path)


# --------------------------------------------------------------------------- toc-missing


def test_missing_heading_is_reported_and_added() -> None:
    text = "# T\n\n## Contents\n- [A](#a)\n- [B](#b)\n\n## A\n\n## B\n\n## C\n"
    found = lint(text)
    assert [(d.rule, d.line) for d in found] == [("toc-missing", 11)]
    assert "'C' (line 11) is not in the table of contents" in found[0].message
    result = fixed(text)
    assert "- [B](#b)\n- [C](#c)\n\n## A" in result
    assert lint(result) == []


def test_out_of_order_entry_reported_once() -> None:
    text = (
        "# T\n\n## Contents\n- [A](#a)\n- [C](#c)\n- [B](#b)\n- [D](#d)\n\n## A\n## B\n## C\n## D\n"
    )
    assert lint(text) == []  # the order is a choice the list may make
    order = Config(sections={TocMissingOptions: TocMissingOptions(order=True)})
    found = lint(text, order)
    assert len(found) == 1 and "out of document order" in found[0].message
    assert lint(fixed(text, order), order) == []


def test_stale_entry_text_is_reported() -> None:
    text = (
        "# T\n\n## Contents\n- [LLM Training Framework](#llm-training-frameworks)\n\n"
        "## LLM Training Frameworks\n"
    )
    (found,) = lint(text)
    assert "does not match its heading 'LLM Training Frameworks'" in found.message
    assert "[LLM Training Frameworks](#llm-training-frameworks)" in fixed(text)


def test_broken_toc_anchor_is_one_finding() -> None:
    # issue #18 point 8: the item with a typo in its anchor is toc-anchor's; its heading is
    # listed (by that item), so toc-missing says nothing.
    text = (
        "# T\n\n## Contents\n- [Huggingface Leadboard](#huggingface-leadboard)\n- [B](#b)\n\n"
        "## Huggingface Leaderboard\n\nx\n\n## B\n\nx\n"
    )
    (found,) = lint(text)
    assert found.rule == "toc-anchor" and "did you mean #huggingface-leaderboard?" in found.message
    # Its fix points the entry at the heading and does nothing else; the formatter's next
    # round then sees the stale text (toc-missing) and fixes that.
    once = fixed(text)
    assert "[Huggingface Leadboard](#huggingface-leaderboard)" in once
    (stale,) = lint(once)
    assert stale.rule == "toc-missing" and "does not match its heading" in stale.message
    assert "[Huggingface Leaderboard](#huggingface-leaderboard)" in fixed(once)


def test_short_form_of_a_heading_is_not_stale() -> None:
    text = (
        "# T\n\n## Contents\n- [3D Understanding (LLM)](#3d-understanding-via-llm)\n"
        "- [Hf Daily Paper](#huggingface-daily-paper)\n\n"
        "## 3D Understanding via LLM\n\nx\n\n## HuggingFace Daily Paper\n\nx\n"
    )
    (found,) = lint(text)  # "via" is a small word; "Hf" is no word of the heading
    assert "TOC entry text 'Hf Daily Paper' does not match" in found.message


def test_entry_text_differing_only_in_punctuation_or_emoji_is_fine() -> None:
    text = (
        "# T\n\n## Contents\n- [LLM Evaluation](#llm-evaluation)\n- [Vision](#-vision)\n\n"
        "## LLM Evaluation:\n\n## 🌁 Vision\n"
    )
    assert lint(text) == []


def test_exclude_and_level_options() -> None:
    text = "# T\n\n## Contents\n- [A](#a)\n\n## Extras\n\n## A\n\n### A1\n"
    assert [d.line for d in lint(text)] == [6]
    config = Config(sections={TocOptions: TocOptions(exclude=("extras",), max_level=3)})
    assert [d.message for d in lint(text, config)] == [
        "heading 'A1' (line 10) is not in the table of contents"
    ]


def test_config_table_parses_new_keys(tmp_path: Path) -> None:
    (tmp_path / ".readme-tools.toml").write_text(
        '[toc]\nexclude = ["News"]\nmin-level = 2\nmax-level = 3\n', encoding="utf-8"
    )
    doc = tmp_path / "README.md"
    doc.write_text("# T\n\n## Contents\n- [A](#a)\n\n## News\n\n## A\n\n### A1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--select", "toc-missing", str(doc)])
    assert result.exit_code == 0, result.output
    assert "'A1' (line 10)" in result.output and "News" not in result.output


def test_cli_reports_seed_toc_anchor() -> None:
    result = CliRunner().invoke(main, ["--select", "toc-anchor,toc-missing", str(SEED)])
    assert result.exit_code == 1
    assert ":6:30: T501 toc-anchor" in result.output


# --------------------------------------------------------------------------- regression inputs


@pytest.mark.skipif(not (SHARED / "corpora").is_dir(), reason="needs /work/shared/corpora")
def test_corpora_findings() -> None:
    expected = {
        # 51: out of document order, not reported unless [toc-missing] order = true.
        "DefTruth__Awesome-LLM-Inference.md": [],
        "Hannibal046__Awesome-LLM.md": [("toc-missing", 27)],
        "October2001__Awesome-KV-Cache-Compression.md": [],
        # 13 is "🔥 News", left out of the TOC on purpose.
        "ZLKong__Awesome-Collection-Token-Reduction.md": [("toc-missing", 148)],
        "atfortes__Awesome-LLM-Reasoning.md": [],
        "hee9joon__Awesome-Diffusion-Models.md": [],
        "zh-summaries.md": [],
    }
    for name, findings in expected.items():
        path = SHARED / "corpora" / name
        found = lint(path.read_text(encoding="utf-8"), path=str(path))
        assert [(d.rule, d.line) for d in found] == findings, name


@pytest.mark.skipif(not (SHARED / "tools").is_dir(), reason="needs /work/shared/tools")
def test_generated_list_has_no_toc_findings(tmp_path: Path) -> None:
    out = tmp_path / "g.md"
    subprocess.run(
        [sys.executable, str(SHARED / "tools" / "gen_biglist.py"), "1500", "-o", str(out)],
        check=True,
    )
    assert lint(out.read_text(encoding="utf-8")) == []


def test_variation_selectors_are_part_of_the_anchor() -> None:
    """GitHub keeps U+FE0F (a mark), as github-slugger and markdownlint do; awesome-lint's
    emoji-variation-selectors fixture (which accepts #-routers) does not match GitHub."""
    text = "# T\n\n## Contents\n\n- [⬆️ Routers](#-routers)\n\n## ⬆️ Routers\n"
    (found,) = lint(text)
    assert found.rule == "toc-anchor"
    assert "did you mean #%EF%B8%8F-routers?" in found.message
    assert "[⬆️ Routers](#%EF%B8%8F-routers)" in fixed(text)
    assert lint(fixed(text)) == []


def test_back_matter_is_not_required_by_default() -> None:
    text = "# T\n\n## Contents\n- [A](#a)\n\n## A\n\n## 🤝 Contributing\n\n## License\n"
    assert lint(text) == []
    listed = "# T\n\n## Contents\n- [A](#a)\n- [License](#license)\n\n## A\n\n## License\n"
    assert lint(listed) == []


def test_subsections_of_excluded_sections_are_not_required() -> None:
    text = "# T\n\n## Contents\n- [A](#a)\n\n## A\n\n## Footnotes\n\n### Symbology\n\n## B\n"
    assert [d.line for d in lint(text)] == [12]
