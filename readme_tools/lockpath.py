"""Where a list's metadata lock file lives.

A base module, apart from :mod:`readme_tools.metadata`, so that an offline lint can look for
the lock without loading the metadata layer.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_LOCK = Path(".readme-tools") / "papers.lock.json"


class LockError(Exception):
    """An unreadable or malformed lock file, or a lock path a repository may not use."""


def resolve_lock_path(list_path: Path, configured: str | None, base: Path | None) -> Path:
    """Where the lock of ``list_path`` lives.

    ``configured`` (``lock`` in the repository's config) is a relative path, resolved against
    ``base`` (the config file's directory) and confined to it: a repository's config cannot
    make ``sync`` write outside the repository.
    """
    directory = list_path.absolute().parent
    if configured is None:
        return directory / DEFAULT_LOCK
    root = (base or directory).absolute()
    candidate = Path(configured)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise LockError(
            f"lock path {configured!r} must be relative and inside the repository "
            "(use --lock for another place)"
        )
    resolved = (root / candidate).resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise LockError(f"lock path {configured!r} leaves the repository through a symlink")
    return root / candidate
