"""The rule contract, checked over the whole registry (built-in families and plugins)."""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from readme_tools import registry
from readme_tools.diagnostics import SEVERITIES, Problem
from readme_tools.registry import Rule

from ..data import FIXTURES

RULES = registry.load().rules
NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
CODE_RE = re.compile(r"[A-Z][1-9]\d\d")
GOLDEN = FIXTURES / "golden"
_BAD = r"^Bad(?: \([^\n]*\))?:$"
_GOOD = r"^Good(?: \([^\n]*\))?:$"


def _find(doc: str, pattern: str) -> int:
    match = re.search(pattern, doc, re.MULTILINE)
    return match.start() if match else -1


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_keeps_the_contract(rule: Rule) -> None:
    assert NAME_RE.fullmatch(rule.name), "a kebab-case name"
    assert CODE_RE.fullmatch(rule.code), "a code like E101"
    assert rule.severity in SEVERITIES
    assert rule.summary.strip() and "\n" not in rule.summary.strip(), "a one-line summary"
    assert rule.family, "the registry sets the family"
    # What, Why, then a bad and a good example ("Bad:" or "Bad (a remark):" on its own line).
    where = [_find(rule.doc, part) for part in (r"\*\*What\*\*", r"\*\*Why\*\*", _BAD, _GOOD)]
    assert all(w >= 0 for w in where), f"What/Why/Bad/Good at {where}"
    assert where == sorted(where), "in the order What, Why, Bad, Good"
    example = rule.doc[where[2] :].split("\n\n", 2)
    assert len(example) > 1 and example[1].startswith("    "), "an indented example after Bad"


@pytest.mark.parametrize("rule", [r for r in RULES if r.fixable], ids=lambda r: r.name)
def test_a_fixable_rule_has_a_fix_test(rule: Rule) -> None:
    # A golden case whose fixes are applied (tests/test_golden.py checks the result).
    assert not rule.online, "online rules report only"
    if rule.family == "metadata":  # fixed from a lock file: tests/metadata/test_fixture_list.py
        return
    assert list((GOLDEN / rule.name).glob("*.fixed.md")), f"golden/{rule.name}/*.fixed.md"


def test_names_and_codes_are_unique_and_a_family_shares_its_letter() -> None:
    keys = [r.name for r in RULES] + [r.code for r in RULES]
    assert len(keys) == len(set(keys))
    letters: dict[str, set[str]] = {}
    for rule in RULES:
        letters.setdefault(rule.family, set()).add(rule.code[0])
    assert all(len(found) == 1 for found in letters.values()), letters


def _plugin_check(doc: Any, ctx: Any) -> Iterator[Problem]:
    yield Problem(0, 0, "plugin finding")


def test_a_plugin_module_registers_through_its_entry_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plugin = types.ModuleType("acme_rules")
    doc = "**What** — x.\n\n**Why** — y.\n\nBad:\n\n    a\n\nGood:\n\n    b\n"
    plugin.RULES = (
        Rule("acme-rule", "X901", "warning", False, "A plugin rule.", doc, _plugin_check),
    )  # type: ignore[attr-defined]

    class EntryPoint:
        def load(self) -> types.ModuleType:
            return plugin

    def entry_points(group: str) -> list[EntryPoint]:
        return [EntryPoint()] if group == "readme_tools.rules" else []

    monkeypatch.setattr(registry, "entry_points", entry_points)
    monkeypatch.setattr(registry, "declares_plugins", lambda: True)
    registry.load.cache_clear()
    try:
        loaded = registry.load()
        rule = loaded.get("acme-rule")
        assert rule is not None and rule.family == "acme_rules" and loaded.get("X901") is rule
        assert len(loaded.rules) == len(RULES) + 1
        test_rule_keeps_the_contract(rule)
    finally:
        registry.load.cache_clear()


PLUGIN_MODULE = """\
from readme_tools.diagnostics import Problem
from readme_tools.registry import Rule

DOC = "**What** — x.\\n\\n**Why** — y.\\n\\nBad:\\n\\n    a\\n\\nGood:\\n\\n    b\\n"


def check(doc, ctx):
    yield Problem(0, 0, "plugin finding")


RULES = (Rule("zeta-rule", "Z901", "warning", False, "An installed plugin rule.", DOC, check),)
"""


def _install_plugin(site: Path, group: str = registry.GROUP) -> None:
    """A distribution as pip installs it: the module and a dist-info with its entry point."""
    (site / "zeta_rules.py").write_text(PLUGIN_MODULE, encoding="utf-8")
    info = site / "zeta_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: zeta-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{group}]\nzeta = zeta_rules\n", encoding="utf-8")


def test_an_installed_plugin_is_found_through_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_plugin(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "zeta_rules", raising=False)
    assert registry.declares_plugins()
    registry.load.cache_clear()
    try:
        loaded = registry.load()
        rule = loaded.get("Z901")
        assert rule is not None and rule.name == "zeta-rule" and rule.family == "zeta_rules"
        assert len(loaded.rules) == len(RULES) + 1
        test_rule_keeps_the_contract(rule)
    finally:
        registry.load.cache_clear()


def test_only_a_declared_entry_point_makes_the_registry_ask_importlib_metadata(
    tmp_path: Path,
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    _install_plugin(other, group="console_scripts")  # entry points, none for readme-tools
    assert not registry.declares_plugins([str(other), str(tmp_path / "missing")])
    ours = tmp_path / "ours"
    ours.mkdir()
    _install_plugin(ours)
    assert registry.declares_plugins([str(other), str(ours)])
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))  # an (empty) zip on the path: ask
    assert registry.declares_plugins([str(archive)])
