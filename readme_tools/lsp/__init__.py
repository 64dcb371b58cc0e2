"""A language server for paper lists: readme-lint's findings, fixes and readme-fmt in editors.

``readme-tools-server`` (or ``python -m readme_tools.lsp``) speaks the Language Server
Protocol on stdin/stdout. It needs the ``lsp`` extra (pygls), imported only when the server
starts, so that installing readme-tools without it costs nothing.
"""

from __future__ import annotations

import importlib.util
import logging
import sys

import click

from readme_tools import __version__

__all__ = ["main"]

MISSING = "the language server needs pygls: pip install 'readme-tools[lsp]'"


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--stdio", is_flag=True, help="Talk LSP on stdin/stdout (the default and only way).")
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="warning",
    show_default=True,
    help="What the server logs on stderr (editors show it in the server's output panel).",
)
@click.version_option(__version__, prog_name="readme-tools-server")
def main(stdio: bool, log_level: str) -> None:
    """Run the readme-tools language server on stdin/stdout.

    Diagnostics as readme-lint reports them, quick fixes, fix-all and formatting as
    readme-fmt --fix writes them, and rule documentation on hover. Configure your editor to
    start this command for markdown files; see the README's "In the editor" section.
    """
    if importlib.util.find_spec("pygls") is None:
        click.echo(f"readme-tools-server: error: {MISSING}", err=True)
        sys.exit(2)
    logging.basicConfig(
        level=getattr(logging, log_level.upper()),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from readme_tools.lsp.server import serve

    serve()
