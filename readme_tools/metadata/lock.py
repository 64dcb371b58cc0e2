"""The committed lock file: the facts the metadata rules read, so CI never needs the network.

``.readme-tools/papers.lock.json`` next to the list (or ``lock = "…"`` in
``[tool.readme-tools.metadata]``, a path inside the repository). JSON with sorted keys, two
spaces of indentation and one record per line group, so that a change reads well in a diff::

    {
      "comment": "…",
      "papers": {
        "arxiv:2305.01234": {
          "arxiv": {"fetched": "2025-03-01", "title": "…", "journal_ref": "NeurIPS 2023"},
          "s2": {"fetched": "2025-03-01", "external_ids": {"DBLP": "conf/nips/…"}, …}
        },
        "openreview:AbCdEf": {"openreview": {"fetched": "…", "venue": "ICLR 2024 poster", …}}
      },
      "repos": {"github:owner/repo": {"github": {"fetched": "…", "archived": true, …}}},
      "version": 1
    }

Keys are the paper and repository identifiers of :mod:`readme_tools.identifiers`; each
source's record says what that source answered and ``fetched`` is the day those facts were
first seen in this form: :func:`merge` keeps the old date when a sync finds the same facts,
so re-syncing an unchanged list against unchanged sources writes the same bytes.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readme_tools.lockpath import DEFAULT_LOCK, LockError, resolve_lock_path
from readme_tools.metadata.facts import READERS, AnyFacts

VERSION = 1
COMMENT = (
    "Written by `readme-tools sync`: what each source says about the papers and code "
    "repositories of the list, and the day it was fetched. readme-lint reads it offline."
)


@dataclass(frozen=True)
class Record:
    facts: AnyFacts
    fetched: str  # ISO date

    def to_json(self) -> dict[str, Any]:
        return {"fetched": self.fetched, **self.facts.to_json()}


@dataclass
class Lock:
    #: identifier key -> source -> record; repositories (``github:…``) live here too.
    records: dict[str, dict[str, Record]] = field(default_factory=dict)

    def facts(self, key: str, source: str) -> AnyFacts | None:
        record = self.records.get(key, {}).get(source)
        return record.facts if record is not None else None

    def to_json(self) -> dict[str, Any]:
        papers: dict[str, Any] = {}
        repos: dict[str, Any] = {}
        for key, sources in self.records.items():
            target = repos if key.startswith("github:") else papers
            target[key] = {name: rec.to_json() for name, rec in sources.items()}
        return {"comment": COMMENT, "papers": papers, "repos": repos, "version": VERSION}


def dumps(lock: Lock) -> str:
    """The lock's text: sorted keys, two-space indent, a final newline."""
    return json.dumps(lock.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _read_records(where: str, group: Any) -> dict[str, dict[str, Record]]:
    if not isinstance(group, Mapping):
        raise LockError(f"{where} must be a table")
    out: dict[str, dict[str, Record]] = {}
    for key, sources in group.items():
        if not isinstance(sources, Mapping):
            raise LockError(f"{where}.{key} must be a table")
        out[str(key)] = {}
        for name, data in sources.items():
            reader = READERS.get(name)
            if reader is None:
                continue  # a source this version does not know: ignored
            if not isinstance(data, Mapping) or not isinstance(data.get("fetched"), str):
                raise LockError(f"{where}.{key}.{name} needs a 'fetched' date")
            body = {k: v for k, v in data.items() if k != "fetched"}
            try:
                facts = reader(body)
            except (ValueError, TypeError) as exc:
                raise LockError(f"{where}.{key}.{name}: {exc}") from None
            out[str(key)][name] = Record(facts, data["fetched"])
    return out


def loads(text: str, path: str = "lock") -> Lock:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise LockError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, Mapping):
        raise LockError(f"{path}: not a lock file (expected a JSON object)")
    if data.get("version") != VERSION:
        raise LockError(
            f"{path}: lock version {data.get('version')!r} is not {VERSION}; "
            "re-create it with readme-tools sync"
        )
    records = _read_records(f"{path}: papers", data.get("papers", {}))
    records.update(_read_records(f"{path}: repos", data.get("repos", {})))
    return Lock(records)


def load(path: Path) -> Lock | None:
    """The lock at ``path``; ``None`` when there is none; :class:`LockError` when unusable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LockError(f"{path}: cannot read lock file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LockError(f"{path}: lock file is not UTF-8") from None
    return loads(text, str(path))


def merge(
    old: Lock | None,
    planned: Mapping[str, set[str]],
    found: Mapping[tuple[str, str], AnyFacts],
    today: datetime.date,
) -> Lock:
    """The new lock: for every planned ``(key, source)`` the facts found this time (dated
    today unless the old record says the same), else — the lookup failed — the old record.
    Keys and sources no longer planned are dropped."""
    stamp = today.isoformat()
    out = Lock()
    for key in sorted(planned):
        sources: dict[str, Record] = {}
        for source in sorted(planned[key]):
            before = old.records.get(key, {}).get(source) if old is not None else None
            facts = found.get((key, source))
            if facts is None:
                if before is not None:
                    sources[source] = before
                continue
            if before is not None and before.facts.to_json() == facts.to_json():
                sources[source] = before
            else:
                sources[source] = Record(facts, stamp)
        if sources:
            out.records[key] = sources
    return out


__all__ = [
    "DEFAULT_LOCK",
    "Lock",
    "LockError",
    "Record",
    "dumps",
    "load",
    "loads",
    "merge",
    "resolve_lock_path",
]
