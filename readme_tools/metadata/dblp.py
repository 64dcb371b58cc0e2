"""dblp publication search: ``GET /search/publ/api?q=<title words>&format=json&h=10``.

The answer (``result.hits.hit[].info``) carries ``key``, ``title`` (with a final dot),
``venue`` (a string, or a list for some records), ``year`` (a string), ``type``, ``doi`` and
``ee`` (a string or a list of electronic-edition URLs); ``hits.hit`` is missing when nothing
matched and ``authors.author`` may be one object instead of a list. Only hits whose title
equals the query's are kept, with the fields the evidence reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from readme_tools.identity import normalize_title
from readme_tools.metadata.facts import DblpFacts, DblpHit
from readme_tools.metadata.results import LookupFailed, Results

if TYPE_CHECKING:
    from readme_tools.metadata.client import ApiClient

_ID_EE = re.compile(r"arxiv\.org/abs/|doi\.org/10\.", re.IGNORECASE)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse_hit(info: Mapping[str, Any]) -> DblpHit:
    venue = " / ".join(str(v) for v in _as_list(info.get("venue")))
    year = str(info.get("year") or "")
    return DblpHit(
        key=str(info.get("key") or ""),
        title=str(info.get("title") or "").strip(),
        venue=venue,
        year=int(year) if year.isdigit() else 0,
        type=str(info.get("type") or ""),
        doi=str(info.get("doi") or "").lower(),
        ee=tuple(sorted(str(e) for e in _as_list(info.get("ee")) if _ID_EE.search(str(e)))),
    )


def parse_search(data: Any, title: str) -> DblpFacts:
    """The hits of a dblp JSON answer whose title equals ``title``."""
    result = data.get("result") if isinstance(data, Mapping) else None
    hits = result.get("hits") if isinstance(result, Mapping) else None
    raw = _as_list(hits.get("hit")) if isinstance(hits, Mapping) else []
    want = normalize_title(title)
    kept = []
    for hit in raw:
        info = hit.get("info") if isinstance(hit, Mapping) else None
        if not isinstance(info, Mapping):
            continue
        parsed = parse_hit(info)
        if parsed.key and normalize_title(parsed.title) == want:
            kept.append(parsed)
    return DblpFacts(title, tuple(sorted(kept, key=lambda h: h.key)))


def query_text(title: str) -> str:
    """dblp's search is word based: the title's words, punctuation dropped."""
    return normalize_title(title)


async def search_dblp(client: ApiClient, titles: Mapping[str, str]) -> Results[DblpFacts]:
    """``titles`` maps lock keys to titles; one request each, at dblp's pace."""
    results: Results[DblpFacts] = Results()
    base = client.settings.endpoint("dblp")
    keys = list(titles)
    for i, key in enumerate(keys):
        title = titles[key]
        url = f"{base}?q={quote(query_text(title))}&format=json&h=10"
        try:
            answer = await client.request("dblp", "GET", url)
        except LookupFailed as exc:
            results.fail_all(keys[i:] if exc.fatal else [key], exc.reason)
            if exc.fatal:
                break
            continue
        if answer.status != 200 or not isinstance(answer.data, Mapping):
            results.failed[key] = f"dblp: unexpected answer (HTTP {answer.status})"
            continue
        results.found[key] = parse_search(answer.data, title)
    return results
