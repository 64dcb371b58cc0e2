"""mojibake (M601) and summary-language (M602)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import readme_tools
from readme_tools import registry
from readme_tools.diagnostics import apply_edits
from readme_tools.mojibake import cjk_model_available
from readme_tools.mojibake import detect as detect_module

from ..conftest import findings

SEED_LOSSLESS = (4, 6, 25)
SEED_RECOVERABLE = (37, 41, 45, 49, 53, 57, 61, 65, 69, 73, 77, 81, 85, 89, 93, 97, 101, 105)


def test_rules_are_registered() -> None:
    reg = registry.load()
    mojibake = reg.get("M601")
    language = reg.get("summary-language")
    assert mojibake is not None and mojibake.name == "mojibake"
    assert (mojibake.severity, mojibake.fixable, mojibake.family) == ("error", True, "mojibake")
    assert language is not None and language.code == "M602"
    assert (language.severity, language.fixable) == ("warning", False)
    for rule in (mojibake, language):
        assert "**What**" in rule.doc and "**Why**" in rule.doc
        assert "Bad" in rule.doc and "Good" in rule.doc


def test_seed_one_finding_per_damaged_line(seed_text: str) -> None:
    found = findings(seed_text, "mojibake")
    assert [d.line for d in found] == sorted((*SEED_LOSSLESS, *SEED_RECOVERABLE))
    by_line = {d.line: d for d in found}
    assert all("losslessly" in by_line[n].message for n in SEED_LOSSLESS)
    assert all("recoverable" in by_line[n].message for n in SEED_RECOVERABLE)
    assert all(d.severity == "error" and d.code == "M601" for d in found)
    for d in found:  # the whole line, nothing else
        line = seed_text.split("\n")[d.line - 1]
        assert seed_text[d.start : d.end] == line


def test_seed_fix(seed_text: str) -> None:
    found = findings(seed_text, "mojibake")
    fixed = apply_edits(seed_text, [e for d in found if d.fix for e in d.fix.edits])
    lines = fixed.split("\n")
    assert lines[3] == "## 📖 Table of Contents"
    assert lines[5] == "  - [📖 Table of Contents](#-table-of-contents)"
    assert "among ≤4B models" in lines[24]
    old = seed_text.split("\n")
    damaged = {*SEED_LOSSLESS, *SEED_RECOVERABLE}
    assert all(lines[i] == old[i] for i in range(len(old)) if i + 1 not in damaged)
    if cjk_model_available():
        assert all(d.fix is not None for d in found)
        # Uncertain choices are listed in the message and left in place.
        uncertain = [d for d in found if "uncertain left as they are" in d.message]
        assert uncertain
        after = findings(fixed, "mojibake")
        assert {d.line for d in after} == {d.line for d in uncertain}
    else:
        assert all(found[i].fix is None for i in range(len(found)) if found[i].line > 25)


def test_message_names_the_extra_when_missing(
    seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(detect_module, "cjk_model_available", lambda: False)
    (d,) = [d for d in findings(seed_text, "mojibake") if d.line == 37]
    assert "-m pip install 'wordfreq>=3.1' 'jieba>=0.42' (the cjk extra)" in d.message


def test_not_inside_code_or_html_comments() -> None:
    text = (
        "# T\n\n"
        "```\n## ğŸ“– Table of Contents\n```\n\n"
        "<!--\nâ‰¤4B â€” hidden\n-->\n\n"
        "Shown: among â‰¤4B models â€” really.\n"
    )
    assert [d.line for d in findings(text, "mojibake")] == [11]


def test_incremental_lines(seed_text: str) -> None:
    found = readme_tools.lint_text(seed_text, path="t.md", fixes=True, select=("mojibake",))
    assert len(found) == 21
    from readme_tools.config import Config
    from readme_tools.engine import Selection, active_rules, lint_source
    from readme_tools.source import decode

    rules = active_rules(registry.load(), Config(), Selection(select=("mojibake",)))
    _doc, some = lint_source(
        decode(seed_text.encode(), "t.md"), rules, Config(), lines=frozenset({4, 25})
    )
    assert [d.line for d in some] == [4, 25]


def test_clean_list_has_no_findings() -> None:
    text = "# List\n\n- [x] **A**: Title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)\n\n  Café, naïve, 中文摘要、“引号”。\n"
    assert findings(text, "mojibake") == []


# ------------------------------------------------------------------- summary-language

_ZH = "论文提出一种简单高效的视觉令牌压缩方法，在多个基准上保持了原有性能，同时显著降低了计算成本。"
_EN = "The paper selects dominant visual tokens and merges the rest, keeping most of the accuracy."


def _doc(*summaries: str) -> str:
    parts = ["# List\n"]
    for i, summary in enumerate(summaries, 1):
        parts.append(
            f"- [x] **M{i}**: A title. CVPR2025 [Paper](https://arxiv.org/abs/2401.0000{i})\n\n"
            f"  {summary}\n"
        )
    return "\n".join(parts)


def test_summary_language_off_by_default() -> None:
    assert findings(_doc(_ZH, _EN), "summary-language") == []


def test_summary_language_reports_other_languages() -> None:
    text = _doc(_EN, _ZH, _EN)
    found = findings(text, "summary-language", config={"summary-language": "en"})
    assert [d.line for d in found] == [9]
    assert found[0].severity == "warning" and not found[0].fixable
    assert "Chinese" in found[0].message and "expected English (en)" in found[0].message
    zh = findings(text, "summary-language", config={"summary-language": "zh"})
    assert [d.line for d in zh] == [5, 13]


def test_summary_language_is_deterministic() -> None:
    text = _doc(_EN, _ZH, "Ein kurzer deutscher Text über visuelle Token und ihre Kompression.")
    runs = {
        tuple(
            (d.line, d.message)
            for d in findings(text, "summary-language", config={"summary-language": "en"})
        )
        for _ in range(3)
    }
    assert len(runs) == 1


def test_summary_language_skips_mojibake(seed_text: str) -> None:
    found = findings(seed_text, "summary-language", config={"summary-language": "en"})
    assert found == []  # the Chinese summaries are mojibake, reported by M601 instead
    zh = findings(seed_text, "summary-language", config={"summary-language": "zh"})
    assert zh and not any(d.line in SEED_RECOVERABLE for d in zh)


def test_langdetect_is_imported_only_when_configured() -> None:
    code = (
        "import sys\n"
        "from tests.conftest import findings\n"
        f"findings({_doc(_ZH)!r}, 'summary-language')\n"
        "assert 'langdetect' not in sys.modules\n"
        f"findings({_doc(_ZH)!r}, 'summary-language', config={{'summary-language': 'en'}})\n"
        "assert 'langdetect' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_reporting_only_skips_the_repair_but_says_what_is_fixable() -> None:
    """readme-lint asks for no fixes: the word model is not loaded, fixability is still known."""
    from readme_tools import registry
    from readme_tools.config import Config
    from readme_tools.engine import check
    from readme_tools.mojibake import cjk_model_available
    from readme_tools.parse import parse
    from readme_tools.source import decode

    seed = Path(__file__).parent.parent / "fixtures" / "mllm-paper-reading.md"
    doc = parse(decode(seed.read_bytes(), "seed.md"))
    rule = registry.load().get("mojibake")
    assert rule is not None
    found = check(doc, [rule], Config(), fixes=False)
    assert len(found) == 21
    assert all(d.fix is None for d in found)
    lossless = [d for d in found if d.line in (4, 6, 25)]
    assert len(lossless) == 3 and all(d.fixable for d in lossless)
    recoverable = [d for d in found if d.line not in (4, 6, 25)]
    assert len(recoverable) == 18 and not any(d.fixable for d in recoverable)
    if cjk_model_available():
        assert all("readme-fmt --fix restores" in d.message for d in recoverable)
