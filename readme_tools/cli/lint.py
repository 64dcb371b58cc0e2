"""``readme-lint``: check paper-list READMEs."""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from readme_tools import __version__, registry, reporters
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
from readme_tools.diagnostics import Diagnostic, counted
from readme_tools.engine import RuleCrash, active_rules, lint_source, no_cyclic_gc
from readme_tools.extras import install_hint
from readme_tools.files import atomic_write, human_size, read_source
from readme_tools.rules.online import OnlineOptions, OnlineRun
from readme_tools.source import InputError, Source, decode

if TYPE_CHECKING:
    from readme_tools import baseline, git
    from readme_tools.model import Document

# Baselines, git diffs, the incremental parse cache, SARIF and the online checks are imported
# by the options that use them: a plain lint of a clean file loads none of them (a test lists
# what it loads: tests/cli/test_startup.py).

EPILOG = """\
\b
Examples:
  readme-lint                        lint ./README.md
  readme-lint docs/papers.md -       a file, then standard input
  readme-lint --select link-tracking,arxiv-link README.md
  readme-lint --format json README.md > findings.json
  readme-lint --changed-since origin/main   only findings on lines changed since origin/main
  readme-lint --staged                      lint the staged version, report staged changes
  readme-lint --baseline .readme-lint-baseline.json --update-baseline   record current findings
  readme-lint --baseline .readme-lint-baseline.json   report only findings not recorded
  readme-lint --list-rules           every rule with its code
  readme-lint --explain bold-name    what a rule checks, why, bad and good examples
  readme-lint --online README.md     also check dead links and arXiv metadata (network)

\b
Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage, I/O or config error.
Configuration: [tool.readme-tools] in pyproject.toml or a .readme-tools.toml, found by
walking up from each file (or --config PATH).
"""


def _list_rules() -> str:
    reg = registry.load()
    width = max(len(r.name) for r in reg.rules)
    rows = [f"{'CODE':5}  {'NAME':{width}}  {'SEVERITY':8}  FIX  SUMMARY"]
    for r in reg.rules:
        rows.append(
            f"{r.code:5}  {r.name:{width}}  {r.severity:8}  {'yes' if r.fixable else 'no ':3}  "
            f"{r.summary}{'  [--online]' if r.online else ''}"
        )
    return "\n".join(rows) + "\n"


def explain_text(name: str) -> str:
    rule = registry.load().get(name)
    if rule is None:
        raise click.UsageError(f"unknown rule {name!r} (see readme-lint --list-rules)")
    head = f"{rule.name} ({rule.code})"
    facts = (
        f"severity: {rule.severity}; fixable: {'yes (readme-fmt --fix)' if rule.fixable else 'no'}"
        f"{'; needs --online' if rule.online else ''}"
    )
    return f"{head}\n{'=' * len(head)}\n{rule.summary}\n{facts}\n\n{rule.doc.rstrip()}\n"


class _ProgressBars:
    """Draws click progress bars on stderr for the online checks (terminal only)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._label = ""
        self._done = 0

    def __call__(self, label: str, done: int, total: int) -> None:
        if total <= 0:
            return
        if self._bar is None or label != self._label or done < self._done:
            self.close()
            self._bar = click.progressbar(length=total, label=f"{label:7}", file=sys.stderr)
            self._bar.__enter__()
            self._label, self._done = label, 0
        self._bar.update(done - self._done)
        self._done = done
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _pacer() -> Any:
    from readme_tools.online.arxiv import Pacer  # the online package loads only when used

    return Pacer()


def _online_run(
    options: OnlineOptions,
    cache: str | None,
    allow_private: bool,
    progress: _ProgressBars | None,
    pacer: Any,
    no_cache: bool = False,
) -> OnlineRun:
    if importlib.util.find_spec("aiohttp") is None:
        raise ConfigError(f"online checks need aiohttp: {install_hint('online')}")
    try:
        settings = options.settings(
            os.environ,
            cache_path=Path(cache) if cache else None,
            allow_private=True if allow_private else None,
            use_cache=False if no_cache else None,
        )
    except ValueError as exc:
        raise ConfigError(f"[tool.readme-tools.online]: {exc}") from None
    return OnlineRun(settings, progress, pacer)


def _refuse_fix(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        raise click.UsageError(
            "readme-lint only reports; run `readme-fmt --fix` to apply the fixable findings"
        )


def _print_schema(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from readme_tools.config_schema import schema_json

        click.echo(schema_json(registry.load()), nl=False)
        ctx.exit()


@click.command("readme-lint", cls=Command, context_settings=COMMAND_SETTINGS, epilog=EPILOG)
@click.argument("paths", nargs=-1, metavar="[PATHS]...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(reporters.REPORTERS)),
    default="text",
    show_default=True,
    help="Output format. text: path:line:col: CODE rule message.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Only these rules (names or codes, comma-separated).",
)
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (names or codes).")
@config_option
@click.option(
    "--explain", metavar="RULE", help="Explain a rule (what, why, bad and good examples) and exit."
)
@click.option(
    "--list-rules",
    is_flag=True,
    help="List every rule with code, severity and fixability, then exit.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Print findings only: no summary line, no warnings."
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding of this severity or worse is reported (warning: any finding; "
    "for pre-commit and CI, which hide the output of a passing hook).",
)
@color_option
@trust_option
@click.option("--statistics", is_flag=True, help="Also print how many findings each rule produced.")
@max_size_option
@click.option(
    "--online/--offline",
    default=None,
    help="Also run the network checks (dead links, arXiv metadata); --offline forces them off "
    "even if [tool.readme-tools.online] enables them.",
)
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Cache file of the online checks (default: online.json in $README_TOOLS_CACHE_DIR, "
    "else in $XDG_CACHE_HOME/readme-tools).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write caches: the online results, and the parse cache that lets "
    "--changed-since / --staged runs skip unchanged sections.",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Let the online checks fetch private, loopback and link-local addresses (intranet lists).",
)
@click.option(
    "--changed-since",
    metavar="REV",
    help="Report only findings on lines added or changed since the git revision REV "
    "(rules still see the whole file).",
)
@click.option(
    "--staged",
    is_flag=True,
    help="Lint the staged (index) version of each file and report only findings on lines the "
    "index changes relative to HEAD (or to --changed-since REV).",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Ignore findings recorded in this baseline file (JSON).",
)
@click.option(
    "--update-baseline",
    is_flag=True,
    help="Record the current findings in the --baseline FILE (replacing its records for the "
    "linted files) and exit 0.",
)
@click.option("--fix", is_flag=True, hidden=True, expose_value=False, callback=_refuse_fix)
@click.option(
    "--config-schema",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_schema,
    help="Print the JSON schema of the configuration (for editors' TOML support) and exit.",
)
@click.version_option(__version__, prog_name="readme-lint")
def main(
    paths: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: str | None,
    explain: str | None,
    list_rules: bool,
    quiet: bool,
    statistics: bool,
    max_size: int,
    online: bool | None,
    cache_path: str | None,
    no_cache: bool,
    allow_private: bool,
    changed_since: str | None,
    staged: bool,
    baseline_path: str | None,
    update_baseline: bool,
    fail_on: str,
    color: str,
    trust_repo: bool,
) -> None:
    """Lint curated markdown paper lists (default: ./README.md; '-' reads stdin).

    Checks entry grammar and bold names, venue tags, links and paper identity, the table of
    contents and the text's encoding. Fixable findings are repaired by `readme-fmt --fix`.
    """
    if list_rules:
        click.echo(_list_rules(), nl=False)
        return
    if explain:
        click.echo(explain_text(explain), nl=False)
        return
    chosen = selection(select, ignore)
    reg = registry.load()
    found: list[Diagnostic] = []
    targets_list, missing = expand(paths or ("README.md",))
    for message in missing:
        click.echo(f"readme-lint: error: {message}", err=True)
    failed = len(missing)
    targets = tuple(targets_list)
    configs = Configs("readme-lint", config_path, trust_repo)
    incremental = changed_since is not None or staged
    keyed = baseline_path is not None or output_format == "sarif"  # findings need identities
    if update_baseline and baseline_path is None:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    if update_baseline and incremental:
        raise click.UsageError(
            "--update-baseline records every finding; it cannot be combined with "
            "--changed-since or --staged"
        )
    if incremental and "-" in targets:
        raise click.UsageError("--changed-since and --staged need file paths, not '-'")
    recorded: baseline.Baseline | None = None
    if baseline_path is not None and not update_baseline:
        recorded = _load_baseline(baseline_path)
    scopes: dict[Path, git.DiffScope] = {}
    progress = _ProgressBars() if sys.stderr.isatty() and not quiet else None
    pacer: Any = None  # one arXiv request clock for the whole run, made on first use
    checked = 0
    with no_cyclic_gc():
        for path in targets:
            try:
                config = configs.for_path(path)
                lines: frozenset[int] | None = None
                if incremental:
                    source, lines = _incremental_source(
                        path, changed_since, staged, scopes, max_size
                    )
                    if lines is not None and not lines:
                        checked += 1
                        continue  # nothing changed in this file
                else:
                    source = read_source(path, max_size)
                options = config.options(OnlineOptions)
                use_online = options.enabled if online is None else online
                run = None
                if use_online:
                    pacer = pacer or _pacer()
                    run = _online_run(options, cache_path, allow_private, progress, pacer, no_cache)
                rules = active_rules(reg, config, replace(chosen, online=use_online))
                doc, diagnostics = lint_source(
                    source,
                    rules,
                    config,
                    lines=lines,
                    online=run,
                    fixes=False,
                    cache=_parse_cache(path) if lines is not None and not no_cache else None,
                )
            except (InputError, ConfigError, RuleCrash) as exc:
                click.echo(f"readme-lint: error: {exc}", err=True)
                failed += 1
                continue
            finally:
                if progress is not None:
                    progress.close()
            checked += 1
            found.extend(_with_keys(doc, diagnostics) if keyed else diagnostics)
    if update_baseline:
        assert baseline_path is not None
        _write_baseline(baseline_path, targets, found, failed > 0)
        return
    stale: tuple[baseline.Record, ...] = ()
    if recorded is not None:
        from readme_tools.baseline import apply

        outcome = apply(recorded, found, targets)
        found = list(outcome.kept)
        stale = () if incremental else outcome.stale
    shown = [d for d in found if d.severity == "error"] if quiet else found
    colour = output_format == "text" and use_color(color)
    out = styled_text(shown) if colour else reporters.REPORTERS[output_format](shown, reg)
    if out and (output_format != "text" or shown):
        click.echo(out, nl=False, color=colour)
    machine = output_format != "text"  # keep stdout parseable; human extras go to stderr
    if statistics:
        click.echo(reporters.statistics(found), nl=False, err=machine)
        if stale:
            from readme_tools.baseline import stale_report

            click.echo(stale_report(stale), nl=False, err=machine)
    if not quiet and checked:
        click.echo(reporters.summary(found, checked), nl=False, err=machine)
    if failed:
        sys.exit(2)
    failing = ("error",) if fail_on == "error" else ("error", "warning")
    if any(d.severity in failing for d in found):
        sys.exit(1)


_SEVERITY_COLOURS = {"error": "red", "warning": "yellow"}


def styled_text(diagnostics: list[Diagnostic]) -> str:
    """The text reporter's lines with ANSI colour: the location bold, the code in the
    severity's colour, the rule name dimmed. ``click.unstyle`` of it is the plain text."""
    out = []
    for d in diagnostics:
        where = click.style(f"{d.path}:{d.line}:{d.column}:", bold=True)
        code = click.style(d.code, fg=_SEVERITY_COLOURS.get(d.severity), bold=True)
        rule = click.style(d.rule, dim=True)
        out.append(f"{where} {code} {rule} {d.message}\n")
    return "".join(out)


def _fail(message: str) -> NoReturn:
    click.echo(f"readme-lint: error: {message}", err=True)
    sys.exit(2)


def _load_baseline(path: str) -> baseline.Baseline:
    from readme_tools.baseline import BaselineError, load

    try:
        return load(path)
    except BaselineError as exc:
        _fail(str(exc))


def _with_keys(doc: Document, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The findings with their identities (entry, heading or line) filled in."""
    from readme_tools.baseline import with_keys

    return with_keys(doc, diagnostics)


def _parse_cache(path: str) -> Path:
    from readme_tools.incremental import cache_path

    return cache_path(path)


def _incremental_source(
    path: str,
    rev: str | None,
    staged: bool,
    scopes: dict[Path, git.DiffScope],
    max_size: int,
) -> tuple[Source, frozenset[int] | None]:
    """The source to lint and its changed lines (None: all of it) for an incremental run.

    A git failure ends the run (one line, exit 2)."""
    from readme_tools.git import GitError, scope

    directory = Path(path).absolute().parent  # one diff per directory (submodules differ)
    try:
        if directory not in scopes:
            scopes[directory] = scope(path, rev, staged=staged)
        diff = scopes[directory]
        lines = diff.changed_lines(path)
        if not staged:
            return read_source(path, max_size), lines
        data = diff.read(path)
    except GitError as exc:
        _fail(str(exc))
    if len(data) > max_size:
        raise InputError(
            f"{path}: file too large ({human_size(len(data))} > {human_size(max_size)} limit; "
            "raise it with --max-size)"
        )
    return decode(data, path=path), lines


def _write_baseline(
    path: str, targets: tuple[str, ...], found: list[Diagnostic], failed: bool
) -> None:
    from readme_tools import baseline

    if failed:
        _fail(f"{path}: not updated, because some files could not be linted")
    base = Path(path).absolute().parent
    try:
        old = baseline.load(path) if Path(path).exists() else None
        new = baseline.updated(old, base, targets, found)
        atomic_write(path, baseline.dump(new))
    except baseline.BaselineError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{path}: cannot write baseline: {exc.strerror or exc}")
    total = sum(r.count for r in new.records)
    click.echo(
        f"readme-lint: wrote {counted(len(found), 'finding')} to {path} ({total} in total)",
        err=True,
    )


if __name__ == "__main__":
    main()
