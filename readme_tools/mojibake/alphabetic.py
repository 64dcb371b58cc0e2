"""Choosing lost letters of Cyrillic, Greek and accented Latin text.

Each line's script picks a language model (langdetect's character trigrams,
:mod:`.models.letters`; the language that reads the line's undamaged letters best), and
:func:`decode_letters` chooses a word's damaged letters jointly, with wordfreq's word
frequencies when the ``cjk`` extra is installed. A second pass adds the words the rest of the
document uses, as for Han text (:mod:`.han`).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from .choice import CACHE_MIN_MARGIN, CACHE_WEIGHT, table_margin
from .codec import CHAR_TO_BYTE
from .lattice import DecodeResult, Slot
from .models.letters import LANGUAGES, CharModel, load_char_model, norm_char, text_logp
from .models.words import cjk_model_available

__all__ = ["decode_alphabetic_lines", "decode_letters", "nbsp_ambiguous"]

_NEG_INF: Final = float("-inf")
#: Penalty (nats) for a capital inside a lower-case word and vice versa.
CASE_PENALTY: Final = 4.0


def _case_penalty(prev: str, char: str, nxt: str) -> float:
    if not char.isalpha():
        return 0.0
    if char.isupper() and prev.isalpha() and prev.islower():
        return -CASE_PENALTY
    if char.islower() and (prev.isalpha() and prev.isupper()) and (nxt.isalpha() and nxt.isupper()):
        return -CASE_PENALTY
    return 0.0


#: Most candidate combinations enumerated for one word.
MAX_COMBINATIONS: Final = 4096
#: Weight of the word-frequency score relative to the character model.
WORD_WEIGHT: Final = 1.0
#: log-probability given to words missing from the word list.
OOV_LOGP: Final = math.log(1e-8)


def _is_letter_slot(slot: Slot) -> bool:
    return any(c.isalpha() for c in slot.options)


def decode_letters(
    slots: Sequence[Slot],
    model: CharModel,
    bonus: Mapping[int, Mapping[str, float]] | None = None,
    *,
    word_logp: Callable[[str], float | None] | None = None,
) -> DecodeResult:
    """Choose the candidates of ``slots`` word by word.

    A word is a maximal run of letter slots; each word's candidate
    combinations are scored by the character trigram model (including the
    boundaries) plus, when ``word_logp`` is given, ``WORD_WEIGHT`` times the
    word's log frequency (``None`` = unknown word).  Non-letter damaged slots
    are scored by the trigram model alone.  Returns max-marginal scores per
    damaged slot like :func:`readme_tools.mojibake.lattice.decode`.
    """
    bonus = bonus or {}
    n = len(slots)
    best = [s.options[0] for s in slots]
    scores: dict[int, dict[str, float]] = {}
    total = 0.0
    i = 0
    while i < n:
        if not _is_letter_slot(slots[i]):
            if slots[i].damaged:
                extra = bonus.get(i, {})
                table = {
                    c: extra.get(c, 0.0) + model.logp("  ", norm_char(c)) for c in slots[i].options
                }
                best[i] = max(table, key=table.__getitem__)
                scores[i] = table
            i += 1
            continue
        j = i
        while j < n and _is_letter_slot(slots[j]):
            j += 1
        damaged = [k for k in range(i, j) if slots[k].damaged]
        if damaged:
            options = [slots[k].options for k in damaged]
            combos = 1
            for opt in options:
                combos *= len(opt)
            if combos > MAX_COMBINATIONS:
                options = [opt[:8] for opt in options]
            prev = slots[i - 1].options[0] if i > 0 else " "
            nxt = slots[j].options[0] if j < n else " "
            tables: dict[int, dict[str, float]] = {k: {} for k in damaged}
            best_score = _NEG_INF
            best_combo: tuple[str, ...] = ()
            for combo in itertools.product(*options):
                chars = [s.options[0] for s in slots[i:j]]
                for k, c in zip(damaged, combo, strict=True):
                    chars[k - i] = c
                word = "".join(chars)
                score = 0.0
                context = " " + norm_char(prev)
                for pos, raw in enumerate(word):
                    c = norm_char(raw)
                    score += model.logp(context, c)
                    left = word[pos - 1] if pos else prev
                    right = word[pos + 1] if pos + 1 < len(word) else nxt
                    score += _case_penalty(left, raw, right)
                    context = context[1] + c
                score += model.logp(context, " ")
                for k, c in zip(damaged, combo, strict=True):
                    score += bonus.get(k, {}).get(c, 0.0)
                if word_logp is not None:
                    logp = word_logp(word)
                    score += WORD_WEIGHT * (OOV_LOGP if logp is None else logp)
                for k, c in zip(damaged, combo, strict=True):
                    if score > tables[k].get(c, _NEG_INF):
                        tables[k][c] = score
                if score > best_score:
                    best_score = score
                    best_combo = combo
            for k, c in zip(damaged, best_combo, strict=True):
                best[k] = c
            scores.update(tables)
            total += best_score
        i = j
    tokens = tuple((k, k + 1, c) for k, c in enumerate(best))
    return DecodeResult(best=tuple(best), tokens=tokens, scores=scores, total=total)


def _word_list(lang: str) -> Callable[[str], float | None] | None:
    """wordfreq's word log-frequencies for ``lang``, if the extra is installed."""
    if not cjk_model_available():
        return None
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - find_spec said yes
        return None
    try:
        table = wordfreq.get_frequency_dict(lang, wordlist="best")
    except (LookupError, ValueError, OSError):
        return None

    def logp(word: str) -> float | None:
        freq = table.get(word.lower())
        return math.log(freq) if freq else None

    return logp


def _pick_language(script: str, sample: str) -> CharModel:
    langs = LANGUAGES[script]
    if len(langs) == 1 or not sample.strip():
        return load_char_model(langs[0])
    scored = [(text_logp(load_char_model(lang), sample), lang) for lang in langs]
    return load_char_model(max(scored)[1])


def _alphabetic_words(
    slots: Sequence[Slot], result: DecodeResult, min_margin: float
) -> Counter[str]:
    vocab: Counter[str] = Counter()
    word: list[str] = []
    ok = True
    for k, slot in enumerate(slots):
        char = result.best[k]
        if char.isalpha():
            word.append(char)
            if slot.damaged and table_margin(result.scores.get(k, {})) < min_margin:
                ok = False
            continue
        if word and ok:
            vocab["".join(word).lower()] += 1
        word, ok = [], True
    if word and ok:
        vocab["".join(word).lower()] += 1
    return vocab


def decode_alphabetic_lines(
    lines: Sequence[tuple[int, list[Slot]]],
    script: str,
    document_context: bool,
) -> dict[int, DecodeResult]:
    sample = " ".join(
        "".join(s.options[0] for s in slots if not s.damaged) for _index, slots in lines
    )
    model = _pick_language(script, sample)
    words = _word_list(model.lang)
    first = {index: decode_letters(slots, model, word_logp=words) for index, slots in lines}
    if not document_context:
        return first
    vocab = {
        index: _alphabetic_words(slots, first[index], CACHE_MIN_MARGIN) for index, slots in lines
    }
    total: Counter[str] = Counter()
    for counts in vocab.values():
        total.update(counts)
    second: dict[int, DecodeResult] = {}
    for index, slots in lines:
        others = total - vocab[index]
        size = sum(others.values())

        def logp(word: str, others: Counter[str] = others, size: int = size) -> float | None:
            base = words(word) if words is not None else None
            count = others.get(word.lower(), 0)
            if count == 0 or size == 0:
                return base
            prob = (1 - CACHE_WEIGHT) * (math.exp(base) if base is not None else 0.0)
            return math.log(prob + CACHE_WEIGHT * count / size)

        second[index] = decode_letters(slots, model, word_logp=logp)
    return second


#: Common letters whose UTF-8 ends in 0xA0 (a no-break space when mis-decoded).
_NBSP_LETTERS: Final = frozenset("àŠРΠ")


def nbsp_ambiguous(line: str, slot: Slot) -> bool:
    """Could the space after this damaged letter be a no-break space turned into a space?

    ``Ã`` + space may be ``à`` whose 0xA0 byte became a space (another
    accident than dropped bytes); choices where that reading gives a common
    letter (à Š Р Π) are never confident.
    """
    if line[slot.end : slot.end + 1] != " ":
        return False
    data = bytes(CHAR_TO_BYTE[c] for c in line[slot.start : slot.end] if c in CHAR_TO_BYTE)
    try:
        return (data + b"\xa0").decode("utf-8") in _NBSP_LETTERS
    except UnicodeDecodeError:
        return False
