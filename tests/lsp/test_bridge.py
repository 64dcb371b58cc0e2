"""The server's single door into the linter and formatter, in process."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readme_tools import registry
from readme_tools.config import Config
from readme_tools.diagnostics import Diagnostic
from readme_tools.engine import Selection, active_rules, lint_source
from readme_tools.lsp.bridge import Cancelled, Linter, LintError, earlier_entry_line
from readme_tools.source import decode

from ..conftest import SEED, cli_runner

LINTER = Linter()


def engine(text: str) -> list[Diagnostic]:
    """What readme-lint finds (no fixes computed, as the CLI runs)."""
    rules = active_rules(registry.load(), Config(), Selection())
    return lint_source(decode(text.encode("utf-8"), "t.md"), rules, Config(), fixes=False)[1]


PIECES = st.sampled_from(
    [
        "# H\n",
        "## Table of Contents\n",
        "- [x] **A**: T. CVPR2024 ",
        "[Paper](https://arxiv.org/abs/2401.00001)",
        "[Code]()",
        "<!-- readme-lint disable -->",
        "```\n",
        "\t",
        "\u00a0",
        "ä¸",
        "\ufeff",
        "\r\n",
        "[^1]: x\n",
        "[ref]: https://x.y\n",
        "<a name='x'>",
        "  summary\n",
        "\n",
        "📖",
        "\x01",
    ]
)


@given(st.lists(PIECES, max_size=30).map("".join))
@settings(max_examples=150, deadline=None)
def test_any_text_lints_or_is_refused_in_one_line(text: str) -> None:
    try:
        run = LINTER.lint(text, "t.md", Config())
    except LintError as exc:
        assert "\n" not in str(exc)
        return
    assert run.crashes == ()
    assert run.diagnostics == engine(text)


def test_seed_lints_as_the_engine_does() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert LINTER.lint(text, "t.md", Config()).diagnostics == engine(text)


def test_cancel_stops_between_rules() -> None:
    with pytest.raises(Cancelled):
        LINTER.lint(SEED.read_text(encoding="utf-8"), "t.md", Config(), cancel=lambda: True)


def test_nul_bytes_are_refused_like_the_cli() -> None:
    with pytest.raises(LintError, match="binary file"):
        LINTER.lint("a\x00b" * 10, "t.md", Config())


@pytest.mark.parametrize("rule", [r.name for r in registry.load().rules])
def test_explain_is_readme_lint_explain(rule: str) -> None:
    from readme_tools.cli.lint import main

    out = cli_runner().invoke(main, ["--explain", rule]).stdout
    code = registry.load().get(rule)
    assert code is not None
    assert LINTER.explain(rule) == LINTER.explain(code.code) == out


def test_earlier_entry_of_a_duplicate() -> None:
    line = "- [x] **A**: A long enough title here. CVPR2024 [Paper](https://arxiv.org/abs/2401.00001)\n"
    text = "# L\n\n" + line + "\n" + line
    [dup] = [
        d for d in LINTER.lint(text, "t.md", Config()).diagnostics if d.rule == "duplicate-entry"
    ]
    assert earlier_entry_line(dup) == 3
    assert dup.line == 5


PLAIN = st.lists(PIECES.filter(lambda p: not any(c in p for c in "\r\x00\ufeff")), max_size=30)


@given(PLAIN.map("".join))
@settings(max_examples=100, deadline=None)
def test_the_no_decode_path_builds_the_same_source(text: str) -> None:
    from readme_tools.lsp.bridge import source_of
    from readme_tools.lsp.documents import Document

    starts = Document("file:///t.md", text, 1).plain_starts()
    assert starts is not None
    assert source_of(text, "t.md", starts) == source_of(text, "t.md")
    assert LINTER.lint(text, "t.md", Config(), starts=starts).diagnostics == engine(text)


def test_special_characters_take_the_decoding_path() -> None:
    from readme_tools.lsp.documents import Document

    for text in ("a\r\nb", "\ufeffa", "a\x00", "a\ud800b"):
        assert Document("file:///t.md", text, 1).plain_starts() is None
    doc = Document("file:///t.md", "a\nb\n", 1)
    assert doc.plain_starts() == (0, 2, 4)
    doc.apply((1, 0), (1, 0), "x\r\n", 2)
    assert doc.plain_starts() is None
