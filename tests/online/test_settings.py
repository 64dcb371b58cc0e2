from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from readme_tools.online import (
    DEFAULT_ARXIV_API,
    DEFAULT_GITHUB_API,
    OnlineSettings,
    settings_from_config,
)


def test_defaults() -> None:
    s = OnlineSettings()
    assert (s.arxiv_api, s.github_api) == (DEFAULT_ARXIV_API, DEFAULT_GITHUB_API)
    assert s.arxiv_api == "https://export.arxiv.org/api/query"
    assert s.github_api == "https://api.github.com"
    assert s.arxiv_interval == 3.0
    assert s.max_redirects == 5
    assert not s.allow_private
    assert "github_token" not in repr(OnlineSettings(github_token="secret"))


def test_config_table_then_environment_then_overrides() -> None:
    table = {
        "arxiv-api": "https://arxiv.example/api/query",
        "github-api": "https://gh.example/api/v3",
        "per-host-limit": 2,
        "arxiv-interval": 5,
        "cache": "/tmp/x.json",
        "enabled": True,
    }
    s = settings_from_config(table, env={})
    assert s.arxiv_api == "https://arxiv.example/api/query"
    assert s.github_api == "https://gh.example/api/v3"
    assert (s.per_host_limit, s.arxiv_interval, s.cache_path) == (2, 5.0, Path("/tmp/x.json"))
    env = {
        "README_TOOLS_ARXIV_API": "http://127.0.0.1:8000/api/query",
        "README_TOOLS_GITHUB_API": "http://127.0.0.1:8001",
        "GITHUB_TOKEN": "tok",
    }
    s = settings_from_config(table, env=env, allow_private=True, cache_path=None)
    assert s.arxiv_api == "http://127.0.0.1:8000/api/query"
    assert s.github_api == "http://127.0.0.1:8001"
    assert s.github_token == "tok"
    assert s.allow_private
    assert s.cache_path == Path("/tmp/x.json")  # None overrides do not erase config


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"arxiv_api": "x"}, "unknown key"),
        ({"arxiv-api": "ftp://x/y"}, "http"),
        ({"arxiv-api": "https://x/y?a=1"}, "query"),
        ({"allow-private": "yes"}, "true or false"),
        ({"per-host-limit": 0}, "at least 1"),
        ({"timeout": 0}, "positive"),
    ],
)
def test_invalid_config_is_rejected(table: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        settings_from_config(table, env={})


def test_importing_the_package_does_not_import_aiohttp() -> None:
    code = (
        "import sys, readme_tools.online, readme_tools.online.links, readme_tools.online.arxiv;"
        "print(sorted(m for m in ('aiohttp', 'yarl', 'multidict') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
