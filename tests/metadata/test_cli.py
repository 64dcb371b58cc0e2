"""``readme-tools``: one entry point, lazy subcommands, the same lint and fmt commands."""

from __future__ import annotations

import io
import subprocess
import sys

from click.testing import CliRunner

from readme_tools.cli import fmt as fmt_module
from readme_tools.cli import lint as lint_module
from readme_tools.cli.main import LazyGroup, main
from readme_tools.metadata.progress import Bar, progress_bar, wants_progress


def test_help_lists_the_subcommands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in ("lint", "fmt", "sync"):
        assert f"  {name}  " in result.output


def test_lint_and_fmt_are_the_very_same_commands() -> None:
    group = main
    assert isinstance(group, LazyGroup)
    ctx = group.make_context("readme-tools", ["lint"])
    assert group.get_command(ctx, "lint") is lint_module.main
    assert group.get_command(ctx, "fmt") is fmt_module.main
    assert group.get_command(ctx, "nope") is None


def test_help_imports_no_subcommand() -> None:
    code = (
        "import sys\n"
        "from readme_tools.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('readme_tools.cli.lint', 'readme_tools.cli.fmt', "
        "'readme_tools.cli.sync', 'readme_tools.engine', 'aiohttp') if m in sys.modules]\n"
        "print('LOADED', loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in out.stdout


def test_subcommand_runs_with_its_own_options(tmp_path) -> None:  # type: ignore[no-untyped-def]
    readme = tmp_path / "README.md"
    readme.write_text(
        "# List\n\n- [x] **X**: A title. CVPR2024 [Paper](https://arxiv.org/abs/2401.00001)\n"
    )
    result = CliRunner().invoke(main, ["lint", "--select", "venue-tag", str(readme)])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(main, ["lint", "--list-rules"]).output.count("P80") == 4


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_outside_ci() -> None:
    assert wants_progress(_Tty(), {}) is True
    assert wants_progress(_Tty(), {"CI": "true"}) is False
    assert wants_progress(_Tty(), {"GITHUB_ACTIONS": "true"}) is False
    assert wants_progress(io.StringIO(), {}) is False
    callback, close = progress_bar("sync", enabled=False)
    assert callback is None
    close()


def test_the_bar_counts_up_to_the_total(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stream = _Tty()
    monkeypatch.setattr(sys, "stderr", stream)
    bar = Bar("sync")
    for done in range(0, 5):
        bar(done, 4)
    bar(2, 6)  # the total grew (stage 2 planned): a new bar
    bar(6, 6)
    bar.close()
    assert "sync" in stream.getvalue()
