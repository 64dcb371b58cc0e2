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
    """A paper's identity, as the duplicate check compares entries."""

    line: int  # relative to the first line of its chunk
    title: str  # normalised (``identity.normalize_title``), "" when the entry has none
    ids: tuple[Identifier, ...]


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
    ]
    # One flat list per paper, [line, title, kind, value, kind, value, ...]: fewer JSON lists
    # to read back than [line, title, [[kind, value], ...]].
    return [style, [[p.line, p.title, *itertools.chain.from_iterable(p.ids)] for p in papers]]


def decode_facts(data: Any) -> ChunkFacts:
    """The inverse of :func:`encode_facts`; ``ValueError`` for anything else."""
    style, papers = _list(data, 2)
    entries, boxes, ticked, named, grammar, labels = _list(style, 6)
    counts = StyleCounts(
        entries=_int(entries),
        boxes=_int(boxes),
        ticked=_counter(ticked),
        named=_int(named),
        grammar=_int(grammar),
        labels={_str(key): _counter(value) for key, value in _dict(labels).items()},
    )
    return counts, _papers(papers)


def _papers(items: Any) -> tuple[PaperFacts, ...]:
    # A list of 20,000 entries has 20,000 of these: checks written out inline, tuples built
    # directly, and the common shape (one identifier) first.
    out: list[PaperFacts] = []
    append, new, kinds = out.append, tuple.__new__, _ID_KINDS
    for item in _list(items):
        if type(item) is not list:
            raise ValueError("expected [line, title, kind, value, ...]")
        size = len(item)
        if size == 4:
            line, title, kind, value = item
            if type(line) is not int or type(title) is not str:
                raise ValueError("expected [line, title, kind, value, ...]")
            if kind not in kinds or type(value) is not str:
                raise ValueError(f"not an identifier: {kind!r}, {value!r}")
            append(new(PaperFacts, (line, title, (new(Identifier, (kind, value)),))))
            continue
        if size < 2 or size % 2:
            raise ValueError("expected [line, title, kind, value, ...]")
        line, title = item[0], item[1]
        if type(line) is not int or type(title) is not str:
            raise ValueError("expected [line, title, kind, value, ...]")
        ids = []
        for k in range(2, size, 2):
            kind, value = item[k], item[k + 1]
            if kind not in kinds or type(value) is not str:
                raise ValueError(f"not an identifier: {kind!r}, {value!r}")
            ids.append(new(Identifier, (kind, value)))
        append(new(PaperFacts, (line, title, tuple(ids))))
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
