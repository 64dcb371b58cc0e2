"""What the metadata rules know about a document: the lock's facts, plus — only with
``--online`` — fresh lookups of the papers and repositories the lock does not have yet.

Nothing here touches the network unless ``online`` is given; the lock is read once per
document (the four rules share it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readme_tools.metadata.facts import AnyFacts
from readme_tools.metadata.lock import Lock, LockError, load, resolve_lock_path
from readme_tools.metadata.targets import collect
from readme_tools.model import Document

_STDIN = ("<stdin>", "-", "")


@dataclass
class Knowledge:
    """The facts the rules read for one document."""

    lock_path: Path | None = None
    lock: Lock | None = None
    #: Facts looked up live (``--online``) for keys the lock lacks.
    live: dict[tuple[str, str], AnyFacts] = field(default_factory=dict)
    #: Why the lock could not be read.
    error: str | None = None

    def get(self, key: str, source: str) -> AnyFacts | None:
        if self.lock is not None:
            found = self.lock.facts(key, source)
            if found is not None:
                return found
        return self.live.get((key, source))

    @property
    def empty(self) -> bool:
        return not self.live and (self.lock is None or not self.lock.records)


_memo: dict[str, Any] = {}


def knowledge_for(
    doc: Document,
    lock_option: str | None,
    config_dir: Path | None,
    online: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> Knowledge:
    """The document's :class:`Knowledge` (memoised for the rules of one run over ``doc``)."""
    memo_key = (id(doc), lock_option, config_dir, id(online))
    if _memo.get("key") == memo_key and _memo.get("doc") is doc:
        known: Knowledge = _memo["value"]
        return known
    known = _build(doc, lock_option, config_dir, online, progress)
    _memo.update(key=memo_key, doc=doc, value=known)
    return known


def _build(
    doc: Document,
    lock_option: str | None,
    config_dir: Path | None,
    online: Any,
    progress: Callable[[int, int], None] | None,
) -> Knowledge:
    known = Knowledge()
    if doc.path not in _STDIN:
        try:
            known.lock_path = resolve_lock_path(Path(doc.path), lock_option, config_dir)
            known.lock = load(known.lock_path)
        except LockError as exc:
            known.error = f"{exc}; re-create it with readme-tools sync"
    if online is not None:
        _look_up_missing(doc, known, online, progress)
    return known


def _look_up_missing(
    doc: Document, known: Knowledge, online: Any, progress: Callable[[int, int], None] | None
) -> None:
    """Fill ``known.live`` for papers and repositories the lock has nothing on."""
    import asyncio

    from readme_tools.metadata.sync import gather, open_metadata_cache

    papers, repos = collect([doc])
    records = known.lock.records if known.lock is not None else {}
    papers = [p for p in papers if p.key not in records]
    repos = [r for r in repos if r.key not in records]
    if not papers and not repos:
        return
    settings = settings_from_online(online)
    gathered = asyncio.run(gather(papers, repos, settings, open_metadata_cache(settings), progress))
    known.live = dict(gathered.found)


def settings_from_online(online: Any) -> Any:
    """Metadata settings for a ``readme-lint --online`` run.

    The network policy (private addresses, resolver, budget, cache switch) and the arXiv and
    GitHub endpoints come from the online checks' settings; the other endpoints and the
    secrets from the environment. The GitHub token's admissible hosts come from the
    environment only — never from the online settings, which a repository config may have
    touched.
    """
    from readme_tools.metadata.settings import DEFAULT_ENDPOINTS, metadata_settings

    base = metadata_settings(os.environ)
    endpoints = dict(base.endpoints)
    endpoints["arxiv"] = getattr(online, "arxiv_api", DEFAULT_ENDPOINTS["arxiv"])
    endpoints["github"] = getattr(online, "github_api", DEFAULT_ENDPOINTS["github"])
    return base.replace(
        endpoints=endpoints,
        allow_private=bool(getattr(online, "allow_private", False)),
        allow_addresses=tuple(getattr(online, "allow_addresses", ())),
        resolver=getattr(online, "resolver", None),
        budget=float(getattr(online, "budget", base.budget)),
        use_cache=bool(getattr(online, "use_cache", True)),
    )
