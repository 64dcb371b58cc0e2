"""Command-line entry points (click).

The console scripts start here: ``readme-lint --version`` and ``readme-fmt --version`` are
answered without importing click or the linter (a hook's start-up is all it costs); every
other command line runs the click command of :mod:`.lint` or :mod:`.fmt`. ``readme-lint``
then ends its process without the interpreter's teardown (:func:`_exit`). The entry functions
are not named ``lint``/``fmt``: importing the submodules of those names would replace them.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys

from readme_tools.version import __version__


def _version_only(prog: str) -> bool:
    """Print click's version line for a lone ``--version`` (nothing else on the line)."""
    if sys.argv[1:] != ["--version"]:
        return False
    sys.stdout.write(f"{prog}, version {__version__}\n")
    return True


def run_lint() -> None:
    """``readme-lint``: :func:`readme_tools.cli.lint.main`."""
    if _version_only("readme-lint"):
        return
    _import_quietly()
    from readme_tools.cli.lint import main

    try:
        main()
    except SystemExit as stop:
        _exit(stop)


def _import_quietly() -> None:
    """Import the linter with the cyclic garbage collector paused, then move what the imports
    made (modules, functions, classes: nothing a run frees) out of its sight (:func:`gc.freeze`):
    collections during the imports walked them again and again, ~5 ms of a small lint."""
    gc.disable()
    try:
        import readme_tools.cli.lint  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()


def _exit(stop: SystemExit) -> None:
    """End the process with ``stop``'s status as the interpreter would, but without tearing
    down every module and object first (~15 ms of a lint of a small file): the exit
    functions run, standard output and error are flushed, then :func:`os._exit`. readme-lint
    writes files (a baseline, caches) only through closed, atomically replaced files; should
    a flush fail (a closed pipe), the interpreter's own exit reports it."""
    code = stop.code
    if code is not None and not isinstance(code, int):
        raise stop  # a message to print: the interpreter does that
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise stop from None
    os._exit(code or 0)


def run_fmt() -> None:
    """``readme-fmt``: :func:`readme_tools.cli.fmt.main`."""
    if not _version_only("readme-fmt"):
        from readme_tools.cli.fmt import main

        main()
