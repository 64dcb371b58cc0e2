"""What a list asks the sources about: each entry's paper ids and title, each code repository.

Reads only the document model's public fields and :mod:`readme_tools.identifiers`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from readme_tools.identifiers import Identifier, identify
from readme_tools.identity import entry_paper_ids, primary_paper_id
from readme_tools.model import Document, Entry, Link
from readme_tools.venues import parse_venue, vocabulary

_VOCAB = vocabulary()


@dataclass(frozen=True)
class PaperTarget:
    """One entry's paper: its identifiers (primary first) and its title as the list has it."""

    ids: tuple[Identifier, ...]
    title: str
    #: Tagged as a preprint (or untagged): a candidate for a venue update, the only kind of
    #: entry a dblp title search is spent on.
    preprint: bool = True

    @property
    def key(self) -> str:
        return self.ids[0].key


def entry_title(entry: Entry) -> str:
    """``Name: Title`` as the entry writes it (the form dblp and arXiv titles take)."""
    if not entry.title:
        return ""
    title = html.unescape(entry.title).strip().rstrip(".").strip()
    if not title:
        return ""
    return f"{entry.name}: {title}" if entry.name else title


def paper_target(entry: Entry) -> PaperTarget | None:
    ids = entry_paper_ids(entry)
    primary = primary_paper_id(ids)
    if primary is None:
        return None
    ordered = (primary, *(i for i in ids if i != primary))
    tag = parse_venue(entry.venue, _VOCAB) if entry.venue else None
    preprint = entry.venue is None or (tag is not None and tag.canonical == "arXiv")
    return PaperTarget(ordered, entry_title(entry), preprint)


def repo_of(link: Link) -> Identifier | None:
    """The repository a ``github.com/owner/repo[/…]`` link points at (``github:owner/repo``)."""
    if link.image or not link.url.lower().startswith(("https://github.com/", "http://github.com/")):
        return None
    ident = identify(link.url)
    if ident is None or ident.kind != "github":
        return None
    owner_repo = "/".join(ident.value.split("/")[:2])
    return Identifier("github", owner_repo)


def entry_repos(entry: Entry) -> list[tuple[Link, Identifier]]:
    out = []
    for link in entry.links:
        repo = repo_of(link)
        if repo is not None:
            out.append((link, repo))
    return out


def collect(docs: Iterable[Document]) -> tuple[list[PaperTarget], list[Identifier]]:
    """Every paper (one per primary id, first title wins) and repository of ``docs``."""
    papers: dict[str, PaperTarget] = {}
    repos: dict[str, Identifier] = {}
    for doc in docs:
        for entry in doc.entries:
            target = paper_target(entry)
            if target is not None and target.key not in papers:
                papers[target.key] = target
            for _, repo in entry_repos(entry):
                repos.setdefault(repo.key, repo)
    return list(papers.values()), list(repos.values())
