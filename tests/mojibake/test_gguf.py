"""Reading, writing and cutting the vocabulary of GGUF model files."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from readme_tools.mojibake import ModelError
from readme_tools.mojibake.models import gguf

from .helpers import tiny_gguf

N, C, B, U = gguf.NORMAL, gguf.CONTROL, gguf.BYTE, gguf.UNKNOWN
TOKENS = ["<pad>", "<unused0>", "<bos>", "<unk>", "<0x41>", "▁the", "的", "模型", "abc"]
TYPES = [C, C, C, U, B, N, N, N, N]


def test_a_written_model_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    rows = tiny_gguf(path, TOKENS, TYPES, bos=2, padding=0)
    model = gguf.read_model(path)
    assert model.metadata["tokenizer.ggml.tokens"] == (gguf.ARRAY, (gguf.STRING, TOKENS))
    assert model.metadata["tokenizer.ggml.bos_token_id"] == (gguf.U32, 2)
    scores = model.metadata["tokenizer.ggml.scores"][1]
    assert isinstance(scores, tuple) and scores[1] == [-float(i) for i in range(len(TOKENS))]
    assert [(t.name, t.dims, t.type) for t in model.tensors] == [
        ("output_norm.weight", (3,), 0),
        ("token_embd.weight", (32, len(TOKENS)), 8),
    ]
    embd = model.tensors[1]
    assert model.data_start % 32 == 0 and embd.offset % 32 == 0
    data = path.read_bytes()
    assert data[model.data_start + embd.offset :][: len(rows)] == rows
    assert data[model.data_start :][:12] == struct.pack("<3f", 1.0, 2.0, 3.0)


def test_the_vocabulary_is_cut_to_the_chosen_tokens(tmp_path: Path) -> None:
    source, target = tmp_path / "m.gguf", tmp_path / "zh.gguf"
    rows = tiny_gguf(source, TOKENS, TYPES, bos=2, padding=0, unknown=3)
    asked = []

    def select(texts: object, types: object) -> list[int]:
        asked.append((texts, types))
        return [1, 6, 7]  # a control token asked for is still dropped

    kept = gguf.subset_vocabulary(source, target, select, ("test.mark", "zh"))
    assert asked == [(TOKENS, TYPES)]
    # pad, bos, unk: named by the metadata; <0x41>: bytes are the fallback; 的 模型: chosen
    assert kept == 6
    model = gguf.read_model(target)
    meta = model.metadata
    assert meta["tokenizer.ggml.tokens"][1] == (
        gguf.STRING,
        ["<pad>", "<bos>", "<unk>", "<0x41>", "的", "模型"],
    )
    assert meta["tokenizer.ggml.token_type"][1] == (gguf.I32, [C, C, U, B, N, N])
    assert meta["tokenizer.ggml.scores"][1] == (gguf.F32, [0.0, -2.0, -3.0, -4.0, -6.0, -7.0])
    assert meta["tokenizer.ggml.bos_token_id"] == (gguf.U32, 1)  # renumbered
    assert meta["tokenizer.ggml.unknown_token_id"] == (gguf.U32, 2)
    assert meta["tokenizer.ggml.padding_token_id"] == (gguf.U32, 0)
    assert meta["test.mark"] == (gguf.STRING, "zh")
    assert meta["general.architecture"] == (gguf.STRING, "gemma3")
    norm, embd = model.tensors
    assert embd.dims == (32, 6)
    data = target.read_bytes()
    start = model.data_start + embd.offset
    assert data[start : start + 6 * 34] == b"".join(
        rows[i * 34 : i * 34 + 34] for i in (0, 2, 3, 4, 6, 7)
    )
    assert data[model.data_start + norm.offset :][:12] == struct.pack("<3f", 1.0, 2.0, 3.0)


def test_what_cannot_be_read_or_cut_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="not a GGUF file"):
        gguf.read_model(path)
    tiny_gguf(path, TOKENS, TYPES)
    whole = path.read_bytes()
    path.write_bytes(whole[:40])
    with pytest.raises(ModelError, match="truncated"):
        gguf.read_model(path)
    count = whole.index(b"tokenizer.ggml.scores") + len("tokenizer.ggml.scores") + 8
    huge = whole[:count] + struct.pack("<Q", 1 << 40) + whole[count + 8 :]
    path.write_bytes(huge)  # a damaged array length: an error, not a 1 TB allocation
    with pytest.raises(ModelError, match="truncated"):
        gguf.read_model(path)
    path.write_bytes(whole.replace(b"llama", b"gpt2\0"))  # a BPE vocabulary
    with pytest.raises(ModelError, match="only SentencePiece"):
        gguf.subset_vocabulary(path, tmp_path / "out.gguf", lambda _t, _k: [])
    path.write_bytes(whole[:4] + struct.pack("<I", 1) + whole[8:])
    with pytest.raises(ModelError, match="version 1"):
        gguf.read_model(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.gguf"]  # nothing half-written
