"""Local fake servers for the online tests (127.0.0.1 only, stopped by their context manager).

* :class:`ServerThread` runs an aiohttp.web application on an ephemeral
  127.0.0.1 port in a background thread and records every request it sees.
* :func:`link_app` — pages answering 200/301/404/410/429/500/slow/huge/....
* :func:`arxiv_app` — the arXiv API (Atom) over the constructed seed records.
* :func:`github_app` — ``GET /repos/{owner}/{repo}`` of the GitHub API.
* :func:`fake_resolver` — a resolver for :class:`OnlineSettings` that maps
  made-up names to addresses and never asks real DNS.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "online"

HITS = web.AppKey("hits", Counter)
STATS = web.AppKey("stats", dict)


@dataclass
class Seen:
    method: str
    path_qs: str
    headers: dict[str, str]
    at: float


@dataclass
class ServerThread:
    """``with ServerThread(app) as srv: srv.url("/ok")``."""

    app: web.Application
    requests: list[Seen] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._runner: web.AppRunner | None = None
        self._error: BaseException | None = None
        self.app.middlewares.append(self._record)

    @web.middleware
    async def _record(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        self.requests.append(
            Seen(request.method, request.path_qs, dict(request.headers), time.monotonic())
        )
        return await handler(request)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._start())
        except BaseException as exc:  # surfaced in __enter__
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._stop())
        self._loop.close()

    async def _start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self._runner = web.AppRunner(
            self.app, shutdown_timeout=0.5, handler_cancellation=True, access_log=None
        )
        await self._runner.setup()
        await web.SockSite(self._runner, sock, backlog=1024).start()

    async def _stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def __enter__(self) -> ServerThread:
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def seen(self, path_prefix: str = "") -> list[Seen]:
        return [r for r in self.requests if r.path_qs.startswith(path_prefix)]


def fake_resolver(
    names: Mapping[str, Sequence[str]],
) -> Callable[[str, int], Awaitable[list[str]]]:
    """Resolve only ``names``; everything else is NXDOMAIN (no real DNS in tests)."""

    calls: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        if host in names:
            return list(names[host])
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


# --------------------------------------------------------------------------- links

HUGE_BYTES = 1 << 30


def link_app(latency: float = 0.0, other_port: int | None = None) -> web.Application:
    """Pages with every behaviour the checker must classify.

    ``latency`` delays every answer of ``/lat/...``; ``other_port`` is where
    ``/redirect-other-port`` points (a second server that must see nothing).
    """
    app = web.Application()
    hits: Counter[str] = Counter()
    app[HITS] = hits
    stats: dict[str, int] = {"huge_sent": 0}
    app[STATS] = stats

    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="hello")

    async def lat(request: web.Request) -> web.Response:
        host = request.host
        stats[host] = inflight = stats.get(host, 0) + 1
        stats["max_inflight_per_host"] = max(stats.get("max_inflight_per_host", 0), inflight)
        try:
            await asyncio.sleep(latency)
        finally:
            stats[host] -= 1
        return web.Response(text="ok")

    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]), text="status page")

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/ok")

    async def chain(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        raise web.HTTPFound(f"/chain/{n - 1}" if n > 1 else "/ok")

    async def to(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["url"])

    async def other_port_redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(f"http://127.0.0.1:{other_port}/ok")

    async def rate_limited(request: web.Request) -> web.Response:
        key = request.path_qs
        hits[key] += 1
        if hits[key] == 1:
            return web.Response(status=429, headers={"Retry-After": request.query.get("ra", "1")})
        return web.Response(text="finally")

    async def flaky(request: web.Request) -> web.Response:
        key = request.path_qs
        hits[key] += 1
        if hits[key] <= int(request.query.get("fail", "2")):
            return web.Response(status=500, text="oops")
        return web.Response(text="recovered")

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(float(request.query.get("s", "5")))
        return web.Response(text="late")

    async def huge(request: web.Request) -> web.StreamResponse:
        if request.method == "HEAD":
            return web.Response(status=405)
        resp = web.StreamResponse(status=int(request.query.get("status", "200")))
        resp.content_type = "text/html"
        await resp.prepare(request)
        chunk = b"x" * 65536
        try:
            while stats["huge_sent"] < HUGE_BYTES:
                await resp.write(chunk)
                stats["huge_sent"] += len(chunk)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return resp

    async def head_405(request: web.Request) -> web.Response:
        if request.method == "HEAD":
            return web.Response(status=405)
        return web.Response(text="get works")

    async def head_404(request: web.Request) -> web.Response:
        if request.method == "HEAD":
            return web.Response(status=404)
        return web.Response(text="get works")

    async def cloudflare(request: web.Request) -> web.Response:
        return web.Response(
            status=403,
            headers={"cf-mitigated": "challenge", "Server": "cloudflare"},
            text="<html><title>Just a moment...</title></html>",
        )

    async def captcha(request: web.Request) -> web.Response:
        return web.Response(status=403, text="<html>Please solve this CAPTCHA</html>")

    async def loop_(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    async def bad_scheme(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": "ftp://example.org/file"})

    app.router.add_get("/ok", ok)
    app.router.add_get("/lat/{tail:.*}", lat)
    app.router.add_get("/status/{code:\\d+}", status)
    app.router.add_get("/redirect", redirect)
    app.router.add_get("/chain/{n:\\d+}", chain)
    app.router.add_get("/to", to)
    app.router.add_get("/redirect-other-port", other_port_redirect)
    app.router.add_get("/rate-limited", rate_limited)
    app.router.add_get("/flaky", flaky)
    app.router.add_get("/slow", slow)
    app.router.add_route("*", "/huge", huge)
    app.router.add_route("*", "/head-405", head_405)
    app.router.add_route("*", "/head-404", head_404)
    app.router.add_get("/cloudflare", cloudflare)
    app.router.add_get("/captcha", captcha)
    app.router.add_get("/loop", loop_)
    app.router.add_get("/bad-scheme", bad_scheme)
    return app


# --------------------------------------------------------------------------- arXiv

OPENSEARCH = 'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
ARXIV_NS = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'
_VALID_NEW_ID = re.compile(r"\d{4}\.\d{4,5}")


def seed_records() -> list[dict[str, Any]]:
    data = json.loads((FIXTURES / "arxiv_seed_records.json").read_text(encoding="utf-8"))
    records: list[dict[str, Any]] = data["records"]
    return records


def _fold(title: str, width: int = 70) -> str:
    """Hard-wrap like the arXiv API does (newline + two spaces)."""
    words, lines, line = title.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n  ".join(lines)


def atom_entry(record: Mapping[str, Any]) -> str:
    vid = f"{record['id']}v{record['version']}"
    comment = record.get("comment")
    comment_xml = (
        f"\n    <arxiv:comment {ARXIV_NS}>{escape(comment)}</arxiv:comment>" if comment else ""
    )
    summary = record.get("summary", "Constructed placeholder abstract.")
    return f"""  <entry>
    <id>http://arxiv.org/abs/{vid}</id>
    <updated>{record["updated"]}</updated>
    <published>{record["published"]}</published>
    <title>{escape(_fold(record["title"]))}</title>
    <summary>  {escape(summary)}
</summary>
    <author>
      <name>Placeholder Author</name>
    </author>{comment_xml}
    <link href="http://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/{vid}" rel="related" type="application/pdf"/>
    <arxiv:primary_category {ARXIV_NS} term="cs.CV" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CV" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
"""


def atom_feed(query: str, total: int, entries: Iterable[str], per_page: int) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?{escape(query)}" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: {escape(query)}</title>
  <id>http://arxiv.org/api/fake</id>
  <updated>2025-01-01T00:00:00-05:00</updated>
  <opensearch:totalResults {OPENSEARCH}>{total}</opensearch:totalResults>
  <opensearch:startIndex {OPENSEARCH}>0</opensearch:startIndex>
  <opensearch:itemsPerPage {OPENSEARCH}>{per_page}</opensearch:itemsPerPage>
{"".join(entries)}</feed>
"""


def atom_error(query: str, message: str) -> str:
    anchor = message.replace(" ", "_")
    entry = f"""  <entry>
    <id>http://arxiv.org/api/errors#{escape(anchor)}</id>
    <title>Error</title>
    <summary>{escape(message)}</summary>
    <updated>2025-01-01T00:00:00-05:00</updated>
    <link href="http://arxiv.org/api/errors#{escape(anchor)}" rel="alternate" type="text/html"/>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>
"""
    return atom_feed(query, 1, [entry], 1)


def arxiv_app(
    records: Iterable[Mapping[str, Any]] | None = None,
    *,
    throttle_first: int = 0,
    reject: Iterable[str] = (),
) -> web.Application:
    """The arXiv API at ``/api/query``.

    ``throttle_first`` answers that many first requests with 503 ``Rate exceeded.``;
    ids in ``reject`` (and malformed ids) make the whole request an error entry,
    like the real API does for a malformed id.
    """
    app = web.Application()
    by_id = {r["id"]: r for r in (records if records is not None else seed_records())}
    rejected = set(reject)
    state = {"throttled": 0}

    async def query(request: web.Request) -> web.Response:
        if state["throttled"] < throttle_first:
            state["throttled"] += 1
            return web.Response(status=503, text="Rate exceeded.", headers={"Retry-After": "0"})
        ids = [i for i in request.query.get("id_list", "").split(",") if i]
        per_page = int(request.query.get("max_results", "10"))
        q = request.query_string
        for i in ids:
            base = re.sub(r"v\d+$", "", i)
            if base in rejected or not _VALID_NEW_ID.fullmatch(base):
                return web.Response(
                    status=400,
                    text=atom_error(q, f"incorrect id format for {i}"),
                    content_type="application/atom+xml",
                )
        entries = [atom_entry(by_id[i]) for i in ids if i in by_id][:per_page]
        # Like the live API, totalResults also counts requested ids that do not exist.
        return web.Response(
            text=atom_feed(q, len(ids), entries, per_page), content_type="application/atom+xml"
        )

    app.router.add_get("/api/query", query)
    return app


# --------------------------------------------------------------------------- GitHub


def github_app(repos: Iterable[str], moved: Mapping[str, str] | None = None) -> web.Application:
    """``GET /repos/{owner}/{repo}``: 200 for ``repos`` ("owner/name"), 404 otherwise.

    ``moved`` maps "owner/name" to an absolute URL the API redirects to.
    """
    app = web.Application()
    known = {r.lower() for r in repos}
    moves = {k.lower(): v for k, v in (moved or {}).items()}

    async def repo(request: web.Request) -> web.Response:
        name = f"{request.match_info['owner']}/{request.match_info['repo']}".lower()
        if name in moves:
            raise web.HTTPMovedPermanently(moves[name])
        if name in known:
            return web.json_response({"full_name": name})
        return web.json_response({"message": "Not Found"}, status=404)

    app.router.add_get("/repos/{owner}/{repo}", repo)
    return app
