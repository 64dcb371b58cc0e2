"""Exact git paths (#25.3): --changed-since and --staged on files whose names git would quote
(non-ASCII with a quote, tabs, backslashes, spaces, newlines), including renames."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from readme_tools import git

from .conftest import invoke_lint, run_git
from .test_git import SEED, add_bad_entry, make_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NAMES = [
    'é"x.md',
    '论"文.md',
    "tab\tname.md",
    "back\\slash.md",
    "with space.md",
    "new\nline.md",
    "plain.md",
]


def reported_lines(repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[int]:
    result = invoke_lint(repo, "--format", "json", *args, monkeypatch=monkeypatch)
    assert result.exit_code in (0, 1), result.stderr
    return sorted({f["line"] for f in json.loads(result.stdout)})


def repo_with(tmp_path: Path, name: str) -> Path:
    repo = make_repo(tmp_path)
    run_git(repo, "mv", "README.md", name)
    run_git(repo, "commit", "-q", "-m", "rename")
    return repo


@pytest.mark.parametrize("name", NAMES)
def test_changed_since_reports_the_changed_lines_of_any_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    repo = repo_with(tmp_path, name)
    first, last = add_bad_entry(repo, name)
    found = reported_lines(repo, monkeypatch, "--changed-since", "HEAD", name)
    assert found and all(first <= n <= last for n in found)


@pytest.mark.parametrize("name", NAMES)
def test_staged_reports_the_changed_lines_of_any_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    repo = repo_with(tmp_path, name)
    first, last = add_bad_entry(repo, name)
    assert reported_lines(repo, monkeypatch, "--staged", name) == []  # not staged yet
    run_git(repo, "add", "--", name)
    found = reported_lines(repo, monkeypatch, "--staged", name)
    assert found and all(first <= n <= last for n in found)


def test_rename_to_an_unusual_name_reports_only_edited_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path)
    target = 'docs dir/é"\\t.md'
    (repo / "docs dir").mkdir()
    run_git(repo, "mv", "README.md", target)
    first, last = add_bad_entry(repo, target)
    run_git(repo, "commit", "-q", "-am", "move and edit")
    scope = git.scope(repo / target, "HEAD~1")
    changed = scope.files[target]
    assert changed.old_path == "README.md"
    assert changed.lines and min(changed.lines) >= first and max(changed.lines) <= last
    found = reported_lines(repo, monkeypatch, "--changed-since", "HEAD~1", target)
    assert found and all(first <= n <= last for n in found)


def test_unchanged_file_with_an_unusual_name_reports_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = repo_with(tmp_path, 'é"x.md')
    (repo / "other.md").write_bytes(SEED.read_bytes())
    assert reported_lines(repo, monkeypatch, "--changed-since", "HEAD", 'é"x.md') == []


def test_unquote_works_on_bytes() -> None:
    assert git._unquote('"b/\\303\\251\\"x.md"') == 'b/é"x.md'
    assert git._unquote('"b/é\\"x.md"') == 'b/é"x.md'  # core.quotePath=false keeps UTF-8
    assert git._unquote('"a\\tb\\\\c\\nd"') == "a\tb\\c\nd"
    assert git._unquote("plain.md") == "plain.md"


def test_raw_records_are_read_with_nul_separators() -> None:
    data = (
        b':100644 100644 aaaa bbbb M\0\xc3\xa9"x.md\0'
        b":100644 100644 cccc dddd R087\0old.md\0new\tname.md\0"
        b":000000 100644 0000 eeee A\0added.md\0"
        b"\0diff --git a/x b/x\n"
    )
    records, rest = git.parse_raw_z(data)
    assert records == [
        git.RawChange("M", 'é"x.md'),
        git.RawChange("R", "new\tname.md", "old.md"),
        git.RawChange("A", "added.md"),
    ]
    assert rest.startswith(b"diff --git")
