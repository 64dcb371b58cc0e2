"""The mojibake stage of readme-fmt, against stand-ins for ``readme_tools.mojibake.repair``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

import readme_tools.mojibake
from readme_tools import registry
from readme_tools.cli.fmt import main
from readme_tools.diagnostics import Edit, apply_edits
from readme_tools.registry import Registry

from .helpers import fmt

BROKEN = "# ğŸ“– Papers\n\n- [x] **A**: T. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)\n\n  among â‰¤4B models\n"


@dataclass(frozen=True)
class CharRepair:
    line: int
    column: int
    offset: int
    chosen: str
    alternatives: tuple[str, ...]
    margin: float
    confident: bool
    applied: bool


@dataclass(frozen=True)
class Result:
    text: str
    edits: tuple[Edit, ...] = ()
    repairs: tuple[CharRepair, ...] = ()
    message: str | None = None


@dataclass
class FakeModule:
    calls: list[bool] = field(default_factory=list)

    def repair(
        self, text: str, *, apply_uncertain: bool = False, decisions: tuple[object, ...] = ()
    ) -> Result:
        self.calls.append(apply_uncertain)
        pairs = [("ğŸ“–", "📖")] + ([("â‰¤", "≤")] if apply_uncertain else [])
        edits = tuple(
            Edit(text.index(bad), text.index(bad) + len(bad), good)
            for bad, good in pairs
            if bad in text
        )
        sure = CharRepair(1, 3, 2, "📖", (), 9.0, True, True)
        unsure = CharRepair(5, 9, 0, "≤", ("≥", "≈"), 0.2, False, apply_uncertain)
        return Result(apply_edits(text, edits), edits=edits, repairs=(sure, unsure))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeModule:
    """``repair`` replaced by the stand-in; the real mojibake rules (if any) taken out of the
    registry, as they would flag what the stand-in leaves unrepaired."""
    module = FakeModule()
    monkeypatch.setattr(readme_tools.mojibake, "repair", module.repair, raising=False)
    base = registry.load()
    reduced = Registry(
        rules=tuple(r for r in base.rules if r.family != "mojibake"), options=base.options
    )
    monkeypatch.setattr(registry, "load", lambda: reduced)
    return module


def test_confident_repairs_are_applied_uncertain_listed(fake: FakeModule) -> None:
    result = fmt(BROKEN)
    assert "# 📖 Papers" in result.text
    assert "â‰¤4B" in result.text  # uncertain: listed, not applied
    assert [r.chosen for r in result.uncertain] == ["≤"]
    assert fake.calls == [False, False]  # a second round finds nothing more: done


class SecondRound(FakeModule):
    """Confident about the '≤' only once the heading is repaired (its context)."""

    def repair(
        self, text: str, *, apply_uncertain: bool = False, decisions: tuple[object, ...] = ()
    ) -> Result:
        self.calls.append(apply_uncertain)
        bad = "ğŸ“–" if "ğŸ“–" in text else "â‰¤"
        start = text.find(bad)
        if start < 0:
            return Result(text)
        good = "📖" if bad == "ğŸ“–" else "≤"
        edits = (Edit(start, start + len(bad), good),)
        done = CharRepair(1, 3, start, good, (), 9.0, True, True)
        repairs = [done]
        if bad == "ğŸ“–":
            at = text.index("â‰¤")
            repairs.append(CharRepair(5, 9, at, "≤", ("≥",), 0.2, False, False))
        return Result(apply_edits(text, edits), edits=edits, repairs=tuple(repairs))


def test_repair_runs_again_until_nothing_changes(
    fake: FakeModule, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = SecondRound()
    monkeypatch.setattr(readme_tools.mojibake, "repair", second.repair, raising=False)
    result = fmt(BROKEN)
    assert "# 📖 Papers" in result.text and "≤4B" in result.text
    assert result.uncertain == ()  # the second round applied it: no longer uncertain
    assert second.calls == [False, False]


def test_apply_uncertain(fake: FakeModule) -> None:
    result = fmt(BROKEN, apply_uncertain=True)
    assert "≤4B" in result.text and "â‰¤" not in result.text
    # The repaired text is the safety baseline: the changed words are not reported as lost.
    assert result.changed


def test_cli_lists_uncertain_repairs_and_writes_the_review(
    fake: FakeModule, tmp_path: Path
) -> None:
    path = tmp_path / "README.md"
    path.write_text(BROKEN, encoding="utf-8")
    review = tmp_path / "review.json"
    result = CliRunner().invoke(main, ["--fix", "--review", str(review), str(path)])
    assert result.exit_code == 1
    assert "1 uncertain mojibake repair(s), not applied" in result.stderr
    assert f"  {path}:5:9: '≤' (or '≥', '≈')" in result.stderr
    rows = json.loads(review.read_text(encoding="utf-8"))
    assert rows == [
        {
            "path": str(path),
            "line": 5,
            "column": 9,
            "original": None,
            "chosen": "≤",
            "context": "",
            "alternatives": [{"char": "≥", "score": None}, {"char": "≈", "score": None}],
            "margin": 0.2,
            "applied": False,
        }
    ]
    assert "# 📖 Papers" in path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_corrupted_chinese_list_is_repaired_to_a_fixed_point() -> None:
    """Regression: repaired neighbours made a second repair confident about more characters,
    so the convergence check refused to write (exit 2) on corrupted zh-summaries.md."""
    pytest.importorskip("wordfreq")
    from readme_tools.mojibake.codec import corrupt

    fixtures = Path(__file__).parents[1] / "fixtures" / "mojibake"
    bad, _ = corrupt((fixtures / "zh-summaries.md").read_text(encoding="utf-8"))
    result = fmt(bad)  # raises FormatError if the fixes do not converge
    assert result.changed and result.uncertain
    assert all(not r.applied for r in result.uncertain)
