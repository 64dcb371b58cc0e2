"""Paper identity: what makes two entries the same paper.

An entry's identity is its normalised title and the paper identifiers of its links
(:func:`paper_identity`, compared by the duplicate check); :func:`entry_key` is one stable
string for an entry (its preferred paper id, else its title, else a link), which baselines
use to recognise a finding's entry after edits move it.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable
from functools import cache

from readme_tools.facts import PaperFacts
from readme_tools.identifiers import PAPER_KINDS, Identifier, canonical_url, identify
from readme_tools.model import Entry

__all__ = [
    "entry_key",
    "entry_paper_ids",
    "facts_kind",
    "id_year",
    "list_groups",
    "normalize_title",
    "paper_facts",
    "paper_identity",
    "paper_ids",
    "primary_paper_id",
    "same_title",
    "titles_conflict",
]

_WORD_RE = re.compile(r"[^\W_]+")  # the runs kept; everything between is one space


def normalize_title(title: str) -> str:
    """NFKC, casefold, punctuation and whitespace collapsed to single spaces."""
    if title.isascii():  # NFKC leaves ASCII alone, and casefold is lower
        text = title.lower()
        core = text.rstrip(".")
        if core.replace(" ", "").isalnum() and "  " not in core and core.strip(" ") == core:
            return core  # words separated by single spaces, maybe a final "." (the common case)
    else:
        text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_WORD_RE.findall(text))


# URLs that identify a repository at most, never a paper (skipped without parsing them).
_CODE_ONLY_PREFIXES = ("https://github.com/", "http://github.com/")


def paper_ids(urls: Iterable[str]) -> tuple[Identifier, ...]:
    """The distinct paper identifiers among ``urls``, in order (repositories left out)."""
    found = []
    for url in urls:
        if url.startswith(_CODE_ONLY_PREFIXES):
            continue
        ident = identify(url)
        if ident is not None and ident.kind != "github":
            found.append(ident)
    if len(found) < 2:
        return tuple(found)
    return tuple(dict.fromkeys(found))


def entry_paper_ids(entry: Entry) -> tuple[Identifier, ...]:
    """The paper ids of an entry's links (and of the links below its title, if any)."""
    links = entry.links + entry.extra_links if entry.extra_links else entry.links
    return paper_ids([link.url for link in links if not link.image])


def paper_identity(entry: Entry) -> tuple[str, tuple[Identifier, ...]]:
    """What the duplicate check compares: the normalised title ("" if none) and paper ids."""
    return (normalize_title(entry.title) if entry.title else ""), entry_paper_ids(entry)


def primary_paper_id(ids: Iterable[Identifier]) -> Identifier | None:
    """The preferred identifier: arXiv first, then DOI, ACL, OpenReview, CVF, NeurIPS, PMLR."""
    ranked = sorted(ids, key=lambda ident: PAPER_KINDS.index(ident.kind))
    return ranked[0] if ranked else None


def entry_key(entry: Entry) -> str:
    """Stable identity of an entry: its canonical paper id, else its title, else a link.

    ``arxiv:2412.04467``, ``doi:10.1145/…``, ``title:longer is better but …``,
    ``url:https://…`` (the first link in canonical form), or ``head:…`` as a last resort.
    """
    primary = primary_paper_id(entry_paper_ids(entry))
    if primary is not None:
        return primary.key
    if entry.title:
        title = normalize_title(entry.title)
        if title:
            return f"title:{title}"
    for link in entry.links:
        if link.url and not link.image:
            return f"url:{canonical_url(link.url)}"
    return f"head:{normalize_title(entry.head)}"


_NAMED_RE = re.compile(r"[^\W\d_]{2}")
_GENERIC_RE = re.compile(
    r"[\s\[\]*_]*(?:pdf|paper|papers|arxiv|abs|link|doi|openreview|论文|html|v\d+)[\s\[\]*_.]*",
    re.IGNORECASE,
)
_DESTINATION_RE = re.compile(r"\]\([^)\s]*\)|<https?://[^>]*>|https?://\S+")
_YEAR_RE = re.compile(r"(?<![\d.])(19[5-9]\d|20[0-4]\d)(?![\d])")
_CHECKBOX_RE = re.compile(r"^\[[ xX]\]\s*")


def list_groups(entries: Iterable[Entry]) -> list[int]:
    """For each entry, its group within its section: a numbered list that starts again at 1
    ("10. …" then "1. …") opens a new group, the way a survey lists a paper under two
    sub-categories that have no heading of their own."""
    groups: list[int] = []
    section, group = -1, 0
    last: dict[int, int] = {}  # depth → number of the last numbered item at that depth
    for entry in entries:
        if entry.section != section:
            section, group, last = entry.section, 0, {}
        marker = entry.marker or ""
        if marker[:-1].isdigit():
            number = int(marker[:-1])
            previous = last.get(entry.depth)
            if previous is not None and number <= 1 < previous:
                group += 1
            last[entry.depth] = number
        groups.append(group)
    return groups


def paper_facts(entry: Entry, first_line: int = 0, group: int = 0) -> PaperFacts:
    """What the duplicate check compares of ``entry`` (lines relative to ``first_line``)."""
    title, ids = paper_identity(entry)
    text = _DESTINATION_RE.sub(" ", entry.head)
    years = tuple(sorted({int(y) for y in _YEAR_RE.findall(text)}))
    flat = " ".join(_CHECKBOX_RE.sub("", entry.head).split()).casefold()
    data = flat.encode("utf-8", "surrogatepass")
    copy = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"  # no hashlib (3 ms to import)
    return PaperFacts(
        line=entry.line - first_line,
        title=title,
        ids=ids,
        raw_title=entry.title or "",
        name=(entry.name or "").casefold(),
        years=years,
        copy=copy,
        group=group,
        kind=facts_kind(entry),
    )


def facts_kind(entry: Entry) -> str:
    """How far the entry's line speaks for one paper (see ``PaperFacts.kind``)."""
    named = [
        link
        for link in entry.links
        if not link.image
        and not link.url.startswith(_CODE_ONLY_PREFIXES)
        and _NAMED_RE.search(link.label)
        and not _GENERIC_RE.fullmatch(link.label)
    ]
    if len(named) > 1 and len(set(paper_ids(link.url for link in named))) > 1:
        return "mentions"
    return "label" if entry.layout == "described" else "paper"


def id_year(ident: Identifier) -> int | None:
    """The year an identifier was issued in, where it says (arXiv: ``2201.07207`` → 2022)."""
    if ident.kind != "arxiv":
        return None
    match = re.match(r"(\d{2})(\d{2})\.\d{4,5}$", ident.value) or re.search(
        r"/(\d{2})(\d{2})\d{3}$", ident.value
    )
    if match is None:
        return None
    yy = int(match.group(1))
    return 1900 + yy if yy >= 90 else 2000 + yy


# --------------------------------------------------------------------------- titles

_MIN_TITLE = 12  # shorter normalised titles are compared exactly, never by containment

#: English function words: a title that starts with one says nothing yet about its paper
#: (also the words a BibTeX key skips, readme_tools.listdata.bibtex).
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "to",
        "from",
        "with",
        "towards",
        "toward",
        "when",
        "how",
        "what",
        "why",
        "is",
        "are",
        "do",
        "does",
        "can",
    ]
)
# Leading words that say nothing about which paper it is.
_COMMON_FIRST = FUNCTION_WORDS | frozenset(
    [
        "learning",
        "rethinking",
        "improving",
        "efficient",
        "unified",
        "large",
        "deep",
        "neural",
        "exploring",
        "understanding",
        "beyond",
    ]
)
# What follows a shared leading name in another paper's name: a version ("Mobile-Agent-v2",
# "Llama-2", "GPT-4"), not a model size ("DeepSeek-v2-236B-MoE").
_VERSION_RE = re.compile(r"v?\d+(?:\.\d+)*|\+\+|plus|pro|max|next|ii|iii|iv", re.IGNORECASE)


@cache
def _cjk_re() -> re.Pattern[str]:
    """Kana, CJK and Hangul (compiled on first use: a wide class costs 2 ms to compile, and
    only entries that share an id need it)."""
    return re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _lead_name(raw: str) -> str:
    """The first word of a title that has letters in it ("🏘️ ProcTHOR: …" → "procthor")."""
    token = next((t for t in raw.split() if any(c.isalpha() for c in t)), "")
    return token.strip(":：,.;!?()[]{}*_\"'“”").casefold()


def _same_lead(a: str, b: str) -> bool | None:
    """Whether two raw titles open with the same model name (None: no name to compare)."""
    x, y = _lead_name(a), _lead_name(b)
    if len(x) < 3 or len(y) < 3 or x in _COMMON_FIRST or y in _COMMON_FIRST:
        return None
    if x == y:
        return True
    short, long = (x, y) if len(x) < len(y) else (y, x)
    if long.startswith(short) and long[len(short)] in "-_ ":
        suffix = long[len(short) + 1 :].split("-", 1)[0]
        return _VERSION_RE.fullmatch(suffix) is None  # "-236b": a size; "-v2": another paper
    return None


def same_title(a: PaperFacts, b: PaperFacts) -> bool:
    """Whether two entries' titles plausibly name the same paper."""
    x, y = a.title, b.title
    if x == y or (len(x) >= _MIN_TITLE and len(y) >= _MIN_TITLE and (x in y or y in x)):
        return True
    lead = _same_lead(a.raw_title, b.raw_title)
    if lead is not None:
        return lead
    from difflib import SequenceMatcher  # rare: two entries with one id, titles apart

    return SequenceMatcher(None, x, y, autojunk=False).ratio() >= 0.8


def titles_conflict(a: PaperFacts, b: PaperFacts) -> bool:
    """Whether two entries that share an id are clearly about different papers."""
    if not a.title or not b.title or len(a.title.split()) < 2 or len(b.title.split()) < 2:
        return False  # nothing to compare
    if a.kind == "label" or b.kind == "label":
        return False  # "[SST / IMDB with DeBERTa-v3](…) - …" names a use of the paper
    if a.name and a.name == b.name:
        return False  # the same short name: a title reworded, not another paper
    cjk = _cjk_re()
    if bool(cjk.search(a.raw_title)) != bool(cjk.search(b.raw_title)):
        return False  # a translated title next to the original
    return not same_title(a, b)
