"""arXiv: the existing API client (:func:`readme_tools.online.arxiv.fetch_arxiv_async`).

Batches of 100 ids, one request every 3 seconds, ``Retry-After`` honoured, malformed ids
never sent. The record gives the title, the latest version, the comment (withdrawal, and the
successor a withdrawal names: "superseded by 2405.13351"), the journal-ref and the DOI.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from readme_tools.metadata.evidence import superseded_by
from readme_tools.metadata.facts import ArxivFacts
from readme_tools.metadata.results import Results

if TYPE_CHECKING:
    from readme_tools.metadata.settings import MetadataSettings
    from readme_tools.online.arxiv import ArxivRecord
    from readme_tools.online.cache import ResultCache
    from readme_tools.online.settings import Progress


def from_record(record: ArxivRecord | None) -> ArxivFacts:
    if record is None:
        return ArxivFacts(found=False)
    return ArxivFacts(
        title=record.title,
        version=record.version,
        comment=record.comment,
        journal_ref=record.journal_ref,
        doi=record.doi.lower(),
        withdrawn=record.withdrawn,
        superseded_by=superseded_by(record.comment),
    )


async def fetch_arxiv_facts(
    settings: MetadataSettings,
    ids: Mapping[str, str],
    cache: ResultCache | None,
    remaining: float,
    progress: Progress | None = None,
) -> Results[ArxivFacts]:
    """``ids`` maps lock keys to arXiv ids."""
    from readme_tools.metadata.client import online_settings
    from readme_tools.online.arxiv import Pacer, fetch_arxiv_async
    from readme_tools.online.cache import ResultCache as Cache

    limit = settings.limit("arxiv")
    online = online_settings(settings).replace(
        arxiv_api=settings.endpoint("arxiv"),
        arxiv_interval=limit.interval,
        arxiv_batch_size=limit.batch,
        budget=max(remaining, 1.0),
    )
    lookup = await fetch_arxiv_async(
        list(ids.values()),
        online,
        progress,
        cache or Cache(None, {"arxiv": 0.0, "arxiv-missing": 0.0}),
        Pacer(),
    )
    results: Results[ArxivFacts] = Results()
    for key, ident in ids.items():
        if ident in lookup.failed:
            results.failed[key] = f"arxiv: {lookup.failed[ident]}"
        elif ident in lookup.records:
            results.found[key] = from_record(lookup.records[ident])
    return results
