"""Configuration as the CLI finds it, re-read when a config file changes.

``readme-lint`` looks for the nearest ``.readme-tools.toml`` or ``pyproject.toml`` with a
``[tool.readme-tools]`` table, walking up from the linted file. The server does the same per
document directory and remembers the result together with the size and modification time of
every candidate file on the way up; a lint whose candidates look different reads the config
again, so an edited, added or deleted config takes effect at the next lint even when the
client sends no file-change notifications (when it does, the server re-lints at once).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from readme_tools.lsp.bridge import Config, ConfigError, Linter

_NAMES = (".readme-tools.toml", "pyproject.toml")
Signature = tuple[tuple[str, int, int], ...]


class ConfigProblem(Exception):
    """The configuration cannot be used; the message is the CLI's one line."""


def signature(directory: Path) -> Signature:
    """Size and mtime of each config candidate from ``directory`` up to the root."""
    out = []
    for folder in (directory, *directory.parents):
        for name in _NAMES:
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            out.append((path, info.st_mtime_ns, info.st_size))
    return tuple(out)


class Configs:
    def __init__(self, linter: Linter) -> None:
        self.linter = linter
        self._lock = threading.Lock()
        self._known: dict[Path | None, tuple[Signature, Config | str]] = {}

    def clear(self) -> None:
        with self._lock:
            self._known.clear()

    def get(self, directory: Path | None) -> Config:
        """The config for files in ``directory`` (None: none found, defaults).

        Raises :class:`ConfigProblem` for a config the CLI would refuse.
        """
        sig = signature(directory) if directory is not None else ()
        with self._lock:
            known = self._known.get(directory)
        if known is None or known[0] != sig:
            try:
                path = self.linter.find_config(directory) if directory is not None else None
                value: Config | str = self.linter.load_config(path)
            except ConfigError as exc:
                value = str(exc)
            except OSError as exc:
                value = f"cannot read the configuration: {exc}"
            known = (sig, value)
            with self._lock:
                self._known[directory] = known
        value = known[1]
        if isinstance(value, str):
            raise ConfigProblem(value)
        return value
