"""From an id on the command line to a :class:`~.paper.Paper`: the lock first, then the sources.

Ids: an arXiv id or URL, a DOI (``10.…``, ``doi:…`` or a doi.org URL), an OpenReview URL
(``forum?id=`` / ``pdf?id=``). What is known comes from the metadata layer: the committed
lock (:mod:`readme_tools.metadata.lock`) when it has the paper, else — unless offline — the
same lookups as ``readme-tools sync`` (:func:`readme_tools.metadata.sync.gather`), which ask
arXiv, Semantic Scholar, OpenReview, Crossref and dblp. The venue is the strongest published
venue the evidence names (an OpenReview decision, a dblp record, a journal-ref…), else the one
an arXiv comment says the paper was accepted at, else ``arXiv`` and the id's year.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from readme_tools.identifiers import Identifier, identify_text, parse_arxiv_id
from readme_tools.listdata.paper import Paper, Venue, split_name
from readme_tools.metadata.evidence import PRESENTATIONS, PaperFacts, published
from readme_tools.metadata.facts import AnyFacts
from readme_tools.metadata.knowledge import paper_facts
from readme_tools.metadata.venuemap import venue_from_text
from readme_tools.venues import Vocabulary

__all__ = ["LookupError_", "paper_from_facts", "parse_ids", "resolve"]

_KINDS = ("arxiv", "doi", "openreview")
_ACCEPTED_RE = re.compile(
    r"\b(accepted|to appear|published|camera[- ]ready|in proceedings)\b", re.IGNORECASE
)
_DOI_RE = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_URL_RE = re.compile(r"https?://[^\s<>\"')\]]+")


class LookupError_(Exception):
    """An id that cannot be read or looked up (one line, for the user)."""


def parse_ids(texts: Sequence[str]) -> list[Identifier]:
    """The paper identifiers named on the command line, in order, without repeats."""
    out: list[Identifier] = []
    for text in texts:
        ident = identify_text(text)
        doi = _DOI_RE.match(text.strip())
        if doi is not None:  # a DOI stays a DOI (an ACL one too: Crossref knows it)
            ident = Identifier("doi", doi.group(1).lower())
        if ident is None or ident.kind not in _KINDS:
            raise LookupError_(f"{text!r} is not an arXiv id or URL, a DOI or an OpenReview URL")
        if ident not in out:
            out.append(ident)
    return out


Getter = Callable[[str, str], AnyFacts | None]


def _title(facts: PaperFacts) -> str:
    for _, ax in facts.arxiv:
        if ax.title:
            return ax.title
    for note in facts.openreview:
        if note.title:
            return note.title
    for _, cr in facts.crossref:
        if cr.title:
            return cr.title
    for s2 in facts.s2:
        if s2.title:
            return s2.title
    return ""


def _venue(facts: PaperFacts, ident: Identifier, vocab: Vocabulary) -> Venue | None:
    for evidence in published(facts, vocab):
        if evidence.strong:
            ref = evidence.ref
            qualifiers = (ref.qualifier,) if ref.qualifier and ref.qualifier != "Poster" else ()
            if ref.qualifier in PRESENTATIONS and ref.qualifier not in ("Oral", "Spotlight"):
                qualifiers = ()
            return Venue(ref.name, ref.year, qualifiers)
    for _, ax in facts.arxiv:
        if ax.comment and _ACCEPTED_RE.search(ax.comment):
            said = venue_from_text(ax.comment, vocab)
            if said is not None and said.name != "arXiv" and said.year is not None:
                return Venue(said.name, said.year, (said.qualifier,) if said.qualifier else ())
    if ident.kind == "arxiv":
        parsed = parse_arxiv_id(ident.value)
        return Venue("arXiv", parsed.year if parsed else None)
    return None


def _urls(facts: PaperFacts) -> tuple[str | None, str | None]:
    """(code, project page) named in an arXiv comment ("Code: https://github.com/…")."""
    code = page = None
    for _, ax in facts.arxiv:
        for url in _URL_RE.findall(ax.comment or ""):
            url = url.rstrip(".,;")
            if "github.com/" in url.lower() and code is None:
                code = url
            elif page is None and "arxiv.org" not in url.lower():
                page = url
    return code, page


def paper_from_facts(ident: Identifier, get: Getter, vocab: Vocabulary) -> Paper | None:
    """The paper ``get`` knows under ``ident``, or None when it knows no title."""
    facts = paper_facts([ident], get)
    title = _title(facts)
    if not title:
        return None
    name, short = split_name(title)
    code, page = _urls(facts)
    ids = [ident]
    for _, ax in facts.arxiv:
        if ax.doi and not ax.doi.lower().startswith("10.48550/"):
            ids.append(Identifier("doi", ax.doi.lower()))
    parsed = parse_arxiv_id(ident.value) if ident.kind == "arxiv" else None
    return Paper(
        title=short,
        name=name,
        ids=tuple(ids),
        venue=_venue(facts, ident, vocab),
        url=ident.url,
        code=code,
        page=page,
        month=(parsed.year, parsed.month) if parsed else None,
    )


@dataclass
class Resolved:
    papers: dict[Identifier, Paper]
    missing: dict[Identifier, str]  # why a paper could not be found


def resolve(
    idents: Sequence[Identifier],
    lock_get: Getter | None,
    vocab: Vocabulary,
    settings: object | None,
) -> Resolved:
    """Papers from the lock, then (``settings`` given) from the sources."""
    out = Resolved({}, {})
    todo: list[Identifier] = []
    for ident in idents:
        paper = paper_from_facts(ident, lock_get, vocab) if lock_get is not None else None
        if paper is not None:
            out.papers[ident] = paper
        else:
            todo.append(ident)
    if not todo:
        return out
    if settings is None:
        for ident in todo:
            out.missing[ident] = "not in the lock file (and --offline)"
        return out
    found, failed = _gather(todo, settings, vocab)

    def get(key: str, source: str) -> AnyFacts | None:
        value = found.get((key, source))
        if value is None and lock_get is not None:
            value = lock_get(key, source)
        return value

    for ident in todo:
        paper = paper_from_facts(ident, get, vocab)
        if paper is not None:
            out.papers[ident] = paper
        else:
            reason = failed.get(ident.key) or "no source knows this paper"
            out.missing[ident] = reason
    return out


def _gather(
    idents: Sequence[Identifier], settings: object, vocab: Vocabulary
) -> tuple[Mapping[tuple[str, str], AnyFacts], dict[str, str]]:
    import asyncio

    from readme_tools.metadata.settings import MetadataSettings
    from readme_tools.metadata.sync import gather, open_metadata_cache
    from readme_tools.metadata.targets import PaperTarget

    assert isinstance(settings, MetadataSettings)
    targets = [PaperTarget((ident,), "", True) for ident in idents]
    gathered = asyncio.run(
        gather(targets, [], settings, open_metadata_cache(settings), None, vocab)
    )
    failed: dict[str, str] = {}
    for reasons in gathered.failed.values():
        for key, reason in reasons.items():
            failed.setdefault(key, reason)
    return gathered.found, failed
