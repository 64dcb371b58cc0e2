"""The formatter's invariants: what no formatting may lose.

Before and after formatting the document must have the same number of entries, the same set
of external link targets and the same multiset of words — except where a fix deliberately
rewrote something. Deliberate rewrites are recorded in a :class:`Ledger` as they are applied
(the words each edit removed and added, the link targets it touched or wrote), so that the
comparison accounts for them exactly and anything else shows up as a loss.

The baseline is the text after the encoding stage (mojibake repair, invisible characters),
so words inside repaired mojibake are outside the comparison by construction.

Words are runs of letters and digits (casefolded) of the markdown source with link
destinations, bare URLs and list markers removed: markup (escapes, emphasis markers, bullets,
numbering, table pipes, indentation) does not count, text does.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from readme_tools.diagnostics import Edit
from readme_tools.model import Document

_WORD_RE = re.compile(r"[^\W_]+")
_URL_RE = re.compile(
    r"\]\(\s*<[^>\n]*>|\]\(\s*[^\s)]*|<(?:https?|ftp|mailto):[^>\s]*>|(?:https?|ftp)://[^\s<>\"')\]]*"
)
_MARKER_RE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)", re.MULTILINE)


def words(text: str) -> Counter[str]:
    """The multiset of words of markdown source ``text`` (see the module docstring)."""
    stripped = _MARKER_RE.sub(" ", _URL_RE.sub(" ", text))
    return Counter(_WORD_RE.findall(stripped.casefold()))


def link_targets(doc: Document) -> frozenset[str]:
    """External link and image targets (in-page anchors are the TOC's business).

    Percent-encoding is undone: ``é`` and ``%C3%A9`` are the same target (mdformat writes
    the encoded form of a URL it re-renders)."""
    return frozenset(unquote(lk.url) for lk in doc.links if lk.url and not lk.url.startswith("#"))


@dataclass(frozen=True)
class Invariants:
    entries: int
    targets: frozenset[str]
    words: Counter[str]

    @classmethod
    def of(cls, doc: Document) -> Invariants:
        return cls(len(doc.entries), link_targets(doc), words(doc.source.text))


@dataclass
class Ledger:
    """The deliberate rewrites applied so far (mutable; one per formatting run)."""

    added: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    touched: set[str] = field(default_factory=set)  # targets of links an edit overlapped
    written: list[str] = field(default_factory=list)  # replacement texts
    edits: int = 0

    def record(self, text: str, edits: Sequence[Edit], doc: Document | None) -> None:
        """Account for ``edits`` (sorted, non-overlapping) about to be applied to ``text``."""
        if not edits:
            return
        self.edits += len(edits)
        for old, new in _regions(text, edits):
            self.removed.update(words(old))
            self.added.update(words(new))
        self.written.extend(e.replacement for e in edits)
        if doc is not None:
            starts = [e.start for e in edits]
            for link in doc.links:
                i = bisect.bisect_right(starts, link.span.end) - 1
                if i >= 0 and edits[i].end >= link.span.start:
                    self.touched.add(link.url)


def _regions(text: str, edits: Sequence[Edit]) -> Iterable[tuple[str, str]]:
    """Old and new text of the edited lines, edits grouped by the lines they touch."""
    groups: list[tuple[int, int, list[Edit]]] = []
    for edit in edits:
        start = text.rfind("\n", 0, edit.start) + 1
        end = text.find("\n", edit.end)
        end = len(text) if end < 0 else end
        if groups and start <= groups[-1][1]:
            first, _, members = groups[-1]
            groups[-1] = (first, max(end, groups[-1][1]), [*members, edit])
        else:
            groups.append((start, end, [edit]))
    for start, end, members in groups:
        pieces: list[str] = []
        pos = start
        for edit in members:
            pieces.append(text[pos : edit.start])
            pieces.append(edit.replacement)
            pos = edit.end
        pieces.append(text[pos:end])
        yield text[start:end], "".join(pieces)


def compare(before: Invariants, after: Invariants, ledger: Ledger) -> list[str]:
    """What was lost or gained beyond the ledger's rewrites; empty when the invariants hold."""
    problems: list[str] = []
    if before.entries != after.entries:
        problems.append(f"entry count changed from {before.entries} to {after.entries}")
    touched = {unquote(url) for url in ledger.touched}
    lost = sorted(before.targets - after.targets - touched)
    for url in lost[:5]:
        problems.append(f"link target lost: {url}")
    if len(lost) > 5:
        problems.append(f"… and {len(lost) - 5} more lost link targets")
    gained = sorted(
        url
        for url in after.targets - before.targets
        if not any(url in unquote(written) for written in ledger.written)
    )
    for url in gained[:5]:
        problems.append(f"link target appeared from nowhere: {url}")
    expected = before.words + ledger.added
    actual = after.words + ledger.removed
    missing = expected - actual
    extra = actual - expected
    if missing:
        sample = ", ".join(f"{w!r}×{n}" for w, n in missing.most_common(8))
        problems.append(f"{sum(missing.values())} word(s) lost: {sample}")
    if extra:
        sample = ", ".join(f"{w!r}×{n}" for w, n in extra.most_common(8))
        problems.append(f"{sum(extra.values())} word(s) appeared: {sample}")
    return problems
