"""The block parser without the reference rule (``]:``-free text) gives the same tokens."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from readme_tools.parse.markdown import markdown, parser_for

CORPUS = Path(__file__).parent / "corpus"
SEED = Path(__file__).parent / "fixtures" / "mllm-paper-reading.md"

PIECES = st.sampled_from(
    [
        "[",
        "]",
        ":",
        "(",
        ")",
        "[x] ",
        "- ",
        "1. ",
        "  ",
        "\n",
        "\n\n",
        "> ",
        "# ",
        "**",
        "`",
        "<br>",
        "[Paper](https://arxiv.org/abs/2401.00001)",
        "[a]",
        "title",
        "\\",
        "|",
        "---",
        "    ",
        '"t"',
        "<",
        ">",
        "![b](u)",
        "]: x",
    ]
)


def _same(text: str) -> None:
    full = markdown(True).parse(text, {})
    lean = parser_for(text).parse(text, {})
    assert [t.as_dict() for t in lean] == [t.as_dict() for t in full]


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_generated_text_parses_the_same(text: str) -> None:
    _same(text)


def test_real_lists_parse_the_same_and_most_skip_the_rule() -> None:
    lists = [SEED, *sorted(CORPUS.glob("*.md"))]
    lean = 0
    for path in lists:
        text = path.read_text(encoding="utf-8", errors="replace")
        _same(text)
        lean += parser_for(text) is markdown(False)
    assert lean >= len(lists) // 2  # the rule is skipped for most real lists


def test_a_reference_definition_keeps_the_rule() -> None:
    text = "See [paper].\n\n[paper]: https://arxiv.org/abs/2401.00001\n"
    assert parser_for(text) is markdown(True)
    env: dict[str, object] = {}
    markdown(True).parse(text, env)
    assert "PAPER" in env["references"]  # type: ignore[operator]
