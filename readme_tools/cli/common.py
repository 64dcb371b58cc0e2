"""What readme-lint and readme-fmt share: rule selection, config lookup, common options."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from readme_tools import registry
from readme_tools.config import Config, find_config, load_config
from readme_tools.engine import Selection
from readme_tools.files import MAX_SIZE

F = TypeVar("F", bound=Callable[..., Any])


def _names(values: tuple[str, ...], option: str) -> tuple[str, ...]:
    """Comma-separated rule names or codes; an unknown one is a usage error."""
    names = tuple(v.strip() for value in values for v in value.split(",") if v.strip())
    reg = registry.load()
    for name in names:
        if reg.get(name) is None:
            raise click.UsageError(
                f"unknown rule {name!r} in {option} (see readme-lint --list-rules)"
            )
    return names


def selection(select: tuple[str, ...], ignore: tuple[str, ...]) -> Selection:
    """The rules chosen by ``--select`` / ``--ignore``."""
    return Selection(select=_names(select, "--select") or None, ignore=_names(ignore, "--ignore"))


def config_for(path: str, explicit: str | None) -> Config:
    """``--config PATH``, else the config found by walking up from ``path`` (cwd for '-')."""
    reg = registry.load()
    if explicit is not None:
        return load_config(Path(explicit), reg)
    start = Path.cwd() if path == "-" else Path(path).absolute()
    return load_config(find_config(start), reg)


def config_option(func: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        help="Use this config file instead of searching for one.",
    )(func)


def max_size_option(func: F) -> F:
    return click.option(
        "--max-size",
        type=int,
        default=MAX_SIZE,
        show_default=True,
        metavar="BYTES",
        help="Refuse inputs larger than this.",
    )(func)
