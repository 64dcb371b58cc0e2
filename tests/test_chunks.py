"""Chunks parse alone exactly as in place: checked against markdown-it on generated documents."""

from __future__ import annotations

import itertools
import os

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from readme_tools.chunks import Chunk, split
from readme_tools.parse import chunk_block, markdown
from readme_tools.source import decode

# Lines that open, close or interrupt blocks, and lines that look as if they might.
LINES = st.sampled_from(
    [
        "# Heading",
        "## Sub heading",
        "#",
        "#hashtag",
        " # indented",
        "    # code",
        "> # quoted",
        "```",
        "```py",
        "~~~",
        "````",
        " ```",
        "  ~~~",
        "    ```",
        "\t```",
        "```a`b",
        "> ```",
        "<div>",
        "</div>",
        "  <div>",
        "\t<div>",
        "<details>",
        "<span>",
        "<span>x</span>",
        "<!-- comment",
        " <!--",
        "<!-- x -->",
        "-->",
        "<pre>",
        "<script>",
        "</script> text",
        "<textarea>",
        "```` ",
        "```x y",
        "~~~~",
        "~~~ `ok`",
        "`` `",
        "</pre>",
        "<?php",
        "?>",
        "<!DOCTYPE html>",
        "<![CDATA[",
        "]]>",
        '<a id="x"></a>',
        "<https://example.com>",
        "- [x] **Name**: A Title. CVPR2024 [Paper](https://arxiv.org/abs/2401.00001)",
        "- item",
        "-",
        "  summary text",
        "  ```",
        "      indented code",
        "1. one",
        "2) two",
        "* star",
        "> quote",
        "| a | b |",
        "|---|---|",
        "paragraph text",
        "text <!-- inline --> more",
        "===",
        "---",
        "- - -",
        "***",
        "",
        "",
        "",
        "  ",
    ]
)


def fields(tokens: list[Token]) -> list[tuple[object, ...]]:
    return [
        (t.type, t.tag, t.map, t.nesting, t.level, t.content, t.markup, t.info, t.hidden)
        for t in tokens
    ]


def _check(text: str) -> tuple[Chunk, ...] | None:
    chunks = split(text)
    if chunks is None:
        return None
    assert chunks[0].start == 0 and chunks[-1].end == text.count("\n") + 1
    assert all(a.end == b.start for a, b in itertools.pairwise(chunks))
    whole = markdown().parse(text, {})
    source = decode(text.encode("utf-8"), "t.md")
    assert source.text == text
    pieces = [token for chunk in chunks for token in chunk_block(source, chunk)]
    assert fields(pieces) == fields(whole)
    for index, chunk in enumerate(chunks):
        inside = [t for t in whole if t.map and chunk.start <= t.map[0] < chunk.end]
        if chunk.heading:
            assert inside[0].type == "heading_open" and inside[0].map[0] == chunk.start
        if chunk.plain:
            kinds = [t.type for t in inside[1 if chunk.heading else 0 :]]
            assert not {"heading_open", "fence", "html_block"} & set(kinds), (index, kinds)
    return chunks


@settings(max_examples=int(os.environ.get("CHUNK_EXAMPLES", "1500")), deadline=None)
@given(st.lists(LINES, min_size=1, max_size=40), st.booleans())
@example(["<span>", "```", "# in code", "", "# after", "```", "# out"], True)
@example(["- item", "  <!--", "```", "# h", "```", "-->", "# h2"], False)
def test_chunks_parse_alone_as_in_place(lines: list[str], newline: bool) -> None:
    _check("\n".join(lines) + ("\n" if newline else ""))


def test_cuts_before_top_level_headings_only() -> None:
    text = (
        "# Title\n\nintro\n\n## A\n\n- x\n\n```\n# not a heading\n```\n\n"
        "<!--\n# commented\n-->\n\n## B\n- y\n"
    )
    chunks = _check(text)
    assert chunks is not None
    assert [(c.start, c.heading, c.plain) for c in chunks] == [
        (0, True, True),
        (4, True, False),  # holds a fence and a comment
        (16, True, True),
    ]


def test_reference_definitions_prevent_cutting() -> None:
    assert split("# A\n\n[x]\n\n# B\n\n[x]: https://example.com\n") is None


def test_an_indented_fence_stops_cutting() -> None:
    chunks = _check("# A\n- item\n  ```\n# inside?\n  ```\n# B\n")
    assert chunks is not None and [c.start for c in chunks] == [0]
