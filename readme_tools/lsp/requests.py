"""``textDocument/codeAction`` and ``codeAction/resolve``.

Quick fixes are computed for the lines a request covers (the linter with fixes on, on those
lines only); the mojibake alternatives come from the formatter's review data; the TOC
regeneration and fix-all (``readme-fmt --fix``'s output as edits) are sent without their
edits to clients that resolve code actions, because computing them can take seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from readme_tools.lsp import actions
from readme_tools.lsp.bridge import Choice, Diagnostic, LintError
from readme_tools.lsp.configs import ConfigProblem

if TYPE_CHECKING:
    from readme_tools.lsp.server import ReadmeServer
    from readme_tools.lsp.state import DocState


def _lines(params: types.CodeActionParams) -> tuple[int, int]:
    """1-based first and last line of the request and of our diagnostics in its context."""
    first = params.range.start.line + 1
    last = params.range.end.line + 1
    for d in params.context.diagnostics:
        if actions.ours(d):
            first = min(first, d.range.start.line + 1)
            last = max(last, d.range.end.line + 1)
    return first, last


async def code_actions(
    server: ReadmeServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    state = server.docs.get(params.text_document.uri)
    if state is None:
        return None
    doc = state.doc
    version = doc.version
    only = params.context.only
    versioned = server._versioned()
    resolves = server._resolves()
    out: list[types.CodeAction] = []
    first, last = _lines(params)
    if actions.wanted(only, types.CodeActionKind.QuickFix):
        fixed = await server.fixes(state, frozenset(range(first, last + 1)))
        if doc.version != version:
            return None
        out += actions.quick_fixes(doc, fixed, first, last, server.options.docs_url, versioned)
        if any(d.rule == "mojibake" and d.line <= last and first <= d.end_line for d in fixed):
            choices = await mojibake_choices(server, state)
            if doc.version != version:
                return None
            out += actions.choice_actions(doc, choices, params.range, versioned)
    toc = [d for d in state.findings if _family(server, d) == "toc"]
    if toc and actions.wanted(only, actions.REGENERATE_TOC):
        if resolves and not actions.explicitly(only, actions.REGENERATE_TOC):
            out.append(actions.lazy_toc(doc))
        else:
            action = await toc_action(server, state)
            if action is not None and doc.version == version:
                out.append(action)
    fixable = any(d.fixable for d in state.findings)
    if actions.explicitly(only, actions.FIX_ALL):
        edits = await server.format_edits(state)
        if edits:
            out.append(actions.fix_all(edits, doc, versioned))
    elif fixable and resolves and actions.wanted(only, actions.FIX_ALL):
        out.append(actions.fix_all(None, doc, versioned))
    return out


def _family(server: ReadmeServer, d: Diagnostic) -> str:
    rule = server.linter.rule(d.rule)
    return rule.family if rule is not None else ""


async def toc_action(server: ReadmeServer, state: DocState) -> types.CodeAction | None:
    lines = frozenset(
        n for d in state.findings if _family(server, d) == "toc" for n in (d.line, d.end_line)
    )
    fixed = await server.fixes(state, lines)
    for d in fixed:
        if server.linter.is_toc_regeneration(d):
            return actions.regenerate_toc(state.doc, d, server._versioned())
    return None


async def mojibake_choices(server: ReadmeServer, state: DocState) -> list[Choice]:
    text, uri, version = state.doc.text, state.doc.uri, state.doc.version

    def run() -> list[Choice]:
        try:
            config = server._config(state)
        except ConfigProblem:
            return []
        return server.linter.mojibake_choices(text, state.name, config)

    async def compute() -> list[Choice]:
        try:
            return await server._in_worker(run)
        except LintError:
            return []

    return await server._memo((uri, version, "choices"), compute)


async def resolve(server: ReadmeServer, action: types.CodeAction) -> types.CodeAction:
    data: Any = action.data
    if not isinstance(data, dict):
        return action
    state = server.docs.get(str(data.get("uri")))
    if state is None:
        return action
    kind = data.get("kind")
    if kind == actions.FIX_ALL:
        edits = await server.format_edits(state)
        if edits is not None:
            action.edit = actions.fix_all(edits, state.doc, server._versioned()).edit
    elif kind == actions.REGENERATE_TOC:
        resolved = await toc_action(server, state)
        if resolved is not None:
            action.edit = resolved.edit
    return action
