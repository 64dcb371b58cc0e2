"""The word trigram second opinion: finding the model, scoring, re-ranking uncertain choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from readme_tools.mojibake import repair
from readme_tools.mojibake.codec import corrupt
from readme_tools.mojibake.detect import analyze
from readme_tools.mojibake.models.context import han_window
from readme_tools.mojibake.models.find import ENV_VAR, find_word_lm, load_word_lm
from readme_tools.mojibake.models.trigram import WordLM
from readme_tools.mojibake.models.words import load_han_model
from readme_tools.mojibake.recover import damaged_lines, recover
from readme_tools.mojibake.rerank import rerank
from readme_tools.mojibake.types import ModelError

from .helpers import requires_cjk, uncertain_slots

pytest.importorskip("kenlm", reason="needs kenlm (the cjk-lm extra)")

#: A line of zh-summaries.md whose 与 the built-in model alone gets wrong (it picks 不).
LINE = "  作者先对齐语音编码器与大语言模型，再用对话数据微调。"


def arpa(tmp_path: Path, bigrams: dict[tuple[str, str], float], name: str = "t.arpa") -> Path:
    """A tiny ARPA model: every word of ``bigrams`` at log10 -1.5, the pairs as given."""
    words = sorted({w for pair in bigrams for w in pair})
    lines = ["\\data\\", f"ngram 1={len(words) + 3}", f"ngram 2={len(bigrams)}", ""]
    lines += ["\\1-grams:", "-1.0\t<unk>\t0", "-99\t<s>\t0", "-1.0\t</s>\t0"]
    lines += [f"-1.5\t{w}\t-0.3" for w in words]
    lines += ["", "\\2-grams:"]
    lines += [f"{p}\t{a} {b}" for (a, b), p in bigrams.items()]
    lines += ["", "\\end\\", ""]
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_score_prefers_the_sentence_the_model_knows(tmp_path: Path) -> None:
    lm = load_word_lm(arpa(tmp_path, {("能量", "与"): -0.1, ("与", "停顿"): -0.1, ("不", "x"): -1}))
    assert isinstance(lm, WordLM)  # not a .gguf file: the KenLM reader
    assert lm.score("能量与停顿") > lm.score("能量不停顿") + 5
    # A known word is one token (log10 -1.5 -> natural log), not two unknown characters.
    assert lm.score("能量") == pytest.approx(-1.5 * 2.302585, abs=1e-4)


def test_han_window_stops_at_non_han_and_at_the_window() -> None:
    chars = list("ab能量与停顿，再" + "很" * 20)
    assert han_window(chars, chars.index("与")) == (2, 7)
    middle = 20
    assert han_window(chars, middle) == (middle - 8, middle + 9)


def test_find_word_lm_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, "off")
    assert find_word_lm() is None
    assert load_word_lm() is None
    model = arpa(tmp_path, {("a", "b"): -0.1})
    monkeypatch.setenv(ENV_VAR, str(model))
    assert find_word_lm() == model
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing.lm"))
    with pytest.raises(ModelError, match="no such file"):
        find_word_lm()


def test_a_file_that_is_not_a_model_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.lm"
    bad.write_text("not a language model\n", encoding="utf-8")
    with pytest.raises(ModelError, match="not a KenLM model"):
        load_word_lm(bad)


@requires_cjk
def test_rerank_changes_only_uncertain_choices(tmp_path: Path) -> None:
    bad, origin = corrupt(LINE)
    reports = analyze(bad)
    model = load_han_model()
    before = recover(reports, han_model=model)
    lm = load_word_lm(arpa(tmp_path, {("编码器", "与"): -0.1, ("与", "大语言模型"): -0.1}))
    assert lm is not None
    after = rerank(before, damaged_lines(reports, model), lm)
    assert [c.start for c in before] == [c.start for c in after]
    conj = next(i for i, c in enumerate(before) if origin[c.start] == "与")
    assert before[conj].chosen == "不" and not before[conj].confident
    assert after[conj].chosen == "与" and not after[conj].confident  # re-ranked, still uncertain
    assert after[conj].chosen in after[conj].options
    for old, new in zip(before, after, strict=True):
        if old.confident:
            assert new == old
        assert new.ranked[0][1] == 0.0


def test_neighbours_are_re_ranked_together(tmp_path: Path) -> None:
    # 解码吞吐提升 with 吞 and 吐 both damaged: the word exists only when both are right,
    # so changing one at a time never pays; deciding them jointly does.
    slots, choices = uncertain_slots("解码??提升", {2: "吞", 3: "吐"})
    lm = load_word_lm(arpa(tmp_path, {("解码", "吞吐"): -0.1, ("吞吐", "提升"): -0.1}))
    assert lm is not None
    after = rerank(choices, {0: slots}, lm)
    assert [c.chosen for c in after] == ["吞", "吐"]
    assert all(not c.confident and c.margin == 0.0 for c in after)  # changed: not sure


@requires_cjk
def test_repair_uses_the_configured_model_and_reports_a_broken_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad, _origin = corrupt(LINE)
    model = arpa(tmp_path, {("编码器", "与"): -0.1, ("与", "大语言模型"): -0.1})
    monkeypatch.setenv(ENV_VAR, str(model))
    result = repair(bad, apply_uncertain=True)
    assert "编码器与大语言模型" in result.text and result.message is None
    assert "编码器不大语言模型" in repair(bad, apply_uncertain=True, word_lm=None).text

    monkeypatch.setenv(ENV_VAR, str(tmp_path / "gone.lm"))
    result = repair(bad, apply_uncertain=True)
    assert result.message is not None and "language model not used" in result.message
    assert "gone.lm: no such file" in result.message
    assert "编码器不大语言模型" in result.text  # repaired all the same, without it
