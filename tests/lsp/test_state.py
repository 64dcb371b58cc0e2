"""Incremental lints while typing: the merged findings on the edited lines are a full lint's."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readme_tools.config import Config
from readme_tools.lsp import state as state_module
from readme_tools.lsp.bridge import Diagnostic, Linter
from readme_tools.lsp.documents import Document
from readme_tools.lsp.state import DocState, Job

from ..conftest import SEED
from .biglist import make_list

LINTER = Linter()
CONFIG = Config()
BASE = make_list(60)


@pytest.fixture
def small_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """These lists are small; lint them as the server lints large ones (same merge logic)."""
    monkeypatch.setattr(state_module, "SMALL", 0)


def key(d: Diagnostic) -> tuple[object, ...]:
    return (d.line, d.column, d.end_line, d.end_column, d.rule, d.severity, d.message)


def full(text: str) -> list[Diagnostic]:
    return LINTER.lint(text, "t.md", CONFIG).diagnostics


def run(state: DocState, job: Job, cache: Path) -> None:
    lines = job.lines_1based()
    found = LINTER.lint(job.text, "t.md", CONFIG, lines=lines, cache=cache)
    state.finish(job, found.diagnostics)


def incremental_state(text: str, cache: Path) -> DocState:
    state = DocState(Document("file:///t.md", text, 1), None, "t.md")
    state.full_seconds = 1.0  # as slow as a large list: lint the changed lines only
    job = state.start()
    assert job.lines is None
    found = LINTER.lint(text, "t.md", CONFIG, lines=range(1, text.count("\n") + 2), cache=cache)
    state.finish(job, found.diagnostics)
    return state


EDITS = st.sampled_from(["append", "pdf", "delete", "duplicate", "space", "split", "utm"])


def make_edit(doc: Document, line: int, kind: str) -> tuple[tuple[int, int], tuple[int, int], str]:
    """An LSP change (start, end, text) of ``kind`` on 0-based ``line``."""
    text = doc.line(line)
    eol = (line, len(text.encode("utf-16-le")) // 2)
    if kind == "append":
        return eol, eol, "x"
    if kind == "space":
        return eol, eol, "  "
    if kind == "utm":
        return eol, eol, "?utm_source=x"
    if kind == "pdf" and "arxiv.org/abs/" in text:
        column = text.index("arxiv.org/abs/") + len("arxiv.org/")
        return (line, column), (line, column + 3), "pdf"
    if kind == "delete" and line + 1 < doc.line_count:
        return (line, 0), (line + 1, 0), ""
    if kind == "duplicate":
        return (line, 0), (line, 0), text + "\n"
    if kind == "split":
        return (line, 0), (line, 0), "\n"
    return eol, eol, "x"


@given(steps=st.lists(st.tuples(st.integers(0, 10**6), EDITS), min_size=1, max_size=6))
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_findings_on_edited_lines_are_a_full_lints(
    steps: list[tuple[int, str]], tmp_path: Path, small_is_large: None
) -> None:
    cache = tmp_path / "chunks.pickle"
    cache.unlink(missing_ok=True)
    state = incremental_state(BASE, cache)
    version = 1
    for where, kind in steps:
        version += 1
        line = where % state.doc.line_count
        start, end, new = make_edit(state.doc, line, kind)
        state.changed(state.doc.apply(start, end, new, version))
        job = state.start()
        assert job.lines is not None  # incremental
        run(state, job, cache)
        truth = full(state.doc.text)
        for n in job.lines:
            got = [key(d) for d in state.findings if d.line <= n + 1 <= d.end_line]
            want = [key(d) for d in truth if d.line <= n + 1 <= d.end_line]
            assert got == want, (kind, n + 1)
    settle = state.start(settle=True)
    assert settle.lines is None
    run(state, settle, cache)
    assert [key(d) for d in state.findings] == [key(d) for d in full(state.doc.text)]
    assert state.settled


def test_changes_during_a_lint_are_shifted_and_linted_next(
    tmp_path: Path, small_is_large: None
) -> None:
    cache = tmp_path / "chunks.pickle"
    text = SEED.read_text(encoding="utf-8")
    state = incremental_state(text, cache)
    before = {key(d)[4] for d in state.findings}
    # Break line 23's neighbour, start linting, then insert two lines at the top meanwhile.
    state.changed(state.doc.apply((20, 0), (20, 0), "\t", 2))
    job = state.start()
    state.changed(state.doc.apply((0, 0), (0, 0), "intro\n\n", 3))
    run(state, job, cache)
    assert state.pending and state.dirty == {0, 1, 2}
    [tab] = [d for d in state.findings if "with a tab" in d.message]
    assert tab.line == 23  # reported on line 21 of the text it saw, shifted by two
    follow = state.start()
    assert follow.lines == {0, 1, 2}
    run(state, follow, cache)
    truth = full(state.doc.text)
    assert [key(d) for d in state.findings if d.line <= 3] == [key(d) for d in truth if d.line <= 3]
    # Findings below moved by two lines; a message naming another line ("heading ... on line
    # 4") is stale until the settling full lint, which the server runs when typing pauses.
    stale = {key(d) for d in state.findings} - {key(d) for d in truth}
    assert stale and all("on line 4 " in str(k[6]) for k in stale)
    settle = state.start(settle=True)
    run(state, settle, cache)
    assert [key(d) for d in state.findings] == [key(d) for d in truth]
    assert before | {"whitespace"} == {key(d)[4] for d in state.findings}


def test_a_cancelled_settle_lints_again_later(tmp_path: Path, small_is_large: None) -> None:
    state = incremental_state(BASE, tmp_path / "chunks.pickle")
    job = state.start(settle=True)
    state.changed(state.doc.apply((0, 0), (0, 0), "x", 2))
    assert job.cancel.is_set()
    state.finish(job, None)
    assert state.needs_full and state.pending


@pytest.mark.parametrize(
    ("size", "seconds", "whole"),
    [(100, 0.5, True), (200_000, 0.001, True), (200_000, 0.5, False)],
)
def test_small_or_quick_documents_are_linted_whole(size: int, seconds: float, whole: bool) -> None:
    state = DocState(Document("file:///t.md", "x" * size, 1), None, "t.md")
    state.full_seconds = seconds
    state.needs_full = False
    state.dirty = {0}
    job = state.start()
    assert (job.lines is None) == whole
