"""Crossref REST API: ``GET /works/{doi}`` (``?mailto=`` puts the request in the polite pool).

The work is under ``message``: ``type`` ("proceedings-article", "journal-article", …),
``title`` and ``container-title`` (lists of strings), ``event.name`` for proceedings, and
``issued.date-parts`` (``[[2023, 12, 10]]``). An unknown DOI answers 404 ("Resource not
found.").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from readme_tools.metadata.facts import CrossrefFacts
from readme_tools.metadata.results import LookupFailed, Results

if TYPE_CHECKING:
    from readme_tools.metadata.client import ApiClient


def _first(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value).split()) if isinstance(value, (str, int)) else ""


def _year(message: Mapping[str, Any]) -> int:
    for name in ("issued", "published", "published-print", "published-online"):
        parts = message.get(name)
        if isinstance(parts, Mapping):
            dates = parts.get("date-parts")
            if isinstance(dates, list) and dates and isinstance(dates[0], list) and dates[0]:
                year = dates[0][0]
                if isinstance(year, int) and not isinstance(year, bool):
                    return year
    return 0


def parse_work(data: Any) -> CrossrefFacts:
    message = data.get("message") if isinstance(data, Mapping) else None
    if not isinstance(message, Mapping):
        return CrossrefFacts(found=False)
    event = message.get("event")
    return CrossrefFacts(
        type=str(message.get("type") or ""),
        title=_first(message.get("title")),
        container=_first(message.get("container-title")),
        event=_first(event.get("name")) if isinstance(event, Mapping) else "",
        year=_year(message),
    )


async def fetch_crossref(client: ApiClient, dois: Mapping[str, str]) -> Results[CrossrefFacts]:
    """``dois`` maps lock keys to DOIs."""
    results: Results[CrossrefFacts] = Results()
    base = client.settings.endpoint("crossref").rstrip("/")
    mailto = client.settings.crossref_mailto
    suffix = f"?mailto={quote(mailto)}" if mailto else ""
    keys = list(dois)
    for i, key in enumerate(keys):
        url = f"{base}/works/{quote(dois[key], safe='/()')}{suffix}"
        try:
            answer = await client.request("crossref", "GET", url)
        except LookupFailed as exc:
            results.fail_all(keys[i:] if exc.fatal else [key], exc.reason)
            if exc.fatal:
                break
            continue
        if answer.status == 404:
            results.found[key] = CrossrefFacts(found=False)
        elif answer.status == 200:
            results.found[key] = parse_work(answer.data)
        else:
            results.failed[key] = f"crossref: HTTP {answer.status}"
    return results
