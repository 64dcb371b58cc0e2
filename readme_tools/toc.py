"""The table of contents: anchors, the TOC's layout, and its regeneration.

Everything here is a pure function of a :class:`~readme_tools.model.Document`:

* :func:`anchor_index` — every in-page target: the GitHub anchor of each heading (see
  :mod:`readme_tools.slugger`) and explicit HTML anchors (``id="…"``, ``<a name="…">``), each
  HTML anchor attached to the heading it sits in, directly under or directly above.
* :func:`resolve_items` — which heading each TOC item points at.
* :func:`toc_layout` — which headings the TOC should list (levels inferred from the TOC unless
  configured; whether the title and the TOC heading are listed; headings above the TOC only
  when the TOC lists that level there) and at which depth.
* :func:`regenerate_toc` — the TOC block rebuilt in the document's own style. Items that are
  already right are copied byte for byte, so a correct TOC regenerates to itself.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from markdown_it.common.utils import unescapeAll

from readme_tools.config import TocOptions
from readme_tools.model import Document, Heading, Toc, TocItem
from readme_tools.parse import html_anchor_positions
from readme_tools.slugger import Slugger, base_slug

# GitHub's own fragments: line links of the blob view (#L10, #L10C2-L12C5) and the page top.
# A column is only allowed in a range (#L10C2-L12C5), as markdownlint's MD051 has it.
LINE_LINK_RE = re.compile(r"L\d+|L\d+(?:C\d+)?-L\d+(?:C\d+)?")
BUILTIN_FRAGMENTS = frozenset({"", "top"})

Via = Literal["slug", "html", "text"]


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


# --------------------------------------------------------------------------- TOC items


@dataclass(frozen=True, slots=True)
class Resolved:
    item: TocItem
    fragment: str  # decoded
    heading: int | None  # index of the heading it points at (or names, for via="text")
    via: Via | None  # how: its anchor is the heading's slug, an HTML anchor, or only its text


def resolve_items(toc: Toc, index: AnchorIndex) -> list[Resolved]:
    by_text: dict[str, int] = {}
    for target in index.targets:
        by_text.setdefault(_norm(target.heading.text), target.index)
    out: list[Resolved] = []
    for item in toc.items:
        fragment = decode_fragment("#" + item.anchor)
        owner = index.owner.get(fragment)
        if owner is not None:
            via: Via = "slug" if index.targets[owner].anchor == fragment else "html"
            out.append(Resolved(item, fragment, owner, via))
        elif fragment in index.html:
            out.append(Resolved(item, fragment, None, "html"))  # an anchor of no heading
        else:
            named = by_text.get(_norm(item.text))
            out.append(Resolved(item, fragment, named, "text" if named is not None else None))
    return out


def _norm(text: str) -> str:
    return " ".join(text.split())


def text_matches(item_text: str, heading_text: str) -> bool:
    """The TOC text still names the heading: equal, or equal up to what GitHub's anchor drops
    (case, punctuation, emoji, a leading/trailing separator)."""
    if _norm(item_text) == _norm(heading_text):
        return True
    return base_slug(_norm(item_text)).strip("-") == base_slug(_norm(heading_text)).strip("-")


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Layout:
    toc: Toc
    index: AnchorIndex
    resolved: tuple[Resolved, ...]
    expected: tuple[Target, ...]  # headings the TOC must list, in document order
    depth: dict[int, int]  # heading level → nesting depth in the TOC
    min_level: int
    max_level: int


def toc_layout(doc: Document, options: TocOptions | None = None) -> Layout | None:
    """What the TOC should contain, inferred from what it contains now; None without a TOC or
    when no TOC item names a heading (and no levels are configured)."""
    toc = doc.toc
    if toc is None:
        return None
    options = options or TocOptions()
    index = anchor_index(doc)
    resolved = resolve_items(toc, index)
    matched = [(r.item, index.targets[r.heading]) for r in resolved if r.heading is not None]
    levels = [t.heading.level for _, t in matched]
    if not levels and (options.min_level is None or options.max_level is None):
        return None
    min_level = options.min_level if options.min_level is not None else min(levels)
    max_level = options.max_level if options.max_level is not None else max(levels)
    listed = {t.index for _, t in matched}
    toc_heading = _heading_index(doc, toc.heading)
    toc_start = toc.span.start
    levels_listed_above = {t.heading.level for _, t in matched if t.heading.span.start < toc_start}
    excluded = {base_slug(x).strip("-") for x in options.exclude}
    expected: list[Target] = []
    excluded_level: int | None = None  # inside an excluded section (its subsections too)
    for target in index.targets:
        heading = target.heading
        if excluded_level is not None and heading.level > excluded_level:
            continue
        excluded_level = None
        if base_slug(heading.text).strip("-") in excluded and target.index not in listed:
            excluded_level = heading.level
            continue
        if not min_level <= heading.level <= max_level:
            continue
        if target.index == toc_heading and target.index not in listed:
            continue  # the TOC does not list its own heading
        if heading.span.start < toc_start and heading.level not in levels_listed_above:
            continue  # sections above the TOC are listed only when the TOC does so
        expected.append(target)
    return Layout(
        toc=toc,
        index=index,
        resolved=tuple(resolved),
        expected=tuple(expected),
        depth=_depths(matched, [t.heading.level for t in expected]),
        min_level=min_level,
        max_level=max_level,
    )


def _heading_index(doc: Document, heading: Heading | None) -> int | None:
    if heading is None:
        return None
    for i, h in enumerate(doc.headings):
        if h.span == heading.span:
            return i
    return None


def _depths(matched: Sequence[tuple[TocItem, Target]], levels: Sequence[int]) -> dict[int, int]:
    """Level → depth as the TOC nests now (the most common depth of each listed level)."""
    seen: dict[int, Counter[int]] = {}
    for item, target in matched:
        seen.setdefault(target.heading.level, Counter())[item.depth] += 1
    depth = {level: counts.most_common(1)[0][0] for level, counts in seen.items()}
    offsets = Counter(d - level for level, d in depth.items())
    offset = offsets.most_common(1)[0][0] if offsets else -min(levels, default=0)
    for level in sorted(set(levels)):
        depth.setdefault(level, max(0, level + offset))
    return depth


# --------------------------------------------------------------------------- regeneration


def regenerate_toc(doc: Document, options: TocOptions | None = None) -> str | None:
    """The TOC block (the text of ``doc.toc.span``) rebuilt: every expected heading in order,
    link text = heading text, the document's marker and indentation. Items that are already
    right are kept byte for byte. None when the document has no TOC to rebuild."""
    layout = toc_layout(doc, options)
    if layout is None:
        return None
    return render(doc, layout)


def render(doc: Document, layout: Layout) -> str:
    text = doc.source.text
    toc = layout.toc
    by_heading: dict[int, Resolved] = {}
    for r in layout.resolved:
        if r.heading is not None:
            current = by_heading.get(r.heading)
            if current is None or (current.via == "text" and r.via != "text"):
                by_heading[r.heading] = r
    # Items that point at a valid target other than a heading stay after the item they follow.
    kept_after: dict[int | None, list[str]] = {}
    previous: int | None = None
    for r in layout.resolved:
        if r.heading is not None:
            previous = r.heading
        elif layout.index.exists(r.fragment):
            kept_after.setdefault(previous, []).append(text[r.item.span.start : r.item.span.end])
    lines: list[str] = list(kept_after.get(None, ()))
    for target in layout.expected:
        depth = layout.depth.get(target.heading.level, 0)
        lines.append(_item_line(text, toc, target, depth, by_heading.get(target.index)))
        lines.extend(kept_after.get(target.index, ()))
    return ("\n\n" if _loose(text, toc) else "\n").join(lines)


def _loose(text: str, toc: Toc) -> bool:
    """Items separated by blank lines (a loose list)."""
    items = toc.items
    return len(items) > 1 and all(
        any(not line.strip() for line in text[a.span.end : b.span.start].split("\n")[1:-1])
        for a, b in itertools.pairwise(items)
    )


def _item_line(text: str, toc: Toc, target: Target, depth: int, existing: Resolved | None) -> str:
    anchor = target.anchor
    if existing is None:
        marker = toc.marker if toc.marker in ("-", "*", "+") else f"1{toc.marker}"
        indent = " " * (depth * toc.indent)
        return f"{indent}{marker} [{_label(target.heading)}]({_href(anchor)})"
    item = existing.item
    line = text[item.span.start : item.span.end]
    link = item.link
    offset = item.span.start
    keep_link = existing.via == "html" or (
        existing.via == "slug" and text_matches(item.text, target.heading.text)
    )
    if not keep_link:
        if existing.via == "slug":
            href = text[link.url_span.start : link.url_span.end] if link.url_span else None
            new_link = f"[{_label(target.heading)}]({href or _href(anchor)})"
        elif link.url_span is not None and text_matches(item.text, target.heading.text):
            # Right text, wrong anchor: keep the label as written, fix the destination.
            label = text[link.span.start : link.url_span.start]
            rest = text[link.url_span.end : link.span.end]
            new_link = f"{label}{_href(anchor)}{rest}"
        else:
            new_link = f"[{_label(target.heading)}]({_href(anchor)})"
        line = line[: link.span.start - offset] + new_link + line[link.span.end - offset :]
    if item.depth != depth:
        body = line.lstrip(" ")
        line = " " * (depth * toc.indent) + body
    return line


def _href(anchor: str) -> str:
    """``#anchor`` for a link or a message; invisible characters (variation selectors…) and
    characters that would end the destination are percent-encoded."""
    return "#" + "".join(_pct(c) if _invisible(c) else c for c in anchor)


def _invisible(char: str) -> bool:
    if char.isascii():
        return not char.isprintable() or char in "()<> "
    return unicodedata.category(char) in ("Mn", "Me", "Cf", "Zs", "Cc")


def href(anchor: str) -> str:
    return _href(anchor)


def _pct(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode("utf-8"))


_RAW_UNSAFE = re.compile(r"[\[\]<>!\n]|\\$")
_ESCAPE = re.compile(r"([\\\[\]*_`<])")


def _label(heading: Heading) -> str:
    """Link text for a heading: its source when that is plain inline markup, else its text."""
    raw = heading.raw.strip()
    if raw and not _RAW_UNSAFE.search(raw):
        return raw
    return _ESCAPE.sub(r"\\\1", _norm(heading.text))
