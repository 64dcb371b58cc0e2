"""Command-line path arguments: files as given, directories and glob patterns expanded to the
markdown files in them.

Inside a git work tree a directory lists what git sees (``git ls-files -co
--exclude-standard``: tracked files and untracked ones ``.gitignore`` does not exclude), and
glob matches that git ignores are dropped; outside one, a directory is walked, skipping hidden
directories. A file named explicitly is always taken, whatever its name.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

MARKDOWN_SUFFIXES = (".md", ".markdown")
_GLOB_CHARS = frozenset("*?[")


def is_markdown(path: str | Path) -> bool:
    return str(path).lower().endswith(MARKDOWN_SUFFIXES)


def _walk(directory: Path) -> list[Path]:
    out: list[Path] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        out.extend(Path(root) / name for name in files)
    return out


def markdown_under(directory: Path) -> list[Path]:
    """The markdown files under ``directory``, sorted (see the module doc)."""
    from readme_tools import git  # subprocess and git: only to expand a directory

    listed = git.work_tree_files(directory)
    candidates = _walk(directory) if listed is None else listed
    return sorted(p for p in candidates if is_markdown(p) and p.is_file())


def _glob(pattern: str) -> list[Path]:
    from glob import glob

    matches = [Path(m) for m in glob(pattern, recursive=True)]
    files = [m for m in matches if m.is_file() and is_markdown(m)]
    from readme_tools import git

    dropped = git.ignored(files, Path.cwd())
    return sorted(f for f in files if f not in dropped)


def expand(arguments: Sequence[str]) -> tuple[list[str], list[str]]:
    """The files to process, in order without repeats, and one-line errors for arguments
    that name nothing (an empty directory or a glob without a match)."""
    out: list[str] = []
    errors: list[str] = []
    for argument in arguments:
        if argument == "-" or os.path.isfile(argument):
            out.append(argument)
        elif os.path.isdir(argument):
            found = markdown_under(Path(argument))
            if not found:
                errors.append(f"{argument}: no markdown files in this directory")
            out.extend(str(p) for p in found)
        elif _GLOB_CHARS & set(argument) and not os.path.lexists(argument):
            found = _glob(argument)
            if not found:
                errors.append(f"{argument}: no markdown file matches this pattern")
            out.extend(str(p) for p in found)
        else:
            out.append(argument)  # missing or unreadable: reading reports it, in its turn
    seen: set[str] = set()
    unique = []
    for path in out:
        key = path if path == "-" else os.path.normpath(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, errors
