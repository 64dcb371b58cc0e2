"""Keep the derived word-model cache of the test session out of the user's cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _isolated_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    mp = pytest.MonkeyPatch()
    mp.setenv("READMETOOLS_CACHE_DIR", str(tmp_path_factory.mktemp("readme-tools-cache")))
    yield
    mp.undo()
