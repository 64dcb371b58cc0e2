"""Paper identity: what makes two entries the same paper.

An entry's identity is its normalised title and the paper identifiers of its links
(:func:`paper_identity`, compared by the duplicate check); :func:`entry_key` is one stable
string for an entry (its preferred paper id, else its title, else a link), which baselines
use to recognise a finding's entry after edits move it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from readme_tools.facts import PaperFacts
from readme_tools.identifiers import PAPER_KINDS, Identifier, canonical_url, identify
from readme_tools.model import Entry

__all__ = [
    "entry_key",
    "entry_paper_ids",
    "id_year",
    "list_groups",
    "normalize_title",
    "paper_facts",
    "paper_identity",
    "paper_ids",
    "primary_paper_id",
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
    return paper_ids([link.url for link in entry.links if not link.image])


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
    copy = hashlib.sha1(flat.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()
    return PaperFacts(
        line=entry.line - first_line,
        title=title,
        ids=ids,
        raw_title=entry.title or "",
        name=(entry.name or "").casefold(),
        years=years,
        copy=copy[:16],
        group=group,
    )


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
