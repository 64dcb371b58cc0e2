"""Just enough of the GGUF file format to give a model a smaller vocabulary.

A small causal model spends most of its time on the vocabulary projection:
Gemma 3 270M predicts over 262,144 tokens from 640 dimensions, more work per
scored token than its 18 layers.  Re-ranking Chinese repairs only ever asks how
likely Chinese text is, so :func:`subset_vocabulary` writes a copy of the model
that knows the tokens a paper list's Chinese summaries are made of (Han
characters and words, CJK punctuation, the commoner ASCII pieces, the byte
fallbacks) and nothing else.  The layers are copied byte for byte; only the
token table and the rows of the embedding (and output) matrix of the dropped
tokens go, and the special-token ids are renumbered.  Text the smaller table
cannot spell falls back to bytes, and probabilities are normalised over the
tokens kept.

Only SentencePiece vocabularies (``tokenizer.ggml.model == "llama"``, Gemma's)
are subset: their tokens are plain text.  The format: a header, typed key/value
metadata, tensor descriptions, then the aligned tensor data
(https://github.com/ggml-org/ggml/blob/master/docs/gguf.md).
"""

from __future__ import annotations

import itertools
import os
import struct
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Final

from ..types import ModelError

__all__ = ["Model", "TensorInfo", "read_model", "subset_vocabulary", "write_model"]

MAGIC: Final = b"GGUF"
VERSION: Final = 3
ALIGNMENT: Final = 32  # unless general.alignment says otherwise

# Metadata value types.
U8, I8, U16, I16, U32, I32, F32, BOOL, STRING, ARRAY, U64, I64, F64 = range(13)
_SCALAR: Final = {
    U8: "<B",
    I8: "<b",
    U16: "<H",
    I16: "<h",
    U32: "<I",
    I32: "<i",
    F32: "<f",
    BOOL: "<?",
    U64: "<Q",
    I64: "<q",
    F64: "<d",
}

#: ggml tensor types whose rows can be cut out: type -> (elements per block, bytes per block).
BLOCKS: Final = {
    0: (1, 4),  # F32
    1: (1, 2),  # F16
    2: (32, 18),  # Q4_0
    3: (32, 20),  # Q4_1
    6: (32, 22),  # Q5_0
    7: (32, 24),  # Q5_1
    8: (32, 34),  # Q8_0
    10: (256, 84),  # Q2_K
    11: (256, 110),  # Q3_K
    12: (256, 144),  # Q4_K
    13: (256, 176),  # Q5_K
    14: (256, 210),  # Q6_K
    30: (1, 2),  # BF16
}

#: Token types (``tokenizer.ggml.token_type``).
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = range(1, 7)

#: Tensors with one row per token.
_VOCAB_TENSORS: Final = ("token_embd.weight", "output.weight")


@dataclass(frozen=True)
class TensorInfo:
    name: str
    dims: tuple[int, ...]  # innermost first, as in the file
    type: int
    offset: int  # from the start of the data section
    size: int  # bytes


@dataclass(frozen=True)
class Model:
    """A GGUF file's metadata and tensor table (the data stays in the file)."""

    path: Path
    metadata: dict[str, tuple[int, object]]  # key -> (value type, value)
    tensors: tuple[TensorInfo, ...]
    data_start: int

    @property
    def alignment(self) -> int:
        value = self.metadata.get("general.alignment", (U32, ALIGNMENT))[1]
        return value if isinstance(value, int) and value > 0 else ALIGNMENT


def read_model(path: Path) -> Model:
    """Read ``path``'s header; raises :class:`ModelError` if it is not GGUF v2/v3."""
    with path.open("rb") as f:
        if f.read(4) != MAGIC:
            raise ModelError(f"{path}: not a GGUF file")
        version, n_tensors, n_kv = struct.unpack("<IQQ", _read(f, 20))
        if version not in (2, 3):
            raise ModelError(f"{path}: GGUF version {version} is not supported")
        metadata: dict[str, tuple[int, object]] = {}
        for _ in range(n_kv):
            key = _string(f)
            kind = _u32(f)
            metadata[key] = (kind, _value(f, kind))
        infos = []
        for _ in range(n_tensors):
            name = _string(f)
            n_dims = _u32(f)
            dims = struct.unpack(f"<{n_dims}Q", _read(f, 8 * n_dims))
            kind, offset = struct.unpack("<IQ", _read(f, 12))
            infos.append((name, tuple(dims), kind, offset))
        model = Model(path, metadata, (), 0)
        data_start = _aligned(f.tell(), model.alignment)
    end = path.stat().st_size - data_start
    offsets = sorted({offset for *_, offset in infos} | {end})
    following = dict(itertools.pairwise(offsets))
    tensors = tuple(
        TensorInfo(name, dims, kind, offset, following[offset] - offset)
        for name, dims, kind, offset in infos
    )
    return replace(model, tensors=tensors, data_start=data_start)


def write_model(model: Model, target: Path, data: Callable[[TensorInfo], bytes]) -> None:
    """Write ``model`` to ``target`` atomically; ``data(info)`` gives each tensor's bytes.

    Tensor offsets are laid out anew (each aligned); ``info.size`` need not match
    the source file's.
    """
    align = model.alignment
    tensors, offset = [], 0
    for info in model.tensors:
        tensors.append(replace(info, offset=offset))
        offset = _aligned(offset + info.size, align)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".gguf-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + struct.pack("<IQQ", VERSION, len(tensors), len(model.metadata)))
            for key, (kind, value) in model.metadata.items():
                out.write(_pack_string(key) + struct.pack("<I", kind) + _pack(kind, value))
            for info in tensors:
                out.write(_pack_string(info.name) + struct.pack("<I", len(info.dims)))
                out.write(struct.pack(f"<{len(info.dims)}Q", *info.dims))
                out.write(struct.pack("<IQ", info.type, info.offset))
            out.write(b"\0" * (_aligned(out.tell(), align) - out.tell()))
            start = out.tell()
            for info in tensors:
                out.write(b"\0" * (start + info.offset - out.tell()))
                chunk = data(info)
                if len(chunk) != info.size:
                    raise ModelError(f"{info.name}: {len(chunk)} bytes, expected {info.size}")
                out.write(chunk)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def subset_vocabulary(
    source: Path,
    target: Path,
    select: Callable[[Sequence[str], Sequence[int]], Iterable[int]],
    mark: tuple[str, str] | None = None,
) -> int:
    """Write ``source`` to ``target`` with only the tokens ``select`` picks.

    ``select(texts, types)`` gets the token table (SentencePiece's ``▁`` marks a
    space) and returns the ids to keep; unknown and byte tokens are kept anyway
    (the tokenizer falls back to them), and so is every token a
    ``tokenizer.ggml.*_token_id`` key names, while other control tokens go.  ``mark``
    adds a string to the metadata (to recognise the file later).  Returns the number
    of tokens kept.  Raises :class:`ModelError` for a vocabulary that is not
    SentencePiece or a token matrix whose rows cannot be cut.
    """
    model = read_model(source)
    meta = dict(model.metadata)
    if meta.get("tokenizer.ggml.model", (STRING, ""))[1] != "llama":
        raise ModelError(f"{source}: only SentencePiece vocabularies can be subset")
    tokens = [str(t) for t in _array(meta, "tokenizer.ggml.tokens")]
    types = [int(str(t)) for t in _array(meta, "tokenizer.ggml.token_type")]
    named = {
        value
        for key, (_kind, value) in meta.items()
        if key.startswith("tokenizer.ggml.") and key.endswith("_token_id")
    }
    always = {i for i, kind in enumerate(types) if kind in (UNKNOWN, BYTE)}
    chosen = {i for i in select(tokens, types) if 0 <= i < len(tokens) and types[i] != CONTROL}
    kept = sorted(always | chosen | {i for i in named if isinstance(i, int) and i < len(tokens)})
    new_id = {old: new for new, old in enumerate(kept)}
    for key, (kind, value) in model.metadata.items():
        if not key.startswith("tokenizer.ggml."):
            continue
        if kind == ARRAY and isinstance(value, tuple) and len(value[1]) == len(tokens):
            meta[key] = (kind, (value[0], [value[1][i] for i in kept]))  # tokens, scores, types
        elif key.endswith("_token_id") and isinstance(value, int) and value in new_id:
            meta[key] = (kind, new_id[value])
    if mark is not None:
        meta[mark[0]] = (STRING, mark[1])
    row_bytes: dict[str, int] = {}
    tensors = []
    for info in model.tensors:
        if info.name in _VOCAB_TENSORS:
            if info.type not in BLOCKS or len(info.dims) != 2 or info.dims[1] != len(tokens):
                raise ModelError(f"{source}: cannot cut the rows of {info.name}")
            per_block, block_bytes = BLOCKS[info.type]
            row_bytes[info.name] = info.dims[0] // per_block * block_bytes
            info = replace(
                info, dims=(info.dims[0], len(kept)), size=row_bytes[info.name] * len(kept)
            )
        tensors.append(info)
    where = {info.name: model.data_start + info.offset for info in model.tensors}

    with source.open("rb") as f:

        def data(info: TensorInfo) -> bytes:
            f.seek(where[info.name])
            if info.name not in row_bytes:
                return _read(f, info.size)
            size = row_bytes[info.name]
            whole = _read(f, size * len(tokens))
            return b"".join(whole[i * size : (i + 1) * size] for i in kept)

        write_model(replace(model, metadata=meta, tensors=tuple(tensors)), target, data)
    return len(kept)


def _array(meta: dict[str, tuple[int, object]], key: str) -> list[object]:
    value = meta.get(key, (ARRAY, None))[1]
    if isinstance(value, tuple) and isinstance(value[1], list):
        return value[1]
    raise ModelError(f"no {key} in the model")


# -- reading ------------------------------------------------------------------


def _read(f: BinaryIO, n: int) -> bytes:
    # A damaged length must not become a huge allocation: big reads are checked first.
    if n > 1 << 20 and n > os.fstat(f.fileno()).st_size - f.tell():
        raise ModelError(f"{getattr(f, 'name', 'file')}: truncated GGUF file")
    data = f.read(n)
    if len(data) != n:
        raise ModelError(f"{getattr(f, 'name', 'file')}: truncated GGUF file")
    return data


def _u32(f: BinaryIO) -> int:
    value: int = struct.unpack("<I", _read(f, 4))[0]
    return value


def _string(f: BinaryIO) -> str:
    (n,) = struct.unpack("<Q", _read(f, 8))
    return _read(f, n).decode("utf-8", "surrogateescape")


def _value(f: BinaryIO, kind: int) -> object:
    if kind in _SCALAR:
        fmt = _SCALAR[kind]
        return struct.unpack(fmt, _read(f, struct.calcsize(fmt)))[0]
    if kind == STRING:
        return _string(f)
    if kind == ARRAY:
        item, n = struct.unpack("<IQ", _read(f, 12))
        if item in _SCALAR:  # one read for the whole array
            fmt = _SCALAR[item]
            return (item, list(struct.unpack(f"<{n}{fmt[1]}", _read(f, n * struct.calcsize(fmt)))))
        return (item, [_value(f, item) for _ in range(n)])
    raise ModelError(f"{getattr(f, 'name', 'file')}: unknown metadata type {kind}")


# -- writing ------------------------------------------------------------------


def _pack_string(text: str) -> bytes:
    data = text.encode("utf-8", "surrogateescape")
    return struct.pack("<Q", len(data)) + data


def _pack(kind: int, value: object) -> bytes:
    if kind in _SCALAR:
        return struct.pack(_SCALAR[kind], value)
    if kind == STRING:
        return _pack_string(str(value))
    if kind == ARRAY and isinstance(value, tuple):
        item, items = value
        head = struct.pack("<IQ", item, len(items))
        if item in _SCALAR:
            return head + struct.pack(f"<{len(items)}{_SCALAR[item][1]}", *items)
        return head + b"".join(_pack(item, x) for x in items)
    raise ModelError(f"cannot write metadata of type {kind}")


def _aligned(offset: int, align: int) -> int:
    return offset + (-offset) % align
