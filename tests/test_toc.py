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
    # "Gone" points nowhere and names no heading: toc-anchor reports it, and it stays (where
    # it was, after the item it followed) for a person to fix or delete.
    assert regenerate_toc(doc) == (
        "* [Alpha](#alpha)\n"
        "    * [Sub `code`](#sub-code)\n"
        "* [Gone](#gone)\n"
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


# --------------------------------------------------------------------------- a real TOC (#26)


def test_a_list_of_in_page_links_that_does_not_name_the_headings_is_not_a_toc() -> None:
    from readme_tools.config import Config
    from readme_tools.fmt.pipeline import format_source

    text = (
        "# Doc\n\n- [the beta part explains why](#beta)\n- [and see alpha first](#alpha)\n\n"
        "## Alpha\n\ntext\n\n## Beta\n\ntext\n\n## Gamma\n\ntext\n"
    )
    assert doc_of(text).toc is None
    result = format_source(decode(text.encode("utf-8"), "t.md"), Config())
    assert not result.changed  # no "- [Beta](#beta)": the prose link text stays


def test_a_leading_toc_that_drifted_is_still_a_toc() -> None:
    # Items name their headings but two are out of order and one heading is not listed.
    names = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"]
    order = ["Alpha", "Gamma", "Beta", "Delta", "Zeta"]
    toc = "".join(f"- [{n}](#{n.lower()})\n" for n in order)
    body = "".join(f"## {n}\n\ntext\n\n" for n in names)
    doc = doc_of(f"# Doc\n\n{toc}\n{body}")
    assert doc.toc is not None
    assert "[Epsilon](#epsilon)" in (regenerate_toc(doc) or "")


def test_regeneration_writes_anchors_the_way_the_toc_does() -> None:
    raw = doc_of("# 中文\n\n## 目录\n- [简介](#简介)\n\n## 简介\n\n## 模型\n")
    assert regenerate_toc(raw) == "- [简介](#简介)\n- [模型](#模型)"  # raw CJK stays raw
    encoded = doc_of("# 中文\n\n## 目录\n- [简介](#%E7%AE%80%E4%BB%8B)\n\n## 简介\n\n## 模型\n")
    assert regenerate_toc(encoded) == (
        "- [简介](#%E7%AE%80%E4%BB%8B)\n- [模型](#%E6%A8%A1%E5%9E%8B)"
    )


# --------------------------------------------------------------------------- what is expected


def expected(text: str, options: TocOptions | None = None) -> list[str]:
    layout = toc_layout(doc_of(text), options)
    assert layout is not None
    return [t.heading.text for t in layout.expected]


def test_front_and_back_matter_is_not_required() -> None:
    text = (
        "# T\n\n## Contents\n- [A](#a)\n\n## A\n\ntext\n\n## 🔥 News\n\ntext\n\n"
        "## Star History\n\ntext\n\n## Citation\n\ntext\n\n## Acknowledgements\n\ntext\n\n"
        "## B\n\ntext\n"
    )
    assert expected(text) == ["A", "B"]  # B is missing; the rest is left out on purpose


def test_toc_depth_is_inferred_per_subtree() -> None:
    # The TOC lists the parts of "Languages", not the sections inside each language.
    text = (
        "# T\n\n## Contents\n- [Tools](#tools)\n  - [Python](#python)\n  - [Rust](#rust)\n"
        "- [Languages](#languages)\n  - [Arabic](#arabic)\n  - [Chinese](#chinese)\n\n"
        "## Tools\n\n### Python\n\nx\n\n### Rust\n\nx\n\n### Go\n\nx\n\n"
        "## Languages\n\n### Arabic\n\nx\n\n### Libraries\n\nx\n\n### Models\n\nx\n\n"
        "### Chinese\n\nx\n\n### Datasets\n\nx\n\n### Corpora\n\nx\n"
    )
    # Go is missing (the TOC lists 2 of the 3 tools); Libraries, Models…: the TOC chose
    # to list the languages only.
    assert expected(text) == ["Tools", "Python", "Rust", "Go", "Languages", "Arabic", "Chinese"]


def test_notes_and_sub_toc_headings_are_not_required() -> None:
    text = (
        "# T\n\n## Contents\n- [Papers](#papers)\n  - [2025](#2025)\n  - [2024](#2024)\n\n"
        "## Papers\n\n### Papers of the week are marked with a star\n### 2025\n\nx\n\n"
        "### 2024\n\nx\n\n### Table of Contents - 2\n\nx\n"
    )
    assert expected(text) == ["Papers", "2025", "2024"]


def test_regeneration_can_keep_the_tocs_own_order() -> None:
    text = (
        "# T\n\n## Contents\n- [C](#c)\n- [A](#a)\n  - [A1](#a1)\n- [D](#d)\n\n"
        "## A\n\n### A1\n\n### A2\n\n## B\n\n## C\n\n## D\n"
    )
    doc = doc_of(text)
    # The list's order stays; A2 goes after A1, B after A's last subsection.
    assert regenerate_toc(doc, keep_order=True) == (
        "- [C](#c)\n- [A](#a)\n  - [A1](#a1)\n  - [A2](#a2)\n- [B](#b)\n- [D](#d)"
    )
    assert regenerate_toc(doc) == (
        "- [A](#a)\n  - [A1](#a1)\n  - [A2](#a2)\n- [B](#b)\n- [C](#c)\n- [D](#d)"
    )


def test_what_the_toc_lists_stays_even_in_back_matter() -> None:
    text = "# T\n\n## Contents\n- [A](#a)\n- [Paper](#paper)\n\n## A\n\n## Citation\n\n### Paper\n"
    assert regenerate_toc(doc_of(text), keep_order=True) == "- [A](#a)\n- [Paper](#paper)"
