"""A second opinion on uncertain Chinese repairs: a word trigram model, when one is installed.

The built-in Han model (:mod:`.words`) scores words one at a time;
what it cannot separate are characters that fit the same slot equally well as words
(与/不/中 between two nouns, 步/来, 词/语).  A word *trigram* model sees the words
around the slot.  fcitx5's pinyin input method ships one for Simplified Chinese:
libime's ``zh_CN.lm`` (KenLM binary format, LGPL-2.1+; Debian and Ubuntu:
``apt install libime-data-language-model``, 17 MB).  When that file and the
``kenlm`` Python module (the ``cjk-lm`` extra) are both present, every uncertain
Han choice is re-ranked: the score of each candidate becomes its score from the
built-in model plus the trigram model's log-probability of the run of Han text
around it (natural log, best segmentation into the model's words); neighbouring
uncertain characters are decided jointly
(:func:`~readme_tools.mojibake.rerank.rerank`).

It only reorders the alternatives of *uncertain* repairs; they stay uncertain (the
re-ranked margins are not reliable enough to apply by default).  What it gains on
corrupted ``zh-summaries.md`` is measured by ``bench/mojibake_eval.py --word-lm`` (the
README's benchmark table has the figures).  Any KenLM or ARPA word model of Chinese can be
named instead; the other one packaged for Linux, sunpinyin's open-gram trigram
(``sunpinyin-data``, dumped to ARPA with ``tslminfo`` and its lexicon), measured worse than
none, and no better mixed with libime's.
A small neural model reads more context and does better still; it is
:mod:`.neural`, chosen by the same variable (a ``.gguf`` file) and preferred when
its extra is installed (:mod:`.find`).
"""

from __future__ import annotations

import importlib.util
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from readme_tools.extras import install_hint

from ..types import ModelError
from .context import han_window

__all__ = ["LM_EXTRA_HINT", "WordLM", "load_trigram"]

LM_EXTRA_HINT: Final = install_hint("cjk-lm")  # how to install it where we run

#: Longest word looked up in the model (characters).
MAX_WORD: Final = 7
#: Hypotheses kept per position of the segmentation search.
BEAM: Final = 16
#: Weight of the trigram model's log-probability against the built-in score, chosen on
#: the dev half of corrupted zh-summaries.md (0.5, 0.7, 1.0, 1.5, 2.0 tried).
WEIGHT: Final = 1.0
#: Best candidates of each uncertain character tried jointly.
CANDIDATES: Final = 4
#: Most uncertain characters decided jointly (4**5 = 1024 combinations at most).
MAX_JOINT: Final = 5

_LN10: Final = math.log(10.0)


@dataclass(frozen=True)
class WordLM:
    """A loaded KenLM word model (a :class:`~.context.ContextModel`)."""

    path: Path
    model: Any = field(repr=False)  # kenlm.Model (untyped)
    weight: float = WEIGHT
    candidates: int = CANDIDATES
    max_joint: int = MAX_JOINT
    max_gap: float = math.inf  # scoring is cheap: every combination

    def span(self, chars: Sequence[str], first: int, last: int) -> tuple[int, int]:
        """The run of Han text around ``chars[first..last]`` (:func:`han_window`)."""
        return han_window(chars, first)[0], han_window(chars, last)[1]

    def continuations(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[float]]:
        """:meth:`score` of each prefix + each of its suffixes (the best segmentation of each)."""
        return [[self.score(prefix + s) for s in suffixes] for prefix, suffixes in requests]

    def flush(self) -> None:
        """Nothing to keep: scoring with KenLM is fast."""

    def score(self, text: str) -> float:
        """Natural-log probability of the Han ``text`` under its best segmentation.

        Words are substrings of at most :data:`MAX_WORD` characters that the model
        knows; a single character is always allowed (unknown ones get the model's
        ``<unk>`` probability).  Beam search over positions, states merged by the
        model's own context state.
        """
        import kenlm

        model = self.model
        start = kenlm.State()
        model.NullContextWrite(start)
        beams: list[dict[Any, float]] = [{} for _ in range(len(text) + 1)]
        beams[0][start] = 0.0
        for pos in range(len(text)):
            here = beams[pos]
            if not here:
                continue
            ends = [1]
            for size in range(2, MAX_WORD + 1):
                if pos + size > len(text):
                    break
                if text[pos : pos + size] in model:
                    ends.append(size)
            best = sorted(here.items(), key=lambda kv: -kv[1])[:BEAM]
            for state, total in best:
                for size in ends:
                    out = kenlm.State()
                    value = total + model.BaseScore(state, text[pos : pos + size], out)
                    target = beams[pos + size]
                    if value > target.get(out, -math.inf):
                        target[out] = value
        return max(beams[len(text)].values(), default=0.0) * _LN10


_LOCK = threading.Lock()
_LOADED: dict[Path, WordLM] = {}


def load_trigram(path: Path, explicit: bool) -> WordLM | None:
    """The KenLM model at ``path`` (loaded once per process).

    None when the ``kenlm`` module is missing and the model was only discovered;
    :class:`~readme_tools.mojibake.types.ModelError` when it was asked for
    (``explicit``), or when the file cannot be read.
    """
    if importlib.util.find_spec("kenlm") is None:
        if explicit:
            raise ModelError(f"{path}: reading it needs the kenlm module: {LM_EXTRA_HINT}")
        return None
    with _LOCK:
        if path in _LOADED:
            return _LOADED[path]
        import kenlm

        try:
            model = kenlm.Model(str(path))
        except (OSError, RuntimeError, ValueError) as exc:
            detail = str(exc).strip().splitlines()
            raise ModelError(
                f"{path}: not a KenLM model ({detail[-1] if detail else type(exc).__name__})"
            ) from None
        loaded = _LOADED[path] = WordLM(path, model)
        return loaded
