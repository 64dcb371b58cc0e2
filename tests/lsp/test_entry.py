"""The server's command: pygls is loaded only when the server starts."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from readme_tools.lsp import main

from ..conftest import cli_runner


def test_importing_the_package_does_not_load_pygls() -> None:
    code = (
        "import sys, readme_tools.lsp; print('pygls' in sys.modules, 'lsprotocol' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_without_the_extra_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        return None if name == "pygls" else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    result = cli_runner().invoke(main, ["--stdio"])
    assert result.exit_code == 2
    assert result.stderr == (
        "readme-tools-server: error: the language server needs pygls: "
        "pip install 'readme-tools[lsp]'\n"
    )


def test_help_describes_the_server() -> None:
    result = cli_runner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "language server on stdin/stdout" in result.stdout
