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

import json
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


def test_action_is_a_composite_action_with_its_own_venv() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "args", "format", "sarif", "cache", "python"}
    steps = action["runs"]["steps"]
    # The caller's Python is left alone: no setup-python, nothing added to PATH or the env.
    assert not any(str(s.get("uses", "")).startswith("actions/setup-python@") for s in steps)
    for step in steps:
        script = step.get("run", "")
        assert "GITHUB_PATH" not in script and "GITHUB_ENV" not in script
        assert "${{" not in script  # inputs reach scripts only through the environment
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache@"))
    assert (
        "github.sha" not in cache["with"]["key"]
        and "steps.key.outputs.hash" in cache["with"]["key"]
    )
    upload = next(s for s in steps if "upload-sarif" in str(s.get("uses", "")))
    assert "inputs.sarif == 'true'" in upload["if"]
    assert action["inputs"]["format"]["default"] == "github"


def _step_script(name: str) -> str:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    return next(s["run"] for s in action["runs"]["steps"] if s.get("name") == name)


def _run_step(name: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    output = tmp_path / "github_output"
    output.touch()
    full = {
        **_env(),
        "RT_VENV": str(Path(sys.executable).parent.parent),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(output),
        **env,
    }
    return subprocess.run(
        ["bash", "-e", "-c", _step_script(name)],
        cwd=tmp_path,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_action_scripts_quote_paths_and_write_sarif(tmp_path: Path) -> None:
    """The action's own scripts, run here as the runner would (the venv is this one)."""
    (tmp_path / "my list.md").write_bytes(CLEAN.read_bytes())
    (tmp_path / "bad.md").write_text(with_bad_entry(SEED.read_text(encoding="utf-8")))
    # entry-format is a warning: --fail-on warning makes the bad entry fail the step.
    env = {
        "RT_FORMAT": "github",
        "RT_ARGS": "--select entry-format --fail-on warning",
        "RT_SARIF": "true",
    }
    clean = _run_step("Run readme-lint", tmp_path, RT_PATHS="my list.md\n", **env)
    assert clean.returncode == 0, clean.stderr
    sarif = tmp_path / "readme-lint.sarif"
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert f"sarif-file={sarif}" in (tmp_path / "github_output").read_text()
    bad = _run_step("Run readme-lint", tmp_path, RT_PATHS='"my list.md" bad.md', **env)
    assert bad.returncode == 1
    assert "::warning file=bad.md" in bad.stdout and "my list.md" not in bad.stdout


def test_action_cache_key_follows_the_content(tmp_path: Path) -> None:
    (tmp_path / "a b.md").write_text("# A\n")

    def key() -> str:
        (tmp_path / "github_output").write_text("")
        done = _run_step(
            "Compute the cache key from the linted content", tmp_path, RT_PATHS="a b.md\n"
        )
        assert done.returncode == 0, done.stderr
        return (tmp_path / "github_output").read_text().strip()

    first = key()
    assert first.startswith("hash=") and key() == first  # same content: same entry
    (tmp_path / "a b.md").write_text("# B\n")
    assert key() != first


def test_release_workflow_builds_and_publishes_on_a_tag() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert triggers["push"]["tags"] == ["v*"]
    build = workflow["jobs"]["build"]
    scripts = "\n".join(s.get("run", "") for s in build["steps"])
    assert "python -m build" in scripts and "pyproject.toml" in scripts
    publish = workflow["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}  # trusted publishing, no token
    assert any("pypa/gh-action-pypi-publish" in s.get("uses", "") for s in publish["steps"])


def test_changelog_has_the_released_version() -> None:
    import re

    version = re.search(r'^version = "(.+)"$', (ROOT / "pyproject.toml").read_text(), re.M)
    assert version is not None
    assert f"## [{version.group(1)}]" in (ROOT / "CHANGELOG.md").read_text()


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
    assert "E101 entry-format missing ':' after the bold name **NewThing**" in result.stdout


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


@pytest.mark.network
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_tagged_checkout_works_as_a_pinned_rev(
    hook_repo: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    """`rev:` set to a tag, as users pin a release: a fresh clone with a tag of its own."""
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", str(hook_repo), str(clone)], env=_env(), check=True, timeout=60
    )
    git(clone, "tag", "v9.9.9")
    repo = user_repo(tmp_path / "user", with_bad_entry(SEED.read_text(encoding="utf-8")))
    tried = pre_commit(
        repo,
        "try-repo",
        str(clone),
        "readme-lint",
        "--ref",
        "v9.9.9",
        "--verbose",
        "--files",
        "README.md",
        home=pre_commit_home,
    )
    assert tried.returncode == 1, tried.stdout + tried.stderr
    assert "E101 entry-format" in tried.stdout
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {clone}\n    rev: v9.9.9\n    hooks:\n"
        "      - id: readme-lint\n        args: [--fail-on, warning]\n        verbose: true\n"
    )
    git(repo, "add", ".")
    pinned = pre_commit(repo, "run", "--files", "README.md", home=pre_commit_home)
    assert pinned.returncode == 1, pinned.stdout + pinned.stderr
    assert "W301 whitespace" in pinned.stdout  # warnings shown (verbose) and failing
