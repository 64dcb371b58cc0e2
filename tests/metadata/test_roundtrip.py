"""The lock file round trip, through the command line: ``readme-tools sync`` against the fake
servers writes it; ``readme-lint`` with the network out of reach reports the same findings
from the lock alone; re-syncing an unchanged list writes the same bytes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from readme_tools.cli.lint import main as lint
from readme_tools.cli.main import main as tools
from readme_tools.metadata.lock import DEFAULT_LOCK

from ..online.fakes import ServerThread
from .fakes import LIST, env_for, fixture_data, metadata_app, requests_of
from .test_fixture_list import EXPECTED

SELECT = "venue-update,venue-claim,withdrawn-paper,code-repository"
DAY1 = "1740787200"  # 2025-03-01
DAY2 = "1743465600"  # 2025-04-01


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 keeps stderr apart already
        return CliRunner()


def _env(srv: ServerThread, tmp: Path, **more: str | None) -> dict[str, str | None]:
    env: dict[str, str | None] = {
        **env_for(srv),
        "README_TOOLS_RATE_SCALE": "0.001",
        "README_TOOLS_CACHE_DIR": str(tmp / "cache"),
        "SOURCE_DATE_EPOCH": DAY1,
        "GITHUB_TOKEN": None,
        "SEMANTIC_SCHOLAR_API_KEY": None,
        "CI": "true",
    }
    env.update(more)
    return env


@pytest.fixture
def readme(tmp_path: Path) -> Path:
    path = tmp_path / "list" / "README.md"
    path.parent.mkdir()
    path.write_bytes(LIST.read_bytes())
    return path


@pytest.fixture
def tripwire() -> Iterator[ServerThread]:
    """Every endpoint of an offline run points here; the tests assert it saw nothing."""
    with ServerThread(metadata_app(fixture_data())) as srv:
        yield srv


def _sync(srv: ServerThread, readme: Path, *args: str, **env: str | None) -> Result:
    return _runner().invoke(
        tools,
        ["sync", "--allow-private", "--no-cache", *args, str(readme)],
        env=_env(srv, readme.parent.parent, **env),
    )


def _findings(result: Result) -> list[tuple[int, str, str]]:
    out = []
    for row in json.loads(result.stdout):
        out.append((row["line"], row["code"], row["message"]))
    return sorted(out)


def _lint(srv: ServerThread, readme: Path, *args: str) -> Result:
    return _runner().invoke(
        lint,
        ["--select", SELECT, "--format", "json", *args, str(readme)],
        env=_env(srv, readme.parent.parent),
    )


def test_sync_then_offline_lint_reports_the_same_findings(
    server: ServerThread, tripwire: ServerThread, readme: Path
) -> None:
    online = _lint(server, readme, "--online", "--allow-private", "--no-cache")
    assert online.exit_code == 0, online.stderr
    assert _findings(online) == sorted(EXPECTED)  # live lookups, no lock yet
    assert not (readme.parent / DEFAULT_LOCK).exists()  # lint never writes the lock

    synced = _sync(server, readme)
    assert synced.exit_code == 0, synced.stderr
    assert "written" in synced.stderr
    lock = readme.parent / DEFAULT_LOCK
    assert lock.is_file()

    offline = _lint(tripwire, readme)
    assert offline.exit_code == 0, offline.stderr
    assert _findings(offline) == sorted(EXPECTED)
    assert requests_of(tripwire) == {}  # nothing was asked: the lock alone answered


def test_resync_of_an_unchanged_list_is_byte_identical(server: ServerThread, readme: Path) -> None:
    assert _sync(server, readme).exit_code == 0
    lock = readme.parent / DEFAULT_LOCK
    first = lock.read_bytes()
    again = _sync(server, readme, SOURCE_DATE_EPOCH=DAY2)  # a month later, same answers
    assert again.exit_code == 0, again.stderr
    assert "is up to date" in again.stderr
    assert lock.read_bytes() == first
    check = _sync(server, readme, "--check", SOURCE_DATE_EPOCH=DAY2)
    assert check.exit_code == 0


def test_a_changed_fact_changes_only_its_record(tmp_path: Path, readme: Path) -> None:
    data = fixture_data()
    with ServerThread(metadata_app(data)) as srv:
        assert _sync(srv, readme).exit_code == 0
    lock = readme.parent / DEFAULT_LOCK
    before = json.loads(lock.read_text(encoding="utf-8"))
    data.github["quietlab/quietnet"] = {**data.github["quietlab/quietnet"], "archived": True}
    with ServerThread(metadata_app(data)) as srv:
        check = _sync(srv, readme, "--check", SOURCE_DATE_EPOCH=DAY2)
        assert check.exit_code == 1 and "out of date" in check.stderr
        assert json.loads(lock.read_text(encoding="utf-8")) == before  # --check writes nothing
        assert _sync(srv, readme, SOURCE_DATE_EPOCH=DAY2).exit_code == 0
    after = json.loads(lock.read_text(encoding="utf-8"))
    changed = after["repos"].pop("github:quietlab/quietnet")
    assert changed == {
        "github": {"archived": True, "fetched": "2025-04-01", "full_name": "quietlab/quietnet"}
    }
    before["repos"].pop("github:quietlab/quietnet")
    assert after == before  # every other record keeps its date


def test_a_failed_source_keeps_the_old_facts(server: ServerThread, readme: Path) -> None:
    assert _sync(server, readme).exit_code == 0
    lock = readme.parent / DEFAULT_LOCK
    first = lock.read_bytes()
    # GitHub now points at a reserved address: refused even with --allow-private.
    broken = _sync(
        server, readme, SOURCE_DATE_EPOCH=DAY2, README_TOOLS_GITHUB_API="http://240.0.0.1/"
    )
    assert broken.exit_code == 0, broken.stderr
    assert "github: 5 lookups failed" in broken.stderr
    assert lock.read_bytes() == first


def test_removed_entries_leave_the_lock(server: ServerThread, readme: Path) -> None:
    assert _sync(server, readme).exit_code == 0
    text = readme.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if "OldNet" not in line]
    readme.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert _sync(server, readme).exit_code == 0
    lock = json.loads((readme.parent / DEFAULT_LOCK).read_text(encoding="utf-8"))
    assert "arxiv:2112.50005" not in lock["papers"]
    assert "github:oldnet-lab/oldnet" not in lock["repos"]


def test_lock_is_sorted_and_stable_text(server: ServerThread, readme: Path) -> None:
    assert _sync(server, readme).exit_code == 0
    text = (readme.parent / DEFAULT_LOCK).read_text(encoding="utf-8")
    data: Any = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert data["version"] == 1
    assert set(data) == {"comment", "papers", "repos", "version"}


def test_malformed_lock(tripwire: ServerThread, readme: Path, server: ServerThread) -> None:
    lock = readme.parent / DEFAULT_LOCK
    lock.parent.mkdir()
    lock.write_text(
        '{"version": 1, "papers": {"arxiv:1": {"arxiv": {"title": 3}}}}', encoding="utf-8"
    )
    linted = _lint(tripwire, readme)
    rows = json.loads(linted.stdout)
    assert linted.exit_code == 1
    assert len(rows) == 1 and rows[0]["line"] == 1 and rows[0]["severity"] == "error"
    assert "needs a 'fetched' date" in rows[0]["message"]
    assert "readme-tools sync" in rows[0]["message"]
    synced = _sync(server, readme)
    assert synced.exit_code == 2
    assert synced.stderr.count("\n") == 1 and "error:" in synced.stderr
    assert "Traceback" not in synced.stderr


def test_sync_usage_errors(server: ServerThread, readme: Path) -> None:
    missing = _sync(server, readme.parent / "nope.md")
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    assert missing.stderr.count("\n") == 1
    bad = _runner().invoke(tools, ["sync", "--sources", "arxiv,nope", str(readme)])
    assert bad.exit_code == 2 and "unknown source" in bad.stderr
