"""Shared fixtures: the user's list and small helpers to lint text in-process."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

import readme_tools
from readme_tools.diagnostics import Diagnostic

from .data import FIXTURES, SEED, SHARED

if TYPE_CHECKING:
    from readme_tools.mojibake import RepairResult

__all__ = ["FIXTURES", "SEED", "SHARED", "findings"]  # FIXTURES and SHARED: tests/data.py


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected files of tests/fixtures/golden from the current code",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def findings(
    text: str | bytes, rule: str, config: dict[str, object] | None = None
) -> list[Diagnostic]:
    """One rule's findings on ``text`` (linted as a file named t.md, fixes computed)."""
    return readme_tools.lint_text(text, path="t.md", select=(rule,), config=config, fixes=True)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_repair(seed_text: str) -> RepairResult:
    """The seed's default mojibake repair (confident repairs applied), computed once."""
    from readme_tools.mojibake import repair

    return repair(seed_text)


@pytest.fixture(scope="session")
def seed_full_repair(seed_text: str) -> RepairResult:
    """The seed's mojibake repair with the uncertain repairs applied too, computed once."""
    from readme_tools.mojibake import repair

    return repair(seed_text, apply_uncertain=True)


def git_env(**extra: str) -> dict[str, str]:
    """An environment for git in tests: fixed identity, no user or system configuration."""
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        **extra,
    }


def run_git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, env=git_env(), check=True, capture_output=True, text=True
    ).stdout


def cli_runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 always separates stderr
        return CliRunner()


def invoke_lint(cwd: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> Result:
    """``readme-lint ARGS`` run in-process from ``cwd``."""
    from readme_tools.cli.lint import main

    monkeypatch.chdir(cwd)
    return cli_runner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="session", autouse=True)
def _isolated_caches(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the derived word model and the online cache of the test session out of the
    user's cache directory, and an installed word trigram model out of the results (the
    tests that want one pass it explicitly)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("README_TOOLS_ZH_LM", "off")
    cache = tmp_path_factory.mktemp("cache")
    mp.setenv("README_TOOLS_CACHE_DIR", str(cache / "readme-tools"))
    mp.setenv("XDG_CACHE_HOME", str(cache))
    # The user-level config (trusted) of the test session: empty, never the developer's own.
    mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    mp.delenv("NO_COLOR", raising=False)
    yield
    mp.undo()
