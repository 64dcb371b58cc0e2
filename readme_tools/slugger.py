"""GitHub's heading anchors ("slugs"), reproduced exactly.

GitHub turns a heading's rendered text into its anchor by lowercasing it, deleting every
character that is not a letter, mark, number, connector punctuation (``_``…), ASCII space or
hyphen, and turning each space into ``-`` — no trimming, no collapsing of runs. A repeated
slug gets ``-1``, ``-2``… (the counter is kept per base slug and skips slugs already taken).
This is the algorithm of github-slugger, whose test fixtures ``tests/test_slugger.py`` runs.

Character classes follow Unicode general categories (Python's ``unicodedata``), plus the
circled and squared Latin letters (category So, but Alphabetic), which GitHub keeps.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_KEPT_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"})
# Symbols (So) with the Unicode Alphabetic property: circled Ⓐ-ⓩ, squared and negative
# circled/squared Latin capital letters.
_ALPHABETIC_SYMBOLS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))


@lru_cache(maxsize=4096)
def _kept(char: str) -> bool:
    if unicodedata.category(char) in _KEPT_CATEGORIES:
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _ALPHABETIC_SYMBOLS)


def _kept_fast(char: str) -> bool:
    if char.isascii():
        return char.isalnum() or char in " -_"
    return _kept(char)


def base_slug(text: str) -> str:
    """The anchor of a heading with this rendered text, before de-duplication."""
    return "".join(c for c in text.lower() if _kept_fast(c)).replace(" ", "-")


class Slugger:
    """Slugs for one document: remembers the slugs handed out so far (per instance)."""

    __slots__ = ("_occurrences",)

    def __init__(self) -> None:
        self._occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        """The unique anchor of the next heading with rendered text ``text``."""
        original = base_slug(text)
        result = original
        while result in self._occurrences:
            self._occurrences[original] += 1
            result = f"{original}-{self._occurrences[original]}"
        self._occurrences[result] = 0
        return result

    def reset(self) -> None:
        self._occurrences.clear()


def slugs(texts: list[str] | tuple[str, ...]) -> list[str]:
    """The anchors of headings with these texts, in document order."""
    slugger = Slugger()
    return [slugger.slug(text) for text in texts]
