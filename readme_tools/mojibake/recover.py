"""Recovering characters whose UTF-8 bytes were partly lost.

For every damaged line the detector found, each mis-decoded run is turned back
into bytes: complete sequences decode exactly, and each truncated sequence (a
lead byte with too few continuation bytes) becomes a slot whose candidates are
all characters obtained by inserting lost byte values
(:data:`~readme_tools.mojibake.codec.LOST_BYTES`) at the missing positions.
Characters outside the damaged runs, and complete sequences, are fixed: they
are never changed.

The candidates are then chosen jointly per line:

* Han text (and CJK/general punctuation, symbols): Viterbi over a word lattice
  with the word-frequency model of :mod:`~readme_tools.mojibake.lm`, a
  part-of-speech bigram correction, the word classes each word is seen
  next to in a tagged corpus (:class:`~readme_tools.mojibake.lm.LexContext`),
  a punctuation prior with bracket/quote balance, and a syntactic cue
  computed from a first pass (a coordinating conjunction such as ``与``
  standing between two nominal words).  With snownlp, the uncertain choices
  among characters that share their surviving bytes are then decided again
  with a character-context classifier added
  (:mod:`~readme_tools.mojibake.confusion`, weight :data:`CONFUSION_WEIGHT`);
  the margins stay those of the decode without it, so this changes which
  uncertain candidate is chosen, never what counts as confident.
* Cyrillic, Greek and accented Latin letters: word-by-word search with
  langdetect's character trigrams, plus wordfreq word frequencies when the
  optional extra is installed.

Document context (on by default) adds the document's own vocabulary: words
that occur elsewhere in the same document -- undamaged, or repaired with high
confidence in another line -- get a cache-model boost.  The line being decoded
never contributes to its own context (leave-one-line-out).

Every choice carries a margin: the difference in log-probability (nats)
between the best path through the chosen character and the best path through
any other candidate.  A choice is *confident* when the margin clears
:data:`CONFIDENCE_MARGIN` for its script.  Confident choices are then fixed
and the remaining ones decided again, until none becomes newly confident
(see :func:`recover`).
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from .charmodel import LANGUAGES, CharModel, decode_letters, load_char_model, text_logp
from .charprior import CLOSERS, OPENERS, is_emoji_like
from .codec import CHAR_TO_BYTE, candidates
from .confusion import ConfusionModel, context_features, normalise
from .detect import (
    FAMILY_CYRILLIC,
    FAMILY_GREEK,
    FAMILY_HAN,
    FAMILY_LATIN,
    FAMILY_SYMBOL,
    LineReport,
    family_of,
)
from .lattice import DecodeResult, Slot, decode
from .lm import HanModel, cjk_model_available, is_han
from .wordlm import WINDOW, ContextModel

__all__ = [
    "CONFIDENCE_MARGIN",
    "Choice",
    "build_slots",
    "recover",
]

#: Minimum margin (nats) for a repair to count as confident, per script.  Han and
#: symbols: chosen on the first (dev) half of corrupted zh-summaries.md as the
#: lowest threshold with no wrong repair there (99.8% on the held-out half).
#: Alphabetic scripts: chosen on the small Russian/Greek fixtures (no held-out
#: data), kept high.
CONFIDENCE_MARGIN: Final[dict[str, float]] = {
    FAMILY_HAN: 5.0,
    FAMILY_SYMBOL: 5.0,
    FAMILY_CYRILLIC: 6.0,
    FAMILY_GREEK: 6.0,
    FAMILY_LATIN: 6.0,
}

#: Most decoding passes of :func:`recover` (each fixes the new confident choices).
MAX_PASSES: Final = 10
#: Syntactic cue weights (nats), see :func:`_cue_bonus`.
COORDINATION_BONUS: Final = 1.0
#: Weight of the document's own vocabulary in the word model (cache model).
CACHE_WEIGHT: Final = 0.1
#: Pass-1 margin a repaired word needs to join the document vocabulary.
CACHE_MIN_MARGIN: Final = 1.0
#: Bonus (nats) for a zero-width joiner between two pictographs.
ZWJ_BONUS: Final = 25.0
#: Bracket/quote balance bonus (nats) for a closer with an open opener, etc.
BALANCE_BONUS: Final = 3.0
#: Weight of the confusion-set context score (:mod:`~readme_tools.mojibake.confusion`),
#: chosen on the dev half of corrupted zh-summaries.md (0.3-0.7 tried).
CONFUSION_WEIGHT: Final = 0.5


_ALPHABETIC: Final = frozenset({FAMILY_CYRILLIC, FAMILY_GREEK, FAMILY_LATIN})
_CONJUNCTIONS: Final = frozenset("与和及或跟同")
_NOMINAL: Final = frozenset({"vn", "eng", "nz", "m", "r", "an"})


@dataclass(frozen=True, slots=True)
class Choice:
    """The decision for one damaged character (offsets relative to its line)."""

    line_index: int
    start: int
    end: int
    original: str
    family: str
    ranked: tuple[tuple[str, float], ...]
    margin: float
    confident: bool
    options: tuple[str, ...] = ()  # every character the surviving bytes allow

    @property
    def chosen(self) -> str:
        return self.ranked[0][0]


def build_slots(report: LineReport) -> list[Slot]:
    """One slot per decoded character of the line (see the module docstring)."""
    line = report.text
    slots: list[Slot] = []
    pos = 0
    for segment in report.segments:
        for k in range(pos, segment.start):
            slots.append(Slot(k, k + 1, (line[k],), False))
        for piece in segment.pieces:
            start = segment.start + piece.start
            end = segment.start + piece.end
            if piece.kind == "valid":
                slots.append(Slot(start, end, (piece.char,), False))
            elif piece.kind == "truncated" and family_of(piece) is not None:
                slots.append(Slot(start, end, candidates(piece.data), True))
            else:
                for k in range(start, end):
                    slots.append(Slot(k, k + 1, (line[k],), False))
        pos = segment.end
    for k in range(pos, len(line)):
        slots.append(Slot(k, k + 1, (line[k],), False))
    return slots


def _slot_family(slot: Slot) -> str:
    if any(is_han(c) for c in slot.options):
        return FAMILY_HAN
    if all(c.isalpha() for c in slot.options):
        cp = ord(slot.options[0])
        if 0x0370 <= cp <= 0x03FF:
            return FAMILY_GREEK
        if 0x0400 <= cp <= 0x052F:
            return FAMILY_CYRILLIC
        if cp <= 0x024F:
            return FAMILY_LATIN
    return FAMILY_SYMBOL


def _margin(table: Mapping[str, float]) -> float:
    values = sorted(table.values(), reverse=True)
    if len(values) < 2 or values[1] == float("-inf"):
        return math.inf
    return values[0] - values[1]


def _ranked(table: Mapping[str, float], keep: int = 5) -> tuple[tuple[str, float], ...]:
    ordered = sorted(table.items(), key=lambda kv: (-kv[1], kv[0]))
    best = ordered[0][1]
    return tuple((char, score - best) for char, score in ordered[:keep])


# --------------------------------------------------------------------------- Han


def _token_tag(model: HanModel, token: str) -> str:
    if is_han(token):
        return model.tags.get(token, "?")
    if token.isspace():
        return "space"
    if token.isdigit():
        return "m"
    if token.isascii() and token.isalnum():
        return "eng"
    return "punct"


def _is_nominal(tag: str) -> bool:
    return tag.startswith("n") or tag in _NOMINAL


def _bracket_places(slots: Sequence[Slot]) -> dict[str, list[int]]:
    """Bracket/quote character → indices of the undamaged slots holding it (once per copy).

    Counting them before or after a slot is then a bisection; joining the line's text for
    each damaged slot was quadratic (minutes on a long damaged line).
    """
    places: dict[str, list[int]] = {}
    for idx, slot in enumerate(slots):
        if slot.damaged:
            continue
        for char in slot.options[0]:
            if char in OPENERS or char in CLOSERS:
                places.setdefault(char, []).append(idx)
    return places


def _before(places: Mapping[str, list[int]], char: str, idx: int) -> int:
    return bisect.bisect_left(places.get(char, ()), idx)


def _after(places: Mapping[str, list[int]], char: str, idx: int) -> int:
    at = places.get(char, [])
    return len(at) - bisect.bisect_right(at, idx)


def _cue_bonus(
    slots: Sequence[Slot], result: DecodeResult, model: HanModel
) -> dict[int, dict[str, float]]:
    """Syntactic cues from a first pass (neighbours taken from its best path).

    * a coordinating conjunction (``与``...) standing as a one-character word
      between two nominal words gets :data:`COORDINATION_BONUS`;
    * a closing bracket/quote candidate gets +:data:`BALANCE_BONUS` when the
      line has an unclosed opener before it (an opening one when the matching
      closer follows), and -:data:`BALANCE_BONUS` otherwise.
    """
    tokens = result.tokens
    where: dict[int, int] = {}
    for number, (i, j, _w) in enumerate(tokens):
        for k in range(i, j):
            where[k] = number
    out: dict[int, dict[str, float]] = {}
    places = _bracket_places(slots)
    for idx, slot in enumerate(slots):
        if not slot.damaged:
            continue
        bonus: dict[str, float] = {}
        here = where.get(idx)
        if here is not None:
            left = here - 1
            while left >= 0 and tokens[left][2].isspace():
                left -= 1
            right = here + 1
            while right < len(tokens) and tokens[right][2].isspace():
                right += 1
            left_tag = _token_tag(model, tokens[left][2]) if left >= 0 else "punct"
            right_tag = _token_tag(model, tokens[right][2]) if right < len(tokens) else "punct"
            if _is_nominal(left_tag) and _is_nominal(right_tag):
                for char in slot.options:
                    if char in _CONJUNCTIONS:
                        bonus[char] = COORDINATION_BONUS
        if "\u200d" in slot.options:
            # A zero-width joiner belongs between two pictographs (👨‍💻).
            left_char = slots[idx - 1].options[0] if idx > 0 else ""
            right_char = slots[idx + 1].options[0] if idx + 1 < len(slots) else ""
            if left_char and right_char and is_emoji_like(left_char) and is_emoji_like(right_char):
                bonus["\u200d"] = bonus.get("\u200d", 0.0) + ZWJ_BONUS
        for char in slot.options:
            if char in CLOSERS:
                balanced = _before(places, CLOSERS[char], idx) > _before(places, char, idx)
            elif char in OPENERS:
                balanced = _after(places, OPENERS[char], idx) > _after(places, char, idx)
            else:
                continue
            sign = 1.0 if balanced else -1.0
            bonus[char] = bonus.get(char, 0.0) + sign * BALANCE_BONUS
        if bonus:
            out[idx] = bonus
    return out


def _han_vocabulary(slots: Sequence[Slot], result: DecodeResult, min_margin: float) -> Counter[str]:
    """Multi-character Han words of a first pass that are undamaged or confidently repaired."""
    vocab: Counter[str] = Counter()
    for i, j, word in result.tokens:
        if len(word) < 2 or not is_han(word):
            continue
        if any(slots[k].damaged and _margin(result.scores[k]) < min_margin for k in range(i, j)):
            continue
        vocab[word] += 1
    return vocab


def _cache_bonus(
    model: HanModel, counts: Counter[str], total: int, weight: float
) -> dict[str, float]:
    """log((1-w) P(word) + w c(word)/N) - log P(word) for the cached words."""
    out: dict[str, float] = {}
    if total <= 0:
        return out
    for word, count in counts.items():
        logp = model.words.get(word)
        if logp is None or count <= 0:
            continue
        mixed = (1 - weight) * math.exp(logp) + weight * count / total
        out[word] = math.log(mixed) - logp
    return out


def _decode_han_lines(
    lines: Sequence[tuple[int, list[Slot]]],
    model: HanModel | None,
    document_context: bool,
) -> dict[int, DecodeResult]:
    first = {index: decode(slots, model) for index, slots in lines}
    if model is None:
        return first
    vocab: dict[int, Counter[str]] = {}
    total_vocab: Counter[str] = Counter()
    if document_context:
        for index, slots in lines:
            vocab[index] = _han_vocabulary(slots, first[index], CACHE_MIN_MARGIN)
            total_vocab.update(vocab[index])
    second: dict[int, DecodeResult] = {}
    for index, slots in lines:
        word_bonus: dict[str, float] = {}
        if document_context:
            others = total_vocab - vocab[index]
            word_bonus = _cache_bonus(model, others, sum(others.values()), CACHE_WEIGHT)
        bonus = _cue_bonus(slots, first[index], model)
        result = decode(slots, model, bonus, word_bonus=word_bonus)
        if model.confusion is not None:
            extra = _confusion_bonus(slots, result, model.confusion)
            if extra:
                result = _second_opinion(slots, model, bonus, extra, word_bonus, result)
        second[index] = result
    return second


def _confusion_bonus(
    slots: Sequence[Slot], result: DecodeResult, confusion: ConfusionModel
) -> dict[int, dict[str, float]]:
    """:data:`CONFUSION_WEIGHT` times the confusion-set context score of each Han candidate.

    Only for the slots whose choice in ``result`` is not confident; the
    context is ``result``'s best path (two characters either side, spaces
    skipped, within the line).
    """
    norm = [normalise(c) for c in result.best]
    out: dict[int, dict[str, float]] = {}
    for k, slot in enumerate(slots):
        if not slot.damaged or sum(1 for c in slot.options if is_han(c)) < 2:
            continue
        if _margin(result.scores[k]) >= CONFIDENCE_MARGIN[FAMILY_HAN]:
            continue
        left = "".join(norm[max(0, k - 8) : k])[-2:]
        right = "".join(norm[k + 1 : k + 9])[:2]
        scores = confusion.bonus(
            (c for c in slot.options if is_han(c)), context_features(left, right)
        )
        if scores:
            out[k] = {c: CONFUSION_WEIGHT * v for c, v in scores.items()}
    return out


def _second_opinion(
    slots: Sequence[Slot],
    model: HanModel,
    bonus: Mapping[int, Mapping[str, float]],
    extra: Mapping[int, Mapping[str, float]],
    word_bonus: Mapping[str, float],
    plain: DecodeResult,
) -> DecodeResult:
    """Decode again with the confusion-set scores; confidence stays with the plain decode.

    When the extra scores cannot change the best path, the plain decode is
    kept as it is.  Otherwise the choices are those of the decode with the
    extra scores; a choice's margin is capped by the plain decode's margin
    when both decodes agree on it and by 0 when they do not, so the extra
    evidence changes uncertain choices but never makes one confident.
    """
    # A path that differs from the plain best path at the slots D trails it
    # by at least the largest plain margin in D and gains at most the sum of
    # the swings in D; if no set of slots can make up its largest margin, the
    # best path stays and the plain decode is kept.
    swings = sorted(
        (_margin(plain.scores[k]), max(0.0, *v.values()) - v.get(plain.best[k], 0.0))
        for k, v in extra.items()
    )
    gained = 0.0
    for margin, swing in swings:
        gained += swing
        if swing > 0 and gained >= margin:
            break
    else:
        return plain
    merged: dict[int, dict[str, float]] = {k: dict(v) for k, v in bonus.items()}
    for k, scores in extra.items():
        table = merged.setdefault(k, {})
        for char, value in scores.items():
            table[char] = table.get(char, 0.0) + value
    result = decode(slots, model, merged, word_bonus=word_bonus)
    caps: dict[int, float] = {}
    for k, table in result.scores.items():
        before = plain.scores.get(k, {})
        if not table or not before:
            continue
        same = max(table, key=lambda c: table[c]) == max(before, key=lambda c: before[c])
        caps[k] = _margin(before) if same else 0.0
    return dataclasses.replace(result, margin_caps=caps)


# ----------------------------------------------------------------- alphabetic


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
            if slot.damaged and _margin(result.scores.get(k, {})) < min_margin:
                ok = False
            continue
        if word and ok:
            vocab["".join(word).lower()] += 1
        word, ok = [], True
    if word and ok:
        vocab["".join(word).lower()] += 1
    return vocab


def _decode_alphabetic_lines(
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


def _nbsp_ambiguous(line: str, slot: Slot) -> bool:
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


# ------------------------------------------------------------------------ API


def recover(
    reports: Sequence[LineReport],
    *,
    han_model: HanModel | None,
    document_context: bool = True,
    word_lm: ContextModel | None = None,
) -> list[Choice]:
    """Choose a character for every damaged sequence of the recoverable ``reports``.

    Lines needing the Han model are skipped when ``han_model`` is None.
    Returns the choices sorted by line and position.  With a ``word_lm``, the
    uncertain Han choices are finally re-ranked by it (:func:`_rerank`).

    Choices are made in passes: after each pass the confident choices become
    fixed characters and the lines that still hold uncertain ones are decoded
    again (with the document context of those lines only), until no new choice
    becomes confident.  This is what a second repair of the repaired text
    sees, so it has (almost always) nothing new to apply: readme-fmt checks
    that its fixes converge.
    """
    all_slots: dict[int, list[Slot]] = {}
    reports_by_index = {r.index: r for r in reports}
    for report in reports:
        if report.kind != "recoverable":
            continue
        if FAMILY_HAN in report.families and han_model is None:
            continue
        all_slots[report.index] = build_slots(report)

    final: dict[tuple[int, int], Choice] = {}
    current = all_slots
    for _round in range(MAX_PASSES):
        choices = _choose(current, reports_by_index, han_model, document_context)
        for choice in choices:
            final[(choice.line_index, choice.start)] = choice
        settled = {(c.line_index, c.start): c.chosen for c in choices if c.confident}
        unsettled = {c.line_index for c in choices if not c.confident}
        if not settled or not unsettled:
            break
        current = {
            index: [
                Slot(s.start, s.end, (settled[(index, s.start)],), False)
                if s.damaged and (index, s.start) in settled
                else s
                for s in slots
            ]
            for index, slots in current.items()
            if index in unsettled
        }
    choices = [final[key] for key in sorted(final)]
    if word_lm is not None:
        choices = _rerank(choices, all_slots, word_lm)
    return choices


def _reranked(choice: Choice, table: Mapping[str, float]) -> Choice:
    """``choice`` with its candidates scored anew by ``table``; it stays uncertain.

    As in :func:`_second_opinion`, the margin is capped by the old one when the
    choice is the same and is 0 when it changed: more evidence of this kind
    reorders uncertain choices, it never makes one look sure.
    """
    ranked = _ranked(table)
    margin = min(_margin(table), choice.margin) if ranked[0][0] == choice.chosen else 0.0
    # Candidates the model was not asked about stay listed for review, after the others
    # and as far below the weakest asked one as they were before.
    before = dict(choice.ranked)
    left = [(c, v) for c, v in choice.ranked if c not in table]
    if left:
        lowest, weakest = ranked[-1][1], min(before.get(c, 0.0) for c in table)
        ranked += tuple((c, lowest + min(0.0, v - weakest)) for c, v in left)
    return dataclasses.replace(choice, ranked=ranked[: len(choice.ranked)], margin=margin)


def _rerank(
    choices: list[Choice], all_slots: Mapping[int, list[Slot]], word_lm: ContextModel
) -> list[Choice]:
    """Re-rank the uncertain Han choices jointly with a second-opinion model.

    The model is a word trigram (:mod:`.wordlm`) or a causal language model
    (:mod:`.causallm`), see :class:`~.wordlm.ContextModel`.  Neighbouring uncertain
    characters of a run of Han text are decided together: every combination of
    their best candidates scores the sum of the candidates' own scores plus the
    model's weighted log-probability of the text around them.  Two damaged
    neighbours that are only right together (名词, 步步错) are reachable, which
    re-ranking one at a time could not do.  The choices stay uncertain (:func:`_reranked`).
    The model is asked about many groups at once: those of different lines, and
    those of a line that do not read each other (:func:`_rerank_rounds`).
    """
    result = list(choices)
    by_line: dict[int, list[int]] = {}
    for n, choice in enumerate(choices):
        by_line.setdefault(choice.line_index, []).append(n)
    rounds: list[list[tuple[list[str], list[int], list[int]]]] = []  # (chars, group, numbers)
    for index, members in by_line.items():
        open_ = {
            choices[n].start: n
            for n in members
            if not choices[n].confident and choices[n].family == FAMILY_HAN
        }
        if not open_:
            continue
        slots = all_slots[index]
        chosen = {choices[n].start: choices[n].chosen for n in members}
        chars = [chosen.get(s.start, s.options[0]) for s in slots]
        positions = [k for k, s in enumerate(slots) if s.start in open_]
        groups = _rerank_groups(chars, positions, word_lm.max_joint)
        for group, round_ in zip(groups, _rerank_rounds(groups, chars, word_lm), strict=True):
            rounds += [[] for _ in range(round_ + 1 - len(rounds))]
            rounds[round_].append((chars, group, [open_[slots[k].start] for k in group]))
    for current in rounds:  # every group of a round is asked about at once
        asks = [
            _rerank_ask(group, chars, numbers, result, word_lm) for chars, group, numbers in current
        ]
        answers = word_lm.continuations([(prefix, suffixes) for prefix, suffixes, _ in asks])
        for (chars, group, numbers), (_p, _s, combos), scores in zip(
            current, asks, answers, strict=True
        ):
            _rerank_decide(group, chars, numbers, result, combos, scores, word_lm.weight)
    word_lm.flush()
    return result


def _rerank_rounds(
    groups: Sequence[list[int]], chars: Sequence[str], word_lm: ContextModel
) -> list[int]:
    """The round in which each group of a line is asked about (see :func:`_rerank`).

    A group reads the text around it: the groups before it that it reads must be
    decided first, and a group it reads (or that reads it) is decided in the
    order of the line, as if one at a time.  Groups farther apart are independent,
    so a line's groups take as many rounds as its longest chain of neighbours, and
    each round is one batch for the model.
    """
    rounds: list[int] = []
    for n, group in enumerate(groups):
        lo, _hi = word_lm.span(chars, group[0], group[-1])
        if n == 0:
            rounds.append(0)
            continue
        before = groups[n - 1]
        _lo, reach = word_lm.span(chars, before[0], before[-1])
        near = before[-1] >= lo or reach > group[0]
        rounds.append(rounds[-1] + 1 if near else 0)
    return rounds


def _rerank_groups(
    chars: Sequence[str], positions: Sequence[int], max_joint: int
) -> list[list[int]]:
    """Uncertain positions decided together: same Han run, at most WINDOW apart, a few at most."""
    groups: list[list[int]] = []
    for k in positions:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and k - last <= WINDOW
            and len(groups[-1]) < max_joint
            and all(is_han(c) for c in chars[last + 1 : k])
        ):
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def _rerank_ask(
    group: list[int],
    chars: list[str],
    numbers: list[int],
    result: list[Choice],
    word_lm: ContextModel,
) -> tuple[str, list[str], list[tuple[tuple[str, ...], float]]]:
    """What to ask the model about the uncertain positions ``group`` of ``chars``:
    the text before them, the continuation each combination of candidates makes,
    and the combinations with their built-in scores (see :func:`_rerank`)."""
    options = []
    for n in numbers:  # Han candidates, and the current choice whatever it is
        ranked = result[n].ranked
        options.append([(c, v) for c, v in ranked if is_han(c) or v == 0.0][: word_lm.candidates])
    first = group[0]
    lo, hi = word_lm.span(chars, first, group[-1])
    combos = [
        (tuple(char for char, _ in combo), sum(value for _, value in combo))
        for combo in itertools.product(*options)
    ]
    floor = max(own for _, own in combos) - word_lm.max_gap
    combos = [(picked, own) for picked, own in combos if own >= floor]
    tail = chars[first:hi]
    suffixes = []
    for picked, _own in combos:
        for k, char in zip(group, picked, strict=True):
            tail[k - first] = char
        suffixes.append("".join(tail))
    return "".join(chars[lo:first]), suffixes, combos


def _rerank_decide(
    group: list[int],
    chars: list[str],
    numbers: list[int],
    result: list[Choice],
    combos: Sequence[tuple[tuple[str, ...], float]],
    scores: Sequence[float],
    weight: float,
) -> None:
    """Decide ``group`` by the combinations' built-in scores plus ``weight`` times the model's."""
    tables: list[dict[str, float]] = [{} for _ in group]
    best: tuple[float, tuple[str, ...]] = (-math.inf, ())
    for (picked, own), score in zip(combos, scores, strict=True):
        total = own + weight * score
        if total > best[0]:
            best = (total, picked)
        for table, char in zip(tables, picked, strict=True):
            if total > table.get(char, -math.inf):
                table[char] = total
    for k, n, table, char in zip(group, numbers, tables, best[1], strict=True):
        chars[k] = char
        result[n] = _reranked(result[n], table)


def _choose(
    all_slots: Mapping[int, list[Slot]],
    reports_by_index: Mapping[int, LineReport],
    han_model: HanModel | None,
    document_context: bool,
) -> list[Choice]:
    """One pass of :func:`recover` over the damaged slots of ``all_slots``."""
    han_lines: list[tuple[int, list[Slot]]] = []
    alpha_lines: dict[str, list[tuple[int, list[Slot]]]] = {}
    for index, slots in all_slots.items():
        families = {_slot_family(s) for s in slots if s.damaged}
        for script in families & _ALPHABETIC:
            alpha_lines.setdefault(script, []).append((index, slots))
        if families - _ALPHABETIC:
            han_lines.append((index, slots))

    results: dict[int, list[tuple[DecodeResult, str]]] = {}
    for script, lines in alpha_lines.items():
        for index, result in _decode_alphabetic_lines(lines, script, document_context).items():
            results.setdefault(index, []).append((result, script))
    if han_lines:
        for index, result in _decode_han_lines(han_lines, han_model, document_context).items():
            results.setdefault(index, []).append((result, FAMILY_HAN))

    choices: list[Choice] = []
    for index in sorted(all_slots):
        slots = all_slots[index]
        report = reports_by_index[index]
        per_line = results.get(index, [])
        for k, slot in enumerate(slots):
            if not slot.damaged:
                continue
            family = _slot_family(slot)
            wanted = family if family in _ALPHABETIC else FAMILY_HAN
            table: Mapping[str, float] | None = None
            cap = math.inf
            for result, script in per_line:
                if script == wanted and k in result.scores:
                    table = result.scores[k]
                    cap = result.margin_caps.get(k, math.inf)
            if not table:
                continue
            finite = {c: v for c, v in table.items() if v > float("-inf")}
            if not finite:
                continue
            margin = min(_margin(finite), cap)
            confident = margin >= CONFIDENCE_MARGIN[family]
            if family in _ALPHABETIC and _nbsp_ambiguous(report.text, slot):
                confident = False
            choices.append(
                Choice(
                    line_index=index,
                    start=slot.start,
                    end=slot.end,
                    original=report.text[slot.start : slot.end],
                    family=family,
                    ranked=_ranked(finite),
                    margin=margin,
                    confident=confident,
                    options=slot.options,
                )
            )
    return choices
