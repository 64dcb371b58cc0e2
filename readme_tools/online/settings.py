"""Settings for the online checks and how they are read from config and environment.

Configuration lives in ``[tool.readme-tools.online]``; keys use dashes
(``arxiv-api``, ``per-host-limit``, ...), see :data:`CONFIG_KEYS`.  The endpoint
base URLs can be overridden by ``README_TOOLS_ARXIV_API`` and
``README_TOOLS_GITHUB_API``; the GitHub token comes from ``GITHUB_TOKEN`` only
(never from a file that is committed).
"""

from __future__ import annotations

import dataclasses
import os
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from readme_tools.files import cache_dir
from readme_tools.online.netsafety import AddressPolicy, Resolver

DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_GITHUB_API = "https://api.github.com"
USER_AGENT = "readme-tools/0.1 (paper-list link checker; +https://pypi.org/project/readme-tools/)"

ENV_ARXIV_API = "README_TOOLS_ARXIV_API"
ENV_GITHUB_API = "README_TOOLS_GITHUB_API"
ENV_GITHUB_TOKEN = "GITHUB_TOKEN"

#: Progress callback: ``(done, total)``; called once with ``(0, total)`` and after each item.
Progress = Callable[[int, int], None]

DAY = 86400.0


@dataclass(frozen=True)
class OnlineSettings:
    """Everything the online checks need.  All durations are seconds."""

    arxiv_api: str = DEFAULT_ARXIV_API
    github_api: str = DEFAULT_GITHUB_API
    #: Sent (as a bearer token) to the ``github_api`` origin only.
    github_token: str | None = field(default=None, repr=False)

    #: Admit private/loopback/link-local/CGNAT targets (intranet lists, local tests).
    allow_private: bool = False
    #: Exact ``address[:port]`` entries admitted even though private (tests).
    allow_addresses: tuple[str, ...] = ()

    per_host_limit: int = 4
    #: Minimum time between the starts of two requests to the same host.
    per_host_spacing: float = 0.1
    total_limit: int = 100
    connect_timeout: float = 10.0
    request_timeout: float = 20.0
    #: Overall wall-clock budget of one ``check_links``/``fetch_arxiv`` call.
    budget: float = 600.0
    #: Extra attempts after a timeout, connection error, 5xx or 429.
    retries: int = 2
    #: First back-off delay; doubles with each retry (plus jitter).
    backoff: float = 1.0
    #: Longest ``Retry-After`` we wait for.
    retry_after_cap: float = 60.0
    max_redirects: int = 5
    #: Most body bytes read from a checked link (only read to recognise bot walls).
    sniff_bytes: int = 16 * 1024
    user_agent: str = USER_AGENT

    #: Minimum time between two arXiv API requests (arXiv asks for 3 s).
    arxiv_interval: float = 3.0
    arxiv_batch_size: int = 100
    #: Largest arXiv API response we accept.
    arxiv_max_bytes: int = 16 * 1024 * 1024

    #: Cache file; ``None`` means ``$XDG_CACHE_HOME/readme-tools/online.json``.
    cache_path: Path | None = None
    use_cache: bool = True
    max_age_link_ok: float = 7 * DAY
    max_age_link_dead: float = 1 * DAY
    max_age_arxiv: float = 30 * DAY
    max_age_arxiv_missing: float = 1 * DAY

    #: Host resolver; ``None`` uses the system resolver.  Tests inject one.
    resolver: Resolver | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("arxiv_api", "github_api"):
            _check_base_url(name, getattr(self, name))
        for name in (
            "per_host_limit",
            "total_limit",
            "arxiv_batch_size",
            "sniff_bytes",
            "arxiv_max_bytes",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in (
            "per_host_spacing",
            "arxiv_interval",
            "retry_after_cap",
            "backoff",
            "retries",
            "max_redirects",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for name in ("connect_timeout", "request_timeout", "budget"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")

    def retry_delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (0 for the first).

        ``Retry-After`` when the server sent one (capped at ``retry_after_cap``), else
        exponential back-off from ``backoff`` with up to 25 % jitter.
        """
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        return float(self.backoff * 2**retry * (1 + 0.25 * random.random()))

    def policy(self) -> AddressPolicy:
        return AddressPolicy.build(self.allow_private, self.allow_addresses)

    def replace(self, **changes: Any) -> OnlineSettings:
        return dataclasses.replace(self, **changes)


def _check_base_url(name: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{name} must be an http(s) URL, got {value!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"{name} must not have a query or fragment: {value!r}")


def default_cache_path(env: Mapping[str, str] | None = None) -> Path:
    """``online.json`` in the cache directory (:func:`readme_tools.files.cache_dir`)."""
    return cache_dir(env) / "online.json"


#: Config key -> (settings field, converter).
CONFIG_KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "arxiv-api": ("arxiv_api", str),
    "github-api": ("github_api", str),
    "allow-private": ("allow_private", bool),
    "per-host-limit": ("per_host_limit", int),
    "per-host-spacing": ("per_host_spacing", float),
    "total-limit": ("total_limit", int),
    "connect-timeout": ("connect_timeout", float),
    "timeout": ("request_timeout", float),
    "budget": ("budget", float),
    "retries": ("retries", int),
    "retry-after-cap": ("retry_after_cap", float),
    "arxiv-interval": ("arxiv_interval", float),
    "arxiv-batch-size": ("arxiv_batch_size", int),
    "cache": ("cache_path", Path),
}


def settings_from_config(
    table: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> OnlineSettings:
    """Build settings from a ``[tool.readme-tools.online]`` table, the environment
    and explicit overrides (CLI flags), in increasing priority.

    Unknown keys raise :class:`ValueError` so that typos are not silently ignored.
    The ``enabled`` key is allowed (the CLI reads it) and ignored here.
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for key, raw in (table or {}).items():
        if key == "enabled":
            continue
        if key not in CONFIG_KEYS:
            known = ", ".join(sorted(CONFIG_KEYS))
            raise ValueError(f"unknown key {key!r} in [tool.readme-tools.online]; known: {known}")
        name, convert = CONFIG_KEYS[key]
        if convert is bool and not isinstance(raw, bool):
            raise ValueError(f"{key} must be true or false")
        values[name] = convert(raw)
    if env.get(ENV_ARXIV_API):
        values["arxiv_api"] = env[ENV_ARXIV_API]
    if env.get(ENV_GITHUB_API):
        values["github_api"] = env[ENV_GITHUB_API]
    if env.get(ENV_GITHUB_TOKEN):
        values["github_token"] = env[ENV_GITHUB_TOKEN]
    values.update({k: v for k, v in overrides.items() if v is not None})
    return OnlineSettings(**values)
