"""Concurrent dead-link checking.

:func:`check_links` takes every external URL of a document and returns one
:class:`LinkResult` per URL with a three-way verdict plus ``refused``:

``ok``
    2xx after at most ``max_redirects`` redirects.
``dead``
    404 or 410, or the host name does not exist (NXDOMAIN).  An error.
``unknown``
    Anything we cannot call dead with confidence: 401/403/429/999 and bot
    walls (Cloudflare, AWS WAF, ...), other 4xx, 5xx, timeouts and connection
    failures after the retries, too many redirects, TLS errors, budget
    exhausted.  A warning.
``refused``
    We did not connect: not http(s), credentials in the URL, or the host (or a
    redirect hop) is a private/internal address — see
    :mod:`readme_tools.online.netsafety`.  A warning.

Per URL: ``HEAD`` first; anything but 2xx (except 429, which is retried) is
confirmed with ``GET``, whose verdict stands (many servers answer ``HEAD``
with 403/404/405/500).  The first URL of each host probes ``HEAD`` before the
host's other URLs start; if the host answers 405/501, they use ``GET``
directly.  A ``GET`` body is read only for non-2xx answers, and only
``sniff_bytes`` of it, to recognise a bot wall.  Timeouts, connection
errors, 5xx and 429 are retried up to ``retries`` times with exponential
back-off and jitter; a ``Retry-After`` header (seconds or HTTP date) replaces
the back-off, capped at ``retry_after_cap``, and also holds off every other
request to that host.

Concurrency: ``per_host_limit`` requests per host (default 4) with starts
``per_host_spacing`` apart (default 0.1 s), ``total_limit`` overall (default
100).  The whole call is bounded by ``budget``; URLs not finished by then are
``unknown``.

GitHub: with ``github_token`` set, links to a repository's front page
(``https://github.com/owner/repo``) are checked with
``GET <github-api>/repos/owner/repo`` (200 ok, 404 dead).  github.com rate
limits anonymous page fetches hard; the API allows 5,000 requests an hour with
a token.  The token is sent only to the ``github_api`` origin — never to
github.com and never to a redirect target on another origin.

Results ``ok`` and ``dead`` are cached (``link-ok``: 7 days, ``link-dead``:
1 day); ``unknown`` and ``refused`` are not.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urldefrag

from readme_tools.online.cache import ResultCache, open_cache
from readme_tools.online.netsafety import HostNotFound, Refused, ResolutionFailed
from readme_tools.online.settings import OnlineSettings, Progress

if TYPE_CHECKING:
    from multidict import CIMultiDictProxy

    from readme_tools.online._http import Fetched, SafeSession

LinkStatus = Literal["ok", "dead", "unknown", "refused"]

_DEAD_CODES = frozenset({404, 410})
_RETRY_CODES = frozenset({429, 500, 502, 503, 504})
_HEAD_UNSUPPORTED = frozenset({405, 501})

_BOT_WALL_MARKERS = (
    "just a moment...",
    "attention required!",
    "cf-chl-",
    "captcha",
    "are you a robot",
    "checking your browser",
    "unusual traffic",
    "ddos-guard",
    "request unsuccessful. incapsula",
)
_BOT_WALL_SERVERS = ("cloudflare", "ddos-guard", "akamaighost")

# First path segments on github.com that are not user or organisation names.
_GITHUB_RESERVED = frozenset(
    {
        "about",
        "account",
        "apps",
        "blog",
        "codespaces",
        "collections",
        "contact",
        "copilot",
        "customer-stories",
        "dashboard",
        "discussions",
        "enterprise",
        "events",
        "explore",
        "features",
        "github",
        "issues",
        "join",
        "login",
        "logout",
        "marketplace",
        "new",
        "notifications",
        "organizations",
        "orgs",
        "pricing",
        "pulls",
        "readme",
        "resources",
        "search",
        "security",
        "settings",
        "signup",
        "site",
        "solutions",
        "sponsors",
        "stars",
        "team",
        "topics",
        "trending",
        "users",
        "watching",
    }
)
_GITHUB_REPO_URL = re.compile(
    r"https?://(?:www\.)?github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/"
    r"([A-Za-z0-9._-]+?)(?:\.git)?/?(?:[?#].*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LinkResult:
    """The verdict for one URL."""

    url: str
    status: LinkStatus
    #: Final HTTP status code, if a response was received.
    code: int | None = None
    #: Human-readable explanation ("HTTP 404", "169.254.169.254 is a link-local address", ...).
    reason: str = ""
    #: Where the redirects ended, if anywhere else than ``url``.
    final_url: str | None = None
    #: ``"http"`` or ``"github-api"``.
    via: str = "http"
    cached: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["url"], data["cached"]
        return data

    @classmethod
    def from_json(cls, url: str, data: Mapping[str, Any]) -> LinkResult:
        return cls(
            url=url,
            status=data["status"],
            code=data.get("code"),
            reason=str(data.get("reason", "")),
            final_url=data.get("final_url"),
            via=str(data.get("via", "http")),
            cached=True,
        )


@dataclass(frozen=True)
class _Attempt:
    result: LinkResult
    retryable: bool = False
    retry_after: float | None = None


def github_repo(url: str) -> tuple[str, str] | None:
    """``(owner, repo)`` if ``url`` is a GitHub repository's front page."""
    m = _GITHUB_REPO_URL.fullmatch(url.strip())
    if not m or m.group(1).lower() in _GITHUB_RESERVED or m.group(2) in (".", ".."):
        return None
    return m.group(1), m.group(2)


def _bot_wall(status: int, headers: CIMultiDictProxy[str], body: bytes) -> str | None:
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "bot wall (Cloudflare challenge)"
    if "x-amzn-waf-action" in headers:
        return "bot wall (AWS WAF challenge)"
    if status == 999:
        return "bot wall (HTTP 999)"
    if status < 400:
        return None
    text = body.decode("utf-8", "replace").lower()
    if any(marker in text for marker in _BOT_WALL_MARKERS):
        return "bot wall (challenge page)"
    server = headers.get("server", "").lower()
    if status in (403, 503) and any(s in server for s in _BOT_WALL_SERVERS):
        return f"bot wall? (HTTP {status} from {server})"
    return None


def cache_key(url: str) -> str:
    """The URL we actually request: fragments are never sent."""
    return urldefrag(url.strip())[0]


class _LinkChecker:
    def __init__(self, session: SafeSession, settings: OnlineSettings) -> None:
        self.session = session
        self.settings = settings
        self.head_unsupported: set[str] = set()
        # Set once the first HEAD to a host has answered; later URLs of that host
        # wait for it so that they know whether to skip HEAD.
        self.head_probed: dict[str, asyncio.Event] = {}

    async def check(self, url: str) -> LinkResult:
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            outcome = await self._attempt(url)
            if not outcome.retryable or attempt == attempts - 1:
                return outcome.result
            delay = self.settings.retry_delay(attempt, outcome.retry_after)
            if delay >= self.session.remaining():
                result = outcome.result
                return replace(result, reason=result.reason + "; no time left to retry")
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def _attempt(self, url: str) -> _Attempt:
        from readme_tools.online._http import FETCH_ERRORS, BudgetExhausted, describe_error

        try:
            repo = github_repo(url) if self.settings.github_token else None
            if repo is not None:
                return await self._github(url, *repo)
            return await self._http(url)
        except Refused as exc:
            return _Attempt(LinkResult(url, "refused", reason=exc.reason))
        except HostNotFound as exc:
            return _Attempt(LinkResult(url, "dead", reason=f"host not found ({exc})"))
        except ResolutionFailed as exc:
            return _Attempt(LinkResult(url, "unknown", reason=f"DNS error ({exc})"), True)
        except BudgetExhausted:
            return _Attempt(LinkResult(url, "unknown", reason="overall time budget exhausted"))
        except FETCH_ERRORS as exc:
            reason, retryable = describe_error(exc)
            return _Attempt(LinkResult(url, "unknown", reason=reason), retryable)

    async def _http(self, url: str) -> _Attempt:
        from yarl import URL

        target = URL(cache_key(url))
        host = (target.raw_host or "").lower()
        probed = self.head_probed.get(host)
        first = probed is None
        if probed is None:
            probed = self.head_probed[host] = asyncio.Event()
        else:
            await probed.wait()
        try:
            if host not in self.head_unsupported:
                head = await self.session.fetch("HEAD", target, headers=_ACCEPT)
                if 200 <= head.status < 300 and _bot_wall(head.status, head.headers, b"") is None:
                    return _Attempt(_ok(url, head))
                if head.status == 429:
                    return self._classify(url, head)
                if head.status in _HEAD_UNSUPPORTED:
                    self.head_unsupported.add(host)
        finally:
            if first:
                probed.set()
        sniff = self.settings.sniff_bytes
        get = await self.session.fetch(
            "GET",
            target,
            headers=_ACCEPT,
            body_limit=lambda status: 0 if 200 <= status < 300 or status in _DEAD_CODES else sniff,
        )
        return self._classify(url, get)

    def _classify(self, url: str, resp: Fetched) -> _Attempt:
        status = resp.status
        final = str(resp.url) if resp.redirects else None
        wall = _bot_wall(status, resp.headers, resp.body)
        if wall is not None:
            return _Attempt(LinkResult(url, "unknown", status, wall, final))
        if 200 <= status < 300:
            return _Attempt(_ok(url, resp))
        if status in _DEAD_CODES:
            return _Attempt(LinkResult(url, "dead", status, f"HTTP {status}", final))
        result = LinkResult(url, "unknown", status, f"HTTP {status}", final)
        if status in _RETRY_CODES:
            retry_after = self._retry_after(resp)
            return _Attempt(result, True, retry_after)
        return _Attempt(result)

    def _retry_after(self, resp: Fetched) -> float | None:
        from readme_tools.online._http import parse_retry_after

        seconds = parse_retry_after(resp.headers.get("Retry-After"), time.time())
        if seconds is None and resp.headers.get("x-ratelimit-remaining") == "0":
            reset = resp.headers.get("x-ratelimit-reset", "")
            if reset.isdigit():
                seconds = max(0.0, int(reset) - time.time())
        if seconds is not None:
            seconds = min(seconds, self.settings.retry_after_cap)
            self.session.gate(resp.url).hold_off(seconds)
        return seconds

    async def _github(self, url: str, owner: str, repo: str) -> _Attempt:
        from yarl import URL

        api = URL(self.settings.github_api.rstrip("/") + "/")
        endpoint = api.join(URL(f"repos/{owner}/{repo}"))
        credentials = (
            api,
            {
                "Authorization": f"Bearer {self.settings.github_token}",
                "X-GitHub-Api-Version": "2022-11-28",
            },
        )
        resp = await self.session.fetch(
            "GET",
            endpoint,
            headers={"Accept": "application/vnd.github+json"},
            credentials=credentials,
        )
        status = resp.status
        if 200 <= status < 300:
            return _Attempt(LinkResult(url, "ok", status, via="github-api"))
        if status == 404:
            reason = f"GitHub repository {owner}/{repo} not found (GitHub API)"
            return _Attempt(LinkResult(url, "dead", status, reason, via="github-api"))
        result = LinkResult(url, "unknown", status, f"GitHub API: HTTP {status}", via="github-api")
        if status in _RETRY_CODES or (status == 403 and "x-ratelimit-remaining" in resp.headers):
            return _Attempt(result, True, self._retry_after(resp))
        return _Attempt(result)


_ACCEPT = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def _ok(url: str, resp: Fetched) -> LinkResult:
    final = str(resp.url) if resp.redirects else None
    return LinkResult(url, "ok", resp.status, f"HTTP {resp.status}", final)


async def check_links_async(
    urls: Iterable[str],
    settings: OnlineSettings | None = None,
    progress: Progress | None = None,
    cache: ResultCache | None = None,
) -> dict[str, LinkResult]:
    """Async version of :func:`check_links` (use it when a loop is already running)."""
    from readme_tools.online._http import SafeSession

    settings = settings or OnlineSettings()
    cache = cache if cache is not None else open_cache(settings)
    originals = list(dict.fromkeys(urls))
    keys = {u: cache_key(u) for u in originals}
    unique = list(dict.fromkeys(keys.values()))
    total = len(unique)
    done = 0
    results: dict[str, LinkResult] = {}

    def report() -> None:
        if progress is not None:
            progress(done, total)

    report()
    todo: list[str] = []
    for key in unique:
        hit = cache.get("link", key)
        if isinstance(hit, dict) and hit.get("status") in ("ok", "dead"):
            results[key] = LinkResult.from_json(key, hit)
            done += 1
        else:
            todo.append(key)
    if done:
        report()

    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.budget
    if todo:
        async with SafeSession(settings, deadline) as session:
            checker = _LinkChecker(session, settings)
            tasks = {asyncio.ensure_future(checker.check(key)): key for key in todo}
            pending = set(tasks)
            while pending:
                finished, pending = await asyncio.wait(
                    pending,
                    timeout=max(0.0, deadline - loop.time()) + 1.0,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if not finished:
                    break
                for task in finished:
                    key = tasks[task]
                    result = task.result()
                    results[key] = result
                    if result.status in ("ok", "dead"):
                        cache.put("link", key, f"link-{result.status}", result.to_json())
                    done += 1
                    report()
            for task in pending:
                task.cancel()
                key = tasks[task]
                results[key] = LinkResult(key, "unknown", reason="overall time budget exhausted")
                done += 1
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
                report()
        cache.save()
    out: dict[str, LinkResult] = {}
    for original in originals:
        r = results[keys[original]]
        out[original] = r if r.url == original else replace(r, url=original)
    return out


def check_links(
    urls: Iterable[str],
    settings: OnlineSettings | None = None,
    progress: Progress | None = None,
) -> dict[str, LinkResult]:
    """Check every URL; return ``{url: LinkResult}`` (duplicates checked once).

    Runs its own event loop (``asyncio.run``); from async code call
    :func:`check_links_async` instead.  Never raises for a bad link — every
    failure becomes a result; ``ValueError`` only for invalid settings.
    """
    return asyncio.run(check_links_async(urls, settings, progress))
