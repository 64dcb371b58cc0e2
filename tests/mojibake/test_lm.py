"""The Chinese word-frequency model: derivation, cache, laziness."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from readme_tools.mojibake import lm

from .helpers import requires_cjk


def test_is_han() -> None:
    assert lm.is_han("语言") and lm.is_han("中")
    assert not lm.is_han("") and not lm.is_han("语言A") and not lm.is_han("，")


def test_importing_the_package_imports_no_model() -> None:
    code = (
        "import sys, readme_tools.mojibake\n"
        "assert 'wordfreq' not in sys.modules and 'jieba' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_extra_raises_import_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lm, "_MODEL", None)
    monkeypatch.setattr(lm, "cjk_model_available", lambda: False)
    with pytest.raises(ImportError, match=r"readme-tools\[cjk\]"):
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


@requires_cjk
def test_unreadable_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("README_TOOLS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(lm, "_MODEL", None)
    lm._cache_path().parent.mkdir(parents=True, exist_ok=True)
    lm._cache_path().write_bytes(b"not a pickle")
    model = lm.load_han_model()
    assert "语言" in model.words
