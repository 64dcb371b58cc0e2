"""In-page anchors as GitHub resolves them: heading slugs, HTML anchors, link fragments.

* :func:`anchor_index` — every in-page target: the GitHub anchor of each heading (see
  :mod:`readme_tools.slugger`) and explicit HTML anchors (``id="…"``, ``<a name="…">``), each
  HTML anchor attached to the heading it sits in, directly under or directly above.
* :func:`decode_fragment` — a link's fragment as the browser sees it.
* :func:`href` — an anchor written as a link destination (raw, as GitHub shows it, or with
  non-ASCII characters percent-encoded, for documents that write them so).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it.common.utils import unescapeAll

from readme_tools.model import Document, Heading
from readme_tools.parse import html_anchor_positions
from readme_tools.slugger import Slugger

__all__ = [
    "BUILTIN_FRAGMENTS",
    "LINE_LINK_RE",
    "AnchorIndex",
    "Target",
    "anchor_index",
    "decode_fragment",
    "href",
    "href_encoded",
    "is_builtin_fragment",
]

# GitHub's own fragments: line links of the blob view (#L10, #L10C2-L12C5) and the page top.
# A column is only allowed in a range (#L10C2-L12C5), as markdownlint's MD051 has it.
LINE_LINK_RE = re.compile(r"L\d+|L\d+(?:C\d+)?-L\d+(?:C\d+)?")
BUILTIN_FRAGMENTS = frozenset({"", "top"})


def decode_fragment(url: str) -> str:
    """The fragment of an in-page link as the browser sees it: unescaped, percent-decoded."""
    fragment = url[1:] if url.startswith("#") else url
    if "\\" in fragment or "&" in fragment:
        fragment = unescapeAll(fragment)
    if "%" in fragment:
        fragment = unquote(fragment, errors="strict") if _valid_percent(fragment) else fragment
    return fragment


def _valid_percent(text: str) -> bool:
    try:
        unquote(text, errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def is_builtin_fragment(fragment: str) -> bool:
    return fragment in BUILTIN_FRAGMENTS or LINE_LINK_RE.fullmatch(fragment) is not None


@dataclass(frozen=True, slots=True)
class Target:
    heading: Heading
    index: int  # in Document.headings
    anchor: str  # GitHub's anchor of the heading
    aliases: tuple[str, ...]  # explicit HTML anchors attached to the heading


@dataclass(frozen=True)
class AnchorIndex:
    targets: tuple[Target, ...]  # one per heading, in document order
    owner: dict[str, int]  # anchor or attached HTML anchor → heading index
    html: frozenset[str]  # every explicit HTML anchor

    def exists(self, fragment: str) -> bool:
        return fragment in self.owner or fragment in self.html or is_builtin_fragment(fragment)

    @property
    def names(self) -> list[str]:
        return [*(t.anchor for t in self.targets), *sorted(self.html)]


def anchor_index(doc: Document) -> AnchorIndex:
    slugger = Slugger()
    anchors = [slugger.slug(h.text) for h in doc.headings]
    attached: list[list[str]] = [[] for _ in doc.headings]
    html = frozenset(doc.html_anchors)
    if html and doc.headings:
        source = doc.source
        lines = [h.line for h in doc.headings]
        for name, offset in html_anchor_positions(source.text):
            if name not in html:
                continue  # inside code
            index = _heading_for_anchor(doc, lines, source.position(offset)[0])
            if index is not None:
                attached[index].append(name)
    owner: dict[str, int] = {}
    for index, anchor in enumerate(anchors):
        owner.setdefault(anchor, index)
    for index, names in enumerate(attached):
        for name in names:
            owner.setdefault(name, index)
    targets = tuple(
        Target(heading=h, index=i, anchor=anchors[i], aliases=tuple(attached[i]))
        for i, h in enumerate(doc.headings)
    )
    return AnchorIndex(targets=targets, owner=owner, html=html)


def _heading_for_anchor(doc: Document, lines: list[int], line: int) -> int | None:
    """The heading an HTML anchor on ``line`` names: in it, right below it or right above it."""
    source = doc.source
    at = bisect.bisect_right(lines, line) - 1
    if at >= 0:
        heading = doc.headings[at]
        last = source.position(heading.span.end)[0]
        if heading.line <= line <= last:
            return at
        if all(not source.line(k).strip() for k in range(last + 1, line)):
            return at
    after = at + 1
    if after < len(lines) and all(
        not source.line(k).strip() for k in range(line + 1, lines[after])
    ):
        return after
    return None


def _href_raw(anchor: str) -> str:
    """``#anchor`` for a link or a message, written as GitHub shows it (raw CJK stays raw);
    invisible characters (variation selectors…) and characters that would end the destination
    are percent-encoded."""
    return "#" + "".join(_pct(c) if _invisible(c) else c for c in anchor)


def href_encoded(anchor: str) -> str:
    """``#anchor`` with every non-ASCII character percent-encoded (a TOC written that way)."""
    return "#" + "".join(_pct(c) if _invisible(c) or not c.isascii() else c for c in anchor)


def _invisible(char: str) -> bool:
    if char.isascii():
        return not char.isprintable() or char in "()<> "
    return unicodedata.category(char) in ("Mn", "Me", "Cf", "Zs", "Cc")


def href(anchor: str) -> str:
    return _href_raw(anchor)


def _pct(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode("utf-8"))
