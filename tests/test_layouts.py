"""Entry recognition for the layouts real lists use: one small fixture per layout.

The fixtures are cut down from lists of the development corpus (bench/README.md): the line
shapes are theirs, the titles shortened.
"""

from __future__ import annotations

from readme_tools.identity import entry_paper_ids
from readme_tools.model import Document, Entry
from readme_tools.parse import parse
from readme_tools.source import decode


def doc_of(text: str) -> Document:
    return parse(decode(text.encode("utf-8"), "t.md"))


def only(doc: Document) -> Entry:
    (entry,) = doc.entries
    return entry


def span_text(doc: Document, span: object) -> str:
    assert span is not None
    start, end = span  # type: ignore[misc]
    return doc.source.text[start:end]


def ids(entry: Entry) -> list[str]:
    return [i.key for i in entry_paper_ids(entry)]


# --------------------------------------------------------------------------- default grammar


def test_default_grammar_title_venue_and_a_subtitle_after_a_question_mark() -> None:
    doc = doc_of(
        "- [x] **ECBench**: Can Multi-modal Foundation Models Understand the Egocentric World? "
        "A Holistic Embodied Cognition Benchmark [Paper](https://arxiv.org/abs/2501.05031)\n"
        "- [x] **Open**: Title without stop CVPR2025 [Paper](https://arxiv.org/abs/2401.00012)\n"
        "- [x] **Think**: A Study. Neurips 2025 Spotlight [Paper](https://arxiv.org/abs/2503.16188)\n"
    )
    subtitle, open_, think = doc.entries
    assert subtitle.venue is None and subtitle.grammar
    assert subtitle.title is not None and subtitle.title.endswith("Cognition Benchmark")
    assert (open_.title, open_.venue, open_.grammar) == ("Title without stop", "CVPR2025", False)
    assert (think.venue, think.grammar) == ("Neurips 2025 Spotlight", True)
    assert span_text(doc, think.venue_span) == "Neurips 2025 Spotlight"


# --------------------------------------------------------------------------- venue first


def test_venue_first_layout() -> None:
    doc = doc_of(
        "* [**Nature Medicine, 2024**] **BiomedGPT** A generalist vision–language foundation "
        "model [paper](https://www.nature.com/articles/s41591-024-03185-2)\n"
        "* (*ICLR'25*) Graph Language Models [[paper](https://aclanthology.org/2024.acl-long.245/)]\n"
    )
    nature, iclr = doc.entries
    assert (nature.layout, nature.venue, nature.name) == (
        "venue-first",
        "Nature Medicine, 2024",
        "BiomedGPT",
    )
    assert nature.title == "A generalist vision–language foundation model"
    assert span_text(doc, nature.venue_span) == "Nature Medicine, 2024"
    assert (iclr.venue, iclr.title, iclr.grammar) == ("ICLR'25", "Graph Language Models", False)


def test_plain_titles_among_linked_entries_are_entries() -> None:
    doc = doc_of(
        "#### 2025\n"
        "* [**CVPR'25**] Token Cropr: Faster ViTs for Quite a Few Tasks "
        "[[Paper](https://arxiv.org/pdf/2412.00965)]\n"
        "* [**CVPR'25**] Attend to Not Attended: Structure-then-Detail Token Merging\n"
        "\n## Notes\n\n- Machine learning venues\n- Computer vision venues\n"
    )
    assert [(e.line, e.title) for e in doc.entries] == [
        (2, "Token Cropr: Faster ViTs for Quite a Few Tasks"),
        (3, "Attend to Not Attended: Structure-then-Detail Token Merging"),
    ]


# --------------------------------------------------------------------------- bold titles


def test_highlight_block_bold_title_with_the_venue_below() -> None:
    doc = doc_of(
        "- **Full Title of a Highlighted Paper**  \n"
        "  NeurIPS 2025, [Paper](https://arxiv.org/abs/2501.00001)\n"
    )
    entry = only(doc)
    assert (entry.layout, entry.name, entry.title, entry.venue) == (
        "bold-title",
        None,
        "Full Title of a Highlighted Paper",
        "NeurIPS 2025",
    )


def test_bold_title_with_br_author_lines_is_one_entry() -> None:
    doc = doc_of(
        "* **SoundSpaces 2.0: A Simulation Platform for Visual-Acoustic Learning** <br>\n"
        "*Changan Chen, Carl Schissler, Sanchit Garg* <br>\n"
        "arXiv, 2022. [[Paper]](https://arxiv.org/pdf/2206.08312.pdf) "
        "[[Code]](https://github.com/facebookresearch/sound-spaces)\n"
    )
    entry = only(doc)
    assert entry.title == "SoundSpaces 2.0: A Simulation Platform for Visual-Acoustic Learning"
    assert (entry.name, entry.venue, ids(entry)) == (None, "arXiv, 2022", ["arxiv:2206.08312"])


def test_bold_title_paragraphs_with_authors() -> None:
    doc = doc_of(
        "**DisDiff: Unsupervised Disentanglement of Diffusion Probabilistic Models** \\\n"
        "*Tao Yang, Yuwang Wang, Yan Lv, Nanning Zheng* \\\n"
        "NeurIPS 2023. [[Paper](https://arxiv.org/abs/2301.13721)] \\\n31 Jan 2023\n"
    )
    entry = only(doc)
    assert (entry.kind, entry.layout, entry.venue) == ("paragraph", "bold-title", "NeurIPS 2023")
    assert entry.title == "DisDiff: Unsupervised Disentanglement of Diffusion Probabilistic Models"


# --------------------------------------------------------------------------- links below


def test_links_in_sub_items_belong_to_the_title_item() -> None:
    doc = doc_of(
        "- **Connecting Interpretability and Robustness in Decision Trees (ICML 2021)**\n"
        "  - Michal Moshkovitz, Yao-Yuan Yang, Kamalika Chaudhuri\n"
        "  - [[Paper]](https://arxiv.org/abs/2102.07048)\n"
    )
    entry = only(doc)
    assert entry.title == "Connecting Interpretability and Robustness in Decision Trees"
    assert (entry.venue, entry.links, ids(entry)) == ("ICML 2021", (), ["arxiv:2102.07048"])


def test_links_in_a_paragraph_inside_the_item() -> None:
    doc = doc_of(
        "- **Retrieval-Augmented Generation for Large Language Models: A Survey**\n\n"
        "  [[Paper](https://arxiv.org/abs/2312.10997)] [[Code](https://github.com/a/b)]\n"
    )
    entry = only(doc)
    assert entry.title == "Retrieval-Augmented Generation for Large Language Models: A Survey"
    assert ids(entry) == ["arxiv:2312.10997"]


def test_bare_urls_in_the_list_after_a_bold_title() -> None:
    doc = doc_of(
        "**HoloVIC: Large-scale Dataset and Benchmark for Holographic Intersections**\n\n"
        "- 论文/Paper: http://arxiv.org/pdf/2403.02640\n"
        "- 代码/Code: None\n\n"
        "**Traffic Scene Parsing through the TSP6K Dataset**\n\n"
        "Some prose without a list.\n"
    )
    entry = only(doc)
    assert entry.title is not None and entry.title.startswith("HoloVIC")
    assert ids(entry) == ["arxiv:2403.02640"]
    assert doc.links == ()  # bare URLs identify the paper; link rules see GitHub's links only


def test_sub_items_that_are_papers_stay_entries() -> None:
    doc = doc_of(
        "- **[2026.05.27]**\n"
        "  - Paper: [Periodic RoPE for Infinite Context LLMs](https://arxiv.org/abs/2605.27980)\n"
        "- **Node.js and Javascript** - Node.js Libraries for NLP\n"
        "  - [Twitter-text](https://github.com/twitter/twitter-text) - a JavaScript library\n"
    )
    assert [(e.line, e.title, e.layout) for e in doc.entries] == [
        (2, "Periodic RoPE for Infinite Context LLMs", "linked-title"),
        (4, "Twitter-text", "described"),
    ]


# --------------------------------------------------------------------------- linked titles


def test_linked_titles_behind_prefixes() -> None:
    doc = doc_of(
        "* CaloGAN - [CaloGAN: Simulating 3D High Energy Particle Showers](https://arxiv.org/abs/1705.02355)"
        " ([github](https://github.com/hep-lbdl/CaloGAN))\n"
        "- `2023/10` | `Mistral` | [Mistral 7B](https://arxiv.org/abs/2310.06825)\n"
        "1. [**Loki: Low-Rank Keys for Efficient Sparse Attention.**](https://arxiv.org/abs/2406.02542)"
        " *Prajwal Singhania.* Arxiv 2024.\n"
    )
    assert [e.title for e in doc.entries[:2]] == [
        "CaloGAN: Simulating 3D High Energy Particle Showers",
        "Mistral 7B",
    ]


def test_resource_lines() -> None:
    doc = doc_of(
        "* **[Drugs.com](https://www.drugs.com/)**\n"
        "* [LLMs Practical Guide](https://github.com/Mooler0410/LLMsPracticalGuide). The codebase "
        "we built upon.\n"
    )
    assert [(e.layout, e.title) for e in doc.entries] == [
        ("linked-title", "Drugs.com"),
        ("described", "LLMs Practical Guide"),
    ]


# --------------------------------------------------------------------------- quoted titles


def test_quoted_titles_and_author_first_items() -> None:
    doc = doc_of(
        '* **AutoRT**: "Embodied Foundation Models for Orchestration", *arXiv, 2024年1月*. '
        "[[论文](https://arxiv.org/abs/2401.12963)]\n\n"
        "- **VQ-SAM:** Bing Fan, Minghao Li, Hanzhi Zhang.<br />\n"
        '"Towards Visual Query Segmentation in the Wild." ArXiv (2026).\n'
        "[[paper](https://arxiv.org/abs/2603.08898)]\n"
        "[2026.03]\n"
    )
    auto, vq = doc.entries
    assert (auto.layout, auto.name, auto.title) == (
        "quoted",
        "AutoRT",
        "Embodied Foundation Models for Orchestration",
    )
    assert (vq.layout, vq.name, vq.title) == (
        "quoted",
        "VQ-SAM",
        "Towards Visual Query Segmentation in the Wild",
    )


def test_lines_broken_with_br_give_their_title_line() -> None:
    doc = doc_of(
        "- `2023/07` | `Med-Flamingo`\n| `Moor et al.`\n"
        "![Star](https://img.shields.io/github/stars/snap-stanford/med-flamingo.svg) <br>\n"
        "Med-Flamingo: a Multimodal Medical Few-shot Learner <br>\n"
        "[[arXiv](https://arxiv.org/abs/2307.15189)]\n"
    )
    assert only(doc).title == "Med-Flamingo: a Multimodal Medical Few-shot Learner"


# --------------------------------------------------------------------------- tables


def test_table_rows_are_papers_when_the_header_says_so() -> None:
    doc = doc_of(
        "| Date | Keywords | Institute | Paper | Publication |\n|---|---|---|---|---|\n"
        "| 2024-10-12 | Situation3D | UIUC | [Situational Awareness Matters in 3D Vision "
        "Language Reasoning](https://arxiv.org/abs/2406.07544) | CVPR '24 |\n\n"
        "| Edit Type | Benchmarks & Datasets |\n|---|---|\n"
        "| **Bias** | [Bias in Bios](https://arxiv.org/pdf/2304.00740.pdf) |\n"
    )
    entry = only(doc)
    assert entry.kind == "table" and entry.title is not None
    assert entry.title.startswith("Situational Awareness Matters")
    assert len(doc.links) == 2  # the dataset table's links are still links


# --------------------------------------------------------------------------- news


def test_news_lines_and_news_sections() -> None:
    doc = doc_of(
        "# Title\n\nIntro.\n\n## 📢 News\n\n### Week Papers\n\n"
        "- Paper: [Periodic RoPE for Infinite Context LLMs](https://arxiv.org/abs/2605.27980)\n\n"
        "## Papers\n\n"
        '- **2024-07-22 We release a new paper: "[Knowledge Mechanisms in Large Language Models]'
        '(https://arxiv.org/abs/2407.15017)"**\n'
        "- [Periodic RoPE for Infinite Context LLMs](https://arxiv.org/abs/2605.27980)\n\n"
        "## 👍 Acknowledgement\n\n- [A Survey of Large Language Models](https://arxiv.org/abs/2303.18223)\n"
    )
    kinds = [section.kind for section in doc.sections]
    assert kinds == ["matter", "matter", "news", "news", "body", "matter"]
    in_news, news_line, paper, thanks = doc.entries
    assert (in_news.title, in_news.role) == ("Periodic RoPE for Infinite Context LLMs", "paper")
    assert news_line.role == "news"
    assert [doc.is_paper(e) for e in doc.entries] == [False, False, True, False]
    assert paper.title == in_news.title and thanks.title is not None


def test_a_date_before_the_title_is_not_part_of_it() -> None:
    doc = doc_of(
        "- [2023/10] Efficient Streaming Language Models with Attention Sinks "
        "[paper](https://arxiv.org/abs/2309.17453)\n"
        "- [2023/10] Ring Attention with Blockwise Transformers for Near-Infinite Context "
        "[paper](https://arxiv.org/abs/2310.01889)\n"
    )
    assert [e.title for e in doc.entries] == [
        "Efficient Streaming Language Models with Attention Sinks",
        "Ring Attention with Blockwise Transformers for Near-Infinite Context",
    ]
