"""Choosing lost bytes: slots, cues, document context and confidence."""

from __future__ import annotations

import itertools

import pytest

from readme_tools.mojibake.choice import CONFIDENCE_MARGIN
from readme_tools.mojibake.detect import analyze
from readme_tools.mojibake.models.words import load_han_model
from readme_tools.mojibake.recover import build_slots, recover

from .helpers import MOJIBAKE, SEED, corrupt, read, requires_cjk


def test_build_slots_covers_the_line() -> None:
    text = read(SEED)
    report = next(r for r in analyze(text) if r.index + 1 == 37)
    slots = build_slots(report)
    assert slots[0].start == 0 and slots[-1].end == len(report.text)
    assert all(a.end == b.start for a, b in itertools.pairwise(slots))
    assert sum(s.damaged for s in slots) == 49
    assert "".join(s.options[0] for s in slots if not s.damaged).startswith("  Mono-InternVL是一")


@requires_cjk
def test_choices_and_confidence() -> None:
    reports = analyze(read(SEED))
    choices = recover(reports, han_model=load_han_model())
    assert len(choices) == 928
    for choice in choices:
        assert choice.ranked[0][1] == 0.0
        assert choice.confident == (choice.margin >= CONFIDENCE_MARGIN[choice.family])
    by_place = {(c.line_index + 1, c.original, c.chosen) for c in choices if c.confident}
    assert (37, "ã€", "、") in by_place and (37, "äº", "于") in by_place


@pytest.mark.slow
@requires_cjk
def test_document_context_helps_or_keeps_accuracy() -> None:
    bad, origin = corrupt(read(MOJIBAKE / "zh-summaries.md"))
    reports = analyze(bad)
    model = load_han_model()
    with_ctx = recover(reports, han_model=model, document_context=True)
    without = recover(reports, han_model=model, document_context=False)
    starts = {r.index: r.start for r in reports}

    def correct(choices: list) -> int:  # type: ignore[type-arg]
        return sum(c.chosen == origin[starts[c.line_index] + c.start] for c in choices)

    assert correct(with_ctx) >= correct(without)
    assert sum(c.confident for c in with_ctx) > sum(c.confident for c in without)


def test_nbsp_ambiguity_is_never_confident() -> None:
    # "Ã s" may be "à s" (no-break space turned into a space) or a dropped byte.
    text = "com especial atenÃ§Ã£o Ã s crianÃ§as e Ã s famÃ­lias"
    choices = recover(analyze(text), han_model=None)
    assert choices and not any(c.confident for c in choices)


def test_bracket_balance_cue_is_linear_on_long_lines() -> None:
    # Found by fuzzing: the balance cue joined the line's text before (after) every damaged
    # slot, quadratic: a 640 kB damaged line spent most of a minute there.
    from readme_tools.mojibake.han import BALANCE_BONUS, _cue_bonus
    from readme_tools.mojibake.lattice import DecodeResult, Slot

    n = 60_000
    slots = [
        Slot(i, i + 1, ("）", "x") if i % 2 else ("（",), damaged=bool(i % 2)) for i in range(n)
    ]
    slots.append(Slot(n, n + 1, ("（", "x"), damaged=True))
    result = DecodeResult(best=(), tokens=(), scores={}, total=0.0)
    bonus = _cue_bonus(slots, result, None)  # type: ignore[arg-type]
    assert bonus[1] == {"）": BALANCE_BONUS}  # one opener before, none closed yet
    assert bonus[n] == {"（": -BALANCE_BONUS}  # no closer after the last slot
    assert len(bonus) == n // 2 + 1
