"""Link rules: link-syntax, arxiv-link, link-tracking, link-label, duplicate-entry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from readme_tools import registry
from readme_tools.cli.lint import main
from readme_tools.config import Config, parse_config
from readme_tools.diagnostics import Diagnostic, apply_edits
from readme_tools.engine import lint_source
from readme_tools.source import decode

from ..data import SEED

FIXTURES = Path(__file__).parent.parent / "fixtures"
CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
NAMES = ("link-syntax", "arxiv-link", "link-tracking", "link-label", "duplicate-entry")


def _rules(names: tuple[str, ...] = NAMES) -> list[Any]:
    reg = registry.load()
    return [r for r in reg.rules if r.name in names]


def lint(
    text: str, config: dict[str, Any] | None = None, names: tuple[str, ...] = NAMES
) -> list[Diagnostic]:
    cfg = parse_config(config or {}, registry.load()) if config else Config()
    _, diagnostics = lint_source(decode(text.encode(), "t.md"), _rules(names), cfg)
    return diagnostics


def found(text: str, rule: str, config: dict[str, Any] | None = None) -> list[tuple[int, str]]:
    return [(d.line, d.message) for d in lint(text, config) if d.rule == rule]


def fix_all(text: str, config: dict[str, Any] | None = None) -> str:
    edits = [e for d in lint(text, config) if d.fix for e in d.fix.edits]
    return apply_edits(text, edits)


def entry(links: str, name: str = "VisionZip", title: str = "Longer is Better.") -> str:
    return f"- [x] **{name}**: {title} CVPR2025 {links}\n"


# --------------------------------------------------------------------------- registry


def test_rules_registered_with_codes() -> None:
    reg = registry.load()
    codes = {r.name: r.code for r in reg.rules if r.family == "links"}
    assert codes == {
        "link-syntax": "L401",
        "arxiv-link": "L402",
        "link-tracking": "L403",
        "link-label": "L404",
        "duplicate-entry": "L405",
    }
    for rule in reg.rules:
        if rule.family == "links":
            assert "Bad:" in rule.doc and "Good:" in rule.doc and "**Why**" in rule.doc


@pytest.mark.parametrize("name", NAMES)
def test_explain(name: str) -> None:
    result = CliRunner().invoke(main, ["--explain", name])
    assert result.exit_code == 0
    assert name in result.output and "Bad:" in result.output


# --------------------------------------------------------------------------- the seed (golden)


def test_seed_golden() -> None:
    source = decode(SEED.read_bytes(), str(SEED))
    _, diagnostics = lint_source(source, _rules(), Config())
    got = [(d.line, d.rule) for d in diagnostics]
    assert got == [
        (23, "arxiv-link"),
        (35, "link-label"),
        (55, "arxiv-link"),
        (83, "arxiv-link"),
        (83, "link-tracking"),
    ]
    messages = {(d.line, d.rule): d.message for d in diagnostics}
    assert "version suffix 'v1'" in messages[(23, "arxiv-link")]
    assert "version suffix 'v2'" in messages[(83, "arxiv-link")]
    assert "tab=readme-ov-file" in messages[(83, "link-tracking")]
    assert "internvl.github.io" in messages[(35, "link-label")]
    assert all(d.fixable for d in diagnostics if d.rule != "link-label")


def test_seed_fixes_apply_and_relint_clean() -> None:
    text = decode(SEED.read_bytes(), str(SEED)).text
    fixed = fix_all(text)
    assert "https://arxiv.org/abs/2406.12275)" in fixed
    assert "https://github.com/Yxxxb/VoCo-LLaMA)" in fixed
    remaining = [(d.line, d.rule) for d in lint(fixed)]
    assert remaining == [(35, "link-label")]  # not fixable: a human picks the right label


def test_seed_json_reports_fixable() -> None:
    result = CliRunner().invoke(main, ["--format", "json", "--select", ",".join(NAMES), str(SEED)])
    data = json.loads(result.stdout)
    by_rule = {(d["line"], d["rule"]): d for d in data}
    assert by_rule[(83, "link-tracking")]["fixable"] is True
    assert by_rule[(23, "arxiv-link")]["fixable"] is True
    assert by_rule[(23, "arxiv-link")]["code"] == "L402"
    assert by_rule[(35, "link-label")]["fixable"] is False


# --------------------------------------------------------------------------- arxiv-link


def arxiv_list(form: str = "abs", n: int = 8, suffix: str = "") -> str:
    """A list of n entries whose arXiv links all use ``form`` (the house style)."""
    return "".join(
        entry(f"[Paper](https://arxiv.org/{form}/2401.{i:05d}{suffix})", title=f"Paper {i}.")
        for i in range(1, n + 1)
    )


@pytest.mark.parametrize(
    "url,reason,fixed",
    [
        ("https://arxiv.org/pdf/2412.04467", "'pdf' arXiv link where the list links 'abs' pages",
         "https://arxiv.org/abs/2412.04467"),
        ("https://arxiv.org/pdf/2412.04467.pdf", "'pdf' arXiv link", "https://arxiv.org/abs/2412.04467"),
        ("https://arxiv.org/html/2412.04467v1", "'html' arXiv link", "https://arxiv.org/abs/2412.04467"),
        ("https://arxiv.org/abs/2412.04467v3", "version suffix 'v3'",
         "https://arxiv.org/abs/2412.04467"),
        # Forms that work stay as written around the fixed part.
        ("http://www.arxiv.org/pdf/2412.04467v2", "'pdf' arXiv link",
         "http://www.arxiv.org/abs/2412.04467"),
    ],
)  # fmt: skip
def test_arxiv_link_minority_in_an_abs_list(url: str, reason: str, fixed: str) -> None:
    text = arxiv_list() + entry(f"[Paper]({url})")
    (problem,) = found(text, "arxiv-link")
    assert problem[0] == 9 and reason in problem[1] and f"write {fixed}" in problem[1]
    out = fix_all(text)
    assert out == arxiv_list() + entry(f"[Paper]({fixed})")
    assert lint(out) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://arxiv.org/abs/2412.04467",
        "https://www.arxiv.org/abs/2412.04467",
        "https://export.arxiv.org/abs/2412.04467",
        "https://browse.arxiv.org/abs/2412.04467",
        "https://arxiv.org/abs/2412.04467/",
        "https://arxiv.org/abs/2412.04467.pdf",  # arXiv redirects it to the abs page
        "https://arxiv.org/abs/2304.03893?s=03",
    ],
)
def test_arxiv_link_forms_that_work_are_left_alone(url: str) -> None:
    assert found(arxiv_list() + entry(f"[Paper]({url})"), "arxiv-link") == []


def test_arxiv_link_pdf_list_reports_the_abs_minority_in_its_own_form() -> None:
    pdf = arxiv_list("pdf", suffix=".pdf")
    text = pdf + entry("[Paper](https://arxiv.org/abs/2412.04467)")  # canonical, yet the minority
    (problem,) = found(text, "arxiv-link")
    assert "'abs' arXiv link where the list links 'pdf' pages" in problem[1]
    assert fix_all(text) == pdf + entry("[Paper](https://arxiv.org/pdf/2412.04467.pdf)")
    # The pdf links themselves, with or without ".pdf", are the house style.
    assert found(pdf + entry("[Paper](https://arxiv.org/pdf/2412.04467)"), "arxiv-link") == []


def test_arxiv_link_mixed_or_small_lists_get_nothing() -> None:
    mixed = arxiv_list("abs", 5) + arxiv_list("pdf", 4).replace("2401.", "2402.")
    assert found(mixed, "arxiv-link") == []  # 5 abs / 4 pdf: no form dominates
    small = arxiv_list("abs", 3) + entry("[Paper](https://arxiv.org/pdf/2412.04467)")
    assert found(small, "arxiv-link") == []  # 4 links: too few to learn a form


def test_arxiv_link_versions_follow_the_list() -> None:
    versioned = arxiv_list(suffix="v2")
    assert (
        found(versioned + entry("[Paper](https://arxiv.org/abs/2412.04467v1)"), "arxiv-link") == []
    )
    # A list that mostly omits versions: the suffix is reported (also at a 70% share).
    text = arxiv_list(n=7) + "".join(
        entry(f"[Paper](https://arxiv.org/abs/2403.{i:05d}v1)", title=f"V {i}.") for i in range(3)
    )
    assert [line for line, _ in found(text, "arxiv-link")] == [8, 9, 10]


def test_arxiv_convention_reads_the_whole_text() -> None:
    from readme_tools.rules.arxiv import arxiv_convention

    text = arxiv_list("pdf", 6, ".pdf") + '<a href="https://arxiv.org/abs/2301.00001">x</a>\n'
    conv = arxiv_convention(text)
    assert (conv.total, conv.kind, conv.pdf_suffix) == (7, "pdf", True)
    assert dict(conv.kinds) == {"pdf": 6, "abs": 1}


@pytest.mark.parametrize(
    "arxiv_id,why",
    [
        ("203.05527", "expected YYMM.NNNNN"),
        ("2413.01234", "month 13"),
        ("1203.12345", "4-digit"),
        ("2412.00000", "zero"),
    ],
)
def test_arxiv_link_impossible_id(arxiv_id: str, why: str) -> None:
    text = entry(f"[Paper](https://arxiv.org/abs/{arxiv_id})")
    (diagnostic,) = [d for d in lint(text) if d.rule == "arxiv-link"]
    assert f"impossible arXiv id '{arxiv_id}'" in diagnostic.message
    assert why in diagnostic.message
    assert diagnostic.severity == "error"
    assert diagnostic.fix is None


def test_arxiv_link_keep_version() -> None:
    config = {"arxiv": {"keep-version": True}}
    text = arxiv_list() + entry("[Paper](https://arxiv.org/abs/2412.04467v2)")
    assert found(text, "arxiv-link", config) == []
    text = arxiv_list() + entry("[Paper](https://arxiv.org/pdf/2412.04467v2.pdf)")
    out = fix_all(text, config)
    assert out == arxiv_list() + entry("[Paper](https://arxiv.org/abs/2412.04467v2)")


def test_arxiv_link_pinned_form() -> None:
    abs_form = {"arxiv": {"form": "abs"}}
    text = entry("[Paper](http://www.arxiv.org/abs/2412.04467v1/)")
    (problem,) = found(text, "arxiv-link", abs_form)
    assert "configured form https://arxiv.org/abs/ID" in problem[1]
    assert fix_all(text, abs_form) == entry("[Paper](https://arxiv.org/abs/2412.04467)")
    pdf_form = {"arxiv": {"form": "pdf"}}
    text = arxiv_list()  # canonical abs links, but the configuration pins pdf
    assert len(found(text, "arxiv-link", pdf_form)) == 8
    assert lint(fix_all(text, pdf_form), pdf_form) == []
    with pytest.raises(Exception, match="form"):
        parse_config({"arxiv": {"form": "html"}}, registry.load())


def test_arxiv_link_ignores_other_arxiv_pages_and_code() -> None:
    text = (
        arxiv_list()
        + "\nSee [recent](https://arxiv.org/list/cs.CV/recent).\n\n"
        + "```\n[Paper](https://arxiv.org/pdf/2412.04467v1)\n```\n"
    )
    assert found(text, "arxiv-link") == []


def test_arxiv_link_in_prose_and_tables() -> None:
    text = (
        "# T\n\nRead [this](http://arxiv.org/pdf/2412.04467).\n\n"
        "| Date | Paper |\n|---|---|\n| 2024 | [[pdf]](https://arxiv.org/pdf/2309.06180.pdf) |\n\n"
        + arxiv_list()
    )
    assert [line for line, _ in found(text, "arxiv-link")] == [3, 7]
    assert "https://arxiv.org/abs/2309.06180)" in fix_all(text)


# --------------------------------------------------------------------------- link-tracking


@pytest.mark.parametrize(
    "url,clean",
    [
        ("https://github.com/a/b?tab=readme-ov-file", "https://github.com/a/b"),
        ("https://github.com/a/b?tab=readme-ov-file#install", "https://github.com/a/b#install"),
        ("https://x.org/p?utm_source=tw&utm_medium=social&id=2", "https://x.org/p?id=2"),
        ("https://x.org/p?id=2&fbclid=IwAR1", "https://x.org/p?id=2"),
        ("https://medium.com/@u/post?source=rss", "https://medium.com/@u/post"),
        ("https://github.com/a/b?ref=blog", "https://github.com/a/b"),
    ],
)
def test_link_tracking(url: str, clean: str) -> None:
    text = entry(f"[Paper](https://arxiv.org/abs/2412.04467) [Blog]({url})")
    (problem,) = found(text, "link-tracking")
    assert "parameter" in problem[1] and problem[1].endswith("drop it")
    fixed = fix_all(text)
    assert f"[Blog]({clean})" in fixed
    assert lint(fixed) == []


def test_link_tracking_keeps_meaningful_queries() -> None:
    text = entry(
        "[Paper](https://openreview.net/forum?id=abc) [Code](https://github.com/a?tab=repositories)"
        " [Page](https://x.org/?ref=home)"
    )
    assert found(text, "link-tracking") == []


def test_link_tracking_names_what_the_parameter_does() -> None:
    ui = found(entry("[Code](https://github.com/a/b?tab=readme-ov-file)"), "link-tracking")
    assert ui[0][1].startswith("UI-state parameter 'tab=readme-ov-file'")
    tracking = found(entry("[Blog](https://x.org/p?utm_source=tw)"), "link-tracking")
    assert tracking[0][1].startswith("tracking parameter 'utm_source=tw'")


def test_link_tracking_on_arxiv_links_one_defect_one_finding() -> None:
    # issue #18 point 8: the message says "tracking parameter", and arxiv-link (whose form
    # is fine here) does not report the same query as a "non-canonical form".
    text = arxiv_list() + entry("[Paper](https://arxiv.org/abs/2412.04467?utm_source=x)")
    assert found(text, "arxiv-link") == []
    (problem,) = found(text, "link-tracking")
    assert problem[1].startswith("tracking parameter 'utm_source=x'")
    assert lint(fix_all(text)) == []


def test_link_tracking_and_arxiv_form_on_one_link_converge() -> None:
    text = arxiv_list() + entry("[Paper](https://arxiv.org/pdf/2412.04467?utm_source=x)")
    assert sorted(d.rule for d in lint(text)) == ["arxiv-link", "link-tracking"]
    once = fix_all(text)
    assert lint(fix_all(once)) == []
    assert fix_all(once).endswith(entry("[Paper](https://arxiv.org/abs/2412.04467)"))


def test_link_tracking_keeps_a_sponsors_attribution() -> None:
    text = "> **Sponsored by [Atlas](https://x.ai/?utm_source=github&utm_medium=link)**\n"
    assert found(text, "link-tracking") == []


# --------------------------------------------------------------------------- link-label


@pytest.mark.parametrize(
    "link,says",
    [
        ("[Code](https://internvl.github.io/blog/2024-10-10-Mono-InternVL/)", "a blog post"),
        ("[Github](https://sihyun.me.github.io/PVDM/)", "a project page"),
        ("[code](https://dl.acm.org/doi/pdf/10.1145/3643780)", "a paper on dl.acm.org"),
        ("[code](https://x.org/files/paper.pdf)", "a PDF"),
        ("[code](https://dl.acm.org/doi/10.1145/3643780)", "a paper on dl.acm.org"),
        ("[Code](https://arxiv.org/abs/2412.04467)", "a paper on arxiv.org"),
        ("[Code](https://medium.com/@u/post)", "a blog post on medium.com"),
        ("[Code](https://x.org/blog/our-release)", "a blog post"),
        ("[[Code]](https://github.com/a/b/raw/main/paper.pdf)", "a PDF"),
        ("[Paper](https://github.com/a/b)", "a code repository on github.com"),
        ("[PDF](https://gitlab.com/a/b)", "a code repository"),
        ("[Project](https://arxiv.org/pdf/2412.04467)", "a PDF"),
        ("[Page](https://x.org/files/paper.pdf)", "a PDF"),
    ],
)
def test_link_label_contradictions(link: str, says: str) -> None:
    (problem,) = found(entry(link), "link-label")
    assert says in problem[1]


@pytest.mark.parametrize(
    "link",
    [
        "[Code](https://github.com/dvlab-research/VisionZip)",
        "[CODE](https://gitlab.com/a/b)",
        "[Github](https://gitlab.au.dk/maleci/promptmix)",
        "[Code](https://huggingface.co/a/b)",
        "[Code](https://colab.research.google.com/drive/1)",
        "[Code](https://anonymous.4open.science/r/X/README.md)",
        "[implementation](https://code.google.com/archive/p/word2vec/)",
        # Unknown hosts are never reported: a company site, a link shortener, a redirect.
        "[Code](https://deepimagination.cc/eDiffi/)",
        "[GitHub](https://tinyurl.com/abc)",
        "[Paper](https://ai.nejm.org/doi/full/10.1056/AIoa2300138)",
        "[Paper](https://citeseerx.ist.psu.edu/document?doi=1)",
        "[paper](https://psycnet.apa.org/record/1)",
        # A label naming the host: any file there.
        "[Github](https://github.com/zjunlp/K/blob/main/tutorial.pdf)",
        "[[pdf]](https://arxiv.org/pdf/2309.06180.pdf)",
        "[Paper](https://arxiv.org/abs/2412.04467)",
        "[Paper](https://openreview.net/pdf?id=X)",
        "[Paper](https://doi.org/10.1145/1)",
        "[PDF](https://tridao.me/publications/flash2/flash2.pdf)",
        "[Paper](https://github.com/a/b/blob/main/paper.pdf)",
        "[Paper](https://huggingface.co/papers/2412.04467)",
        "[Page](https://llava-vl.github.io/blog/2024-10-03-llava-critic/)",
        "[Project](https://a.github.io/)",
        "[Demo](https://x.org/a.pdf)",
        "[Blog](https://x.org/)",
    ],
)
def test_link_label_consistent(link: str) -> None:
    assert found(entry(link), "link-label") == []


def test_link_label_configurable() -> None:
    text = entry("[Code](https://git.example.org/a/b) [Weights](https://x.org/w)")
    assert found(text, "link-label") == []  # git.* hosts count as code hosts
    text = entry("[Code](https://code.example.org/blog/a) [Weights](https://x.org/w)")
    assert len(found(text, "link-label")) == 1  # a blog path, on a host not known as code
    config = {
        "link-label": {
            "hosts": {"code": ["code.example.org"], "weights": ["huggingface.co"]},
            "labels": {"Weights": "weights"},
        }
    }
    problems = found(text, "link-label", config)
    assert len(problems) == 1 and "[Weights]" in problems[0][1]
    off = {"link-label": {"labels": {"code": "any"}}}
    assert found(text, "link-label", off) == []


# --------------------------------------------------------------------------- link-syntax


@pytest.mark.parametrize(
    "line,message",
    [
        ("[Code]([https://github.com/simonw/llm)", "starts with '['"),
        ("[Paper](https://x.org/a b)", "whitespace in link URL: this link is not rendered"),
        ("[Paper](https://x.org/a_(b)", "unbalanced parentheses"),
        ("[Paper](ttps://arxiv.org/abs/2412.04467)", "link scheme 'ttps:'"),
        ("[Code](github.com/a/b)", "has no scheme"),
        ("[Paper](C:/papers/x.pdf)", "a file on someone's computer"),
        ("[[paper](file:///C:/Users/p/poster.pdf)]", "a file on someone's computer"),
        ("[Paper] (https://arxiv.org/abs/2412.04467)", "space between ']' and '('"),
        ("[[GitHub] \\ (https://github.com/a/b)]", "space between ']' and '('"),
        ("[Pytorch]](https://github.com/a/b)", "unbalanced brackets before '('"),
        ("[[https://github.com/a/b]]", "URL right after '[' is not a link"),
    ],
)
def test_link_syntax_errors(line: str, message: str) -> None:
    diagnostics = [d for d in lint(entry(line)) if d.rule == "link-syntax"]
    assert len(diagnostics) == 1, diagnostics
    assert message in diagnostics[0].message
    assert diagnostics[0].severity == "error"


@pytest.mark.parametrize(
    "text",
    [
        "[Paper](https://x.org/a b)",
        "[Paper] (https://arxiv.org/abs/2412.04467)",
        "[Pytorch]](https://github.com/a/b)",
        "[[https://github.com/a/b]]",
        "[Code]([https://github.com/simonw/llm)",
    ],
)
def test_link_syntax_not_rendered_claims_match_github(text: str) -> None:
    """Every "not rendered" finding is checked against cmark-gfm, GitHub's renderer."""
    from readme_tools.fmt.equivalence import render

    html = render(text + "\n")
    assert "<a " not in html or 'href="%5B' in html or ">https://" in html


def test_link_syntax_excess_table_cell() -> None:
    text = (
        "| # | Name | City |\n|---|---|---|\n"
        "|1|[A](https://a.org)|X|| based on [B](https://b.org)\n"
    )
    (d,) = [d for d in lint(text) if d.rule == "link-syntax"]
    assert d.line == 3 and "cell 5 of a table row whose header has 3 columns" in d.message
    from readme_tools.fmt.equivalence import render

    assert "b.org" not in render(text)  # GitHub drops the cell


@pytest.mark.parametrize(
    "line,idiom",
    [
        ("[Paper]()", "placeholder link [Paper]()"),
        ("[[pdf]]()", "placeholder link [[pdf]]()"),
        ("[[Github]()]", "placeholder link [Github]()"),
        ("[![Publish](https://img.shields.io/badge/Conference-ICML'23-blue)]()", "badge"),
    ],
)
def test_link_syntax_empty_target_is_a_warning_naming_the_idiom(line: str, idiom: str) -> None:
    (d,) = [d for d in lint(entry(line)) if d.rule == "link-syntax"]
    assert d.severity == "warning" and idiom in d.message


def test_link_syntax_empty_target_idiom_of_the_list_or_announced() -> None:
    many = "".join(
        entry(f"[Paper](https://arxiv.org/abs/2401.0000{i}) [github]()") for i in (1, 2, 3)
    )
    assert found(many, "link-syntax") == []  # the list leaves code links empty on purpose
    assert found(entry("[Coming soon]() [Code (TBD)]()"), "link-syntax") == []


def test_link_syntax_bare_urls_render_as_links() -> None:
    text = (
        entry("[Paper](https://arxiv.org/abs/2412.04467) https://github.com/a/b")
        + "* 地址：https://github.com/THUDM/ChatGLM-6B\n"
        + "9. https://github.com/a/b ([blog](https://x.org/b))\n"
        + "- [ ] (https://x.org/todo)\n"
        + "As shown in [1] (https://doi.org/10.1/x).\n"
    )
    assert found(text, "link-syntax") == []


def test_link_syntax_clean_cases() -> None:
    text = (
        "# Papers\n\n## Image LLMs\n\n"
        + entry("[Paper](https://arxiv.org/abs/2412.04467) [Code](https://github.com/a/b)")
        + "\nSee [below](#image-llms), [docs](docs/README.md), [mail](mailto:a@b.org),"
        " [ftp](ftp://x.org/f) and `[code](span with space)`.\n\n"
        '<a id="custom"></a>\n\n[to custom](#custom) [top](#papers) [Upper](#Image-LLMs)\n\n'
        "[spaced](<https://x.org/a b>) works: GitHub encodes the space.\n\n"
        "```\n[broken](a b)\n```\n"
    )
    assert found(text, "link-syntax") == []


def test_in_page_anchors_are_left_to_toc_anchor() -> None:
    # One owner per defect: toc-anchor resolves every in-page link with GitHub's slugs.
    text = "# A B\n\n## Intro: Why?\n\n[x](#intro-why) [y](#a-b) [z](#nowhere) [w](#intro-why-1)\n"
    assert found(text, "link-syntax") == []
    messages = [d.message for d in lint(text, names=("toc-anchor",))]
    assert len(messages) == 2
    assert messages[0].startswith("link fragment #nowhere matches no heading")
    assert messages[1].startswith("link fragment #intro-why-1 matches no heading")


# --------------------------------------------------------------------------- config errors


def test_unknown_option_is_a_one_line_error(tmp_path: Path) -> None:
    config = tmp_path / ".readme-tools.toml"
    config.write_text("[duplicates]\nallow-cross-sections = true\n")
    target = tmp_path / "README.md"
    target.write_text(entry("[Paper](https://arxiv.org/abs/2412.04467)"))
    result = CliRunner().invoke(main, [str(target)])
    assert result.exit_code == 2
    assert "allow-cross-sections" in result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- corpora

CORPUS_FILES = sorted(CORPORA.glob("*__*.md")) if CORPORA.is_dir() else []


@pytest.mark.skipif(not CORPUS_FILES, reason="shared corpora not available")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpora_fixes_converge(path: Path) -> None:
    text = decode(path.read_bytes(), str(path)).text
    fixed = fix_all(text)
    left = [d for d in lint(fixed) if d.rule in ("arxiv-link", "link-tracking") and d.fixable]
    assert left == []


@pytest.mark.skipif(not CORPUS_FILES, reason="shared corpora not available")
def test_corpora_known_defects() -> None:
    def messages(name: str) -> list[tuple[int, str, str]]:
        path = CORPORA / name
        source = decode(path.read_bytes(), str(path))
        _, diagnostics = lint_source(source, _rules(), Config())
        return [(d.line, d.rule, d.message) for d in diagnostics]

    kv = messages("October2001__Awesome-KV-Cache-Compression.md")
    assert any("impossible arXiv id '203.05527'" in m for _, _, m in kv)
    assert not any("www.arxiv.org" in m for _, _, m in kv)  # a working alias: not reported
    assert any("'pdf' arXiv link where the list links 'abs' pages" in m for _, _, m in kv)
    assert any(r == "duplicate-entry" and "titles differ" in m for _, r, m in kv)
    infer = messages("DefTruth__Awesome-LLM-Inference.md")  # a list that links pdf on purpose
    assert any("placeholder link [[pdf]]()" in m for _, _, m in infer)
    assert not any("'pdf' arXiv link" in m for _, _, m in infer)
    assert any("'abs' arXiv link where the list links 'pdf' pages" in m for _, _, m in infer)
    tokens = messages("ZLKong__Awesome-Collection-Token-Reduction.md")  # 48 pdf / 24 abs
    assert not any("'pdf' arXiv link" in m or "'abs' arXiv link" in m for _, _, m in tokens)
    diffusion = messages("hee9joon__Awesome-Diffusion-Models.md")
    assert any("placeholder link [Github]()" in m for _, _, m in diffusion)
    assert any("placeholder link [Paper]()" in m for _, _, m in diffusion)
    assert any(m.startswith("duplicate of the entry") for _, _, m in diffusion)
    # The list cross-lists papers by topic on purpose: no cross-section repeats reported.
    assert not any("cross-section duplicate" in m for _, _, m in diffusion)
