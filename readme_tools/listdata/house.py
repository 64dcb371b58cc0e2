"""The house style of a section: how its entries are written, learned from a neighbour.

A neighbour entry's line is cut into *pieces*: the parts a new paper fills in (checkbox, bold
name, title, venue tag, a date, links by role, badges) and the text between them, kept as
written. Text that belongs to the neighbour and cannot be filled for another paper (its
authors, its institute) is an ``unknown`` piece, left out of a list item and replaced by the
column's placeholder in a table row. The venue tag's spelling (``CVPR2025``, ``NeurIPS 2024``,
``AAAI'26``, ``arXiv`` without a year) and the link labels come from the whole document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from readme_tools.identifiers import Identifier
from readme_tools.listdata.badges import Role, link_role, shield
from readme_tools.listdata.records import _TOKEN_RE, split_cells
from readme_tools.listdata.text import plain
from readme_tools.model import Document, Entry, Link
from readme_tools.venues import Vocabulary, parse_venue

__all__ = [
    "House",
    "Piece",
    "Template",
    "learn_house",
    "link_role",
    "template_of",
]


_DATE_RE = re.compile(r"(?<![\d.])((?:19|20)\d{2})([.\-/])(\d{1,2})(?:([.\-/])(\d{1,2}))?(?![\d])")


@dataclass(frozen=True)
class Piece:
    kind: str  # text unknown checkbox name title venue date link open close badge pipe
    text: str = ""  # as written in the neighbour
    prefix: str = ""  # name/title: markup around the value inside the piece
    suffix: str = ""
    role: Role = ""  # link, close, badge
    label: str = ""  # link: its label as written


@dataclass
class Template:
    """A neighbour's line as pieces (a list item's head, or a table row's cells)."""

    kind: str  # "list" or "table"
    pieces: list[Piece]
    prefix: str  # the text before the head: "- " (list marker), "" for a table row
    source: Entry  # the neighbour
    ids: tuple[Identifier, ...] = ()  # the neighbour's identifiers (badges mention them)
    repo: str | None = None  # the neighbour's code repository owner/repo

    @property
    def roles(self) -> set[Role]:
        return {p.role for p in self.pieces if p.kind in ("link", "close", "badge")}

    def has(self, kind: str) -> bool:
        return any(p.kind == kind for p in self.pieces)

    @property
    def unknowns(self) -> int:
        return sum(p.kind == "unknown" for p in self.pieces)

    @property
    def usable(self) -> bool:
        """Whether a new paper can be written from it (its title was found)."""
        return self.has("title")


@dataclass
class House:
    """What the whole document says about spelling: venue tags and link labels."""

    venue_styles: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    labels: dict[Role, Counter[str]] = field(default_factory=dict)
    checkbox: Counter[str] = field(default_factory=Counter)
    placeholders: Counter[str] = field(default_factory=Counter)  # empty table cells: "-", ""
    common_badges: frozenset[str] = frozenset()  # badges repeated as they are on many entries
    code_style: Counter[str] = field(default_factory=Counter)  # "link" or "badge" (stars)
    #: venue badges: "compact" (badge/NeurIPS2024-orange) or "label" (badge/arXiv-2024-orange)
    venue_badges: Counter[str] = field(default_factory=Counter)
    samples: dict[str, tuple[str, str]] = field(default_factory=dict)  # "stars": (text, repo)

    def label(self, role: Role) -> str:
        found = self.labels.get(role)
        if found and found.most_common(1)[0][1] > 1:
            return found.most_common(1)[0][0]
        return {"paper": "Paper", "code": "Code", "page": "Page"}.get(role, role.title())


# ------------------------------------------------------------------------------- learning


def learn_house(doc: Document, vocab: Vocabulary) -> House:
    from readme_tools.listdata.records import entry_venue
    from readme_tools.metadata.targets import entry_repos

    house = House()
    badges: Counter[str] = Counter()
    for entry in doc.entries:
        found = entry_venue(doc, entry, vocab)
        if found is not None:
            tag = found[1]
            if tag.canonical is not None:
                house.venue_styles[(tag.canonical, tag.sep, len(tag.raw_year))] += 1
        if entry.checkbox is not None:
            house.checkbox[entry.checkbox] += 1
        for link in entry.links:
            if link.image or not link.label.strip():
                continue
            role = link_role(link, vocab)
            if plain(link.label).strip() and len(link.label) <= 20:
                house.labels.setdefault(role, Counter())[link.label.strip()] += 1
            if role == "code":
                house.code_style["link"] += 1
        for link in _top_links(entry):
            images = [
                lk
                for lk in entry.links
                if lk.image and link.span.start <= lk.span.start < link.span.end
            ]
            if images:
                raw = doc.source.text[link.span.start : link.span.end]
                badges[raw] += 1
                if link_role(images[0], vocab) == "badge-venue":
                    badge = shield(images[0].url)
                    if badge is not None:
                        house.venue_badges["label" if badge.label else "compact"] += 1
                if link_role(images[0], vocab) == "badge-stars":
                    house.code_style["badge"] += 1
                    repos = entry_repos(entry)
                    if repos and "stars" not in house.samples:
                        house.samples["stars"] = (raw, repos[0][1].value)
        if entry.kind == "table":
            row = doc.source.text[entry.head_span.start : entry.head_span.end]
            for _, cell in split_cells(row):
                if cell.strip() in ("-", "–", "—", "", "N/A", "n/a", "/"):
                    house.placeholders[cell.strip()] += 1
    house.common_badges = frozenset(b for b, n in badges.items() if n > 1)
    return house


def _top_links(entry: Entry) -> list[Link]:
    """The entry's links that are not inside another link (a badge's image is inside)."""
    spans = [(lk.span.start, lk.span.end) for lk in entry.links]
    out = []
    for link in entry.links:
        inside = any(
            s <= link.span.start and link.span.end <= e and (s, e) != tuple(link.span)
            for s, e in spans
        )
        if not inside:
            out.append(link)
    return out


def _gap_pieces(text: str, vocab: Vocabulary, venue_seen: bool) -> list[Piece]:
    """Pieces of the text between slots: dates and venue tags found in it, the rest kept
    (separators) or marked unknown (words that belong to the neighbour)."""
    pieces: list[Piece] = []
    pos = 0
    found: list[tuple[int, int, str]] = []
    for match in _DATE_RE.finditer(text):
        found.append((match.start(), match.end(), "date"))
    if not venue_seen:
        for match in _TOKEN_RE.finditer(text):
            tag = parse_venue(match.group(0), vocab)
            known = tag is not None and tag.canonical is not None and tag.year is not None
            if known and not any(s < match.end() and match.start() < e for s, e, _ in found):
                found.append((match.start(), match.end(), "venue"))
                break
    for start, end, kind in sorted(found):
        pieces += _words(text[pos:start])
        pieces.append(Piece(kind, text[start:end]))
        pos = end
    pieces += _words(text[pos:])
    return pieces


def _words(text: str) -> list[Piece]:
    if not text:
        return []
    if not any(c.isalnum() for c in text):
        return [Piece("text", text)]
    core = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    out = [Piece("text", lead)] if lead else []
    # a trailing separator after the words ("*Authors.*, ") stays a separator
    match = re.search(r"[\s,;|]*$", core)
    tail = match.group(0) if match else ""
    out.append(Piece("unknown", core[: len(core) - len(tail)]))
    if tail + trail:
        out.append(Piece("text", tail + trail))
    return out


def _slot(kind: str, raw: str, value: str | None) -> Piece:
    """A name or title slot: its markup around the value (``**`` … ``**``) kept."""
    if value:
        at = raw.find(value)
        if at >= 0:
            return Piece(kind, raw, prefix=raw[:at], suffix=raw[at + len(value) :])
    lead = re.match(r"^[*_`\[]*", raw)
    tail = re.search(r"[*_`\]]*$", raw)
    prefix = lead.group(0) if lead else ""
    suffix = tail.group(0) if tail else ""
    return Piece(kind, raw, prefix=prefix, suffix=suffix)


def _title_span(doc: Document, entry: Entry) -> tuple[int, int] | None:
    """Where the title is: the grammar's span, or — when that span holds links (a title
    that is itself a link's label) — the title's text inside the head."""
    span = entry.title_span
    if entry.title is None:
        return None
    if span is not None and not _overlaps(span.start, span.end, entry):
        return (span.start, span.end)
    head = doc.source.text[entry.head_span.start : entry.head_span.end]
    at = head.find(entry.title)
    if at < 0:
        return None
    start = entry.head_span.start + at
    return (start, start + len(entry.title))


def _overlaps(start: int, end: int, entry: Entry) -> bool:
    return any(start < lk.span.end and lk.span.start < end for lk in entry.links)


def _led_by_links(doc: Document, entry: Entry) -> list[Piece | tuple[int, int, Piece]]:
    """Name and title of a line that starts with badges the grammar took for the title
    (``[![arXiv](…)](…) **Name**: Title.``): read after the last leading link."""
    from readme_tools.parse import NAME_RE

    span = entry.title_span
    assert span is not None
    text = doc.source.text
    pos = span.start
    for link in sorted(_top_links(entry), key=lambda lk: lk.span.start):
        if link.span.start < pos or text[pos : link.span.start].strip():
            break
        pos = link.span.end
    while pos < span.end and text[pos] in " \t":
        pos += 1
    # the title ends where the next link or badge starts (a trailing venue badge is no title)
    end = min([lk.span.start for lk in entry.links if lk.span.start >= pos] + [span.end])
    while end > pos and text[end - 1] in " \t":
        end -= 1
    if _overlaps(pos, end, entry) or pos >= end:
        return []
    out: list[Piece | tuple[int, int, Piece]] = []
    match = NAME_RE.match(text, pos, end)
    if match and match.group("sep"):
        name_end = match.end("name") + len(match.group(1))
        out.append((pos, name_end, _slot("name", text[pos:name_end], match.group("name"))))
        pos = match.end()
    out.append((pos, end, _slot("title", text[pos:end], None)))
    return out


def _list_pieces(doc: Document, entry: Entry, vocab: Vocabulary) -> list[Piece]:
    text = doc.source.text
    base, end = entry.head_span
    slots: list[tuple[int, int, Piece | None, Link | None]] = []
    if entry.checkbox_span is not None:
        cb = entry.checkbox_span
        slots.append((cb.start, cb.end, Piece("checkbox", text[cb.start : cb.end]), None))
    named = entry.name_span is not None and not _overlaps(*entry.name_span, entry)
    if named:
        ns = entry.name_span
        assert ns is not None
        slots.append((ns.start, ns.end, _slot("name", text[ns.start : ns.end], entry.name), None))
    span = entry.title_span
    if span is None and entry.title is not None:  # the title is a link's text
        title = _title_span(doc, entry)
        if title is not None and any(
            lk.span.start <= title[0] and title[1] <= lk.span.end for lk in entry.links
        ):
            raw = text[title[0] : title[1]]
            slots.append((title[0], title[1], _slot("title", raw, entry.title), None))
    elif span is not None and entry.title is not None and _overlaps(span.start, span.end, entry):
        title = _title_span(doc, entry)
        inside = title is not None and any(
            lk.span.start <= title[0] and title[1] <= lk.span.end for lk in entry.links
        )
        if title is not None and inside:  # [**Title.**](url): the title is a link's label
            raw = text[title[0] : title[1]]
            slots.append((title[0], title[1], _slot("title", raw, entry.title), None))
        else:
            for start, stop, piece in _led_by_links(doc, entry):  # type: ignore[misc]
                if not (named and piece.kind == "name"):
                    slots.append((start, stop, piece, None))
    else:
        if span is not None:
            slots.append(
                (
                    span.start,
                    span.end,
                    _slot("title", text[span.start : span.end], entry.title),
                    None,
                )
            )
    venue = entry.venue_span
    if venue is not None and not _overlaps(venue.start, venue.end, entry):
        slots.append((venue.start, venue.end, Piece("venue", text[venue.start : venue.end]), None))
    for link in _top_links(entry):
        slots.append((link.span.start, link.span.end, None, link))
    slots.sort(key=lambda s: (s[0], -s[1]))
    venue_seen = venue is not None and not _overlaps(venue.start, venue.end, entry)
    return _assemble(doc, base, end, slots, entry, vocab, venue_seen)


def _assemble(
    doc: Document,
    base: int,
    end: int,
    slots: Sequence[tuple[int, int, Piece | None, Link | None]],
    entry: Entry,
    vocab: Vocabulary,
    venue_seen: bool,
) -> list[Piece]:
    text = doc.source.text
    pieces: list[Piece] = []
    pos = base
    i = 0
    while i < len(slots):
        start, stop, piece, link = slots[i]
        if start < pos:  # overlaps what is already taken
            i += 1
            continue
        pieces += _gap_pieces(text[pos:start], vocab, venue_seen)
        if piece is not None:
            pieces.append(piece)
        else:
            assert link is not None
            inner = [s for s in slots[i + 1 :] if start <= s[0] and s[1] <= stop and s[2]]
            pieces += _link_pieces(doc, link, inner, vocab)
        pos = stop
        i += 1
    pieces += _gap_pieces(text[pos:end], vocab, venue_seen)
    return pieces


def _link_pieces(
    doc: Document,
    link: Link,
    inner: Sequence[tuple[int, int, Piece | None, Link | None]],
    vocab: Vocabulary,
) -> list[Piece]:
    text = doc.source.text
    raw = text[link.span.start : link.span.end]
    role = link_role(link, vocab)
    images = [
        lk for lk in doc.links if lk.image and link.span.start < lk.span.start < link.span.end
    ]
    if link.image or images:
        image = link if link.image else images[0]
        return [Piece("badge", raw, role=link_role(image, vocab))]
    if not inner or link.url_span is None:
        return [Piece("link", raw, role=role, label=link.label)]
    # [**Title.**](url): the label holds slots, the destination is the paper's
    label_end = text.rfind("](", link.span.start, link.url_span.start)
    pieces = [Piece("open", "[")]
    pos = link.span.start + 1
    for start, stop, piece, _ in inner:
        assert piece is not None
        if start > pos:
            pieces.append(Piece("text", text[pos:start]))
        pieces.append(piece)
        pos = stop
    if label_end > pos:
        pieces.append(Piece("text", text[pos:label_end]))
    pieces.append(Piece("close", text[label_end : link.span.end], role=role))
    return pieces


def _table_pieces(doc: Document, entry: Entry, vocab: Vocabulary) -> list[Piece]:
    """A table row as pieces: each cell's content becomes slots, or unknown."""
    text = doc.source.text
    base, end = entry.head_span
    row = text[base:end]
    links = _top_links(entry)
    pieces: list[Piece] = []
    pos = 0
    venue_seen = False
    for offset, cell in split_cells(row):
        pieces.append(Piece("pipe", row[pos:offset]))
        cell_start = base + offset
        cell_end = cell_start + len(cell)
        slots: list[tuple[int, int, Piece | None, Link | None]] = []
        for link in links:
            if cell_start <= link.span.start and link.span.end <= cell_end:
                slots.append((link.span.start, link.span.end, None, link))
        title = entry.title
        if title and not slots:
            at = cell.find(title)
            if at >= 0:
                raw = cell.strip()
                slots.append(
                    (cell_start + cell.find(raw), cell_start + cell.find(raw) + len(raw),
                     _slot("title", raw, title), None)
                )  # fmt: skip
        cell_pieces = _assemble(doc, cell_start, cell_end, slots, entry, vocab, venue_seen)
        if not slots and not any(p.kind in ("venue", "date") for p in cell_pieces):
            shown = plain(cell).strip("[]() ")
            tag = parse_venue(shown, vocab) if shown else None
            if tag is not None and tag.canonical is not None:
                lead = cell[: len(cell) - len(cell.lstrip())]
                trail = cell[len(cell.rstrip()) :]
                cell_pieces = [
                    Piece("text", lead),
                    Piece("venue", cell.strip()),
                    Piece("text", trail),
                ]
        venue_seen = venue_seen or any(p.kind == "venue" for p in cell_pieces)
        pieces += cell_pieces
        pos = offset + len(cell)
    pieces.append(Piece("pipe", row[pos:]))
    return [p for p in pieces if p.kind not in ("text", "pipe") or p.text]


def template_of(doc: Document, entry: Entry, vocab: Vocabulary) -> Template:
    from readme_tools.identity import entry_paper_ids
    from readme_tools.metadata.targets import entry_repos

    text = doc.source.text
    if entry.kind == "table":
        pieces = _table_pieces(doc, entry, vocab)
        prefix = ""
    else:
        pieces = _list_pieces(doc, entry, vocab)
        prefix = text[entry.span.start : entry.head_span.start]
    repos = entry_repos(entry)
    return Template(
        kind="table" if entry.kind == "table" else "list",
        pieces=pieces,
        prefix=prefix,
        source=entry,
        ids=entry_paper_ids(entry),
        repo=repos[0][1].value if repos else None,
    )
