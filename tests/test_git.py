"""git.py and the incremental CLI modes (--changed-since, --staged) on real git repositories."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import Result

from readme_tools import git

from .conftest import invoke_lint as lint
from .conftest import run_git
from .data import SEED

BAD_ENTRY = (
    "- [X] **NewThing** A new paper without a terminator CVPR2025 "
    "[Paper](https://arxiv.org/abs/2501.00001)\n\n"
    "  NewThing does new things.\n\n"
)
ANCHOR = "## Image LLMs CVPR2025\n"
FINDING_RE = re.compile(r"^[^:]+:(\d+):\d+: ")

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def make_repo(tmp_path: Path, text: str | None = None) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    run_git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_bytes(SEED.read_bytes() if text is None else text.encode())
    run_git(repo, "add", "README.md")
    run_git(repo, "commit", "-q", "-m", "seed")
    return repo


def add_bad_entry(repo: Path, name: str = "README.md") -> tuple[int, int]:
    """Insert BAD_ENTRY under the first CVPR2025 heading; return its (first, last) line."""
    path = repo / name
    text = path.read_bytes().decode()
    at = text.index(ANCHOR) + len(ANCHOR)
    path.write_bytes((text[:at] + BAD_ENTRY + text[at:]).encode())
    first = text[:at].count("\n") + 1
    return first, first + BAD_ENTRY.count("\n") - 1


def lines_of(result: Result) -> list[int]:
    """Line numbers of the reported findings (text format), skipping the summary line."""
    found = (FINDING_RE.match(line) for line in result.stdout.splitlines())
    return [int(m.group(1)) for m in found if m]


# --------------------------------------------------------------------------- parse_diff


def test_parse_diff_hunks_new_files_and_renames() -> None:
    diff = (
        "diff --git a/README.md b/README.md\n"
        "index 1..2 100644\n"
        "--- a/README.md\n"
        "+++ b/README.md\n"
        "@@ -3 +3 @@\n-old\n+new\n"
        "@@ -10,0 +11,2 @@\n+a\n+b\n"
        "@@ -20,3 +22,0 @@\n-x\n-y\n-z\n"
        "diff --git a/new.md b/new.md\n"
        "new file mode 100644\n"
        "--- /dev/null\n"
        "+++ b/new.md\n"
        "@@ -0,0 +1,2 @@\n+a\n+b\n"
        "diff --git a/old.md b/docs/moved.md\n"
        "similarity index 90%\n"
        "rename from old.md\n"
        "rename to docs/moved.md\n"
        "--- a/old.md\n"
        "+++ b/docs/moved.md\n"
        "@@ -5 +5 @@\n-p\n+q\n"
        "diff --git a/same.md b/same2.md\n"
        "similarity index 100%\n"
        "rename from same.md\n"
        "rename to same2.md\n"
        'diff --git "a/t\\303\\251st.md" "b/t\\303\\251st.md"\n'
        '--- "a/t\\303\\251st.md"\n'
        '+++ "b/t\\303\\251st.md"\n'
        "@@ -1 +1 @@\n-a\n+b\n"
        "diff --git a/gone.md b/gone.md\n"
        "deleted file mode 100644\n"
        "--- a/gone.md\n"
        "+++ /dev/null\n"
        "@@ -1 +0,0 @@\n-a\n"
    )
    files = git.parse_diff(diff)
    assert files["README.md"].lines == frozenset({3, 11, 12})
    assert files["new.md"].lines is None
    assert files["docs/moved.md"].lines == frozenset({5})
    assert files["docs/moved.md"].old_path == "old.md"
    assert files["same2.md"].lines == frozenset()
    assert files["tést.md"].lines == frozenset({1})
    assert "gone.md" not in files


# --------------------------------------------------------------------------- --changed-since


def test_changed_since_reports_exactly_the_new_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path)
    first, last = add_bad_entry(repo)
    run_git(repo, "commit", "-q", "-am", "add an entry")

    full = lint(repo, "README.md", monkeypatch=monkeypatch)
    in_entry = [n for n in lines_of(full) if first <= n <= last]
    assert in_entry, "the bad entry must have findings of its own"
    assert len(lines_of(full)) > len(in_entry), "the seed has legacy findings"

    result = lint(
        repo,
        "--fail-on",
        "warning",
        "--changed-since",
        "HEAD~1",
        "README.md",
        monkeypatch=monkeypatch,
    )
    assert result.exit_code == 1  # entry-format is a warning: --fail-on warning fails on it
    assert lines_of(result) == in_entry
    out = result.stdout
    assert "entry-format" in out and "missing ':' after the bold name" in out
    assert "checkbox" in out and "'[X]'" in out

    # Default path and HEAD: nothing changed since the last commit.
    clean = lint(repo, "--changed-since", "HEAD", monkeypatch=monkeypatch)
    assert clean.exit_code == 0
    assert lines_of(clean) == []


def test_changed_since_counts_uncommitted_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path)
    first, last = add_bad_entry(repo)  # not committed
    result = lint(
        repo,
        "--fail-on",
        "warning",
        "--changed-since",
        "HEAD",
        "README.md",
        monkeypatch=monkeypatch,
    )
    assert result.exit_code == 1
    assert lines_of(result) and all(first <= n <= last for n in lines_of(result))


def test_rename_reports_only_edited_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path)
    (repo / "docs").mkdir()
    run_git(repo, "mv", "README.md", "docs/papers.md")
    first, last = add_bad_entry(repo, "docs/papers.md")
    run_git(repo, "commit", "-q", "-am", "move and edit")
    result = lint(repo, "--changed-since", "HEAD~1", "docs/papers.md", monkeypatch=monkeypatch)
    assert lines_of(result) and all(first <= n <= last for n in lines_of(result))


def test_new_and_untracked_files_are_changed_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path)
    shutil.copy(SEED, repo / "untracked.md")
    full = lint(repo, "untracked.md", monkeypatch=monkeypatch)
    incremental = lint(repo, "--changed-since", "HEAD", "untracked.md", monkeypatch=monkeypatch)
    assert incremental.stdout == full.stdout != ""
    run_git(repo, "add", "untracked.md")
    run_git(repo, "commit", "-q", "-m", "new file")
    committed = lint(repo, "--changed-since", "HEAD~1", "untracked.md", monkeypatch=monkeypatch)
    assert committed.stdout == full.stdout


def test_files_outside_a_repository_and_bad_revisions_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    shutil.copy(SEED, outside / "README.md")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = lint(outside, "--changed-since", "HEAD", "README.md", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "readme-lint: error: README.md: not inside a git repository"
    ]

    repo = make_repo(tmp_path)
    for rev in ("no-such-branch", "HEAD~5", "--output=x"):
        result = lint(repo, "--changed-since", rev, "README.md", monkeypatch=monkeypatch)
        assert result.exit_code == 2, rev
        assert len(result.stderr.strip().splitlines()) == 1
        assert "revision" in result.stderr
    assert not (repo / "x").exists()

    stdin = lint(repo, "--changed-since", "HEAD", "-", monkeypatch=monkeypatch)
    assert stdin.exit_code == 2


# --------------------------------------------------------------------------- --staged


def test_staged_lints_the_index_not_the_working_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path)
    first, last = add_bad_entry(repo)
    run_git(repo, "add", "README.md")
    # Fix the entry in the working tree only: the staged blob is still bad.
    text = (repo / "README.md").read_text(encoding="utf-8")
    (repo / "README.md").write_text(
        text.replace("[X] **NewThing** A", "[x] **NewThing**: A"), encoding="utf-8"
    )
    staged = lint(repo, "--fail-on", "warning", "--staged", "README.md", monkeypatch=monkeypatch)
    assert staged.exit_code == 1
    assert lines_of(staged) and all(first <= n <= last for n in lines_of(staged))
    assert "missing ':' after the bold name" in staged.stdout

    # The working tree's version of the same change has only the missing terminator left.
    work = lint(repo, "--changed-since", "HEAD", "README.md", monkeypatch=monkeypatch)
    assert "missing ':' after the bold name" not in work.stdout
    assert "missing '.' between the title and the venue tag" in work.stdout


def test_staged_on_an_unborn_branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "fresh"
    repo.mkdir()
    run_git(repo, "init", "-q")
    shutil.copy(SEED, repo / "README.md")
    run_git(repo, "add", "README.md")
    full = lint(repo, "README.md", monkeypatch=monkeypatch)
    staged = lint(repo, "--staged", "README.md", monkeypatch=monkeypatch)
    assert staged.stdout == full.stdout != ""


def test_unstaged_file_with_staged_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path)
    (repo / "other.md").write_text("# x\n", encoding="utf-8")
    result = lint(repo, "--staged", "other.md", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert "not in the index" in result.stderr


# --------------------------------------------------------------------------- scope API


def test_scope_changed_lines(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    first, last = add_bad_entry(repo)
    diff = git.scope(repo / "README.md", "HEAD")
    assert diff.changed_lines(repo / "README.md") == frozenset(range(first, last + 1))
    with pytest.raises(git.GitError, match="revision is required"):
        git.scope(repo / "README.md", None)


def test_changed_since_on_a_sectioned_list_uses_and_refreshes_the_parse_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("README_TOOLS_CACHE_DIR", str(cache))
    text = (Path(__file__).parent / "fixtures" / "clean-list" / "synthetic-40.md").read_text()
    repo = make_repo(tmp_path, text)
    lines = text.split("\n")
    entries = [i for i, line in enumerate(lines) if line.startswith("- [x] **")]
    early, late = entries[1], entries[-2]
    lines[late] = lines[late].replace("- [x] **", "- [X] **", 1)  # a checkbox spelling
    lines.insert(late + 1, "")
    # A duplicate of an entry many sections earlier (the pdf link: not a verbatim copy, which
    # would be a deliberate cross-listing).
    lines.insert(late + 2, lines[early].replace("/abs/", "/pdf/"))
    (repo / "README.md").write_text("\n".join(lines))
    changed = {late + 1, late + 3}

    full = lint(repo, "README.md", monkeypatch=monkeypatch)
    expected = [line for line in full.stdout.splitlines() if FINDING_RE.match(line)]
    expected = [line for line in expected if int(line.split(":")[1]) in changed]
    assert any("checkbox" in line for line in expected)
    assert any(f"duplicate of the entry at line {early + 1}" in line for line in expected)

    assert not cache.exists()
    uncached = lint(repo, "--changed-since", "HEAD", "--no-cache", monkeypatch=monkeypatch)
    assert not cache.exists(), "--no-cache writes no cache"
    cold = lint(repo, "--changed-since", "HEAD", monkeypatch=monkeypatch)
    stored = list((cache / "chunks").iterdir())
    assert len(stored) == 1
    warm = lint(repo, "--changed-since", "HEAD", monkeypatch=monkeypatch)
    for result in (uncached, cold, warm):
        assert [x for x in result.stdout.splitlines() if FINDING_RE.match(x)] == expected
    stored[0].write_bytes(b"garbage")  # a broken cache is no cache
    again = lint(repo, "--changed-since", "HEAD", monkeypatch=monkeypatch)
    assert [x for x in again.stdout.splitlines() if FINDING_RE.match(x)] == expected
