"""Semantic Scholar Graph API: ``POST /graph/v1/paper/batch`` (up to 500 ids a request).

Request: ``?fields=title,venue,year,externalIds,publicationVenue`` with the JSON body
``{"ids": ["ARXIV:2106.15928", "DOI:10.18653/v1/…", "ACL:2023.emnlp-main.1"]}``. The answer
is a JSON array in the order of the ids, ``null`` where Semantic Scholar has no such paper.
A batch the API refuses as a whole (HTTP 400, e.g. a malformed id) is split in halves until
the culprit stands alone and is recorded as not found.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from readme_tools.identifiers import Identifier
from readme_tools.metadata.facts import S2Facts
from readme_tools.metadata.results import LookupFailed, Results

if TYPE_CHECKING:
    from readme_tools.metadata.client import ApiClient

FIELDS = "title,venue,year,externalIds,publicationVenue"
KEPT_IDS = ("ArXiv", "DBLP", "DOI", "ACL")


def s2_id(ident: Identifier) -> str | None:
    """The Graph API's spelling of a paper id (``ARXIV:…``, ``DOI:…``, ``ACL:…``)."""
    if ident.kind == "arxiv":
        return f"ARXIV:{ident.value}"
    if ident.kind == "doi":
        return f"DOI:{ident.value}"
    if ident.kind == "acl":
        return f"ACL:{ident.value if '.' in ident.value else ident.value.upper()}"
    return None


def parse_paper(obj: Any) -> S2Facts:
    """One element of the batch answer."""
    if not isinstance(obj, Mapping):
        return S2Facts(found=False)
    external = obj.get("externalIds") or {}
    venue = obj.get("publicationVenue") or {}
    year = obj.get("year")
    return S2Facts(
        paper_id=str(obj.get("paperId") or ""),
        title=str(obj.get("title") or ""),
        venue=str(obj.get("venue") or ""),
        publication_venue=str(venue.get("name") or "") if isinstance(venue, Mapping) else "",
        year=year if isinstance(year, int) and not isinstance(year, bool) else 0,
        external_ids={
            k: str(external[k])
            for k in KEPT_IDS
            if isinstance(external, Mapping) and external.get(k)
        },
    )


async def fetch_s2(client: ApiClient, ids: Mapping[str, str]) -> Results[S2Facts]:
    """``ids`` maps lock keys (``arxiv:…``) to Graph API ids; results are by lock key."""
    results: Results[S2Facts] = Results()
    by_query = {query: key for key, query in ids.items()}
    size = client.settings.limit("s2").batch
    queries = list(by_query)
    queue = deque(queries[i : i + size] for i in range(0, len(queries), size))
    url = f"{client.settings.endpoint('s2').rstrip('/')}/paper/batch?fields={FIELDS}"
    while queue:
        batch = queue.popleft()
        try:
            answer = await client.request("s2", "POST", url, body={"ids": batch})
        except LookupFailed as exc:
            lost = [by_query[q] for q in batch]
            if exc.fatal:
                lost += [by_query[q] for pending in queue for q in pending]
                queue.clear()
            results.fail_all(lost, exc.reason)
            continue
        if answer.status == 400 and len(batch) > 1:
            half = len(batch) // 2
            queue.appendleft(batch[half:])
            queue.appendleft(batch[:half])
            continue
        if answer.status in (400, 404):
            for q in batch:
                results.found[by_query[q]] = S2Facts(found=False)
            continue
        data = answer.data
        if answer.status != 200 or not isinstance(data, list) or len(data) != len(batch):
            results.fail_all(
                [by_query[q] for q in batch], f"s2: unexpected answer (HTTP {answer.status})"
            )
            continue
        for q, obj in zip(batch, data, strict=True):
            results.found[by_query[q]] = parse_paper(obj)
    return results
