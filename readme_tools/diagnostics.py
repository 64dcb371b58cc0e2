"""Diagnostics and fixes: what rules report, and how a finding can be repaired."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")

#: How a fix may change what the page renders (checked by the formatter against GitHub's
#: renderer): not at all, only text, only link targets, or anything on the lines it touches.
Effect = Literal["none", "text", "href", "structure"]


def counted(n: int, noun: str) -> str:
    """``1 file``, ``2 files``: a count and its noun, for messages."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` (offsets into ``Source.text``) with ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A finding's repair: edits applied together, and what they may change on the page.

    ``effect`` is a promise the formatter verifies: the rendered page (cmark-gfm) may differ
    on the touched lines only in that way (:mod:`readme_tools.fmt.equivalence`).
    """

    description: str
    edits: tuple[Edit, ...]
    effect: Effect = "none"


@dataclass(frozen=True, slots=True)
class Replacement:
    """An :class:`Edit` in file coordinates, for reporters that print fixes (SARIF).

    1-based lines and code-point columns; the end is exclusive (the character after the
    deleted text), so an insertion has ``(end_line, end_column) == (line, column)``.
    ``text`` uses the file's own line ending.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule's check yields: a span, a message and maybe a fix.

    ``severity`` overrides the rule's default for this one finding (e.g. a dead link is an
    error, an unknown one a warning). ``key`` is a stable identity used for baselines (the
    entry's canonical paper id or normalised title); the engine fills it from the entry at the
    span when a rule leaves it empty.
    """

    start: int
    end: int
    message: str
    fix: Fix | None = None
    severity: Severity | None = None
    key: str | None = None
    # Whether a fix exists, for rules that skip computing an expensive one when the caller
    # only reports (``Context.fixes`` is False). None: ``fix is not None``.
    fixable: bool | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A resolved finding, ready for reporters."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    code: str
    severity: Severity
    message: str
    fixable: bool
    start: int
    end: int
    fix: Fix | None = None
    key: str = ""
    # ``fix``'s edits in file coordinates (empty without a fix).
    replacements: tuple[Replacement, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)


def applicable(edits: Iterable[Edit]) -> list[Edit]:
    """``edits`` in text order, without those overlapping an earlier one (never applied)."""
    kept: list[Edit] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < pos:
            continue
        kept.append(edit)
        pos = edit.end
    return kept


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; later overlapping edits are skipped."""
    out: list[str] = []
    pos = 0
    for edit in applicable(edits):
        out.append(text[pos : edit.start])
        out.append(edit.replacement)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)
