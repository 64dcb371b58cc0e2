"""What readme-lint and readme-fmt share: one-line usage errors, rule selection, config lookup
(with the trust rule), colour, and the common options."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from readme_tools import registry
from readme_tools.config import TRUST_FLAG, Config, find_config, load_config, user_config_path
from readme_tools.engine import Selection
from readme_tools.files import MAX_SIZE

F = TypeVar("F", bound=Callable[..., Any])


class Command(click.Command):
    """A click command whose errors are one line: ``PROG: error: MESSAGE`` (exit 2 for usage
    errors), instead of click's usage block, "Try --help" line and "Error:" line."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        name = prog_name or self.name or "readme-tools"
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            message = exc.format_message().rstrip(".")
            click.echo(f"{name}: error: {message} (see {name} --help)", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"{name}: error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo(f"{name}: interrupted", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)


COMMAND_SETTINGS: dict[str, Any] = {
    "help_option_names": ["-h", "--help"],
    "max_content_width": 100,
}


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


class Configs:
    """Config lookup for one run: the user's config (trusted) under each file's repository
    config (untrusted unless ``--trust-repo-config``). Each trust warning is printed once."""

    def __init__(self, prog: str, explicit: str | None, trust_repo: bool) -> None:
        self.prog = prog
        self.explicit = explicit
        self.trust_repo = trust_repo
        user = user_config_path()
        self.user = user if user.is_file() else None
        self._warned: set[str] = set()

    def for_path(self, path: str) -> Config:
        """``--config PATH``, else the config found by walking up from ``path`` (cwd for
        '-'); raises :class:`~readme_tools.config.ConfigError`."""
        reg = registry.load()
        if self.explicit is not None:
            found: Path | None = Path(self.explicit)
        else:
            found = find_config(Path.cwd() if path == "-" else Path(path).absolute())
        config = load_config(found, reg, trust_repo=self.trust_repo, user_config=self.user)
        for warning in config.warnings:
            if warning not in self._warned:
                self._warned.add(warning)
                click.echo(f"{self.prog}: warning: {warning}", err=True)
        return config


def config_option(func: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        help="Use this config file instead of searching for one.",
    )(func)


def trust_option(func: F) -> F:
    return click.option(
        TRUST_FLAG,
        "trust_repo",
        is_flag=True,
        help="Honour privileged settings (network reach, API hosts that receive tokens, cache "
        "paths) from the repository's config file. Without it they are ignored with a warning: "
        "a pull request can change that file.",
    )(func)


def max_size_option(func: F) -> F:
    return click.option(
        "--max-size",
        type=click.IntRange(min=1),
        default=MAX_SIZE,
        show_default=True,
        metavar="BYTES",
        help="Refuse inputs larger than this.",
    )(func)


def color_option(func: F) -> F:
    return click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour the output: auto = on a terminal unless NO_COLOR is set.",
    )(func)


def use_color(choice: str, stream: Any = None) -> bool:
    """Whether to colour: ``always``/``never``, or for ``auto`` a terminal and no
    ``NO_COLOR`` (https://no-color.org: any non-empty value turns colour off)."""
    if choice != "auto":
        return choice == "always"
    stream = sys.stdout if stream is None else stream
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
