"""What document-wide rules need of the chunks an incremental run leaves unparsed.

Style inference counts boxes, names, grammar and link labels over all entries; the duplicate
check needs every paper's identity. For a chunk :mod:`readme_tools.incremental` did not parse,
both come from a cache of an earlier parse of the same text: an :class:`ElidedChunk`. The
document such a run builds is a :class:`PartialDocument`; :func:`elided_chunks` gives any
document's elided chunks (none for a full parse).

The cache holds these facts as JSON (:func:`encode_facts`, :func:`decode_facts`): it may be
restored from a shared cache (the GitHub Action's), so reading it must never run code, and
anything that is not exactly the expected shape is rejected (``ValueError``).
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any, NamedTuple, get_args

from readme_tools.identifiers import Identifier, IdKind
from readme_tools.model import Document, StyleCounts

__all__ = [
    "ChunkFacts",
    "ElidedChunk",
    "PaperFacts",
    "PartialDocument",
    "decode_facts",
    "elided_chunks",
    "encode_facts",
]


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


#: What the cache keeps of one chunk.
ChunkFacts = tuple[StyleCounts, tuple[PaperFacts, ...]]

_ID_KINDS = frozenset(get_args(IdKind))


def encode_facts(facts: ChunkFacts) -> list[Any]:
    """``facts`` as JSON-ready lists (Counter and dict order kept: ties follow it)."""
    counts, papers = facts
    style = [
        counts.entries,
        counts.boxes,
        dict(counts.ticked),
        counts.named,
        counts.grammar,
        {key: dict(spellings) for key, spellings in counts.labels.items()},
        counts.shaped,
        counts.distinct,
        counts.tagged,
    ]
    # One flat list per paper: the fixed fields, then kind, value, kind, value, ...: fewer JSON
    # lists to read back than one list per identifier.
    return [
        style,
        [
            [
                p.line,
                p.title,
                p.raw_title,
                p.name,
                list(p.years),
                p.copy,
                p.group,
                p.kind,
                *itertools.chain.from_iterable(p.ids),
            ]
            for p in papers
        ],
    ]


def decode_facts(data: Any) -> ChunkFacts:
    """The inverse of :func:`encode_facts`; ``ValueError`` for anything else."""
    style, papers = _list(data, 2)
    entries, boxes, ticked, named, grammar, labels, shaped, distinct, tagged = _list(style, 9)
    counts = StyleCounts(
        entries=_int(entries),
        boxes=_int(boxes),
        ticked=_counter(ticked),
        named=_int(named),
        grammar=_int(grammar),
        labels={_str(key): _counter(value) for key, value in _dict(labels).items()},
        shaped=_int(shaped),
        distinct=_int(distinct),
        tagged=_int(tagged),
    )
    return counts, _papers(papers)


_FIXED = 8  # line, title, raw_title, name, years, copy, group, kind
_SHAPE = "expected [line, title, raw_title, name, years, copy, group, kind, id kind, id, ...]"


def _papers(items: Any) -> tuple[PaperFacts, ...]:
    # A list of 20,000 entries has 20,000 of these: checks written out inline, tuples built
    # directly.
    out: list[PaperFacts] = []
    append, new, kinds = out.append, tuple.__new__, _ID_KINDS
    for item in _list(items):
        if type(item) is not list or len(item) < _FIXED or (len(item) - _FIXED) % 2:
            raise ValueError(_SHAPE)
        line, title, raw_title, name, years, copy, group, kind = item[:_FIXED]
        if (
            type(line) is not int
            or type(title) is not str
            or type(raw_title) is not str
            or type(name) is not str
            or type(years) is not list
            or any(type(y) is not int for y in years)
            or type(copy) is not str
            or type(group) is not int
            or type(kind) is not str
        ):
            raise ValueError(_SHAPE)
        ids = []
        for k in range(_FIXED, len(item), 2):
            id_kind, value = item[k], item[k + 1]
            if id_kind not in kinds or type(value) is not str:
                raise ValueError(f"not an identifier: {id_kind!r}, {value!r}")
            ids.append(new(Identifier, (id_kind, value)))
        fields = (line, title, tuple(ids), raw_title, name, tuple(years), copy, group, kind)
        append(new(PaperFacts, fields))
    return tuple(out)


def _list(value: Any, length: int | None = None) -> list[Any]:
    if type(value) is not list or (length is not None and len(value) != length):
        raise ValueError("expected a list" + (f" of {length}" if length is not None else ""))
    return value


def _dict(value: Any) -> dict[Any, Any]:
    if type(value) is not dict:
        raise ValueError("expected an object")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("expected an integer")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise ValueError("expected a string")
    return value


def _counter(value: Any) -> Counter[str]:
    return Counter({_str(key): _int(count) for key, count in _dict(value).items()})
