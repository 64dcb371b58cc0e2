"""Character trigram models for alphabetic scripts, from langdetect's profiles.

langdetect (a core dependency) ships, per language, the frequencies of the
character 1-, 2- and 3-grams of Wikipedia text (lower and upper case kept,
words delimited by spaces).  That is enough for an interpolated trigram model
to choose the letters lost from Cyrillic, Greek or accented Latin text
(``с э ю я``, ``ρ ύ ώ έ``, ``í Á Í``...).  langdetect's CJK profiles fold
characters into classes, so they are useless for Chinese; that is what
:mod:`readme_tools.mojibake.lm` is for.

:func:`decode_letters` jointly chooses the candidates of a line with a
second-order Viterbi over the line's letters and returns max-marginal scores
per damaged position, like :func:`readme_tools.mojibake.lattice.decode`.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Final

from .lattice import DecodeResult, Slot

__all__ = ["LANGUAGES", "CharModel", "decode_letters", "load_char_model"]

#: Candidate languages per script (langdetect profile names).
LANGUAGES: Final[dict[str, tuple[str, ...]]] = {
    "cyrillic": ("ru", "uk", "bg", "mk"),
    "greek": ("el",),
    "latin": (
        "en",
        "fr",
        "de",
        "es",
        "it",
        "pt",
        "nl",
        "tr",
        "pl",
        "cs",
        "sk",
        "ro",
        "hu",
        "sv",
        "da",
        "no",
        "fi",
        "ca",
        "hr",
        "sl",
        "lt",
        "lv",
        "et",
        "vi",
        "sq",
        "af",
        "id",
        "tl",
        "sw",
        "so",
        "cy",
    ),
}

_L3: Final = 0.6
_L2: Final = 0.3
_L1: Final = 0.09
_L0: Final = 0.01
#: Penalty (nats) for a capital inside a lower-case word and vice versa.
CASE_PENALTY: Final = 4.0
_NEG_INF: Final = float("-inf")


@dataclass(frozen=True)
class CharModel:
    """Interpolated character trigram model of one language (lower-cased)."""

    lang: str
    uni: dict[str, float]
    bi: dict[str, float]
    tri: dict[str, float]
    uni_total: float
    bi_ctx: dict[str, float]
    tri_ctx: dict[str, float]
    vocab: int

    def logp(self, context: str, char: str) -> float:
        """log P(char | the two characters before it); ``context`` has length 2."""
        p = _L0 / self.vocab + _L1 * self.uni.get(char, 0.0) / self.uni_total
        b = context[1]
        ctx1 = self.bi_ctx.get(b)
        if ctx1:
            p += _L2 * self.bi.get(b + char, 0.0) / ctx1
        ctx2 = self.tri_ctx.get(context)
        if ctx2:
            p += _L3 * self.tri.get(context + char, 0.0) / ctx2
        return math.log(p)


@functools.lru_cache(maxsize=64)
def load_char_model(lang: str) -> CharModel:
    """Load langdetect's profile for ``lang`` as a :class:`CharModel`."""
    path = resources.files("langdetect").joinpath("profiles").joinpath(lang)
    data = json.loads(path.read_text(encoding="utf-8"))
    uni: dict[str, float] = {}
    bi: dict[str, float] = {}
    tri: dict[str, float] = {}
    for gram, count in data["freq"].items():
        gram = gram.lower()
        table = (uni, bi, tri)[len(gram) - 1] if 1 <= len(gram) <= 3 else None
        if table is not None:
            table[gram] = table.get(gram, 0.0) + float(count)
    bi_ctx: dict[str, float] = {}
    for gram, count in bi.items():
        bi_ctx[gram[0]] = bi_ctx.get(gram[0], 0.0) + count
    tri_ctx: dict[str, float] = {}
    for gram, count in tri.items():
        tri_ctx[gram[:2]] = tri_ctx.get(gram[:2], 0.0) + count
    # The space has no unigram in the profiles; give it its bigram mass.
    uni[" "] = bi_ctx.get(" ", 0.0)
    return CharModel(
        lang=lang,
        uni=uni,
        bi=bi,
        tri=tri,
        uni_total=sum(uni.values()),
        bi_ctx=bi_ctx,
        tri_ctx=tri_ctx,
        vocab=max(len(uni), 1),
    )


def _norm(char: str) -> str:
    return char.lower() if char.isalpha() else " "


def text_logp(model: CharModel, text: str) -> float:
    """Log-likelihood of ``text`` (normalised like the profiles) under ``model``."""
    total = 0.0
    context = "  "
    for raw in text:
        char = _norm(raw)
        if char == " " and context[1] == " ":
            continue
        total += model.logp(context, char)
        context = context[1] + char
    return total


def _case_penalty(prev: str, char: str, nxt: str) -> float:
    if not char.isalpha():
        return 0.0
    if char.isupper() and prev.isalpha() and prev.islower():
        return -CASE_PENALTY
    if char.islower() and (prev.isalpha() and prev.isupper()) and (nxt.isalpha() and nxt.isupper()):
        return -CASE_PENALTY
    return 0.0


#: Most candidate combinations enumerated for one word.
MAX_COMBINATIONS: Final = 4096
#: Weight of the word-frequency score relative to the character model.
WORD_WEIGHT: Final = 1.0
#: log-probability given to words missing from the word list.
OOV_LOGP: Final = math.log(1e-8)


def _is_letter_slot(slot: Slot) -> bool:
    return any(c.isalpha() for c in slot.options)


def decode_letters(
    slots: Sequence[Slot],
    model: CharModel,
    bonus: Mapping[int, Mapping[str, float]] | None = None,
    *,
    word_logp: Callable[[str], float | None] | None = None,
) -> DecodeResult:
    """Choose the candidates of ``slots`` word by word.

    A word is a maximal run of letter slots; each word's candidate
    combinations are scored by the character trigram model (including the
    boundaries) plus, when ``word_logp`` is given, ``WORD_WEIGHT`` times the
    word's log frequency (``None`` = unknown word).  Non-letter damaged slots
    are scored by the trigram model alone.  Returns max-marginal scores per
    damaged slot like :func:`readme_tools.mojibake.lattice.decode`.
    """
    bonus = bonus or {}
    n = len(slots)
    best = [s.options[0] for s in slots]
    scores: dict[int, dict[str, float]] = {}
    total = 0.0
    i = 0
    while i < n:
        if not _is_letter_slot(slots[i]):
            if slots[i].damaged:
                extra = bonus.get(i, {})
                table = {
                    c: extra.get(c, 0.0) + model.logp("  ", _norm(c)) for c in slots[i].options
                }
                best[i] = max(table, key=table.__getitem__)
                scores[i] = table
            i += 1
            continue
        j = i
        while j < n and _is_letter_slot(slots[j]):
            j += 1
        damaged = [k for k in range(i, j) if slots[k].damaged]
        if damaged:
            options = [slots[k].options for k in damaged]
            combos = 1
            for opt in options:
                combos *= len(opt)
            if combos > MAX_COMBINATIONS:
                options = [opt[:8] for opt in options]
            prev = slots[i - 1].options[0] if i > 0 else " "
            nxt = slots[j].options[0] if j < n else " "
            tables: dict[int, dict[str, float]] = {k: {} for k in damaged}
            best_score = _NEG_INF
            best_combo: tuple[str, ...] = ()
            for combo in itertools.product(*options):
                chars = [s.options[0] for s in slots[i:j]]
                for k, c in zip(damaged, combo, strict=True):
                    chars[k - i] = c
                word = "".join(chars)
                score = 0.0
                context = " " + _norm(prev)
                for pos, raw in enumerate(word):
                    c = _norm(raw)
                    score += model.logp(context, c)
                    left = word[pos - 1] if pos else prev
                    right = word[pos + 1] if pos + 1 < len(word) else nxt
                    score += _case_penalty(left, raw, right)
                    context = context[1] + c
                score += model.logp(context, " ")
                for k, c in zip(damaged, combo, strict=True):
                    score += bonus.get(k, {}).get(c, 0.0)
                if word_logp is not None:
                    logp = word_logp(word)
                    score += WORD_WEIGHT * (OOV_LOGP if logp is None else logp)
                for k, c in zip(damaged, combo, strict=True):
                    if score > tables[k].get(c, _NEG_INF):
                        tables[k][c] = score
                if score > best_score:
                    best_score = score
                    best_combo = combo
            for k, c in zip(damaged, best_combo, strict=True):
                best[k] = c
            scores.update(tables)
            total += best_score
        i = j
    tokens = tuple((k, k + 1, c) for k, c in enumerate(best))
    return DecodeResult(best=tuple(best), tokens=tokens, scores=scores, total=total)
