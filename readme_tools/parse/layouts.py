"""Entry layouts besides the default grammar, news lines, and what kind of section a heading opens.

Real lists write an entry in many ways; this module finds the title (and, where it is plain,
the venue) of each, so that paper identity and the metadata rules see the paper and not the
markup around it:

* bold title: ``**Full Title** <br> *Authors* <br> Venue. [Paper](…)`` (highlight blocks,
  ``**Title**. *Authors*. ACL 2019. [pdf](…)``, ``**Title (ICML 2021)**`` with sub-items);
* linked title: ``[Title](…)``, ``**[Title](…)**``, ``[**Title.**](…) *Authors* Venue``,
  ``GAN-Name - [Title](…)``, ``Paper: [Title](…)``, ``2023/10 | Name | [Title](…)``;
* quoted title: ``**Name**: "Title", *arXiv, 2024*`` and author-first items
  (``Authors.<br /> "Title." Venue (2024). [[paper](…)]``).

A line that announces something (``- [2024/05] Our paper [Title](…) has been accepted``) has
the role ``news``: it mentions a paper but is not one of the list's entries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from readme_tools.model import Link
from readme_tools.parse.head import HeadParts, link_run
from readme_tools.parse.offsets import TRIM, InlineMap
from readme_tools.venues import known_venue_in

__all__ = [
    "GENERIC_LABELS",
    "news_line",
    "read_layout",
    "table_title",
    "title_like",
    "unwrap_title",
]

# Link labels that name a kind of link, never a paper's title.
GENERIC_LABELS = frozenset(
    [
        "pdf",
        "paper",
        "papers",
        "code",
        "arxiv",
        "github",
        "link",
        "project",
        "project page",
        "page",
        "website",
        "web",
        "homepage",
        "home",
        "blog",
        "video",
        "demo",
        "slides",
        "poster",
        "data",
        "dataset",
        "model",
        "models",
        "huggingface",
        "hf",
        "doi",
        "openreview",
        "official",
        "repo",
        "论文",
        "代码",
        "网站",
        "项目",
        "主页",
    ]
)
_DATE = r"\d{4}(?:[./\-年]\d{1,2}(?:[./\-月]\d{1,2}日?)?)"
# Markup, emoji and dates that may open a line before its words.
_LEAD_RE = re.compile(
    rf"(?:[\s*_`>|\-–—:•]|\[\s*{_DATE}\s*\]|\(\s*{_DATE}\s*\)|{_DATE}|:[a-z_]+:|[^\w\s\[\]()\"'“”])*"
)
_NEWS_RE = re.compile(
    r"\b(?:we|our|us)\b[^.\n]{0,80}?\b(?:release[sd]?|releasing|publish(?:ed)?|present(?:ed)?"
    r"|update[sd]?|add(?:ed)?|launch(?:ed)?|open-?source[sd]?|organi[sz]e[sd]?|curated?)\b"
    r"|\b(?:has|have) been (?:accepted|released|published)\b"
    r"|\b(?:is|are|was|were) (?:accepted|released|published|online|out)\b"
    r"|\b(?:check out|congratulations|stay tuned)\b"
    r"|我们|发布|被.{0,12}(?:接收|录用)",
    re.IGNORECASE,
)
_QUOTED_RE = re.compile(
    r"[\"“”]{1}(?P<title>[^\"“”\n]{8,300}?)[\"“”]|''(?P<title2>[^'\n]{8,300}?)''"
)
_BREAK_RE = re.compile(r"<br\s*/?>|\\$|[ \t]{2,}$", re.IGNORECASE | re.MULTILINE)
_PREFIX_ENDS = frozenset(":：|-–—)")
_PREFIX_RE = re.compile(r"[^\[\]\n]{0,60}?(?:[:：|\-–—]|\))[ \t]*$")
_WORD_RE = re.compile(r"[^\W_]+")


def title_like(label: str) -> bool:
    """Whether a link label can be a paper's title (not ``[Paper]``, ``[[code]]``, ``[1]``)."""
    text = label.strip(TRIM + "[]*_").rstrip(".").strip()
    if not text or text.casefold() in GENERIC_LABELS:
        return False
    words = _WORD_RE.findall(text)
    return bool(words) and not all(w.isdigit() for w in words)


def unwrap_title(text: str) -> str | None:
    """A title as written, without markup around it and its final '.'."""
    title = text.strip(TRIM + "*_[]\"“”'").rstrip(".。").strip(TRIM + "*_")
    return title or None


def news_line(content: str) -> bool:
    """A line that announces something rather than lists a paper."""
    if content[:1].isalpha() and content[:2].casefold() not in ("we", "ou", "ch"):
        return False  # the common case: a title's first word
    lead = _LEAD_RE.match(content)
    start = lead.end() if lead else 0
    opening = content[:start]
    text = content[start : start + 200]
    dated = any(c.isdigit() for c in opening) or bool(re.match(r"(?i)(?:we|our|check out)\b", text))
    return (dated or bool(opening.strip())) and _NEWS_RE.search(text) is not None


def read_layout(
    content: str,
    pos: int,
    inline: InlineMap,
    links: Sequence[Link],
    spans: Sequence[tuple[int, int]],
    run: tuple[int, int],
    parts: HeadParts,
    bold_title: bool,
) -> bool:
    """Fill ``parts`` for a line outside the default grammar; False: read it with the grammar.

    ``pos`` is where the text after the checkbox, venue prefix and bold name starts; ``run``
    is the run of links that ends the line (:func:`~readme_tools.parse.head.link_run`).
    """
    if news_line(content[pos:]):
        parts.role = "news"
    if bold_title:
        _bold_title(content, pos, inline, spans, parts)
        return True
    start = run[0] if run[0] >= pos else link_run(content, pos, spans)[0]
    body = content[pos:start]
    first = next((lk for lk in links if not lk.image), None)
    if first is not None and _leads_with_link(content, pos, spans, body):
        label = first.label
        if title_like(label):
            parts.title = unwrap_title(label)
            parts.layout = "described" if _described(content, spans) else "linked-title"
            return True
    quoted = None
    if '"' in body or "“" in body or "''" in body:
        quoted = _QUOTED_RE.search(content, pos)
    if quoted is not None and quoted.start() < start:
        parts.title = unwrap_title(quoted.group("title") or quoted.group("title2"))
        parts.layout = "quoted"
        return True
    if "\n" in body and "\n" in body.strip(TRIM) and _BREAK_RE.search(body):
        # Lines broken with <br>: "Authors <br> Venue [Paper](…)", or "`2023/10` | `Name` ⏎
        # | `Authors` ⏎ ![badge] <br> ⏎ Title <br> ⏎ [[arXiv](…)]".
        parts.layout = "other"
        parts.title = _title_line(body)
        return True
    if parts.role == "news":
        parts.layout = "other"
        return True
    return False


def _leads_with_link(content: str, pos: int, spans: Sequence[tuple[int, int]], body: str) -> bool:
    """Whether the first link comes first, after at most a short prefix ("CaloGAN - ", "Paper: ",
    "`2023/10` | `Mistral` | "), or the body is only that prefix."""
    if not spans:
        return False
    first_start = spans[0][0]
    if first_start < pos:
        return False
    before = content[pos:first_start]
    stripped = before.strip(TRIM + "*_")
    if not stripped:
        return True
    if "\n" in stripped:
        return False
    prefix = before.rstrip(" *_")
    if prefix[-1:] not in _PREFIX_ENDS:
        return False
    return _PREFIX_RE.fullmatch(prefix) is not None and len(stripped.split()) <= 6


_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_AUTHORS_RE = re.compile(r"\bet al\b|(?:[^,]+,){2,}")


def _title_line(body: str) -> str | None:
    """Among lines broken with <br>, the one that reads as a title: words, not authors (commas,
    "et al."), badges, code spans or a venue."""
    for raw in body.split("\n"):
        line = _BREAK_RE.sub("", _IMAGE_RE.sub("", raw)).strip(TRIM + "|*_")
        if "`" in line or "](" in line or _AUTHORS_RE.search(line):
            continue
        if len(_WORD_RE.findall(line)) >= 3:
            return unwrap_title(line)
    return None


_DESCRIPTION_RE = re.compile(r"[*_)\]]*\s*[-–—:.：]\s+\S+\s+\S+")


def _described(content: str, spans: Sequence[tuple[int, int]]) -> bool:
    """``[Name](…) - a description``: words after the first link, set off by a dash or stop."""
    return _DESCRIPTION_RE.match(content, spans[0][1]) is not None


def _bold_title(
    content: str, pos: int, inline: InlineMap, spans: Sequence[tuple[int, int]], parts: HeadParts
) -> None:
    """``**Full Title**`` then a break, authors or '.': the bold text is the title; a known
    venue with its year in it (``**Title (ICML 2021)**``) or on the lines below it before the
    links (``NeurIPS 2025, [Paper](…)``, ``arXiv, 2022. [[Paper]](…)``) is its venue."""
    match = re.match(r"(\*\*|__)(?P<title>[^\n]+?)\1", content[pos:])
    if match is None:
        return
    text = match.group("title")
    parts.layout = "bold-title"
    paren = re.search(r"\s*\(([^()]{2,40})\)\s*$", text)
    if paren and known_venue_in(paren.group(1)):
        start = pos + match.start("title") + paren.start(1)
        _set_venue(parts, inline, start, paren.group(1))
        text = text[: paren.start()]
    parts.title = unwrap_title(text)
    if parts.venue is None:
        end = spans[0][0] if spans and spans[0][0] > pos + match.end() else len(content)
        _venue_below(content, pos + match.end(), end, inline, parts)


_VENUE_CANDIDATE_RE = re.compile(r"[A-Za-z][\w&\-]*(?: [A-Z][\w&\-]*)?,? ?'?(?:19|20)?\d{2}\b")
_ITALIC_RE = re.compile(r"(\*|_)[^*_\n]+\1")


def _venue_below(content: str, start: int, end: int, inline: InlineMap, parts: HeadParts) -> None:
    """The first known venue with a year between a bold title and the links, authors skipped."""
    text = _ITALIC_RE.sub(lambda m: " " * len(m.group()), content[start:end])
    for match in _VENUE_CANDIDATE_RE.finditer(text):
        if known_venue_in(match.group()):
            _set_venue(parts, inline, start + match.start(), match.group())
            return


def _set_venue(parts: HeadParts, inline: InlineMap, start: int, venue: str) -> None:
    parts.venue = venue.strip()
    parts.venue_span = inline.span(start, start + len(parts.venue))


def table_title(links: Sequence[Link], cells: Sequence[str] = ()) -> str | None:
    """A table row's title: the first link label of three or more words, else the longest
    plain-text cell of three or more words."""
    for link in links:
        label = link.label.strip(TRIM + "[]")
        if not link.image and len(label.split()) >= 3:
            return unwrap_title(label)
    texts = [c.strip(TRIM) for c in cells if len(c.split()) >= 3]
    return unwrap_title(max(texts, key=len)) if texts else None
