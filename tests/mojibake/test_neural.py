"""The neural second opinion: scoring continuations, finding the model, re-ranking with it."""

from __future__ import annotations

import ctypes
import dataclasses
import hashlib
import importlib.util
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from readme_tools.mojibake import ModelError, repair
from readme_tools.mojibake.codec import corrupt
from readme_tools.mojibake.models import gguf, packaged
from readme_tools.mojibake.models.find import ENV_VAR, find_word_lm, load_word_lm
from readme_tools.mojibake.models.neural import CausalLM, LlamaRunner, Step
from readme_tools.mojibake.models.packaged import packaged_model
from readme_tools.mojibake.rerank import rerank

from .helpers import requires_cjk, tiny_gguf, uncertain_slots

VOCAB = 64


class FakeRunner:
    """A :class:`~readme_tools.mojibake.models.neural.Runner` over a made-up model.

    One token per character.  A token's logits depend on it and on the token before
    it in its sequence, found the way llama.cpp finds it: the step one position
    lower that shares a sequence (there must be exactly one), so a batch that
    mixed up its sequences would score wrong.
    """

    bos = 0

    def __init__(self, max_tokens: int = 512, max_sequences: int = 256) -> None:
        rng = np.random.default_rng(7)
        self.table = rng.normal(size=(VOCAB, VOCAB)).astype(np.float32)
        self.max_tokens = max_tokens
        self.max_sequences = max_sequences
        self.calls: list[list[Step]] = []

    def tokenize(self, text: str) -> list[int]:
        return [1 + ord(c) % (VOCAB - 1) for c in text]

    def row(self, previous: int | None, token: int) -> Any:
        return self.table[token] + (0.0 if previous is None else 0.5 * self.table[:, previous])

    def logits(self, steps: Sequence[Step]) -> Any:
        self.calls.append(list(steps))
        assert len(steps) <= self.max_tokens
        assert all(0 <= seq < self.max_sequences for step in steps for seq in step.seqs)
        rows = []
        for step in steps:
            if not step.output:
                continue
            before = [s for s in steps if s.pos == step.pos - 1 and set(s.seqs) & set(step.seqs)]
            assert len(before) == (1 if step.pos else 0)
            rows.append(self.row(before[0].token if before else None, step.token))
        return np.array(rows, dtype=np.float32).reshape(len(rows), VOCAB)


def exact(runner: FakeRunner, tokens: list[int], scored: int) -> float:
    """log P(the last ``scored`` tokens | those before) under the fake model, token by token."""
    total = 0.0
    for n in range(len(tokens) - scored, len(tokens)):
        row = runner.row(tokens[n - 2] if n > 1 else None, tokens[n - 1]).astype(np.float64)
        total += row[tokens[n]] - math.log(np.exp(row).sum())
    return total


def test_continuations_are_exact_log_probabilities_after_the_prefix() -> None:
    runner = FakeRunner()
    model = CausalLM(Path("fake.gguf"), runner)
    asked = [("能量", ["与停顿", "不停顿", "中", "与停止"]), ("图像", ["块", "字"])]
    scores = model.continuations(asked)
    for (prefix, suffixes), values in zip(asked, scores, strict=True):
        for suffix, value in zip(suffixes, values, strict=True):
            tokens = [0, *runner.tokenize(prefix + suffix)]
            assert value == pytest.approx(exact(runner, tokens, len(suffix)), abs=1e-4)
    ((steps,),) = [runner.calls]  # one forward pass for everything
    # Outputs: each prefix's last token, and each continuation's tokens but its last;
    # 与停 is evaluated once for 与停顿 and 与停止.
    assert [s.seqs for s in steps if not s.output] == [(0, 1, 2, 3)] * 2 + [(4, 5)] * 2
    assert [s.seqs for s in steps if s.pos >= 3] == [(0, 3), (0, 3), (1,), (1,)]


def test_passes_are_split_to_fit_the_runner() -> None:
    runner = FakeRunner(max_tokens=9, max_sequences=2)
    model = CausalLM(Path("fake.gguf"), runner)
    asked = [("能量", ["与停顿", "不停顿", "中"]), ("图像", ["块", "字"]), ("长" * 20, ["文本"])]
    scores = model.continuations(asked)
    assert len(runner.calls) > 2
    for (prefix, suffixes), values in zip(asked, scores, strict=True):
        for suffix, value in zip(suffixes, values, strict=True):
            tokens = [0, *runner.tokenize(prefix + suffix)]
            keep = 9 - 1 - max(len(s) for s in suffixes)  # a long prefix keeps its end
            tokens = [0, *tokens[1:][-(keep + len(suffix)) :]] if len(prefix) > keep else tokens
            assert value == pytest.approx(exact(runner, tokens, len(suffix)), abs=1e-4)


def test_continuations_are_memoised() -> None:
    runner = FakeRunner()
    model = CausalLM(Path("fake.gguf"), runner)
    ((block, char),) = model.continuations([("图像", ["块", "字"])])
    again = model.continuations([("图像", ["字", "块"]), ("图像", ["字"])])
    assert again == [[char, block], [char]]
    assert len(runner.calls) == 1
    model.continuations([("图像", ["受", "字"])])  # only the new one is scored
    assert [s.seqs for s in runner.calls[1]] == [(0,)] * 3


def test_scores_are_kept_for_the_next_run(tmp_path: Path) -> None:
    store = tmp_path / "cache" / "scores.json"
    first = CausalLM(Path("fake.gguf"), FakeRunner(), store=store)
    (scores,) = first.continuations([("能量", ["与停顿", "不停顿"])])
    first.flush()
    again = FakeRunner()
    second = CausalLM(Path("fake.gguf"), again, store=store)
    second.restore()
    assert second.continuations([("能量", ["不停顿", "与停顿"])]) == [scores[::-1]]
    assert again.calls == []  # no model evaluation at all
    store.write_text("not json", encoding="utf-8")
    third = CausalLM(Path("fake.gguf"), FakeRunner(), store=store)
    third.restore()  # a damaged store is ignored, the scores are computed again
    assert third.continuations([("能量", ["与停顿"])]) == [pytest.approx(scores[:1])]


class FakeLib:
    """The few functions of llama.cpp's C API that LlamaRunner calls per batch."""

    llama_token = ctypes.c_int32

    def __init__(self, vocabulary: int) -> None:
        self.vocabulary = vocabulary
        self.decoded: list[Step] = []
        self.cleared = 0
        self.status = 0
        self.buffer = (ctypes.c_float * (64 * vocabulary))()

    def llama_get_memory(self, context: object) -> str:
        return "memory"

    def llama_memory_clear(self, memory: str, data: bool) -> None:
        self.cleared += memory == "memory" and data

    def llama_tokenize(
        self, vocab: object, data: bytes, n: int, out: Any, room: int, *_: bool
    ) -> int:
        assert n == len(data) <= room
        for i, byte in enumerate(data):
            out[i] = byte
        return n

    def llama_decode(self, context: object, batch: Any) -> int:
        self.decoded = []
        for j in range(batch.n_tokens):
            seqs = tuple(batch.seq_id[j][i] for i in range(batch.n_seq_id[j]))
            self.decoded.append(Step(batch.token[j], batch.pos[j], seqs, bool(batch.logits[j])))
        outputs = [s for s in self.decoded if s.output]
        for row, step in enumerate(outputs):  # a row says which step it belongs to
            for v in range(self.vocabulary):
                self.buffer[row * self.vocabulary + v] = step.token * 100 + step.pos + v / 10
        return self.status

    def llama_get_logits(self, context: object) -> Any:
        return ctypes.cast(self.buffer, ctypes.POINTER(ctypes.c_float))


class FakeBatch:
    def __init__(self, n: int, seqs: int) -> None:
        self.n_tokens = 0
        self.token = [0] * n
        self.pos = [0] * n
        self.n_seq_id = [0] * n
        self.seq_id = [[0] * seqs for _ in range(n)]
        self.logits = [False] * n


def test_the_llama_runner_passes_steps_to_llama_cpp_and_reads_the_outputs() -> None:
    lib = FakeLib(vocabulary=3)
    runner = LlamaRunner(lib, "vocab", "context", FakeBatch(8, 4), bos=2, vocabulary=3)
    assert runner.tokenize("ab") == [97, 98]
    steps = [Step(2, 0, (0, 1), False), Step(7, 1, (0, 1), True), Step(9, 2, (1,), True)]
    rows = runner.logits(steps)
    assert lib.decoded == steps and lib.cleared == 1  # from an empty memory
    assert rows.shape == (2, 3)
    assert rows.ravel().tolist() == pytest.approx([701, 701.1, 701.2, 902, 902.1, 902.2])
    lib.status = 1  # e.g. no room in the memory: an error, not garbage
    with pytest.raises(ModelError, match="status 1"):
        runner.logits(steps)


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
        self.batches: list[int] = []  # requests per call

    def span(self, chars: Sequence[str], first: int, last: int) -> tuple[int, int]:
        return max(0, first - 40), min(len(chars), last + 7)

    def continuations(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[float]]:
        self.asked += [(prefix, list(suffixes)) for prefix, suffixes in requests]
        self.batches.append(len(requests))
        return [
            [0.0 if self.liked in prefix + s else -10.0 for s in suffixes]
            for prefix, suffixes in requests
        ]

    def flush(self) -> None:
        self.flushed = True


def test_rerank_asks_for_continuations_of_the_whole_text_around_the_group() -> None:
    text = "Our 解码??提升 works"
    slots, choices = uncertain_slots(text, {text.index("?"): "吞", text.index("?") + 1: "吐"})
    model = ScriptedModel("解码吞吐提升")
    after = rerank(choices, {0: slots}, model)
    assert [c.chosen for c in after] == ["吞", "吐"]
    assert all(not c.confident and c.margin == 0.0 for c in after)
    ((prefix, suffixes),) = model.asked  # one group: both neighbours together
    assert prefix == "Our 解码"  # not only the run of Han text
    assert len(suffixes) == 4 and "吞吐提升 wor" in suffixes  # 6 characters after the last
    assert model.flushed  # what the model computed is kept for the next run


def test_rerank_asks_about_groups_that_do_not_read_each_other_at_once() -> None:
    text = "解?提升" + "很" * 50 + "吞? ?量"
    a, b, c = (k for k, char in enumerate(text) if char == "?")
    slots, choices = uncertain_slots(text, {a: "码", b: "吐", c: "吞"})
    model = ScriptedModel("吞吐")
    after = rerank(choices, {0: slots}, model)
    assert model.batches == [2, 1]  # a and b together; c reads b, so after it
    assert model.asked[2][0].endswith("很吞吐 ")  # ... as decided
    assert [choice.chosen for choice in after] == ["偏", "吐", "偏"]


def test_candidates_not_asked_about_stay_listed_for_review() -> None:
    slots, choices = uncertain_slots("解码?提升", {2: "吞"})
    ranked = (("偏", 0.0), ("吞", -1.0), ("吐", -1.5), ("么", -4.0))
    choices = [dataclasses.replace(choices[0], ranked=ranked)]
    model = ScriptedModel("解码吞提升")
    model.candidates = 2  # 吐 and 么 are not asked about
    (after,) = rerank(choices, {0: slots}, model)
    assert after.ranked == (("吞", 0.0), ("偏", -9.0), ("吐", -9.5), ("么", -12.0))
    assert after.margin == 0.0


@requires_cjk
def test_a_model_that_fails_while_scoring_is_left_out_with_a_note() -> None:
    class Broken(ScriptedModel):
        def continuations(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[float]]:
            raise ModelError("llama.cpp could not evaluate the text (status 1)")

    bad, _origin = corrupt("  作者先对齐语音编码器与大语言模型，再用对话数据微调。")
    plain = repair(bad, word_lm=None)
    result = repair(bad, word_lm=Broken("与"))
    assert (
        result.message
        == "language model not used: llama.cpp could not evaluate the text (status 1)"
    )
    assert result.repairs == plain.repairs and result.text == plain.text


def test_rerank_does_not_score_combinations_far_below_the_best() -> None:
    slots, choices = uncertain_slots("解码??提升", {2: "吞", 3: "吐"})
    model = ScriptedModel("解码吞吐提升")
    model.max_gap = 1.5  # 吞吐 together is 2 nats below 偏偏: not worth asking about
    after = rerank(choices, {0: slots}, model)
    ((_prefix, suffixes),) = model.asked
    assert sorted(suffixes) == sorted(["偏偏提升", "吞偏提升", "偏吐提升"])
    assert [c.chosen for c in after] == ["偏", "偏"]


TOKENS = ["<pad>", "<bos>", "<unk>", "<0xE4>", "▁the", "▁of", "的", "▁模型", "。", "ж", "<b>"]
N, C, U, B, D = gguf.NORMAL, gguf.CONTROL, gguf.UNKNOWN, gguf.BYTE, gguf.USER_DEFINED
TYPES = [C, C, U, B, N, N, N, N, N, N, D]


def test_chinese_tokens_are_han_punctuation_and_the_commonest_ascii(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(packaged, "ASCII_TOKENS", 2)
    # ▁the ▁of (the first 2 ASCII ones; <b> is the third), 的 ▁模型 。; not ж, not controls
    assert packaged.chinese_tokens(TOKENS, TYPES) == [4, 5, 6, 7, 8]


def test_zh_model_is_derived_once_and_recognised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("README_TOOLS_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "m.gguf"
    tiny_gguf(source, TOKENS, TYPES, bos=1, padding=0, unknown=2)
    derived = packaged.zh_model(source)
    assert derived.parent == tmp_path / "cache"
    model = gguf.read_model(derived)
    tokens = model.metadata["tokenizer.ggml.tokens"][1]
    assert isinstance(tokens, tuple) and "ж" not in tokens[1] and "的" in tokens[1]
    assert model.metadata[packaged.MARK[0]] == (gguf.STRING, packaged.MARK[1])
    written = derived.stat().st_mtime_ns
    assert packaged.zh_model(source) == derived and derived.stat().st_mtime_ns == written
    assert packaged.zh_model(derived) == derived  # already a Chinese-vocabulary model
    other = tmp_path / "bpe.gguf"
    other.write_bytes(source.read_bytes().replace(b"llama", b"gpt2\0"))
    assert packaged.zh_model(other) == other  # cannot be cut: used as it is
    other.write_bytes(b"GGUF")
    with pytest.raises(ModelError, match=r"not a model llama\.cpp can run"):
        packaged.zh_model(other)


def test_packaged_model_is_assembled_once_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = tmp_path / "whole.gguf"
    tiny_gguf(whole, TOKENS, TYPES, bos=1)
    data = whole.read_bytes()
    parts = []
    for n, chunk in enumerate([data[:100], data[100:]]):
        part = tmp_path / f"part{n}"
        part.write_bytes(chunk)
        parts.append(part)
    package = tmp_path / "pkgs" / packaged.MODEL_PACKAGE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        f"def chunk_paths():\n    return {[str(p) for p in parts]!r}\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    monkeypatch.setenv("README_TOOLS_CACHE_DIR", str(tmp_path / "cache"))

    monkeypatch.setattr(packaged, "MODEL_SHA256", "0" * 64)
    with pytest.raises(ModelError, match="unexpected SHA-256"):
        packaged_model()
    assert list((tmp_path / "cache").iterdir()) == []  # no partial file left

    monkeypatch.setattr(packaged, "MODEL_SHA256", hashlib.sha256(data).hexdigest())
    (tmp_path / "cache" / "gemma-3-270m-q4_k_m.gguf").write_bytes(data)  # an older version's
    path = packaged_model()
    assert path == tmp_path / "cache" / packaged.MODEL_FILE
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # the whole file is gone
    assert packaged.MARK[0] in gguf.read_model(path).metadata  # the Chinese-vocabulary copy
    assert packaged.zh_model(path) == path
    parts[0].unlink()  # assembled once: the parts are not read again
    assert packaged_model() == path

    path.unlink()  # now a part is missing, and then the cache cannot be written
    with pytest.raises(ModelError, match="cannot assemble the model"):
        packaged_model()
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("README_TOOLS_CACHE_DIR", str(blocker / "cache"))
    with pytest.raises(ModelError, match="cannot assemble the model"):
        packaged_model()


def test_a_gguf_file_needs_llama_cpp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    real = importlib.util.find_spec

    def without_llama(name: str, *args: Any) -> Any:
        return None if name == "llama_cpp" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_llama)
    with pytest.raises(
        ModelError,
        match=r"needs llama-cpp-python: .*(pip install|pipx inject|additional_dependencies)",
    ):
        load_word_lm(model)
    monkeypatch.setenv(ENV_VAR, str(model))
    assert find_word_lm() == model  # the variable names it whatever it is


# --- with the real model: the cjk-neural extra, or README_TOOLS_TEST_GGUF=model.gguf -------

TEST_GGUF = os.environ.get("README_TOOLS_TEST_GGUF", "")

requires_neural = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None
    or not (Path(TEST_GGUF).is_file() or importlib.util.find_spec(packaged.MODEL_PACKAGE)),
    reason="needs the cjk-neural extra (llama-cpp-python + the model) or README_TOOLS_TEST_GGUF",
)


@requires_neural
@requires_cjk
def test_the_real_model_decides_what_the_word_models_cannot() -> None:
    path = Path(TEST_GGUF) if TEST_GGUF else packaged_model()
    assert path is not None
    model = load_word_lm(path)
    assert isinstance(model, CausalLM)
    ((yu, bu),) = model.continuations([("作者先对齐语音编码器", ["与大语言模型", "不大语言模型"])])
    assert yu > bu + 2
    line = "  作者先对齐语音编码器与大语言模型，再用对话数据微调。"
    bad, _origin = corrupt(line)
    assert "编码器不大语言模型" in repair(bad, apply_uncertain=True, word_lm=None).text
    assert "编码器与大语言模型" in repair(bad, apply_uncertain=True, word_lm=model).text
