"""Plain data returned by the mojibake API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from readme_tools.diagnostics import Edit  # one edit type for every fix

__all__ = [
    "Alternative",
    "CharRepair",
    "Decision",
    "Edit",
    "Kind",
    "ModelError",
    "MojibakeSpan",
    "RepairResult",
    "ReviewError",
]

#: How a damaged line can be repaired:
#: ``"lossless"``: every byte survived, re-decoding restores the text exactly;
#: ``"recoverable"``: bytes were lost, a language model can choose the characters;
#: ``"unrecoverable"``: bytes were lost and no model here can choose them.
Kind = Literal["lossless", "recoverable", "unrecoverable"]


@dataclass(frozen=True, slots=True)
class MojibakeSpan:
    """One damaged line.

    ``start``/``end`` are 0-based character offsets into the text (``end``
    exclusive, not including the newline), ``line`` is 1-based.  ``lost``
    counts the characters whose bytes were partly lost and ``script`` names
    the writing system of those characters (``"han"``, ``"cyrillic"``, ...,
    ``None`` for lossless lines).  ``needs_extra`` is the pip extra required
    to recover the line when it is not installed (else ``None``).
    """

    start: int
    end: int
    line: int
    kind: Kind
    message: str
    lost: int = 0
    script: str | None = None
    needs_extra: str | None = None


@dataclass(frozen=True, slots=True)
class Alternative:
    """A candidate character and its score in nats relative to the best (<= 0)."""

    char: str
    score: float


@dataclass(frozen=True, slots=True)
class CharRepair:
    """The choice made for one character whose bytes were partly lost.

    ``line``/``column`` are 1-based and ``offset`` 0-based, all pointing at the
    first mis-decoded character of the damaged sequence in the original text;
    ``original`` is that sequence (e.g. ``"ä¸"``).  ``alternatives`` lists
    the model's best candidates (its choice first, score 0; a reviewer's
    ``chosen`` may be another).  ``margin`` is the
    log-probability gap in nats between the best and the second-best
    candidate; ``confident`` says whether it clears the threshold, and
    ``applied`` whether the repair was written into the result.  ``context``
    is the repaired text around the character, which is marked ``[X]``, for a
    human reviewer; ``reviewed`` is true when a :class:`Decision` chose it.
    """

    line: int
    column: int
    offset: int
    original: str
    chosen: str
    alternatives: tuple[Alternative, ...]
    margin: float
    confident: bool
    applied: bool
    context: str = ""
    reviewed: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    """A reviewer's choice for one damaged character (see ``CharRepair``).

    ``line``/``column`` (1-based) and ``original`` (the mis-decoded sequence)
    must match a damaged character of the text; ``chosen`` must be one of the
    characters its surviving bytes allow.
    """

    line: int
    column: int
    original: str
    chosen: str


class ReviewError(ValueError):
    """A :class:`Decision` that does not fit the text (stale review, impossible character)."""


class ModelError(ValueError):
    """A language model cannot be used: no such file, a missing extra, a file that is not a
    model, or a failure while scoring. Repair then goes on without the model, with a note."""


@dataclass(frozen=True, slots=True)
class RepairResult:
    """Outcome of :func:`readme_tools.mojibake.repair`.

    ``edits`` are sorted, non-overlapping and expressed in offsets of the
    original text; applying them yields ``text``.  ``repairs`` lists every
    lost-byte character (applied or not).  ``model_missing`` is true when
    damaged text needed the optional model extra, which is not installed;
    ``message`` then says how to install it.  ``remaining`` lists the findings
    that the returned text still has.
    """

    text: str
    edits: tuple[Edit, ...]
    repairs: tuple[CharRepair, ...]
    remaining: tuple[MojibakeSpan, ...]
    model_missing: bool = False
    message: str | None = None
