"""What a rule's check receives besides the document."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from readme_tools.config import Config
from readme_tools.source import Source
from readme_tools.style import Style

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    config: Config
    style: Style
    # When set (incremental runs), only findings on these 1-based lines are kept; a rule may use
    # it to skip work on parts of the document that cannot produce a kept finding.
    lines: frozenset[int] | None = None
    # Settings of the online checks when they are enabled (``--online``), else None.
    online: Any = None
    # False when the caller only reports findings (readme-lint): a rule may then skip
    # computing an expensive fix and set ``Problem.fixable`` instead.
    fixes: bool = True
    # The names of the rules this run runs: a rule leaves a defect to the rule that owns it
    # when both run (one defect, one finding).
    rules: frozenset[str] = frozenset()

    def options(self, cls: type[T]) -> T:
        return self.config.options(cls)

    def wants(self, first_line: int, last_line: int | None = None) -> bool:
        """Whether a finding on these lines would be kept."""
        if self.lines is None:
            return True
        last = first_line if last_line is None else last_line
        return any(line in self.lines for line in range(first_line, last + 1))

    def finditer(
        self,
        pattern: re.Pattern[str],
        source: Source,
        skip: Sequence[tuple[int, int]] = (),
    ) -> Iterator[re.Match[str]]:
        """``pattern``'s matches in ``source.text``, searched on the kept lines only.

        For rules that scan the text with a regular expression; the pattern must not look
        past a line's end. ``skip``: sorted offset ranges not to search (parts the parser
        did not read, which ``parse-limit`` reports).
        """
        text = source.text
        for start, end in _without(self._regions(source), skip):
            yield from pattern.finditer(text, start, end)

    def _regions(self, source: Source) -> list[tuple[int, int]]:
        """Ranges of ``source.text`` holding the kept lines, each with its newline."""
        if self.lines is None:
            return [(0, len(source.text))]
        out: list[tuple[int, int]] = []
        for line in sorted(n for n in self.lines if 1 <= n <= source.line_count):
            start, end = source.lines_span(line, line)
            if out and out[-1][1] == start:
                out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
        return out


def _without(
    regions: Sequence[tuple[int, int]], skip: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """``regions`` with the ``skip`` ranges cut out (both sorted, non-overlapping)."""
    if not skip:
        return list(regions)
    out: list[tuple[int, int]] = []
    for start, end in regions:
        for cut_start, cut_end in skip:
            if cut_end <= start or cut_start >= end:
                continue
            if cut_start > start:
                out.append((start, cut_start))
            start = max(start, cut_end)
        if start < end:
            out.append((start, end))
    return out
