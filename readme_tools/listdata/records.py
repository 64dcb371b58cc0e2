"""Entries as records: what ``readme-tools export`` writes and the stats and order keys read.

A record is plain data about one entry, read from the document model's public fields: the
section it is in, its short name, title, venue tag (canonical name and year), paper ids,
links and summary. Entries outside the default grammar (table rows, free-form lines) get
their venue from the text around the title when one of its tokens is a known venue tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from readme_tools.identifiers import Identifier, parse_arxiv_id
from readme_tools.identity import entry_key, entry_paper_ids, primary_paper_id
from readme_tools.listdata.text import plain
from readme_tools.model import Document, Entry, Link
from readme_tools.urls import host_matches, split_url
from readme_tools.venues import VenueTag, Vocabulary, parse_venue

__all__ = [
    "EntryRecord",
    "arxiv_month",
    "code_link",
    "entry_record",
    "entry_venue",
    "heading_path",
    "paper_url",
    "records",
    "split_cells",
    "unique_papers",
    "written_date",
]

_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
_CODE_LABELS = frozenset(
    ["code", "github", "pytorch", "tensorflow", "jax", "official code", "repo", "代码", "代碼"]
)


@dataclass(frozen=True)
class EntryRecord:
    """One entry as data (the JSON export's ``entries`` items, see ``list-export.schema.json``)."""

    section: str  # the heading text of the entry's section ("" before the first heading)
    path: tuple[str, ...]  # the headings from the top down to the section
    name: str | None
    title: str | None  # plain text, a final "." (the grammar's terminator) dropped
    venue: str | None  # the venue tag as written
    venue_name: str | None  # its canonical venue name ("NeurIPS"), None if unknown
    year: int | None  # the venue tag's year, else the arXiv id's
    date: str | None  # "YYYY-MM" of the arXiv id (its first version's month)
    ids: tuple[Identifier, ...]  # paper identifiers, the preferred first
    key: str  # readme_tools.identity.entry_key
    links: tuple[tuple[str, str], ...]  # (label as plain text, url), images left out
    code: str | None  # the first link to a code repository
    summary: str  # the summary paragraphs' markdown, separated by blank lines
    checked: bool | None  # the task-list box: ticked, unticked, or None without one
    line: int

    @property
    def full_title(self) -> str:
        """``Name: Title`` as papers are cited (just the title when there is no name)."""
        title = self.title or ""
        if self.name and title:
            return f"{self.name}: {title}"
        return title or (self.name or "")


def heading_path(doc: Document, section_index: int) -> tuple[str, ...]:
    """The texts of a section's heading and its ancestors, top first."""
    return tuple(h.text.strip() for h in reversed(doc.heading_chain(section_index)))


def split_cells(row: str) -> list[tuple[int, str]]:
    """A table row's cells as (offset in ``row``, raw text); ``\\|`` and code spans kept."""
    cells: list[tuple[int, str]] = []
    start = 0
    i = 0
    in_code = False
    text = row.rstrip("\n")
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "`":
            in_code = not in_code
        elif char == "|" and not in_code:
            cells.append((start, text[start:i]))
            start = i + 1
        i += 1
    cells.append((start, text[start:]))
    # a leading / trailing pipe leaves an empty edge cell
    if cells and not cells[0][1].strip() and text.lstrip().startswith("|"):
        cells = cells[1:]
    if cells and not cells[-1][1].strip() and text.rstrip().endswith("|"):
        cells = cells[:-1]
    return cells


_TOKEN_RE = re.compile(
    r"(?<![\w\-])([A-Za-z][A-Za-z&\-]{1,15}(?: [A-Z][A-Za-z]{1,10})?)"
    r"(?:\s?'|[ \-]?)(\d{4}|\d{2})(?![\w])"
)


_DIGIT_RE = re.compile(r"\d")
_NOT_PIPE_RE = re.compile(r"[^|]")
_MARKUP_RE = re.compile(r"[*_`\[\]()<>]+|&nbsp;")


def _bare(text: str) -> str:
    """Text with emphasis, brackets and code marks gone (cheap: venue tags have none)."""
    return " ".join(_MARKUP_RE.sub(" ", text).split())


def _known(tag: VenueTag | None) -> VenueTag | None:
    return tag if tag is not None and tag.canonical is not None else None


def entry_venue(doc: Document, entry: Entry, vocab: Vocabulary) -> tuple[str, VenueTag] | None:
    """The entry's venue tag as written and parsed: the grammar's, else a known venue tag
    among the table cells or in the line's text outside the title and the links."""
    if entry.venue:
        tag = parse_venue(entry.venue, vocab)
        return (entry.venue, tag) if tag is not None else None
    visible = _outside_links(doc, entry)
    if entry.kind == "table":
        for _, cell in split_cells(visible):
            shown = _bare(cell)
            tag = _known(parse_venue(shown, vocab)) if shown else None
            if tag is not None:
                return shown, tag
        return None
    if _DIGIT_RE.search(visible) is None:
        return None  # a venue tag outside the grammar is only recognised with its year
    return venue_token(_bare(visible), vocab)


_YEAR_RE = re.compile(r"(?<![\w.'])(?:'?\d{2}|\d{4})(?![\w])")
_NAME_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z&\-]{1,15}(?: [A-Z][A-Za-z]{1,10})?)[ \-]?$")


def venue_token(text: str, vocab: Vocabulary) -> tuple[str, VenueTag] | None:
    """The first ``NAME YEAR`` venue tag in free text (``arXiv 2023``, ``NeurIPS'24``):
    found from the years back, so text without a year costs one scan."""
    for year in _YEAR_RE.finditer(text):
        before = _NAME_BEFORE_RE.search(text, max(0, year.start() - 30), year.start())
        if before is None:
            continue
        candidate = text[before.start() : year.end()]
        tag = _known(parse_venue(candidate, vocab))
        if tag is not None and tag.year is not None:
            return candidate, tag
    return None


def code_link(entry: Entry) -> Link | None:
    """The entry's first link to a code repository (by host, or by a label such as [Code])."""
    for link in entry.links:
        if link.image:
            continue
        parts = split_url(link.url)
        if (
            parts is not None
            and any(host_matches(parts.host, h) for h in _CODE_HOSTS)
            and (parts.host != "github.com" or _repo_path(parts.path))
        ):
            return link
        if plain(link.label).strip("[]() ").casefold() in _CODE_LABELS:
            return link
    return None


def _repo_path(path: str) -> bool:
    return len([p for p in path.split("/") if p]) >= 2


@lru_cache(maxsize=4096)
def _arxiv_month(value: str) -> tuple[int, int] | None:
    parsed = parse_arxiv_id(value)
    return (parsed.year, parsed.month) if parsed is not None else None


def arxiv_month(ids: tuple[Identifier, ...]) -> tuple[int, int] | None:
    """(year, month) of the first arXiv id among ``ids``."""
    for ident in ids:
        if ident.kind == "arxiv":
            return _arxiv_month(ident.value)
    return None


_DATE_RE = re.compile(r"(?<![\d.])((?:19|20)\d{2})[.\-/](0?[1-9]|1[0-2])(?:[.\-/]\d{1,2})?(?![\d])")


def written_date(doc: Document, entry: Entry) -> tuple[int, int] | None:
    """(year, month) of a date written on the entry's line outside its links (a table's
    date column, "2024.01." after the authors, a dated news item), else None."""
    raw = doc.source.text[entry.head_span.start : entry.head_span.end]
    if _DATE_RE.search(raw) is None:
        return None
    head = _outside_links(doc, entry, title=False)
    match = _DATE_RE.search(head)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _outside_links(doc: Document, entry: Entry, title: bool = True) -> str:
    """The entry's line with its links (and title) blanked out, cell separators kept."""
    text = doc.source.text
    head = text[entry.head_span.start : entry.head_span.end]
    base = entry.head_span.start
    blanks = [(lk.span.start - base, lk.span.end - base) for lk in entry.links]
    span = entry.title_span
    if (
        title
        and span is not None
        and not any(span.start < lk.span.end and lk.span.start < span.end for lk in entry.links)
    ):
        blanks.append((span.start - base, span.end - base))
    if not blanks:
        return head
    out: list[str] = []
    pos = 0
    for start, end in sorted(blanks):
        start, end = max(start, pos, 0), min(end, len(head))
        if end <= start:
            continue
        out.append(head[pos:start])
        out.append(_NOT_PIPE_RE.sub(" ", head[start:end]))
        pos = end
    out.append(head[pos:])
    return "".join(out)


def _title(entry: Entry) -> str | None:
    if entry.title is None:
        return None
    title = plain(entry.title).strip()
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    return title or None


def entry_record(
    doc: Document, entry: Entry, vocab: Vocabulary, path: tuple[str, ...] | None = None
) -> EntryRecord:
    ids = entry_paper_ids(entry)
    primary = primary_paper_id(ids)
    if primary is not None and ids and ids[0] != primary:
        ids = (primary, *(i for i in ids if i != primary))
    found = entry_venue(doc, entry, vocab)
    month = arxiv_month(ids)
    year = found[1].year if found is not None and found[1].year is not None else None
    if year is None and month is not None:
        year = month[0]
    code = code_link(entry)
    if path is None:
        path = heading_path(doc, entry.section)
    return EntryRecord(
        section=path[-1] if path else "",
        path=path,
        name=plain(entry.name) if entry.name else None,
        title=_title(entry),
        venue=found[0] if found is not None else None,
        venue_name=found[1].canonical if found is not None else None,
        year=year,
        date=f"{month[0]:04d}-{month[1]:02d}" if month is not None else None,
        ids=ids,
        key=entry_key(entry),
        links=tuple((plain(lk.label), lk.url) for lk in entry.links if not lk.image),
        code=code.url if code is not None else None,
        summary="\n\n".join(p.text for p in entry.summary),
        checked=None if entry.checkbox is None else entry.checkbox in "xX",
        line=entry.line,
    )


def records(doc: Document, vocab: Vocabulary) -> Iterator[EntryRecord]:
    """Every entry of ``doc`` as a record, in document order."""
    paths: dict[int, tuple[str, ...]] = {}
    for entry in doc.entries:
        path = paths.get(entry.section)
        if path is None:
            path = paths[entry.section] = heading_path(doc, entry.section)
        yield entry_record(doc, entry, vocab, path)


def paper_url(record: EntryRecord) -> str | None:
    """The address of the paper: its preferred identifier's canonical page, else the link
    that carries that identifier, else the first link."""
    for ident in record.ids:
        if ident.url:
            return ident.url
    return record.links[0][1] if record.links else None


def unique_papers(entries: Sequence[EntryRecord]) -> list[EntryRecord]:
    """Each paper once (its first entry), by :func:`readme_tools.identity.entry_key`."""
    seen: set[str] = set()
    out = []
    for record in entries:
        if record.key not in seen:
            seen.add(record.key)
            out.append(record)
    return out
