"""The stats block: numbers about the list, written between two marker comments.

::

    <!-- readme-tools:stats -->
    **45 papers** in 4 sections, 21 with code (47%).
    …
    <!-- /readme-tools:stats -->

The opening marker may name the parts wanted (default: all): ``total`` (the line above),
``sections`` (papers per section), ``venues`` (papers per venue and year). Papers are counted
once however often they are listed (by paper id, else title); a section counts its entries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from readme_tools.identity import entry_key
from readme_tools.listdata.markers import Marker, markers
from readme_tools.listdata.records import code_link, entry_venue, heading_path
from readme_tools.listdata.text import escape_inline
from readme_tools.model import Document, Entry
from readme_tools.venues import Vocabulary

__all__ = ["PARTS", "Block", "Stats", "blocks", "compute", "render"]

OPEN = "stats"
CLOSE = "/stats"
PARTS = ("total", "sections", "venues")
NO_VENUE = "no venue tag"


@dataclass(frozen=True)
class Block:
    """A stats block: its markers, and the text between them (offsets into Source.text)."""

    opening: Marker
    closing: Marker | None
    parts: tuple[str, ...]
    unknown: tuple[str, ...]  # marker arguments that are not parts

    @property
    def content_start(self) -> int:
        return self.opening.line_end

    @property
    def content_end(self) -> int:
        return self.closing.line_start if self.closing is not None else self.opening.line_end


def blocks(doc: Document) -> Iterator[Block | Marker]:
    """The stats blocks in order; a stray closing marker is yielded as the bare marker."""
    pending: Marker | None = None
    for marker in markers(doc):
        if marker.name == OPEN:
            if pending is not None:
                yield _block(pending, None)
            pending = marker
        elif marker.name == CLOSE:
            if pending is None:
                yield marker
            else:
                yield _block(pending, marker)
                pending = None
    if pending is not None:
        yield _block(pending, None)


def _block(opening: Marker, closing: Marker | None) -> Block:
    wanted = tuple(a for a in opening.args if a in PARTS)
    unknown = tuple(a for a in opening.args if a not in PARTS)
    return Block(opening, closing, tuple(p for p in PARTS if p in wanted) or PARTS, unknown)


@dataclass(frozen=True)
class Stats:
    papers: int
    with_code: int
    sections: tuple[tuple[str, int], ...]  # (label, entries), document order
    venues: tuple[tuple[str, int], ...]  # (label, papers), most first


def _inside(entry: Entry, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= entry.span.start < end for start, end in spans)


def _section_labels(doc: Document, indices: Sequence[int]) -> dict[int, str]:
    """Each section's heading text; sections whose texts collide get their heading path."""
    paths = {i: heading_path(doc, i) for i in indices}
    counts = Counter(p[-1] if p else "" for p in paths.values())
    out = {}
    for index, path in paths.items():
        text = path[-1] if path else "(before the first heading)"
        out[index] = " / ".join(path) if path and counts[path[-1]] > 1 else text
    return out


def compute(doc: Document, vocab: Vocabulary) -> Stats:
    """The numbers, from the entries outside stats blocks."""
    skip = [(b.content_start, b.content_end) for b in blocks(doc) if isinstance(b, Block)]
    seen: set[str] = set()
    with_code = 0
    per_section: Counter[int] = Counter()
    per_venue: Counter[str] = Counter()
    for entry in doc.entries:
        if skip and _inside(entry, skip):
            continue
        per_section[entry.section] += 1
        key = entry_key(entry)
        if key in seen:
            continue
        seen.add(key)
        with_code += code_link(entry) is not None
        found = entry_venue(doc, entry, vocab)
        if found is None:
            per_venue[NO_VENUE] += 1
        else:
            tag = found[1]
            name = tag.canonical or tag.name
            per_venue[f"{name} {tag.year}" if tag.year else name] += 1
    labels = _section_labels(doc, sorted(per_section))
    sections = tuple((labels[i], per_section[i]) for i in sorted(per_section))
    venues = sorted(per_venue.items(), key=lambda kv: (kv[0] == NO_VENUE, -kv[1], kv[0]))
    return Stats(len(seen), with_code, sections, tuple(venues))


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _table(header: str, rows: Sequence[tuple[str, int]]) -> list[str]:
    lines = [f"| {header} | Papers |", "| :-- | --: |"]
    lines += [f"| {escape_inline(label)} | {count} |" for label, count in rows]
    return lines


def render(stats: Stats, parts: Sequence[str] = PARTS) -> str:
    """The block's content (without the markers), ending with a blank line."""
    chunks: list[list[str]] = []
    if "total" in parts:
        noun = "paper" if stats.papers == 1 else "papers"
        sections = len(stats.sections)
        where = f" in {sections} section{'s' if sections != 1 else ''}" if sections > 1 else ""
        chunks.append(
            [
                f"**{stats.papers} {noun}**{where}, {stats.with_code} with code "
                f"({_percent(stats.with_code, stats.papers)})."
            ]
        )
    if "sections" in parts and stats.sections:
        chunks.append(_table("Section", stats.sections))
    if "venues" in parts and any(label != NO_VENUE for label, _ in stats.venues):
        chunks.append(_table("Venue", stats.venues))
    return "\n\n".join("\n".join(chunk) for chunk in chunks) + "\n\n"
