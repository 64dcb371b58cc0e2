"""Stage 3 for incremental runs: parse only the chunks a change touches.

``--changed-since`` / ``--staged`` report findings on changed lines only, but rules need
the whole document: style is inferred from every entry, duplicates are searched across the
list, the TOC is checked against every heading. :func:`parse_changed` cuts the text into
chunks (:mod:`readme_tools.chunks`) and builds a :class:`~readme_tools.model.Document` in
which

* chunks with a changed line, chunks that are not plain, and the chunks the TOC detection
  reads are parsed in full;
* of every other chunk only its heading is parsed, and what document-wide rules need of its
  entries (:class:`~readme_tools.facts.ElidedChunk`) comes from a cache keyed by the chunk's
  text, written by an earlier run. A chunk missing from the cache is parsed in full, so a
  first run costs a full parse and the result never depends on the cache's state.

The findings on changed lines are the full run's (tested on generated edits). The cache is
one JSON file per linted path under ``$README_TOOLS_CACHE_DIR`` (default
``~/.cache/readme-tools``), holding only the file's current chunks. It may come from a shared
cache (the GitHub Action restores it from the Actions cache), so it is data only, never code:
a file of another format version, another readme-tools or markdown-it-py version, or of any
unexpected shape counts as empty.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import hashlib
import json
import os
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any, Final

import markdown_it
from markdown_it.token import Token

from readme_tools.chunks import Chunk, split
from readme_tools.config import TocOptions
from readme_tools.facts import (
    ChunkFacts,
    ElidedChunk,
    PartialDocument,
    decode_facts,
    encode_facts,
)
from readme_tools.files import atomic_write, cache_dir
from readme_tools.identity import list_groups, paper_facts
from readme_tools.model import Document, Entry, StyleCounts
from readme_tools.parse import chunk_block, parse, parse_toc_chunks
from readme_tools.source import Source
from readme_tools.version import __version__

__all__ = ["parse_changed"]

#: The cache's format, and the versions whose parse it holds (version 1 was a pickle; 3
#: keeps the duplicate check's paper fields).
_FORMAT: Final = f"chunks-4;readme-tools={__version__};markdown-it-py={markdown_it.__version__}"
#: A cache file larger than this is not read (a 20,000-entry list's is a few MB).
_MAX_CACHE_BYTES: Final = 64 << 20
FactsCache = dict[bytes, ChunkFacts]


def _key(text: str) -> bytes:
    data = text.encode("utf-8", "surrogatepass")
    return hashlib.sha1(data, usedforsecurity=False).digest()


def cache_path(path: str) -> Path:
    name = hashlib.sha256(os.path.abspath(path).encode("utf-8", "surrogatepass")).hexdigest()
    return cache_dir() / "chunks" / f"{name[:24]}.json"


def load_cache(path: Path) -> FactsCache:
    """The cached facts by chunk key; empty when the file is missing, foreign or damaged."""
    try:
        if path.stat().st_size > _MAX_CACHE_BYTES:
            return {}
        data: Any = json.loads(path.read_bytes().decode("utf-8", "surrogatepass"))
        if type(data) is not dict or data.get("format") != _FORMAT:
            return {}
        chunks = data.get("chunks")
        if type(chunks) is not dict:
            return {}
        return {bytes.fromhex(key): decode_facts(value) for key, value in chunks.items()}
    except Exception:  # missing, truncated, foreign, too deep: a cache is only ever a shortcut
        return {}


def save_cache(path: Path, facts: FactsCache) -> None:
    data = {"format": _FORMAT, "chunks": {key.hex(): encode_facts(f) for key, f in facts.items()}}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(str(path), text.encode("utf-8", "surrogatepass"))


def chunk_facts(entries: Iterable[Entry], first_line: int) -> ChunkFacts:
    """What document-wide rules need of a chunk's entries (lines relative to ``first_line``)."""
    counts = StyleCounts()
    papers = []
    entries = list(entries)
    for entry, group in zip(entries, list_groups(entries), strict=True):
        counts.add(entry)
        if entry.role == "paper":  # news lines are never duplicates (the section: see rules)
            papers.append(paper_facts(entry, first_line, group))
    return counts, tuple(papers)


def parse_changed(
    source: Source,
    toc_options: TocOptions,
    lines: Collection[int],
    cache: Path | None = None,
) -> Document:
    """The document model for findings on ``lines`` (1-based), parsing as little as it can."""
    chunks = split(source.text, source.line_starts)
    if chunks is None or len(chunks) < 3:
        return parse(source, toc_options)
    known: FactsCache = load_cache(cache) if cache is not None else {}
    dirty = {_chunk_of(chunks, line - 1) for line in lines}
    keys: dict[int, bytes] = {}
    blocks: dict[int, list[Token]] = {}  # the chunks parsed in full
    for index, chunk in enumerate(chunks):
        if chunk.plain:  # changed or not: a later run may find it unchanged
            keys[index] = key = _key(_text_of(source, chunk))
            if key in known and index not in dirty:
                continue
        blocks[index] = chunk_block(source, chunk)
    parse_toc_chunks(source, chunks, blocks, toc_options)  # adds to blocks
    tokens: list[Token] = []
    for index, chunk in enumerate(chunks):
        tokens += blocks[index] if index in blocks else chunk_block(source, chunk, whole=False)
    doc = parse(source, toc_options, block=(tokens, {}))

    section_at = {heading.line - 1: k + 1 for k, heading in enumerate(doc.headings)}
    toc_first, toc_end = (
        (source.position(doc.toc.span.start)[0] - 1, source.position(doc.toc.span.end)[0])
        if doc.toc is not None
        else (0, 0)
    )
    elided: list[ElidedChunk] = []
    fresh: FactsCache = {}
    by_chunk = _entries_by_chunk(chunks, doc.entries)
    for index, key in keys.items():
        chunk = chunks[index]
        if index not in blocks:
            counts, papers = fresh[key] = known[key]
            section = section_at.get(chunk.start, 0)
            elided.append(ElidedChunk(chunk.start + 1, section, counts, papers))
        elif not (chunk.start < toc_end and toc_first < chunk.end):  # TOC items: no entries
            fresh[key] = chunk_facts(by_chunk.get(index, ()), chunk.start + 1)
    if cache is not None and fresh.keys() != known.keys():
        save_cache(cache, fresh)
    if not elided:
        return doc
    fields = {f.name: getattr(doc, f.name) for f in dataclasses.fields(doc)}
    return PartialDocument(**fields, elided=tuple(elided))


def _chunk_of(chunks: tuple[Chunk, ...], line0: int) -> int:
    """Index of the chunk holding 0-based line ``line0`` (the last one past the end)."""
    return max(bisect.bisect_right(chunks, line0, key=lambda chunk: chunk.start) - 1, 0)


def _text_of(source: Source, chunk: Chunk) -> str:
    start, end = source.lines_span(chunk.start + 1, chunk.end)
    return source.text[start:end]


def _entries_by_chunk(
    chunks: tuple[Chunk, ...], entries: Iterable[Entry]
) -> dict[int, list[Entry]]:
    out: dict[int, list[Entry]] = {}
    for entry in entries:
        out.setdefault(_chunk_of(chunks, entry.line - 1), []).append(entry)
    return out
