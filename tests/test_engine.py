from __future__ import annotations

import readme_tools
from readme_tools import registry

# Unnamed entries have a short name in their title, so bold-name asks for it.
ENTRY = "- [x] {name}LumenVL: A title. CVPR2025 [Paper](https://arxiv.org/abs/2401.0000{n})\n"


def _list(names: list[str]) -> str:
    return "".join(ENTRY.format(name=name, n=i + 1) for i, name in enumerate(names))


def test_every_rule_has_name_code_doc_and_examples() -> None:
    reg = registry.load()
    assert len({r.code for r in reg.rules}) == len(reg.rules)
    for rule in reg.rules:
        assert rule.name == rule.name.lower() and " " not in rule.name
        assert rule.summary and "**What**" in rule.doc and "**Why**" in rule.doc
        assert "Bad" in rule.doc and "Good" in rule.doc, rule.name


def test_disable_next_line_and_disable_enable_blocks() -> None:
    text = (
        _list([f"**{c}**: " for c in "ABCDEF"])
        + "<!-- readme-lint disable-next-line bold-name -->\n"
        + _list(["", ""]).replace("00001", "00011").replace("00002", "00012")
        + "<!-- readme-lint disable E102 -->\n"
        + ENTRY.format(name="", n=7)
        + "<!-- readme-lint enable bold-name -->\n"
        + ENTRY.format(name="", n=8)
    )
    found = readme_tools.lint_text(text, path="t.md", fixes=True, select=("bold-name",))
    lines = [d.line for d in found]
    # line 8 is right after the disable-next-line comment; line 11 inside disable…enable
    assert lines == [9, 13]


def test_select_and_ignore_accept_codes() -> None:
    text = _list(["**A**: ", "**B**: ", "**C**: ", ""]) + "trailing  \n\n"
    found = readme_tools.lint_text(text, path="t.md", fixes=True, select=("E102", "whitespace"))
    assert {d.rule for d in found} == {"bold-name", "whitespace"}


def test_config_severity_override() -> None:
    text = _list(["**A**: ", "**B**: ", "**C**: ", ""])
    found = readme_tools.lint_text(
        text,
        path="t.md",
        fixes=True,
        select=("bold-name",),
        config={"severity": {"bold-name": "error"}},
    )
    assert [d.severity for d in found] == ["error"]
