"""The neural second opinion: scoring continuations, finding the model, re-ranking with it."""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from readme_tools.mojibake import causallm, repair
from readme_tools.mojibake.causallm import CausalLM, CausalLMError, packaged_model
from readme_tools.mojibake.codec import corrupt
from readme_tools.mojibake.recover import _rerank
from readme_tools.mojibake.wordlm import ENV_VAR, WordLMError, find_word_lm, load_word_lm

from .helpers import requires_cjk, uncertain_slots

VOCAB = 64


class FakeLlama:
    """Enough of llama_cpp.Llama: one token per character, logits from a bigram table."""

    def __init__(self, n_ctx: int = 256) -> None:
        rng = np.random.default_rng(7)
        self.table = rng.normal(size=(VOCAB, VOCAB)).astype(np.float32)
        self.scores = np.zeros((n_ctx, VOCAB), dtype=np.float32)
        self.input_ids = np.zeros(n_ctx, dtype=np.intc)
        self.n_tokens = 0
        self._logits_all = True
        self.evaluated: list[tuple[list[int], bool]] = []

    def token_bos(self) -> int:
        return 0

    def tokenize(self, text: bytes, add_bos: bool = True) -> list[int]:
        assert not add_bos
        return [1 + ord(c) % (VOCAB - 1) for c in text.decode("utf-8")]

    def reset(self) -> None:
        self.n_tokens = 0

    def eval(self, tokens: Sequence[int]) -> None:
        self.evaluated.append((list(tokens), self._logits_all))
        for token in tokens:
            self.input_ids[self.n_tokens] = token
            if self._logits_all:
                self.scores[self.n_tokens] = self.table[token]
            self.n_tokens += 1


def exact(llm: FakeLlama, tokens: list[int]) -> float:
    """log P(tokens[1:] | tokens[0]) under the fake's bigram table, computed directly."""
    total = 0.0
    for prev, token in itertools.pairwise(tokens):
        row = llm.table[prev].astype(np.float64)
        total += row[token] - math.log(np.exp(row).sum())
    return total


def test_continuations_are_exact_log_probabilities_after_the_prefix() -> None:
    llm = FakeLlama()
    model = CausalLM(Path("fake.gguf"), llm)
    scores = model.continuations("能量", ["与停顿", "不停顿", "中"])
    for suffix, score in zip(["与停顿", "不停顿", "中"], scores, strict=True):
        tokens = llm.tokenize(("量" + suffix).encode(), add_bos=False)
        assert score == pytest.approx(exact(llm, tokens), abs=1e-4)
    # The prefix (but its last token) is evaluated once, without output distributions.
    assert llm.evaluated[0] == ([0, *llm.tokenize("能".encode(), add_bos=False)], False)
    assert all(logits for _tokens, logits in llm.evaluated[1:])
    assert len(llm.evaluated) == 4  # prefix, its last token, two 3-token tails (not 中)


def test_continuations_are_memoised() -> None:
    llm = FakeLlama()
    model = CausalLM(Path("fake.gguf"), llm)
    first = model.continuations("图像", ["块", "字"])
    calls = len(llm.evaluated)
    assert model.continuations("图像", ["字", "块", "字"]) == [first[1], first[0], first[1]]
    assert len(llm.evaluated) == calls
    model.continuations("图像", ["受"])  # only the new one: the prefix again, one distribution
    tokens = llm.tokenize("图像".encode(), add_bos=False)
    assert llm.evaluated[calls:] == [([0, tokens[0]], False), ([tokens[1]], True)]


def test_scores_are_kept_for_the_next_run(tmp_path: Path) -> None:
    store = tmp_path / "cache" / "scores.json"
    first = CausalLM(Path("fake.gguf"), FakeLlama(), store=store)
    scores = first.continuations("能量", ["与停顿", "不停顿"])
    first.flush()
    again = FakeLlama()
    second = CausalLM(Path("fake.gguf"), again, store=store)
    second.restore()
    assert second.continuations("能量", ["不停顿", "与停顿"]) == scores[::-1]
    assert again.evaluated == []  # no model evaluation at all
    store.write_text("not json", encoding="utf-8")
    third = CausalLM(Path("fake.gguf"), FakeLlama(), store=store)
    third.restore()  # a damaged store is ignored, the scores are computed again
    assert third.continuations("能量", ["与停顿"]) == pytest.approx(scores[:1])


def test_a_long_prefix_is_cut_to_fit_the_context() -> None:
    llm = FakeLlama(n_ctx=causallm.N_CTX)
    model = CausalLM(Path("fake.gguf"), llm)
    prefix = "长" * 1000
    score = model.continuations(prefix, ["文本"])[0]
    assert llm.n_tokens <= causallm.N_CTX
    assert score == pytest.approx(exact(llm, llm.tokenize("长文本".encode(), add_bos=False)))


class ScriptedModel:
    """A ContextModel that likes one word, and records what it was asked."""

    path = Path("scripted")
    weight = 1.0
    candidates = 3
    max_joint = 2
    max_gap = math.inf

    def __init__(self, liked: str) -> None:
        self.liked = liked
        self.asked: list[tuple[str, list[str]]] = []

    def span(self, chars: Sequence[str], first: int, last: int) -> tuple[int, int]:
        return max(0, first - 40), min(len(chars), last + 7)

    def continuations(self, prefix: str, suffixes: Sequence[str]) -> list[float]:
        self.asked.append((prefix, list(suffixes)))
        return [0.0 if self.liked in prefix + s else -10.0 for s in suffixes]

    def flush(self) -> None:
        self.flushed = True


def test_rerank_asks_for_continuations_of_the_whole_text_around_the_group() -> None:
    text = "Our 解码??提升 works"
    slots, choices = uncertain_slots(text, {text.index("?"): "吞", text.index("?") + 1: "吐"})
    model = ScriptedModel("解码吞吐提升")
    after = _rerank(choices, {0: slots}, model)
    assert [c.chosen for c in after] == ["吞", "吐"]
    assert all(not c.confident and c.margin == 0.0 for c in after)
    ((prefix, suffixes),) = model.asked  # one group: both neighbours together
    assert prefix == "Our 解码"  # not only the run of Han text
    assert len(suffixes) == 4 and "吞吐提升 wor" in suffixes  # 6 characters after the last
    assert model.flushed  # what the model computed is kept for the next run


def test_rerank_does_not_score_combinations_far_below_the_best() -> None:
    slots, choices = uncertain_slots("解码??提升", {2: "吞", 3: "吐"})
    model = ScriptedModel("解码吞吐提升")
    model.max_gap = 1.5  # 吞吐 together is 2 nats below 偏偏: not worth asking about
    after = _rerank(choices, {0: slots}, model)
    ((_prefix, suffixes),) = model.asked
    assert sorted(suffixes) == sorted(["偏偏提升", "吞偏提升", "偏吐提升"])
    assert [c.chosen for c in after] == ["偏", "偏"]


def test_packaged_model_is_assembled_once_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = []
    for n, data in enumerate([b"GGUF" + b"a" * 100, b"b" * 50]):
        part = tmp_path / f"part{n}"
        part.write_bytes(data)
        parts.append(part)
    package = tmp_path / "pkgs" / causallm.MODEL_PACKAGE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        f"def chunk_paths():\n    return {[str(p) for p in parts]!r}\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    monkeypatch.setenv("README_TOOLS_CACHE_DIR", str(tmp_path / "cache"))
    whole = b"".join(p.read_bytes() for p in parts)

    monkeypatch.setattr(causallm, "MODEL_SHA256", "0" * 64)
    with pytest.raises(CausalLMError, match="unexpected SHA-256"):
        packaged_model()
    assert list((tmp_path / "cache").iterdir()) == []  # no partial file left

    monkeypatch.setattr(causallm, "MODEL_SHA256", hashlib.sha256(whole).hexdigest())
    path = packaged_model()
    assert path == tmp_path / "cache" / causallm.MODEL_FILE
    assert path.read_bytes() == whole
    parts[0].unlink()  # assembled once: the parts are not read again
    assert packaged_model() == path

    path.unlink()  # now a part is missing, and then the cache cannot be written
    with pytest.raises(CausalLMError, match="cannot assemble the model"):
        packaged_model()
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("README_TOOLS_CACHE_DIR", str(blocker / "cache"))
    with pytest.raises(CausalLMError, match="cannot assemble the model"):
        packaged_model()


def test_a_gguf_file_needs_llama_cpp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    real = importlib.util.find_spec

    def without_llama(name: str, *args: Any) -> Any:
        return None if name == "llama_cpp" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_llama)
    with pytest.raises(WordLMError, match=r"needs llama-cpp-python: pip install"):
        load_word_lm(model)
    monkeypatch.setenv(ENV_VAR, str(model))
    assert find_word_lm() == model  # the variable names it whatever it is


# --- with the real model: the cjk-neural extra, or README_TOOLS_TEST_GGUF=model.gguf -------

TEST_GGUF = os.environ.get("README_TOOLS_TEST_GGUF", "")

requires_neural = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None
    or not (Path(TEST_GGUF).is_file() or importlib.util.find_spec(causallm.MODEL_PACKAGE)),
    reason="needs the cjk-neural extra (llama-cpp-python + the model) or README_TOOLS_TEST_GGUF",
)


@requires_neural
@requires_cjk
def test_the_real_model_decides_what_the_word_models_cannot() -> None:
    path = Path(TEST_GGUF) if TEST_GGUF else packaged_model()
    assert path is not None
    model = load_word_lm(path)
    assert isinstance(model, CausalLM)
    yu, bu = model.continuations("作者先对齐语音编码器", ["与大语言模型", "不大语言模型"])
    assert yu > bu + 2
    line = "  作者先对齐语音编码器与大语言模型，再用对话数据微调。"
    bad, _origin = corrupt(line)
    assert "编码器不大语言模型" in repair(bad, apply_uncertain=True, word_lm=None).text
    assert "编码器与大语言模型" in repair(bad, apply_uncertain=True, word_lm=model).text
