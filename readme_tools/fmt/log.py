"""The formatter's edits across rounds, traced back to the lines of the input they touch.

Fixes are applied in rounds: each round's edits are offsets into the previous round's text.
The rendering check (:mod:`readme_tools.fmt.equivalence`) compares the input with the final
output, so every edit is mapped back through the earlier rounds to the input: an offset in
text that an earlier edit inserted maps to the whole range that edit replaced.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from readme_tools.diagnostics import Edit, Effect, apply_edits
from readme_tools.fmt.equivalence import Touch
from readme_tools.source import line_starts


@dataclass(frozen=True)
class _Round:
    edits: tuple[Edit, ...]  # sorted, non-overlapping, in the previous text's offsets
    effects: tuple[Effect, ...]
    # Per edit: where it starts in the new text, for mapping new offsets back.
    new_starts: tuple[int, ...]

    def forward(self, offsets: Sequence[int]) -> list[int]:
        """Sorted ``offsets`` of the previous text, in the new one (inside a replaced range:
        where the replacement starts)."""
        out: list[int] = []
        k = 0
        shift = 0
        edits = self.edits
        for offset in offsets:
            while k < len(edits) and edits[k].end <= offset and edits[k].start < offset:
                shift += len(edits[k].replacement) - (edits[k].end - edits[k].start)
                k += 1
            if k < len(edits) and edits[k].start < offset < edits[k].end:
                out.append(self.new_starts[k])
            else:
                out.append(offset + shift)
        return out

    def back(self, start: int, end: int) -> tuple[int, int]:
        """The range of the previous text that new-text range ``[start, end]`` comes from."""
        return self._point(start, low=True), self._point(end, low=False)

    def _point(self, offset: int, low: bool) -> int:
        """``offset`` of the new text in the previous one; ``low``: a range's start.

        An offset inside inserted text maps to the edge of the range the edit replaced that
        keeps the range covering it (its start for a range's start, its end for its end).
        """
        k = bisect.bisect_right(self.new_starts, offset) - 1
        if k < 0:
            return offset
        edit = self.edits[k]
        new_start = self.new_starts[k]
        new_end = new_start + len(edit.replacement)
        if low and (offset < new_end or offset == new_start):
            return edit.start
        if not low and offset == new_start:
            return edit.start
        if not low and offset <= new_end:
            return edit.end
        return edit.end + (offset - new_end)


@dataclass
class EditLog:
    """Applies rounds of edits and remembers them (with their effects)."""

    rounds: list[_Round] = field(default_factory=list)
    _original: str | None = field(default=None, repr=False)
    _original_starts: Sequence[int] = field(default=(), repr=False)

    def apply(self, text: str, edits: Sequence[tuple[Edit, Effect]]) -> str:
        """``text`` with ``edits`` (non-overlapping) applied; the round is recorded."""
        ordered = sorted(edits, key=lambda pair: (pair[0].start, pair[0].end))
        new_starts: list[int] = []
        shift = 0
        for edit, _ in ordered:
            new_starts.append(edit.start + shift)
            shift += len(edit.replacement) - (edit.end - edit.start)
        self.rounds.append(
            _Round(tuple(e for e, _ in ordered), tuple(f for _, f in ordered), tuple(new_starts))
        )
        return apply_edits(text, [e for e, _ in ordered])

    def origin(self, original: str, edit: Edit, rounds: int | None = None) -> tuple[int, int]:
        """Lines ``(first, last)`` of ``original`` that ``edit`` touches; ``edit`` is in the
        text after the first ``rounds`` recorded rounds (default: all of them)."""
        start, end = edit.start, edit.end
        for earlier in reversed(self.rounds[: len(self.rounds) if rounds is None else rounds]):
            start, end = earlier.back(start, end)
        starts = self._starts(original)
        first = bisect.bisect_right(starts, start)
        # A replaced line break joins the next line to this one: it is touched too.
        joins = end > start and original[end - 1] == "\n"
        return first, bisect.bisect_right(starts, end if joins else max(start, end - 1))

    def touches(self, original: str) -> list[Touch]:
        """Every recorded edit as the lines of ``original`` it touches, with its effect."""
        out: list[Touch] = []
        for index, round_ in enumerate(self.rounds):
            for edit, effect in zip(round_.edits, round_.effects, strict=True):
                out.append(Touch(*self.origin(original, edit, index), effect))
        return out

    def _starts(self, original: str) -> Sequence[int]:
        if self._original is not original:
            self._original, self._original_starts = original, line_starts(original)
        return self._original_starts

    def line_map(self, original: str, final: str) -> list[int]:
        """For every line of ``original`` (index 1..n; index 0 unused), its line in ``final``.

        A line start that an edit replaced maps to where the edit's new text starts.
        """
        starts = line_starts(original)
        offsets = list(starts)
        for round_ in self.rounds:
            offsets = round_.forward(offsets)
        final_starts = line_starts(final)
        return [0, *(bisect.bisect_right(final_starts, o) for o in offsets)]
