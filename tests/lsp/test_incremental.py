"""A large list while typing: changed lines first, the whole list once typing pauses."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from .biglist import make_list
from .conftest import (
    as_cli,
    cli_json,
    cli_view,
    edit,
    initialize,
    open_doc,
    published,
    server_config,
    wait_for,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

ENTRIES = 1500  # ~1 MB: above the size the server lints incrementally from the start
ARXIV = re.compile(r"arxiv\.org/abs/(\d{4}\.\d{5})")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("incremental")


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: LanguageClient, workdir: Path) -> AsyncIterator[None]:
    await initialize(lsp_client, workdir, settleMs=300)
    yield
    await lsp_client.shutdown_session()


def change(line: int, start: int, end: int, text: str) -> types.TextEdit:
    return types.TextEdit(
        range=types.Range(
            start=types.Position(line=line, character=start),
            end=types.Position(line=line, character=end),
        ),
        new_text=text,
    )


async def test_typing_in_a_large_list(
    client: LanguageClient, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = make_list(ENTRIES)
    assert len(text) > 512 * 1024
    path = workdir / "README.md"
    path.write_text(text, encoding="utf-8")
    uri = open_doc(client, path, text)
    opened = await wait_for(client, uri, 1)
    assert list(opened.diagnostics) == []
    lines = text.split("\n")
    entries = [n for n, line in enumerate(lines) if ARXIV.search(line)]
    first, later = entries[10], entries[900]

    # One edit: an abs link becomes a pdf link; its finding comes from the incremental lint.
    seen = len(published(client))
    match = ARXIV.search(lines[first])
    assert match is not None
    at = match.start() + len("arxiv.org/")
    edit(client, uri, 2, [change(first, at, at + 3, "pdf")])
    quick = await wait_for(client, uri, 2, after=seen)
    assert [(d.code, d.range.start.line) for d in quick.diagnostics] == [("L402", first)]
    lines[first] = lines[first][:at] + "pdf" + lines[first][at + 3 :]

    # The first entry takes a later one's arXiv id: the finding (an id shared by two papers)
    # is on the entry that took it, as the CLI reports it once the lint settles.
    seen = len(published(client))
    theirs = ARXIV.search(lines[later])
    mine = re.search(r"arxiv\.org/pdf/(\d{4}\.\d{5})", lines[first])
    assert theirs is not None and mine is not None
    edit(client, uri, 3, [change(first, mine.start(1), mine.end(1), theirs.group(1))])
    settled = await wait_for(
        client, uri, 3, after=seen, until=lambda p: any(d.code == "L405" for d in p.diagnostics)
    )
    lines[first] = lines[first][: mine.start(1)] + theirs.group(1) + lines[first][mine.end(1) :]
    final = "\n".join(lines)
    path.write_text(final, encoding="utf-8")
    want = cli_json(path, workdir, monkeypatch)
    assert {f["code"] for f in want} == {"L402", "L405"}
    assert [as_cli(d, final) for d in settled.diagnostics] == cli_view(want)
    [dup] = [d for d in settled.diagnostics if d.code == "L405"]
    assert dup.range.start.line == first
