"""The pre-commit hook repository, the project's own pre-commit config and the GitHub action.

The ``network`` tests run the real ``pre-commit try-repo`` against a copy of this checkout:
pre-commit builds a virtualenv and pip-installs the project into it, which needs the package
index (deselect offline with ``-m 'not network'``). The copy is committed into a fresh git
repository, because ``try-repo`` of a dirty work tree only picks up tracked and staged
changes (pre-commit's docs: it makes a temporary commit of them), so untracked new files
would be missed. ``PRE_COMMIT_HOME`` is a session-wide temporary directory: the hook
environment is installed once and the user's cache is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from readme_tools import registry
from readme_tools.config import Config
from readme_tools.engine import lint_source
from readme_tools.source import decode

from .conftest import git_env
from .data import SEED

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
CLEAN = FIXTURES / "clean-list" / "synthetic-40.md"
BAD_ENTRY = (
    "- [X] **NewThing** A new paper without a terminator CVPR2025 "
    "[Paper](https://arxiv.org/abs/2501.00001)\n\n"
)
ANCHOR = "## Image LLMs CVPR2025\n"


def _env(home: Path | None = None) -> dict[str, str]:
    env = git_env(
        # The console scripts of the environment running the tests (readme-lint, pre-commit).
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        NO_COLOR="1",
    )
    if home is not None:
        env["PRE_COMMIT_HOME"] = str(home)
    env.pop("PRE_COMMIT", None)
    return env


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=_env(), check=True, capture_output=True)


def pre_commit(
    repo: Path, *args: str, home: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=900,
    )


def user_repo(tmp_path: Path, text: str) -> Path:
    repo = tmp_path / "user"
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "README.md").write_text(text, encoding="utf-8", newline="")
    git(repo, "add", "README.md")
    return repo


def with_bad_entry(text: str) -> str:
    at = text.index(ANCHOR) + len(ANCHOR)
    return text[:at] + BAD_ENTRY + text[at:]


# --------------------------------------------------------------------------- offline checks


def test_manifest_declares_both_hooks() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) >= {"readme-lint", "readme-fmt"}
    assert hooks["readme-lint"]["entry"] == "readme-lint"
    assert hooks["readme-fmt"]["entry"] == "readme-fmt --fix"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["files"] == r"\.md$"
        assert hook["types"] == ["markdown"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_manifest_and_config_validate(tmp_path: Path) -> None:
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        result = pre_commit(ROOT, command, str(ROOT / name), home=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_own_config_runs_readme_lint(tmp_path: Path) -> None:
    """The repo-local readme-lint hook of .pre-commit-config.yaml (language: system)."""
    repo = user_repo(tmp_path, with_bad_entry(SEED.read_text(encoding="utf-8")))
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    git(repo, "add", ".")
    home = tmp_path / "home"
    failed = pre_commit(repo, "run", "readme-lint", "--files", "README.md", home=home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "entry-format" in failed.stdout
    (repo / "README.md").write_bytes(CLEAN.read_bytes())
    passed = pre_commit(repo, "run", "readme-lint", "--files", "README.md", home=home)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_action_is_a_composite_action_running_the_github_format() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "args"}
    steps = action["runs"]["steps"]
    assert any(str(s.get("uses", "")).startswith("actions/setup-python@") for s in steps)
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    lint = steps[-1]
    assert "readme-lint --format" in lint["run"]
    assert action["inputs"]["format"]["default"] == "github"
    for step in steps:  # inputs reach scripts only through the environment
        assert "${{" not in step.get("run", "")


# --------------------------------------------------------------------------- try-repo


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A committed copy of this checkout's installable parts."""
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, repo / name)
    shutil.copytree(
        ROOT / "readme_tools",
        repo / "readme_tools",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
    )
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "snapshot")
    yield repo


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(
    hook_repo: Path, home: Path, repo: Path, hook: str
) -> subprocess.CompletedProcess[str]:
    return pre_commit(
        repo, "try-repo", str(hook_repo), hook, "--verbose", "--files", "README.md", home=home
    )


def expected_exit(text: str) -> int:
    """1 when readme-lint finds an error in ``text``, else 0 (warnings do not fail)."""
    _, diags = lint_source(decode(text.encode(), "README.md"), registry.load().rules, Config())
    return 1 if any(d.severity == "error" for d in diags) else 0


@pytest.mark.network
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_try_repo_readme_lint(hook_repo: Path, pre_commit_home: Path, tmp_path: Path) -> None:
    clean = user_repo(tmp_path / "clean", CLEAN.read_text(encoding="utf-8"))
    result = try_repo(hook_repo, pre_commit_home, clean, "readme-lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "readme-lint" in result.stdout and "Passed" in result.stdout

    seed_text = SEED.read_bytes().decode("utf-8")
    seed = user_repo(tmp_path / "seed", seed_text)
    result = try_repo(hook_repo, pre_commit_home, seed, "readme-lint")
    assert result.returncode == expected_exit(seed_text), result.stdout + result.stderr
    for finding in ("E104 summary-subject", "E102 bold-name", "W301 whitespace"):
        assert finding in result.stdout

    bad = user_repo(tmp_path / "bad", with_bad_entry(seed_text))
    result = try_repo(hook_repo, pre_commit_home, bad, "readme-lint")
    assert result.returncode == 1
    assert "Failed" in result.stdout
    assert "E101 entry-format bold name **NewThing** must be followed by ':'" in result.stdout


@pytest.mark.network
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_try_repo_readme_fmt(hook_repo: Path, pre_commit_home: Path, tmp_path: Path) -> None:
    repo = user_repo(tmp_path, SEED.read_bytes().decode("utf-8"))
    before = (repo / "README.md").read_bytes()
    first = try_repo(hook_repo, pre_commit_home, repo, "readme-fmt")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (repo / "README.md").read_bytes() != before
    git(repo, "add", "README.md")
    second = try_repo(hook_repo, pre_commit_home, repo, "readme-fmt")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
