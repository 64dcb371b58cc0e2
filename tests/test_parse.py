from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from readme_tools.parse import markdown, parse
from readme_tools.parse.inline import fast_links, inline_tokens, links_of
from readme_tools.parse.offsets import InlineMap
from readme_tools.source import decode

from .conftest import SEED


def doc_of(text: str):  # type: ignore[no-untyped-def]
    return parse(decode(text.encode("utf-8"), "t.md"))


def test_seed_entries_are_parsed_with_names_titles_venues_and_links() -> None:
    doc = parse(decode(SEED.read_bytes(), "seed.md"))
    assert len(doc.entries) == 24
    assert all(
        e.kind == "list" and e.checkbox == "x" and e.venue == "CVPR2025" for e in doc.entries
    )
    assert all(e.grammar for e in doc.entries)
    first = doc.entries[0]
    assert (first.line, first.name, first.title) == (
        10,
        "LLaVA-Critic",
        "Learning to Evaluate Multimodal Models.",
    )
    assert [(link.label, link.url) for link in first.links] == [
        ("Paper", "https://arxiv.org/abs/2410.02712"),
        ("Page", "https://llava-vl.github.io/blog/2024-10-03-llava-critic/"),
    ]
    unnamed = [e.line for e in doc.entries if e.name is None]
    assert unnamed == [47, 59, 75, 87, 99]
    molmo = next(e for e in doc.entries if e.line == 63)
    assert molmo.name == "Molmo and PixMo"
    question = next(e for e in doc.entries if e.line == 59)
    assert (
        question.title == "Can Large Vision-Language Models Correct Grounding Errors By Themselves?"
    )
    assert [p.line for p in doc.entries[2].summary] == [20]
    assert "**This paper modifies" in doc.entries[2].summary[0].text


def test_seed_spans_point_at_the_source() -> None:
    doc = parse(decode(SEED.read_bytes(), "seed.md"))
    text = doc.source.text
    for entry in doc.entries:
        assert entry.venue_span is not None and text[slice(*entry.venue_span)] == entry.venue
        assert entry.title_span is not None and text[slice(*entry.title_span)] == entry.title
        for link in entry.links:
            assert text[slice(*link.span)] == f"[{link.label}]({link.url})"
            assert link.url_span is not None and text[slice(*link.url_span)] == link.url
            assert doc.source.position(link.span.start)[0] == entry.line


def test_seed_toc_and_headings() -> None:
    doc = parse(decode(SEED.read_bytes(), "seed.md"))
    assert [(h.level, h.line) for h in doc.headings] == [(1, 1), (2, 4), (2, 9)]
    assert doc.toc is not None
    assert [(i.anchor, i.depth, i.line) for i in doc.toc.items] == [
        ("mllm-paper-reading", 0, 5),
        ("-table-of-contents", 1, 6),
        ("image-llms-cvpr2025", 1, 7),
    ]
    assert (doc.toc.marker, doc.toc.indent) == ("-", 2)


def test_entries_in_other_styles_do_not_crash_and_get_titles() -> None:
    doc = doc_of(
        "# List\n\n"
        "1. [**Chain of Thought Prompting.**](https://arxiv.org/abs/2201.11903) *Wei et al.* NeurIPS 2022.\n"
        "2. **[Self-Consistency](https://arxiv.org/abs/2203.11171)** ICLR 2023\n\n"
        "| Date | Title | Code |\n|---|---|---|\n"
        "| 2023.11 | [Fast Inference of Big Models](https://arxiv.org/abs/2311.00001) | [code](https://github.com/a/b) |\n\n"
        "**Diffusion Models Beat GANs** \\\n*Dhariwal, Nichol* \\\nNeurIPS 2021. [[Paper](https://arxiv.org/abs/2105.05233)]\n"
    )
    kinds = [(e.kind, e.title) for e in doc.entries]
    assert kinds == [
        ("list", "Chain of Thought Prompting"),
        ("list", "Self-Consistency"),
        ("table", "Fast Inference of Big Models"),
        ("paragraph", "Diffusion Models Beat GANs"),
    ]
    assert doc.entries[0].marker == "1." and not doc.entries[0].grammar


def test_code_blocks_and_comments_are_not_entries() -> None:
    doc = doc_of(
        "```\n- [x] **A**: T. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)\n```\n"
        "<!--\n- [x] **B**: T. CVPR2025 [Paper](https://arxiv.org/abs/2401.00002)\n-->\n"
        "    - [x] **C**: indented code\n"
    )
    assert doc.entries == ()
    assert doc.code_lines == frozenset({1, 2, 3, 4, 5, 6, 7})


def test_nested_items_belong_to_their_entry() -> None:
    doc = doc_of(
        "- [x] **A**: T. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)\n\n"
        "  Summary one.\n\n"
        "  - [Extra](https://example.org/x)\n"
        "- [ ] **B**: U. CVPR2025 [Paper](https://arxiv.org/abs/2401.00002)\n"
    )
    assert [e.name for e in doc.entries] == ["A", "B"]
    assert [p.text for p in doc.entries[0].summary] == [
        "Summary one.",
        "[Extra](https://example.org/x)",
    ]


def test_grouping_items_without_links_are_not_entries() -> None:
    doc = doc_of("- Vision\n  - [x] **A**: T. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)\n")
    assert [(e.name, e.depth) for e in doc.entries] == [("A", 1)]


def test_html_anchors_and_controls() -> None:
    doc = doc_of(
        '<a name="top"></a>\n# T <a id="x-y"></a>\n'
        "<!-- readme-lint disable-next-line bold-name -->\n"
        "```\n<!-- readme-lint disable -->\n```\n"
    )
    assert doc.html_anchors == ("top", "x-y")
    assert [(c.action, c.rules, c.line) for c in doc.controls] == [
        ("disable-next-line", ("bold-name",), 3)
    ]


def test_crlf_file_keeps_original_lines() -> None:
    doc = parse(decode(b"# T\r\n\r\n- [x] **A**: T. CVPR2025 [Paper](https://a.b/c)\r\n", "t.md"))
    (entry,) = doc.entries
    assert entry.line == 3 and doc.source.position(entry.links[0].span.start) == (3, 26)


_label = st.text(alphabet="abcXYZ 0.-!?*_`[]\\<>&()", max_size=6)
_url = st.text(alphabet="abc:/._-?=#()<> \\`", max_size=8)


@settings(max_examples=400)
@given(
    st.lists(
        st.tuples(st.text(alphabet="ab .:*_`[]!\\<>", max_size=5), _label, _url),
        max_size=4,
    ),
    st.booleans(),
)
def test_fast_link_path_agrees_with_markdown_it(
    parts: list[tuple[str, str, str]], box: bool
) -> None:
    content = ("[x] " if box else "") + "".join(
        f"{pre}[{label}]({url})" for pre, label, url in parts
    )
    content = content.strip(" ")
    src = decode(content.encode("utf-8"))
    inline = InlineMap(content, (0,), (0,))
    fast = fast_links(content, inline, src)
    if fast is None:
        return
    slow = links_of(inline_tokens(markdown(), content, {}), inline, src)
    assert fast == slow
