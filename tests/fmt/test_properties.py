"""Property: format(format(x)) == format(x), and the safety invariants hold, on generated lists."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readme_tools import registry
from readme_tools.config import Config
from readme_tools.engine import Selection, active_rules, lint_source
from readme_tools.model import Document
from readme_tools.parse import parse
from readme_tools.source import decode

from .helpers import fmt

WORD = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éü中文模型"
    ),
    min_size=1,
    max_size=8,
)
SPACE = st.sampled_from([" ", "  ", "   "])
VENUE = st.sampled_from(
    ["CVPR2025", "CVPR 2024", "NeurIPS2023", "Neurips 2024", "ICLR2025", "arXiv"]
)
LABELS = st.sampled_from(["Paper", "Code", "Page", "paper", "code"])


@st.composite
def entry(draw: st.DrawFn) -> str:
    box = draw(st.sampled_from(["[x] ", "[ ] ", "[X] ", "", "[x]\u00a0"]))
    name = draw(WORD)
    title = " ".join(draw(st.lists(WORD, min_size=1, max_size=5))) + draw(st.sampled_from(".?!"))
    links = draw(st.lists(st.tuples(LABELS, st.integers(0, 9999)), min_size=1, max_size=3))
    sp = draw(SPACE)
    tail = sp.join(f"[{label}](https://arxiv.org/abs/2401.{n:05d})" for label, n in links)
    head = f"- {box}**{name}**:{sp}{title}{sp}{draw(VENUE)}{sp}{tail}{draw(st.sampled_from(['', ' ', '  ']))}"
    summary = draw(st.lists(st.lists(WORD, min_size=1, max_size=6), max_size=2))
    blank = draw(st.sampled_from(["", "  ", "   "]))
    parts = [head]
    for para in summary:
        lines = [" ".join(para)]
        if len(para) > 2 and draw(st.booleans()):
            lines = [
                " ".join(para[:2]) + draw(st.sampled_from(["  ", "\\", ""])),
                " ".join(para[2:]),
            ]
        parts.append(blank)
        parts.extend("  " + line for line in lines)
    return "\n".join(parts)


@st.composite
def paper_list(draw: st.DrawFn) -> str:
    title = draw(WORD)
    sections = draw(
        st.lists(st.tuples(WORD, st.lists(entry(), min_size=1, max_size=4)), min_size=1, max_size=3)
    )
    intro = ["", "Intro text.", "Intro  \ntext.", "A *b* _c_ 📖 [[Paper](https://x.io/é)] \\*"]
    out = [f"# {title}", draw(st.sampled_from(intro))]
    if draw(st.booleans()):
        out.append("## Table of Contents")
        out.append(f"- [{title}](#{title.lower()})")
        out.extend(f"  - [{name}](#{name.lower()})" for name, _ in sections)
        out.append("")
    for name, entries in sections:
        out.append(f"## {draw(st.sampled_from(['', '📖 ']))}{name}")
        out.append(draw(st.sampled_from(["", "  "])))
        sep = draw(st.sampled_from(["\n", "\n\n", "\n  \n", "\n\n\n"]))
        out.append(sep.join(entries))
        out.append("")
    text = "\n".join(out)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paper_list())
def test_format_is_idempotent_and_safe(text: str) -> None:
    raw = text.encode("utf-8")
    first = fmt(raw)  # FormatError (a failed invariant) fails the test
    second = fmt(first.data)
    assert not second.changed
    assert second.data == first.data
    before = parse(decode(raw, "a.md"))
    after = parse(decode(first.data, "b.md"))
    assert len(before.entries) == len(after.entries)

    # External targets are kept (in-page anchors are the TOC regeneration's to rewrite);
    # mdformat percent-encodes the destinations it re-renders ("é" → "%C3%A9").
    def external(doc: Document) -> set[str]:
        return {unquote(lk.url) for lk in doc.links if not lk.url.startswith("#")}

    assert external(before) == external(after)
    # The file's line-ending style is kept.
    assert (b"\r\n" in first.data) == (b"\r\n" in raw)
    # readme-lint and readme-fmt agree on what is fixable (#25.5): the formatter changes the
    # file exactly when the linter reports a finding with a fix.
    assert first.changed == _has_fixable_finding(raw)


def _has_fixable_finding(raw: bytes) -> bool:
    config = Config()
    rules = active_rules(registry.load(), config, Selection())
    _, diagnostics = lint_source(decode(raw, "a.md"), rules, config)
    return any(d.fixable for d in diagnostics)
