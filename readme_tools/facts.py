"""What document-wide rules need of the chunks an incremental run leaves unparsed.

Style inference counts boxes, names, grammar and link labels over all entries; the duplicate
check needs every paper's identity. For a chunk :mod:`readme_tools.incremental` did not parse,
both come from a cache of an earlier parse of the same text: an :class:`ElidedChunk`. The
document such a run builds is a :class:`PartialDocument`; :func:`elided_chunks` gives any
document's elided chunks (none for a full parse).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from readme_tools.identifiers import Identifier
from readme_tools.model import Document, StyleCounts

__all__ = ["ElidedChunk", "PaperFacts", "PartialDocument", "elided_chunks"]


class PaperFacts(NamedTuple):
    """A paper entry as the duplicate check compares entries (``identity.paper_facts``)."""

    line: int  # relative to the first line of its chunk (an elided one), else 1-based
    title: str  # normalised (``identity.normalize_title``), "" when the entry has none
    ids: tuple[Identifier, ...]
    raw_title: str = ""  # the title as written ("" when the entry has none)
    name: str = ""  # the bold short name, casefolded ("" when none)
    years: tuple[int, ...] = ()  # years the entry's text mentions (venue, date), sorted
    copy: str = ""  # digest of the entry line's text: equal for verbatim copies
    group: int = 0  # numbered-list group within its section (``identity.list_groups``)
    # "paper"; "label": a linked name with a description, whose label names a resource rather
    # than titling a paper; "mentions": a line linking several papers under their own names.
    kind: str = "paper"


class ElidedChunk(NamedTuple):
    """A chunk an incremental run did not parse: what document-wide rules need of it."""

    line: int  # 1-based first line (its heading)
    section: int  # index into Document.sections
    style: StyleCounts
    papers: tuple[PaperFacts, ...]


@dataclass(frozen=True)
class PartialDocument(Document):
    """A document whose ``entries`` are those of the parsed chunks only."""

    elided: tuple[ElidedChunk, ...] = ()


def elided_chunks(doc: Document) -> tuple[ElidedChunk, ...]:
    """The chunks an incremental run left unparsed (none for a full parse)."""
    return doc.elided if isinstance(doc, PartialDocument) else ()
