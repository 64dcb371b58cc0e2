from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from readme_tools.online import OnlineSettings, default_cache_path, open_cache
from readme_tools.online.cache import ResultCache

AGES = {"link-ok": 100.0, "link-dead": 10.0}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_roundtrip_and_max_age_per_kind(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "sub" / "cache.json"
    cache = ResultCache(path, AGES, clock)
    cache.put("link", "http://a", "link-ok", {"status": "ok"})
    cache.put("link", "http://b", "link-dead", {"status": "dead"})
    assert cache.save()
    clock.now += 50
    again = ResultCache(path, AGES, clock)
    assert again.get("link", "http://a") == {"status": "ok"}
    assert again.get("link", "http://b") is None  # dead results expire sooner
    clock.now += 60
    assert again.get("link", "http://a") is None


def test_only_final_kinds_are_cacheable(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c.json", AGES)
    with pytest.raises(ValueError):
        cache.put("link", "http://x", "link-unknown", {"status": "unknown"})


def test_corrupt_or_foreign_files_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    for content in ["{not json", "[]", json.dumps({"version": 99, "entries": {}})]:
        path.write_text(content)
        cache = ResultCache(path, AGES)
        assert cache.get("link", "http://a") is None
        cache.put("link", "http://a", "link-ok", {"status": "ok"})
        assert cache.save()
        assert ResultCache(path, AGES).get("link", "http://a") == {"status": "ok"}


def test_save_merges_with_concurrent_writers_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    one, two = ResultCache(path, AGES), ResultCache(path, AGES)
    one.get("link", "warm-up")
    two.get("link", "warm-up")
    one.put("link", "http://1", "link-ok", {"status": "ok"})
    two.put("link", "http://2", "link-ok", {"status": "ok"})
    assert one.save() and two.save()
    merged = ResultCache(path, AGES)
    assert merged.get("link", "http://1") and merged.get("link", "http://2")
    assert os.listdir(tmp_path) == ["c.json"]


def test_unwritable_location_is_reported_not_raised(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = ResultCache(blocker / "c.json", AGES)  # parent is a file
    cache.put("link", "http://a", "link-ok", {"status": "ok"})
    assert cache.save() is False
    assert cache.last_error and "could not write cache" in cache.last_error


def test_default_location_follows_xdg(tmp_path: Path) -> None:
    assert default_cache_path({"XDG_CACHE_HOME": str(tmp_path)}) == (
        tmp_path / "readme-tools" / "online.json"
    )
    assert default_cache_path({"XDG_CACHE_HOME": "relative"}) == (
        Path.home() / ".cache" / "readme-tools" / "online.json"
    )
    assert default_cache_path({}).parts[-3:] == (".cache", "readme-tools", "online.json")
    assert default_cache_path(
        {"README_TOOLS_CACHE_DIR": str(tmp_path), "XDG_CACHE_HOME": "/x"}
    ) == (tmp_path / "online.json")


def test_open_cache_respects_settings(tmp_path: Path) -> None:
    assert open_cache(OnlineSettings(use_cache=False)).path is None
    explicit = tmp_path / "x.json"
    assert open_cache(OnlineSettings(cache_path=explicit)).path == explicit
