"""CLI conventions shared by readme-lint and readme-fmt (#25.7): one-line usage errors,
directories and globs, colour, --fail-on, misspelt rule names in control comments."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import click
import pytest

from readme_tools import extras, lint_text, reporters
from readme_tools.cli.common import use_color
from readme_tools.cli.fmt import main as fmt_main
from readme_tools.cli.lint import main as lint_main
from readme_tools.cli.lint import styled_text

from ..conftest import SEED, cli_runner, run_git

COMMANDS = {"readme-lint": lint_main, "readme-fmt": fmt_main}


def run(command: str, *args: str) -> tuple[int, str, str]:
    result = cli_runner().invoke(COMMANDS[command], list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--no-such-option",), "No such option '--no-such-option'"),
        (("--select", "no-such-rule"), "unknown rule 'no-such-rule' in --select"),
        (("--max-size", "x"), "'x' is not a valid integer"),
        (("--color", "sometimes"), "'sometimes' is not one of 'auto', 'always', 'never'"),
    ],
)
def test_usage_errors_are_one_line(command: str, args: tuple[str, ...], expected: str) -> None:
    code, out, err = run(command, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1, err
    assert err.startswith(f"{command}: error: ") and expected in err
    assert "Usage:" not in err and "Try " not in err


def test_readme_lint_fix_points_to_readme_fmt() -> None:
    code, _, err = run("readme-lint", "--fix", "README.md")
    assert code == 2 and err.count("\n") == 1
    assert "readme-fmt --fix" in err and "Did you mean" not in err


def test_help_and_version_still_work() -> None:
    code, out, _ = run("readme-lint", "--help")
    assert code == 0 and "--fail-on" in out and "--trust-repo-config" in out
    code, out, _ = run("readme-fmt", "--version")
    assert code == 0 and out.startswith("readme-fmt")


# --------------------------------------------------------------------------- paths

CLEAN = "# Title\n\nSome text.\n"
DIRTY = "# Title\n\nSome text. \n"  # a trailing space: one whitespace finding


def tree(root: Path) -> None:
    (root / "docs" / "deep").mkdir(parents=True)
    (root / "build").mkdir()
    (root / ".hidden").mkdir()
    (root / "README.md").write_text(DIRTY)
    (root / "docs" / "a.md").write_text(DIRTY)
    (root / "docs" / "deep" / "b.markdown").write_text(DIRTY)
    (root / "docs" / "notes.txt").write_text(DIRTY)
    (root / "build" / "gen.md").write_text(DIRTY)
    (root / ".hidden" / "h.md").write_text(DIRTY)
    (root / ".gitignore").write_text("build/\n")


def linted(out: str, root: Path) -> set[str]:
    paths = {line.split(":", 1)[0] for line in out.splitlines() if ": W301 " in line}
    return {Path(p).resolve().relative_to(root.resolve()).as_posix() for p in paths}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_directory_inside_git_respects_gitignore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path)
    run_git(tmp_path, "init", "-q")
    run_git(tmp_path, "add", "README.md", ".gitignore")  # the others are untracked
    (tmp_path / "docs" / "deleted.md").write_text(CLEAN)
    run_git(tmp_path, "add", "docs/deleted.md")
    (tmp_path / "docs" / "deleted.md").unlink()  # tracked but gone: not linted
    monkeypatch.chdir(tmp_path)
    _, out, err = run("readme-lint", "--select", "whitespace", ".")
    assert linted(out, tmp_path) == {
        ".hidden/h.md",  # git's own view: hidden files that are not ignored count
        "README.md",
        "docs/a.md",
        "docs/deep/b.markdown",
    }, err
    _, out, _ = run("readme-lint", "--select", "whitespace", "docs/**/*.md", "build/*.md")
    assert linted(out, tmp_path) == {"docs/a.md"}


def test_directory_outside_git_is_walked(tmp_path: Path) -> None:
    tree(tmp_path)
    _, out, _ = run("readme-lint", "--select", "whitespace", str(tmp_path))
    assert linted(out, tmp_path) == {
        "README.md",
        "build/gen.md",
        "docs/a.md",
        "docs/deep/b.markdown",
    }


def test_glob_and_directory_with_no_markdown_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "a.md").write_text(DIRTY)
    code, out, err = run(
        "readme-lint", str(tmp_path / "empty"), str(tmp_path / "*.rst"), str(tmp_path / "a.md")
    )
    assert code == 2
    assert f"{tmp_path / 'empty'}: no markdown files in this directory" in err
    assert f"{tmp_path / '*.rst'}: no markdown file matches this pattern" in err
    assert "W301" in out  # the file that exists is still linted


def test_readme_fmt_accepts_a_directory(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(DIRTY)
    (tmp_path / "b.md").write_text(CLEAN)
    code, _, _ = run("readme-fmt", "--fix", str(tmp_path))
    assert code == 1
    assert (tmp_path / "a.md").read_text() == CLEAN


def test_a_file_named_twice_is_linted_once(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(DIRTY)
    _, out, _ = run("readme-lint", str(tmp_path / "a.md"), str(tmp_path))
    assert out.count("W301") == 1


# --------------------------------------------------------------------------- colour


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_follows_terminal_no_color_and_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color("auto", Terminal())
    assert not use_color("auto", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color("auto", Terminal())
    assert use_color("always", io.StringIO())  # an explicit flag beats NO_COLOR
    assert not use_color("never", Terminal())
    monkeypatch.setenv("NO_COLOR", "")  # an empty value does not count (no-color.org)
    assert use_color("auto", Terminal())


def test_coloured_text_is_the_text_report_plus_ansi(tmp_path: Path) -> None:
    diagnostics = lint_text(SEED.read_text(encoding="utf-8"))
    assert diagnostics
    styled = styled_text(diagnostics)
    assert "\x1b[" in styled
    assert click.unstyle(styled) == reporters.text(diagnostics, None)  # type: ignore[arg-type]
    path = tmp_path / "a.md"
    path.write_text(DIRTY)
    _, always, _ = run("readme-lint", "--color", "always", str(path))
    _, never, _ = run("readme-lint", "--color", "never", str(path))
    assert "\x1b[" in always and "\x1b[" not in never
    assert click.unstyle(always) == never
    _, diff, _ = run("readme-fmt", "--color", "always", str(path))
    assert "\x1b[32m+" in diff or "\x1b[31m-" in diff


# --------------------------------------------------------------------------- --fail-on


def test_fail_on_warning(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(DIRTY)  # a warning only
    assert run("readme-lint", str(path))[0] == 0
    assert run("readme-lint", "--fail-on", "warning", str(path))[0] == 1
    path.write_text(CLEAN)
    assert run("readme-lint", "--fail-on", "warning", str(path))[0] == 0


# --------------------------------------------------------------------------- control comments

CONTROLLED = (
    "# Papers\n\n"
    "<!-- readme-lint disable-next-line venu-tag -->\n"
    "- **A**: Paper A. Neurips2024 [Paper](https://arxiv.org/abs/2401.00001)\n"
    "<!-- readme-lint disable whitespace, W999 -->\n"
    "<!-- readme-lint enable -->\n"
)


def test_unknown_rule_in_a_control_comment_is_a_warning() -> None:
    found = lint_text(CONTROLLED, select=("control-comment",))
    assert [(d.line, d.severity) for d in found] == [(3, "warning"), (5, "warning")]
    assert "'venu-tag'" in found[0].message and "did you mean 'venue-tag'?" in found[0].message
    assert "'W999'" in found[1].message
    found = lint_text(CONTROLLED.replace("venu-tag", "venue-tag").replace(", W999", ""))
    assert not [d for d in found if d.rule == "control-comment"]


def test_control_comment_finding_in_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(CONTROLLED)
    code, out, _ = run("readme-lint", "--select", "control-comment", str(path))
    assert code == 0 and out.count("W303 control-comment") == 2


# --------------------------------------------------------------------------- extras hints


def test_extra_hint_names_the_environment_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    assert extras.packages("cjk") == ("wordfreq>=3.1", "jieba>=0.42")
    from packaging.requirements import Requirement

    def parsed(names: tuple[str, ...]) -> set[tuple[str, str]]:
        return {(r.name, str(r.specifier)) for r in map(Requirement, names)}

    for extra, names in extras.EXTRAS.items():  # the written-out lists match pyproject.toml
        assert parsed(names) == parsed(extras.declared(extra)), extra
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    monkeypatch.setattr(extras.sys, "prefix", "/home/u/venv")
    hint = extras.install_hint("cjk")
    assert hint.startswith(f"{extras.sys.executable} -m pip install 'wordfreq>=3.1' 'jieba>=0.42'")
    monkeypatch.setattr(extras.sys, "prefix", "/home/u/.local/pipx/venvs/readme-tools")
    assert extras.install_hint("cjk").startswith("pipx inject readme-tools 'wordfreq>=3.1'")
    monkeypatch.setenv("PRE_COMMIT", "1")
    hint = extras.install_hint("online")
    assert "additional_dependencies: ['aiohttp>=3.10']" in hint
    assert ".pre-commit-config.yaml" in hint
