"""What re-ranking needs from a second-opinion model: the :class:`ContextModel` interface.

The built-in Han model (:mod:`.words`) scores words one at a time; a second-opinion model
reads the text around an uncertain character. Two kinds implement this interface: a word
trigram (:mod:`.trigram`) and a small neural causal model (:mod:`.neural`); :mod:`.find`
chooses the installed one. :mod:`~readme_tools.mojibake.rerank` uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final, Protocol

from .words import is_han

__all__ = ["WINDOW", "ContextModel", "han_window"]

#: Characters of context on each side of a slot (within its run of Han text); uncertain
#: characters at most this far apart are re-ranked together.
WINDOW: Final = 8


class ContextModel(Protocol):
    """What re-ranking uncertain choices needs from a second-opinion model.

    :func:`~readme_tools.mojibake.rerank.rerank` tries every combination of the
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


def han_window(chars: Sequence[str], index: int) -> tuple[int, int]:
    """The run of Han characters around ``chars[index]``, at most :data:`WINDOW` each side."""
    lo = index
    while lo > max(0, index - WINDOW) and is_han(chars[lo - 1]):
        lo -= 1
    hi = index + 1
    while hi < min(len(chars), index + WINDOW + 1) and is_han(chars[hi]):
        hi += 1
    return lo, hi
