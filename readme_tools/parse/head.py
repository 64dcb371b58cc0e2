"""The default entry grammar: checkbox, venue prefix, bold name, title, venue tag and links.

The default grammar is ``[x] **Name**: Title. VENUE [Paper](…) [Code](…)``; the name, the
checkbox and the venue are optional, and the title needs its final '.', '?' or '!' only where
a venue tag follows it. This module has one function per part of an entry line;
:func:`readme_tools.parse.entryline.parse_head` applies them in order, and hands lines in other
layouts to :mod:`readme_tools.parse.layouts`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from readme_tools.model import EntryLayout, EntryRole, Link, Span
from readme_tools.parse.offsets import TRIM, InlineMap, inline_pos
from readme_tools.venues import trailing_venue, venue_like

__all__ = [
    "CHECKBOX_RE",
    "NAME_RE",
    "TERMINATOR_RE",
    "HeadParts",
    "bold_name",
    "checkbox",
    "grammar_parts",
    "lead_venue",
    "link_run",
    "link_spans",
]

CHECKBOX_RE = re.compile(r"\[([ xX])\](?=[ \t\u00a0]|$)")
NAME_RE = re.compile(r"(\*\*|__)(?P<name>[^*_\n](?:[^\n]*?[^*_\n])?)\1(?P<sep>[ \t]*[:：])?[ \t]*")
TERMINATOR_RE = re.compile(r"[.?!。？！](?=\s|$)")
_LAST_TERMINATOR_RE = re.compile(r".*[.?!。？！](?=\s|$)", re.DOTALL)  # greedy: the last one
# A venue written before the title: "[**Nature Medicine, 2024**] ", "(*ICLR'25*) ", "[arXiv] ".
_LEAD_VENUE_RE = re.compile(
    r"(?P<open>[\[(])[ \t]*(?P<em>\*\*|__|\*|_)?(?P<venue>[^\[\]()*_\n]{2,48}?)(?P=em)?[ \t]*"
    r"(?P<close>[\])])(?![(\[])[ \t]*"
)
# A date before the title: "[2023/10] ", "(2024.05) ", "`2023/07` | ", "2024-05-16: ".
_LEAD_DATE_RE = re.compile(
    r"[ \t]*(?:[\[(`*]{1,3}\d{4}[./\-]\d{1,2}(?:[./\-]\d{1,2})?[\])`*]{1,3}"
    r"|\d{4}[./\-]\d{1,2}(?:[./\-]\d{1,2})?(?=[ \t]*[:|]))[ \t]*[:|]?[ \t]*"
)
# What may stand between two links of the run that ends an entry line: "[[Paper](…)] | [[Code](…)]".
_BETWEEN_LINKS = frozenset(" \t\n[](),|/·•-–—:;*_")
_MAX_NAME_WORDS = 6  # a bold "name" longer than this with no ':' after it is a bold title


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
    layout: EntryLayout = "grammar"
    role: EntryRole = "paper"
    name_sep: bool = True  # ':' follows the bold name
    stopped: bool = True  # the title ends with '.', '?' or '!' before the venue tag


def grammar_parts(
    content: str,
    pos: int,
    run: tuple[int, int],
    spans: Sequence[tuple[int, int]],
    inline: InlineMap,
    parts: HeadParts,
) -> None:
    """Read the text between the bold name (at ``pos``) and the link run with the grammar:
    title and venue tag, and whether the whole line follows the grammar."""
    start, end = run
    body = content[pos:start].rstrip(TRIM)
    if not body:
        return
    _title_and_venue(content, pos, body, inline, parts)
    parts.grammar = bool(
        parts.layout == "grammar"
        and (parts.name is None or parts.name_sep)
        and (parts.venue is None or parts.stopped)
        and start < len(content)
        and (end == len(content) or not content[end:].strip(TRIM))
        and ("\n" not in content or "\n" not in content.strip(TRIM))
        and (spans[0][0] >= start or not any(pos <= s < start for s, _ in spans))
    )


def checkbox(content: str, inline: InlineMap, parts: HeadParts) -> int:
    match = CHECKBOX_RE.match(content)
    if not match:
        return 0
    parts.checkbox = match.group(1)
    parts.checkbox_span = inline.span(match.start(), match.end())
    pos = match.end()
    while pos < len(content) and content[pos] in " \t\u00a0":
        pos += 1
    return pos


def lead_venue(content: str, pos: int, inline: InlineMap, parts: HeadParts) -> int:
    """``[**Venue, Year**] …``: a venue before the title (the venue-first layout)."""
    if pos >= len(content) or content[pos] not in "[(":
        return pos
    match = _LEAD_VENUE_RE.match(content, pos)
    if not match or (match.group("open") == "[") != (match.group("close") == "]"):
        return pos
    venue = match.group("venue").strip()
    if not venue_like(venue, lead=True):
        return pos
    start = match.start("venue") + len(match.group("venue")) - len(match.group("venue").lstrip())
    parts.venue = venue
    parts.venue_span = inline.span(start, start + len(venue))
    parts.layout = "venue-first"
    return match.end()


def link_spans(inline: InlineMap, links: Sequence[Link]) -> list[tuple[int, int]]:
    """Content offsets of the non-image links, in order."""
    if len(inline.origins) == 1:  # one line: offsets shift by its origin
        origin = inline.origins[0]
        spans = [(lk.span.start - origin, lk.span.end - origin) for lk in links if not lk.image]
    else:
        spans = [
            (inline_pos(inline, lk.span.start), inline_pos(inline, lk.span.end))
            for lk in links
            if not lk.image
        ]
    if any(spans[k][0] > spans[k + 1][0] for k in range(len(spans) - 1)):
        spans.sort()
    return spans


def link_run(content: str, pos: int, spans: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """``(start, end)`` of the run of links that ends the entry's text.

    The run is the last group of links at or after ``pos`` separated only by whitespace,
    brackets and list punctuation; text after it (``(great!)``) is not part of it. Without
    links: ``(len(content), len(content))``.
    """
    if not spans:
        return len(content), len(content)
    run_end = spans[-1][1]
    run_start = spans[-1][0]
    for start, end in reversed(spans[:-1]):
        if start < pos:
            break
        if all(c in _BETWEEN_LINKS for c in content[end:run_start]):
            run_start = start
        else:
            break
    if run_start < pos:
        return len(content), len(content)
    # Brackets around the first link belong to the run: "Title [[Paper](…)]".
    while run_start > pos and content[run_start - 1] in "[(":
        run_start -= 1
    while run_end < len(content) and content[run_end] in "])":
        run_end += 1
    return run_start, run_end


def bold_name(
    content: str, pos: int, run_start: int, inline: InlineMap, parts: HeadParts
) -> int | None:
    """A leading ``**Name**`` (with its ':'), or None when the bold text is the title."""
    match = NAME_RE.match(content, pos)
    if not match or "](" in match.group("name") or match.end("name") > run_start:
        return pos
    name = match.group("name").strip()
    sep = match.group("sep") is not None or name.endswith((":", "："))
    newline = content.find("\n", match.end())
    line_rest = content[match.end() : newline if newline >= 0 else len(content)].strip(TRIM)
    if not line_rest:
        return None  # "**Full Title** <br>": a bold title line
    if not sep and (
        line_rest.startswith(("<br", "\\", "*", "_", ".")) or len(name.split()) > _MAX_NAME_WORDS
    ):
        return None  # "**Title**. *Authors*", a long bold title with no ':' after it
    name = name.rstrip(":：").strip().strip("[]").strip()
    if not name:
        return pos
    parts.name = name
    parts.name_span = inline.span(match.start(), match.end("name") + len(match.group(1)))
    parts.name_sep = sep
    return match.end()


def _title_and_venue(
    content: str, pos: int, body: str, inline: InlineMap, parts: HeadParts
) -> None:
    """Split ``body`` (the text between name and links) into title and venue tag.

    The venue is what follows the title's last '.', '?' or '!' when it reads as a venue
    (``CVPR2025``, ``NeurIPS 2025 Spotlight``, ``MyConf2024``) — a subtitle after '?' is part
    of the title — or a known venue ending the body without the stop (``Title CVPR2025``).
    """
    if parts.layout == "venue-first":  # the venue came first: all of the body is the title
        _set_title(parts, inline, pos, body)
        return
    last = _LAST_TERMINATOR_RE.match(body)
    cut = last.end() if last else None
    venue_at = None
    if cut is not None:
        rest = body[cut:]
        text = rest.strip(TRIM)
        if text and venue_like(text):
            venue_at = cut + len(rest) - len(rest.lstrip(TRIM))
    parts.stopped = venue_at is not None
    if venue_at is None:
        venue_at = trailing_venue(body)
    if venue_at is None or venue_at <= 0:
        _set_title(parts, inline, pos, body)
        return
    venue = body[venue_at:].strip(TRIM)
    _set_title(parts, inline, pos, body[:venue_at])
    parts.venue = venue
    parts.venue_span = inline.span(pos + venue_at, pos + venue_at + len(venue))


def _set_title(parts: HeadParts, inline: InlineMap, pos: int, text: str) -> None:
    """The title, without a date written before it (``[2023/10] Title``)."""
    date = _LEAD_DATE_RE.match(text)
    if date:
        pos, text = pos + date.end(), text[date.end() :]
    title = text.strip(TRIM)
    if not title:
        return
    start = pos + len(text) - len(text.lstrip(TRIM))
    parts.title = title
    parts.title_span = inline.span(start, start + len(title))
