"""``readme-fmt``: rewrite paper-list READMEs canonically."""

from __future__ import annotations

import difflib
import json
import sys
from typing import Any

import click

from readme_tools import __version__, registry
from readme_tools.cli.common import (
    COMMAND_SETTINGS,
    Command,
    Configs,
    color_option,
    config_option,
    max_size_option,
    selection,
    trust_option,
    use_color,
)
from readme_tools.cli.paths import expand
from readme_tools.config import ConfigError
from readme_tools.engine import RuleCrash, no_cyclic_gc
from readme_tools.files import WriteError, atomic_write, read_bytes
from readme_tools.fmt.pipeline import FormatError, FormatResult, format_source
from readme_tools.fmt.render import LayoutError
from readme_tools.mojibake.types import Decision
from readme_tools.source import InputError, decode

EPILOG = """\
\b
Examples:
  readme-fmt                         show the diff readme-fmt would make to ./README.md
  readme-fmt --check README.md       CI: exit 1 when the file is not canonical, print nothing
  readme-fmt --fix README.md         rewrite the file in place (-w is the same)
  readme-fmt --fix - < in.md > out.md
                                     standard input to standard output
  readme-fmt --ignore venue-tag --fix README.md
                                     every fix except the venue spelling
  readme-fmt --review uncertain.json README.md
                                     list uncertain mojibake repairs (with context) in a JSON
                                     file; correct "chosen" where the model is wrong, delete
                                     records to leave those characters damaged, then:
  readme-fmt --apply-review uncertain.json --fix README.md
                                     write the confident repairs and the reviewed ones

\b
What it does, in order: repairs mojibake and encoding problems, applies the fix of every
selected fixable readme-lint finding (see readme-lint --list-rules, column FIX; --select,
--ignore, the config and inline disable comments apply), and regenerates the table of
contents. Everything else stays byte for byte. It refuses (exit 2, nothing written) when
GitHub's rendering of the result would differ from the input's anywhere a fix did not mean
it to, a link target or reference definition would be lost, or something fixable is left.

\b
Exit status: 0 nothing to fix, 1 changes made (--fix) or needed, 2 usage, I/O, config or
safety error. Option: [tool.readme-tools.format] markdown = "mdformat" also normalises the
whole layout with mdformat (bullets, blank lines, indentation).
"""

_NEWLINES = {"keep": None, "lf": "\n", "crlf": "\r\n"}


def _diff(path: str, result: FormatResult) -> str:
    before = result.source.text.splitlines(keepends=True)
    after = result.text.splitlines(keepends=True)
    return "".join(
        difflib.unified_diff(before, after, fromfile=f"{path}", tofile=f"{path} (formatted)")
    )


SHOWN_UNCERTAIN = 10  # uncertain repairs listed on stderr per file (--review has them all)


def _alternatives(repair: Any) -> list[dict[str, Any]]:
    """``CharRepair.alternatives`` as plain data (``Alternative(char, score)`` or strings)."""
    return [
        {"char": getattr(a, "char", a), "score": getattr(a, "score", None)}
        for a in repair.alternatives
    ]


def _review_rows(path: str, result: FormatResult) -> list[dict[str, Any]]:
    return [
        {
            "path": path,
            "line": r.line,
            "column": r.column,
            "original": getattr(r, "original", None),
            "chosen": r.chosen,
            "context": getattr(r, "context", ""),
            "alternatives": _alternatives(r),
            "margin": r.margin,
            "applied": r.applied,
        }
        for r in result.uncertain
    ]


def _uncertain_report(path: str, result: FormatResult) -> str:
    """A short list of the uncertain mojibake repairs for stderr."""
    repairs = result.uncertain
    if not repairs:
        return ""
    applied = sum(1 for r in repairs if r.applied)
    state = f"{applied} applied" if applied else "not applied (--apply-uncertain applies them)"
    lines = [
        f"{path}: {len(repairs)} uncertain mojibake repair(s), {state}; "
        "--review FILE.json lists them all"
    ]
    for r in repairs[:SHOWN_UNCERTAIN]:
        others = [a["char"] for a in _alternatives(r) if a["char"] != r.chosen]
        lines.append(
            f"  {path}:{r.line}:{r.column}: {r.chosen!r}"
            + (f" (or {', '.join(repr(c) for c in others)})" if others else "")
            + (f"  {r.context}" if getattr(r, "context", "") else "")
        )
    if len(repairs) > SHOWN_UNCERTAIN:
        lines.append(f"  … and {len(repairs) - SHOWN_UNCERTAIN} more")
    return "\n".join(lines) + "\n"


_REVIEW_FIELDS = {"path": str, "line": int, "column": int, "original": str, "chosen": str}


def load_review(path: str) -> dict[str, list[Decision]]:
    """The decisions of a review file (``--review`` output, maybe edited), by file path.

    Raises ``ValueError`` with a one-line message when the file cannot be used.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a JSON review file ({exc})") from None
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of review records (readme-fmt --review)")
    out: dict[str, list[Decision]] = {}
    for number, record in enumerate(data, 1):
        if not isinstance(record, dict):
            raise ValueError(f"{path}: record {number} is not a JSON object")
        for name, kind in _REVIEW_FIELDS.items():
            value = record.get(name)
            if kind is int and not (type(value) is int and value >= 1):
                raise ValueError(f"{path}: record {number}: {name!r} must be a positive integer")
            if kind is str and not (isinstance(value, str) and value):
                raise ValueError(f"{path}: record {number}: {name!r} must be a non-empty string")
        if len(record["chosen"]) != 1:
            raise ValueError(f"{path}: record {number}: 'chosen' must be one character")
        out.setdefault(record["path"], []).append(
            Decision(record["line"], record["column"], record["original"], record["chosen"])
        )
    return out


def _colour_diff(diff: str) -> str:
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(click.style(line, bold=True))
        elif line.startswith("@@"):
            out.append(click.style(line, fg="cyan"))
        elif line.startswith("+"):
            out.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            out.append(click.style(line, fg="red"))
        else:
            out.append(line)
    return "".join(out)


@click.command("readme-fmt", cls=Command, context_settings=COMMAND_SETTINGS, epilog=EPILOG)
@click.argument("paths", nargs=-1, metavar="[PATHS]...")
@click.option("--check", is_flag=True, help="Print nothing; exit 1 when a file would change.")
@click.option("--fix", "-w", "fix", is_flag=True, help="Write the changes (atomically).")
@click.option("--select", multiple=True, metavar="RULES", help="Apply only these rules' fixes.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Do not apply these rules' fixes.")
@config_option
@click.option(
    "--apply-uncertain",
    is_flag=True,
    help="Also apply mojibake repairs the model is not confident about.",
)
@click.option(
    "--review",
    "review_path",
    type=click.Path(dir_okay=False, writable=True),
    metavar="FILE.json",
    help="Write every uncertain mojibake repair (line, column, choice, context, alternatives) "
    "here.",
)
@click.option(
    "--apply-review",
    "apply_review",
    type=click.Path(dir_okay=False),
    metavar="FILE.json",
    help="Apply the choices of a --review file (edited by you) to the repairs it lists.",
)
@click.option(
    "--line-endings",
    type=click.Choice(sorted(_NEWLINES)),
    default="keep",
    show_default=True,
    help="keep: the file's dominant line ending; lf or crlf: convert.",
)
@max_size_option
@click.option("-q", "--quiet", is_flag=True, help="No per-file messages on stderr.")
@color_option
@trust_option
@click.version_option(__version__, prog_name="readme-fmt")
def main(
    paths: tuple[str, ...],
    check: bool,
    fix: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: str | None,
    apply_uncertain: bool,
    review_path: str | None,
    apply_review: str | None,
    line_endings: str,
    max_size: int,
    quiet: bool,
    color: str,
    trust_repo: bool,
) -> None:
    """Format curated markdown paper lists canonically (default: ./README.md; '-' is stdin).

    Without --check or --fix, prints a unified diff of what would change.
    """
    if check and fix:
        raise click.UsageError("--check and --fix exclude each other")
    chosen = selection(select, ignore)
    reg = registry.load()
    failed = changed_any = False
    review: list[dict[str, Any]] = []
    decisions: dict[str, list[Decision]] = {}
    if apply_review is not None:
        try:
            decisions = load_review(apply_review)
        except ValueError as exc:
            click.echo(f"readme-fmt: error: {exc}", err=True)
            sys.exit(2)
    targets, missing = expand(paths or ("README.md",))
    for message in missing:
        click.echo(f"readme-fmt: error: {message}", err=True)
    failed = bool(missing)
    quiet = quiet or check  # --check prints nothing but errors: the exit code is the answer
    configs = Configs("readme-fmt", config_path, trust_repo)
    colour = use_color(color)
    for path in targets:
        try:
            config = configs.for_path(path)
            raw = read_bytes(path, max_size)
            source = decode(raw, path="<stdin>" if path == "-" else path)
            with no_cyclic_gc():
                result = format_source(
                    source,
                    config,
                    selection=chosen,
                    registry=reg,
                    apply_uncertain=apply_uncertain,
                    decisions=decisions.pop(source.path, ()),
                    newline=_NEWLINES[line_endings],
                    original=raw,
                )
        except (InputError, ConfigError, RuleCrash, FormatError, LayoutError) as exc:
            name = "<stdin>" if path == "-" else path
            message = str(exc)
            if not isinstance(exc, ConfigError) and not message.startswith(name):
                message = f"{name}: {message}"
            click.echo(f"readme-fmt: error: {message}", err=True)
            failed = True
            continue
        shown = source.path
        for note in () if check else result.notes:
            click.echo(f"readme-fmt: {shown}: {note}", err=True)
        if not quiet:
            click.echo(_uncertain_report(shown, result), nl=False, err=True)
        review.extend(_review_rows(shown, result))
        if path == "-" and fix:
            sys.stdout.buffer.write(result.data)
            sys.stdout.flush()
            changed_any |= result.changed
            continue
        if not result.changed:
            continue
        changed_any = True
        if fix:
            try:
                atomic_write(path, result.data)
            except WriteError as exc:
                click.echo(f"readme-fmt: error: {exc}", err=True)
                failed = True
                continue
            if not quiet:
                click.echo(f"reformatted {shown} ({len(result.applied)} fixes)", err=True)
        elif not check:
            diff = _diff(shown, result)
            click.echo(_colour_diff(diff) if colour else diff, nl=False, color=colour)
    if decisions:
        click.echo(
            f"readme-fmt: {apply_review}: records for files not formatted here were not applied "
            f"({', '.join(sorted(decisions))})",
            err=True,
        )
    if review_path is not None:
        data = json.dumps(review, ensure_ascii=False, indent=2) + "\n"
        try:
            atomic_write(review_path, data.encode("utf-8"))
        except OSError as exc:
            click.echo(f"readme-fmt: error: {exc}", err=True)
            failed = True
    if failed:
        sys.exit(2)
    if changed_any:
        sys.exit(1)
