"""The link scanner that spares the inline parser (#23): its links are markdown-it's links.

:func:`readme_tools.parse.inline.fast_links` reads a block's links and images without
markdown-it's inline rules, or says None. Wherever it answers, its answer must equal
:func:`links_of` over markdown-it's tokens: checked on generated text made of the pieces that
make link parsing hard, on the shapes real lists use, and on every block of the real lists.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readme_tools.model import Link
from readme_tools.parse.inline import fast_links, inline_tokens, links_of
from readme_tools.parse.markdown import block_parse, markdown
from readme_tools.parse.offsets import map_lines
from readme_tools.source import decode

from .data import FIXTURES, TESTS

PIECES = st.sampled_from(
    [
        "[",
        "]",
        "(",
        ")",
        "!",
        "![",
        "](",
        ")]",
        "[x] ",
        " ",
        "\n",
        "  \n",
        "<br>",
        "<br />",
        "<b>",
        "<https://a.b/>",
        "*",
        "**",
        "_",
        "&amp;",
        "&",
        "&#106;avascript:x",
        "a",
        "中文",
        "https://a.b/c",
        "javascript:x",
        "data:image/png;base64,x",
        "#x",
        "<",
        ">",
        "\t",
        "`",
        "\\",
        "'t'",
        '"t"',
        "[![a](https://i.org/b.svg)](https://x.org/y)",
        "[a [b] c](u)",
        "[a](b)",
        "[**a**](b)",
        "[*a.*](b)",
        "[__a__](b)",
        "[** a**](b)",
        "[**a** b](c)",
        "[a & b](c)",
        "[a &amp; b](c)",
        "![a](b)",
        "[a]()",
        "[a](b(c))",
        "[a](b (c))",
        "[a]( b)",
        "[[a](b)](c)",
        "[Paper](https://arxiv.org/abs/2401.00001)",
    ]
)


def _both(content: str) -> tuple[list[Link] | None, list[Link]]:
    text = f"- {content}\n".replace("\n", "\n  ").rstrip(" ") + "\n"
    source = decode(text.encode(), "t.md")
    inline = map_lines(source, content, 0)
    fast = fast_links(content, inline, source)
    slow = links_of(inline_tokens(markdown(), content, {}), inline, source)
    return fast, slow


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=12))
def test_the_scanner_agrees_with_markdown_it(pieces: list[str]) -> None:
    content = "".join(pieces).strip(" \n")
    if not content:
        return
    fast, slow = _both(content)
    if fast is not None:
        assert fast == slow


@pytest.mark.parametrize(
    "content",
    [
        "Paper: [A Title](https://arxiv.org/abs/2605.13734) (SIGCOMM 2026) "
        "[![GitHub Repo stars](https://img.shields.io/github/stars/a/b)](https://github.com/a/b)",
        "**[2026.05.27]**",
        "[x] **Name**: Title. [[Paper](https://a.org/p)] [[Code](https://github.com/a/b)]",
        'Authors.<br />\n"A Title." ArXiv (2026).\n[[paper](https://arxiv.org/abs/2603.10675)]',
        "![Last Updated](https://badgen.net/x?icon=github&label=last%20updated)",
        "[a [b] c](https://u.org/) and [d](https://v.org/)",
        "[[a](https://b.org/)](https://c.org/)",
        "[Hello!](https://x.org/) [](https://e.org/) [e]()",
        "[**A Survey.**](https://arxiv.org/abs/2302.14502) _A. B, C. D._ Arxiv 2023",
        "[3.4 KV Reduction & Cache Sharing](#34-kv-reduction--cache-sharing)",
        "Title. [Paper](https://x.org/a(b)) [Code](https://x.org/?a=1&b=2)",
    ],
)
def test_the_shapes_of_real_lists_take_the_fast_path(content: str) -> None:
    fast, slow = _both(content)
    assert fast is not None and fast == slow


@pytest.mark.parametrize(
    "content",
    [
        "[a](https://x.org/ 'title')",  # a title
        "[a]( https://x.org/)",  # spaces around the destination
        "[a](<https://x.org/>)",  # an angle-bracket destination
        "[**Bold** text](https://x.org/)",  # markup in a label
        "[a &amp; b](https://x.org/)",  # an entity in a label
        "<https://auto.link/>",  # an autolink
        "`[a](b)`",  # a code span
        "[a](javascript:alert)",  # a destination markdown-it refuses
        "[a](https://x.org/&#41;)",  # an entity markdown-it decodes in a destination
    ],
)
def test_what_the_scanner_does_not_follow_goes_to_markdown_it(content: str) -> None:
    fast, _slow = _both(content)
    assert fast is None


def _blocks() -> list[tuple[str, str]]:
    paths = [*sorted((TESTS / "corpus").glob("*.md")), FIXTURES / "mllm-paper-reading.md"]
    out = []
    for path in paths:
        text = decode(path.read_bytes(), str(path)).text
        tokens, env = block_parse(text)
        if env.get("references"):
            continue  # the parser never takes the fast path there
        out += [(path.name, t.content) for t in tokens if t.type == "inline" and t.map]
    return out


def test_every_block_of_the_real_lists_reads_the_same() -> None:
    blocks = _blocks()
    taken = 0
    for name, content in blocks:
        fast, slow = _both(content)
        if fast is not None:
            taken += 1
            assert fast == slow, (name, content[:120])
    assert len(blocks) > 10_000 and taken > len(blocks) * 0.6
