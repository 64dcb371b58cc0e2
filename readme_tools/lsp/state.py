"""What the server knows about one open document between lints.

Findings are kept in the document's *current* line numbers: every change shifts them (a
finding on an edited line stays, clamped, until the next lint replaces it), and so are the
lines changed since the last lint. A lint job snapshots the text; when it ends, the findings
it produced are shifted through the changes made meanwhile and merged:

* a *full* job (open, config change, save, or the settling run after typing pauses) replaces
  every finding;
* an *incremental* job linted only the changed lines (the linter parses only the chunks that
  hold them, :mod:`readme_tools.incremental`): its findings replace those touching the lines
  it linted, the others stay. Findings elsewhere that an edit affects (a duplicate reported on
  the later entry, a TOC line when a heading changes) are corrected by the next full job.

Nothing here talks to the client or the linter: the server drives it.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from readme_tools.lsp.bridge import Diagnostic
from readme_tools.lsp.documents import Document, LineEdit, map_through, shift_lines

#: Documents whose full lint takes longer than this are linted incrementally while typing
#: (a 1,000-entry list takes about 0.12 s) ...
INCREMENTAL_ABOVE = 0.05
#: ... unless they are smaller than this (characters): a full lint of a small list is quick
#: anyway, and gives the final findings at once.
SMALL = 64 * 1024
#: A document this large (characters) is linted through the parse cache from the start.
LARGE = 128 * 1024


@dataclass
class Job:
    """One lint run: the text it saw and which lines it lints (0-based; None: all)."""

    version: int
    text: str
    lines: frozenset[int] | None
    settle: bool = False
    use_cache: bool = False  # through the incremental parse cache (a large document)
    starts: tuple[int, ...] | None = None  # line starts, when the text needs no decoding
    cancel: threading.Event = field(default_factory=threading.Event)

    def lines_1based(self) -> frozenset[int] | None:
        return None if self.lines is None else frozenset(n + 1 for n in self.lines)


def shift_finding(d: Diagnostic, edits: Sequence[LineEdit]) -> Diagnostic:
    if not edits:
        return d
    line = map_through(d.line - 1, edits) + 1
    end_line = max(line, map_through(d.end_line - 1, edits) + 1)
    if (line, end_line) == (d.line, d.end_line):
        return d
    return dataclasses.replace(d, line=line, end_line=end_line)


def touches(d: Diagnostic, lines: frozenset[int] | set[int]) -> bool:
    """Whether a finding lies on one of ``lines`` (0-based), as ``Context.wants`` decides."""
    return any(n in lines for n in range(d.line - 1, d.end_line))


class DocState:
    def __init__(self, doc: Document, path: Path | None, name: str) -> None:
        self.doc = doc
        self.path = path  # the file on disk (None: untitled)
        self.name = name  # what findings are reported against
        self.findings: list[Diagnostic] = []
        self.dirty: set[int] = set()  # lines changed since the running job started
        self.needs_full = True
        self.job: Job | None = None
        self._job_edits: list[LineEdit] = []
        self._job_lines: set[int] | None = None  # the job's lines, in current numbers
        self.full_seconds: float | None = None
        self.settled = False  # the findings are a full lint's of the current text
        self.problem: str | None = None  # why the document cannot be linted (config, input)

    @property
    def incremental(self) -> bool:
        size = len(self.doc.text)
        if self.full_seconds is None:
            return size > LARGE
        return size > SMALL and self.full_seconds > INCREMENTAL_ABOVE

    @property
    def pending(self) -> bool:
        return self.needs_full or bool(self.dirty)

    def changed(self, edit: LineEdit) -> None:
        self.findings = [shift_finding(d, (edit,)) for d in self.findings]
        self.dirty = shift_lines(self.dirty, (edit,))
        self.settled = False
        if self.job is not None:
            self._job_edits.append(edit)
            if self._job_lines is not None:
                self._job_lines = {edit.map_line(n) for n in self._job_lines}
            if self.job.settle:
                self.job.cancel.set()
                self.needs_full = True  # a later pause settles again

    def start(self, *, settle: bool = False) -> Job:
        """The next job: full when needed (or settling), else the changed lines."""
        assert self.job is None
        if self.needs_full or settle or not self.incremental:
            lines = None
        else:
            lines = frozenset(n for n in self.dirty if n < self.doc.line_count)
        self.job = Job(
            self.doc.version,
            self.doc.text,
            lines,
            settle=settle,
            use_cache=self.incremental,
            starts=self.doc.plain_starts(),
        )
        self._job_edits = []
        self._job_lines = None if lines is None else set(lines)
        if lines is None:
            self.needs_full = False
        self.dirty = set()
        return self.job

    def finish(self, job: Job, found: Iterable[Diagnostic] | None) -> bool:
        """Merge a job's findings (None: it failed or was cancelled); True when they changed."""
        assert job is self.job
        self.job = None
        edits = self._job_edits
        if found is None:  # lint again what the job would have linted
            if job.lines is None:
                self.needs_full = True
            else:
                self.dirty |= shift_lines(job.lines, edits)
            return False
        fresh = [shift_finding(d, edits) for d in found]
        if job.lines is None:
            merged = fresh
        else:
            linted = self._job_lines or set()
            merged = [d for d in self.findings if not touches(d, linted)] + fresh
        merged.sort(key=Diagnostic.sort_key)
        changed = merged != self.findings
        self.findings = merged
        self.settled = job.lines is None and not edits
        return changed

    def abandon(self) -> None:
        """Forget the running job after an unexpected error; lint all again on next change."""
        self.job = None
        self.needs_full = True

    def invalidate(self) -> None:
        """Everything must be linted again (the configuration changed)."""
        self.needs_full = True
        self.settled = False
        if self.job is not None:
            self.job.cancel.set()
