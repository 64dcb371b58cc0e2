"""``readme-lint``: check paper-list READMEs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from readme_tools import __version__, registry, reporters
from readme_tools.config import Config, ConfigError, find_config, load_config
from readme_tools.diagnostics import Diagnostic
from readme_tools.engine import RuleCrash, Selection, active_rules, lint_source
from readme_tools.files import MAX_SIZE, read_source
from readme_tools.source import InputError

EPILOG = """\
\b
Examples:
  readme-lint                        lint ./README.md
  readme-lint docs/papers.md -       a file, then standard input
  readme-lint --select link-tracking,arxiv-link README.md
  readme-lint --format json README.md > findings.json
  readme-lint --list-rules           every rule with its code
  readme-lint --explain bold-name    what a rule checks, why, bad and good examples

\b
Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage, I/O or config error.
Configuration: [tool.readme-tools] in pyproject.toml or a .readme-tools.toml, found by
walking up from each file (or --config PATH).
"""


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _check_names(names: tuple[str, ...], option: str) -> None:
    reg = registry.load()
    for name in names:
        if reg.get(name) is None:
            raise click.UsageError(
                f"unknown rule {name!r} in {option} (see readme-lint --list-rules)"
            )


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


def _explain(name: str) -> str:
    rule = registry.load().get(name)
    if rule is None:
        raise click.UsageError(f"unknown rule {name!r} (see readme-lint --list-rules)")
    head = f"{rule.name} ({rule.code})"
    facts = (
        f"severity: {rule.severity}; fixable: {'yes (readme-fmt --fix)' if rule.fixable else 'no'}"
        f"{'; needs --online' if rule.online else ''}"
    )
    return f"{head}\n{'=' * len(head)}\n{rule.summary}\n{facts}\n\n{rule.doc.rstrip()}\n"


def _config_for(path: str, explicit: str | None) -> Config:
    reg = registry.load()
    if explicit is not None:
        return load_config(Path(explicit), reg)
    start = Path.cwd() if path == "-" else Path(path).absolute()
    return load_config(find_config(start), reg)


@click.command(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, allow_dash=True))
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
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Use this config file instead of searching for one.",
)
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
@click.option("--statistics", is_flag=True, help="Also print how many findings each rule produced.")
@click.option(
    "--max-size",
    type=int,
    default=MAX_SIZE,
    show_default=True,
    metavar="BYTES",
    help="Refuse inputs larger than this.",
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
) -> None:
    """Lint curated markdown paper lists (default: ./README.md; '-' reads stdin).

    Checks entry grammar and bold names, venue tags, links and paper identity, the table of
    contents and the text's encoding. Fixable findings are repaired by `readme-fmt --fix`.
    """
    if list_rules:
        click.echo(_list_rules(), nl=False)
        return
    if explain:
        click.echo(_explain(explain), nl=False)
        return
    selected = _split(select) or None
    ignored = _split(ignore)
    _check_names(selected or (), "--select")
    _check_names(ignored, "--ignore")
    selection = Selection(select=selected, ignore=ignored)
    reg = registry.load()
    found: list[Diagnostic] = []
    failed = 0
    targets = paths or ("README.md",)
    for path in targets:
        try:
            config = _config_for(path, config_path)
            source = read_source(path, max_size)
            rules = active_rules(reg, config, selection)
            _, diagnostics = lint_source(source, rules, config)
        except (InputError, ConfigError, RuleCrash) as exc:
            click.echo(f"readme-lint: error: {exc}", err=True)
            failed += 1
            continue
        found.extend(diagnostics)
    shown = [d for d in found if d.severity == "error"] if quiet else found
    out = reporters.REPORTERS[output_format](shown, reg)
    if out and (output_format != "text" or shown):
        click.echo(out, nl=False)
    machine = output_format != "text"  # keep stdout parseable; human extras go to stderr
    if statistics:
        click.echo(reporters.statistics(found), nl=False, err=machine)
    if not quiet and len(targets) > failed:
        click.echo(reporters.summary(found, len(targets) - failed), nl=False, err=machine)
    if failed:
        sys.exit(2)
    if any(d.severity == "error" for d in found):
        sys.exit(1)


if __name__ == "__main__":
    main()
