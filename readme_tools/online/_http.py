"""Safe HTTP plumbing shared by the link checker and the API clients.

This is the only module that imports aiohttp; :mod:`readme_tools.online.links`
and :mod:`readme_tools.online.arxiv` import it inside their entry points, so
``import readme_tools.online`` (and therefore an offline lint run) never loads
aiohttp.

Why aiohttp (rather than httpx, requests + threads, or urllib):

* its connector has a *resolver hook* (:class:`aiohttp.abc.AbstractResolver`):
  :class:`VettedResolver` returns only addresses that
  :func:`~readme_tools.online.netsafety.vet_host` approved moments before, so
  the connection goes to the checked address (no DNS rebinding) while TLS still
  verifies the certificate against the host name;
* it has per-host and total connection limits built in, and asyncio makes a few
  hundred concurrent checks cheap (threads would need a pool per host to get the
  same politeness);
* it lets us switch off redirects, proxies from the environment and cookie
  sharing, and read a body incrementally so that we stop after a few KiB.

httpx offers a transport hook too, but no resolver hook: pinning the address
would mean rewriting the URL to the IP and patching SNI/Host by hand.

:class:`SafeSession` adds what aiohttp does not do for us: per-host spacing
between request starts, our own per-host/total semaphores (acquired *before*
the request timeout starts, so waiting in the queue does not time a request
out), manual redirects with every hop vetted, the overall time budget, and
credentials that go to one origin only.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from multidict import CIMultiDictProxy
from yarl import URL

from readme_tools.online.netsafety import (
    IPAddress,
    Refused,
    ResolutionFailed,
    normalise_host,
    parse_ip_host,
    vet_host,
)
from readme_tools.online.settings import OnlineSettings

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


class TooManyRedirects(Exception):
    pass


class BudgetExhausted(Exception):
    pass


class ResponseTooLarge(Exception):
    pass


class BadRedirect(Exception):
    pass


#: What :meth:`SafeSession.fetch` raises for a failed request (besides the policy's
#: ``Refused``/``HostNotFound``/``ResolutionFailed`` and ``BudgetExhausted``); anything
#: else is a bug and propagates.
FETCH_ERRORS: tuple[type[Exception], ...] = (
    aiohttp.ClientError,
    asyncio.TimeoutError,
    OSError,
    ValueError,  # URLs yarl cannot represent
    TooManyRedirects,
    BadRedirect,
    ResponseTooLarge,
)


class VettedResolver(AbstractResolver):
    """Hands aiohttp the addresses we vetted for a host, and nothing else."""

    def __init__(self) -> None:
        self._vetted: dict[tuple[str, int], list[IPAddress]] = {}

    def admit(self, host: str, port: int, addresses: list[IPAddress]) -> None:
        self._vetted[(normalise_host(host), port)] = addresses

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = self._vetted.get((normalise_host(host), port))
        if not addresses:
            # Never fall back to a real lookup: that would bypass the policy.
            raise OSError(f"refusing to connect to {host}:{port}: not vetted")
        return [
            {
                "hostname": host,
                "host": str(ip),
                "port": port,
                "family": socket.AF_INET6 if ip.version == 6 else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for ip in addresses
        ]

    async def close(self) -> None:
        return None


class HostGate:
    """At most ``limit`` requests in flight to a host, starts ``spacing`` apart."""

    def __init__(self, limit: int, spacing: float) -> None:
        self.slots = asyncio.Semaphore(limit)
        self.spacing = spacing
        self._next_start = 0.0
        self._lock = asyncio.Lock()

    async def wait_turn(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._lock:
            delay = self._next_start - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next_start = max(loop.time(), self._next_start) + self.spacing

    def hold_off(self, seconds: float) -> None:
        """No new request to this host for ``seconds`` (after a 429 / Retry-After)."""
        loop = asyncio.get_running_loop()
        self._next_start = max(self._next_start, loop.time() + seconds)


@dataclass
class Fetched:
    """The last response of a redirect chain."""

    status: int
    url: URL
    headers: CIMultiDictProxy[str]
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)


def origin(url: URL) -> tuple[str, str, int | None]:
    return (url.scheme, normalise_host(url.raw_host or ""), url.port)


class SafeSession:
    """An aiohttp session that only talks to vetted addresses.  Use ``async with``."""

    def __init__(self, settings: OnlineSettings, deadline: float) -> None:
        self.settings = settings
        self.deadline = deadline
        self.policy = settings.policy()
        self.resolver = VettedResolver()
        self._vetting: dict[tuple[str, int], asyncio.Future[list[IPAddress]]] = {}
        self._gates: dict[str, HostGate] = {}
        self._total = asyncio.Semaphore(settings.total_limit)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> SafeSession:
        connector = aiohttp.TCPConnector(
            resolver=self.resolver,
            use_dns_cache=False,
            limit=self.settings.total_limit,
            limit_per_host=self.settings.per_host_limit,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            trust_env=False,  # no proxies from the environment
            headers={"User-Agent": self.settings.user_agent},
            cookie_jar=aiohttp.CookieJar(),  # some sites set a cookie and redirect to themselves
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    def remaining(self) -> float:
        return self.deadline - asyncio.get_running_loop().time()

    def gate(self, url: URL) -> HostGate:
        key = normalise_host(url.raw_host or "")
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = HostGate(
                self.settings.per_host_limit, self.settings.per_host_spacing
            )
        return gate

    async def vet(self, url: URL) -> URL:
        """Check scheme and host of ``url``; return it with an IP literal canonicalised.

        Raises :class:`Refused`, :class:`~readme_tools.online.netsafety.HostNotFound`
        or :class:`~readme_tools.online.netsafety.ResolutionFailed`.
        """
        if url.scheme not in ("http", "https"):
            raise Refused(f"only http and https links are checked, not {url.scheme or 'relative'}:")
        host = url.raw_host
        if not host:
            raise Refused("URL has no host")
        if url.user is not None or url.password is not None:
            raise Refused("URL carries credentials")
        port = url.port
        assert port is not None  # http(s) always has a port
        literal = parse_ip_host(host)
        if literal is not None and host.strip("[]").lower() != str(literal):
            # e.g. 0x08080808 -> 8.8.8.8: connect where a browser would.
            url = url.with_host(str(literal))
        key = (normalise_host(host), port)
        future = self._vetting.get(key)
        if future is None:
            future = asyncio.ensure_future(
                vet_host(host, port, self.policy, self.settings.resolver)
            )
            self._vetting[key] = future
        try:
            addresses = await asyncio.shield(future)
        except ResolutionFailed:
            # Possibly temporary: let a retry resolve again.
            if self._vetting.get(key) is future:
                del self._vetting[key]
            raise
        if literal is None:
            self.resolver.admit(host, port, addresses)
        return url

    async def fetch(
        self,
        method: str,
        url: str | URL,
        *,
        headers: Mapping[str, str] | None = None,
        credentials: tuple[URL, Mapping[str, str]] | None = None,
        body_limit: Callable[[int], int] = lambda status: 0,
        strict_body: bool = False,
        data: bytes | None = None,
    ) -> Fetched:
        """Send ``method`` to ``url`` following up to ``max_redirects`` redirects by hand.

        Every hop is vetted and gated.  ``credentials`` is ``(origin_url, headers)``:
        those headers are added only to hops whose origin equals ``origin_url``'s.
        ``body_limit(status)`` says how many body bytes to read from the final
        response; more are never read.  With ``strict_body`` a longer body raises
        :class:`ResponseTooLarge` instead of being truncated.  ``data`` is a request body
        (a POST to an API); a 301/302/303 redirect turns the request into a GET without it,
        as browsers do, while 307/308 send it again.
        """
        assert self._session is not None, "use SafeSession as an async context manager"
        current = url if isinstance(url, URL) else URL(url)
        redirects: list[str] = []
        while True:
            try:
                current = await self.vet(current)
            except Refused as exc:
                if not redirects:
                    raise
                raise Refused(f"redirected to {current}, which is refused: {exc.reason}") from None
            hop_headers = dict(headers or {})
            if credentials is not None and origin(current) == origin(credentials[0]):
                hop_headers.update(credentials[1])
            gate = self.gate(current)
            async with gate.slots, self._total:
                await gate.wait_turn()
                remaining = self.remaining()
                if remaining <= 0:
                    raise BudgetExhausted
                timeout = aiohttp.ClientTimeout(
                    total=min(self.settings.request_timeout, remaining),
                    sock_connect=self.settings.connect_timeout,
                )
                async with self._session.request(
                    method,
                    current,
                    headers=hop_headers,
                    allow_redirects=False,
                    timeout=timeout,
                    data=data,
                ) as resp:
                    location = resp.headers.get("Location")
                    if resp.status in REDIRECT_CODES and location:
                        resp.release()
                        if resp.status in (301, 302, 303) and data is not None:
                            method, data = "GET", None
                    else:
                        limit = body_limit(resp.status)
                        body = await _read_capped(resp, limit, strict_body)
                        return Fetched(resp.status, current, resp.headers, body, redirects)
            if len(redirects) >= self.settings.max_redirects:
                raise TooManyRedirects(f"more than {self.settings.max_redirects} redirects")
            try:
                target = current.join(URL(location))
            except ValueError as exc:
                raise BadRedirect(f"invalid redirect target {location!r}: {exc}") from None
            if target.scheme not in ("http", "https"):
                raise Refused(f"redirected to a non-http URL {location!r}")
            redirects.append(str(target))
            current = target


async def _read_capped(resp: aiohttp.ClientResponse, limit: int, strict: bool) -> bytes:
    if limit <= 0:
        return b""
    want = limit + 1 if strict else limit
    chunks: list[bytes] = []
    size = 0
    while size < want:
        chunk = await resp.content.read(min(65536, want - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    body = b"".join(chunks)
    if strict and len(body) > limit:
        raise ResponseTooLarge(f"response larger than {limit} bytes")
    return body


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header (delta or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def describe_error(exc: BaseException) -> tuple[str, bool]:
    """``(reason, retryable)`` for an exception from :meth:`SafeSession.fetch`."""
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return f"TLS certificate error: {exc.certificate_error}", False
    if isinstance(exc, aiohttp.ClientSSLError):
        return "TLS error", False
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        return "timed out", True
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"connection failed: {exc.os_error.strerror or exc.os_error}", True
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "server closed the connection", True
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "response body was cut off", True
    if isinstance(exc, aiohttp.InvalidURL):
        return f"invalid URL: {exc}", False
    if isinstance(exc, aiohttp.ClientError):
        return f"HTTP error: {exc.__class__.__name__}", True
    if isinstance(exc, (TooManyRedirects, BadRedirect, ResponseTooLarge)):
        return str(exc), False
    if isinstance(exc, ValueError):
        return f"invalid URL: {exc}", False
    return f"{exc.__class__.__name__}: {exc}", False
