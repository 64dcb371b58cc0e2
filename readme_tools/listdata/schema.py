"""The JSON schema of ``readme-tools export --format json`` (``list-export.schema.json``).

``readme-tools export --schema`` prints it; the file at the repository root is the same
output (a test keeps it true, and validates real exports against it).
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://github.com/readme-tools/readme-tools/list-export.schema.json"

_NULLABLE_STRING: dict[str, Any] = {"type": ["string", "null"]}

ENTRY: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "section",
        "path",
        "name",
        "title",
        "venue",
        "venue_name",
        "year",
        "date",
        "ids",
        "key",
        "links",
        "code",
        "summary",
        "checked",
    ],
    "properties": {
        "section": {
            "type": "string",
            "description": "Text of the heading the entry is under ('' before the first).",
        },
        "path": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Texts of the headings from the top down to the entry's section.",
        },
        "name": {**_NULLABLE_STRING, "description": "The bold short name, as plain text."},
        "title": {
            **_NULLABLE_STRING,
            "description": "The title as plain text (without the name and without the '.' "
            "that ends it before the venue tag).",
        },
        "venue": {**_NULLABLE_STRING, "description": "The venue tag as written (CVPR2025)."},
        "venue_name": {
            **_NULLABLE_STRING,
            "description": "The venue's canonical name (NeurIPS for NIPS); null if unknown.",
        },
        "year": {
            "type": ["integer", "null"],
            "description": "The venue tag's year, else the year of the arXiv id.",
        },
        "date": {
            "type": ["string", "null"],
            "pattern": "^[0-9]{4}-[0-9]{2}$",
            "description": "YYYY-MM of the arXiv id (the first version's month).",
        },
        "ids": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "propertyNames": {
                "enum": ["arxiv", "doi", "acl", "openreview", "cvf", "neurips", "pmlr"]
            },
            "description": "Paper identifiers found in the entry's links, by kind, canonical.",
        },
        "key": {
            "type": "string",
            "description": "The entry's identity: its preferred paper id (arxiv:2401.00001), "
            "else title:…, url:… or head:… (what the duplicate check compares).",
        },
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["label", "url"],
                "properties": {"label": {"type": "string"}, "url": {"type": "string"}},
            },
            "description": "The entry's links in order (images left out).",
        },
        "code": {**_NULLABLE_STRING, "description": "The first link to a code repository."},
        "summary": {
            "type": "string",
            "description": "The summary paragraphs under the entry, markdown, separated by "
            "blank lines ('' when there is none).",
        },
        "checked": {
            "type": ["boolean", "null"],
            "description": "The task-list box: true ticked, false empty, null without one.",
        },
    },
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "readme-tools export --format json",
    "description": "Every entry of a curated markdown paper list, in document order.",
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "title", "entries"],
    "properties": {
        "version": {"const": 1},
        "title": {"type": "string", "description": "The list's first level-1 heading."},
        "entries": {"type": "array", "items": {"$ref": "#/$defs/entry"}},
    },
    "$defs": {"entry": ENTRY},
}


def schema_json() -> str:
    return json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"
