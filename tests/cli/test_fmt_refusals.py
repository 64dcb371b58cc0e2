"""``readme-fmt --fix`` with ``markdown = "mdformat"`` on inputs that fuzzing found refused or
mangled."""

from __future__ import annotations

from pathlib import Path

from .test_fmt import CANONICAL, run


def fix_twice(tmp_path: Path, text: str) -> str:
    """Write ``text``, ``--fix`` it with the mdformat layout (it must change), then check a
    second ``--fix`` is a no-op; the written text."""
    (tmp_path / ".readme-tools.toml").write_text('[format]\nmarkdown = "mdformat"\n')
    path = tmp_path / "README.md"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("--fix", str(path))
    assert code == 1, err
    written = path.read_text(encoding="utf-8")
    code, _, err = run("--fix", str(path))
    assert code == 0, err
    assert path.read_text(encoding="utf-8") == written
    return written


def test_fix_keeps_non_breaking_space_references(tmp_path: Path) -> None:
    # Found by fuzzing: mdformat wrote U+00A0 for "&nbsp;", the whitespace rule then flagged
    # it, and --fix refused every file with "&nbsp;" ("fixes did not converge").
    badges = (
        "[![a](https://img.shields.io/a.svg)](https://a.org)&nbsp;"
        "[![b](https://img.shields.io/b.svg)](https://b.org)"
    )
    written = fix_twice(tmp_path, f"# Title&nbsp;List\n\n{badges}\n\n\n{CANONICAL[4:]}")
    assert written.startswith(f"# Title&nbsp;List\n\n{badges}\n\n## S\n")
    assert "\u00a0" not in written


def test_fix_does_not_write_a_replacement_character_for_a_null_reference(tmp_path: Path) -> None:
    assert fix_twice(tmp_path, "# T\n\n\nHello&#0;world\n") == "# T\n\nHello&#0;world\n"


def test_fix_keeps_a_reference_to_an_in_page_anchor(tmp_path: Path) -> None:
    # Found by fuzzing: "[x]" at a line start was escaped by mdformat-gfm (as a would-be task
    # checkbox), so the link became text and --fix refused ("not idempotent").
    written = fix_twice(tmp_path, "# T\n\n[x]\n\n\n[x]: #anchor\n")
    assert written == "# T\n\n[x]\n\n[x]: #anchor\n"


def test_fix_accepts_a_definition_whose_target_mdformat_percent_encodes(tmp_path: Path) -> None:
    # Found by fuzzing: refused as "1 word(s) lost: 'c'" (the target is the same).
    written = fix_twice(tmp_path, "# T\n\nSee [a].\n\n[a]: <https://x.org/b c>\n")
    assert written == "# T\n\nSee [a].\n\n[a]: https://x.org/b%20c\n"


def test_fix_formats_a_task_checkbox_followed_by_a_tab(tmp_path: Path) -> None:
    assert fix_twice(tmp_path, "# T\n\n> - [x]\tdone\n") == "# T\n\n> - [x] done\n"
