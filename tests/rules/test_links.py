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

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEED = FIXTURES / "mllm-paper-reading.md"
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


@pytest.mark.parametrize(
    "url,reason",
    [
        ("https://arxiv.org/pdf/2412.04467", "'pdf' link"),
        ("https://arxiv.org/pdf/2412.04467.pdf", "'pdf' link"),
        ("https://arxiv.org/html/2412.04467v1", "'html' link"),
        ("https://arxiv.org/abs/2412.04467v3", "version suffix 'v3'"),
        ("http://arxiv.org/abs/2412.04467", "'http://'"),
        ("https://www.arxiv.org/abs/2412.04467", "host 'www.arxiv.org'"),
        ("https://browse.arxiv.org/abs/2412.04467", "host 'browse.arxiv.org'"),
        ("https://export.arxiv.org/abs/2412.04467", "host 'export.arxiv.org'"),
        ("https://arxiv.org/abs/2412.04467.pdf", "'abs/' URL ends in '.pdf'"),
        ("https://arxiv.org/abs/2412.04467/", "non-canonical form"),
    ],
)
def test_arxiv_link_non_canonical(url: str, reason: str) -> None:
    text = entry(f"[Paper]({url})")
    (problem,) = found(text, "arxiv-link")
    assert reason in problem[1]
    fixed = fix_all(text)
    assert fixed == entry("[Paper](https://arxiv.org/abs/2412.04467)")
    assert lint(fixed) == []


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
    assert found(entry("[Paper](https://arxiv.org/abs/2412.04467v2)"), "arxiv-link", config) == []
    text = entry("[Paper](https://arxiv.org/pdf/2412.04467v2.pdf)")
    assert fix_all(text, config) == entry("[Paper](https://arxiv.org/abs/2412.04467v2)")


def test_arxiv_link_ignores_other_arxiv_pages_and_code() -> None:
    text = (
        entry("[Paper](https://arxiv.org/abs/2412.04467)")
        + "\nSee [recent](https://arxiv.org/list/cs.CV/recent).\n\n"
        + "```\n[Paper](https://arxiv.org/pdf/2412.04467v1)\n```\n"
    )
    assert found(text, "arxiv-link") == []


def test_arxiv_link_in_prose_and_tables() -> None:
    text = (
        "# T\n\nRead [this](http://arxiv.org/abs/2412.04467).\n\n"
        "| Date | Paper |\n|---|---|\n| 2024 | [[pdf]](https://arxiv.org/pdf/2309.06180.pdf) |\n"
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
    assert "tracking or UI-state query parameter" in problem[1]
    fixed = fix_all(text)
    assert f"[Blog]({clean})" in fixed
    assert lint(fixed) == []


def test_link_tracking_keeps_meaningful_queries() -> None:
    text = entry(
        "[Paper](https://openreview.net/forum?id=abc) [Code](https://github.com/a?tab=repositories)"
        " [Page](https://x.org/?ref=home)"
    )
    assert found(text, "link-tracking") == []


def test_link_tracking_leaves_arxiv_to_arxiv_link() -> None:
    text = entry("[Paper](https://arxiv.org/abs/2412.04467?utm_source=x)")
    assert found(text, "link-tracking") == []
    assert len(found(text, "arxiv-link")) == 1
    assert lint(fix_all(text)) == []


# --------------------------------------------------------------------------- link-label


@pytest.mark.parametrize(
    "link",
    [
        "[Code](https://internvl.github.io/blog/2024-10-10-Mono-InternVL/)",
        "[code](https://dl.acm.org/doi/pdf/10.1145/3643780)",
        "[Github](https://sihyun.me/PVDM/)",
        "[[Github]](https://github.com/a/b/raw/main/paper.pdf)",
        "[Paper](https://github.com/a/b)",
        "[PDF](https://a.github.io/project/)",
        "[[pdf]](https://medium.com/@u/post)",
        "[Project](https://arxiv.org/pdf/2412.04467)",
        "[Page](https://x.org/files/paper.pdf)",
    ],
)
def test_link_label_contradictions(link: str) -> None:
    assert len(found(entry(link), "link-label")) == 1


@pytest.mark.parametrize(
    "link",
    [
        "[Code](https://github.com/dvlab-research/VisionZip)",
        "[CODE](https://gitlab.com/a/b)",
        "[Github](https://gitlab.au.dk/maleci/promptmix)",
        "[Code](https://huggingface.co/a/b)",
        "[Code](https://colab.research.google.com/drive/1)",
        "[Code](https://anonymous.4open.science/r/X/README.md)",
        "[[pdf]](https://arxiv.org/pdf/2309.06180.pdf)",
        "[Paper](https://arxiv.org/abs/2412.04467)",
        "[Paper](https://openreview.net/pdf?id=X)",
        "[Paper](https://doi.org/10.1145/1)",
        "[PDF](https://tridao.me/publications/flash2/flash2.pdf)",
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
    text = entry("[Code](https://code.example.org/a/b) [Weights](https://x.org/w)")
    assert len(found(text, "link-label")) == 1
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
        ("[Paper]()", "empty link target in [Paper]()"),
        ("[[pdf]]()", "empty link target in [[pdf]]()"),
        ("[[Github]()]", "empty link target in [Github]()"),
        ("[Paper](<https://x.org/a b>)", "whitespace"),
        ("[Code]([https://github.com/simonw/llm)", "unbalanced brackets"),
        ("[Paper](https://x.org/a b)", "whitespace in link URL: this link is not rendered"),
        ("[Paper](https://x.org/a_(b)", "unbalanced parentheses"),
        ("[Paper](ttps://arxiv.org/abs/2412.04467)", "link scheme 'ttps:'"),
        ("[Code](github.com/a/b)", "has no scheme"),
        ("[Paper](C:/papers/x.pdf)", "local file path"),
        ("[Paper](https://arxiv.org/abs/2412.04467) https://github.com/a/b", "bare URL"),
    ],
)
def test_link_syntax_problems(line: str, message: str) -> None:
    problems = found(entry(line), "link-syntax")
    assert len(problems) == 1, problems
    assert message in problems[0][1]


def test_link_syntax_clean_cases() -> None:
    text = (
        "# Papers\n\n## Image LLMs\n\n"
        + entry("[Paper](https://arxiv.org/abs/2412.04467) [Code](https://github.com/a/b)")
        + "\nSee [below](#image-llms), [docs](docs/README.md), [mail](mailto:a@b.org),"
        " [ftp](ftp://x.org/f) and `[code](span with space)`.\n\n"
        '<a id="custom"></a>\n\n[to custom](#custom) [top](#papers) [Upper](#Image-LLMs)\n\n'
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
    assert any("host 'www.arxiv.org'" in m for _, _, m in kv)
    assert any(r == "duplicate-entry" and "titles differ" in m for _, r, m in kv)
    infer = messages("DefTruth__Awesome-LLM-Inference.md")
    assert any("empty link target in [[pdf]]()" in m for _, _, m in infer)
    assert any("host 'browse.arxiv.org'" in m for _, _, m in infer)
    tokens = messages("ZLKong__Awesome-Collection-Token-Reduction.md")
    assert any("'abs/' URL ends in '.pdf'" in m for _, _, m in tokens)
    diffusion = messages("hee9joon__Awesome-Diffusion-Models.md")
    assert any("empty link target in [Github]()" in m for _, _, m in diffusion)
    assert any("empty link target in [Paper]()" in m for _, _, m in diffusion)
    assert any(m.startswith("duplicate of the entry") for _, _, m in diffusion)
    # The list cross-lists papers by topic on purpose: no cross-section repeats reported.
    assert not any("cross-section duplicate" in m for _, _, m in diffusion)
