"""Helpers for the end-to-end language-server tests: a pytest-lsp client over stdio."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from ..conftest import cli_runner

HERE = Path(__file__).parent
SERVER = [sys.executable, "-m", "readme_tools.lsp"]
TIMEOUT = 120.0  # the first fix-all builds the Chinese word model in a fresh cache


def _record(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    published(client).append(params)


def published(client: LanguageClient) -> list[types.PublishDiagnosticsParams]:
    """Every publishDiagnostics the client received, in order."""
    if not hasattr(client, "published"):
        client.published = []  # type: ignore[attr-defined]
    out: list[types.PublishDiagnosticsParams] = client.published  # type: ignore[attr-defined]
    return out


def _register_capability(client: LanguageClient, params: types.RegistrationParams) -> None:
    registrations(client).extend(params.registrations)


def registrations(client: LanguageClient) -> list[types.Registration]:
    """The capabilities the server registered dynamically."""
    if not hasattr(client, "registered"):
        client.registered = []  # type: ignore[attr-defined]
    out: list[types.Registration] = client.registered  # type: ignore[attr-defined]
    return out


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record
    features[types.CLIENT_REGISTER_CAPABILITY] = _register_capability
    register_lsp_features(client, features)
    return client


def server_config(command: Sequence[str] = SERVER) -> ClientServerConfig:
    return ClientServerConfig(server_command=list(command), client_factory=make_client)


def capabilities() -> types.ClientCapabilities:
    """What a modern editor announces: versioned edits, resolvable code actions, watchers."""
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind.Utf16]
        ),
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=True
            ),
        ),
        text_document=types.TextDocumentClientCapabilities(
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[
                            types.CodeActionKind.QuickFix,
                            types.CodeActionKind.Source,
                            types.CodeActionKind.SourceFixAll,
                        ]
                    )
                ),
                resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"]),
                data_support=True,
            ),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                related_information=True, code_description_support=True, data_support=True
            ),
            hover=types.HoverClientCapabilities(
                content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]
            ),
        ),
    )


async def initialize(client: LanguageClient, root: Path, **options: Any) -> None:
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(),
            root_uri=root.as_uri(),
            initialization_options=options or None,
        )
    )


async def wait_for(
    client: LanguageClient,
    uri: str,
    version: int | None = None,
    after: int = 0,
    until: Callable[[types.PublishDiagnosticsParams], bool] | None = None,
    timeout: float = TIMEOUT,
) -> types.PublishDiagnosticsParams:
    """The first diagnostics for ``uri`` (at ``version``) received after ``after`` others."""
    deadline = time.monotonic() + timeout
    while True:
        for params in published(client)[after:]:
            if params.uri != uri or (version is not None and params.version != version):
                continue
            if until is None or until(params):
                return params
        if time.monotonic() > deadline:
            raise AssertionError(f"no diagnostics for {uri} (version {version}) in {timeout} s")
        await asyncio.sleep(0.01)


def open_doc(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=version, text=text
            )
        )
    )
    return uri


def replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def edit(client: LanguageClient, uri: str, version: int, edits: Sequence[types.TextEdit]) -> None:
    """Send ``edits`` (non-overlapping, any order) as incremental changes, last first."""
    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                for e in reversed(ordered)
            ],
        )
    )


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def lsp_lines(text: str) -> list[str]:
    """Lines as LSP counts them (\\r\\n, \\r, \\n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def offset(text: str, position: types.Position) -> int:
    """Code-point offset of a UTF-16 LSP position in ``text`` ("\\n" line ends)."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for index, ch in enumerate(line):
        if units >= position.character:
            return start + index
        units += 2 if ord(ch) > 0xFFFF else 1
    return start + len(line)


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """``text`` (with "\\n" line ends) after non-overlapping LSP ``edits``."""
    spans = sorted(
        ((offset(text, e.range.start), offset(text, e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def action_edits(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    edit = action.edit
    assert edit is not None, action.title
    out: list[types.TextEdit] = []
    for change in edit.document_changes or ():
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == uri
        out += [e for e in change.edits if isinstance(e, types.TextEdit)]
    for target, edits in (edit.changes or {}).items():
        assert target == uri
        out += edits
    return out


def cli_json(path: Path, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """``readme-lint --format json PATH`` run in-process from ``cwd``."""
    from readme_tools.cli.lint import main

    monkeypatch.chdir(cwd)
    result = cli_runner().invoke(main, ["--format", "json", str(path)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def cli_fmt(path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The file after ``readme-fmt --fix PATH`` (run in-process on it)."""
    from readme_tools.cli.fmt import main

    monkeypatch.chdir(path.parent)
    result = cli_runner().invoke(main, ["--fix", "-q", str(path)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return path.read_text(encoding="utf-8")


def as_cli(d: types.Diagnostic, text: str) -> dict[str, Any]:
    """An LSP diagnostic in ``readme-lint --format json``'s terms (1-based code points)."""
    lines = lsp_lines(text)

    def column(position: types.Position) -> int:
        line = lines[position.line] if position.line < len(lines) else ""
        units = 0
        for index, ch in enumerate(line):
            if units >= position.character:
                return index + 1
            units += 2 if ord(ch) > 0xFFFF else 1
        return len(line) + 1

    severity = {
        types.DiagnosticSeverity.Error: "error",
        types.DiagnosticSeverity.Warning: "warning",
    }
    return {
        "line": d.range.start.line + 1,
        "column": column(d.range.start),
        "end_line": d.range.end.line + 1,
        "end_column": column(d.range.end),
        "code": d.code,
        "severity": severity[d.severity] if d.severity else None,
        "message": d.message,
    }


def cli_view(found: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = ("line", "column", "end_line", "end_column", "code", "severity", "message")
    return [{k: f[k] for k in keys} for f in found]
