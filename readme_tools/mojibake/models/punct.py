"""Prior log-probabilities of non-Han characters as tokens of running text.

Used when a damaged character's candidates include punctuation or symbols
(``、`` versus ``」『』【``, ``”`` versus ``„‐``, emoji, ...).  The table gives
rough per-token frequencies of common punctuation in Chinese/English technical
text (orders of magnitude from general corpus knowledge, not fitted to any
evaluation data); everything else falls back to a per-category default.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Final

__all__ = ["CLOSERS", "OPENERS", "is_emoji_like", "punct_logp"]

_TABLE: Final[dict[str, float]] = {
    "，": 6e-2,
    "。": 3e-2,
    "、": 1.2e-2,
    "“": 6e-3,
    "”": 6e-3,
    "：": 4e-3,
    "；": 2e-3,
    "（": 2e-3,
    "）": 2e-3,
    "？": 1.5e-3,
    "！": 1.5e-3,
    "《": 1.5e-3,
    "》": 1.5e-3,
    "—": 1e-3,
    "’": 1e-3,
    "‘": 5e-4,
    "…": 5e-4,
    "·": 5e-4,
    "～": 3e-4,
    "【": 3e-4,
    "】": 3e-4,
    "「": 2e-4,
    "」": 2e-4,
    "『": 2e-5,
    "』": 2e-5,
    "〈": 2e-5,
    "〉": 2e-5,
    "×": 3e-4,
    "→": 2e-4,
    "≤": 1e-4,
    "≥": 1e-4,
    "°": 1e-4,
    "±": 3e-5,
    "–": 3e-4,
    "•": 1e-4,
    "€": 3e-5,
    "™": 3e-5,
    "®": 3e-5,
    "©": 3e-5,
    "\u00a0": 1e-4,
}

#: Opening and closing brackets/quotes whose balance within a line is used as
#: evidence (a closer needs an opener before it, an opener a closer after it).
OPENERS: Final[dict[str, str]] = {
    "“": "”",
    "「": "」",
    "『": "』",
    "【": "】",
    "《": "》",
    "（": "）",
    "‘": "’",
    "〝": "〞",
}
CLOSERS: Final[dict[str, str]] = {v: k for k, v in OPENERS.items()}

_CATEGORY_DEFAULT: Final[dict[str, float]] = {
    "Lu": 1e-6,
    "Ll": 1e-6,
    "Lt": 1e-7,
    "Lm": 1e-7,
    "Lo": 1e-7,
    "Nd": 1e-6,
    "Nl": 1e-8,
    "No": 1e-7,
    "Pc": 1e-7,
    "Pd": 1e-6,
    "Ps": 1e-6,
    "Pe": 1e-6,
    "Pi": 1e-6,
    "Pf": 1e-6,
    "Po": 1e-6,
    "Sm": 1e-7,
    "Sc": 1e-7,
    "Sk": 1e-8,
    "So": 1e-7,
    "Zs": 1e-8,
    "Mn": 1e-10,
    "Mc": 1e-10,
    "Me": 1e-10,
    "Cf": 1e-10,
}


def is_emoji_like(char: str) -> bool:
    """Rough test for pictographic symbols (emoji blocks and dingbats)."""
    cp = ord(char)
    return 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF


def punct_logp(char: str) -> float:
    """Log prior of ``char`` as a token of running text (non-Han characters)."""
    prob = _TABLE.get(char)
    if prob is None:
        if is_emoji_like(char) and unicodedata.category(char) == "So":
            prob = 1e-6
        else:
            prob = _CATEGORY_DEFAULT.get(unicodedata.category(char), 1e-10)
    return math.log(prob)
