"""duplicate-entry: the same paper twice, cross-listings, and ids that belong to another paper."""

from __future__ import annotations

from typing import Any

from readme_tools import registry
from readme_tools.config import Config, parse_config
from readme_tools.diagnostics import Diagnostic
from readme_tools.engine import lint_source
from readme_tools.parse import parse
from readme_tools.source import decode


def lint(text: str, config: dict[str, Any] | None = None) -> list[Diagnostic]:
    reg = registry.load()
    cfg = parse_config(config or {}, reg) if config else Config()
    rules = [r for r in reg.rules if r.name == "duplicate-entry"]
    return lint_source(decode(text.encode(), "t.md"), rules, cfg)[1]


def found(text: str, config: dict[str, Any] | None = None) -> list[tuple[int, str]]:
    return [(d.line, d.message) for d in lint(text, config)]


def entry(links: str, name: str = "VisionZip", title: str = "Longer is Better.") -> str:
    return f"- [x] **{name}**: {title} CVPR2025 {links}\n"


def test_duplicate_same_paper_different_url_forms() -> None:
    text = (
        "# L\n\n## A\n\n"
        + entry("[Paper](https://arxiv.org/abs/2412.04467)")
        + entry("[Paper](https://arxiv.org/pdf/2412.04467v1.pdf)")
    )
    (problem,) = found(text)
    assert problem[0] == 6
    assert "duplicate of the entry at line 5 (same arxiv:2412.04467)" in problem[1]
    (diagnostic,) = lint(text)
    assert diagnostic.key == "arxiv:2412.04467" and diagnostic.severity == "warning"


def test_a_single_repeat_in_another_section_is_reported() -> None:
    text = (
        "# L\n\n## A\n\n"
        + entry("[Code](https://github.com/a/b)", title="Longer is Better: a Study.")
        + "\n## B\n\n"
        + entry("[Page](https://x.github.io/)", title="longer is better — A STUDY!")
    )
    (problem,) = found(text)
    assert problem[0] == 9
    assert "cross-section duplicate of the entry at line 5, another section ('A')" in problem[1]
    assert "(same title)" in problem[1]


def test_shared_code_repo_or_page_is_not_a_duplicate() -> None:
    text = entry(
        "[Paper](https://arxiv.org/abs/2412.04467) [Code](https://github.com/a/b)",
        title="First Paper Title.",
    ) + entry(
        "[Paper](https://arxiv.org/abs/2501.00001) [Code](https://github.com/a/b)",
        title="Second Paper Title.",
    )
    assert found(text) == []


def test_same_title_different_arxiv_ids_is_not_a_duplicate() -> None:
    text = entry("[Paper](https://arxiv.org/abs/2412.04467)", title="A Survey of LLMs.") + entry(
        "[Paper](https://arxiv.org/abs/2501.00001)", title="A Survey of LLMs."
    )
    assert found(text) == []


def test_short_generic_titles_alone_do_not_make_duplicates() -> None:
    text = (
        "- [Natural Language Processing](https://github.com/a/notes) - course notes\n"
        "- [Natural Language Processing](https://github.com/b/slides) - lecture slides\n"
    )
    assert found(text) == []


def test_shared_arxiv_id_different_titles_is_a_hedged_warning() -> None:
    text = entry(
        "[Paper](https://arxiv.org/abs/2406.12335)",
        name="VATP",
        title="Attention Score is not All You Need for Token Importance.",
    ) + entry(
        "[Paper](https://arxiv.org/abs/2406.12335)",
        name="EasyKV",
        title="On the Efficacy of Eviction Policy for Key-Value Constrained Inference.",
    )
    (diagnostic,) = lint(text)
    assert diagnostic.line == 2 and diagnostic.severity == "warning"
    assert diagnostic.message == (
        "shares arxiv:2406.12335 with the entry at line 1 ('Attention Score is not All You "
        "Need for Token…'), but the titles differ: one of the two links is probably wrong "
        "(or the paper was renamed, and one entry is a stale copy)"
    )
    assert "duplicate" not in diagnostic.message


def test_an_id_that_belongs_to_another_paper_is_an_error_on_that_entry() -> None:
    # PIGLeT (ACL 2021) carries ZSP's id 2201.07207 (issued in 2022): PIGLeT's link is wrong,
    # not ZSP's, though ZSP comes second.
    text = (
        '* **PIGLeT**: "PIGLeT: Neuro-Symbolic Interaction in a 3D World", ACL, 2021. '
        "[[Paper](https://arxiv.org/abs/2201.07207)]\n"
        '* **ZSP**: "Language Models as Zero-Shot Planners", ICML, 2022. '
        "[[Paper](https://arxiv.org/abs/2201.07207)]\n"
    )
    (diagnostic,) = lint(text)
    assert (diagnostic.line, diagnostic.severity) == (1, "error")
    assert diagnostic.message.startswith("arxiv:2201.07207 belongs to another paper: the entry ")
    assert "this entry's year (2021) is before the id's (2022)" in diagnostic.message
    assert "duplicate" not in diagnostic.message


def test_model_name_title_is_the_same_paper_a_version_is_not() -> None:
    text = (
        "# L\n\n## Papers\n\n"
        "- [DeepSeek-V2: A Strong, Economical, and Efficient MoE Language Model]"
        "(https://arxiv.org/abs/2405.04434)\n\n## Models\n\n"
        "- [DeepSeek-v2-236B-MoE](https://arxiv.org/abs/2405.04434)\n"
    )
    (problem,) = found(text)
    assert problem[1].startswith("cross-section duplicate of the entry at line 5")
    text = (
        "- [Mobile-Agent-v2: Mobile Device Operation Assistant](https://arxiv.org/abs/2406.01014)\n"
        "- [Mobile-Agent: The Mobile Device Operation Assistant Family]"
        "(https://arxiv.org/abs/2406.01014)\n"
    )
    (problem,) = found(text)
    assert "titles differ" in problem[1]


def test_two_items_of_one_paper_under_different_names_are_not_duplicates() -> None:
    text = (
        "* **MMLU (College Medicine)**: Measuring massive multitask language understanding. "
        "2020. [paper](https://arxiv.org/abs/2009.03300)\n"
        "* **MMLU (Professional Medicine)**: Measuring massive multitask language understanding. "
        "2020. [paper](https://arxiv.org/abs/2009.03300)\n"
    )
    assert found(text) == []


def _cross_listed(n: int) -> str:
    """A list whose n papers all appear in two topic sections, plus one same-section repeat."""
    out = ["# L\n\n## Topic A\n\n"]
    out += [
        entry(f"[Paper](https://arxiv.org/abs/2401.{i:05d})", title=f"P{i} x.")
        for i in range(1, n + 1)
    ]
    out.append("\n## Topic B\n\n")
    out += [
        entry(f"[Paper](https://arxiv.org/pdf/2401.{i:05d})", title=f"P{i} x.")
        for i in range(1, n + 1)
    ]
    out.append(entry("[Paper](https://arxiv.org/abs/2401.00001)", title="P1 x."))
    return "".join(out)


def test_cross_section_auto_detects_intentional_cross_listing() -> None:
    # Two or more papers repeated across topics: the list cross-lists on purpose.
    for n in (2, 12):
        problems = found(_cross_listed(n))
        assert len(problems) == 1  # only the repeat inside Topic B
        assert problems[0][1].startswith("duplicate of the entry at line")
    # One paper repeated across topics, written differently: reported.
    problems = found(_cross_listed(1))
    assert [m.split(" of ")[0] for _, m in problems] == ["cross-section duplicate", "duplicate"]


def test_a_verbatim_copy_in_another_section_is_a_cross_listing() -> None:
    line = entry("[Paper](https://arxiv.org/abs/2410.20672)", name="MrT5", title="Dynamic Merging.")
    assert found(f"# L\n\n## Language\n\n{line}\n## Vision-Language\n\n{line}") == []


def test_cross_section_config() -> None:
    text = _cross_listed(12)
    strict = found(text, {"duplicates": {"allow-cross-section": False}})
    assert len(strict) == 13
    assert sum("cross-section duplicate" in m for _, m in strict) == 12
    allowed = found(_cross_listed(1), {"duplicates": {"allow-cross-section": True}})
    assert len(allowed) == 1


def test_year_subsections_belong_to_their_topic() -> None:
    # "#### 2025" / "#### 2024" date the papers of one topic: a repeat across them is a
    # duplicate in one topic, while the same paper under another topic is a cross-listing.
    text = (
        "## Vision-Language\n\n#### 2025\n\n"
        "* [**ICLR'25**] TempMe: Video Temporal Token Merging for Efficient Text-Video Retrieval "
        "[[Paper](https://arxiv.org/abs/2409.01156)]\n\n#### 2024\n\n"
        "* [arXiv] TempMe: Video Temporal Token Merging for Efficient Text-Video Retrieval "
        "[[Paper](https://arxiv.org/pdf/2409.01156)]\n"
    )
    (problem,) = found(text)
    assert problem[0] == 9 and problem[1].startswith("duplicate of the entry at line 5")


def test_numbered_lists_that_start_again_are_groups() -> None:
    # A survey's section with sub-groups that have no heading: "10." then "1." again.
    papers = [
        f"[**Paper number {i} of the survey.**](https://arxiv.org/abs/2401.{i:05d})"
        for i in range(1, 5)
    ]
    text = "## Architecture\n\n" + "".join(f"{k}. {p}\n\n" for k, p in enumerate(papers, 1))
    text += "".join(f"{k}. {p}\n\n" for k, p in enumerate(papers[:2], 1))
    assert found(text) == []  # two papers in two groups: a cross-listing


def test_news_lines_and_news_sections_repeat_papers_on_purpose() -> None:
    body = (
        "## Papers\n\n"
        "1. [**Periodic RoPE for Infinite Context LLMs.**](https://arxiv.org/abs/2605.27980) "
        "_A. Author._ Arxiv 2026.\n"
    )
    news = (
        "# List\n\n## 📢 News\n\n### Week Papers\n\n- **[2026.05.27]**\n"
        "  - Paper: [Periodic RoPE for Infinite Context LLMs](https://arxiv.org/abs/2605.27980)\n\n"
    )
    assert found(news + body) == []
    line = (
        '- **2024-07-22 We release a new paper: "[Periodic RoPE for Infinite Context LLMs]'
        '(https://arxiv.org/abs/2605.27980)"**\n\n'
    )
    assert found("# List\n\n## Intro\n\n" + line + body) == []


def test_duplicate_in_table_rows() -> None:
    text = (
        "| Date | Title | Paper |\n|---|---|---|\n"
        "| 2024.06 | Exploring and Improving Drafts in Blockwise Parallel Decoding |"
        " [[pdf]](https://arxiv.org/pdf/2404.09221) |\n"
        "| 2024.07 | Multi-Token Joint Speculative Decoding for Accelerating LLM Inference |"
        " [[pdf]](https://arxiv.org/pdf/2404.09221) |\n"
    )
    doc = parse(decode(text.encode(), "t.md"))
    assert doc.entries[0].title == "Exploring and Improving Drafts in Blockwise Parallel Decoding"
    (problem,) = found(text)
    assert "titles differ" in problem[1]


def test_a_shared_date_prefix_is_not_a_shared_title() -> None:
    text = (
        "- [2023/10] Efficient Streaming Language Models with Attention Sinks "
        "[paper](https://openreview.net/forum?id=NG7sS51zVF)\n"
        "- [2023/10] Ring Attention with Blockwise Transformers for Near-Infinite Context "
        "[paper](https://openreview.net/forum?id=WsRHpHH4s0)\n"
    )
    assert found(text) == []
