"""Fuzzing readme-fmt with mutated slices of real lists (issue #26): it never crashes, what it
writes is stable, and it never drops a link target or an entry.

A refusal (``FormatError``: nothing written) is an allowed outcome for mutated input; a crash
or an output that changes again is not.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readme_tools.fmt.pipeline import FormatError
from readme_tools.parse import parse
from readme_tools.source import decode

from .helpers import fmt

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
LISTS = sorted(p for p in CORPUS.glob("*.md") if p.stat().st_size < 200_000)
LINES = {p.name: p.read_text(encoding="utf-8").split("\n") for p in LISTS}

PIECES = [
    "  ",
    "\t",
    "\u00a0",
    "\u200b",
    "\\",
    "*",
    "**",
    "_",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "`",
    "|",
    "#",
    "- ",
    "1. ",
    "> ",
    "[x] ",
    "[^1]",
    "&amp;",
    "&nbsp;",
    "Neurips2024",
    "https://arxiv.org/pdf/2401.00001v2",
    "?utm_source=x",
    "\n",
    "\n\n",
    "    ",
]


@st.composite
def mutated_slice(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(sorted(LINES)))
    lines = LINES[name]
    start = draw(st.integers(0, max(0, len(lines) - 40)))
    window = lines[start : start + draw(st.integers(5, 40))]
    for _ in range(draw(st.integers(0, 6))):
        if not window:
            break
        i = draw(st.integers(0, len(window) - 1))
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "swap", "cut"]))
        line = window[i]
        if kind == "insert":
            at = draw(st.integers(0, len(line)))
            window[i] = line[:at] + draw(st.sampled_from(PIECES)) + line[at:]
        elif kind == "delete":
            del window[i]
        elif kind == "duplicate":
            window.insert(i, line)
        elif kind == "swap" and i + 1 < len(window):
            window[i], window[i + 1] = window[i + 1], window[i]
        elif kind == "cut" and line:
            at = draw(st.integers(0, len(line) - 1))
            window[i] = line[:at] + line[at + 1 :]
    return "\n".join(window) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_slice())
def test_mutated_real_lists_format_safely(text: str) -> None:
    raw = text.encode("utf-8")
    try:
        first = fmt(raw)
    except FormatError:
        return  # refused: nothing is written
    second = fmt(first.data)
    assert not second.changed, "the output changes when formatted again"
    before = parse(decode(raw, "a.md"))
    after = parse(decode(first.data, "a.md"))
    assert len(after.entries) == len(before.entries)
    targets_before = {lk.url for lk in before.links if not lk.url.startswith("#")}
    targets_after = {lk.url for lk in after.links if not lk.url.startswith("#")}
    # Only fixes rewrite targets (canonical arXiv links, tracking parameters dropped).
    rewritten = {a.description for a in first.applied if a.rule in ("arxiv-link", "link-tracking")}
    assert targets_before <= targets_after or rewritten
