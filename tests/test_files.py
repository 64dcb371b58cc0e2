"""Reading and writing files (#26): one-line errors and exit 2 for every I/O failure, no temp
file left behind, symlinks followed, read-only files left alone, legacy encodings named."""

from __future__ import annotations

import errno
import os
import signal
import stat
import tempfile
from pathlib import Path

import pytest

from readme_tools import files
from readme_tools.cli.fmt import main as fmt_main
from readme_tools.cli.lint import main as lint_main
from readme_tools.files import WriteError, atomic_write, remove_stale_temps
from readme_tools.source import decode, guess_encoding

from .conftest import SEED, cli_runner

ROOT_USER = os.geteuid() == 0


def fmt(*args: str) -> tuple[int, str, str]:
    result = cli_runner().invoke(fmt_main, list(args))
    return result.exit_code, result.stdout, result.stderr


def lint(*args: str) -> tuple[int, str, str]:
    result = cli_runner().invoke(lint_main, list(args))
    return result.exit_code, result.stdout, result.stderr


def seed_copy(directory: Path, name: str = "README.md") -> Path:
    path = directory / name
    path.write_bytes(SEED.read_bytes())
    return path


def temps(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- failed writes


def test_full_disk_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = seed_copy(tmp_path)
    before = path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    code, _, err = fmt("-q", "--fix", str(path))
    assert code == 2, err  # not 1, which pre-commit and CI read as "changed"
    assert err == f"readme-fmt: error: {path}: cannot write: No space left on device\n"
    assert path.read_bytes() == before
    assert temps(tmp_path) == []


def test_read_only_directory_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    path = seed_copy(directory)
    before = path.read_bytes()
    directory.chmod(0o555)
    try:
        if ROOT_USER:  # root may create files anywhere: make the directory refuse as it would
            real = tempfile.mkstemp

            def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
                if kwargs.get("dir") == directory:
                    raise PermissionError(errno.EACCES, "Permission denied")
                return real(*args, **kwargs)  # type: ignore[arg-type]

            monkeypatch.setattr(tempfile, "mkstemp", refuse)  # files imports it on use
        code, _, err = fmt("-q", "--fix", str(path))
    finally:
        directory.chmod(0o755)
    assert code == 2
    assert err == f"readme-fmt: error: {path}: cannot write: Permission denied\n"
    assert path.read_bytes() == before and temps(directory) == []


def test_other_files_are_still_formatted_after_a_failed_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = seed_copy(tmp_path, "a.md")
    second = seed_copy(tmp_path, "b.md")
    first.chmod(0o444)
    code, _, err = fmt("--fix", str(first), str(second))
    assert code == 2
    assert "a.md: read-only file, not rewritten" in err
    assert second.read_bytes() != SEED.read_bytes()  # formatted


def test_sigterm_during_a_write_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = seed_copy(tmp_path)
    real = files.os.fsync

    def killed(fd: int) -> None:
        real(fd)
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(files.os, "fsync", killed)
    previous = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as info:
        atomic_write(str(path), b"new\n")
    assert info.value.code == 128 + signal.SIGTERM
    assert path.read_bytes() == SEED.read_bytes() and temps(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) == previous


def test_ctrl_c_during_a_write_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = seed_copy(tmp_path)

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(str(path), b"new\n")
    assert path.read_bytes() == SEED.read_bytes() and temps(tmp_path) == []


def test_a_killed_runs_temp_files_are_removed_next_time(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text("old\n")
    dead = tmp_path / ".README.md.999999999.k2j4h5.tmp"  # beyond any pid_max: not running
    alive = tmp_path / f".README.md.{os.getpid()}.a8d7f6.tmp"  # this process: in use
    old_style = tmp_path / ".README.md.x7y6z5q1.tmp"  # before PIDs were in the name
    other = tmp_path / ".OTHER.md.999999999.aaaaaa.tmp"
    for leftover in (dead, alive, old_style, other):
        leftover.write_text("partial")
    os.utime(old_style, (0, 0))
    assert atomic_write(str(path), b"new\n")
    assert path.read_text() == "new\n"
    assert not dead.exists() and not old_style.exists()
    assert alive.exists() and other.exists()
    assert remove_stale_temps(path) == []


def test_symlink_is_followed_and_its_target_written(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = seed_copy(tmp_path / "real", "list.md")
    link = tmp_path / "README.md"
    link.symlink_to(os.path.relpath(target, tmp_path))
    code, _, _ = fmt("--fix", str(link))
    assert code == 1
    assert link.is_symlink() and os.readlink(link) == os.path.relpath(target, tmp_path)
    assert target.read_bytes() != SEED.read_bytes()
    assert fmt("--check", str(link))[0] == 0


def test_read_only_file_is_not_rewritten(tmp_path: Path) -> None:
    path = seed_copy(tmp_path)
    path.chmod(0o444)
    code, _, err = fmt("-q", "--fix", str(path))
    assert code == 2
    assert err.count("\n") == 1 and "read-only file, not rewritten" in err
    assert path.read_bytes() == SEED.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_write_error_is_an_oserror_with_one_line() -> None:
    error = WriteError(errno.ENOSPC, "No space left on device", "a.md: cannot write: No space")
    assert isinstance(error, OSError) and str(error) == "a.md: cannot write: No space"


# --------------------------------------------------------------------------- reading


def test_unreadable_file_is_one_line_and_the_others_are_linted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "secret.md"
    bad.write_text("# Secret\n")
    bad.chmod(0o000)
    good = tmp_path / "good.md"
    good.write_text("# Good\n\nText \n")  # a trailing space: one whitespace finding
    if ROOT_USER:  # root reads anything: make this file refuse as it would for a user
        real_open = open
        real_access = os.access

        def refusing_open(file: object, *args: object, **kwargs: object) -> object:
            if os.fspath(file) == str(bad):  # type: ignore[call-overload]
                raise PermissionError(errno.EACCES, "Permission denied")
            return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(files, "open", refusing_open, raising=False)
        monkeypatch.setattr(
            os, "access", lambda p, mode, **kw: p != str(bad) and real_access(p, mode)
        )
    try:
        code, out, err = lint(str(bad), str(good))
    finally:
        bad.chmod(0o644)
    assert code == 2
    assert err.splitlines()[0] == f"readme-lint: error: {bad}: permission denied (cannot read it)"
    assert "whitespace" in out and str(good) in out


def test_max_size_message_is_readable(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# A list\n\nSome text here.\n")
    code, _, err = lint("--max-size", "10", str(path))
    assert code == 2
    assert "file too large (26 bytes > 10 bytes limit; raise it with --max-size)" in err
    code, _, err = lint("--max-size", "0", str(path))
    assert code == 2 and err.count("\n") == 1 and "--max-size" in err


BIG5_SENTENCE = "這是一個關於視覺語言模型的論文清單，收錄了最新的研究成果與程式碼連結。"
GB_SENTENCE = "这是一个关于视觉语言模型的论文清单，收录了最新的研究成果与代码链接。"


def test_big5_is_named_big5() -> None:
    raw = f"# 論文清單\n\n{BIG5_SENTENCE}\n".encode("big5")
    raw.decode("gb18030")  # the trap: GB18030 decodes these bytes too (as garbage)
    assert guess_encoding(raw) == "big5"
    assert decode(raw, "a.md").encoding_guess == "big5"
    assert guess_encoding(GB_SENTENCE.encode("gbk")) == "gb18030"
    assert guess_encoding(GB_SENTENCE.encode("gb18030")) == "gb18030"
    assert guess_encoding("日本語の論文リストです。最新の研究".encode("shift_jis")) == "shift_jis"
    assert guess_encoding("café naïve".encode("cp1252")) == "cp1252"


def test_big5_file_finding_names_big5(tmp_path: Path) -> None:
    path = tmp_path / "zh.md"
    path.write_bytes(f"# 論文\n\n{BIG5_SENTENCE}\n".encode("big5"))
    code, out, _ = lint("--select", "encoding", str(path))
    assert code == 1
    assert "decodes as big5" in out and "gb18030" not in out
