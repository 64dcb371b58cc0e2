from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from readme_tools.online import OnlineSettings

from .fakes import ServerThread, fake_resolver, link_app


def fast_settings(*allowed: ServerThread, **overrides: Any) -> OnlineSettings:
    """Settings for local tests: no real DNS, only the given servers admitted, short delays."""
    values: dict[str, Any] = {
        "allow_addresses": tuple(s.address for s in allowed),
        "resolver": fake_resolver({}),
        "per_host_spacing": 0.0,
        "backoff": 0.05,
        "retry_after_cap": 2.0,
        "request_timeout": 5.0,
        "connect_timeout": 2.0,
        "budget": 30.0,
        "arxiv_interval": 0.05,
        "use_cache": False,
    }
    values.update(overrides)
    return OnlineSettings(**values)


@pytest.fixture
def other_server() -> Iterator[ServerThread]:
    """A second server that is *not* on the allow-list; tests assert it sees nothing."""
    with ServerThread(link_app()) as srv:
        yield srv


@pytest.fixture
def link_server(other_server: ServerThread) -> Iterator[ServerThread]:
    with ServerThread(link_app(other_port=other_server.port)) as srv:
        yield srv
