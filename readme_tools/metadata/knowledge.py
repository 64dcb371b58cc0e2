"""Gather what is known about one entry's paper, from the lock or from a fresh lookup."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from readme_tools.identifiers import Identifier
from readme_tools.metadata.evidence import PaperFacts
from readme_tools.metadata.facts import (
    AnyFacts,
    ArxivFacts,
    CrossrefFacts,
    DblpFacts,
    OpenReviewFacts,
    S2Facts,
)

#: ``(key, source) -> facts or None``: the lock's :meth:`~readme_tools.metadata.lock.Lock.facts`.
Getter = Callable[[str, str], AnyFacts | None]


def paper_facts(ids: Iterable[Identifier], get: Getter) -> PaperFacts:
    """Everything ``get`` knows about the paper with these identifiers (primary first).

    Crossref facts are read for every DOI the paper has (its own, or one Semantic Scholar or
    arXiv gives), and the dblp title search from the primary identifier's record.
    """
    ids = list(ids)
    facts = PaperFacts(
        arxiv_ids=tuple(i.value for i in ids if i.kind == "arxiv"),
        dois=tuple(i.value for i in ids if i.kind == "doi"),
    )
    for ident in ids:
        found = get(ident.key, "arxiv")
        if isinstance(found, ArxivFacts) and found.found:
            facts.arxiv.append((ident.value, found))
        s2 = get(ident.key, "s2")
        if isinstance(s2, S2Facts) and s2.found:
            facts.s2.append(s2)
        note = get(ident.key, "openreview")
        if isinstance(note, OpenReviewFacts) and note.found:
            facts.openreview.append(note)
    if ids:
        dblp = get(ids[0].key, "dblp")
        if isinstance(dblp, DblpFacts):
            facts.dblp.extend(dblp.hits)
    for doi in sorted(facts.known_dois()):
        cr = get(f"doi:{doi}", "crossref")
        if isinstance(cr, CrossrefFacts) and cr.found:
            facts.crossref.append((doi, cr))
    return facts
