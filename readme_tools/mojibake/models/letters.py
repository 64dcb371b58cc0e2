"""Character trigram models for alphabetic scripts, from langdetect's profiles.

langdetect (a core dependency) ships, per language, the frequencies of the
character 1-, 2- and 3-grams of Wikipedia text (lower and upper case kept,
words delimited by spaces).  That is enough for an interpolated trigram model
to choose the letters lost from Cyrillic, Greek or accented Latin text
(``с э ю я``, ``ρ ύ ώ έ``, ``í Á Í``...).  langdetect's CJK profiles fold
characters into classes, so they are useless for Chinese; that is what
:mod:`.words` is for.

:mod:`~readme_tools.mojibake.alphabetic` chooses lost letters with these models.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Final

__all__ = ["LANGUAGES", "CharModel", "load_char_model", "norm_char", "text_logp"]

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


def norm_char(char: str) -> str:
    """A character as the profiles count it: letters lower-cased, anything else a space."""
    return char.lower() if char.isalpha() else " "


def text_logp(model: CharModel, text: str) -> float:
    """Log-likelihood of ``text`` (normalised like the profiles) under ``model``."""
    total = 0.0
    context = "  "
    for raw in text:
        char = norm_char(raw)
        if char == " " and context[1] == " ":
            continue
        total += model.logp(context, char)
        context = context[1] + char
    return total
