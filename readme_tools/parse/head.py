"""The entry grammar: an entry line split into checkbox, bold name, title, venue and links.

The default grammar is ``[x] **Name**: Title. VENUE [Paper](…) [Code](…)``. :func:`parse_head`
splits a list item's first paragraph into those parts (and says whether the whole line follows
the grammar); entries in other styles get a title from :func:`loose_title`,
:func:`bold_title` or :func:`table_title` so that paper identity can still be compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from readme_tools.model import Link, Span
from readme_tools.parse.offsets import TRIM, InlineMap, inline_pos

__all__ = [
    "CHECKBOX_RE",
    "NAME_RE",
    "TERMINATOR_RE",
    "HeadParts",
    "bold_title",
    "loose_title",
    "parse_head",
    "table_title",
]

CHECKBOX_RE = re.compile(r"\[([ xX])\](?=[ \t\u00a0]|$)")
NAME_RE = re.compile(r"(\*\*|__)(?P<name>[^*_\n](?:[^\n]*?[^*_\n])?)\1(?P<sep>[ \t]*[:：])?[ \t]*")
TERMINATOR_RE = re.compile(r"[.?!。？！](?=\s|$)")


@dataclass
class HeadParts:
    checkbox: str | None = None
    checkbox_span: Span | None = None
    name: str | None = None
    name_span: Span | None = None
    title: str | None = None
    title_span: Span | None = None
    venue: str | None = None
    venue_span: Span | None = None
    grammar: bool = False


def parse_head(content: str, inline: InlineMap, links: Sequence[Link]) -> HeadParts:
    """Split an entry line into checkbox, bold name, title, venue tag and trailing links."""
    parts = HeadParts()
    pos = 0
    match = CHECKBOX_RE.match(content)
    if match:
        parts.checkbox = match.group(1)
        parts.checkbox_span = inline.span(match.start(), match.end())
        pos = match.end()
        while pos < len(content) and content[pos] in " \t\u00a0":
            pos += 1
    separator_ok = True
    match = NAME_RE.match(content, pos)
    if match and "](" not in match.group("name"):
        parts.name = match.group("name").strip()
        parts.name_span = inline.span(match.start(), match.end("name") + len(match.group(1)))
        separator_ok = match.group("sep") is not None
        pos = match.end()
    # The tail: the maximal run of links (and whitespace) that ends the line.
    tail = len(content.rstrip(TRIM))
    span_starts = sorted(
        (inline_pos(inline, link.span.start), inline_pos(inline, link.span.end))
        for link in links
        if not link.image
    )
    trailing = 0
    for start, end in reversed(span_starts):
        if start >= pos and content[end:tail].strip(TRIM) == "":
            tail = start
            trailing += 1
        else:
            break
    body = content[pos:tail].rstrip(TRIM)
    if not body:
        return parts
    # In the default grammar the title is plain text: a link before the tail (a linked title,
    # "[**Title.**](url) *Authors.* Venue") means another entry style.
    linked_body = any(pos <= start < tail for start, _ in span_starts)
    terminators = list(TERMINATOR_RE.finditer(body))
    if terminators:
        cut = terminators[-1].end()
        title = body[:cut]
        rest = body[cut:]
        venue = rest.strip(TRIM)
        parts.title = title.strip(TRIM)
        t_start = pos + len(title) - len(title.lstrip(TRIM))
        parts.title_span = inline.span(t_start, pos + cut)
        if venue:
            v_start = pos + cut + (len(rest) - len(rest.lstrip(TRIM)))
            parts.venue = venue
            parts.venue_span = inline.span(v_start, v_start + len(venue))
    else:
        parts.title = body.strip(TRIM)
        parts.title_span = inline.span(pos, pos + len(body))
    parts.grammar = bool(
        separator_ok and terminators and trailing and "\n" not in body and not linked_body
    )
    return parts


_GENERIC_LABELS = frozenset({"pdf", "paper", "code", "arxiv", "github", "link", "project"})


def loose_title(content: str, links: Sequence[Link]) -> str | None:
    """Title of a list entry outside the default grammar: a leading ``[Title](url)``."""
    text = CHECKBOX_RE.sub("", content, count=1).lstrip(" \t\u00a0*_")
    if not text.startswith("[") or not links:
        return None
    first = min(links, key=lambda link: link.span.start)
    label = first.label.strip(TRIM)
    if not label or label.casefold().strip("[]") in _GENERIC_LABELS:
        return None
    return label.rstrip(".").strip() or None


def bold_title(content: str) -> str | None:
    """Title of a paragraph entry: its leading bold text (``**Title** \\``)."""
    match = re.match(r"(?:\*\*|__)([^*_\n]+)", content)
    return (match.group(1).strip().rstrip(".:").strip() or None) if match else None


def table_title(links: Sequence[Link], cells: Sequence[str] = ()) -> str | None:
    """The first link label of three or more words, else the longest such plain-text cell."""
    for link in links:
        label = link.label.strip(TRIM + "[]")
        if not link.image and len(label.split()) >= 3:
            return label
    texts = [c.strip(TRIM) for c in cells if len(c.split()) >= 3]
    return max(texts, key=len) if texts else None
