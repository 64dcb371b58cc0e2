"""Golden files: inputs beside the findings and the output they must give.

``tests/fixtures/golden/<rule>/<case>.md`` is linted with that rule alone (and the config in
``<case>.config.json``, if any); its findings must be exactly ``<case>.findings`` (one line
each: ``line:col-end_line:end_col CODE rule severity[ fixable]: message``) and, when the rule
is fixable and a finding has a fix, applying the fixes must give ``<case>.fixed.md``.
``tests/fixtures/golden/format/<case>.md`` must format (``readme-fmt --fix``) to
``<case>.formatted.md``, or be refused with the message in ``<case>.refused``.

After a deliberate change of findings or output::

    python -m pytest tests/test_golden.py --update-golden

rewrites the expected files; review them with ``git diff`` before committing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import readme_tools
from readme_tools import registry
from readme_tools.diagnostics import Diagnostic, apply_edits

from .data import FIXTURES

GOLDEN = FIXTURES / "golden"
_EXPECTED = (".fixed.md", ".formatted.md")


def _inputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.md") if not p.name.endswith(_EXPECTED))


def rule_cases() -> list[Any]:
    return [
        pytest.param(case, id=f"{folder.name}/{case.stem}")
        for folder in sorted(GOLDEN.iterdir())
        if folder.is_dir() and folder.name != "format"
        for case in _inputs(folder)
    ]


def format_cases() -> list[Any]:
    return [pytest.param(case, id=case.stem) for case in _inputs(GOLDEN / "format")]


def describe(diagnostic: Diagnostic) -> str:
    d = diagnostic
    fixable = " fixable" if d.fixable else ""
    where = f"{d.line}:{d.column}-{d.end_line}:{d.end_column}"
    return f"{where} {d.code} {d.rule} {d.severity}{fixable}: {d.message}\n"


def _config(case: Path) -> dict[str, Any] | None:
    path = case.with_suffix(".config.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _check(path: Path, actual: str, update: bool) -> None:
    """``actual`` must be ``path``'s content; with --update-golden, it becomes it."""
    if update:
        if actual:
            path.write_bytes(actual.encode("utf-8"))
        else:
            path.unlink(missing_ok=True)
        return
    expected = path.read_bytes().decode("utf-8") if path.exists() else ""
    where = path.relative_to(GOLDEN) if path.is_relative_to(GOLDEN) else path
    assert actual == expected, f"{where} differs (--update-golden rewrites it)"


@pytest.mark.parametrize("case", rule_cases())
def test_rule_findings(case: Path, update_golden: bool) -> None:
    rule = case.parent.name
    assert registry.load().get(rule) is not None, f"golden folder {rule!r} names no rule"
    raw = case.read_bytes()
    found = readme_tools.lint_text(
        raw, path=f"{rule}/{case.name}", select=[rule], config=_config(case), fixes=True
    )
    _check(case.with_suffix(".findings"), "".join(describe(d) for d in found), update_golden)
    edits = [edit for d in found if d.fix is not None for edit in d.fix.edits]
    fixed = apply_edits(readme_tools.parse_text(raw).source.text, edits) if edits else ""
    _check(case.with_name(case.stem + ".fixed.md"), fixed, update_golden)


@pytest.mark.parametrize("case", format_cases())
def test_formatter_output(case: Path, update_golden: bool) -> None:
    raw = case.read_bytes()
    try:
        formatted, refused = readme_tools.format_text(raw, path=case.name, config=_config(case)), ""
    except readme_tools.FormatRefused as exc:
        formatted, refused = "", f"{exc}\n"
    _check(case.with_name(case.stem + ".formatted.md"), formatted, update_golden)
    _check(case.with_suffix(".refused"), refused, update_golden)


def test_every_offline_rule_has_a_golden_case() -> None:
    folders = {p.name for p in GOLDEN.iterdir() if p.is_dir() and _inputs(p)}
    # The metadata rules read a lock file written by `readme-tools sync`: their exact cases
    # are tests/metadata/test_fixture_list.py (a list and its lock, against fake APIs).
    offline = {r.name for r in registry.load().rules if not r.online and r.family != "metadata"}
    assert offline - folders == set()


def test_a_golden_mismatch_fails(tmp_path: Path) -> None:
    (tmp_path / "x.findings").write_text("1:1-1:2 E101 entry-format error: old\n", "utf-8")
    with pytest.raises(AssertionError, match="differs"):
        _check(tmp_path / "x.findings", "", update=False)
