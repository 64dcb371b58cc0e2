"""The language server with one more rule, which raises on every document.

Started by ``test_crash.py`` as ``python crashing_server.py``: the registry is built here and
handed to the server, so nothing in readme-tools knows about the broken rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from readme_tools.context import Context
from readme_tools.diagnostics import Problem
from readme_tools.lsp.bridge import Linter
from readme_tools.lsp.server import serve
from readme_tools.model import Document
from readme_tools.registry import Registry, Rule, load


def explode(doc: Document, ctx: Context) -> Iterator[Problem]:
    yield Problem(0, 1, "never reported: the rule fails before its findings are collected")
    raise ZeroDivisionError("injected crash")


CRASH = Rule(
    name="crash-test",
    code="X999",
    severity="error",
    fixable=False,
    summary="A rule that always raises (test only).",
    doc="**What** — nothing; it raises.",
    check=explode,
    family="test",
)


def main() -> None:
    real = load()
    serve(Linter(Registry(rules=(*real.rules, CRASH), options=real.options)))


if __name__ == "__main__":
    main()
