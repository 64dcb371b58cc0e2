"""Shared fixtures: the user's list and small helpers to lint text in-process."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from readme_tools import registry
from readme_tools.config import Config, parse_config
from readme_tools.diagnostics import Diagnostic
from readme_tools.engine import Selection, active_rules, lint_source
from readme_tools.model import Document
from readme_tools.source import decode

if TYPE_CHECKING:
    from readme_tools.mojibake import RepairResult

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "mllm-paper-reading.md"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def lint_text(
    text: str | bytes,
    select: tuple[str, ...] | None = None,
    config: dict[str, object] | None = None,
) -> tuple[Document, list[Diagnostic]]:
    reg = registry.load()
    cfg = parse_config(config, reg) if config else Config()
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    rules = active_rules(reg, cfg, Selection(select=select))
    return lint_source(decode(raw, "t.md"), rules, cfg)


def findings(text: str | bytes, rule: str, **kwargs: object) -> list[Diagnostic]:
    return lint_text(text, select=(rule,), **kwargs)[1]  # type: ignore[arg-type]


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
