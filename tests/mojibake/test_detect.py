"""Detection: findings on damaged lines only, never on genuine text."""

from __future__ import annotations

import json
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readme_tools.mojibake import CJK_EXTRA_HINT, find_mojibake
from readme_tools.mojibake import detect as detect_module
from readme_tools.mojibake.detect import analyze, is_plausible

from .helpers import FTFY, MOJIBAKE, SEED, SEED_LOSSLESS, SEED_RECOVERABLE, SHARED, corrupt, read


def test_seed_findings_are_exactly_the_damaged_lines() -> None:
    text = read(SEED)
    spans = find_mojibake(text)
    assert [s.line for s in spans] == sorted((*SEED_LOSSLESS, *SEED_RECOVERABLE))
    kinds = {s.line: s.kind for s in spans}
    assert all(kinds[n] == "lossless" for n in SEED_LOSSLESS)
    assert all(kinds[n] == "recoverable" for n in SEED_RECOVERABLE)
    lines = text.split("\n")
    for span in spans:
        assert text[span.start : span.end] == lines[span.line - 1]
    assert sum(s.lost for s in spans) == 928  # characters with lost bytes (the issue)


def test_seed_messages_name_the_remedy(monkeypatch: pytest.MonkeyPatch) -> None:
    text = read(SEED)
    monkeypatch.setattr(detect_module, "cjk_model_available", lambda: False)
    spans = {s.line: s for s in find_mojibake(text)}
    assert "losslessly" in spans[4].message
    assert CJK_EXTRA_HINT in spans[37].message
    assert spans[37].needs_extra == "cjk"
    assert spans[37].script == "han"
    monkeypatch.setattr(detect_module, "cjk_model_available", lambda: True)
    spans = {s.line: s for s in find_mojibake(text)}
    assert CJK_EXTRA_HINT not in spans[37].message
    assert spans[37].needs_extra is None
    assert "language model (Chinese" in spans[37].message


def test_detection_never_imports_the_model() -> None:
    for name in ("wordfreq", "jieba"):
        sys.modules.pop(name, None)
    find_mojibake(read(SEED))
    assert "wordfreq" not in sys.modules and "jieba" not in sys.modules


@pytest.mark.parametrize("name", ["genuine-ru.md", "genuine-el.md", "genuine-mixed.md"])
def test_genuine_text_has_no_findings(name: str) -> None:
    assert find_mojibake(read(MOJIBAKE / name)) == []


def test_zh_summaries_has_no_findings() -> None:
    assert find_mojibake(read(MOJIBAKE / "zh-summaries.md")) == []


def test_ftfy_negative_cases_have_no_findings() -> None:
    cases = json.loads(read(FTFY / "negative.json"))
    assert len(cases) == 31
    for case in cases:
        assert find_mojibake(case["original"]) == [], case["label"]


def test_ftfy_negative_cases_as_one_document() -> None:
    cases = json.loads(read(FTFY / "negative.json"))
    assert find_mojibake("\n".join(c["original"] for c in cases)) == []


@pytest.mark.skipif(not (SHARED / "corpora").is_dir(), reason="../shared/corpora not present")
def test_real_corpora_have_no_findings() -> None:
    paths = sorted((SHARED / "corpora").glob("*.md"))
    assert paths
    for path in paths:
        assert find_mojibake(read(path)) == [], path.name


@pytest.mark.parametrize("name", ["genuine-ru.md", "genuine-el.md"])
def test_corrupted_alphabetic_text_is_recoverable(name: str) -> None:
    bad, _ = corrupt(read(MOJIBAKE / name))
    spans = find_mojibake(bad)
    assert spans and {s.kind for s in spans} == {"recoverable"}
    script = "cyrillic" if name.endswith("ru.md") else "greek"
    assert {s.script for s in spans} == {script}


def test_lossless_line_in_english_text() -> None:
    text = "# List\n\nSmall models (â‰¤4B) are fast.\n"
    (span,) = find_mojibake(text)
    assert (span.line, span.kind) == (3, "lossless")


def test_single_weak_sequence_needs_document_evidence() -> None:
    weak = "CafÃ© latte"  # one two-byte sequence only
    assert find_mojibake(weak) == []
    both = "CafÃ© latte\nDÃ©jÃ  vu â€” again\n"
    assert [s.line for s in find_mojibake(both)] == [1, 2]


def test_unrecoverable_damage() -> None:
    # Korean with a lost byte: no model for Hangul here.
    bad, _ = corrupt("한국어 모델 비교 — 결과와 분석")
    spans = find_mojibake(bad)
    assert [s.kind for s in spans] == ["unrecoverable"]
    assert "not recoverable" in spans[0].message


def test_replacement_characters_are_taken_into_the_damaged_piece() -> None:
    (report,) = analyze("The â€œquoteâ€\ufffd and more â€œtextâ€\ufffd here")
    truncated = [p for s in report.segments for p in s.pieces if p.kind == "truncated"]
    assert len(truncated) == 2  # one per damaged closing quote
    assert all(p.end - p.start == 3 for p in truncated)


def test_plausibility() -> None:
    assert is_plausible("中") and is_plausible("≤") and is_plausible("📖") and is_plausible("é")
    assert not is_plausible("\u05c5")  # Hebrew point from "×…"
    assert not is_plausible("\u0285")  # IPA from "Ê…"
    assert not is_plausible("\x85")


_GENUINE = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0x0400, max_codepoint=0x045F),
        st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),
        st.sampled_from("，。、：；（）“”‘’—…\n"),
    ),
    max_size=200,
)


@given(_GENUINE)
def test_text_without_single_byte_code_page_letters_is_never_flagged(text: str) -> None:
    assert find_mojibake(text) == []


@pytest.mark.slow
def test_detection_is_fast_on_a_big_clean_list() -> None:
    block = read(MOJIBAKE / "zh-summaries.md") + read(MOJIBAKE / "genuine-mixed.md")
    big = block * (17_000_000 // len(block.encode("utf-8")) + 1)
    best = min(_timed(big) for _ in range(3))
    assert best < 0.3, best  # ~0.02-0.06 s on a laptop; generous for CI


def _timed(text: str) -> float:
    start = time.perf_counter()
    find_mojibake(text)
    return time.perf_counter() - start


@pytest.mark.slow
def test_leftovers_of_a_partial_repair_are_still_found() -> None:
    """After the confident repairs, every line that keeps an uncertain character is still
    reported, even where a leftover lead byte happens to meet two continuation characters
    (a complete sequence among truncated ones used to discard the line)."""
    pytest.importorskip("wordfreq")
    from readme_tools.mojibake import repair

    bad, _ = corrupt(read(MOJIBAKE / "zh-summaries.md"))
    first = repair(bad)
    left = {r.line for r in first.repairs if not r.applied}
    assert left
    assert left <= {span.line for span in find_mojibake(first.text)}
