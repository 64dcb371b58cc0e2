"""Where a list's lock file lives: :mod:`readme_tools.lockpath`, under its metadata name."""

from __future__ import annotations

from readme_tools.lockpath import DEFAULT_LOCK, LockError, resolve_lock_path

__all__ = ["DEFAULT_LOCK", "LockError", "resolve_lock_path"]
