"""The requests: code actions (and their resolution), formatting, hover.

Quick fixes are computed for the lines a request covers (the linter with fixes on, on those
lines only); the mojibake alternatives come from the formatter's review data; the TOC
regeneration and fix-all (``readme-fmt --fix``'s output as edits) are sent without their
edits to clients that resolve code actions, because computing them can take seconds. Fixes,
alternatives and formatting are computed in the worker thread and remembered per document
version.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Final

from lsprotocol import types

from readme_tools.lsp import actions, convert
from readme_tools.lsp.bridge import Choice, Diagnostic, Formatted, LintError
from readme_tools.lsp.configs import ConfigProblem
from readme_tools.lsp.documents import column_of

if TYPE_CHECKING:
    from readme_tools.lsp.server import ReadmeServer
    from readme_tools.lsp.state import DocState

log = logging.getLogger("readme_tools.lsp")
_WORD: Final = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_CODE: Final = re.compile(r"[A-Z]\d{3}")


def versioned(server: ReadmeServer) -> bool:
    """Whether the client takes edits pinned to a document version."""
    workspace = server.ls.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace else None
    return bool(edit and edit.document_changes)


def resolves(server: ReadmeServer) -> bool:
    """Whether the client asks for a code action's edit only when it is chosen."""
    text = server.ls.client_capabilities.text_document
    action = text.code_action if text else None
    support = action.resolve_support if action else None
    return bool(support and "edit" in support.properties)


async def fixes(server: ReadmeServer, state: DocState, lines: frozenset[int]) -> list[Diagnostic]:
    """Findings with their fixes on 1-based ``lines`` of the current text."""
    text, uri, version = state.doc.text, state.doc.uri, state.doc.version
    starts = state.doc.plain_starts()
    cache = server._cache_file(state) if state.incremental else None

    def run() -> list[Diagnostic]:
        config = server._config(state)
        found = server.linter.lint(
            text, state.name, config, lines=lines, cache=cache, fixes=True, starts=starts
        )
        server._report_crashes(found)
        return found.diagnostics

    async def compute() -> list[Diagnostic]:
        try:
            return await server._in_worker(run)
        except (ConfigProblem, LintError) as exc:
            log.warning("%s: no fixes: %s", state.name, exc)
            return []

    return await server._memo((uri, version, "fixes", lines), compute)


async def formatted(server: ReadmeServer, state: DocState) -> Formatted | str:
    """``readme-fmt --fix``'s output for the current text, or why it refused."""
    text, uri, version = state.doc.text, state.doc.uri, state.doc.version

    def run() -> Formatted:
        return server.linter.format(text, state.name, server._config(state))

    async def compute() -> Formatted | str:
        try:
            return await server._in_worker(run)
        except (ConfigProblem, LintError) as exc:
            return str(exc)

    return await server._memo((uri, version, "format"), compute)


async def format_edits(server: ReadmeServer, state: DocState) -> list[types.TextEdit] | None:
    """Formatting as edits of the current text (None: refused, or the text changed)."""
    version = state.doc.version
    result = await formatted(server, state)
    if isinstance(result, str):
        server.ls.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning,
                message=f"readme-fmt refused to format {state.name}: {result}",
            )
        )
        return None
    if state.doc.version != version:
        return None  # the text changed meanwhile: these edits no longer fit
    return convert.whole_text_edits(state.doc, result.text)


def hover(server: ReadmeServer, params: types.HoverParams) -> types.Hover | None:
    """A rule code anywhere, or a rule name in a control comment: its ``--explain``."""
    state = server.docs.get(params.text_document.uri)
    if state is None:
        return None
    line_no = params.position.line
    line = state.doc.line(line_no)
    column = column_of(line, params.position.character, state.doc.encoding)
    for match in _WORD.finditer(line):
        if match.start() <= column <= match.end():
            break
    else:
        return None
    word = match.group()
    before = line[: match.start()]
    if not (_CODE.fullmatch(word) or ("<!--" in before and "readme-lint" in before)):
        return None
    text = server.linter.explain(word)
    if text is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
        range=convert.span(state.doc, line_no + 1, match.start() + 1, line_no + 1, match.end() + 1),
    )


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
    pinned = versioned(server)
    lazy = resolves(server)
    out: list[types.CodeAction] = []
    first, last = _lines(params)
    # A light bulb asks on every cursor move: lint with fixes only where a finding can have one
    # (the mojibake rule's recoverable lines are "not fixable" when only reported).
    fixable_here = any(
        (d.fixable or d.rule == "mojibake") and d.line <= last and first <= d.end_line
        for d in state.findings
    )
    if fixable_here and actions.wanted(only, types.CodeActionKind.QuickFix):
        fixed = await fixes(server, state, frozenset(range(first, last + 1)))
        if doc.version != version:
            return None
        out += actions.quick_fixes(doc, fixed, first, last, server.options.docs_url, pinned)
        if any(d.rule == "mojibake" and d.line <= last and first <= d.end_line for d in fixed):
            choices = await mojibake_choices(server, state)
            if doc.version != version:
                return None
            out += actions.choice_actions(doc, choices, params.range, pinned)
    toc = [d for d in state.findings if _family(server, d) == "toc"]
    if toc and actions.wanted(only, actions.REGENERATE_TOC):
        if lazy and not actions.explicitly(only, actions.REGENERATE_TOC):
            out.append(actions.lazy_toc(doc))
        else:
            action = await toc_action(server, state)
            if action is not None and doc.version == version:
                out.append(action)
    fixable = any(d.fixable for d in state.findings)
    if actions.explicitly(only, actions.FIX_ALL):
        edits = await format_edits(server, state)
        if edits:
            out.append(actions.fix_all(edits, doc, pinned))
    elif fixable and lazy and actions.wanted(only, actions.FIX_ALL):
        out.append(actions.fix_all(None, doc, pinned))
    return out


def _family(server: ReadmeServer, d: Diagnostic) -> str:
    rule = server.linter.rule(d.rule)
    return rule.family if rule is not None else ""


async def toc_action(server: ReadmeServer, state: DocState) -> types.CodeAction | None:
    lines = frozenset(
        n for d in state.findings if _family(server, d) == "toc" for n in (d.line, d.end_line)
    )
    for d in await fixes(server, state, lines):
        if server.linter.is_toc_regeneration(d):
            return actions.regenerate_toc(state.doc, d, versioned(server))
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
        edits = await format_edits(server, state)
        if edits is not None:
            action.edit = actions.fix_all(edits, state.doc, versioned(server)).edit
    elif kind == actions.REGENERATE_TOC:
        resolved = await toc_action(server, state)
        if resolved is not None:
            action.edit = resolved.edit
    return action
