"""Paper identity: what makes two entries the same paper.

An entry's identity is its normalised title and the paper identifiers of its links
(:func:`paper_identity`, compared by the duplicate check); :func:`entry_key` is one stable
string for an entry (its preferred paper id, else its title, else a link), which baselines
use to recognise a finding's entry after edits move it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from readme_tools.identifiers import PAPER_KINDS, Identifier, canonical_url, identify
from readme_tools.model import Entry

__all__ = [
    "entry_key",
    "entry_paper_ids",
    "normalize_title",
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
