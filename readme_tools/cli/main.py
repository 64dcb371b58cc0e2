"""``readme-tools``: one entry point for every verb (``lint``, ``fmt``, ``sync``, ``add``,
``export``, ``import``, ``server``).

``readme-tools lint`` and ``readme-tools fmt`` are the very same click commands as
``readme-lint`` and ``readme-fmt`` (which stay). Subcommands are imported only when invoked,
so ``readme-tools --help`` does not load the linter, the formatter or the network code.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from readme_tools import __version__

#: name -> (module, attribute, one-line help shown by ``readme-tools --help``)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "lint": ("readme_tools.cli.lint", "main", "Lint paper lists (the same as readme-lint)."),
    "fmt": ("readme_tools.cli.fmt", "main", "Format paper lists (the same as readme-fmt)."),
    "sync": (
        "readme_tools.cli.sync",
        "sync",
        "Refresh the metadata lock file from arXiv, dblp, Semantic Scholar, OpenReview, "
        "Crossref and GitHub.",
    ),
    "add": (
        "readme_tools.cli.add",
        "add",
        "Add papers by arXiv id, DOI or OpenReview URL, written in the section's own style.",
    ),
    "export": (
        "readme_tools.cli.export",
        "export",
        "Write the list's entries as JSON, CSV, BibTeX, CFF or an SVG chart.",
    ),
    "import": (
        "readme_tools.cli.importer",
        "import_",
        "Add the papers of a BibTeX or JSON file to the list (as add writes them).",
    ),
    "server": (
        "readme_tools.lsp",
        "main",
        "Run the language server on stdio (the same as readme-tools-server; lsp extra).",
    ),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module, attribute, _ = spec
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Errors as one line, ``readme-tools CMD: error: MESSAGE`` (exit 2 for usage)."""
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        try:
            return super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.UsageError as exc:
            prog = exc.ctx.command_path if exc.ctx is not None else "readme-tools"
            message = exc.format_message().rstrip(".")
            click.echo(f"{prog}: error: {message} (see {prog} --help)", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"readme-tools: error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("readme-tools: interrupted", err=True)
            sys.exit(130)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, spec[2]) for name, spec in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


EPILOG = """\
\b
Examples:
  readme-tools lint README.md        lint (as readme-lint)
  readme-tools fmt --fix README.md   format (as readme-fmt)
  readme-tools sync README.md        refresh .readme-tools/papers.lock.json (network)
  readme-tools sync --check          exit 1 if the lock is out of date
  readme-tools server                the language server for editors (the lsp extra)
  readme-tools add 2410.02712 --section "Image LLMs"
                                     add a paper in the section's own style
  readme-tools export --format bibtex -o papers.bib
                                     every paper as BibTeX (json, csv, cff, svg)
  readme-tools import papers.bib --section Surveys
                                     add the papers of a .bib or exported .json file

\b
Exit status: as each command documents (0 ok, 1 findings or changes, 2 usage, I/O or config
error).
"""


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.version_option(__version__, prog_name="readme-tools")
def main() -> None:
    """Lint, format and keep true curated markdown paper lists."""


if __name__ == "__main__":
    main()
