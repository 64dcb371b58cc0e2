"""``readme-tools export``: the list's entries as JSON, CSV, BibTeX, CFF or an SVG chart."""

from __future__ import annotations

import sys

import click

from readme_tools.cli.common import (
    COMMAND_SETTINGS,
    Command,
    Configs,
    config_option,
    max_size_option,
)

EPILOG = """\
\b
Examples:
  readme-tools export README.md > papers.json          every entry as JSON
  readme-tools export --format bibtex -o papers.bib    each paper once, stable keys
  readme-tools export --format csv README.md           one row per entry
  readme-tools export --format cff -o CITATION.cff     the papers as CFF references
  readme-tools export --format svg -o papers.svg       a bar chart of papers per year
  readme-tools export --schema                         the JSON schema of the JSON export

\b
Fields: section (and heading path), name, title, venue (as written, canonical name, year),
arXiv month, paper ids, links, the first code link, summary, checkbox. JSON and CSV keep
every entry; BibTeX and CFF cite each paper once (by paper id, else title). BibTeX keys come
from the name (else the title's first word) and the year, so they stay the same across runs.

\b
Exit status: 0 written, 2 usage, I/O or config error.
"""


def _fail(message: str) -> None:
    click.echo(f"readme-tools export: error: {message}", err=True)
    sys.exit(2)


@click.command("export", cls=Command, context_settings=COMMAND_SETTINGS, epilog=EPILOG)
@click.argument("path", required=False, default="README.md", metavar="[FILE]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "bibtex", "cff", "svg"]),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Write here (atomically) instead of standard output.",
)
@click.option("--schema", is_flag=True, help="Print the JSON schema of the JSON export and exit.")
@config_option
@max_size_option
def export(
    path: str, fmt: str, output: str | None, schema: bool, config_path: str | None, max_size: int
) -> None:
    """Write every entry of a paper list (default: ./README.md; '-' is stdin) as data."""
    if schema:
        from readme_tools.listdata.schema import schema_json

        click.echo(schema_json(), nl=False)
        return
    from readme_tools.config import ConfigError
    from readme_tools.engine import lint_source
    from readme_tools.files import WriteError, atomic_write, read_source
    from readme_tools.listdata.export import export as render
    from readme_tools.source import InputError
    from readme_tools.venues import VenueOptions, configured_vocabulary

    try:
        config = Configs("readme-tools export", config_path, trust_repo=False).for_path(path)
        source = read_source(path, max_size)
        if source.invalid:
            _fail(f"{source.path}: not valid UTF-8; convert the file to UTF-8 first")
        doc, _ = lint_source(source, [], config)
    except (InputError, ConfigError) as exc:
        _fail(str(exc))
    text = render(doc, fmt, configured_vocabulary(config.options(VenueOptions)))
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        atomic_write(output, text.encode("utf-8"))
    except WriteError as exc:
        _fail(str(exc))
