"""The first user's list as it stands (ShiDaizi/MLLM-Paper-Reading at fb2ae9c, committed in
tests/corpus): the link, arXiv, TOC and hygiene rules report its true warnings and no error."""

from __future__ import annotations

from pathlib import Path

from readme_tools import registry
from readme_tools.config import Config
from readme_tools.engine import lint_source
from readme_tools.source import decode

LIST = Path(__file__).resolve().parents[1] / "corpus" / "ShiDaizi__MLLM-Paper-Reading.md"
RULES = (
    "arxiv-link",
    "link-syntax",
    "link-label",
    "link-tracking",
    "whitespace",
    "encoding",
    "toc-anchor",
    "toc-missing",
)


def test_first_users_list_keeps_its_true_warnings_and_has_no_error() -> None:
    rules = [r for r in registry.load().rules if r.name in RULES]
    _, found = lint_source(decode(LIST.read_bytes(), str(LIST)), rules, Config())
    assert [d for d in found if d.severity == "error"] == []
    by_rule: dict[str, list[int]] = {}
    for d in found:
        by_rule.setdefault(d.rule, []).append(d.line)
    assert by_rule["arxiv-link"] == [41, 73, 101, 147, 161, 173, 175]  # versions, one pdf
    assert by_rule["link-tracking"] == [101, 147]  # ?tab=readme-ov-file
    assert by_rule["link-label"] == [53]  # [Code] to the InternVL blog
    assert by_rule["toc-missing"] == [7, 8, 10]  # stale TOC texts
    messages = {(d.line, d.rule): d.message for d in found}
    assert "version suffix 'v1'" in messages[(41, "arxiv-link")]
    assert "'tab=readme-ov-file'" in messages[(101, "link-tracking")]
    assert "a blog post" in messages[(53, "link-label")]
    assert (
        "'Hf Daily Paper' does not match its heading 'HuggingFace Daily Paper'"
        in messages[(7, "toc-missing")]
    )
    assert set(by_rule) <= {
        "arxiv-link",
        "link-tracking",
        "link-label",
        "toc-missing",
        "whitespace",
    }
