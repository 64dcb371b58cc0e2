"""One polite HTTP client for every metadata source, on top of the safe session.

:class:`ApiClient` sends each request through :class:`~readme_tools.online._http.SafeSession`
(so every host, redirect hop and body size is vetted exactly as for the link checker) and
adds what the APIs ask of a client:

* a gate per *source* (not per host): at most ``concurrency`` requests in flight and one
  start every ``interval`` seconds, the numbers in :data:`~readme_tools.metadata.settings.LIMITS`;
* retries after 429, 5xx, timeouts and dropped connections, with exponential back-off or —
  when the server says so — ``Retry-After`` (the whole source waits, not just the request);
  a ``Retry-After`` longer than ``retry_after_cap`` gives the request up;
* GitHub's hourly quota, read from ``x-ratelimit-remaining``/``x-ratelimit-reset``: when it
  is used up the remaining GitHub requests wait for the reset if the budget allows, else
  fail with a message that says to set ``GITHUB_TOKEN``;
* credentials only where :func:`~readme_tools.metadata.settings.credentials_for` allows.

This module imports aiohttp (through ``_http``); the rest of the package imports it lazily.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from yarl import URL

from readme_tools.metadata.results import LookupFailed
from readme_tools.metadata.settings import MetadataSettings, credentials_for
from readme_tools.online._http import (
    FETCH_ERRORS,
    BudgetExhausted,
    Fetched,
    HostGate,
    SafeSession,
    describe_error,
    parse_retry_after,
)
from readme_tools.online.netsafety import HostNotFound, Refused, ResolutionFailed
from readme_tools.online.settings import USER_AGENT, OnlineSettings

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class Answer:
    """A final response: status, parsed JSON (``None`` if the body is not JSON) and more."""

    status: int
    data: Any
    fetched: Fetched


def online_settings(settings: MetadataSettings) -> OnlineSettings:
    """The safe session's settings for metadata requests (pacing is done per source here)."""
    return OnlineSettings(
        allow_private=settings.allow_private,
        allow_addresses=settings.allow_addresses,
        resolver=settings.resolver,
        per_host_limit=8,
        per_host_spacing=0.0,
        total_limit=32,
        connect_timeout=settings.connect_timeout,
        request_timeout=settings.request_timeout,
        budget=settings.budget,
        retries=settings.retries,
        backoff=settings.backoff,
        retry_after_cap=settings.retry_after_cap,
        max_redirects=settings.max_redirects,
        user_agent=USER_AGENT.replace("link checker", "metadata sync"),
        use_cache=False,
    )


class ApiClient:
    """Use as ``async with ApiClient(settings) as client``."""

    def __init__(self, settings: MetadataSettings) -> None:
        self.settings = settings
        self._loop_deadline = 0.0
        self._session: SafeSession | None = None
        self._gates: dict[str, HostGate] = {}
        self._quota: dict[str, tuple[int, float]] = {}  # source -> (remaining, reset epoch)
        self._quota_lock = asyncio.Lock()
        #: Requests sent per source (the bench reports them).
        self.sent: dict[str, int] = {}
        #: Called with the source after each request (answered or given up): progress.
        self.on_answer: Callable[[str], None] | None = None

    async def __aenter__(self) -> ApiClient:
        loop = asyncio.get_running_loop()
        self._session = SafeSession(
            online_settings(self.settings), loop.time() + self.settings.budget
        )
        await self._session.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.__aexit__(*exc)

    def remaining(self) -> float:
        assert self._session is not None
        return self._session.remaining()

    def gate(self, source: str) -> HostGate:
        gate = self._gates.get(source)
        if gate is None:
            limit = self.settings.limit(source)
            gate = self._gates[source] = HostGate(limit.concurrency, limit.interval)
        return gate

    async def request(
        self,
        source: str,
        method: str,
        url: str,
        *,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """Send one API request with retries; the final response, whatever its status.

        Raises :class:`LookupFailed` when no final response could be had.
        """
        try:
            return await self._request(source, method, url, body, headers)
        finally:
            if self.on_answer is not None:
                self.on_answer(source)

    async def _request(
        self,
        source: str,
        method: str,
        url: str,
        body: Any,
        headers: Mapping[str, str] | None,
    ) -> Answer:
        assert self._session is not None, "use ApiClient as an async context manager"
        send = dict(headers or {})
        send.setdefault("Accept", "application/json")
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode("utf-8")
            send["Content-Type"] = "application/json"
        creds = credentials_for(self.settings, source)
        credentials = (URL(creds[0]), creds[1]) if creds else None
        gate = self.gate(source)
        attempt = 0
        while True:
            await self._respect_quota(source)
            try:
                async with gate.slots:
                    await self._wait_turn(gate)
                    self.sent[source] = self.sent.get(source, 0) + 1
                    fetched = await self._session.fetch(
                        method,
                        url,
                        headers=send,
                        credentials=credentials,
                        body_limit=lambda status: self.settings.max_bytes,
                        strict_body=True,
                        data=data,
                    )
            except (Refused, HostNotFound) as exc:
                raise LookupFailed(f"{source}: {exc}", fatal=True) from None
            except BudgetExhausted:
                raise LookupFailed("overall time budget exhausted", fatal=True) from None
            except ResolutionFailed as exc:
                reason, retryable = f"DNS error ({exc})", True
            except FETCH_ERRORS as exc:
                reason, retryable = describe_error(exc)
            else:
                self._note_quota(source, fetched)
                if fetched.status not in RETRY_STATUSES and not self._quota_refusal(fetched):
                    return Answer(fetched.status, _json(fetched.body), fetched)
                reason, retryable = f"HTTP {fetched.status}", True
                wait = parse_retry_after(fetched.headers.get("Retry-After"), time.time())
                if wait is not None and wait > self.settings.retry_after_cap:
                    raise LookupFailed(f"{source}: asked to wait {wait:.0f} s ({reason})")
                if wait is not None:
                    gate.hold_off(wait)
            if not retryable or attempt >= self.settings.retries:
                raise LookupFailed(f"{source}: {reason}")
            delay = self.settings.backoff * 2**attempt * (1 + 0.25 * random.random())
            attempt += 1
            if delay >= self.remaining():
                raise LookupFailed("overall time budget exhausted", fatal=True)
            gate.hold_off(delay)

    async def _wait_turn(self, gate: HostGate) -> None:
        """Wait for the source's next slot, but not past the overall budget."""
        try:
            await asyncio.wait_for(gate.wait_turn(), timeout=max(0.0, self.remaining()))
        except asyncio.TimeoutError:
            raise LookupFailed("overall time budget exhausted", fatal=True) from None

    def _quota_refusal(self, fetched: Fetched) -> bool:
        """GitHub answers an exhausted quota with 403 and ``x-ratelimit-remaining: 0``."""
        return fetched.status == 403 and fetched.headers.get("x-ratelimit-remaining") == "0"

    def _note_quota(self, source: str, fetched: Fetched) -> None:
        remaining = fetched.headers.get("x-ratelimit-remaining")
        reset = fetched.headers.get("x-ratelimit-reset")
        if remaining is None or reset is None:
            return
        try:
            self._quota[source] = (int(remaining), float(reset))
        except ValueError:
            return

    async def _respect_quota(self, source: str) -> None:
        async with self._quota_lock:
            remaining, reset = self._quota.get(source, (1, 0.0))
            if remaining > 0:
                return
            wait = reset - time.time()
            if wait <= 0:
                self._quota.pop(source, None)
                return
            if wait >= self.remaining() or wait > self.settings.retry_after_cap:
                hint = (
                    " (set GITHUB_TOKEN for 5,000 requests an hour)" if source == "github" else ""
                )
                raise LookupFailed(
                    f"{source}: hourly request quota used up, resets in {wait:.0f} s{hint}",
                    fatal=True,
                )
            await asyncio.sleep(wait)
            self._quota.pop(source, None)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
