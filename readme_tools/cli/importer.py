"""``readme-tools import``: add the papers of a BibTeX file or a JSON export to a list."""

from __future__ import annotations

import sys

import click

from readme_tools.cli.common import COMMAND_SETTINGS, Command, config_option, max_size_option

EPILOG = """\
\b
Examples:
  readme-tools import papers.bib --section Surveys       every entry of a .bib file
  readme-tools import other.json README.md               an export: sections as it had them
  readme-tools export old.md > all.json && readme-tools import all.json new.md
                                                         move a list's entries to another

\b
Each paper is written as readme-tools add writes it: in the style of the section's entries
(an empty list gets "- [x] **Name**: Title. VENUE [Paper](…)"), where the section's order
puts it, refused when the list already has it. A JSON export names each entry's section
(its heading path, created where missing) and keeps its links, summary and checkbox, so
exporting a list and importing it into an empty file rebuilds it. BibTeX entries give a
title, ids (eprint, doi, an arXiv/DOI/OpenReview url), a venue (booktitle or journal) and a
year; --section says where they go. No network is used.

\b
Exit status: 0 imported, 1 a paper was refused as a duplicate or the new entries have lint
findings, 2 usage, I/O, format or config error.
"""


def _fail(message: str) -> None:
    click.echo(f"readme-tools import: error: {message}", err=True)
    sys.exit(2)


@click.command("import", cls=Command, context_settings=COMMAND_SETTINGS, epilog=EPILOG)
@click.argument("source_path", metavar="SOURCE")
@click.argument("path", required=False, default="README.md", metavar="[FILE]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "json", "bibtex"]),
    default="auto",
    show_default=True,
    help="What SOURCE is (auto: JSON when it starts with '{' or '[').",
)
@click.option("--section", metavar="NAME", help="Put every paper in this section.")
@click.option(
    "--new-section", is_flag=True, help="Create --section if the list has none of that name."
)
@click.option("--dry-run", is_flag=True, help="Print the diff; write nothing.")
@config_option
@max_size_option
@click.option("-q", "--quiet", is_flag=True, help="Print only errors, findings and the diff.")
def import_(
    source_path: str,
    path: str,
    fmt: str,
    section: str | None,
    new_section: bool,
    dry_run: bool,
    config_path: str | None,
    max_size: int,
    quiet: bool,
) -> None:
    """Add the papers of SOURCE (BibTeX, or readme-tools export JSON) to a list (./README.md)."""
    from readme_tools.cli.add import _read, _write
    from readme_tools.files import read_bytes
    from readme_tools.listdata.importer import ImportError_, read_papers
    from readme_tools.source import InputError

    if path == "-":
        raise click.UsageError("import needs a file path for the list (it writes it in place)")
    source, config, vocab, _ = _read(path, config_path, max_size, None)
    try:
        raw = read_bytes(source_path, max_size)
        data = raw.decode("utf-8-sig")
        papers = read_papers(data, fmt, vocab, "<stdin>" if source_path == "-" else source_path)
    except InputError as exc:
        _fail(str(exc))
    except UnicodeDecodeError:
        _fail(f"{source_path}: not UTF-8")
    except ImportError_ as exc:
        _fail(str(exc))
    if not papers:
        _fail(f"{source_path}: no entries to import")
    _write(
        source, config, papers, section, new_section, dry_run, quiet, "readme-tools import", True
    )
