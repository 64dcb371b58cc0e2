"""Incremental runs report exactly the full run's findings on the changed lines, and the
parser's fast link path agrees with markdown-it on pieces that could trip it up."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from readme_tools import registry
from readme_tools.config import Config
from readme_tools.engine import check
from readme_tools.parse import _inline_tokens, _links, _map_lines, fast_links, markdown, parse
from readme_tools.source import decode

FIXTURES = Path(__file__).parent / "fixtures"


def test_incremental_findings_are_the_full_findings_on_those_lines() -> None:
    path = FIXTURES / "mllm-paper-reading.md"
    source = decode(path.read_bytes(), str(path))
    rules = registry.load().rules
    full = check(parse(source), rules, Config())
    assert full
    for diag in full:
        lines = frozenset({diag.line})
        incremental = check(parse(source), rules, Config(), lines=lines)
        assert diag in incremental
        assert all(d.line <= diag.line <= d.end_line for d in incremental)


# Heads built from pieces markdown-it may read differently from a regular expression.
PIECES = st.sampled_from(
    [
        "[x] ",
        "[ ] ",
        "**Name**: ",
        "Title words. ",
        "CVPR2025 ",
        "[Paper](https://arxiv.org/abs/2401.00001)",
        " [Code](https://github.com/a/b)",
        "[](http://e.org/)",
        "[a*b*](https://x.org/)",
        "[Paper](https://x.org/a(b))",
        "[Paper](<https://x.org/>)",
        "[Paper](https://x.org/ 'title')",
        "<https://auto.link/>",
        "![img](https://i.org/i.png)",
        "`[code](https://c.org/)`",
        "\\[esc](https://e.org/)",
        "&amp;",
        "[ref]",
        "]",
        "(",
        " ",
        "*",
        "_",
        "\n",
        "中文",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=8))
def test_fast_links_agree_with_markdown_it(pieces: list[str]) -> None:
    content = "".join(pieces).strip(" \n")
    if not content:
        return
    text = f"- {content}\n".replace("\n", "\n  ").rstrip(" ") + "\n"
    source = decode(text.encode(), "t.md")
    inline = _map_lines(source, content, 0)
    fast = fast_links(content, inline, source)
    if fast is None:
        return  # the parser will run
    slow = _links(_inline_tokens(markdown(), content, {}), inline, source)
    assert fast == slow
