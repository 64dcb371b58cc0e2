"""Reading inputs and writing outputs: one-line errors, atomic writes that keep the mode."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from readme_tools.source import InputError, Source, decode

MAX_SIZE = 32 * 1024 * 1024  # a paper list larger than this is not a paper list
TEMP_SUFFIX = ".tmp"
STALE_TEMP_AGE = 3600.0  # seconds: an old-style temp file this old is a killed run's leftover


class WriteError(OSError):
    """A write that failed; ``str()`` is one line naming the file (exit code 2 in the CLI);
    ``strerror`` is the reason alone."""

    def __init__(self, code: int | None, reason: str, message: str) -> None:
        super().__init__(code, reason)
        self.message = message

    def __str__(self) -> str:
        return self.message


def human_size(size: int) -> str:
    """``512 bytes``, ``12.5 KiB``, ``3.0 MiB``."""
    if size < 1024:
        return f"{size} byte{'' if size == 1 else 's'}"
    if size < 2**20:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 2**20:.1f} MiB"


def _too_large(path: str, size: int | None, max_size: int) -> InputError:
    what = f"{human_size(size)} > " if size is not None else "more than "
    return InputError(
        f"{path}: file too large ({what}{human_size(max_size)} limit; raise it with --max-size)"
    )


def read_bytes(path: str, max_size: int = MAX_SIZE) -> bytes:
    """The bytes of ``path`` (``-`` = stdin), or :class:`InputError` with a one-line reason."""
    if path == "-":
        data = sys.stdin.buffer.read(max_size + 1)
    else:
        try:
            if os.path.isdir(path):
                raise InputError(f"{path}: is a directory (pass the markdown file inside it)")
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > max_size:
                    raise _too_large(path, size, max_size)
                data = handle.read(max_size + 1)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except PermissionError:
            raise InputError(f"{path}: permission denied (cannot read it)") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > max_size:
        raise _too_large("<stdin>" if path == "-" else path, None, max_size)
    return data


def read_source(path: str, max_size: int = MAX_SIZE) -> Source:
    return decode(read_bytes(path, max_size), path="<stdin>" if path == "-" else path)


def _error(path: str, action: str, exc: OSError) -> WriteError:
    reason = exc.strerror or str(exc)
    return WriteError(exc.errno, reason, f"{path}: cannot {action}: {reason}")


def read_only(path: str | Path) -> bool:
    """Whether ``path`` is an existing file nobody may write by its mode (``chmod a-w``).

    Checked by mode bits, not ``os.access``: root may write anything, but a file made
    read-only on purpose is not rewritten by root either.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def atomic_write(path: str, data: bytes) -> bool:
    """Replace ``path`` with ``data`` via a temp file in the same directory and a rename.

    A symlink is followed: its target is written and the link stays. Keeps the original file's
    permission bits (and owner, when run as root). A read-only file is refused. Returns False
    (and writes nothing) when the content is already ``data``. On any failure (including
    SIGTERM or Ctrl-C during the write) the temp file is removed and the target is untouched;
    every ``OSError`` comes out as a one-line :class:`WriteError`. Temp files that a killed
    run left next to the target (``.NAME.PID.*.tmp``) are removed first.
    """
    target = Path(os.path.realpath(path))
    try:
        if target.read_bytes() == data:
            return False
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _error(path, "read it back", exc) from None
    if info is not None and read_only(target):
        reason = "read-only file, not rewritten"
        raise WriteError(
            errno.EACCES, reason, f"{path}: {reason} (make it writable to format it: chmod u+w)"
        )
    remove_stale_temps(target)
    import tempfile  # a lint writes nothing: imported by the first write

    with _cleanup_on_signal():
        try:
            fd, tmp = tempfile.mkstemp(
                prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=target.parent
            )
        except OSError as exc:
            raise _error(path, "write", exc) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if info is not None:
                os.chmod(tmp, stat.S_IMODE(info.st_mode))
                if os.geteuid() == 0 and info.st_uid != 0:  # pragma: no cover - root only
                    with contextlib.suppress(OSError):
                        os.chown(tmp, info.st_uid, info.st_gid)
            os.replace(tmp, target)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError):
                raise _error(path, "write", exc) from None
            raise
    return True


class _Terminated(BaseException):
    """SIGTERM arrived during a write; re-raised as SystemExit once the temp file is gone."""


@contextlib.contextmanager
def _cleanup_on_signal() -> Iterator[None]:
    """Turn SIGTERM into an exception while writing, so the temp file is removed (Ctrl-C is
    already KeyboardInterrupt). Only the main thread can set signal handlers."""
    import signal  # imported by the first write

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminated(signum: int, frame: object) -> None:
        raise _Terminated

    try:
        previous = signal.signal(signal.SIGTERM, terminated)
    except (ValueError, OSError):  # pragma: no cover - no signals here
        yield
        return
    try:
        yield
    except _Terminated:
        raise SystemExit(128 + signal.SIGTERM) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove the temp files of :func:`atomic_write` for ``target`` whose process is gone
    (``.NAME.PID.RANDOM.tmp``), or, without a PID, older than an hour. Returns them."""
    removed: list[Path] = []
    prefix = f".{target.name}."
    try:
        candidates = [p for p in target.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return removed
    now = time.time()
    for candidate in candidates:
        middle = candidate.name[len(prefix) :]
        if not middle.endswith(TEMP_SUFFIX):
            continue
        pid_text, _, rest = middle.partition(".")
        try:
            if pid_text.isdigit() and rest:
                stale = not _running(int(pid_text))
            else:
                stale = now - candidate.lstat().st_mtime > STALE_TEMP_AGE
            if stale and candidate.is_file() and not candidate.is_symlink():
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue
    return removed


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


def within_cache_dir(value: object, env: Mapping[str, str] | None = None) -> bool:
    """Whether ``value`` is an absolute path inside :func:`cache_dir` (symlinks resolved).

    The one cache path a repository's config may choose (see ``[online] cache``): anything
    else could make the tool overwrite an arbitrary file.
    """
    if not isinstance(value, str) or not Path(value).is_absolute():
        return False
    root = cache_dir(env).resolve()
    return Path(value).resolve().is_relative_to(root)
