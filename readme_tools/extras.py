"""How to install an optional extra into the environment actually running readme-tools.

``pip install 'readme-tools[cjk]'`` is right only for a venv where the package came from PyPI.
A pre-commit hook's environment takes ``additional_dependencies``; a pipx install takes
``pipx inject``; any other environment is reached by its own interpreter (``python -m pip``).
The packages of an extra are read from the installed distribution's metadata.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from functools import cache
from importlib import metadata

DISTRIBUTION = "readme-tools"
_EXTRA_RE = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


@cache
def packages(extra: str) -> tuple[str, ...]:
    """The requirements an extra adds (``("wordfreq>=3.1", "jieba>=0.42")``); empty when the
    distribution's metadata is not available."""
    try:
        requires = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return ()
    out = []
    for requirement in requires:
        spec, _, marker = requirement.partition(";")
        match = _EXTRA_RE.search(marker)
        if match and match.group(1) == extra:
            out.append(spec.strip().replace(" ", ""))
    return tuple(out)


def environment() -> str:
    """``pre-commit``, ``pipx`` or ``python`` (any other interpreter or venv)."""
    prefix = sys.prefix.replace(os.sep, "/")
    if os.environ.get("PRE_COMMIT") == "1" or "/pre-commit/repo" in prefix:
        return "pre-commit"
    if "/pipx/venvs/" in prefix:
        return "pipx"
    return "python"


def install_hint(extra: str) -> str:
    """One line telling how to add ``extra`` to the running environment."""
    names = packages(extra)
    quoted = " ".join(shlex.quote(n) for n in names) or shlex.quote(f"{DISTRIBUTION}[{extra}]")
    kind = environment()
    if kind == "pre-commit":
        listed = ", ".join(f"'{n}'" for n in names) or f"'{DISTRIBUTION}[{extra}]'"
        return (
            f"add `additional_dependencies: [{listed}]` to the hook in .pre-commit-config.yaml "
            f"(the {extra} extra)"
        )
    if kind == "pipx":
        return f"pipx inject {DISTRIBUTION} {quoted} (the {extra} extra)"
    return f"{shlex.quote(sys.executable)} -m pip install {quoted} (the {extra} extra)"


class Hint:
    """:func:`install_hint` for one extra, computed when first formatted (reading the package
    metadata takes ~20 ms, too much for an import), so a module constant can hold it:
    ``f"... needs the cjk extra: {CJK_EXTRA_HINT}"``."""

    def __init__(self, extra: str) -> None:
        self.extra = extra

    def __str__(self) -> str:
        return install_hint(self.extra)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Hint({self.extra!r})"
