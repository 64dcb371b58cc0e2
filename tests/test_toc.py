"""TOC model helpers: fragments, anchors, layout inference and regeneration."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readme_tools.config import TocOptions
from readme_tools.diagnostics import apply_edits
from readme_tools.model import Document
from readme_tools.parse import parse
from readme_tools.source import decode
from readme_tools.toc import anchor_index, decode_fragment, regenerate_toc, toc_layout

from .data import SEED

FIXTURES = Path(__file__).parent / "fixtures"
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
MOJIBAKE = "ğŸ“– Table of Contents"
REPAIRED = "📖 Table of Contents"


def doc_of(text: str) -> Document:
    return parse(decode(text.encode("utf-8"), "t.md"))


def toc_text(doc: Document) -> str:
    assert doc.toc is not None
    return doc.source.text[doc.toc.span.start : doc.toc.span.end]


def regenerated_document(doc: Document) -> str:
    new = regenerate_toc(doc)
    assert new is not None and doc.toc is not None
    return doc.source.text[: doc.toc.span.start] + new + doc.source.text[doc.toc.span.end :]


# --------------------------------------------------------------------------- fragments


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("#abc", "abc"),
        ("#valid-heading-2004-%EF%B8%8F", "valid-heading-2004-\ufe0f"),
        ("#%E6%A0%87%E9%A2%98", "标题"),
        (r"#valid\_heading\-escaped\_underscores", "valid_heading-escaped_underscores"),
        ("#50%-off", "50%-off"),  # not valid percent-encoding: left alone
        ("#", ""),
    ],
)
def test_decode_fragment(url: str, fragment: str) -> None:
    assert decode_fragment(url) == fragment


# --------------------------------------------------------------------------- heading text


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        (
            "# Awesome-LLM [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)",
            "awesome-llm-",
        ),
        ("# Has ![an Image](https://example.com)", "has-"),
        ("# ![Only an Image](https://example.com)", ""),
        ("# Trailing <!-- comment -->", "trailing-"),
        ("# Embedded <!-- comment --> Comment", "embedded--comment"),
        ('# <a name="x"></a>Tagged <b>bold</b> text', "tagged-bold-text"),
        ("# With `Code` and *emphasis*", "with-code-and-emphasis"),
        ("# [A link](https://example.com) here", "a-link-here"),
        ("# Escaped\\_Underscore &amp; entity", "escaped_underscore--entity"),
        ("# 📖 Table of Contents", "-table-of-contents"),
        ("# Valid Closed ATX Heading ###", "valid-closed-atx-heading"),
    ],
)
def test_heading_anchor_uses_rendered_text(heading: str, anchor: str) -> None:
    doc = doc_of(heading + "\n")
    assert anchor_index(doc).targets[0].anchor == anchor


def test_duplicate_headings_get_numbered_anchors() -> None:
    doc = doc_of("# A\n\n## A\n\n## A-1\n\n## A\n")
    assert [t.anchor for t in anchor_index(doc).targets] == ["a", "a-1", "a-1-1", "a-2"]


# --------------------------------------------------------------------------- HTML anchors


def test_html_anchors_follow_html_rules() -> None:
    doc = doc_of(
        '<a name="namedlink"></a>\n\n<a id = idlink></a>\n\n<a id="myident" name="myname"/>\n\n'
        '<p id="for-p"></p>\n\n<p name="not-a-target"></p>\n\n'
        '<input name="ignored" id="after-name">\n\n<a data-id="not-an-id">\n\n'
        '```\n<a id="in-code"></a>\n```\n'
    )
    assert set(doc.html_anchors) == {
        "namedlink",
        "idlink",
        "myident",
        "myname",
        "for-p",
        "after-name",
    }


def test_html_anchor_attaches_to_adjacent_heading() -> None:
    doc = doc_of(
        '## 🌁 Vision\n<a id="vision"></a>\n\ntext\n\n<a id="loose"></a>\n\ntext\n\n'
        '<div id="lang"></div>\n\n## Language\n\n## <a name="in"></a>Inline\n'
    )
    targets = anchor_index(doc).targets
    assert [t.aliases for t in targets] == [("vision",), ("lang",), ("in",)]
    assert anchor_index(doc).owner["vision"] == 0
    assert "loose" not in anchor_index(doc).owner


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "text",
    [
        "# T\n\n## Table of Content\n- [A](#a)\n- [B](#b)\n\n## A\n\n## B\n",
        "# T\n\n## 📖Contents\n* 📖[A](#a)🔥\n* 📖[B](#b)\n\n## A\n\n## B\n",
        "# T\n\n## 目录\n- [A](#a)\n- [B](#b)\n\n## A\n\n## B\n",
        "# T\n\n<!-- toc -->\n- [A](#a)\n- [B](#b)\n<!-- tocstop -->\n\n## A\n\n## B\n",
        "# T\n\n<!-- START doctoc generated TOC please keep comment here to allow auto update -->\n"
        "- [A](#a)\n- [B](#b)\n<!-- END doctoc -->\n\n## A\n\n## B\n",
        "# T\n\n- [A](#a)\n- [B](#b)\n\n## A\n\n## B\n",
    ],
)
def test_toc_detection(text: str) -> None:
    doc = doc_of(text)
    assert doc.toc is not None
    assert [i.anchor for i in doc.toc.items] == ["a", "b"]
    assert regenerate_toc(doc) == toc_text(doc)


def test_a_list_of_papers_is_not_a_toc() -> None:
    doc = doc_of("# T\n\n- [P](https://arxiv.org/abs/1)\n- [Q](#q)\n\n## Q\n")
    assert doc.toc is None
    assert regenerate_toc(doc) is None


# --------------------------------------------------------------------------- layout + regeneration


def test_seed_layout_lists_title_and_toc_heading() -> None:
    doc = parse(decode(SEED.read_bytes().replace(MOJIBAKE.encode(), REPAIRED.encode()), "s.md"))
    layout = toc_layout(doc)
    assert layout is not None
    assert [t.heading.line for t in layout.expected] == [1, 4, 9]
    assert layout.depth == {1: 0, 2: 1}
    assert regenerate_toc(doc) == toc_text(doc)


def test_seed_as_it_stands_regenerates_to_githubs_mojibake_anchor() -> None:
    doc = parse(decode(SEED.read_bytes(), "s.md"))
    new = regenerate_toc(doc)
    assert new is not None
    assert "(#ğÿ-table-of-contents)" in new
    assert new.replace("#ğÿ-table-of-contents", "#-table-of-contents") == toc_text(doc)


def test_regeneration_adds_reorders_and_fixes_text_in_the_documents_style() -> None:
    text = (
        "# Title\n\n## Contents\n\n"
        "* [Beta](#beta)\n"
        "    * [Sub](#sub-code)\n"
        "* [Gone](#gone)\n\n"
        "## Alpha\n\n### Sub `code`\n\n## Beta\n\n## [Linked](https://x.org) Heading\n"
    )
    doc = doc_of(text)
    assert regenerate_toc(doc) == (
        "* [Alpha](#alpha)\n"
        "    * [Sub `code`](#sub-code)\n"
        "* [Beta](#beta)\n"
        "* [Linked Heading](#linked-heading)"
    )


def test_regeneration_keeps_decorations_and_fixes_broken_anchor() -> None:
    doc = doc_of("# T\n\n## TOC\n- 📖[Alpha](#alpah) 🔥\n- [Beta](#beta)\n\n## Alpha\n\n## Beta\n")
    assert regenerate_toc(doc) == "- 📖[Alpha](#alpha) 🔥\n- [Beta](#beta)"


def test_regeneration_keeps_loose_lists_loose() -> None:
    doc = doc_of("# T\n\n## TOC\n\n- [A](#a)\n\n- [B](#b)\n\n## A\n\n## B\n\n## C\n")
    assert regenerate_toc(doc) == "- [A](#a)\n\n- [B](#b)\n\n- [C](#c)"


def test_regeneration_keeps_items_that_point_at_other_anchors() -> None:
    doc = doc_of(
        '# T\n\n## TOC\n- [A](#a)\n- [Cite](#cite)\n- [B](#b)\n\n## A\n\ntext\n\n<a id="cite"></a>'
        "\n\ntext\n\n## B\n"
    )
    assert regenerate_toc(doc) == toc_text(doc)


def test_sections_above_the_toc_follow_the_toc() -> None:
    text = "# T\n\n## News\n\n## TOC\n- [A](#a)\n\n## A\n\n## B\n"
    assert regenerate_toc(doc_of(text)) == "- [A](#a)\n- [B](#b)"
    listed = "# T\n\n## News\n\n## TOC\n- [News](#news)\n- [A](#a)\n\n## A\n\n## B\n"
    assert regenerate_toc(doc_of(listed)) == "- [News](#news)\n- [A](#a)\n- [B](#b)"


def test_configured_levels_and_exclude() -> None:
    text = "# T\n\n## TOC\n- [A](#a)\n\n## A\n\n### A1\n\n## News\n"
    doc = doc_of(text)
    options = TocOptions(max_level=3, exclude=("news",))
    assert regenerate_toc(doc, options) == "- [A](#a)\n  - [A1](#a1)"


@pytest.mark.skipif(not CORPORA.is_dir(), reason="needs /work/shared/corpora")
def test_correct_corpus_toc_regenerates_byte_identical() -> None:
    path = CORPORA / "hee9joon__Awesome-Diffusion-Models.md"
    doc = parse(decode(path.read_bytes(), str(path)))
    assert doc.toc is not None and len(doc.toc.items) == 38
    assert regenerate_toc(doc) == toc_text(doc)


# --------------------------------------------------------------------------- properties

_names = st.lists(
    st.sampled_from(["Alpha", "Beta", "Gamma", "Δelta", "📖 Emoji", "C++ & Co", "Alpha"]),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(_names, st.randoms(use_true_random=False))
def test_regeneration_is_a_fixpoint(names: list[str], rnd: object) -> None:
    """Whatever a TOC lists, regenerating once gives a TOC that regenerates to itself."""
    import random

    assert isinstance(rnd, random.Random)
    headings = "".join(f"## {n}\n\ntext\n\n" for n in names)
    first = doc_of(f"# Title\n\n## Contents\n- [{names[0]}](#x)\n\n{headings}")
    listed = [f"- [{n}](#{n.lower().replace(' ', '-')})" for n in names]
    rnd.shuffle(listed)
    doc = doc_of("# Title\n\n## Contents\n" + "\n".join(listed) + "\n\n" + headings)
    for start in (first, doc):
        once = regenerated_document(start)
        again = doc_of(once)
        assert regenerate_toc(again) == toc_text(again)
        assert apply_edits(once, []) == once
