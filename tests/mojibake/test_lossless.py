"""Lossless re-decoding and the safe ftfy configuration."""

from __future__ import annotations

import json

import pytest

from readme_tools.mojibake import repair
from readme_tools.mojibake.detect import analyze, line_report
from readme_tools.mojibake.lossless import SAFE_CONFIG, decode_line, diff_edits, fix_line, ftfy_fix

from .helpers import FTFY, SEED, read


def test_seed_lossless_lines_are_exactly_right() -> None:
    reports = {r.index + 1: r for r in analyze(read(SEED))}
    assert fix_line(reports[4]) == ("## 📖 Table of Contents", True)
    assert fix_line(reports[6]) == ("  - [📖 Table of Contents](#-table-of-contents)", True)
    fixed, agreed = fix_line(reports[25])
    assert agreed and "among ≤4B models" in fixed
    assert fixed == reports[25].text.replace("â‰¤", "≤")


def test_safe_config_changes_nothing_but_the_encoding() -> None:
    assert SAFE_CONFIG.uncurl_quotes is False
    assert SAFE_CONFIG.fix_character_width is False
    assert SAFE_CONFIG.fix_latin_ligatures is False
    assert SAFE_CONFIG.normalization is None
    assert SAFE_CONFIG.unescape_html is False
    assert SAFE_CONFIG.replace_lossy_sequences is False
    text = "“curly” ＡＢＣ ﬁne &amp; e\u0301 \u00a0"
    assert ftfy_fix(text) == text


def test_edits_touch_only_the_mojibake() -> None:
    line = "Plain “quotes” and â€œmojibakeâ€™s quotesâ€ ok"
    report = line_report(line)
    assert report is not None
    edits = decode_line(line, report.segments)
    assert [line[s:e] for s, e, _r in edits] == ["â€œ", "â€™"]
    assert [r for _s, _e, r in edits] == ["“", "’"]


def test_c1_controls_in_a_mojibake_line_become_cp1252() -> None:
    text = "Direzione Pd, ok â\x80\x9csenza modifiche\x94 all'Italicum."
    assert repair(text).text == "Direzione Pd, ok “senza modifiche” all'Italicum."


def test_double_mis_decoding_is_undone() -> None:
    assert repair("Iggy Pop (nÃƒÂ© Jim Osterberg)").text == "Iggy Pop (né Jim Osterberg)"


def test_diff_edits_roundtrip() -> None:
    old, new = "abcXYdef", "abc–def"
    edits = diff_edits(old, new)
    out = old
    for start, end, rep in reversed(edits):
        out = out[:start] + rep + out[end:]
    assert out == new


def _cases(name: str) -> list[dict[str, str]]:
    return json.loads(read(FTFY / f"{name}.json"))  # type: ignore[no-any-return]


def test_ftfy_negative_cases_stay_untouched() -> None:
    for case in _cases("negative"):
        result = repair(case["original"])
        assert result.text == case["original"], case["label"]
        assert result.edits == ()


@pytest.mark.parametrize(
    ("name", "minimum"),
    [("synthetic", 19), ("in-the-wild", 22), ("language-names", 8)],
)
def test_ftfy_positive_cases_pass_count(name: str, minimum: int) -> None:
    """Regression floor for ftfy's cases (most use code pages we do not model)."""
    passed = 0
    for case in _cases(name):
        expected = case.get("fixed-encoding", case["fixed"])
        passed += repair(case["original"]).text == expected
    assert passed >= minimum


def test_diff_edits_long_line_is_fast() -> None:
    # Found by fuzzing: a 160 kB mojibake line made readme-fmt spend minutes in SequenceMatcher.
    old, new = "cafÃ© au lait " * 20_000, "café au lait " * 20_000
    edits = diff_edits(old, new)
    out = old
    for start, end, rep in reversed(edits):
        out = out[:start] + rep + out[end:]
    assert out == new
    assert diff_edits("abc", "abc") == []
    assert diff_edits("xÃ©y", "xéy") == [(1, 3, "é")]
