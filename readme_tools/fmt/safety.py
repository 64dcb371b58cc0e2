"""The formatter's invariants: what no formatting may lose.

Before and after formatting the document must have the same number of entries, the same set
of external link targets and the same multiset of words — except where a fix deliberately
rewrote something. Deliberate rewrites are recorded in a :class:`Ledger` as they are applied
(the words each edit removed and added, the link targets it touched or wrote), so that the
comparison accounts for them exactly and anything else shows up as a loss.

The baseline is the text after the encoding stage (mojibake repair, invisible characters),
so words inside repaired mojibake are outside the comparison by construction.

Words are runs of letters and digits (casefolded) of the markdown source with link
destinations (also those of reference definitions), bare URLs and list markers removed:
markup (escapes, emphasis markers, bullets, numbering, table pipes, indentation) does not
count, text does.
"""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import unquote

from readme_tools.diagnostics import Edit
from readme_tools.model import Document

_WORD_RE = re.compile(r"[^\W_]+")
_URL_RE = re.compile(
    r"\]\(\s*<[^>\n]*>|\]\(\s*[^\s)]*|<(?:https?|ftp|mailto):[^>\s]*>|(?:https?|ftp)://[^\s<>\"')\]]*"
)
_MARKER_RE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)", re.MULTILINE)
# A reference definition's destination in angle brackets, which may hold spaces (mdformat
# writes "<https://x.org/b c>" as "https://x.org/b%20c"); its label stays. Also where such
# a line is paragraph text, as written and as mdformat escapes it ("\[a\]: \<b c>"), so
# that both sides of a comparison lose the same words.
_DEFINITION_DESTINATION_RE = re.compile(
    r"(\\?\[[^\]\n]+?\\?\]:)[ \t]*\\?<[^<>\n]*>(?=[ \t]|$)", re.MULTILINE
)


# The only pattern above that can reach past a line end: "](" followed by a line break.
_CROSS_LINE_RE = re.compile(r"\]\(\s*\n")


# A character reference (CommonMark: the semicolon is required). mdformat writes the
# character itself ("&amp;" becomes "&"), so references count as the characters they are.
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _decode_references(text: str) -> str:
    """``text`` with its character references replaced by the characters they stand for."""
    if "&" not in text:
        return text
    return _ENTITY_RE.sub(lambda m: html.unescape(m.group()), text)


def words(text: str) -> Counter[str]:
    """The multiset of words of markdown source ``text`` (see the module docstring)."""
    if "]:" in text:
        text = _DEFINITION_DESTINATION_RE.sub(r"\1 ", text)
    # URLs go before references are decoded: "&emsp;" inside a destination is not a space.
    stripped = _decode_references(_MARKER_RE.sub(" ", _URL_RE.sub(" ", text)))
    return Counter(_WORD_RE.findall(stripped.casefold()))


def _changed_line_words(before: str, after: str) -> tuple[Counter[str], Counter[str]] | None:
    """The words of the lines only ``before`` has and of the lines only ``after`` has.

    Where no pattern of :func:`words` crosses a line end, the words of a text are the sum of
    the words of its lines, so the lines both texts have (as a multiset) add the same words
    to both sides: ``words(before) - words(after)`` equals the difference of the two results.
    None when a pattern could cross a line end (then only the whole texts can be compared).
    """
    if _CROSS_LINE_RE.search(before) or _CROSS_LINE_RE.search(after):
        return None
    lines_before = Counter(before.split("\n"))
    lines_after = Counter(after.split("\n"))
    only_before = "\n".join((lines_before - lines_after).elements())
    only_after = "\n".join((lines_after - lines_before).elements())
    if _CROSS_LINE_RE.search(only_before) or _CROSS_LINE_RE.search(only_after):
        return None  # a last line ending in "](" is now followed by another line
    return words(only_before), words(only_after)


_PUNYCODE_HOST_RE = re.compile(r"(?<=://)[^/?#\s]*\bxn--[^/?#\s]*", re.IGNORECASE)


def _unicode_label(label: str) -> str:
    if label[:4].lower() != "xn--":
        return label
    try:
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label


def _target(url: str) -> str:
    """``url`` with character references and percent-encoding undone (markdown decodes
    both; mdformat writes neither) and punycode host labels decoded."""
    url = unquote(_decode_references(url))
    if "xn--" not in url.lower():
        return url
    return _PUNYCODE_HOST_RE.sub(
        lambda m: ".".join(_unicode_label(label) for label in m.group().split(".")), url, count=1
    )


def link_targets(doc: Document) -> frozenset[str]:
    """External link and image targets (in-page anchors are the TOC's business).

    Percent-encoding is undone: ``é`` and ``%C3%A9`` are the same target (mdformat writes
    the encoded form of a URL it re-renders), and so is punycode in the host name:
    ``é.org`` and ``xn--9ca.org`` (mdformat writes the punycode form)."""
    return frozenset(_target(lk.url) for lk in doc.links if lk.url and not lk.url.startswith("#"))


_DEFINITION_RE = re.compile(
    r"^ {0,3}\[[^\]\n]+\]:[ \t]*(?:<([^<>\n]+)>|([^\s<][^\s]*))"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*$",
    re.MULTILINE,
)


def definition_targets(text: str) -> frozenset[str]:
    """Targets of link reference definitions (``[label]: url``), used or not.

    mdformat drops a definition no link uses; counting its target makes that a loss (a
    label without words, ``[-]: url``, would otherwise vanish unnoticed with its URL)."""
    if "]:" not in text:
        return frozenset()
    found = (m.group(1) or m.group(2) for m in _DEFINITION_RE.finditer(text))
    return frozenset(_target(url) for url in found if not url.startswith("#"))


@dataclass(frozen=True)
class Invariants:
    entries: int
    targets: frozenset[str]
    text: str  # the markdown source: its words are counted when a comparison needs them

    @classmethod
    def of(cls, doc: Document) -> Invariants:
        return cls(len(doc.entries), link_targets(doc), doc.source.text)

    @cached_property
    def words(self) -> Counter[str]:
        return words(self.text)


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
    touched = {_target(url) for url in ledger.touched}  # normalised like the targets
    lost = sorted(before.targets - after.targets - touched)
    # Targets of reference definitions (mdformat drops unused ones): lost when they appear
    # nowhere in the output (a "[a]: url" line inside a paragraph is text, kept as text).
    if "]:" in before.text:
        text_after = unquote(after.text)
        dropped = definition_targets(before.text) - after.targets - touched - set(lost)
        lost += sorted(url for url in dropped if url not in text_after)
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
    changed = _changed_line_words(before.text, after.text)
    if changed is not None and changed[0] + ledger.added == changed[1] + ledger.removed:
        return problems  # the words balance (the lines both texts have count on both sides)
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
