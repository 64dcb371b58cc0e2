from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from readme_tools.metadata.settings import MetadataSettings, metadata_settings

from ..online.fakes import ServerThread
from .fakes import endpoints, fixture_data, metadata_app


def fast_settings(srv: ServerThread, **overrides: Any) -> MetadataSettings:
    """Every source at ``srv``, no secrets from the environment, intervals / 1000, no cache."""
    values: dict[str, Any] = {
        **endpoints(srv),
        "allow_addresses": (srv.address,),
        "rate_scale": 0.001,
        "backoff": 0.01,
        "budget": 30.0,
        "use_cache": False,
    }
    values.update(overrides)
    return metadata_settings({}, **values)


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(metadata_app(fixture_data())) as srv:
        yield srv
