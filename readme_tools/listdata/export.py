"""``readme-tools export``: the list's entries as JSON, CSV, BibTeX, CFF, or a chart.

JSON is the reference form (described by ``list-export.schema.json``, which
``readme-tools export --schema`` prints); the others are views of the same records. JSON and
CSV keep every entry (a paper listed in two sections appears twice, with each section); BibTeX
and CFF cite each paper once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from readme_tools.identifiers import Identifier
from readme_tools.listdata.records import EntryRecord, paper_url, records, unique_papers
from readme_tools.model import Document
from readme_tools.venues import Vocabulary

__all__ = ["FORMATS", "export", "list_title", "paper_url", "record_json", "unique_papers"]

FORMATS = ("json", "csv", "bibtex", "cff", "svg")
VERSION = 1


def list_title(doc: Document) -> str:
    """The list's name: its first level-1 heading, else the file's stem."""
    for heading in doc.headings:
        if heading.level == 1 and heading.text.strip():
            return heading.text.strip()
    stem = PurePath(doc.path).stem
    return stem if stem not in ("", "<stdin>", "-") else "Paper list"


def _ids(ids: Sequence[Identifier]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ident in ids:
        out.setdefault(ident.kind, ident.value)
    return out


def record_json(record: EntryRecord) -> dict[str, Any]:
    """One entry as the JSON export writes it (keys in schema order)."""
    return {
        "section": record.section,
        "path": list(record.path),
        "name": record.name,
        "title": record.title,
        "venue": record.venue,
        "venue_name": record.venue_name,
        "year": record.year,
        "date": record.date,
        "ids": _ids(record.ids),
        "key": record.key,
        "links": [{"label": label, "url": url} for label, url in record.links],
        "code": record.code,
        "summary": record.summary,
        "checked": record.checked,
    }


def to_json(doc: Document, entries: Sequence[EntryRecord]) -> str:
    data = {
        "version": VERSION,
        "title": list_title(doc),
        "entries": [record_json(r) for r in entries],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "section",
    "name",
    "title",
    "venue",
    "venue_name",
    "year",
    "date",
    "key",
    "arxiv",
    "doi",
    "openreview",
    "paper_url",
    "code",
    "links",
    "summary",
)


def to_csv(entries: Sequence[EntryRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in entries:
        ids = _ids(record.ids)
        writer.writerow(
            [
                record.section,
                record.name or "",
                record.title or "",
                record.venue or "",
                record.venue_name or "",
                record.year if record.year is not None else "",
                record.date or "",
                record.key,
                ids.get("arxiv", ""),
                ids.get("doi", ""),
                ids.get("openreview", ""),
                paper_url(record) or "",
                record.code or "",
                " ".join(f"[{label}]({url})" for label, url in record.links),
                record.summary,
            ]
        )
    return out.getvalue()


def _yaml(text: str) -> str:
    """A YAML scalar: JSON's double-quoted string is valid YAML."""
    return json.dumps(text, ensure_ascii=False)


def _cff_reference(record: EntryRecord) -> list[str]:
    from readme_tools.listdata.bibtex import entry_type

    kind = entry_type(record)
    cff_type = {"inproceedings": "conference-paper", "article": "article"}.get(kind, "generic")
    lines = [
        f"  - type: {cff_type}",
        f"    title: {_yaml(record.full_title or record.key)}",
        "    authors:",
        f"      - name: {_yaml('Unknown (not recorded in the list)')}",
    ]
    if record.year is not None:
        lines.append(f"    year: {record.year}")
    if kind == "inproceedings" and record.venue_name:
        lines += ["    conference:", f"      name: {_yaml(record.venue_name)}"]
    elif kind == "article" and record.venue_name:
        lines += ["    journal: " + _yaml(record.venue_name)]
    url = paper_url(record)
    if url:
        lines.append(f"    url: {_yaml(url)}")
    if record.code:
        lines.append(f"    repository-code: {_yaml(record.code)}")
    ids = _ids(record.ids)
    identifiers = []
    if "doi" in ids:
        identifiers.append(("doi", ids["doi"]))
    if "arxiv" in ids:
        identifiers.append(("other", f"arXiv:{ids['arxiv']}"))
    if identifiers:
        lines.append("    identifiers:")
        for kind_, value in identifiers:
            lines += [f"      - type: {kind_}", f"        value: {_yaml(value)}"]
    return lines


def to_cff(doc: Document, entries: Sequence[EntryRecord]) -> str:
    """A ``CITATION.cff`` (Citation File Format 1.2.0) whose references are the papers."""
    title = list_title(doc)
    lines = [
        "# Written by readme-tools export --format cff: one reference per paper of the list.",
        "cff-version: 1.2.0",
        f"message: {_yaml('If you use this list, please cite the papers it collects.')}",
        f"title: {_yaml(title)}",
        "type: dataset",
        "authors:",
        f"  - name: {_yaml(f'The {title} contributors')}",
        "references:",
    ]
    for record in unique_papers(entries):
        lines += _cff_reference(record)
    if lines[-1] == "references:":
        lines[-1] = "references: []"
    return "\n".join(lines) + "\n"


def export(doc: Document, fmt: str, vocab: Vocabulary) -> str:
    """The whole list in format ``fmt`` (one of :data:`FORMATS`)."""
    entries = list(records(doc, vocab))
    if fmt == "json":
        return to_json(doc, entries)
    if fmt == "csv":
        return to_csv(entries)
    if fmt == "bibtex":
        from readme_tools.listdata.bibtex import to_bibtex

        return to_bibtex(entries)
    if fmt == "cff":
        return to_cff(doc, entries)
    if fmt == "svg":
        from readme_tools.listdata.chart import papers_per_year

        return papers_per_year(unique_papers(entries), list_title(doc))
    raise ValueError(f"unknown export format {fmt!r}")
