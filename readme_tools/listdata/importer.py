"""``readme-tools import``: papers from a BibTeX file or a JSON export, as :class:`Paper`.

A JSON export (:mod:`.export`) keeps every field the writer needs, the section path and the
links with their labels, so ``export --format json`` then ``import`` into an empty list
rebuilds the same records. BibTeX gives a title, ids (``eprint``, ``doi``, an arXiv, DOI or
OpenReview ``url``), a venue (``booktitle`` / ``journal``) and a year.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from readme_tools.identifiers import PAPER_KINDS, Identifier, identify, identify_text
from readme_tools.listdata.bibtex import BibEntry, BibError, latex_to_text, parse_bibtex
from readme_tools.listdata.paper import Paper, Venue, split_name
from readme_tools.metadata.venuemap import venue_from_text
from readme_tools.venues import Vocabulary, parse_venue

__all__ = ["ImportError_", "papers_from_bibtex", "papers_from_json", "read_papers"]


class ImportError_(ValueError):
    """A file that cannot be imported (one line: what and where)."""


def _venue(text: str | None, vocab: Vocabulary) -> Venue | None:
    if not text:
        return None
    tag = parse_venue(text, vocab)
    if tag is None or tag.canonical is None:
        return None
    return Venue(tag.canonical, tag.year, tag.qualifiers)


def _month(date: Any) -> tuple[int, int] | None:
    if isinstance(date, str):
        match = re.fullmatch(r"(\d{4})-(\d{2})", date)
        if match:
            return int(match.group(1)), int(match.group(2))
    return None


def _json_paper(record: Mapping[str, Any], where: str, vocab: Vocabulary) -> Paper:
    def text(name: str) -> str | None:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise ImportError_(f"{where}: {name!r} must be a string or null")
        return value

    raw_ids = record.get("ids", {})
    links = record.get("links", [])
    path = record.get("path", [])
    if (
        not isinstance(raw_ids, Mapping)
        or not isinstance(links, list)
        or not isinstance(path, list)
    ):
        raise ImportError_(f"{where}: 'ids' must be an object, 'links' and 'path' lists")
    ids = tuple(
        Identifier(kind, str(value)) for kind, value in raw_ids.items() if kind in PAPER_KINDS
    )
    pairs = []
    for link in links:
        if not isinstance(link, Mapping) or not isinstance(link.get("url"), str):
            raise ImportError_(f"{where}: every link needs a 'url' string")
        pairs.append((str(link.get("label", "")), link["url"]))
    url = next((u for _, u in pairs if (i := identify(u)) is not None and i.is_paper), None)
    url = url or next((i.url for i in ids if i.url), None)
    checked = record.get("checked")
    venue_text = text("venue")
    return Paper(
        title=text("title") or "",
        name=text("name"),
        ids=ids,
        venue=_venue(venue_text, vocab),
        venue_text=venue_text,
        url=url,
        code=text("code"),
        links=tuple(pairs),
        summary=text("summary") or "",
        checked=checked if isinstance(checked, bool) else None,
        month=_month(record.get("date")),
        path=tuple(str(p) for p in path),
    )


def papers_from_json(data: str, vocab: Vocabulary, source: str = "JSON") -> list[Paper]:
    """The entries of a ``readme-tools export --format json`` file (or a bare list of them)."""
    try:
        parsed = json.loads(data)
    except ValueError as exc:
        raise ImportError_(f"{source}: not valid JSON ({exc})") from None
    entries = parsed.get("entries") if isinstance(parsed, Mapping) else parsed
    if not isinstance(entries, list):
        raise ImportError_(f"{source}: expected an export with an 'entries' list")
    out = []
    for number, record in enumerate(entries, 1):
        if not isinstance(record, Mapping):
            raise ImportError_(f"{source}: entry {number} is not an object")
        out.append(_json_paper(record, f"{source}: entry {number}", vocab))
    return out


_ARXIV_IN_TEXT = re.compile(
    r"arxiv[:\s]*(?:abs/)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})", re.I
)


def _bib_ids(fields: Mapping[str, str]) -> list[Identifier]:
    ids: list[Identifier] = []

    def add(ident: Identifier | None) -> None:
        if ident is not None and ident.is_paper and ident not in ids:
            ids.append(ident)

    eprint = fields.get("eprint", "").strip()
    prefix = fields.get("archiveprefix", fields.get("eprinttype", "arxiv")).strip().lower()
    if eprint and prefix in ("arxiv", ""):
        add(identify_text(eprint))
    for name in ("journal", "note", "howpublished"):
        match = _ARXIV_IN_TEXT.search(fields.get(name, ""))
        if match:
            add(identify_text(match.group(1)))
    doi = fields.get("doi", "").strip()
    if doi:
        add(Identifier("doi", doi.lower().removeprefix("https://doi.org/")))
    for name in ("url", "pdf", "openreview"):
        value = fields.get(name, "").strip()
        if value.startswith(("http://", "https://")):
            add(identify(value))
    return ids


def _bib_paper(entry: BibEntry, vocab: Vocabulary) -> Paper:
    fields = entry.fields
    title = latex_to_text(fields.get("title", ""))
    if not title:
        raise ImportError_(f"line {entry.line}: entry {entry.key!r} has no title")
    name, short = split_name(title)
    ids = _bib_ids(fields)
    year_text = re.search(r"\d{4}", fields.get("year", ""))
    year = int(year_text.group(0)) if year_text else None
    where = latex_to_text(fields.get("booktitle", "") or fields.get("journal", ""))
    ref = venue_from_text(where, vocab) if where else None
    venue = None
    if ref is not None:
        venue = Venue(ref.name, ref.year or year, (ref.qualifier,) if ref.qualifier else ())
    elif any(i.kind == "arxiv" for i in ids):
        venue = Venue("arXiv", year)
    url = next((i.url for i in ids if i.url), None) or fields.get("url") or None
    code = next(
        (fields[n] for n in ("code", "github") if fields.get(n, "").startswith("http")), None
    )
    arxiv = next((i for i in ids if i.kind == "arxiv"), None)
    month = None
    if arxiv is not None:
        from readme_tools.identifiers import parse_arxiv_id

        parsed = parse_arxiv_id(arxiv.value)
        month = (parsed.year, parsed.month) if parsed else None
    return Paper(
        title=short, name=name, ids=tuple(ids), venue=venue, url=url, code=code, month=month
    )


def papers_from_bibtex(data: str, vocab: Vocabulary, source: str = "BibTeX") -> list[Paper]:
    try:
        return [_bib_paper(e, vocab) for e in parse_bibtex(data)]
    except (BibError, ImportError_) as exc:
        raise ImportError_(f"{source}: {exc}") from None


def read_papers(data: str, fmt: str, vocab: Vocabulary, source: str) -> list[Paper]:
    """``fmt`` is ``json``, ``bibtex`` or ``auto`` (JSON when the text starts with ``{``/``[``)."""
    if fmt == "auto":
        fmt = "json" if data.lstrip()[:1] in ("{", "[") else "bibtex"
    if fmt == "json":
        return papers_from_json(data, vocab, source)
    return papers_from_bibtex(data, vocab, source)
