"""Character trigram models from langdetect's profiles."""

from __future__ import annotations

import math

from readme_tools.mojibake.alphabetic import decode_letters
from readme_tools.mojibake.codec import candidates
from readme_tools.mojibake.lattice import Slot
from readme_tools.mojibake.models.letters import load_char_model, text_logp


def _slots(word: str, damaged: dict[int, bytes]) -> list[Slot]:
    return [
        Slot(i, i + 1, candidates(damaged[i]), True)
        if i in damaged
        else Slot(i, i + 1, (c,), False)
        for i, c in enumerate(word)
    ]


def test_profiles_load_and_score() -> None:
    ru = load_char_model("ru")
    el = load_char_model("el")
    assert text_logp(ru, "это русский текст") > text_logp(el, "это русский текст")
    assert text_logp(el, "ελληνικό κείμενο") > text_logp(ru, "ελληνικό κείμενο")
    assert math.isfinite(ru.logp("  ", "ы"))


def test_cyrillic_lost_letters() -> None:
    model = load_char_model("ru")
    # русский: the two "с" (D1 81) lost their second byte.
    result = decode_letters(_slots("русский язык", {2: b"\xd1", 3: b"\xd1"}), model)
    assert "".join(result.best) == "русский язык"


def test_greek_lost_letters() -> None:
    model = load_char_model("el")
    # ρ (CF 81) and έ (CE AD) lost their second byte.
    slots = _slots("περιγράφει το έργο", {2: b"\xcf", 5: b"\xcf", 14: b"\xce", 15: b"\xcf"})
    result = decode_letters(slots, model)
    assert "".join(result.best) == "περιγράφει το έργο"


def test_word_frequencies_are_used_when_given() -> None:
    model = load_char_model("ru")
    slots = _slots("это", {0: b"\xd1"})
    forced = decode_letters(slots, model, word_logp=lambda w: 0.0 if w == "сто" else None)
    assert forced.best[0] == "с"
