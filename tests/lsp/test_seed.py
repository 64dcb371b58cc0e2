"""The server on the seed list, end to end over stdio (one server for the module)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from ..conftest import FIXTURES, SEED, cli_runner
from .conftest import (
    action_edits,
    apply,
    as_cli,
    cli_fmt,
    cli_json,
    cli_view,
    edit,
    initialize,
    open_doc,
    replace_all,
    server_config,
    utf16,
    wait_for,
)

CLEAN = FIXTURES / "clean-list" / "synthetic-40.md"

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("seed")


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: LanguageClient, workdir: Path) -> AsyncIterator[None]:
    await initialize(lsp_client, workdir)
    yield
    await lsp_client.shutdown_session()


async def test_open_seed_gives_readme_lint_findings(
    client: LanguageClient, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workdir / "diagnostics" / "README.md"
    path.parent.mkdir()
    shutil.copy(SEED, path)
    text = path.read_text(encoding="utf-8")
    uri = open_doc(client, path, text)
    got = await wait_for(client, uri, 1)
    want = cli_json(path, path.parent, monkeypatch)
    assert want
    assert [as_cli(d, text) for d in got.diagnostics] == cli_view(want)


def _copy(workdir: Path, name: str, source: Path = SEED) -> tuple[Path, str]:
    path = workdir / name / "README.md"
    path.parent.mkdir()
    shutil.copy(source, path)
    return path, path.read_text(encoding="utf-8")


async def _actions(
    client: LanguageClient,
    uri: str,
    rng: types.Range,
    diagnostics: list[types.Diagnostic] | None = None,
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=rng,
            context=types.CodeActionContext(diagnostics=diagnostics or [], only=only),
        )
    )
    return [a for a in result or () if isinstance(a, types.CodeAction)]


def _at(diagnostics: Sequence[types.Diagnostic], code: str, line: int) -> types.Diagnostic:
    found = [d for d in diagnostics if d.code == code and d.range.start.line == line - 1]
    assert len(found) == 1, [(d.code, d.range.start.line + 1) for d in diagnostics]
    return found[0]


async def test_a_quick_fix_removes_its_finding(client: LanguageClient, workdir: Path) -> None:
    path, text = _copy(workdir, "quickfix")
    uri = open_doc(client, path, text)
    got = await wait_for(client, uri, 1)
    arxiv = _at(got.diagnostics, "L402", 23)
    assert arxiv.code_description is not None
    assert arxiv.code_description.href.endswith("/rules/arxiv-link.md")
    actions = await _actions(client, uri, arxiv.range, [arxiv])
    fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert [a.title for a in fixes] == ["Write https://arxiv.org/abs/2411.10640 (arxiv-link)"]
    edits = action_edits(fixes[0], uri)
    edit(client, uri, 2, edits)
    after = await wait_for(client, uri, 2)
    fixed = apply(text, edits)
    assert "https://arxiv.org/abs/2411.10640)" in fixed.split("\n")[22]
    before = [(d.code, d.range.start.line) for d in got.diagnostics]
    before.remove(("L402", 22))
    assert [(d.code, d.range.start.line) for d in after.diagnostics] == before


async def test_every_fixable_finding_has_a_quick_fix(client: LanguageClient, workdir: Path) -> None:
    path, text = _copy(workdir, "fixable")
    uri = open_doc(client, path, text)
    got = await wait_for(client, uri, 1)
    lines = len(text.split("\n"))
    everything = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=lines, character=0)
    )
    actions = await _actions(client, uri, everything, only=[types.CodeActionKind.QuickFix])
    covered = {(d.code, d.range.start.line) for a in actions for d in a.diagnostics or () if a.edit}
    fixable = {
        (d.code, d.range.start.line)
        for d in got.diagnostics
        if isinstance(d.data, dict) and d.data["fixable"]
    }
    assert fixable and fixable <= covered


async def test_mojibake_line_fix_and_alternatives(client: LanguageClient, workdir: Path) -> None:
    path, text = _copy(workdir, "mojibake")
    uri = open_doc(client, path, text)
    got = await wait_for(client, uri, 1)
    damaged = _at(got.diagnostics, "M601", 37)
    line = text.split("\n")[36]
    column = line.index("ä¸\x8d") if "ä¸\x8d" in line else None
    # The CLI's review data: 37:105 is an uncertain 'ä¸' (不, 中, 与, 丁, 丞).
    cursor = types.Position(line=36, character=utf16(line[:104]))
    actions = await _actions(client, uri, types.Range(start=cursor, end=cursor), [damaged])
    titles = [a.title for a in actions]
    assert any(t.startswith("Re-decode the line and restore") for t in titles), titles
    restore = [a for a in actions if a.title.startswith("Restore 'ä¸' as")]
    assert [a.title.split(" as ")[1][:3] for a in restore][:2] == ["'不'", "'中'"], titles
    assert column is None  # the mis-decoded sequence lost its third byte
    edits = action_edits(restore[1], uri)
    assert apply(text, edits).split("\n")[36][104] == "中"


async def test_fix_all_and_formatting_equal_readme_fmt(
    client: LanguageClient, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, text = _copy(workdir, "fixall")
    uri = open_doc(client, path, text)
    got = await wait_for(client, uri, 1)
    expected = cli_fmt(path, monkeypatch)
    assert expected != text
    start = types.Position(line=0, character=0)
    explicit = await _actions(
        client, uri, types.Range(start=start, end=start), only=["source.fixAll.readme-tools"]
    )
    assert [a.kind for a in explicit] == ["source.fixAll.readme-tools"]
    assert apply(text, action_edits(explicit[0], uri)) == expected
    # Without `only` (a light bulb), fix-all comes without its edit, resolved on demand.
    lazy = await _actions(client, uri, got.diagnostics[0].range)
    [fix_all] = [a for a in lazy if a.kind == "source.fixAll.readme-tools"]
    assert fix_all.edit is None
    resolved = await client.code_action_resolve_async(fix_all)
    assert apply(text, action_edits(resolved, uri)) == expected
    # Formatting the document is the same rewrite, sent as runs of lines.
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert edits is not None and len(edits) > 1
    assert apply(text, edits) == expected
    edit(client, uri, 2, edits)
    after = await wait_for(client, uri, 2)
    assert not any(isinstance(d.data, dict) and d.data["fixable"] for d in after.diagnostics)


async def test_hover_on_a_rule_code_shows_its_explanation(
    client: LanguageClient, workdir: Path
) -> None:
    from readme_tools.cli.lint import main

    path = workdir / "hover" / "README.md"
    path.parent.mkdir()
    text = "# List\n\n<!-- readme-lint disable-next-line link-tracking, W301 -->\n- L403 in prose\n"
    uri = open_doc(client, path, text)
    await wait_for(client, uri, 1)

    async def hover(line: int, character: int) -> types.Hover | None:
        return await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line, character=character),
            )
        )

    explain = cli_runner().invoke(main, ["--explain", "link-tracking"]).stdout
    by_name = await hover(2, text.split("\n")[2].index("tracking"))
    by_code = await hover(3, 4)
    for result in (by_name, by_code):
        assert result is not None
        assert isinstance(result.contents, types.MarkupContent)
        assert result.contents.value == explain
    whitespace = await hover(2, text.split("\n")[2].index("W301") + 1)
    assert whitespace is not None and "whitespace (W301)" in str(whitespace.contents)
    assert await hover(3, 8) is None  # "prose" is no rule
    assert await hover(0, 2) is None


async def test_duplicate_points_at_the_earlier_entry(client: LanguageClient, workdir: Path) -> None:
    path, text = _copy(workdir, "duplicate")
    lines = text.split("\n")
    entry = lines[22]  # the Insight-V entry
    doubled = text + "\n" + entry + "\n"
    path.write_text(doubled, encoding="utf-8")
    uri = open_doc(client, path, doubled)
    got = await wait_for(client, uri, 1)
    [dup] = [d for d in got.diagnostics if d.code == "L405"]
    assert "the entry at line 23" in dup.message
    assert dup.related_information is not None
    [related] = dup.related_information
    assert related.location.uri == uri
    assert related.location.range.start.line == 22


async def test_toc_regeneration(client: LanguageClient, workdir: Path) -> None:
    path, text = _copy(workdir, "toc", CLEAN)
    stale = text.replace("## Image LLMs CVPR2023\n", "## Image LLMs at CVPR 2023\n")
    assert stale != text
    uri = open_doc(client, path, stale)
    got = await wait_for(client, uri, 1)
    assert {d.code for d in got.diagnostics} == {"T501", "T502"}
    start = types.Position(line=0, character=0)
    [action] = await _actions(
        client, uri, types.Range(start=start, end=start), only=["source.regenerateToc.readme-tools"]
    )
    fixed = apply(stale, action_edits(action, uri))
    assert "- [Image LLMs at CVPR 2023](#image-llms-at-cvpr-2023)" in fixed
    replace_all(client, uri, fixed, 2)
    after = await wait_for(client, uri, 2)
    assert list(after.diagnostics) == []
