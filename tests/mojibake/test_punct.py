"""Priors for non-Han candidates."""

from __future__ import annotations

from readme_tools.mojibake.models.punct import CLOSERS, OPENERS, is_emoji_like, punct_logp


def test_common_punctuation_beats_rare() -> None:
    assert punct_logp("、") > punct_logp("【") > punct_logp("『")
    assert punct_logp("”") > punct_logp("„")
    assert punct_logp("📝") > punct_logp("\u200d")


def test_brackets_pair_up() -> None:
    assert OPENERS["“"] == "”" and CLOSERS["」"] == "「"


def test_emoji_like() -> None:
    assert is_emoji_like("📖") and is_emoji_like("✅") and not is_emoji_like("中")
