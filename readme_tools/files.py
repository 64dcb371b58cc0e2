"""Reading inputs and writing outputs: one-line errors, atomic writes that keep the mode."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from readme_tools.source import InputError, Source, decode

MAX_SIZE = 32 * 1024 * 1024  # a paper list larger than this is not a paper list


def read_bytes(path: str, max_size: int = MAX_SIZE) -> bytes:
    """The bytes of ``path`` (``-`` = stdin), or :class:`InputError` with a one-line reason."""
    if path == "-":
        data = sys.stdin.buffer.read(max_size + 1)
    else:
        p = Path(path)
        try:
            if p.is_dir():
                raise InputError(f"{path}: is a directory (pass the markdown file inside it)")
            size = p.stat().st_size
            if size > max_size:
                raise InputError(
                    f"{path}: file too large ({size / 2**20:.1f} MiB > "
                    f"{max_size / 2**20:.0f} MiB limit; raise it with --max-size)"
                )
            with p.open("rb") as handle:
                data = handle.read(max_size + 1)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except PermissionError:
            raise InputError(f"{path}: permission denied") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > max_size:
        raise InputError(f"{path}: input too large (> {max_size / 2**20:.0f} MiB limit)")
    return data


def read_source(path: str, max_size: int = MAX_SIZE) -> Source:
    return decode(read_bytes(path, max_size), path="<stdin>" if path == "-" else path)


def atomic_write(path: str, data: bytes) -> bool:
    """Replace ``path`` with ``data`` via a temp file in the same directory and a rename.

    Keeps the original file's permission bits. Returns False (and writes nothing) when the
    content is already ``data``.
    """
    target = Path(path)
    try:
        if target.read_bytes() == data:
            return False
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$README_TOOLS_CACHE_DIR``, else ``$XDG_CACHE_HOME/readme-tools``, else
    ``~/.cache/readme-tools``: where derived data (word model, parse cache, online results)
    is kept. ``env`` defaults to ``os.environ``."""
    env = os.environ if env is None else env
    override = env.get("README_TOOLS_CACHE_DIR")
    if override:
        return Path(override)
    base = env.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "readme-tools"
