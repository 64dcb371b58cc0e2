"""Who may set what: the privileged settings, the token rule, rate limits, the lock path."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from readme_tools import registry
from readme_tools.config import ConfigError, parse_config
from readme_tools.lockpath import LockError, resolve_lock_path
from readme_tools.metadata.settings import (
    DEFAULT_ENDPOINTS,
    LIMITS,
    PRIVILEGED,
    MetadataSettings,
    credentials_for,
    metadata_settings,
    origin_of,
)
from readme_tools.rules.metadata import MetadataOptions

#: Settings that only tune timing and size (cannot widen reach or leak a secret).
TUNING = {
    "sources", "connect_timeout", "request_timeout", "budget", "retries", "backoff",
    "retry_after_cap", "max_redirects", "max_bytes", "use_cache", "max_age",
}  # fmt: skip


def test_every_setting_is_either_privileged_or_tuning() -> None:
    names = {f.name for f in dataclasses.fields(MetadataSettings)}
    assert names == PRIVILEGED | TUNING
    assert not PRIVILEGED & TUNING


def test_the_repository_config_cannot_name_endpoints_secrets_or_caches() -> None:
    reg = registry.load()
    repo_keys = {f.name for f in dataclasses.fields(MetadataOptions)}
    assert repo_keys == {"lock", "sources"}
    for key in ("github-api", "endpoints", "allow-private", "cache", "github-token", "rate-scale"):
        with pytest.raises(ConfigError, match="unknown key"):
            parse_config({"metadata": {key: "x"}}, reg)
    config = parse_config({"metadata": {"lock": "data/lock.json", "sources": ["arxiv"]}}, reg)
    assert config.options(MetadataOptions) == MetadataOptions("data/lock.json", ("arxiv",))


def test_defaults() -> None:
    settings = metadata_settings({})
    assert dict(settings.endpoints) == dict(DEFAULT_ENDPOINTS)
    assert settings.github_token is None and settings.token_origins == frozenset()
    assert credentials_for(settings, "github") is None


def test_the_token_goes_to_the_default_github_api() -> None:
    settings = metadata_settings({"GITHUB_TOKEN": "t0k"})
    assert credentials_for(settings, "github") == (
        "https://api.github.com",
        {"Authorization": "Bearer t0k"},
    )
    assert credentials_for(settings, "arxiv") is None
    assert credentials_for(settings, "s2") is None  # no key set


def test_a_host_the_user_names_may_receive_the_token() -> None:
    env = {"GITHUB_TOKEN": "t0k", "README_TOOLS_GITHUB_API": "https://ghe.example.com/api/v3"}
    settings = metadata_settings(env)
    assert credentials_for(settings, "github") == (
        "https://ghe.example.com/api/v3",
        {"Authorization": "Bearer t0k"},
    )
    cli = metadata_settings({"GITHUB_TOKEN": "t0k"}, github_api="https://ghe.example.com/api/v3")
    assert credentials_for(cli, "github") is not None


def test_an_endpoint_set_any_other_way_gets_no_token() -> None:
    settings = metadata_settings({"GITHUB_TOKEN": "t0k"})
    moved = settings.replace(endpoints={**settings.endpoints, "github": "https://evil.example"})
    assert credentials_for(moved, "github") is None
    # the S2 key likewise
    keyed = metadata_settings({"SEMANTIC_SCHOLAR_API_KEY": "k"})
    assert credentials_for(keyed, "s2") == (DEFAULT_ENDPOINTS["s2"], {"x-api-key": "k"})
    elsewhere = keyed.replace(endpoints={**keyed.endpoints, "s2": "https://evil.example/graph/v1"})
    assert credentials_for(elsewhere, "s2") is None


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://API.github.com/", "https://api.github.com"),
        ("https://api.github.com:443/x", "https://api.github.com"),
        ("http://127.0.0.1:8080/github", "http://127.0.0.1:8080"),
        ("https://[::1]:8443/", "https://[::1]:8443"),
    ],
)
def test_origin(url: str, origin: str) -> None:
    assert origin_of(url) == origin


def test_documented_limits_apply_to_the_real_apis_whatever_the_scale() -> None:
    settings = metadata_settings({"README_TOOLS_RATE_SCALE": "0.001"})
    for source in ("arxiv", "s2", "dblp", "openreview", "crossref", "github"):
        assert settings.limit(source).interval == LIMITS[source].interval
    local = metadata_settings(
        {"README_TOOLS_RATE_SCALE": "0.001", "README_TOOLS_DBLP_API": "http://127.0.0.1:9/dblp"}
    )
    assert local.limit("dblp").interval == pytest.approx(0.002)
    slower = metadata_settings({"README_TOOLS_RATE_SCALE": "2"})
    assert slower.limit("arxiv").interval == 6.0  # slowing down is always allowed


def test_limits_follow_the_credentials() -> None:
    assert metadata_settings({}).limit("s2").interval == 3.0
    assert metadata_settings({"SEMANTIC_SCHOLAR_API_KEY": "k"}).limit("s2").interval == 1.0
    polite = metadata_settings({"README_TOOLS_CROSSREF_MAILTO": "me@example.org"}).limit("crossref")
    assert (polite.interval, polite.concurrency) == (0.1, 3)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"README_TOOLS_DBLP_API": "ftp://dblp.org/x"}, "must be an http"),
        ({"README_TOOLS_DBLP_API": "https://dblp.org/x?q=1"}, "query or fragment"),
        ({"README_TOOLS_RATE_SCALE": "fast"}, "must be a number"),
        ({"README_TOOLS_RATE_SCALE": "0"}, "must be positive"),
    ],
)
def test_bad_settings(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        metadata_settings(env)


# --------------------------------------------------------------------------- lock path


def test_default_lock_is_next_to_the_list(tmp_path: Path) -> None:
    assert resolve_lock_path(tmp_path / "docs" / "list.md", None, tmp_path) == (
        tmp_path / "docs" / ".readme-tools" / "papers.lock.json"
    )


def test_a_configured_lock_stays_inside_the_repository(tmp_path: Path) -> None:
    assert (
        resolve_lock_path(tmp_path / "README.md", "meta/lock.json", tmp_path)
        == tmp_path / "meta" / "lock.json"
    )
    for bad in ("/etc/passwd", "../outside.json", "a/../../outside.json"):
        with pytest.raises(LockError, match="relative and inside the repository"):
            resolve_lock_path(tmp_path / "README.md", bad, tmp_path)
    (tmp_path / "link").symlink_to("/tmp")
    with pytest.raises(LockError, match="symlink"):
        resolve_lock_path(tmp_path / "README.md", "link/lock.json", tmp_path)
