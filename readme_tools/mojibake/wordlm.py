"""A second opinion on uncertain Chinese repairs: a word trigram model, when one is installed.

The built-in Han model (:mod:`~readme_tools.mojibake.lm`) scores words one at a time;
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
(:func:`~readme_tools.mojibake.recover._rerank`).

It only reorders the alternatives of *uncertain* repairs; they stay uncertain (the
re-ranked margins are not reliable enough to apply by default).  Measured on
corrupted ``zh-summaries.md``: 96.2% -> 97.1% of damaged characters exact
(``bench/mojibake_eval.py``).  Any KenLM or ARPA word model of Chinese can be named
instead; the other one packaged for Linux, sunpinyin's open-gram trigram
(``sunpinyin-data``, dumped to ARPA with ``tslminfo`` and its lexicon), measured worse
than none: 95.98%, and 97.18% mixed with libime's at weight 0.3 (noise).
A small neural model reads more context and does better still (98.7%); it is
:mod:`.causallm`, chosen by the same variable (a ``.gguf`` file) and preferred when
its extra is installed.

Where the model is looked for: the environment variable :data:`ENV_VAR` (a path,
or ``off``), else :data:`STANDARD_PATHS`.
"""

from __future__ import annotations

import glob
import importlib.util
import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

from readme_tools.extras import install_hint

from .lm import is_han

__all__ = [
    "ENV_VAR",
    "LM_EXTRA_HINT",
    "STANDARD_PATHS",
    "ContextModel",
    "WordLM",
    "WordLMError",
    "find_word_lm",
    "load_word_lm",
]

#: Environment variable naming the model file, or ``off`` to never use one.
ENV_VAR: Final = "README_TOOLS_ZH_LM"
#: Where fcitx5's libime installs its Simplified Chinese model (Debian multiarch, Arch,
#: Fedora, other prefixes).
STANDARD_PATHS: Final = (
    "/usr/lib/*/libime/zh_CN.lm",
    "/usr/lib/libime/zh_CN.lm",
    "/usr/lib64/libime/zh_CN.lm",
    "/usr/local/lib/*/libime/zh_CN.lm",
    "/usr/local/lib/libime/zh_CN.lm",
)
LM_EXTRA_HINT: Final = install_hint(
    "cjk-lm"
)  # how to install it where we run (readme_tools.extras)

#: Longest word looked up in the model (characters).
MAX_WORD: Final = 7
#: Hypotheses kept per position of the segmentation search.
BEAM: Final = 16
#: Characters of context on each side of the slot (within its run of Han text).
WINDOW: Final = 8
#: Weight of the trigram model's log-probability against the built-in score, chosen on
#: the dev half of corrupted zh-summaries.md (0.5, 0.7, 1.0, 1.5, 2.0 tried).
WEIGHT: Final = 1.0
#: Best candidates of each uncertain character tried jointly.
CANDIDATES: Final = 4
#: Most uncertain characters decided jointly (4**5 = 1024 combinations at most).
MAX_JOINT: Final = 5

_LN10: Final = math.log(10.0)


class WordLMError(ValueError):
    """The configured model cannot be used (missing file, kenlm not installed, bad file)."""


class ContextModel(Protocol):
    """What re-ranking uncertain choices needs from a second-opinion model.

    :func:`~readme_tools.mojibake.recover._rerank` tries every combination of the
    :attr:`candidates` best candidates of at most :attr:`max_joint` neighbouring
    uncertain characters; each scores its built-in score plus :attr:`weight` times
    the model's log-probability of the text from the first of them to the end of
    :meth:`span`, given the text of :meth:`span` before it.
    """

    @property
    def path(self) -> Path: ...

    @property
    def weight(self) -> float: ...

    @property
    def candidates(self) -> int: ...

    @property
    def max_joint(self) -> int: ...

    @property
    def max_gap(self) -> float:
        """Combinations whose built-in score is more than this below the best one's are
        not scored (the model would have to overturn that much)."""
        ...

    def span(self, chars: Sequence[str], first: int, last: int) -> tuple[int, int]:
        """The slice of ``chars`` the model reads around ``chars[first..last]``."""
        ...

    def continuations(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[float]]:
        """For each ``(prefix, suffixes)``, the natural-log score of each suffix after the
        prefix (comparable ones).  All the questions of one round come at once, so a
        model can answer them together."""
        ...

    def flush(self) -> None:
        """Keep what was computed for the next run, if the model keeps anything."""
        ...


@dataclass(frozen=True)
class WordLM:
    """A loaded KenLM word model (a :class:`ContextModel`)."""

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


def han_window(chars: Sequence[str], index: int) -> tuple[int, int]:
    """The run of Han characters around ``chars[index]``, at most :data:`WINDOW` each side."""
    lo = index
    while lo > max(0, index - WINDOW) and is_han(chars[lo - 1]):
        lo -= 1
    hi = index + 1
    while hi < min(len(chars), index + WINDOW + 1) and is_han(chars[hi]):
        hi += 1
    return lo, hi


def find_word_lm() -> Path | None:
    """The model file to use: :data:`ENV_VAR`, else the neural model of the ``cjk-neural``
    extra (:mod:`.causallm`) when it is installed, else the first of :data:`STANDARD_PATHS`.

    Returns None when the variable says ``off`` or nothing is installed; raises
    :class:`WordLMError` when the variable names a file that does not exist or the
    packaged neural model cannot be assembled.
    """
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise WordLMError(f"{ENV_VAR}={configured}: no such file")
        return path
    if importlib.util.find_spec("llama_cpp") is not None:
        from .causallm import packaged_model

        packaged = packaged_model()
        if packaged is not None:
            return packaged
    for pattern in STANDARD_PATHS:
        for found in sorted(glob.glob(pattern)):
            if os.path.isfile(found):
                return Path(found)
    return None


_LOCK = threading.Lock()
_LOADED: dict[Path, WordLM] = {}


def load_word_lm(path: Path | None = None) -> ContextModel | None:
    """Load the model at ``path`` (default: :func:`find_word_lm`), or None if there is none.

    A ``.gguf`` file is a causal language model (:func:`.causallm.load_causal_lm`),
    anything else a KenLM model.  Without the ``kenlm`` module a discovered KenLM
    model is silently skipped, but an explicitly configured one (``path`` given or
    :data:`ENV_VAR` set) raises :class:`WordLMError`, as does a file that cannot be
    read.  Loading maps the file (milliseconds; a GGUF model ~0.3 s); a loaded
    model is reused.
    """
    explicit = path is not None or bool(os.environ.get(ENV_VAR, "").strip())
    if path is None:
        path = find_word_lm()
        if path is None:
            return None
    if path.suffix.lower() == ".gguf":
        from .causallm import load_causal_lm

        return load_causal_lm(path)
    if importlib.util.find_spec("kenlm") is None:
        if explicit:
            raise WordLMError(f"{path}: reading it needs the kenlm module: {LM_EXTRA_HINT}")
        return None
    with _LOCK:
        if path in _LOADED:
            return _LOADED[path]
        import kenlm

        try:
            model = kenlm.Model(str(path))
        except (OSError, RuntimeError, ValueError) as exc:
            detail = str(exc).strip().splitlines()
            raise WordLMError(
                f"{path}: not a KenLM model ({detail[-1] if detail else type(exc).__name__})"
            ) from None
        loaded = _LOADED[path] = WordLM(path, model)
        return loaded
