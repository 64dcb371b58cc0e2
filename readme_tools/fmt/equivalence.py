"""Rendering equivalence: what the page shows may change only where a fix meant it to.

The formatter's safety net. Input and output are rendered to HTML with cmark-gfm, the
renderer GitHub itself uses (tables, autolinks, strikethrough, task lists, footnotes; raw
HTML kept), with source positions. The HTML is cut into *blocks* at every element that
carries a source position (paragraphs, headings, list items, table rows and cells, code
blocks); a block owns the source lines from its own first line up to the next block's.
Both block sequences are aligned (:mod:`readme_tools.fmt.align`) and every difference must
be explained by an intended change (:class:`Touch`) on the lines of the input it comes from:

* ``none``: the fix must not change the rendering at all (whitespace, a respelt ``[X]``);
* ``text``: only text may change, never the markup (a venue respelt, mojibake repaired);
* ``href``: only link and image targets may change, and link text that spells the target
  (a canonical arXiv link, a tracking parameter dropped);
* ``structure``: anything inside the touched lines may change (the TOC regenerated, a task
  box added).

Anything else, e.g. ``[^note]: …`` escaped into plain text by a re-layout, is a problem
naming the first differing block; the formatter then writes nothing.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from readme_tools.fmt.align import Hunk, align

Effect = Literal["none", "text", "href", "structure"]

_SOURCEPOS_RE = re.compile(r' data-sourcepos="(\d+):\d+-(\d+):\d+"')
_TOKEN_RE = re.compile(r"<[^>]*>|[^<]+")
_URL_ATTR_RE = re.compile(r'\s(?:href|src)="[^"]*"')
_URL_VALUE_RE = re.compile(r'\s(?:href|src)="([^"]*)"')


@dataclass(frozen=True)
class Touch:
    """Lines ``[first, last]`` (1-based, of the input) that a fix changed, and how."""

    first: int
    last: int
    effect: Effect


@dataclass(frozen=True)
class Block:
    html: str  # the block's HTML without source positions
    first: int  # 1-based source lines the block owns
    last: int


@cache
def _renderer() -> Any:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    options = Options.CMARK_OPT_SOURCEPOS | Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    return lambda text: cmarkgfm.github_flavored_markdown_to_html(text, options=options)


def render(text: str) -> str:
    """GitHub's rendering of ``text`` (cmark-gfm), with ``data-sourcepos`` attributes."""
    html: str = _renderer()(text)
    return html


def blocks(text: str) -> list[Block]:
    """The rendered blocks of markdown ``text`` in document order."""
    html = render(text)
    starts: list[tuple[int, int, int]] = []  # (offset of the tag, first line, last line)
    for match in _SOURCEPOS_RE.finditer(html):
        starts.append((html.rfind("<", 0, match.start()), int(match[1]), int(match[2])))
    out: list[Block] = []
    if not starts or starts[0][0] > 0:
        head = html[: starts[0][0]] if starts else html
        out.append(Block(_SOURCEPOS_RE.sub("", head), 1, 1))
    for k, (offset, first, last) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(html)
        next_first = starts[k + 1][1] if k + 1 < len(starts) else None
        owned = max(last, next_first - 1) if next_first is not None else max(last, first)
        out.append(Block(_SOURCEPOS_RE.sub("", html[offset:end]), first, max(owned, first)))
    return out


def compare(before: str, after: str, touches: Sequence[Touch]) -> list[str]:
    """Differences between the renderings of ``before`` and ``after`` no touch explains."""
    old = blocks(before)
    new = blocks(after)
    index = _TouchIndex(touches)
    problems: list[str] = []
    for hunk in align([b.html for b in old], [b.html for b in new]):
        problem = _unexplained(hunk, old, new, index)
        if problem:
            problems.append(problem)
    return problems


class _TouchIndex:
    def __init__(self, touches: Sequence[Touch]) -> None:
        self.touches = sorted(touches, key=lambda t: (t.first, t.last))
        self.firsts = [t.first for t in self.touches]
        self.max_span = max((t.last - t.first for t in self.touches), default=0)

    def effects(self, first: int, last: int) -> set[Effect]:
        """Effects of the touches that overlap lines ``[first, last]``."""
        lo = bisect.bisect_left(self.firsts, first - self.max_span)
        hi = bisect.bisect_right(self.firsts, last)
        return {t.effect for t in self.touches[lo:hi] if t.last >= first and t.first <= last}


def _unexplained(hunk: Hunk, old: list[Block], new: list[Block], index: _TouchIndex) -> str:
    before = old[hunk.a_start : hunk.a_end]
    after = new[hunk.b_start : hunk.b_end]
    if before:
        first, last = before[0].first, before[-1].last
    else:  # an insertion: the lines around the point where it happens
        first = old[hunk.a_start - 1].first if hunk.a_start else 1
        last = old[hunk.a_start].last if hunk.a_start < len(old) else first
    effects = index.effects(first, last)
    if "structure" in effects:
        return ""
    explainable = len(before) == len(after) and effects - {"none"}
    if explainable and all(
        _explained(b.html, a.html, effects) for b, a in zip(before, after, strict=True)
    ):
        return ""
    where = f"line {first}" if first == last else f"lines {first}-{last}"
    shown_before = _shown(before)
    shown_after = _shown(after)
    return f"the rendering of {where} changes: {shown_before} becomes {shown_after}"


def _explained(before: str, after: str, effects: set[Effect]) -> bool:
    if before == after:
        return True
    old = _TOKEN_RE.findall(before)
    new = _TOKEN_RE.findall(after)
    if len(old) != len(new):
        return False
    text = "text" in effects
    href = "href" in effects
    targets = {html.unescape(t) for t in _URL_VALUE_RE.findall(before)} if href else set()
    for a, b in zip(old, new, strict=True):
        if a == b:
            continue
        if a.startswith("<") != b.startswith("<"):
            return False
        if a.startswith("<"):  # markup: only link targets may change
            if not href or _URL_ATTR_RE.sub("", a) != _URL_ATTR_RE.sub("", b):
                return False
        elif not text and html.unescape(a) not in targets:  # link text that spells the target
            return False
    return True


def _shown(blocks_: Sequence[Block], limit: int = 120) -> str:
    if not blocks_:
        return "nothing"
    text = " ".join(b.html.strip() for b in blocks_).replace("\n", " ")
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
