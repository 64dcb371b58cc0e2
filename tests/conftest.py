"""Shared fixtures: the user's list and small helpers to lint text in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from readme_tools import registry
from readme_tools.config import Config, parse_config
from readme_tools.diagnostics import Diagnostic
from readme_tools.engine import Selection, active_rules, lint_source
from readme_tools.model import Document
from readme_tools.source import decode

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


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
