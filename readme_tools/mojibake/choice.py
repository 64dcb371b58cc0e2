"""What recovery decides for one damaged character, and when a decision is confident.

A :class:`Choice` holds the candidates of one damaged character, ranked, with the margin of
the best over the runner-up; it is *confident* when the margin clears
:data:`CONFIDENCE_MARGIN` for its script. :mod:`.recover` makes choices, :mod:`.rerank`
reorders the uncertain ones, :mod:`.repair` applies them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from .detect import FAMILY_CYRILLIC, FAMILY_GREEK, FAMILY_HAN, FAMILY_LATIN, FAMILY_SYMBOL

__all__ = [
    "CACHE_MIN_MARGIN",
    "CACHE_WEIGHT",
    "CONFIDENCE_MARGIN",
    "Choice",
    "ranked_table",
    "table_margin",
]

#: Minimum margin (nats) for a repair to count as confident, per script.  Han and
#: symbols: chosen on the first (dev) half of corrupted zh-summaries.md as the
#: lowest threshold with no wrong repair there (99.8% on the held-out half).
#: Alphabetic scripts: chosen on the small Russian/Greek fixtures (no held-out
#: data), kept high.
CONFIDENCE_MARGIN: Final[dict[str, float]] = {
    FAMILY_HAN: 5.0,
    FAMILY_SYMBOL: 5.0,
    FAMILY_CYRILLIC: 6.0,
    FAMILY_GREEK: 6.0,
    FAMILY_LATIN: 6.0,
}

#: Weight of the document's own vocabulary in the word model (cache model).
CACHE_WEIGHT: Final = 0.1
#: Pass-1 margin a repaired word needs to join the document vocabulary.
CACHE_MIN_MARGIN: Final = 1.0


@dataclass(frozen=True, slots=True)
class Choice:
    """The decision for one damaged character (offsets relative to its line)."""

    line_index: int
    start: int
    end: int
    original: str
    family: str
    ranked: tuple[tuple[str, float], ...]
    margin: float
    confident: bool
    options: tuple[str, ...] = ()  # every character the surviving bytes allow

    @property
    def chosen(self) -> str:
        return self.ranked[0][0]


def table_margin(table: Mapping[str, float]) -> float:
    """The gap (nats) between the best and the runner-up candidate (inf: no rival)."""
    values = sorted(table.values(), reverse=True)
    if len(values) < 2 or values[1] == float("-inf"):
        return math.inf
    return values[0] - values[1]


def ranked_table(table: Mapping[str, float], keep: int = 5) -> tuple[tuple[str, float], ...]:
    """The ``keep`` best candidates, scored relative to the best (which scores 0)."""
    ordered = sorted(table.items(), key=lambda kv: (-kv[1], kv[0]))
    best = ordered[0][1]
    return tuple((char, score - best) for char, score in ordered[:keep])
