"""Command-line entry points (click).

The console scripts start here: ``readme-lint --version`` and ``readme-fmt --version`` are
answered without importing click or the linter (a hook's start-up is all it costs); every
other command line runs the click command of :mod:`.lint` or :mod:`.fmt`.
"""

from __future__ import annotations

import sys

from readme_tools.version import __version__


def _version_only(prog: str) -> bool:
    """Print click's version line for a lone ``--version`` (nothing else on the line)."""
    if sys.argv[1:] != ["--version"]:
        return False
    sys.stdout.write(f"{prog}, version {__version__}\n")
    return True


def lint() -> None:
    """``readme-lint``: :func:`readme_tools.cli.lint.main`."""
    if not _version_only("readme-lint"):
        from readme_tools.cli.lint import main

        main()


def fmt() -> None:
    """``readme-fmt``: :func:`readme_tools.cli.fmt.main`."""
    if not _version_only("readme-fmt"):
        from readme_tools.cli.fmt import main

        main()
