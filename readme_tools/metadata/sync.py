"""``readme-tools sync``: ask every source about the list's papers and write the lock.

The plan, in two stages (each source paced by its own documented limit, sources in parallel):

1. arXiv (batches of 100), Semantic Scholar (batches of 500, by arXiv id, DOI or ACL id),
   OpenReview (each linked forum) and GitHub (each code repository);
2. Crossref for every DOI stage 1 revealed, and a dblp title search for each entry tagged
   as a preprint (or untagged) that stage 1 found no published version of (the slowest
   source comes last, and only where it can still change a finding).

Answers are cached (``metadata.json`` in the user cache directory, 7 days) so that a re-run
is cheap; a lookup that fails keeps the lock's previous facts. :func:`gather` is also what
``readme-lint --online`` uses to fill in papers missing from the lock (without writing it).
"""

from __future__ import annotations

import asyncio
import datetime
import math
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from readme_tools.identifiers import Identifier
from readme_tools.metadata.facts import READERS, AnyFacts
from readme_tools.metadata.knowledge import paper_facts
from readme_tools.metadata.lock import Lock, merge
from readme_tools.metadata.results import Results
from readme_tools.metadata.s2 import s2_id
from readme_tools.metadata.settings import MetadataSettings
from readme_tools.metadata.targets import PaperTarget
from readme_tools.venues import Vocabulary, vocabulary

if TYPE_CHECKING:
    from readme_tools.metadata.client import ApiClient
    from readme_tools.online.cache import ResultCache

Progress = Callable[[int, int], None]
Found = dict[tuple[str, str], AnyFacts]


@dataclass
class Gathered:
    """The answers of one run."""

    planned: dict[str, set[str]] = field(default_factory=dict)
    found: Found = field(default_factory=dict)
    #: source -> key -> reason
    failed: dict[str, dict[str, str]] = field(default_factory=dict)
    #: requests sent per source (cache hits send none)
    sent: dict[str, int] = field(default_factory=dict)
    cached: int = 0

    def plan(self, key: str, source: str) -> None:
        self.planned.setdefault(key, set()).add(source)


class _Meter:
    """Progress over the expected number of requests (grows when stage 2 is planned)."""

    def __init__(self, sink: Progress | None) -> None:
        self.sink = sink
        self.total = 0
        self.done = 0

    def expect(self, n: int) -> None:
        self.total += n
        self._show()

    def tick(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        self._show()

    def _show(self) -> None:
        if self.sink is not None and self.total:
            self.sink(self.done, self.total)


def open_metadata_cache(settings: MetadataSettings) -> ResultCache:
    from readme_tools.files import cache_dir
    from readme_tools.online.cache import ResultCache as Cache

    path = (settings.cache_path or cache_dir() / "metadata.json") if settings.use_cache else None
    ages = {"meta": settings.max_age, "arxiv": settings.max_age, "arxiv-missing": 86400.0}
    return Cache(path, ages)


async def _cached(
    gathered: Gathered,
    source: str,
    queries: Mapping[str, str],
    fetch: Callable[[Mapping[str, str]], Awaitable[Results[Any]]],
    settings: MetadataSettings,
    cache: ResultCache | None,
) -> None:
    """Answer ``queries`` (lock key -> query) from the cache, then ``fetch`` the rest."""
    if source not in settings.sources or not queries:
        return
    endpoint = settings.endpoint(source)
    todo: dict[str, str] = {}
    for key, query in queries.items():
        gathered.plan(key, source)
        hit = cache.get(source, f"{endpoint} {query}") if cache is not None else None
        if isinstance(hit, dict):
            try:
                gathered.found[(key, source)] = READERS[source](hit)
                gathered.cached += 1
                continue
            except (ValueError, TypeError):
                pass
        todo[key] = query
    if not todo:
        return
    results = await fetch(todo)
    for key, facts in results.found.items():
        gathered.found[(key, source)] = facts
        if cache is not None:
            cache.put(source, f"{endpoint} {todo[key]}", "meta", facts.to_json())
    if results.failed:
        gathered.failed.setdefault(source, {}).update(results.failed)


def _stage1(
    papers: Iterable[PaperTarget], repos: Iterable[Identifier]
) -> dict[str, dict[str, str]]:
    plan: dict[str, dict[str, str]] = {s: {} for s in ("arxiv", "s2", "openreview", "github")}
    for paper in papers:
        for ident in paper.ids:
            if ident.kind == "arxiv":
                plan["arxiv"][ident.key] = ident.value
            if ident.kind == "openreview":
                plan["openreview"][ident.key] = ident.value
            query = s2_id(ident)
            if query is not None:
                plan["s2"][ident.key] = query
    for repo in repos:
        plan["github"][repo.key] = repo.value
    return plan


def _stage2(
    papers: Iterable[PaperTarget], gathered: Gathered, old: Lock | None, vocab: Vocabulary
) -> dict[str, dict[str, str]]:
    from readme_tools.metadata.evidence import published

    def known(key: str, source: str) -> AnyFacts | None:
        """This run's answer, or — when the lookup failed — what the lock knew."""
        found = gathered.found.get((key, source))
        if found is None and old is not None and key in gathered.failed.get(source, {}):
            found = old.facts(key, source)
        return found

    crossref: dict[str, str] = {}
    dblp: dict[str, str] = {}
    for paper in papers:
        facts = paper_facts(paper.ids, known)
        for doi in sorted(facts.known_dois()):
            crossref[f"doi:{doi}"] = doi
        if not paper.preprint or any(e.strong for e in published(facts, vocab)):
            continue
        title = next((ax.title for _, ax in facts.arxiv if ax.title), "") or paper.title
        if title:
            dblp[paper.key] = title
    return {"crossref": crossref, "dblp": dblp}


def _expected_requests(source: str, n: int, settings: MetadataSettings) -> int:
    return math.ceil(n / settings.limit(source).batch) if n else 0


async def gather(
    papers: list[PaperTarget],
    repos: list[Identifier],
    settings: MetadataSettings,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    vocab: Vocabulary | None = None,
    old: Lock | None = None,
) -> Gathered:
    """Look everything up (two stages, see the module docstring)."""
    from readme_tools.metadata.arxiv import fetch_arxiv_facts
    from readme_tools.metadata.client import ApiClient
    from readme_tools.metadata.crossref import fetch_crossref
    from readme_tools.metadata.dblp import search_dblp
    from readme_tools.metadata.github import fetch_github
    from readme_tools.metadata.openreview import fetch_openreview
    from readme_tools.metadata.s2 import fetch_s2

    vocab = vocab or vocabulary()
    gathered = Gathered()
    meter = _Meter(progress)
    plan = _stage1(papers, repos)
    for source, queries in plan.items():
        if source in settings.sources:
            meter.expect(_expected_requests(source, len(queries), settings))
    async with ApiClient(settings) as client:
        client.on_answer = lambda source: meter.tick()
        arxiv_done = [0]

        def arxiv_progress(done: int, total: int) -> None:
            batches = (
                math.ceil(done / settings.limit("arxiv").batch)
                if done < total
                else (_expected_requests("arxiv", total, settings))
            )
            meter.tick(max(0, batches - arxiv_done[0]))
            arxiv_done[0] = max(arxiv_done[0], batches)

        def run(
            source: str, fetch: Callable[[ApiClient, Mapping[str, str]], Awaitable[Results[Any]]]
        ) -> Awaitable[None]:
            return _cached(
                gathered, source, plan[source], lambda q: fetch(client, q), settings, cache
            )

        async def arxiv(queries: Mapping[str, str]) -> Results[Any]:
            # the arXiv client has its own session: count its requests (batches) here
            client.sent["arxiv"] = _expected_requests("arxiv", len(queries), settings)
            return await fetch_arxiv_facts(
                settings, queries, cache, client.remaining(), arxiv_progress
            )

        await asyncio.gather(
            _cached(gathered, "arxiv", plan["arxiv"], arxiv, settings, cache),
            run("s2", fetch_s2),
            run("openreview", fetch_openreview),
            run("github", fetch_github),
        )
        plan = _stage2(papers, gathered, old, vocab)
        for source, queries in plan.items():
            if source in settings.sources:
                meter.expect(_expected_requests(source, len(queries), settings))
        await asyncio.gather(run("crossref", fetch_crossref), run("dblp", search_dblp))
        gathered.sent = dict(client.sent)
    if cache is not None:
        cache.save()
    return gathered


@dataclass
class SyncResult:
    lock: Lock
    gathered: Gathered


def sync(
    papers: list[PaperTarget],
    repos: list[Identifier],
    settings: MetadataSettings,
    old: Lock | None,
    *,
    today: datetime.date | None = None,
    progress: Progress | None = None,
    vocab: Vocabulary | None = None,
) -> SyncResult:
    """Gather and merge into ``old``: the new lock (see :func:`.lock.merge`)."""
    cache = open_metadata_cache(settings)
    gathered = asyncio.run(gather(papers, repos, settings, cache, progress, vocab, old))
    lock = merge(old, gathered.planned, gathered.found, today or datetime.date.today())
    return SyncResult(lock, gathered)
