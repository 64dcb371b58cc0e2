"""The venue vocabulary and the venue-tag parser (``CVPR2025``, ``NeurIPS 2024 Oral``, ``ACL'24``).

Shared by the venue rules and the formatter (which writes the canonical spelling): both take
the vocabulary from :func:`configured_vocabulary`, which adds what ``[tool.readme-tools.venues]``
(:class:`VenueOptions`) declares to the built-in names.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

# Canonical spelling → aliases (compared case-insensitively, spaces and dots ignored).
VENUES: Mapping[str, tuple[str, ...]] = {
    # computer vision
    "CVPR": (),
    "ICCV": (),
    "ECCV": (),
    "WACV": (),
    "BMVC": (),
    "ACCV": (),
    "3DV": (),
    "SIGGRAPH": (),
    "SIGGRAPH Asia": ("SIGGRAPHAsia",),
    "MICCAI": (),
    "TPAMI": ("PAMI", "T-PAMI"),
    "IJCV": (),
    "TIP": (),
    "TMM": (),
    "TCSVT": (),
    "ACM MM": ("MM", "ACMMM", "ACM Multimedia"),
    # machine learning
    "NeurIPS": ("NIPS", "NeuRIPS"),
    "ICLR": (),
    "ICML": (),
    "AAAI": (),
    "IJCAI": (),
    "AISTATS": (),
    "UAI": (),
    "COLT": (),
    "JMLR": (),
    "TMLR": (),
    "KDD": ("SIGKDD",),
    "WWW": ("TheWebConf",),
    "SIGIR": (),
    "CIKM": (),
    "WSDM": (),
    "MLSys": ("SysML",),
    "OSDI": (),
    "SOSP": (),
    "NSDI": (),
    "EuroSys": (),
    "ASPLOS": (),
    "ISCA": (),
    "MICRO": (),
    "SC": (),
    "ATC": ("USENIX ATC",),
    "ICDE": (),
    "VLDB": ("PVLDB",),
    "SIGMOD": (),
    # language
    "ACL": (),
    "EMNLP": (),
    "NAACL": (),
    "COLING": (),
    "EACL": (),
    "AACL": (),
    "CoNLL": (),
    "TACL": (),
    "LREC": ("LREC-COLING",),
    "COLM": (),
    "ICASSP": (),
    "Interspeech": (),
    # robotics
    "ICRA": (),
    "IROS": (),
    "RSS": (),
    "CoRL": (),
    "RA-L": ("RAL",),
    # journals and preprints
    "Nature": (),
    "Science": (),
    "PNAS": (),
    "TOG": ("ACM TOG",),
    "arXiv": ("Arxiv", "preprint"),
}
QUALIFIERS: Mapping[str, tuple[str, ...]] = {
    "Oral": (),
    "Spotlight": (),
    "Poster": (),
    "Highlight": (),
    "Findings": (),
    "Workshop": ("WS", "Workshops"),
    "Demo": (),
    "Best Paper": ("BestPaper",),
    "D&B": ("Datasets and Benchmarks",),
}
FIRST_YEAR = 1980

_TAG_RE = re.compile(
    r"""^(?P<name>[A-Za-z][A-Za-z0-9&\- ]*?[A-Za-z])
        (?P<sep>[ \-]?|')
        (?P<year>\d{4}|\d{2})
        (?P<rest>(?:[ \-]+[A-Za-z&][A-Za-z& ]*)?)$""",
    re.VERBOSE,
)


def _fold(text: str) -> str:
    return re.sub(r"[\s.\-_]", "", text).casefold()


@dataclass(frozen=True)
class Vocabulary:
    canonical: Mapping[str, str]  # folded spelling → canonical name
    qualifiers: Mapping[str, str]
    first_year: int = FIRST_YEAR
    last_year: int = field(default_factory=lambda: datetime.date.today().year + 1)

    def name(self, text: str) -> str | None:
        return self.canonical.get(_fold(text))

    def qualifier(self, text: str) -> str | None:
        return self.qualifiers.get(_fold(text))


def vocabulary(
    extra: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
    first_year: int = FIRST_YEAR,
    last_year: int | None = None,
) -> Vocabulary:
    canonical: dict[str, str] = {}
    for name, names in VENUES.items():
        canonical[_fold(name)] = name
        for alias in names:
            canonical[_fold(alias)] = name
    for name in extra:
        canonical[_fold(name)] = name
    for alias, name in (aliases or {}).items():
        canonical[_fold(alias)] = name
    qualifiers = {}
    for name, names in QUALIFIERS.items():
        qualifiers[_fold(name)] = name
        for alias in names:
            qualifiers[_fold(alias)] = name
    return Vocabulary(
        canonical=canonical,
        qualifiers=qualifiers,
        first_year=first_year,
        last_year=last_year or datetime.date.today().year + 1,
    )


@dataclass(frozen=True)
class VenueOptions:
    """``[tool.readme-tools.venues]``: extend the venue vocabulary."""

    extra: tuple[str, ...] = ()  # more canonical venue names, e.g. ["MyWorkshop"]
    aliases: dict[str, str] = field(default_factory=dict)  # alias → canonical name
    first_year: int = FIRST_YEAR
    last_year: int | None = None  # default: next year


def configured_vocabulary(options: VenueOptions) -> Vocabulary:
    """The built-in vocabulary extended by ``options`` (built once per distinct table)."""
    aliases = tuple(options.aliases.items())
    return _vocabulary(options.extra, aliases, options.first_year, options.last_year)


@lru_cache(maxsize=8)
def _vocabulary(
    extra: tuple[str, ...],
    aliases: tuple[tuple[str, str], ...],
    first_year: int,
    last_year: int | None,
) -> Vocabulary:
    return vocabulary(extra, dict(aliases), first_year, last_year)


@dataclass(frozen=True)
class VenueTag:
    text: str  # as written
    name: str  # as written
    canonical: str | None  # None: not in the vocabulary
    year: int | None
    compact: bool  # "CVPR2025" rather than "CVPR 2025"
    qualifiers: tuple[str, ...]  # canonical qualifier spellings
    unknown_qualifiers: tuple[str, ...] = ()
    sep: str = ""  # between name and year as written: "", " ", "-" or "'"
    raw_year: str = ""  # the year as written ("2024" or "24")

    def respelled(self) -> str:
        """Canonical name and qualifier spellings, the writer's year format kept."""
        name = self.canonical or self.name
        head = f"{name}{self.sep}{self.raw_year}" if self.raw_year else name
        return " ".join([head, *self.qualifiers, *self.unknown_qualifiers])

    def canonical_text(self, compact: bool | None = None) -> str:
        """The tag in canonical spelling (``NIPS 2021 oral`` → ``NeurIPS2021 Oral``)."""
        name = self.canonical or self.name
        joiner = "" if (self.compact if compact is None else compact) else " "
        year = "" if self.year is None else str(self.year)
        head = f"{name}{joiner}{year}" if " " not in name else f"{name} {year}"
        return " ".join([head.strip(), *self.qualifiers, *self.unknown_qualifiers])


def parse_venue(text: str, vocab: Vocabulary) -> VenueTag | None:
    """Parse a venue tag; None when ``text`` does not look like ``NAME YEAR [QUALIFIER…]``."""
    text = text.strip()
    match = _TAG_RE.match(text)
    if not match:
        name_only = vocab.name(text)
        if name_only is not None:
            return VenueTag(text, text, name_only, None, True, ())  # a bare name, no year
        return None
    raw_year = match.group("year")
    if len(raw_year) == 2:
        year = 2000 + int(raw_year) if int(raw_year) < 80 else 1900 + int(raw_year)
    else:
        year = int(raw_year)
    name = match.group("name").strip()
    canonical = vocab.name(name)
    qualifiers: list[str] = []
    unknown: list[str] = []
    rest = match.group("rest").strip(" -")
    if rest:
        q = vocab.qualifier(rest)
        if q is not None:
            qualifiers.append(q)
        else:
            for word in rest.split():
                q = vocab.qualifier(word)
                (qualifiers if q else unknown).append(q or word)
    return VenueTag(
        text=text,
        name=name,
        canonical=canonical,
        year=year,
        compact=match.group("sep") == "",
        qualifiers=tuple(qualifiers),
        unknown_qualifiers=tuple(unknown),
        sep=match.group("sep"),
        raw_year=raw_year,
    )


_IN_HEADING_RE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z][A-Za-z\-]*)[ \-']?((?:19|20)\d{2})(?!\d)")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def venue_in_heading(text: str, vocab: Vocabulary) -> tuple[str | None, int | None]:
    """The (canonical venue, year) a section heading names, e.g. "Image LLMs CVPR2025"."""
    for match in _IN_HEADING_RE.finditer(text):
        canonical = vocab.name(match.group(1))
        if canonical is not None:
            return canonical, int(match.group(2))
    for word in re.findall(r"[A-Za-z][A-Za-z\-]+", text):
        canonical = vocab.name(word)
        if canonical is not None and canonical != "arXiv" and word.isupper():
            years = _YEAR_RE.findall(text)
            return canonical, int(years[0]) if len(years) == 1 else None
    years = _YEAR_RE.findall(text)
    return None, int(years[0]) if len(years) == 1 else None


# --------------------------------------------------------------------------- venues in entry text

_BUILTIN: Vocabulary | None = None
_DATE_ONLY_RE = re.compile(r"\d{4}(?:[./\-年]\d{1,2}(?:[./\-月]\d{1,2}日?)?)?")
_ANY_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|'\d{2}(?!\d)")


def builtin_vocabulary() -> Vocabulary:
    """The built-in vocabulary (what the parser knows before any configuration)."""
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = vocabulary()
    return _BUILTIN


@lru_cache(maxsize=4096)
def venue_like(text: str, lead: bool = False) -> bool:
    """Whether ``text`` reads as a venue tag rather than words of a title.

    ``CVPR2025``, ``NeurIPS 2025 Spotlight``, ``MyConf2024``, ``arXiv``, and with ``lead``
    (a venue written before the title, in brackets) also ``Nature Medicine, 2024`` or
    ``Arxiv, 2024.10``; never a bare date, and never a subtitle such as ``A Holistic Embodied
    Cognition Benchmark``.
    """
    core = text.strip(" \t*_()[],;")
    if not core or len(core) > 48 or _DATE_ONLY_RE.fullmatch(core):
        return False
    flat = re.sub(r"\s*,\s*", " ", core)
    if len(flat.split()) > (6 if lead else 5):
        return False
    tag = parse_venue(flat, builtin_vocabulary())
    if tag is not None and (tag.canonical is not None or tag.year is not None):
        return True
    return lead and _ANY_YEAR_RE.search(core) is not None


def trailing_venue(body: str) -> int | None:
    """Offset in ``body`` of a known venue tag that ends it (``Title words CVPR2025``), or None."""
    starts = [m.start() for m in re.finditer(r"\S+", body)]
    vocab = builtin_vocabulary()
    found = None
    for k in range(1, min(4, len(starts) - 1) + 1):
        tag = parse_venue(body[starts[-k] :], vocab)
        if tag is not None and tag.canonical is not None and tag.year is not None:
            found = starts[-k]
    return found


def known_venue_in(text: str) -> bool:
    """Whether ``text`` is a known venue with a year (``ICML 2021``, ``CVPR'24``)."""
    tag = parse_venue(re.sub(r"\s*,\s*", " ", text.strip()), builtin_vocabulary())
    return tag is not None and tag.canonical is not None and tag.year is not None
