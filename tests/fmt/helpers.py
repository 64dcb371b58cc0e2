"""Helpers for the formatter tests: format text in-process."""

from __future__ import annotations

from readme_tools import registry
from readme_tools.config import Config, parse_config
from readme_tools.engine import Selection
from readme_tools.fmt.pipeline import FormatResult, format_source
from readme_tools.source import decode


def fmt(
    text: str | bytes,
    config: dict[str, object] | None = None,
    select: tuple[str, ...] | None = None,
    ignore: tuple[str, ...] = (),
    **kwargs: object,
) -> FormatResult:
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    reg = kwargs.pop("registry", None) or registry.load()
    cfg = parse_config(config, reg) if config else Config()  # type: ignore[arg-type]
    return format_source(
        decode(raw, "t.md"),
        cfg,
        selection=Selection(select=select, ignore=ignore),
        registry=reg,  # type: ignore[arg-type]
        original=raw,
        **kwargs,  # type: ignore[arg-type]
    )
