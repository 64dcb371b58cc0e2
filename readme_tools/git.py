"""Git integration: which lines of a file a commit range or the index changed.

``readme-lint --changed-since REV`` lints whole documents (rules need the context) but keeps
only findings on lines added or modified since ``REV``; ``--staged`` lints the staged blob and
keeps findings on lines the index changes relative to ``HEAD`` (or ``REV``). Both read
``git diff -U0`` with rename detection, so a renamed file only reports its edited lines, and a
file git does not know yet (untracked, or new in the range) counts as changed everywhere.

Every failure is a :class:`GitError` with a one-line message (exit code 2 in the CLI).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
# Options that make `git diff` output independent of the user's configuration.
_DIFF_OPTIONS = (
    "diff",
    "--patch-with-raw",
    "-z",
    "-U0",
    "-M",
    "--text",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-relative",
    "--src-prefix=a/",
    "--dst-prefix=b/",
)
ALL = None  # a file every line of which counts as changed


class GitError(Exception):
    """A git problem: not a repository, unknown revision, git missing. One line, exit 2."""


@dataclass(frozen=True)
class ChangedFile:
    """The lines of one file touched by a diff (1-based, in the new version)."""

    path: str  # relative to the repository root, POSIX separators
    lines: frozenset[int] | None  # None: the whole file is new
    old_path: str | None = None  # set when git detected a rename or copy


def _run(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_LITERAL_PATHSPECS": "1"}
    env.pop("GIT_EXTERNAL_DIFF", None)
    try:
        return subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=cwd,
            capture_output=True,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except NotADirectoryError:
        raise GitError(f"{cwd}: not a directory") from None


def _git(args: Sequence[str], cwd: Path, *, binary: bool = False) -> str | bytes:
    result = _run(args, cwd)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        first = next((m for m in message if m.startswith("fatal:")), message[0] if message else "")
        raise GitError(f"git {args[0]} failed: {first.removeprefix('fatal: ') or 'error'}")
    return result.stdout if binary else result.stdout.decode("utf-8", "surrogateescape")


def _directory(path: str | Path) -> Path:
    p = Path(path).absolute()
    directory = p if p.is_dir() else p.parent
    if not directory.exists():
        raise GitError(f"{path}: no such file or directory")
    return directory


def resolve(path: str | Path, rev: str) -> tuple[Path, str | None]:
    """The top level of the work tree containing ``path``, and the commit ``rev`` names
    (None when it names none), in one git call."""
    if rev.startswith("-"):
        raise GitError(f"invalid revision {rev!r}")
    result = _run(
        [
            "rev-parse",
            "--show-toplevel",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{rev}^{{commit}}",
        ],
        _directory(path),
    )
    out = result.stdout.decode("utf-8", "surrogateescape").splitlines()
    if result.returncode not in (0, 1) or not out:
        raise GitError(f"{path}: not inside a git repository")
    return Path(out[0]), out[1].strip() if result.returncode == 0 and len(out) > 1 else None


_ESCAPES = {
    ord("a"): 7,
    ord("b"): 8,
    ord("t"): 9,
    ord("n"): 10,
    ord("v"): 11,
    ord("f"): 12,
    ord("r"): 13,
    ord('"'): 34,
    ord("\\"): 92,
}


def _unquote(path: str) -> str:
    """Undo git's C-style quoting of unusual paths (``"a\\tb"``, ``"\\303\\251.md"``).

    Works on bytes: an octal escape is one byte of the UTF-8 name, and the characters that
    were not escaped (``core.quotePath=false`` keeps non-ASCII) are their own UTF-8 bytes.
    """
    if not (len(path) >= 2 and path.startswith('"') and path.endswith('"')):
        return path
    body = path[1:-1].encode("utf-8", "surrogateescape")
    out = bytearray()
    i = 0
    while i < len(body):
        byte = body[i]
        if byte != 92 or i + 1 == len(body):
            out.append(byte)
            i += 1
        elif body[i + 1 : i + 4].isdigit() and len(body[i + 1 : i + 4]) == 3:
            out.append(int(body[i + 1 : i + 4], 8) & 0xFF)
            i += 4
        else:
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
    return bytes(out).decode("utf-8", "surrogateescape")


def _name(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class RawChange:
    """One record of ``git diff --raw -z``: exact paths, never quoted."""

    status: str  # A, C, D, M, R, T, U, X (the score of C/R dropped)
    path: str  # the new path (the only one unless renamed or copied)
    old_path: str | None = None


def parse_raw_z(data: bytes) -> tuple[list[RawChange], bytes]:
    """The ``--raw -z`` records at the start of ``data`` and the rest (the patch, if any).

    Each record is ``:MODE MODE SHA SHA STATUS\\0PATH\\0`` (``\\0OLD\\0NEW\\0`` for a rename
    or copy); with ``--patch-with-raw`` one more NUL separates them from the patch.
    """
    records: list[RawChange] = []
    pos = 0
    while data.startswith(b":", pos):
        end = data.index(b"\0", pos)
        status = _name(data[pos:end]).split()[-1][:1]
        pos = end + 1
        paths = []
        for _ in range(2 if status in "RC" else 1):
            end = data.index(b"\0", pos)
            paths.append(_name(data[pos:end]))
            pos = end + 1
        if len(paths) == 2:
            records.append(RawChange(status, paths[1], paths[0]))
        else:
            records.append(RawChange(status, paths[0]))
    if data.startswith(b"\0", pos):
        pos += 1
    return records, data[pos:]


def parse_diff(diff: str | bytes) -> dict[str, ChangedFile]:
    """Map each new-side path of a ``git diff -U0`` patch to the lines it added or modified.

    Paths in the patch's headers are unquoted here; :func:`scope` reads the exact paths
    from ``--raw -z`` records and uses this for the hunks only.
    """
    if isinstance(diff, bytes):
        diff = _name(diff)
    files: dict[str, ChangedFile] = {}
    rename_from: str | None = None
    current: str | None = None
    lines: set[int] = set()
    new_file = False

    def flush() -> None:
        if current is not None:
            files[current] = ChangedFile(
                path=current,
                lines=None if new_file else frozenset(lines),
                old_path=rename_from,
            )

    for line in diff.split("\n"):
        if line.startswith("diff --git "):
            flush()
            rename_from, current, lines, new_file = None, None, set(), False
        elif line.startswith("new file mode"):
            new_file = True
        elif line.startswith(("rename from ", "copy from ")):
            rename_from = _unquote(line.split(" ", 2)[2])
        elif line.startswith("--- "):
            if line[4:] == "/dev/null":
                new_file = True
        elif line.startswith("+++ "):
            target = _unquote(line[4:].rstrip("\t"))
            current = None if target == "/dev/null" else target.removeprefix("b/")
        elif line.startswith("@@"):
            match = _HUNK_RE.match(line)
            if match and current is not None:
                start = int(match.group(1))
                count = 1 if match.group(2) is None else int(match.group(2))
                lines.update(range(start, start + count))
        elif line.startswith(("rename to ", "copy to ")) and current is None:
            # A pure rename has no ---/+++ lines: nothing changed inside the file.
            current = _unquote(line.split(" ", 2)[2])
    flush()
    return files


def changed_files(data: bytes) -> dict[str, ChangedFile]:
    """The changed files of ``git diff --patch-with-raw -z -U0 -M`` output: the exact paths
    of the raw records, the changed lines of the patch."""
    records, patch = parse_raw_z(data)
    hunks = parse_diff(patch)
    files: dict[str, ChangedFile] = {}
    for record in records:
        if record.status == "D":
            continue
        found = hunks.get(record.path)
        if record.status == "A":
            lines: frozenset[int] | None = None
        else:
            lines = found.lines if found is not None else frozenset()
        files[record.path] = ChangedFile(record.path, lines, record.old_path)
    return files


@dataclass(frozen=True)
class DiffScope:
    """What an incremental run compares against, resolved for one repository."""

    root: Path
    rev: str | None  # a commit id; None with ``staged`` on an unborn branch
    staged: bool
    files: Mapping[str, ChangedFile]

    def relative(self, path: str | Path) -> str:
        absolute = Path(path).absolute().resolve()
        try:
            return absolute.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            raise GitError(f"{path}: not inside the git repository {self.root}") from None

    def changed_lines(self, path: str | Path) -> frozenset[int] | None:
        """Lines of ``path`` to report on; None means every line (a new file)."""
        rel = self.relative(path)
        if rel in self.files:
            return self.files[rel].lines
        if self.staged:
            return frozenset()  # staged and unchanged against the base
        if _tracked(self.root, rel, self.rev):
            return frozenset()
        return None  # untracked or not in REV: all of it is new

    def read(self, path: str | Path) -> bytes:
        """The bytes to lint: the staged blob with ``staged``, else the working tree file."""
        rel = self.relative(path)
        if not self.staged:
            return Path(path).read_bytes()
        try:
            out = _git(["show", f":{rel}"], self.root, binary=True)
        except GitError:
            raise GitError(f"{path}: not in the index (stage it with git add)") from None
        assert isinstance(out, bytes)
        return out


def _tracked(root: Path, rel: str, rev: str | None) -> bool:
    if rev is None:
        return False
    try:
        out = _git(["ls-tree", "-z", "--name-only", "--end-of-options", rev, "--", rel], root)
    except GitError:
        return False
    return bool(out)


def scope(path: str | Path, rev: str | None, *, staged: bool = False) -> DiffScope:
    """Resolve the diff for the repository containing ``path``.

    ``rev`` defaults to ``HEAD`` with ``staged``; without ``staged`` it is required.
    """
    if rev is None and not staged:
        raise GitError("a revision is required (e.g. --changed-since HEAD)")
    root, commit = resolve(path, rev or "HEAD")
    if commit is None and rev is not None:
        raise GitError(f"unknown revision {rev!r} (not a commit in {root})")
    args = list(_DIFF_OPTIONS)
    if staged:
        args.append("--cached")
    if commit is None:  # staged on an unborn branch: compare with the empty tree
        empty = _git(["hash-object", "-t", "tree", "/dev/null"], root)
        diff = _git([*args, str(empty).strip(), "--"], root, binary=True)
    else:
        diff = _git([*args, commit, "--"], root, binary=True)
    assert isinstance(diff, bytes)
    return DiffScope(root=root, rev=commit, staged=staged, files=changed_files(diff))


def work_tree_files(directory: Path) -> list[Path] | None:
    """The files git sees under ``directory``: tracked, and untracked but not ignored
    (``git ls-files -co --exclude-standard -z``). None when ``directory`` is not inside a git
    work tree (or git is missing)."""
    try:
        result = _run(["ls-files", "-co", "--exclude-standard", "-z", "--", "."], directory)
    except GitError:
        return None
    if result.returncode != 0:
        return None
    return [directory / _name(p) for p in result.stdout.split(b"\0") if p]


def ignored(paths: Sequence[Path], directory: Path) -> set[Path]:
    """Those of ``paths`` that git ignores (``git check-ignore -z --stdin``); none outside a
    work tree."""
    if not paths:
        return set()
    data = b"".join(str(p).encode("utf-8", "surrogateescape") + b"\0" for p in paths)
    env = {**os.environ, "LC_ALL": "C"}  # check-ignore refuses literal pathspecs
    try:
        result = subprocess.run(
            ["git", "check-ignore", "-z", "--stdin"],
            cwd=directory,
            input=data,
            capture_output=True,
            env=env,
            check=False,
        )
    except (FileNotFoundError, NotADirectoryError):
        return set()
    if result.returncode not in (0, 1):
        return set()
    return {Path(_name(p)) for p in result.stdout.split(b"\0") if p}
