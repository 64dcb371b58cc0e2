"""Comparing a list entry's title with the title arXiv has.

Both titles are brought to comparable words first:

* TeX (arXiv titles are TeX source): accents (``\\"o`` → ö), text/maths
  font commands (``\\mathcal{V}`` → V), a few symbols (``\\alpha`` → α,
  ``--`` → –), ``$``, braces and ``~`` are removed or rewritten (:func:`detex`);
* Unicode: NFKD, combining marks dropped (ö → o), case folded; so ligatures,
  full-width letters, accents and case never count as differences;
* punctuation and whitespace separate words and are otherwise ignored, so
  "State-of-the-Art" equals "State of the Art" and line folding does not matter.

The verdict (:class:`TitleMatch`):

``exact``
    same words.  A short name before the first colon may be missing on one
    side ("LLaVA-Critic: Learning to ..." vs "Learning to ...").
``near``
    a near miss worth a warning: character similarity ≥ ``NEAR_RATIO`` (typos,
    a missing or extra word), or one title is a large contiguous part of the
    other (truncated title).  ``diff`` shows the differing words, e.g.
    ``"Multimodel" → "Multimodal"``.
``far``
    anything else: the link probably points to another paper.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

#: Minimum character similarity (difflib ratio of the normalised titles) for "near".
NEAR_RATIO = 0.85
#: A title that is a contiguous part of the other counts as "near" if it covers this much.
NEAR_COVERAGE = 0.5
#: Longest name before a colon that may be missing on one side (in words).
MAX_PREFIX_WORDS = 6

_ACCENTS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
}
_SYMBOLS = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "φ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
    "infty": "∞",
    "times": "×",
    "cdot": "·",
    "pm": "±",
    "leq": "≤",
    "geq": "≥",
    "le": "≤",
    "ge": "≥",
    "rightarrow": "→",
    "to": "→",
    "leftarrow": "←",
    "approx": "≈",
    "sim": "∼",
    "ldots": "…",
    "dots": "…",
    "textendash": "–",
    "textemdash": "—",
    "i": "i",
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
}
_ACCENT_RE = re.compile(
    r"\\([\"'`^~=.]|[uvHckr](?![A-Za-z]))\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))"
)
_COMMAND_RE = re.compile(r"\\([A-Za-z]+)(\s*)")
_ESCAPED_RE = re.compile(r"\\([&%$#_{}])")
# Escaped characters that the clean-up below would otherwise remove, parked in private use.
_PARKED = {"$": "\ue000", "{": "\ue001", "}": "\ue002"}
_WORD_RE = re.compile(r"[^\W_]+")


def detex(text: str) -> str:
    """Turn the TeX found in arXiv titles into plain Unicode text (best effort)."""

    def accent(m: re.Match[str]) -> str:
        letter = m.group(2) or m.group(3)
        if letter.startswith("\\"):
            letter = _SYMBOLS.get(letter[1:], letter[1:])
        return unicodedata.normalize("NFC", letter + _ACCENTS[m.group(1)])

    text = _ACCENT_RE.sub(accent, text)
    text = _ESCAPED_RE.sub(lambda m: _PARKED.get(m.group(1), m.group(1)), text)
    text = _COMMAND_RE.sub(
        lambda m: _SYMBOLS.get(m.group(1), "") + (" " if m.group(2) else ""), text
    )
    text = text.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”")
    text = re.sub(r"[{}$]", "", text).replace("~", " ")
    for char, parked in _PARKED.items():
        text = text.replace(parked, char)
    return " ".join(text.split())


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in stripped.casefold() if c.isalnum())


def _words(text: str) -> list[tuple[str, str]]:
    """``(display word, comparison key)`` pairs."""
    pairs = []
    for m in _WORD_RE.finditer(unicodedata.normalize("NFC", text)):
        key = _fold(m.group())
        if key:
            pairs.append((m.group(), key))
    return pairs


def normalise_title(text: str) -> str:
    """The comparison form of a title: folded words joined by single spaces."""
    return " ".join(key for _, key in _words(detex(text)))


@dataclass(frozen=True)
class TitleMatch:
    kind: Literal["exact", "near", "far"]
    #: Character similarity of the normalised titles, 0..1.
    similarity: float
    #: The differing words, e.g. ``"Multimodel" → "Multimodal"``; empty when exact.
    diff: str = ""


Words = list[tuple[str, str]]


def _split_name(words: Words, text: str) -> tuple[Words, Words] | None:
    """``(name, rest)`` for a title that starts with a short ``Name:``."""
    head, sep, _ = text.partition(":")
    if not sep:
        return None
    n = len(_words(head))
    if not 0 < n <= MAX_PREFIX_WORDS or n >= len(words):
        return None
    return words[:n], words[n:]


def _keys(words: Words) -> list[str]:
    return [k for _, k in words]


def _same(a: Words, b: Words) -> bool:
    """Same words, also when only spaces/hyphens differ ("Multi-modal" = "Multimodal")."""
    ka, kb = _keys(a), _keys(b)
    return bool(ka) and (ka == kb or "".join(ka) == "".join(kb))


def _ratio(a: Words, b: Words) -> float:
    return difflib.SequenceMatcher(
        None, " ".join(_keys(a)), " ".join(_keys(b)), autojunk=False
    ).ratio()


def _contiguous(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _describe(ours: list[tuple[str, str]], theirs: list[tuple[str, str]], limit: int = 4) -> str:
    a = [k for _, k in ours]
    b = [k for _, k in theirs]
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        mine = " ".join(w for w, _ in ours[i1:i2])
        real = " ".join(w for w, _ in theirs[j1:j2])
        if op == "replace":
            parts.append(f'"{mine}" → "{real}"')
        elif op == "delete":
            parts.append(f'extra "{mine}"')
        elif op == "insert":
            parts.append(f'missing "{real}"')
    if len(parts) > limit:
        parts = [*parts[:limit], f"and {len(parts) - limit} more"]
    return "; ".join(parts)


def compare_titles(ours: str, theirs: str) -> TitleMatch:
    """Compare a list's title (Markdown-free text) with arXiv's (may contain TeX)."""
    our_text, their_text = detex(ours), detex(theirs)
    our_words, their_words = _words(our_text), _words(their_text)
    if not our_words or not their_words:
        return TitleMatch("far", 0.0, "a title is empty")
    our_split = _split_name(our_words, our_text)
    their_split = _split_name(their_words, their_text)

    # Candidates: full titles, and each side without its "Name:" (never both).
    candidates = [(our_words, their_words)]
    if their_split is not None:
        candidates.append((our_words, their_split[1]))
    if our_split is not None:
        candidates.append((our_split[1], their_words))
    if any(_same(a, b) for a, b in candidates):
        return TitleMatch("exact", 1.0)

    ratios = [_ratio(a, b) for a, b in candidates]
    best = max(range(len(candidates)), key=lambda i: ratios[i])
    similarity = round(ratios[best], 3)
    if ratios[0] >= NEAR_RATIO:
        return TitleMatch("near", similarity, _describe(our_words, their_words))
    if ratios[best] >= NEAR_RATIO:
        return TitleMatch("near", similarity, _describe(*candidates[best]))

    # Truncated: one title is the other's part before the colon, or a large contiguous part.
    a, b = _keys(our_words), _keys(their_words)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    truncated = (
        _same(our_words, _words(their_text.partition(":")[0]))
        or _same(_words(our_text.partition(":")[0]), their_words)
        or (bool(short) and _contiguous(short, long) and len(short) >= NEAR_COVERAGE * len(long))
    )
    kind: Literal["near", "far"] = "near" if truncated else "far"
    return TitleMatch(kind, similarity, _describe(our_words, their_words))
