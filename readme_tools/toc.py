"""The table of contents: which heading each item names, the TOC's layout, its regeneration.

Everything here is a pure function of a :class:`~readme_tools.model.Document`:

* :func:`anchor_index` (:mod:`readme_tools.anchors`, re-exported) — every in-page target.
* :func:`resolve_items` — which heading each TOC item points at.
* :func:`toc_layout` — which headings the TOC should list (levels inferred from the TOC unless
  configured; whether the title and the TOC heading are listed; headings above the TOC only
  when the TOC lists that level there) and at which depth.
* :func:`regenerate_toc` — the TOC block rebuilt in the document's own style. Items that are
  already right are copied byte for byte, so a correct TOC regenerates to itself.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from readme_tools.anchors import (
    AnchorIndex,
    Target,
    anchor_index,
    decode_fragment,
    href,
    href_encoded,
    is_builtin_fragment,
)
from readme_tools.config import TocOptions
from readme_tools.model import Document, Heading, Toc, TocItem
from readme_tools.parse.toc import is_toc_heading, names_heading

__all__ = [
    "AnchorIndex",
    "Layout",
    "Resolved",
    "Target",
    "anchor_index",
    "decode_fragment",
    "href",
    "regenerate_toc",
    "render",
    "resolve_items",
    "text_matches",
    "toc_href",
    "toc_layout",
]

# How a TOC item names its heading: its anchor is the heading's slug (case aside: GitHub
# resolves fragments case-insensitively), an HTML anchor, only its text, or its broken
# anchor is a near miss of the heading's (toc-anchor reports it; it still covers the heading).
Via = Literal["slug", "html", "text", "near"]
NEAR_CUTOFF = 0.8


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
    folded: dict[str, int] = {}
    for name, at in index.owner.items():
        folded.setdefault(name.lower(), at)
    out: list[Resolved] = []
    for item in toc.items:
        fragment = decode_fragment("#" + item.anchor)
        owner = index.owner.get(fragment, folded.get(fragment.lower()))
        if owner is not None:
            exact = index.targets[owner].anchor.lower() == fragment.lower()
            via: Via = "slug" if exact else "html"
            out.append(Resolved(item, fragment, owner, via))
        elif fragment in index.html or is_builtin_fragment(fragment):
            out.append(Resolved(item, fragment, None, "html"))  # an anchor of no heading
        else:
            named = by_text.get(_norm(item.text))
            if named is not None:
                out.append(Resolved(item, fragment, named, "text"))
                continue
            from difflib import get_close_matches  # only for a broken item

            near = get_close_matches(
                fragment.lower(), [t.anchor for t in index.targets], n=1, cutoff=NEAR_CUTOFF
            )
            if near:
                close = next(t for t in index.targets if t.anchor == near[0])
                out.append(Resolved(item, fragment, close.index, "near"))
            else:
                out.append(Resolved(item, fragment, None, None))
    return out


def _norm(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    """The letters-and-digits words of ``text``, casefolded (emoji, punctuation dropped)."""
    return "".join(
        ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text.casefold()
    ).split()


def text_matches(item_text: str, heading_text: str) -> bool:
    """The TOC text still names the heading (:func:`~readme_tools.parse.toc.names_heading`:
    the same words, case, punctuation, emoji and small words aside)."""
    return _norm(item_text) == _norm(heading_text) or names_heading(item_text, heading_text)


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
    expected = _expected(doc, index, listed, options, min_level, max_level)
    return Layout(
        toc=toc,
        index=index,
        resolved=tuple(resolved),
        expected=tuple(expected),
        depth=_depths(matched, [t.heading.level for t in expected]),
        min_level=min_level,
        max_level=max_level,
    )


# Front and back matter a TOC leaves out on purpose (compared like the configured exclusions;
# a trailing "*" matches a prefix). Always in force, besides ``[toc] exclude``.
FRONT_BACK_MATTER = (
    "news", "latest news", "updates", "update", "recent updates", "changelog", "star history",
    "stargazers", "citation", "citations", "cite", "how to cite", "cite us", "bibtex",
    "acknowledg*", "contributors", "contact", "contact us",
)  # fmt: skip
# Below the TOC's top level, a heading's unlisted siblings are required only where the TOC lists
# at least this share of them: a TOC that lists a few subsections of a part chose those few
# (its depth is per subtree). Every section at the TOC's top level is required.
SIBLING_COVERAGE = 0.5


def _excluder(options: TocOptions) -> Callable[[str], bool]:
    names = {"-".join(_words(x.rstrip("*"))): x.endswith("*") for x in options.exclude}
    for x in FRONT_BACK_MATTER:
        names.setdefault("-".join(_words(x.rstrip("*"))), x.endswith("*"))
    prefixes = tuple(k for k, prefix in names.items() if prefix)

    def excluded(text: str) -> bool:
        key = "-".join(_words(text))
        return key in names or (bool(prefixes) and key.startswith(prefixes))

    return excluded


def _note_heading(doc: Document, at: int) -> bool:
    """A sentence set as a heading, with nothing under it before the next heading of its
    level ("#### Papers of the week are marked with :boom:"): a note, not a section."""
    headings = doc.headings
    if at + 1 >= len(headings):
        return False
    heading, following = headings[at], headings[at + 1]
    between = doc.source.text[heading.span.end : following.span.start]
    return (
        not between.strip() and following.level == heading.level and len(_words(heading.text)) >= 6
    )


def _parents(targets: Sequence[Target]) -> list[int | None]:
    """Index of each heading's parent (the nearest heading above it with a lower level)."""
    stack: list[Target] = []
    out: list[int | None] = []
    for target in targets:
        while stack and stack[-1].heading.level >= target.heading.level:
            stack.pop()
        out.append(stack[-1].index if stack else None)
        stack.append(target)
    return out


def _expected(
    doc: Document,
    index: AnchorIndex,
    listed: set[int],
    options: TocOptions,
    min_level: int,
    max_level: int,
) -> list[Target]:
    """The headings the TOC must list, in document order."""
    toc = doc.toc
    assert toc is not None
    toc_heading = _heading_index(doc, toc.heading)
    toc_start = toc.span.start
    above = {
        index.targets[i].heading.level
        for i in listed
        if index.targets[i].heading.span.start < toc_start
    }
    excluded = _excluder(options)
    candidates: list[Target] = []
    excluded_level: int | None = None  # inside an excluded section (its subsections too)
    for target in index.targets:
        heading = target.heading
        if excluded_level is not None and heading.level <= excluded_level:
            excluded_level = None
        if target.index in listed:  # what the TOC lists stays in it
            candidates.append(target)
            continue
        if excluded_level is not None:
            continue
        if excluded(heading.text) or is_toc_heading(heading.text, options.headings):
            excluded_level = heading.level  # back matter, the TOC's own heading, a sub-TOC
            continue
        if not min_level <= heading.level <= max_level or target.index == toc_heading:
            continue
        if heading.span.start < toc_start and heading.level not in above:
            continue  # sections above the TOC are listed only when the TOC does so
        if _note_heading(doc, target.index):
            continue
        candidates.append(target)
    configured = options.max_level is not None  # levels asked for: every heading in them
    parents = _parents(index.targets)
    groups: dict[int | None, list[Target]] = {}
    for target in candidates:
        groups.setdefault(parents[target.index], []).append(target)
    keep: set[int] = set()
    for parent, siblings in groups.items():
        shown = sum(1 for t in siblings if t.index in listed)
        top = parent is None or index.targets[parent].heading.level < min_level
        if top or configured or shown >= SIBLING_COVERAGE * len(siblings):
            keep.update(t.index for t in siblings)
        else:
            keep.update(t.index for t in siblings if t.index in listed)
    return [t for t in candidates if t.index in keep]


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


def regenerate_toc(
    doc: Document, options: TocOptions | None = None, keep_order: bool = False
) -> str | None:
    """The TOC block (the text of ``doc.toc.span``) rebuilt: every expected heading, link text
    = heading text, the document's marker and indentation; in document order, or in the TOC's
    own order with missing headings inserted after their predecessor (``keep_order``). Items
    that are already right are kept byte for byte. None when the document has no TOC."""
    layout = toc_layout(doc, options)
    if layout is None:
        return None
    return render(doc, layout, keep_order)


def render(doc: Document, layout: Layout, keep_order: bool = False) -> str:
    text = doc.source.text
    toc = layout.toc
    by_heading: dict[int, Resolved] = {}
    strength = {"slug": 0, "html": 0, "text": 1, "near": 2, None: 3}
    for r in layout.resolved:
        if r.heading is not None:
            current = by_heading.get(r.heading)
            if current is None or strength[r.via] < strength[current.via]:
                by_heading[r.heading] = r
    encode = _percent_style(toc)

    def line_of(target: Target) -> str:
        depth = layout.depth.get(target.heading.level, 0)
        return _item_line(text, toc, target, depth, by_heading.get(target.index), encode)

    # (heading index or None, line): items pointing at another anchor, or at an anchor that
    # is broken and names no heading (toc-anchor reports it; a person decides), stay as
    # written after the item they follow.
    slots: list[tuple[int | None, str]] = []
    expected = {t.index: t for t in layout.expected}
    if keep_order:
        for r in layout.resolved:
            if r.heading is not None and r.heading in expected and by_heading[r.heading] is r:
                slots.append((r.heading, line_of(expected[r.heading])))
            elif r.heading is None:  # another anchor, or a broken one no heading claims
                slots.append((None, text[r.item.span.start : r.item.span.end]))
        present = {h for h, _ in slots if h is not None}
        for target in layout.expected:
            if target.index in present:
                continue
            before = [h for h in expected if h < target.index and h in present]
            at = 0
            if before:
                at = next(k for k, (h, _) in enumerate(slots) if h == before[-1]) + 1
            slots.insert(at, (target.index, line_of(target)))
            present.add(target.index)
    else:
        kept_after: dict[int | None, list[str]] = {}
        previous: int | None = None
        for r in layout.resolved:
            if r.heading is not None:
                previous = r.heading
            else:
                kept_after.setdefault(previous, []).append(
                    text[r.item.span.start : r.item.span.end]
                )
        slots.extend((None, line) for line in kept_after.get(None, ()))
        for target in layout.expected:
            slots.append((target.index, line_of(target)))
            slots.extend((None, line) for line in kept_after.get(target.index, ()))
    return ("\n\n" if _loose(text, toc) else "\n").join(line for _, line in slots)


def _loose(text: str, toc: Toc) -> bool:
    """Items separated by blank lines (a loose list)."""
    items = toc.items
    return len(items) > 1 and all(
        any(not line.strip() for line in text[a.span.end : b.span.start].split("\n")[1:-1])
        for a, b in itertools.pairwise(items)
    )


def _percent_style(toc: Toc) -> bool:
    """The TOC writes non-ASCII anchors percent-encoded (``#%E7%9B%AE``), not raw (``#目录``)."""
    encoded = raw = 0
    for item in toc.items:
        anchor = item.anchor
        raw += not anchor.isascii()
        encoded += anchor.isascii() and not decode_fragment("#" + anchor).isascii()
    return encoded > raw


def toc_href(toc: Toc, anchor: str) -> str:
    """``#anchor`` written the way this TOC writes its anchors (raw, or percent-encoded)."""
    return href_encoded(anchor) if _percent_style(toc) else href(anchor)


def _item_line(
    text: str, toc: Toc, target: Target, depth: int, existing: Resolved | None, encode: bool
) -> str:
    anchor = target.anchor
    _href = href_encoded if encode else href
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
            written = text[link.url_span.start : link.url_span.end] if link.url_span else None
            new_link = f"[{_label(target.heading)}]({written or _href(anchor)})"
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


_RAW_UNSAFE = re.compile(r"[\[\]<>!\n]|\\$")
_ESCAPE = re.compile(r"([\\\[\]*_`<])")


def _label(heading: Heading) -> str:
    """Link text for a heading: its source when that is plain inline markup, else its text."""
    raw = heading.raw.strip()
    if raw and not _RAW_UNSAFE.search(raw):
        return raw
    return _ESCAPE.sub(r"\\\1", _norm(heading.text))
