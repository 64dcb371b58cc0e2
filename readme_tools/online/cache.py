"""A small JSON cache of online results, so repeated lint runs stay cheap and polite.

One file (default ``online.json`` in ``$README_TOOLS_CACHE_DIR``, else in
``$XDG_CACHE_HOME/readme-tools`` or ``~/.cache/readme-tools``) holds entries grouped by namespace
(``link``, ``arxiv``).  Each entry records when it was stored and its *kind*;
the kind picks the maximum age (``link-ok`` 7 days, ``link-dead`` 1 day,
``arxiv`` 30 days, ``arxiv-missing`` 1 day by default).  Only final results
have a kind: unknown and refused links, failed lookups and errors are never
written, so the next run checks them again.

Writes are atomic (temporary file in the same directory, ``fsync``,
``os.replace``) and merge with what is on disk at that moment, so two
concurrent runs lose at most each other's newest entries, never the file.  A
corrupt or unreadable file is treated as empty; a failed write is recorded in
:attr:`ResultCache.last_error` and otherwise ignored — a cache must never make
a lint run fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from readme_tools.online.settings import OnlineSettings, default_cache_path

FORMAT_VERSION = 1

Entry = dict[str, Any]


def _read(path: Path) -> dict[str, dict[str, Entry]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        return {}
    spaces = data.get("entries")
    if not isinstance(spaces, dict):
        return {}
    out: dict[str, dict[str, Entry]] = {}
    for space, entries in spaces.items():
        if isinstance(entries, dict):
            out[str(space)] = {
                str(k): v
                for k, v in entries.items()
                if isinstance(v, dict)
                and isinstance(v.get("t"), (int, float))
                and isinstance(v.get("kind"), str)
            }
    return out


class ResultCache:
    """Load lazily, ``get``/``put`` in memory, ``save`` atomically."""

    def __init__(
        self,
        path: Path | None,
        max_ages: Mapping[str, float],
        clock: Any = time.time,
    ) -> None:
        #: ``None`` disables the cache (every ``get`` misses, ``save`` does nothing).
        self.path = path
        self.max_ages = dict(max_ages)
        self._clock = clock
        self._entries: dict[str, dict[str, Entry]] | None = None
        self._dirty: dict[str, dict[str, Entry]] = {}
        self.last_error: str | None = None

    def _loaded(self) -> dict[str, dict[str, Entry]]:
        if self._entries is None:
            self._entries = _read(self.path) if self.path is not None else {}
        return self._entries

    def _fresh(self, entry: Entry, now: float) -> bool:
        max_age = self.max_ages.get(entry["kind"])
        return max_age is not None and 0 <= now - entry["t"] <= max_age

    def get(self, space: str, key: str) -> Any:
        """The cached value, or ``None`` if absent or older than its kind allows."""
        if self.path is None:
            return None
        entry = self._loaded().get(space, {}).get(key)
        if entry is None or not self._fresh(entry, self._clock()):
            return None
        return entry.get("value")

    def put(self, space: str, key: str, kind: str, value: Any) -> None:
        """Store a final result.  ``kind`` must be one with a max age."""
        if kind not in self.max_ages:
            raise ValueError(f"results of kind {kind!r} are not cacheable")
        if self.path is None:
            return
        entry = {"t": self._clock(), "kind": kind, "value": value}
        self._loaded().setdefault(space, {})[key] = entry
        self._dirty.setdefault(space, {})[key] = entry

    def save(self) -> bool:
        """Merge our new entries into the file on disk; drop stale ones.  True on success."""
        if self.path is None or not self._dirty:
            return True
        now = self._clock()
        merged = _read(self.path)
        for space, entries in self._dirty.items():
            merged.setdefault(space, {}).update(entries)
        pruned = {
            space: {k: e for k, e in entries.items() if self._fresh(e, now)}
            for space, entries in merged.items()
        }
        payload = json.dumps(
            {"version": FORMAT_VERSION, "entries": pruned}, ensure_ascii=False, sort_keys=True
        )
        tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
            )
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            tmp = None
        except OSError as exc:
            self.last_error = f"could not write cache {self.path}: {exc}"
            return False
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        self._dirty.clear()
        self._entries = pruned
        return True


def open_cache(settings: OnlineSettings) -> ResultCache:
    """The cache ``settings`` ask for (disabled when ``use_cache`` is false)."""
    path = (settings.cache_path or default_cache_path()) if settings.use_cache else None
    return ResultCache(
        path,
        {
            "link-ok": settings.max_age_link_ok,
            "link-dead": settings.max_age_link_dead,
            "arxiv": settings.max_age_arxiv,
            "arxiv-missing": settings.max_age_arxiv_missing,
        },
    )
