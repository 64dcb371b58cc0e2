"""A crashing rule or unlintable input never stops the server."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from ..conftest import SEED
from .conftest import (
    HERE,
    as_cli,
    cli_json,
    cli_view,
    initialize,
    open_doc,
    published,
    replace_all,
    server_config,
    wait_for,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("crash")


@pytest_lsp.fixture(
    config=server_config([sys.executable, str(HERE / "crashing_server.py")]), scope="module"
)
async def client(lsp_client: LanguageClient, workdir: Path) -> AsyncIterator[None]:
    await initialize(lsp_client, workdir)
    yield
    await lsp_client.shutdown_session()


async def test_a_crashing_rule_loses_only_its_findings(
    client: LanguageClient, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workdir / "README.md"
    shutil.copy(SEED, path)
    text = path.read_text(encoding="utf-8")
    uri = open_doc(client, path, text)
    got = await wait_for(client, uri, 1)
    assert [as_cli(d, text) for d in got.diagnostics] == cli_view(
        cli_json(path, workdir, monkeypatch)
    )
    for _ in range(100):
        if client.messages:
            break
        await asyncio.sleep(0.02)
    [shown] = client.messages
    assert shown.type == types.MessageType.Error
    assert "internal error in rule crash-test (ZeroDivisionError: injected crash)" in shown.message
    # It keeps serving: a change is linted (the crash is not shown again), hover answers.
    lines = text.split("\n")
    lines[10] = ""  # line 11's whitespace-only line
    replace_all(client, uri, "\n".join(lines), 2)
    after = await wait_for(client, uri, 2)
    assert len(after.diagnostics) == len(got.diagnostics) - 1
    assert len(client.messages) == 1
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=0),
        )
    )
    assert hover is None


async def test_bad_input_is_one_finding_and_the_server_goes_on(
    client: LanguageClient, workdir: Path
) -> None:
    path = workdir / "binary.md"
    uri = open_doc(client, path, "# List\n\x00\x00 not text\n")
    got = await wait_for(client, uri, 1)
    [problem] = got.diagnostics
    assert problem.severity == types.DiagnosticSeverity.Error
    assert "binary file (contains NUL bytes)" in problem.message
    seen = len(published(client))
    replace_all(
        client,
        uri,
        "# List\n\n- [x] **A**: A title. [Code](https://github.com/a/b?utm_source=x)\n",
        2,
    )
    fixed = await wait_for(client, uri, 2, after=seen)
    assert [d.code for d in fixed.diagnostics] == ["L403"]
