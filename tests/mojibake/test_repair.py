"""repair(): the public repair API on the seed and on synthetic damage."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from readme_tools.mojibake import Decision, RepairResult, ReviewError, find_mojibake, repair
from readme_tools.mojibake.detect import analyze
from readme_tools.mojibake.recover import build_slots

from .helpers import MOJIBAKE, SEED, SEED_LOSSLESS, SEED_RECOVERABLE, corrupt, read, requires_cjk

# The module; the package exports its function under the same name.
repair_module = importlib.import_module("readme_tools.mojibake.repair")


def _apply(text: str, edits: tuple[object, ...]) -> str:
    out = text
    for edit in reversed(edits):
        out = out[: edit.start] + edit.replacement + out[edit.end :]  # type: ignore[attr-defined]
    return out


@requires_cjk
def test_seed_full_repair(seed_text: str, seed_full_repair: RepairResult) -> None:
    text = seed_text
    result = seed_full_repair  # its time is measured by bench/mojibake_eval.py
    lines = result.text.split("\n")
    assert lines[3] == "## 📖 Table of Contents"
    assert lines[5] == "  - [📖 Table of Contents](#-table-of-contents)"
    assert "(topping OpenCompass among ≤4B models" in lines[24]
    assert "\ufffd" not in result.text
    assert result.remaining == ()
    assert find_mojibake(result.text) == []
    assert len(result.repairs) == 928
    assert all(r.applied for r in result.repairs)
    assert _apply(text, result.edits) == result.text
    # Lines without damage are untouched.
    damaged = {*SEED_LOSSLESS, *SEED_RECOVERABLE}
    old = text.split("\n")
    assert all(old[i] == lines[i] for i in range(len(old)) if i + 1 not in damaged)


@requires_cjk
def test_seed_default_repair_applies_confident_repairs_only(seed_repair: RepairResult) -> None:
    result = seed_repair
    uncertain = [r for r in result.repairs if not r.confident]
    assert uncertain, "the seed has uncertain repairs"
    assert all(r.applied == r.confident for r in result.repairs)
    assert sum(r.confident for r in result.repairs) > 0.7 * len(result.repairs)
    # Every line that still holds an unapplied repair is still reported ...
    assert {s.line for s in result.remaining} == {r.line for r in uncertain}
    # ... and the lossless lines are fixed.
    lines = result.text.split("\n")
    assert lines[3] == "## 📖 Table of Contents"
    # A second default repair finds nothing new to apply (readme-fmt checks convergence) ...
    assert not any(r.applied for r in repair(result.text).repairs)
    # ... and running repair again continues from there without undoing anything.
    again = repair(result.text, apply_uncertain=True)
    assert again.remaining == ()
    assert again.text.split("\n")[3] == "## 📖 Table of Contents"


@pytest.mark.slow
@requires_cjk
def test_repairs_never_alter_undamaged_characters(
    seed_text: str, seed_full_repair: RepairResult
) -> None:
    text = seed_text
    result = seed_full_repair
    for report in analyze(text):
        if report.kind != "recoverable":
            continue
        for slot in build_slots(report):
            if slot.damaged:
                continue
            # Every fixed slot (ASCII, genuine text, complete sequence) maps
            # to exactly its decoding in the repaired text.
            assert slot.options[0] in result.text
    # Stronger: on synthetic damage every undamaged character comes back.
    original = read(MOJIBAKE / "zh-summaries.md")
    bad, origin = corrupt(original)
    fixed = repair(bad, apply_uncertain=True)
    wrong = {r.offset for r in fixed.repairs if r.chosen != origin[r.offset]}
    assert len(fixed.text) == len(original)
    mismatches = [i for i, (a, b) in enumerate(zip(fixed.text, original, strict=True)) if a != b]
    assert len(mismatches) == len(wrong)  # only wrongly chosen lost-byte characters differ


def test_lossless_only_without_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repair_module, "cjk_model_available", lambda: False)
    text = read(SEED)
    result = repair(text)
    assert result.model_missing
    assert result.message is not None and "(the cjk extra)" in result.message
    lines = result.text.split("\n")
    assert lines[3] == "## 📖 Table of Contents"
    old = text.split("\n")
    assert all(lines[n - 1] == old[n - 1] for n in SEED_RECOVERABLE)
    assert result.repairs == ()


def test_model_is_not_loaded_without_damaged_chinese() -> None:
    code = (
        "import sys\n"
        "from readme_tools.mojibake import repair\n"
        "r = repair('# T\\n\\nSmall (â‰¤4B) models.\\nMore â€” text.\\n')\n"
        "assert r.text == '# T\\n\\nSmall (≤4B) models.\\nMore — text.\\n', r.text\n"
        "assert 'wordfreq' not in sys.modules and 'jieba' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_clean_text_is_returned_unchanged() -> None:
    text = read(MOJIBAKE / "genuine-mixed.md")
    result = repair(text)
    assert result.text == text and result.edits == () and result.repairs == ()


@pytest.mark.parametrize(("name", "floor"), [("genuine-ru.md", 0.93), ("genuine-el.md", 0.95)])
def test_alphabetic_recovery(name: str, floor: float) -> None:
    original = read(MOJIBAKE / name)
    bad, origin = corrupt(original)
    result = repair(bad, apply_uncertain=True)
    assert result.repairs
    correct = sum(r.chosen == origin[r.offset] for r in result.repairs)
    assert correct / len(result.repairs) >= floor
    assert len(result.text) == len(original)


@pytest.mark.slow
@requires_cjk
def test_synthetic_ground_truth_accuracy() -> None:
    """Regression floor on corrupted zh-summaries.md (see bench/mojibake_eval.py)."""
    bad, origin = corrupt(read(MOJIBAKE / "zh-summaries.md"))
    result = repair(bad, apply_uncertain=True)
    total = len(result.repairs)
    assert total == 2762
    correct = sum(r.chosen == origin[r.offset] for r in result.repairs)
    confident = [r for r in result.repairs if r.confident]
    confident_ok = sum(r.chosen == origin[r.offset] for r in confident)
    assert correct / total >= 0.96
    assert len(confident) / total >= 0.73
    assert confident_ok / len(confident) >= 0.998


@requires_cjk
def test_char_repair_fields(seed_text: str, seed_repair: RepairResult) -> None:
    text = seed_text
    result = seed_repair
    lines = text.split("\n")
    assert len(result.repairs) >= 50
    assert any(len(rep.alternatives) > 1 for rep in result.repairs[:50])
    for rep in result.repairs[:50]:
        line = lines[rep.line - 1]
        assert line[rep.column - 1 :].startswith(rep.original)
        assert text[rep.offset : rep.offset + len(rep.original)] == rep.original
        assert rep.alternatives[0].char == rep.chosen and rep.alternatives[0].score == 0
        assert all(a.score <= 0 for a in rep.alternatives)
        if len(rep.alternatives) > 1:
            # The gap to the runner-up, or less where a second opinion capped it.
            assert 0 <= rep.margin <= -rep.alternatives[1].score + 1e-3


@pytest.fixture(scope="module")
def small_damage() -> str:
    """The first summaries of zh-summaries.md, damaged like the seed."""
    text = "\n".join(read(MOJIBAKE / "zh-summaries.md").split("\n")[:24])
    return corrupt(text)[0]


@requires_cjk
def test_context_shows_the_repaired_neighbourhood(small_damage: str) -> None:
    full = repair(small_damage, apply_uncertain=True).text
    result = repair(small_damage)
    assert any(not r.confident for r in result.repairs)
    for rep in result.repairs:
        left, mark, right = rep.context.partition(f"[{rep.chosen}]")
        assert mark and len(left) <= repair_module.CONTEXT_CHARS >= len(right)
        # Every character around it is shown as the model repairs it (no mojibake left).
        assert left + rep.chosen + right in full


@requires_cjk
def test_decisions_replace_the_model_choice(small_damage: str) -> None:
    plain = repair(small_damage, apply_uncertain=True)
    target = next(r for r in plain.repairs if not r.confident and len(r.alternatives) > 1)
    other = target.alternatives[1].char
    decision = Decision(target.line, target.column, target.original, other)
    result = repair(small_damage, apply_uncertain=True, decisions=[decision])
    rep = next(r for r in result.repairs if r.offset == target.offset)
    assert (rep.chosen, rep.applied, rep.reviewed) == (other, True, True)
    assert sum(r.reviewed for r in result.repairs) == 1
    # The text differs from the model's in that one character only.
    diff = [(a, b) for a, b in zip(plain.text, result.text, strict=True) if a != b]
    assert diff == [(target.chosen, other)]
    # Without --apply-uncertain, a reviewed repair is applied and the other uncertain ones not.
    default = repair(small_damage, decisions=[decision])
    assert [r.offset for r in default.repairs if r.applied and not r.confident] == [target.offset]


@requires_cjk
def test_decisions_that_do_not_fit_are_refused(small_damage: str) -> None:
    target = next(r for r in repair(small_damage).repairs if not r.confident)
    where = (target.line, target.column)
    with pytest.raises(ReviewError, match="the file has"):
        repair(small_damage, decisions=[Decision(*where, "xx", target.chosen)])
    with pytest.raises(ReviewError, match="cannot be what"):
        repair(small_damage, decisions=[Decision(*where, target.original, "A")])
    with pytest.raises(ReviewError, match="matches no damaged character"):
        repair(small_damage, decisions=[Decision(1, 1, target.original, target.chosen)])
