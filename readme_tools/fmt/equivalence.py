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
import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape, unescape
from typing import Any
from urllib.parse import unquote

from readme_tools.diagnostics import Effect
from readme_tools.fmt.align import SMALL_GAP, Hunk, align

_SOURCEPOS_RE = re.compile(r' data-sourcepos="(\d+):\d+-(\d+):\d+"')
_SPACE_RE = re.compile(r"\s+")
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
class Difference:
    """A rendered difference no touch explains, on input lines ``[first, last]`` (0: none)."""

    first: int
    last: int
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Block:
    html: str  # the block's HTML without source positions
    first: int  # 1-based source lines of the block
    last: int
    owned: int  # the last line the block owns: up to the next block's first line


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
        out.append(Block(_normal(head), 1, 1, 1))
    for k, (offset, first, last) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(html)
        next_first = starts[k + 1][1] if k + 1 < len(starts) else None
        owned = max(last, next_first - 1) if next_first is not None else last
        out.append(Block(_normal(html[offset:end]), first, max(last, first), max(owned, first)))
    return out


def _normal(html: str) -> str:
    """A block's HTML as a browser reads it: without source positions, runs of whitespace
    as one space outside ``<pre>``, link targets with percent-encoding undone and host
    names in Unicode (``%C3%9F.org`` and ``xn--zca.org`` are one host)."""
    html = _SOURCEPOS_RE.sub("", html)
    if "%" in html or "xn--" in html:
        html = _URL_VALUE_RE.sub(
            lambda m: m.group().replace(m[1], escape(_target(unescape(m[1])))), html
        )
    return html if "<pre" in html else _SPACE_RE.sub(" ", html)


_PUNYCODE_HOST_RE = re.compile(r"(?<=://)[^/?#\s]*\bxn--[^/?#\s]*", re.IGNORECASE)


def _target(url: str) -> str:
    url = unquote(url)
    if "xn--" not in url.lower():
        return url
    return _PUNYCODE_HOST_RE.sub(
        lambda m: ".".join(_unicode_label(label) for label in m.group().split(".")), url, count=1
    )


def _unicode_label(label: str) -> str:
    if label[:4].lower() != "xn--":
        return label
    try:
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label


def compare(
    before: str,
    after: str,
    touches: Sequence[Touch],
    line_map: Sequence[int] | None = None,
) -> list[Difference]:
    """Differences between the renderings of ``before`` and ``after`` no touch explains.

    ``line_map[n]`` is the line of ``after`` that line ``n`` of ``before`` became, when
    known (edits only, no re-layout): blocks are then paired by position as well as by
    content, so identical blocks (a paper listed twice) cannot be mistaken for each other.
    Also, whatever the touches: every external link target of ``before`` is still a target
    of ``after``, unless a fix declared to change link targets replaced it.
    """
    old = blocks(before)
    new = blocks(after)
    index = _TouchIndex(touches)
    problems: list[Difference] = []
    retargeted: set[str] = set()  # targets of blocks an href fix changed
    if line_map is None:
        keys_old: list[object] = [b.html for b in old]
        keys_new: list[object] = [b.html for b in new]
    else:
        keys_old = [(b.html, line_map[min(b.first, len(line_map) - 1)]) for b in old]
        keys_new = [(b.html, b.first) for b in new]
    for hunk in align(keys_old, keys_new):
        problem = _unexplained(hunk, old, new, index, retargeted)
        if problem:
            problems.append(problem)
    lost = [t for t in _targets(old) - _targets(new) if t not in retargeted]
    if lost:
        problems.append(Difference(0, 0, f"link target(s) lost: {', '.join(sorted(lost)[:3])}"))
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


def _unexplained(
    hunk: Hunk, old: list[Block], new: list[Block], index: _TouchIndex, retargeted: set[str]
) -> Difference | None:
    before = old[hunk.a_start : hunk.a_end]
    after = new[hunk.b_start : hunk.b_end]
    if before:
        first, last, owned = before[0].first, before[-1].last, before[-1].owned
    else:  # an insertion: the lines around the point where it happens
        first = old[hunk.a_start - 1].first if hunk.a_start else 1
        last = owned = old[hunk.a_start].owned if hunk.a_start < len(old) else first
    effects = index.effects(first, owned)
    if "structure" in effects:
        if "href" in effects:  # an entry moved, and its link was made canonical after
            retargeted.update(_targets(before) - _targets(after))
        return None
    explainable = len(before) == len(after) and effects - {"none"}
    if explainable and all(
        _explained(b.html, a.html, effects) for b, a in zip(before, after, strict=True)
    ):
        if "href" in effects:
            retargeted.update(_targets(before) - _targets(after))
        return None
    where = f"line {first}" if first == last else f"lines {first}-{last}"
    message = f"the rendering of {where} changes: {_shown(before)} becomes {_shown(after)}"
    return Difference(*_blame(before, after, first, owned), message)


_CLOSERS_RE = re.compile(r"(?:\s*</(?:li|ul|ol|blockquote|table|thead|tbody|tr|section)>)+\s*$")


def _blame(
    before: Sequence[Block], after: Sequence[Block], first: int, last: int
) -> tuple[int, int]:
    """The input lines of the blocks whose own content changed.

    A block's HTML ends with the closing tags of the containers it ends, so removing a list
    item also changes the closers of the block before it; that block is not to blame when its
    own content is unchanged.
    """
    if len(before) * len(after) > SMALL_GAP:
        return first, last
    own_before = [_CLOSERS_RE.sub("", b.html) for b in before]
    own_after = [_CLOSERS_RE.sub("", b.html) for b in after]
    matcher = difflib.SequenceMatcher(None, own_before, own_after, autojunk=False)
    blamed = [
        before[i]
        for tag, i1, i2, _, _ in matcher.get_opcodes()
        if tag != "equal"
        for i in range(i1, i2)
    ]
    if not blamed:
        return first, last
    return blamed[0].first, blamed[-1].owned


def _explained(before: str, after: str, effects: set[Effect]) -> bool:
    if before == after:
        return True
    old = _TOKEN_RE.findall(before)
    new = _TOKEN_RE.findall(after)
    if len(old) != len(new):
        return False
    text = "text" in effects
    href = "href" in effects
    targets = {unescape(t) for t in _URL_VALUE_RE.findall(before)} if href else set()
    for a, b in zip(old, new, strict=True):
        if a == b:
            continue
        if a.startswith("<") != b.startswith("<"):
            return False
        if a.startswith("<"):  # markup: only link targets may change
            if not href or _URL_ATTR_RE.sub("", a) != _URL_ATTR_RE.sub("", b):
                return False
        elif not text and unescape(a) not in targets:  # link text that spells the target
            return False
    return True


def _targets(blocks_: Sequence[Block]) -> Counter[str]:
    """External link and image targets of ``blocks_`` (in-page anchors excluded)."""
    return Counter(
        unescape(url)
        for b in blocks_
        for url in _URL_VALUE_RE.findall(b.html)
        if url and not url.startswith("#")
    )


def _shown(blocks_: Sequence[Block], limit: int = 120) -> str:
    if not blocks_:
        return "nothing"
    text = " ".join(b.html.strip() for b in blocks_).replace("\n", " ")
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
