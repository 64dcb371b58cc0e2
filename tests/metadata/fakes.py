"""A fake of every metadata API on one local aiohttp server (127.0.0.1 only).

:func:`metadata_app` serves, under one prefix per source, the answers in a
:class:`FakeData` (loaded from ``tests/fixtures/metadata`` by :func:`fixture_data`, or made
up in bulk by the bench): the arXiv API (Atom), the Semantic Scholar batch endpoint, dblp
search, OpenReview v2 (and v1), Crossref works and GitHub repositories (with the 301 of a
renamed repository). Every request is recorded per source with its time, so tests can check
pacing and that nothing was asked at all.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web

from readme_tools.identity import normalize_title

from ..online.fakes import ARXIV_NS, ServerThread, atom_feed

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "metadata"
LIST = FIXTURES / "list.md"
LOG = web.AppKey("log", dict)
PEAK = web.AppKey("peak", dict)


@dataclass
class FakeData:
    arxiv: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> record
    s2: dict[str, Any] = field(default_factory=dict)  # "ARXIV:id" -> paper object
    dblp: dict[str, Any] = field(default_factory=dict)  # normalised title -> answer
    openreview: dict[str, Any] = field(default_factory=dict)  # note id -> answer
    crossref: dict[str, Any] = field(default_factory=dict)  # doi (lower) -> answer
    github: dict[str, Any] = field(default_factory=dict)  # owner/repo (lower) -> repo
    moved: dict[str, int] = field(default_factory=dict)  # owner/repo (lower) -> repo id


def _load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fixture_data() -> FakeData:
    return FakeData(
        arxiv={r["id"]: r for r in _load("arxiv_records.json")["records"]},
        s2=_load("s2_papers.json")["papers"],
        dblp={normalize_title(k): v for k, v in _load("dblp_search.json")["searches"].items()},
        openreview=_load("openreview_notes.json")["notes"],
        crossref={k.lower(): v for k, v in _load("crossref_works.json")["works"].items()},
        github={k.lower(): v for k, v in _load("github_repos.json")["repos"].items()},
        moved={k.lower(): v for k, v in _load("github_repos.json")["moved"].items()},
    )


def atom_entry(record: Mapping[str, Any]) -> str:
    """An arXiv API entry, with the optional comment, journal-ref and DOI elements."""
    vid = f"{record['id']}v{record['version']}"
    extra = ""
    for tag in ("comment", "journal_ref", "doi"):
        if record.get(tag):
            extra += f"\n    <arxiv:{tag} {ARXIV_NS}>{escape(record[tag])}</arxiv:{tag}>"
    return f"""  <entry>
    <id>http://arxiv.org/abs/{vid}</id>
    <updated>{record["updated"]}</updated>
    <published>{record["published"]}</published>
    <title>{escape(record["title"])}</title>
    <summary>  {escape(record.get("summary", "Constructed abstract."))}
</summary>
    <author>
      <name>Placeholder Author</name>
    </author>{extra}
    <link href="http://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>
    <arxiv:primary_category {ARXIV_NS} term="cs.CV" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
"""


def _empty_dblp(query: str) -> dict[str, Any]:
    return {
        "result": {
            "query": query,
            "status": {"@code": "200", "text": "OK"},
            "time": {"@unit": "msecs", "text": "1.00"},
            "completions": {"@total": "0", "@computed": "0", "@sent": "0"},
            "hits": {"@total": "0", "@computed": "0", "@sent": "0", "@first": "0"},
        }
    }


def metadata_app(
    data: FakeData,
    *,
    latency: float | Mapping[str, float] = 0.0,
    throttle: Mapping[str, int] | None = None,
    retry_after: str = "1",
    github_quota: int | None = None,
    s2_reject: frozenset[str] = frozenset(),
) -> web.Application:
    """All sources on one app. ``latency`` delays every answer (seconds, or per source);
    ``throttle`` answers the first N requests of a source with
    429 + ``Retry-After``; ``github_quota`` makes GitHub report that many requests left
    (then 403 with ``x-ratelimit-remaining: 0``); an id in ``s2_reject`` makes the whole
    Semantic Scholar batch a 400, as a malformed id does."""
    app = web.Application()
    log: dict[str, list[tuple[float, str]]] = defaultdict(list)
    app[LOG] = log
    throttled: dict[str, int] = defaultdict(int)
    inflight: dict[str, int] = defaultdict(int)
    peak: dict[str, int] = defaultdict(int)
    app[PEAK] = peak
    quota = {"left": github_quota}

    async def enter(source: str, request: web.Request) -> web.Response | None:
        log[source].append((time.monotonic(), request.path_qs))
        inflight[source] += 1
        peak[source] = max(peak[source], inflight[source])
        try:
            delay = latency.get(source, 0.0) if isinstance(latency, Mapping) else latency
            if delay:
                await asyncio.sleep(delay)
        finally:
            inflight[source] -= 1
        if throttled[source] < (throttle or {}).get(source, 0):
            throttled[source] += 1
            return web.Response(
                status=429, text="Too Many Requests", headers={"Retry-After": retry_after}
            )
        return None

    async def arxiv(request: web.Request) -> web.Response:
        refused = await enter("arxiv", request)
        if refused is not None:
            return refused
        ids = [re.sub(r"v\d+$", "", i) for i in request.query.get("id_list", "").split(",") if i]
        entries = [atom_entry(data.arxiv[i]) for i in ids if i in data.arxiv]
        feed = atom_feed(request.query_string, len(ids), entries, len(ids))
        return web.Response(text=feed, content_type="application/atom+xml")

    async def s2(request: web.Request) -> web.Response:
        refused = await enter("s2", request)
        if refused is not None:
            return refused
        body = await request.json()
        ids = body.get("ids", [])
        if len(ids) > 500:
            return web.json_response({"error": "Cannot process more than 500 ids"}, status=400)
        if s2_reject.intersection(ids):
            return web.json_response({"error": "Unacceptable id format"}, status=400)
        return web.json_response([data.s2.get(i) for i in ids])

    async def dblp(request: web.Request) -> web.Response:
        refused = await enter("dblp", request)
        if refused is not None:
            return refused
        query = request.query.get("q", "")
        answer = data.dblp.get(normalize_title(query)) or _empty_dblp(query)
        return web.json_response(answer)

    async def openreview(request: web.Request) -> web.Response:
        refused = await enter("openreview", request)
        if refused is not None:
            return refused
        note_id = request.query.get("id", "")
        if note_id in data.openreview:
            return web.json_response(data.openreview[note_id])
        return web.json_response({"notes": [], "count": 0})

    async def openreview_v1(request: web.Request) -> web.Response:
        refused = await enter("openreview-v1", request)
        if refused is not None:
            return refused
        return web.json_response({"notes": [], "count": 0})

    async def crossref(request: web.Request) -> web.Response:
        refused = await enter("crossref", request)
        if refused is not None:
            return refused
        doi = request.match_info["doi"].lower()
        if doi in data.crossref:
            return web.json_response(data.crossref[doi])
        return web.Response(status=404, text="Resource not found.")

    def github_headers() -> dict[str, str]:
        if quota["left"] is None:
            return {}
        return {
            "x-ratelimit-remaining": str(max(0, quota["left"])),
            "x-ratelimit-reset": "9999999999",
        }

    async def github_repo(request: web.Request) -> web.Response:
        refused = await enter("github", request)
        if refused is not None:
            return refused
        if quota["left"] is not None:
            if quota["left"] <= 0:
                return web.json_response(
                    {"message": "API rate limit exceeded"}, status=403, headers=github_headers()
                )
            quota["left"] -= 1
        name = f"{request.match_info['owner']}/{request.match_info['repo']}".lower()
        if name in data.moved:
            target = request.url.with_path(f"/github/repositories/{data.moved[name]}")
            return web.Response(status=301, headers={"Location": str(target), **github_headers()})
        if name in data.github:
            return web.json_response(data.github[name], headers=github_headers())
        return web.json_response({"message": "Not Found"}, status=404, headers=github_headers())

    async def github_by_id(request: web.Request) -> web.Response:
        refused = await enter("github", request)
        if refused is not None:
            return refused
        wanted = int(request.match_info["id"])
        for repo in data.github.values():
            if repo.get("id") == wanted:
                return web.json_response(repo)
        return web.json_response({"message": "Not Found"}, status=404)

    app.router.add_get("/arxiv/api/query", arxiv)
    app.router.add_post("/s2/graph/v1/paper/batch", s2)
    app.router.add_get("/dblp/search/publ/api", dblp)
    app.router.add_get("/openreview/notes", openreview)
    app.router.add_get("/openreview1/notes", openreview_v1)
    app.router.add_get("/crossref/works/{doi:.+}", crossref)
    app.router.add_get("/github/repos/{owner}/{repo}", github_repo)
    app.router.add_get("/github/repositories/{id:\\d+}", github_by_id)
    return app


def endpoints(srv: ServerThread, host: str = "127.0.0.1") -> dict[str, str]:
    """The ``<source>_api`` values that point every source at ``srv``."""
    return {
        "arxiv_api": srv.url("/arxiv/api/query", host),
        "s2_api": srv.url("/s2/graph/v1", host),
        "dblp_api": srv.url("/dblp/search/publ/api", host),
        "openreview_api": srv.url("/openreview", host),
        "openreview_v1_api": srv.url("/openreview1", host),
        "crossref_api": srv.url("/crossref", host),
        "github_api": srv.url("/github", host),
    }


def env_for(srv: ServerThread) -> dict[str, str]:
    """Environment variables pointing every source at ``srv`` (for the CLI)."""
    return {
        "README_TOOLS_" + name.removesuffix("_api").upper() + "_API": url
        for name, url in endpoints(srv).items()
    }


def requests_of(srv: ServerThread) -> dict[str, list[tuple[float, str]]]:
    return dict(srv.app[LOG])
