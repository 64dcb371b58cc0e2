"""The language server: pygls wiring, lint scheduling and the LSP features.

Threads: pygls's event loop handles messages; one worker thread runs everything that calls
the linter or the formatter (lints, fixes, formatting), one job at a time, so the loop stays
free to read changes while a lint runs. A document's changes are coalesced: a lint starts
``debounce`` after the last change, and changes that arrive while it runs are linted next.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import to_fs_path

from readme_tools import __version__
from readme_tools.lsp import actions, convert, requests
from readme_tools.lsp.bridge import (
    Cancelled,
    Config,
    Linter,
    LintError,
    LintRun,
)
from readme_tools.lsp.configs import ConfigProblem, Configs
from readme_tools.lsp.documents import UTF8, UTF16, UTF32, Document, line_starts
from readme_tools.lsp.state import DocState, Job

log = logging.getLogger("readme_tools.lsp")
T = TypeVar("T")

MARKDOWN_SUFFIXES: Final = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
CONFIG_GLOBS: Final = ("**/pyproject.toml", "**/.readme-tools.toml")
_ENCODINGS: Final = {
    types.PositionEncodingKind.Utf8: UTF8,
    types.PositionEncodingKind.Utf16: UTF16,
    types.PositionEncodingKind.Utf32: UTF32,
}


class Protocol(LanguageServerProtocol):
    """pygls's protocol without its own copy of open documents (the server keeps its own)."""

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Any:
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Any:
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)
        if handler is not None:
            yield handler, (params,), None


class Options:
    """``initializationOptions``: ``docsUrl``, ``debounceMs``, ``settleMs``."""

    def __init__(self, raw: object = None) -> None:
        values = raw if isinstance(raw, dict) else {}
        url = values.get("docsUrl")
        self.docs_url = url if isinstance(url, str) and "{" in url else convert.DOCS_URL
        self.debounce = _seconds(values.get("debounceMs"), 0.01)
        self.settle = _seconds(values.get("settleMs"), 1.0)


def _seconds(value: object, default: float) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value) / 1000
    return default


def scratch_dir() -> str | None:
    """Where the parse caches go: memory-backed when possible (they are rewritten, with an
    fsync, after every incremental lint), else the default temporary directory."""
    for candidate in (os.environ.get("XDG_RUNTIME_DIR"), "/dev/shm"):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    return None


def is_markdown(uri: str, language: str | None) -> bool:
    if language is not None and language.lower() in ("markdown", "md"):
        return True
    return uri.lower().endswith(MARKDOWN_SUFFIXES)


class ReadmeServer:
    """The features, bound to one pygls server and one linter."""

    def __init__(self, linter: Linter | None = None) -> None:
        self.linter = linter or Linter()
        self.ls = LanguageServer(
            "readme-tools",
            __version__,
            protocol_cls=Protocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.docs: dict[str, DocState] = {}
        self.options = Options()
        self.encoding = UTF16
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readme-lint")
        self.configs = Configs(self.linter)
        self.cache_dir = Path(tempfile.mkdtemp(prefix="readme-tools-lsp-", dir=scratch_dir()))
        self.drivers: dict[str, asyncio.Task[None]] = {}
        self.memo: dict[tuple[object, ...], Any] = {}
        self.reported: set[str] = set()
        self.root: Path | None = None
        self._register()

    # ------------------------------------------------------------------ registration

    def _register(self) -> None:
        on = self._on
        on(types.INITIALIZE, self.initialize)
        on(types.INITIALIZED, self.initialized)
        on(types.SHUTDOWN, self.shutdown)
        on(types.TEXT_DOCUMENT_DID_OPEN, self.did_open)
        on(types.TEXT_DOCUMENT_DID_CHANGE, self.did_change)
        on(types.TEXT_DOCUMENT_DID_SAVE, self.did_save, types.SaveOptions(include_text=False))
        on(types.TEXT_DOCUMENT_DID_CLOSE, self.did_close)
        on(types.WORKSPACE_DID_CHANGE_WATCHED_FILES, self.watched_files_changed)
        on(
            types.TEXT_DOCUMENT_CODE_ACTION,
            self.code_action,
            types.CodeActionOptions(code_action_kinds=list(actions.KINDS), resolve_provider=True),
        )
        on(types.CODE_ACTION_RESOLVE, self.resolve_code_action)
        on(types.TEXT_DOCUMENT_FORMATTING, self.formatting)
        on(types.TEXT_DOCUMENT_HOVER, self.hover)

    def _on(self, method: str, fn: Callable[[Any], Any], options: Any = None) -> None:
        """Register ``fn`` (a bound method) for ``method``; pygls tags a plain function."""
        handler: Callable[[Any], Any]
        if asyncio.iscoroutinefunction(fn):

            async def handler(params: Any) -> Any:
                return await fn(params)

        else:

            def handler(params: Any) -> Any:
                return fn(params)

        self.ls.feature(method, options)(handler)

    def start_io(self) -> None:
        try:
            self.ls.start_io()
        finally:
            self.close()

    def close(self) -> None:
        self.worker.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.cache_dir, ignore_errors=True)

    # ------------------------------------------------------------------ lifecycle

    def initialize(self, params: types.InitializeParams) -> None:
        self.options = Options(params.initialization_options)
        encoding = self.ls.workspace.position_encoding or types.PositionEncodingKind.Utf16
        self.encoding = _ENCODINGS.get(encoding, UTF16)  # type: ignore[call-overload]
        root = params.root_uri
        if root is None and params.workspace_folders:
            root = params.workspace_folders[0].uri
        path = to_fs_path(root) if root else None
        self.root = Path(path) if path else None

    async def initialized(self, params: types.InitializedParams) -> None:
        capabilities = self.ls.client_capabilities
        workspace = capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched is None or not watched.dynamic_registration:
            return
        registration = types.Registration(
            id="readme-tools-config",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=g) for g in CONFIG_GLOBS]
            ),
        )
        try:
            await self.ls.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception as exc:  # the client said no: configs are still re-read on each lint
            log.info("could not register config file watchers: %s", exc)

    def shutdown(self, params: None) -> None:
        for task in self.drivers.values():
            task.cancel()
        self.close()

    # ------------------------------------------------------------------ documents

    def did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        if not is_markdown(item.uri, item.language_id):
            return
        path = to_fs_path(item.uri) if item.uri.startswith("file:") else None
        doc = Document(item.uri, item.text, item.version, self.encoding)
        self.docs[item.uri] = DocState(doc, Path(path) if path else None, path or item.uri)
        self._kick(item.uri, 0.0)

    def did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        state = self.docs.get(params.text_document.uri)
        if state is None:
            return
        version = params.text_document.version
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                edit = state.doc.apply(
                    (start.line, start.character), (end.line, end.character), change.text, version
                )
            else:
                edit = state.doc.replace(change.text, version)
            state.changed(edit)
        state.doc.version = version
        self._forget(state.doc.uri)
        self._kick(state.doc.uri, self.options.debounce)

    def did_save(self, params: types.DidSaveTextDocumentParams) -> None:
        state = self.docs.get(params.text_document.uri)
        if state is not None and not state.settled:
            state.needs_full = True  # what readme-lint would say about the file now
            self._kick(state.doc.uri, 0.0)

    def did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        state = self.docs.pop(uri, None)
        task = self.drivers.pop(uri, None)
        if task is not None:
            task.cancel()
        if state is None:
            return
        if state.job is not None:
            state.job.cancel.set()
        self._forget(uri)
        self._cache_file(state).unlink(missing_ok=True)
        self._publish_raw(uri, [], None)

    def watched_files_changed(self, params: types.DidChangeWatchedFilesParams) -> None:
        self.configs.clear()
        for uri, state in self.docs.items():
            state.invalidate()
            self._forget(uri)
            self._kick(uri, self.options.debounce)

    # ------------------------------------------------------------------ linting

    def _kick(self, uri: str, delay: float) -> None:
        """Lint ``uri`` ``delay`` seconds from now (a running lint first finishes).

        Each open document has at most one driver task. It is cancelled only while it sleeps
        (debounce, or waiting to settle); a running settling lint is told to stop between two
        rules instead, and the driver then lints the new changes.
        """
        state = self.docs.get(uri)
        task = self.drivers.get(uri)
        if task is not None and not task.done():
            if state is not None and state.job is not None:
                if state.job.settle:
                    state.job.cancel.set()
                return
            task.cancel()
        self.drivers[uri] = asyncio.ensure_future(self._drive(uri, delay))

    async def _drive(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        while (state := self.docs.get(uri)) is not None:
            try:
                if state.pending:
                    await self._lint(state, state.start())
                elif state.incremental and not state.settled:
                    # Typing paused: a full lint corrects what an edit changed elsewhere.
                    await asyncio.sleep(self._settle_wait(state))
                    await self._lint(state, state.start(settle=True))
                else:
                    return
            except Exception:  # a bug here must not leave the document unlinted for good
                log.exception("linting %s failed", uri)
                state.abandon()
                return

    def _settle_wait(self, state: DocState) -> float:
        """How long typing must pause before the settling full lint.

        Twice the full lint's time (at least ``settleMs``), so that a settling lint, which an
        edit can interrupt only between two rules (not while parsing), is rarely in the way.
        A document whose full lint takes over a second (a 20,000-entry list: 2-3 s) waits
        ten times as long; its whole-document findings also come on every save.
        """
        seconds = state.full_seconds or 0.0
        return max(self.options.settle, seconds * (2 if seconds <= 1 else 10))

    async def _lint(self, state: DocState, job: Job) -> None:
        run: LintRun | None = None
        problem: str | None = None
        try:
            run = await self._in_worker(self._lint_job, state, job)
        except Cancelled:
            pass
        except (ConfigProblem, LintError) as exc:
            problem = str(exc)
        if self.docs.get(state.doc.uri) is not state:
            return  # closed or reopened meanwhile: these findings belong to no open document
        if problem is not None:
            state.problem = problem
            log.warning("%s: %s", state.name, problem)
            state.finish(job, [])
            state.findings = []  # the document cannot be linted: the problem says why
            self._publish(state)
            return
        if run is None:
            state.finish(job, None)
            return
        if state.problem is not None and job.lines is not None:
            state.needs_full = True  # the findings were dropped with the problem: all again
        state.problem = None
        self._report_crashes(run)
        if job.lines is None and not run.crashes:
            state.full_seconds = run.seconds
        state.finish(job, run.diagnostics)
        started = time.perf_counter()
        self._publish(state)  # also when nothing changed: the client learns they are current
        log.debug(
            "%s v%d: %s linted in %.0f ms, %d findings published in %.0f ms",
            state.name,
            job.version,
            "all lines" if job.lines is None else f"{len(job.lines)} line(s)",
            run.seconds * 1000,
            len(state.findings),
            (time.perf_counter() - started) * 1000,
        )

    def _lint_job(self, state: DocState, job: Job) -> LintRun:
        """In the worker thread."""
        config = self.configs.get(state.path.parent if state.path else self.root)
        cache = self._cache_file(state) if job.use_cache else None
        lines = job.lines_1based()
        if lines is None and cache is not None:  # all lines: parse everything, refresh the cache
            count = len(job.starts) if job.starts else len(line_starts(job.text))
            lines = frozenset(range(1, count + 1))
        return self.linter.lint(
            job.text,
            state.name,
            config,
            lines=lines,
            cache=cache,
            cancel=job.cancel.is_set,
            starts=job.starts,
        )

    def _cache_file(self, state: DocState) -> Path:
        digest = hashlib.sha256(state.doc.uri.encode("utf-8", "replace")).hexdigest()[:24]
        return self.cache_dir / f"{digest}.pickle"

    def _report_crashes(self, run: LintRun) -> None:
        for crash in run.crashes:
            log.error("rule %s crashed: %s\n%s", crash.rule, crash.error, crash.trace)
            key = f"{crash.rule}: {crash.error.split(':', 1)[0]}"
            if key in self.reported:
                continue
            self.reported.add(key)
            message = (
                f"readme-tools: internal error in rule {crash.rule} ({crash.error}); its "
                "findings are missing, the other rules' are shown. Please report this bug."
            )
            self.ls.window_log_message(
                types.LogMessageParams(type=types.MessageType.Error, message=message)
            )
            self.ls.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=message)
            )

    def _publish(self, state: DocState) -> None:
        doc = state.doc
        url = self.options.docs_url
        out = [convert.diagnostic(d, doc, url) for d in state.findings]
        if state.problem:
            out.insert(0, convert.problem(state.problem))
        self._publish_raw(doc.uri, out, doc.version)

    def _publish_raw(
        self, uri: str, diagnostics: list[types.Diagnostic], version: int | None
    ) -> None:
        self.ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    async def _in_worker(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.worker, fn, *args)

    def _forget(self, uri: str) -> None:
        """Drop the memoised fixes and formatting of ``uri`` (its text changed)."""
        for key in [k for k in self.memo if k[0] == uri]:
            del self.memo[key]

    async def _memo(self, key: tuple[object, ...], compute: Callable[[], Awaitable[T]]) -> T:
        if key not in self.memo:
            self.memo[key] = await compute()
        result: T = self.memo[key]
        return result

    # ------------------------------------------------------------------ fixes

    def _config(self, state: DocState) -> Config:
        return self.configs.get(state.path.parent if state.path else self.root)

    # ------------------------------------------------------------------ requests

    async def code_action(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        return await requests.code_actions(self, params)

    async def resolve_code_action(self, action: types.CodeAction) -> types.CodeAction:
        return await requests.resolve(self, action)

    async def formatting(
        self, params: types.DocumentFormattingParams
    ) -> list[types.TextEdit] | None:
        state = self.docs.get(params.text_document.uri)
        return None if state is None else await requests.format_edits(self, state)

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        return requests.hover(self, params)


def serve(linter: Linter | None = None) -> None:
    """Run the server on stdin/stdout until the client says exit."""
    server = ReadmeServer(linter)
    with contextlib.suppress(KeyboardInterrupt):
        server.start_io()
