"""Golden files and in-process runs for the list-data tests."""

from __future__ import annotations

import os
from pathlib import Path

from readme_tools import registry
from readme_tools.config import Config, parse_config
from readme_tools.diagnostics import Diagnostic
from readme_tools.engine import Selection, active_rules, lint_source
from readme_tools.fmt.pipeline import format_source
from readme_tools.source import decode

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listdata"


def golden(path: Path, actual: str) -> None:
    """Compare ``actual`` with the golden file; ``UPDATE_GOLDEN=1`` rewrites it instead."""
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path} (run with UPDATE_GOLDEN=1)"
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path}"


def config(table: dict[str, object] | None) -> Config:
    return parse_config(table, registry.load()) if table else Config()


def fmt(text: str, select: tuple[str, ...], table: dict[str, object] | None = None) -> str:
    """``readme-fmt --select …`` of ``text`` in-process (the output text)."""
    result = format_source(
        decode(text.encode("utf-8"), "t.md"), config(table), selection=Selection(select=select)
    )
    assert not result.notes, result.notes
    return result.text


def lint_all(text: str | bytes) -> list[Diagnostic]:
    """Every offline rule's findings on ``text`` (the default configuration)."""
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    rules = active_rules(registry.load(), Config(), Selection())
    return lint_source(decode(raw, "t.md"), rules, Config())[1]
