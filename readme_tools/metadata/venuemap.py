"""Venue names as the sources write them, mapped onto the list's venue vocabulary.

Each source spells venues its own way: dblp keys and short names (``conf/nips/…``,
``EMNLP (Findings)``), Semantic Scholar and Crossref full names ("Neural Information
Processing Systems", "Proceedings of the 2023 Conference on Empirical Methods in Natural
Language Processing"), OpenReview venue ids (``ICLR.cc/2024/Conference``) and strings ("ICLR
2024 oral"), arXiv journal-refs in free text. Everything here is a pure function returning a
:class:`VenueRef` whose ``name`` is a canonical name of :mod:`readme_tools.venues` (so that
the rules compare like with like), or ``None`` when the text names no known venue.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from readme_tools.venues import Vocabulary

PREPRINT = "arXiv"


@dataclass(frozen=True)
class VenueRef:
    name: str  # canonical, e.g. "NeurIPS"; "arXiv" for a preprint server
    year: int | None = None
    #: "Workshop", "Findings", "D&B" (tracks that change what the venue claim means), or an
    #: OpenReview presentation ("Oral", "Spotlight", "Poster").
    qualifier: str | None = None

    @property
    def label(self) -> str:
        parts = [self.name, str(self.year) if self.year else "", self.qualifier or ""]
        return " ".join(p for p in parts if p)


# Full names (searched case-insensitively) -> canonical name. Longest first where one
# contains another.
FULL_NAMES: tuple[tuple[str, str], ...] = (
    ("neural information processing systems", "NeurIPS"),
    ("international conference on learning representations", "ICLR"),
    ("international conference on machine learning", "ICML"),
    ("computer vision and pattern recognition", "CVPR"),
    ("winter conference on applications of computer vision", "WACV"),
    ("european conference on computer vision", "ECCV"),
    ("asian conference on computer vision", "ACCV"),
    ("international conference on computer vision", "ICCV"),
    ("british machine vision conference", "BMVC"),
    ("empirical methods in natural language processing", "EMNLP"),
    ("north american chapter of the association for computational linguistics", "NAACL"),
    ("european chapter of the association for computational linguistics", "EACL"),
    ("transactions of the association for computational linguistics", "TACL"),
    ("annual meeting of the association for computational linguistics", "ACL"),
    ("international conference on computational linguistics", "COLING"),
    ("conference on language modeling", "COLM"),
    ("aaai conference on artificial intelligence", "AAAI"),
    ("international joint conference on artificial intelligence", "IJCAI"),
    ("transactions on machine learning research", "TMLR"),
    ("journal of machine learning research", "JMLR"),
    ("transactions on pattern analysis and machine intelligence", "TPAMI"),
    ("international journal of computer vision", "IJCV"),
    ("transactions on image processing", "TIP"),
    ("transactions on multimedia", "TMM"),
    ("conference on robot learning", "CoRL"),
    ("international conference on robotics and automation", "ICRA"),
    ("intelligent robots and systems", "IROS"),
    ("robotics: science and systems", "RSS"),
    ("acm international conference on multimedia", "ACM MM"),
    ("acm multimedia", "ACM MM"),
    ("knowledge discovery and data mining", "KDD"),
    ("the web conference", "WWW"),
    ("artificial intelligence and statistics", "AISTATS"),
    ("uncertainty in artificial intelligence", "UAI"),
    ("acoustics, speech and signal processing", "ICASSP"),
    ("medical image computing and computer assisted intervention", "MICCAI"),
)
FINDINGS_RE = re.compile(r"\bfindings\b", re.IGNORECASE)
WORKSHOP_RE = re.compile(r"\bworkshops?\b", re.IGNORECASE)
DB_RE = re.compile(r"datasets?[ _]and[ _]benchmarks", re.IGNORECASE)
PREPRINT_RE = re.compile(r"^\s*(?:arxiv(?:\.org)?|corr|preprint|biorxiv|medrxiv)\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9&\-]*(?:'(\d{2}))?")
#: Canonical names never matched as one word of a longer text (English words, or
#: abbreviations too short to trust inside a sentence).
_NOT_AS_WORD = frozenset({"Nature", "Science", "SC", "ATC", "MICRO", "ACM MM", "RSS", "TIP", "WWW"})
# dblp keys name the stream: conf/<x>/ or journals/<x>/.
DBLP_STREAMS: dict[str, str] = {
    "conf/nips": "NeurIPS",
    "conf/iclr": "ICLR",
    "conf/icml": "ICML",
    "conf/cvpr": "CVPR",
    "conf/iccv": "ICCV",
    "conf/eccv": "ECCV",
    "conf/wacv": "WACV",
    "conf/bmvc": "BMVC",
    "conf/accv": "ACCV",
    "conf/emnlp": "EMNLP",
    "conf/acl": "ACL",
    "conf/naacl": "NAACL",
    "conf/eacl": "EACL",
    "conf/coling": "COLING",
    "conf/conll": "CoNLL",
    "conf/aaai": "AAAI",
    "conf/ijcai": "IJCAI",
    "conf/aistats": "AISTATS",
    "conf/uai": "UAI",
    "conf/colt": "COLT",
    "conf/kdd": "KDD",
    "conf/www": "WWW",
    "conf/sigir": "SIGIR",
    "conf/cikm": "CIKM",
    "conf/wsdm": "WSDM",
    "conf/mm": "ACM MM",
    "conf/icra": "ICRA",
    "conf/iros": "IROS",
    "conf/rss": "RSS",
    "conf/corl": "CoRL",
    "conf/icassp": "ICASSP",
    "conf/interspeech": "Interspeech",
    "conf/miccai": "MICCAI",
    "conf/3dim": "3DV",
    "conf/mlsys": "MLSys",
    "conf/colm": "COLM",
    "journals/pami": "TPAMI",
    "journals/ijcv": "IJCV",
    "journals/tip": "TIP",
    "journals/tmm": "TMM",
    "journals/tcsv": "TCSVT",
    "journals/tmlr": "TMLR",
    "journals/jmlr": "JMLR",
    "journals/tacl": "TACL",
    "journals/tog": "TOG",
    "journals/ral": "RA-L",
    "journals/corr": PREPRINT,
}
_KEY_YEAR_RE = re.compile(r"^(?!abs-)\w[\w'\-]*?(\d{2})[a-z]?$")  # not CoRR's abs-2306-60006


def _year_in(text: str, vocab: Vocabulary) -> int | None:
    for match in _YEAR_RE.finditer(text):
        year = int(match.group(1))
        if vocab.first_year <= year <= vocab.last_year:
            return year
    return None


def _qualifier(text: str) -> str | None:
    if WORKSHOP_RE.search(text):
        return "Workshop"
    if FINDINGS_RE.search(text):
        return "Findings"
    if DB_RE.search(text):
        return "D&B"
    return None


def _name_in(text: str, vocab: Vocabulary) -> tuple[str | None, int | None]:
    """The venue a free text names, and a year written right after an abbreviation."""
    folded = text.casefold()
    for phrase, name in FULL_NAMES:
        if phrase in folded:
            return name, None
    whole = vocab.name(text.strip())
    if whole is not None:
        return whole, None
    for match in _TOKEN_RE.finditer(text):
        word = match.group(0).split("'")[0]
        found = vocab.name(word)
        if found is None or found in _NOT_AS_WORD:
            continue
        short = match.group(1)
        return found, (2000 + int(short)) if short else None
    return None, None


def venue_from_text(text: str, vocab: Vocabulary) -> VenueRef | None:
    """A venue named in free text (a journal-ref, a venue or container title)."""
    if not text or not text.strip():
        return None
    if PREPRINT_RE.match(text):
        return VenueRef(PREPRINT, _year_in(text, vocab))
    name, year = _name_in(text, vocab)
    if name is None:
        return None
    return VenueRef(name, year or _year_in(text, vocab), _qualifier(text))


def key_year(key: str) -> int | None:
    """The year a dblp key ends with: ``conf/nips/SmithJ23a`` -> 2023."""
    match = _KEY_YEAR_RE.match(key.rsplit("/", 1)[-1])
    if match is None:
        return None
    short = int(match.group(1))
    century = 2000 if short <= (datetime.date.today().year + 1) % 100 else 1900
    return century + short


def venue_from_dblp(key: str, venue: str, year: int | None, vocab: Vocabulary) -> VenueRef | None:
    """A dblp record: the stream of its key first, then its venue string."""
    stream = "/".join(key.split("/")[:2])
    name = DBLP_STREAMS.get(stream)
    text = venue or ""
    if name is None:
        found = venue_from_text(text, vocab)
        if found is None:
            return None
        name = found.name
    qualifier = _qualifier(text) or _qualifier(key.split("/")[1] if "/" in key else "")
    return VenueRef(name, year or key_year(key), qualifier)


_ORG_NAMES = {"robot-learning.org": "CoRL", "colmweb.org": "COLM", "thecvf.com": ""}


def venue_from_openreview(venue: str, venueid: str, vocab: Vocabulary) -> VenueRef | None:
    """An OpenReview note's venue: its venue id (``ICLR.cc/2024/Conference``) first."""
    segments = [s for s in venueid.split("/") if s]
    name = None
    for segment in segments:
        if segment in _ORG_NAMES:
            name = _ORG_NAMES[segment] or None
            if name:
                break
            continue
        for candidate in (segment, segment.split(".")[0]):
            found = vocab.name(candidate)
            if found is not None and found != PREPRINT:
                name = found
                break
        if name is not None:
            break
    years = [int(s) for s in segments if re.fullmatch(r"(?:19|20)\d{2}", s)]
    from_text = venue_from_text(re.sub(r"^submitted to\s+", "", venue, flags=re.I), vocab)
    if name is None:
        if from_text is None:
            return None
        name = from_text.name
    year = years[0] if years else (from_text.year if from_text else None)
    qualifier = _qualifier(venueid.replace("_", " ")) or _presentation(venue)
    return VenueRef(name, year, qualifier)


def _presentation(venue: str) -> str | None:
    match = re.search(r"\b(oral|spotlight|poster|notable|top\s*\d+%)", venue, re.IGNORECASE)
    if match is None:
        return None
    word = match.group(1)
    return word.capitalize() if word.isalpha() else word


def openreview_decision(venue: str, venueid: str) -> str:
    """``accepted``, ``rejected``, ``withdrawn``, ``desk-rejected`` or ``submitted``.

    OpenReview's own convention: an accepted paper's venue id is the bare venue
    (``ICLR.cc/2024/Conference``); every other outcome keeps a suffix
    (``/Rejected_Submission``, ``/Withdrawn_Submission``, ``/Desk_Rejected_Submission``,
    ``/Submission``), and a paper that is not accepted reads "Submitted to <venue>".
    """
    tail = venueid.rstrip("/").rsplit("/", 1)[-1].lower()
    if tail == "rejected_submission":
        return "rejected"
    if tail == "withdrawn_submission" or "withdrawn submission" in venue.lower():
        return "withdrawn"
    if tail in ("desk_rejected_submission", "desk_rejected") or "desk rejected" in venue.lower():
        return "desk-rejected"
    if tail == "submission" or venue.lower().startswith("submitted to") or not venue:
        return "submitted"
    return "accepted"
