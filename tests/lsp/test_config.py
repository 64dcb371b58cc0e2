"""Configuration is read as readme-lint reads it and re-read when it changes."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from ..conftest import SEED, cli_runner
from .conftest import (
    edit,
    initialize,
    open_doc,
    published,
    registrations,
    server_config,
    wait_for,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("config")


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: LanguageClient, workdir: Path) -> AsyncIterator[None]:
    await initialize(lsp_client, workdir)
    yield
    await lsp_client.shutdown_session()


def codes(params: types.PublishDiagnosticsParams) -> Counter[str]:
    return Counter(str(d.code) for d in params.diagnostics)


def notify(client: LanguageClient, path: Path, kind: types.FileChangeType) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=kind)])
    )


async def test_config_changes_relint_open_documents(client: LanguageClient, workdir: Path) -> None:
    from readme_tools.cli.lint import main

    folder = workdir / "list"
    folder.mkdir()
    path = folder / "README.md"
    shutil.copy(SEED, path)
    text = path.read_text(encoding="utf-8")
    uri = open_doc(client, path, text)
    first = await wait_for(client, uri, 1)
    assert codes(first)["W301"] == 4
    watched = [r for r in registrations(client) if r.method == "workspace/didChangeWatchedFiles"]
    assert len(watched) == 1

    # A new config file, announced by the client's file watcher: findings follow it.
    config = folder / ".readme-tools.toml"
    config.write_text('ignore = ["whitespace"]\n', encoding="utf-8")
    seen = len(published(client))
    notify(client, config, types.FileChangeType.Created)
    ignored = await wait_for(client, uri, after=seen)
    expected = codes(first)
    del expected["W301"]
    assert codes(ignored) == expected

    # A config the CLI refuses: its one-line error, at the top of the document.
    config.write_text('ignore = "whitespace"\n', encoding="utf-8")
    seen = len(published(client))
    notify(client, config, types.FileChangeType.Changed)
    broken = await wait_for(client, uri, after=seen)
    cli = cli_runner().invoke(main, [str(path)])
    assert cli.exit_code == 2
    [problem] = broken.diagnostics
    assert f"readme-lint: error: {problem.message}\n" == cli.stderr
    assert problem.range.start == types.Position(line=0, character=0)

    # No notification at all (an editor without file watching): the next lint re-reads it.
    config.unlink()
    edit(
        client,
        uri,
        2,
        [
            types.TextEdit(
                range=types.Range(
                    start=types.Position(line=0, character=0),
                    end=types.Position(line=0, character=0),
                ),
                new_text="",
            )
        ],
    )
    again = await wait_for(client, uri, 2)
    assert codes(again) == codes(first)


async def test_pyproject_table_is_found_walking_up(client: LanguageClient, workdir: Path) -> None:
    (workdir / "repo").mkdir()
    (workdir / "repo" / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.readme-tools]\nselect = ["arxiv-link"]\n',
        encoding="utf-8",
    )
    path = workdir / "repo" / "docs" / "papers.md"
    path.parent.mkdir()
    shutil.copy(SEED, path)
    uri = open_doc(client, path, path.read_text(encoding="utf-8"))
    got = await wait_for(client, uri, 1)
    assert codes(got) == Counter({"L402": 3})
