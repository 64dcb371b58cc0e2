from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readme_tools.online import compare_titles
from readme_tools.online.titles import detex, normalise_title


@pytest.mark.parametrize(
    ("tex", "plain"),
    [
        (r"Schr\"{o}dinger Bridges", "Schrödinger Bridges"),
        (r"Schr\"odinger", "Schrödinger"),
        (r"Caf\'e \& Co", "Café & Co"),
        (r"$\mathcal{V}$-Net: \textbf{Fast}", "V-Net: Fast"),
        (r"$\alpha$-Blending", "α-Blending"),
        (r"Pre-training -- a Survey", "Pre-training – a Survey"),
        (r"100\% Accuracy for \$5", "100% Accuracy for $5"),
        (r"{BERT}: Pre-training of Deep", "BERT: Pre-training of Deep"),
        ("Long title\n  folded by the API", "Long title folded by the API"),
        (r"\LaTeX{} is", "LaTeX is"),
    ],
)
def test_detex(tex: str, plain: str) -> None:
    assert detex(tex) == plain


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("LLaVA-Critic: Learning to Evaluate Multimodal Models",) * 2,
        (
            "Learning to Evaluate Multimodal Models",
            "LLaVA-Critic: Learning to Evaluate Multimodal Models",
        ),
        ("ODE: Open-Set Evaluation of Hallucinations", "Open-Set Evaluation of Hallucinations"),
        ("Attention is all you need", "Attention Is All You Need"),
        ("State of the Art Models", "State-of-the-Art Models"),
        ("Multi-modal Models", "Multimodal Models"),
        ("Schrödinger Bridges", r"Schr\"{o}dinger Bridges"),
        ("Schrodinger Bridges", r"Schr\"{o}dinger Bridges"),
        ("ＢＥＲＴ “quoted” ﬁne", 'BERT "quoted" fine'),
        ("α-Blending Works", r"$\alpha$-Blending Works"),
    ],
)
def test_exact_matches(ours: str, theirs: str) -> None:
    match = compare_titles(ours, theirs)
    assert match.kind == "exact", match


def test_seed_typo_is_a_near_miss_with_a_readable_diff() -> None:
    match = compare_titles(
        "Accelerating Multimodel Large Language Models by Searching Optimal Vision Token Reduction",
        "Accelerating Multimodal Large Language Models by Searching Optimal Vision Token\n"
        "  Reduction",
    )
    assert match.kind == "near"
    assert match.diff == '"Multimodel" → "Multimodal"'
    assert match.similarity > 0.95


@pytest.mark.parametrize(
    ("ours", "theirs", "diff"),
    [
        (
            "Mitigating Object Hallucination in Vision-Language Models",
            "Mitigating Object Hallucinations in Large Vision-Language Models",
            '"Hallucination" → "Hallucinations"; missing "Large"',
        ),
        (
            "Devils in Middle Layers of Large Vision-Language Models",
            "Devils in Middle Layers of Large Vision-Language Models: Interpreting, Detecting and "
            "Mitigating Object Hallucinations via Attention Lens",
            'missing "Interpreting Detecting and Mitigating Object Hallucinations via Attention '
            'Lens"',
        ),
        (
            "Molmo and PixMo",
            "Molmo and PixMo: Open Weights and Open Data",
            'missing "Open Weights and Open Data"',
        ),
        ("FooNet: A Study of Things", "BarNet: A Study of Things", '"FooNet" → "BarNet"'),
    ],
)
def test_near_misses(ours: str, theirs: str, diff: str) -> None:
    match = compare_titles(ours, theirs)
    assert match.kind == "near", match
    assert match.diff == diff


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (
            "Nullu: Mitigating Object Hallucinations in Large Vision-Language Models via "
            "HalluSpace Projection",
            "AGLA: Mitigating Object Hallucinations in Large Vision-Language Models with "
            "Assembly of Global and Local Attention",
        ),
        (
            "Insight-V: Exploring Long-Chain Visual Reasoning with Multimodal Large Language "
            "Models",
            "Critic-V: VLM Critics Help Catch VLM Errors in Multimodal Reasoning",
        ),
        (
            "VisionZip: Longer is Better but Not Necessary in Vision Language Models",
            "Attention Is All You Need",
        ),
        ("", "Attention Is All You Need"),
    ],
)
def test_far_misses(ours: str, theirs: str) -> None:
    assert compare_titles(ours, theirs).kind == "far"


_titles = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=80
)


@given(_titles)
def test_a_title_matches_itself(title: str) -> None:
    if normalise_title(title):
        assert compare_titles(title, title).kind == "exact"


@given(_titles, _titles)
def test_comparison_never_crashes_and_is_bounded(a: str, b: str) -> None:
    match = compare_titles(a, b)
    assert match.kind in ("exact", "near", "far")
    assert 0.0 <= match.similarity <= 1.0
