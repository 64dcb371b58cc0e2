"""Settings of the metadata layer: endpoints, credentials, rate limits — and who may set them.

Everything the metadata clients need is in one frozen dataclass, :class:`MetadataSettings`.
It is built by :func:`metadata_settings` from the environment and command-line values only:
a repository's own config (``[tool.readme-tools.metadata]``, see
:class:`~readme_tools.rules.metadata.MetadataOptions`) can narrow what is fetched (which
sources, the lock file's place inside the repository) but never widen where the tool
connects or where a secret goes. :data:`PRIVILEGED` names the fields that only the user
(environment, command line, user-level config) may set.

Credentials: :func:`credentials_for` is the one place that decides whether a secret is sent.
``GITHUB_TOKEN`` goes only to the GitHub API origin, and only when that origin is the
default ``https://api.github.com`` or one the *user* named (``README_TOOLS_GITHUB_API`` or
``--github-api``); likewise the Semantic Scholar key (``SEMANTIC_SCHOLAR_API_KEY``). The
HTTP layer adds the headers to requests to that origin only, never to a redirect elsewhere.

Rate limits are the numbers each API documents (:data:`LIMITS`); ``rate_scale`` below 1
(tests and benches against local servers) only ever applies to endpoints that are *not* the
real APIs, so it cannot make the tool impolite to a real service.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from readme_tools.online.netsafety import AddressPolicy, Resolver

Source = Literal["arxiv", "s2", "dblp", "openreview", "crossref", "github"]
SOURCES: tuple[str, ...] = ("arxiv", "s2", "openreview", "github", "crossref", "dblp")

DEFAULT_ENDPOINTS: Mapping[str, str] = {
    "arxiv": "https://export.arxiv.org/api/query",
    "s2": "https://api.semanticscholar.org/graph/v1",
    "dblp": "https://dblp.org/search/publ/api",
    "openreview": "https://api2.openreview.net",
    "crossref": "https://api.crossref.org",
    "github": "https://api.github.com",
}
#: OpenReview's API v1 (venues before 2023), asked when v2 has no such note.
DEFAULT_OPENREVIEW_V1 = "https://api.openreview.net"

#: ``README_TOOLS_<NAME>_API`` overrides an endpoint (as ``README_TOOLS_ARXIV_API`` does).
ENV_ENDPOINTS: Mapping[str, str] = {
    "arxiv": "README_TOOLS_ARXIV_API",
    "s2": "README_TOOLS_S2_API",
    "dblp": "README_TOOLS_DBLP_API",
    "openreview": "README_TOOLS_OPENREVIEW_API",
    "openreview_v1": "README_TOOLS_OPENREVIEW_V1_API",
    "crossref": "README_TOOLS_CROSSREF_API",
    "github": "README_TOOLS_GITHUB_API",
}
ENV_GITHUB_TOKEN = "GITHUB_TOKEN"
ENV_S2_KEY = "SEMANTIC_SCHOLAR_API_KEY"
ENV_MAILTO = "README_TOOLS_CROSSREF_MAILTO"
ENV_RATE_SCALE = "README_TOOLS_RATE_SCALE"


@dataclass(frozen=True)
class Limit:
    """A source's documented politeness: one request start every ``interval`` seconds, at
    most ``concurrency`` at once, ``batch`` ids per request where the API batches."""

    interval: float
    concurrency: int = 1
    batch: int = 1
    #: Where the number comes from (shown by ``readme-tools sync --help`` and the README).
    why: str = ""


#: Documented limits (as of 2025). See each ``why``.
LIMITS: Mapping[str, Limit] = {
    "arxiv": Limit(3.0, 1, 100, "arXiv API terms: one request every 3 s, one at a time"),
    "s2": Limit(3.0, 1, 500, "Semantic Scholar: 100 requests / 5 min shared; 500 ids a batch"),
    "s2-key": Limit(1.0, 1, 500, "Semantic Scholar with an API key: 1 request/s"),
    "dblp": Limit(2.0, 1, 1, "dblp FAQ: wait one or two seconds between two requests"),
    "openreview": Limit(3.0, 1, 1, "OpenReview: 20 requests/minute for guests"),
    "crossref": Limit(0.2, 1, 1, "Crossref public pool: 5 requests/s, one at a time"),
    "crossref-mailto": Limit(0.1, 3, 1, "Crossref polite pool (mailto): 10 requests/s, 3 at once"),
    # GitHub REST: 60 requests/hour without a token, 5,000 with one (tracked from the
    # x-ratelimit-* headers), at most 900 points/minute, and requests made serially.
    "github": Limit(60 / 900, 1, 1, "GitHub REST: serial, 900 requests/minute, hourly quota"),
}

#: Fields only the user may set (environment, command line, user-level config): they widen
#: where the tool connects, where a secret goes, or what it writes outside the repository.
PRIVILEGED: frozenset[str] = frozenset(
    {
        "endpoints",
        "openreview_v1",
        "github_token",
        "s2_api_key",
        "token_origins",
        "crossref_mailto",
        "allow_private",
        "allow_addresses",
        "resolver",
        "cache_path",
        "rate_scale",
    }
)


def origin_of(url: str) -> str:
    """``scheme://host[:port]``, lower case, default ports dropped: what credentials bind to."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme)
    netloc = host if port in (None, default) else f"{host}:{port}"
    if ":" in host:  # IPv6
        netloc = f"[{host}]" if port in (None, default) else f"[{host}]:{port}"
    return f"{parts.scheme}://{netloc}"


def _check_base_url(name: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{name} endpoint must be an http(s) URL, got {value!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"{name} endpoint must not have a query or fragment: {value!r}")


@dataclass(frozen=True)
class MetadataSettings:
    """Everything the metadata clients need.  Durations are seconds."""

    endpoints: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ENDPOINTS))
    openreview_v1: str = DEFAULT_OPENREVIEW_V1
    github_token: str | None = field(default=None, repr=False)
    s2_api_key: str | None = field(default=None, repr=False)
    #: Origins besides the defaults that the *user* named and may receive a secret.
    token_origins: frozenset[str] = frozenset()
    crossref_mailto: str | None = None
    #: Which sources to ask (a repository may narrow this).
    sources: tuple[str, ...] = SOURCES

    allow_private: bool = False
    allow_addresses: tuple[str, ...] = ()
    resolver: Resolver | None = field(default=None, compare=False, repr=False)

    connect_timeout: float = 10.0
    request_timeout: float = 30.0
    #: Overall wall-clock budget of one sync.
    budget: float = 3600.0
    retries: int = 3
    backoff: float = 1.0
    #: Longest ``Retry-After`` waited for; a longer one gives the request up.
    retry_after_cap: float = 120.0
    max_redirects: int = 5
    #: Largest API response read (a 500-paper Semantic Scholar batch is ~200 KB).
    max_bytes: int = 8 * 1024 * 1024
    #: Multiplies every interval for endpoints that are not the real APIs (tests, benches).
    rate_scale: float = 1.0

    cache_path: Path | None = None
    use_cache: bool = True
    max_age: float = 7 * 86400.0

    def __post_init__(self) -> None:
        for name, url in self.endpoints.items():
            if name not in DEFAULT_ENDPOINTS:
                raise ValueError(f"unknown metadata source {name!r}")
            _check_base_url(name, url)
        _check_base_url("openreview-v1", self.openreview_v1)
        unknown = set(self.sources) - set(SOURCES)
        if unknown:
            raise ValueError(f"unknown metadata source(s): {', '.join(sorted(unknown))}")
        if self.rate_scale <= 0:
            raise ValueError("rate scale must be positive")
        for name in ("connect_timeout", "request_timeout", "budget"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")

    def endpoint(self, source: str) -> str:
        return self.endpoints.get(source, DEFAULT_ENDPOINTS[source])

    def limit(self, source: str) -> Limit:
        """The limit that applies to ``source`` with these credentials and endpoint."""
        key = source
        if source == "s2" and self.s2_api_key and self._may_send_secret("s2"):
            key = "s2-key"
        elif source == "crossref" and self.crossref_mailto:
            key = "crossref-mailto"
        base = LIMITS[key]
        real = origin_of(self.endpoint(source)) == origin_of(DEFAULT_ENDPOINTS[source])
        scale = self.rate_scale if not real else max(1.0, self.rate_scale)
        return dataclasses.replace(base, interval=base.interval * scale)

    def _may_send_secret(self, source: str) -> bool:
        target = origin_of(self.endpoint(source))
        default = origin_of(DEFAULT_ENDPOINTS[source])
        return target == default or target in self.token_origins

    def policy(self) -> AddressPolicy:
        return AddressPolicy.build(self.allow_private, self.allow_addresses)

    def replace(self, **changes: Any) -> MetadataSettings:
        return dataclasses.replace(self, **changes)


def credentials_for(settings: MetadataSettings, source: str) -> tuple[str, dict[str, str]] | None:
    """``(origin URL, headers)`` carrying ``source``'s secret, or ``None``.

    The token-sending rule, in one place: a secret goes only to its API's default origin or
    to an origin the user named (``token_origins``, filled from the environment and the
    command line, never from repository config); the HTTP layer then attaches the headers to
    requests whose origin is exactly that one.
    """
    if not settings._may_send_secret(source):
        return None
    base = settings.endpoint(source)
    if source == "github" and settings.github_token:
        return base, {"Authorization": f"Bearer {settings.github_token}"}
    if source == "s2" and settings.s2_api_key:
        return base, {"x-api-key": settings.s2_api_key}
    return None


def metadata_settings(env: Mapping[str, str] | None = None, **cli: Any) -> MetadataSettings:
    """Settings from the environment and command-line values (``None`` = not given).

    ``cli`` may carry any field of :class:`MetadataSettings`, plus ``<source>_api`` for an
    endpoint (``github_api=...``). An endpoint named here or in ``README_TOOLS_*_API`` is
    one the user chose, so it may receive that API's secret.
    """
    env = os.environ if env is None else env
    endpoints = dict(DEFAULT_ENDPOINTS)
    chosen: set[str] = set()
    values: dict[str, Any] = {}
    for source, var in ENV_ENDPOINTS.items():
        url = cli.pop(f"{source}_api", None) or env.get(var)
        if not url:
            continue
        if source == "openreview_v1":
            values["openreview_v1"] = url
        else:
            endpoints[source] = url
            chosen.add(url)
    if env.get(ENV_GITHUB_TOKEN):
        values["github_token"] = env[ENV_GITHUB_TOKEN]
    if env.get(ENV_S2_KEY):
        values["s2_api_key"] = env[ENV_S2_KEY]
    if env.get(ENV_MAILTO):
        values["crossref_mailto"] = env[ENV_MAILTO]
    if env.get(ENV_RATE_SCALE):
        try:
            values["rate_scale"] = float(env[ENV_RATE_SCALE])
        except ValueError:
            raise ValueError(f"{ENV_RATE_SCALE} must be a number") from None
    values.update({k: v for k, v in cli.items() if v is not None})
    values["endpoints"] = endpoints
    for url in chosen:
        _check_base_url("endpoint", url)
    values["token_origins"] = frozenset(origin_of(u) for u in chosen) | frozenset(
        values.get("token_origins", ())
    )
    return MetadataSettings(**values)
