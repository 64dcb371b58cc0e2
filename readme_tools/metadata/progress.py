"""A progress bar for long syncs: on a terminal only, never in CI or when piped."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

#: Environment variables CI services set (GitHub Actions, GitLab, most others set ``CI``).
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "TF_BUILD", "JENKINS_URL")


def wants_progress(stream: TextIO | None = None, env: Mapping[str, str] | None = None) -> bool:
    """A bar is drawn when ``stream`` (stderr) is a terminal and no CI variable is set."""
    stream = stream or sys.stderr
    env = os.environ if env is None else env
    isatty = getattr(stream, "isatty", None)
    if not (callable(isatty) and isatty()):
        return False
    return not any(env.get(name) for name in CI_VARIABLES)


class Bar:
    """``bar(done, total)`` draws a click progress bar on stderr; :meth:`close` ends it."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: Any = None
        self._done = 0
        self._total = 0

    def __call__(self, done: int, total: int) -> None:
        import click

        if total <= 0:
            return
        if self._bar is None or total != self._total:
            self.close()
            self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
            self._bar.update(done)
            self._done, self._total = done, total
            return
        self._bar.update(max(0, done - self._done))
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def progress_bar(
    label: str, enabled: bool | None = None
) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """``(callback or None, close)`` — ``None`` when no bar should be drawn."""
    if not (wants_progress() if enabled is None else enabled):
        return None, lambda: None
    bar = Bar(label)
    return bar, bar.close
