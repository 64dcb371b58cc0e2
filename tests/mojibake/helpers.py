"""Shared helpers for the mojibake tests."""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from readme_tools.mojibake import cjk_model_available
from readme_tools.mojibake.choice import Choice
from readme_tools.mojibake.codec import corrupt as corrupt  # re-exported for the tests
from readme_tools.mojibake.codec import corrupt_char
from readme_tools.mojibake.lattice import Slot
from readme_tools.mojibake.models import gguf

from ..data import SEED as SEED

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MOJIBAKE = FIXTURES / "mojibake"
FTFY = FIXTURES / "ftfy"
SHARED = Path(__file__).resolve().parents[3] / "shared"

#: Lines of the seed (1-based) and what the issue says about them.
SEED_LOSSLESS = (4, 6, 25)
SEED_RECOVERABLE = (37, 41, 45, 49, 53, 57, 61, 65, 69, 73, 77, 81, 85, 89, 93, 97, 101, 105)

requires_cjk = pytest.mark.skipif(
    not cjk_model_available(), reason="needs the cjk extra (wordfreq, jieba)"
)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def is_damaged(char: str) -> bool:
    return len(corrupt_char(char)) < len(char.encode("utf-8"))


def uncertain_slots(text: str, damaged: Mapping[int, str]) -> tuple[list[Slot], list[Choice]]:
    """Slots of ``text`` (one line) where each position of ``damaged`` may be 偏 or its
    character, and the uncertain choices for them: 偏 chosen, the other 1 nat behind."""
    slots = [
        Slot(k, k + 1, ("偏", damaged[k]), True) if k in damaged else Slot(k, k + 1, (c,), False)
        for k, c in enumerate(text)
    ]
    choices = [
        Choice(0, k, k + 1, "?", "han", (("偏", 0.0), (c, -1.0)), 1.0, False, ("偏", c))
        for k, c in damaged.items()
    ]
    return slots, choices


def tiny_gguf(path: Path, tokens: Sequence[str], types: Sequence[int], **ids: int) -> bytes:
    """Write a small SentencePiece-vocabulary GGUF model; returns its token rows' bytes.

    ``token_embd.weight`` is Q8_0 with 32 columns (one 34-byte block per token, byte
    ``i`` throughout row ``i``), beside an ``output_norm.weight`` of 3 floats;
    ``ids`` become ``tokenizer.ggml.<name>_token_id`` entries.
    """
    n = len(tokens)
    rows = b"".join(bytes([i]) * 34 for i in range(n))
    metadata: dict[str, tuple[int, object]] = {
        "general.architecture": (gguf.STRING, "gemma3"),
        "tokenizer.ggml.model": (gguf.STRING, "llama"),
        "tokenizer.ggml.tokens": (gguf.ARRAY, (gguf.STRING, list(tokens))),
        "tokenizer.ggml.scores": (gguf.ARRAY, (gguf.F32, [float(-i) for i in range(n)])),
        "tokenizer.ggml.token_type": (gguf.ARRAY, (gguf.I32, list(types))),
        **{f"tokenizer.ggml.{k}_token_id": (gguf.U32, v) for k, v in ids.items()},
    }
    tensors = (
        gguf.TensorInfo("output_norm.weight", (3,), 0, 0, 12),
        gguf.TensorInfo("token_embd.weight", (32, n), 8, 0, len(rows)),
    )
    data = {"output_norm.weight": struct.pack("<3f", 1.0, 2.0, 3.0), "token_embd.weight": rows}
    model = gguf.Model(path, metadata, tensors, 0)
    gguf.write_model(model, path, lambda info: data[info.name])
    return rows
