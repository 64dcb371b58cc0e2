"""Paper and code identifiers, offline: parse and canonicalise the ids in URLs and text.

Pure functions over strings, no I/O. Recognised:

* arXiv ids, new style ``YYMM.NNNN(N)`` and old style ``archive(.SUBJ)/YYMMNNN``, each with an
  optional ``vN``; from text (``arXiv:`` prefix allowed), from URLs on ``arxiv.org`` and its
  subdomains (``abs``, ``pdf`` with or without ``.pdf``, ``html``, ``format``), from the arXiv
  DOI ``10.48550/arXiv.<id>`` and from Hugging Face paper pages;
* OpenReview notes (``forum?id=`` and ``pdf?id=`` are the same paper), DOIs (``doi.org`` and
  publisher ``/doi/`` paths; case-insensitive), ACL Anthology ids (also their ``10.18653`` DOIs),
  CVF open-access papers (``html`` page and ``pdf`` are the same paper), NeurIPS proceedings
  (by hash) and PMLR papers;
* GitHub repositories (``owner/repo``, case-insensitive, ``.git`` dropped, ``/tree/…`` kept as a
  sub-path). A repository identifies code, not a paper.

:func:`canonical_url` is the form the formatter writes: arXiv links as ``https://arxiv.org/abs/ID``
and tracking / UI-state query parameters dropped (:mod:`readme_tools.urls`). It is idempotent
and keeps identity. What makes two *entries* the same paper is :mod:`readme_tools.identity`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple
from urllib.parse import unquote

from readme_tools.urls import host_matches, split_url, strip_tracking

# --------------------------------------------------------------------------- arXiv ids

# Archives of old-style identifiers (1991-08 .. 2007-03).
OLD_ARCHIVES = frozenset(
    [
        "acc-phys",
        "adap-org",
        "alg-geom",
        "ao-sci",
        "astro-ph",
        "atom-ph",
        "bayes-an",
        "chao-dyn",
        "chem-ph",
        "cmp-lg",
        "comp-gas",
        "cond-mat",
        "cs",
        "dg-ga",
        "funct-an",
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math",
        "math-ph",
        "mtrl-th",
        "nlin",
        "nucl-ex",
        "nucl-th",
        "patt-sol",
        "physics",
        "plasm-ph",
        "q-alg",
        "q-bio",
        "quant-ph",
        "solv-int",
        "supr-con",
    ]
)

_NEW = r"(?P<yymm>\d{4})\.(?P<num>\d{4,5})(?:v(?P<ver>\d+))?"
_OLD = (
    r"(?P<arch>[A-Za-z][A-Za-z-]*)(?:\.[A-Za-z][A-Za-z-]*)?/+"
    r"(?P<oyymm>\d{4})(?P<onum>\d{3})(?:v(?P<over>\d+))?"
)
_MASHUP = r"(?P<march>[A-Za-z][A-Za-z-]*)(?:\.[A-Za-z][A-Za-z-]*)?/+" + _NEW.replace("?P<", "?P<m")
# Anything after the id must start a new path segment ("physics/0303098/static/icon.png").
_ID_RE = re.compile(rf"(?:{_NEW}|{_OLD}|{_MASHUP})(?P<extra>/.*)?", re.DOTALL)
_PREFIX_RE = re.compile(r"\s*(?:arxiv:)?/*", re.IGNORECASE)
_PLAIN_NEW_RE = re.compile(r"(\d{4})\.(\d{4,5})")


@dataclass(frozen=True, slots=True)
class ArxivId:
    """A valid arXiv identifier. ``id`` is canonical and without version."""

    id: str  # "2412.04467", "hep-th/9901001"
    version: int | None = None

    @property
    def old(self) -> bool:
        return "/" in self.id

    @property
    def archive(self) -> str:
        return self.id.split("/", 1)[0] if self.old else "arxiv"

    @property
    def yymm(self) -> str:
        return self.id.split("/", 1)[1][:4] if self.old else self.id[:4]

    @property
    def year(self) -> int:
        yy = int(self.yymm[:2])
        return (1900 if self.old and yy >= 91 else 2000) + yy

    @property
    def month(self) -> int:
        return int(self.yymm[2:])

    @property
    def number(self) -> int:
        return int(self.id.split("/", 1)[1][4:] if self.old else self.id[5:])

    @property
    def versioned(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"

    def url(self, keep_version: bool = False) -> str:
        return f"https://arxiv.org/abs/{self.versioned if keep_version else self.id}"


@dataclass(frozen=True, slots=True)
class ArxivParse:
    """Result of reading an arXiv identifier: the id, or why the text is not a valid one."""

    id: ArxivId | None
    error: str | None  # None when valid
    shaped: bool  # has the shape of an id (the arxiv-base parser's notion), valid or not
    extra: str = ""  # path after the id ("/static/icon.png")


def _month_error(yymm: str) -> str | None:
    return None if 1 <= int(yymm[2:]) <= 12 else f"month {yymm[2:]} does not exist"


def _number_error(num: str, ver: str | None) -> str | None:
    if int(num) == 0:
        return "the number part is zero"
    if ver is not None and int(ver) == 0:
        return "versions start at v1"
    return None


def _new_style_error(yymm: str, num: str, ver: str | None) -> str | None:
    if month := _month_error(yymm):
        return month
    if int(yymm) < 704:
        return f"new-style ids start in 0704; {yymm} is before that"
    if len(num) == 4 and int(yymm) > 1412:
        return f"ids from 1501 on have a 5-digit number; {yymm}.{num} has 4"
    if len(num) == 5 and int(yymm) < 1501:
        return f"ids before 1501 have a 4-digit number; {yymm}.{num} has 5"
    return _number_error(num, ver)


def _old_style_error(archive: str, yymm: str, num: str, ver: str | None) -> str | None:
    if archive not in OLD_ARCHIVES:
        return f"{archive!r} is not an arXiv archive"
    if month := _month_error(yymm):
        return month
    yy = int(yymm[:2])
    stamp = (1900 if yy >= 91 else 2000) * 100 + int(yymm)
    if not 199107 <= stamp <= 200703:
        return f"old-style ids run from 9107 to 0703; {yymm} is outside"
    return _number_error(num, ver)


@lru_cache(maxsize=65536)
def examine_arxiv_id(text: str) -> ArxivParse:
    """Read ``text`` as an arXiv id (``arXiv:`` prefix and leading slashes allowed)."""
    plain = _PLAIN_NEW_RE.fullmatch(text)
    if plain is not None:  # fast path for a bare new-style id: same result as below
        error = _new_style_error(plain.group(1), plain.group(2), None)
        if error is not None:
            return ArxivParse(None, error, True)
        return ArxivParse(ArxivId(text), None, True)
    body = text[_PREFIX_RE.match(text).end() :].rstrip()  # type: ignore[union-attr]
    match = _ID_RE.fullmatch(body)
    if match is None:
        return ArxivParse(None, "not an arXiv identifier", False)
    g = match.groupdict()
    extra = g["extra"] or ""
    if g["yymm"] is not None or g["myymm"] is not None:
        p = "" if g["yymm"] is not None else "m"
        if p and g["march"].lower() not in OLD_ARCHIVES:
            return ArxivParse(None, f"{g['march']!r} is not an arXiv archive", True, extra)
        yymm, num, ver = g[p + "yymm"], g[p + "num"], g[p + "ver"]
        error = _new_style_error(yymm, num, ver)
        ident = f"{yymm}.{num}"
    else:
        archive = g["arch"].lower()
        yymm, num, ver = g["oyymm"], g["onum"], g["over"]
        error = _old_style_error(archive, yymm, num, ver)
        ident = f"{archive}/{yymm}{num}"
    if error is not None:
        return ArxivParse(None, error, True, extra)
    return ArxivParse(ArxivId(ident, int(ver) if ver is not None else None), None, True, extra)


def parse_arxiv_id(text: str) -> ArxivId | None:
    """The valid arXiv id written in ``text``, or None."""
    return examine_arxiv_id(text).id


# --------------------------------------------------------------------------- arXiv URLs


def is_arxiv_host(host: str) -> bool:
    return host_matches(host, "arxiv.org") or host == "xxx.lanl.gov"


ArxivKind = Literal["abs", "pdf", "html", "format"]
_ARXIV_PATH_RE = re.compile(r"/+(?P<kind>abs|pdf|html|format)/+(?P<rest>.*)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ArxivLink:
    """A link to an arXiv paper page. ``id`` is None when the written id is impossible."""

    kind: ArxivKind
    written: str  # the id part as written, without ".pdf" and trailing "/"
    id: ArxivId | None
    error: str | None
    pdf_suffix: bool  # the path ends in ".pdf"


@lru_cache(maxsize=65536)
def parse_arxiv_url(url: str) -> ArxivLink | None:
    """The arXiv paper an http(s) URL on an arXiv host points at, or None for other URLs."""
    parts = split_url(url)
    if parts is None or parts.scheme not in ("http", "https") or not is_arxiv_host(parts.host):
        return None
    match = _ARXIV_PATH_RE.fullmatch(parts.path)
    if match is None:
        return None
    kind: ArxivKind = match.group("kind").lower()  # type: ignore[assignment]
    rest = match.group("rest").rstrip("/")
    pdf_suffix = rest.lower().endswith(".pdf")
    if pdf_suffix:
        rest = rest[:-4]
    if not rest:
        return None
    result = examine_arxiv_id(rest)
    if result.id is None:
        if not result.shaped and not rest[:1].isdigit():
            return None  # /abs/ followed by something that is no id attempt at all
        return ArxivLink(kind, rest, None, result.error, pdf_suffix)
    return ArxivLink(kind, rest, result.id, None, pdf_suffix)


CANONICAL_ARXIV_RE = re.compile(r"https://arxiv\.org/abs/(\d{4}\.\d{4,5})")


@lru_cache(maxsize=65536)
def canonical_arxiv_id(url: str) -> str | None:
    """The id of ``url`` when it is a canonical ``https://arxiv.org/abs/YYMM.NNNNN`` link with
    a valid id, else None (a fast path: same answer as :func:`examine_arxiv_id` on the id)."""
    match = CANONICAL_ARXIV_RE.fullmatch(url)
    if match is None:
        return None
    ident = match.group(1)
    return ident if _new_style_error(ident[:4], ident[5:], None) is None else None


# Kinds of identifier. The first group identifies papers; "github" identifies code.
IdKind = Literal["arxiv", "doi", "openreview", "acl", "cvf", "neurips", "pmlr", "github"]
PAPER_KINDS: tuple[IdKind, ...] = ("arxiv", "doi", "acl", "openreview", "cvf", "neurips", "pmlr")


class Identifier(NamedTuple):
    """A paper or code identifier (a tuple: hashed a lot by the duplicate check)."""

    kind: IdKind
    value: str  # canonical: lowercased where the identifier is case-insensitive

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def is_paper(self) -> bool:
        return self.kind != "github"

    @property
    def url(self) -> str | None:
        """The canonical web address, where the identifier alone determines one."""
        kind, value = self.kind, self.value
        if kind == "arxiv":
            return f"https://arxiv.org/abs/{value}"
        if kind == "doi":
            return f"https://doi.org/{value}"
        if kind == "openreview":
            return f"https://openreview.net/forum?id={value}"
        if kind == "acl":
            return f"https://aclanthology.org/{value if '.' in value else value.upper()}/"
        if kind == "pmlr":
            return f"https://proceedings.mlr.press/{value}.html"
        if kind == "github":
            return f"https://github.com/{value}"
        return None  # CVF and NeurIPS addresses need the conference directory or year


_DOI_RE = re.compile(r"10\.\d{4,9}/\S+")
_ARXIV_DOI_RE = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)
_ACL_DOI_RE = re.compile(r"10\.18653/v1/(.+)", re.IGNORECASE)
_ACL_ID_RE = re.compile(r"(?:\d{4}\.[a-z0-9]+-[a-z0-9]+\.\d+|[A-Za-z]\d{2}-\d{4})")
_OPENREVIEW_ID_RE = re.compile(r"(?:^|&)id=([^&]+)")
_CVF_RE = re.compile(
    r"/+content(?:_[A-Za-z0-9_]+)?(?:/[A-Za-z0-9_]+)?/+(?:html|papers)/+(?:[^/]+/+)*"
    r"(?P<stem>[^/]+?_paper)\.(?:html|pdf)",
    re.IGNORECASE,
)
_NEURIPS_RE = re.compile(r"/+paper(?:_files/paper)?/+\d{4}/+(?:hash|file)/+(?P<hash>[0-9a-f]{32})")
_PMLR_RE = re.compile(r"/+(?P<vol>v\d+)/+(?P<key>[A-Za-z0-9_-]+?)(?:/+[^/]+)?\.(?:html|pdf)")
_PUBLISHER_DOI_RE = re.compile(
    r"/doi(?:/(?:abs|pdf|full|epdf|book|fullHtml|pdfdirect))?/+(10\.\d{4,9}/.+)"
)
_SPRINGER_DOI_RE = re.compile(r"/(?:article|chapter|content/pdf)/+(10\.\d{4,9}/.+?)(?:\.pdf)?$")
_HF_PAPER_RE = re.compile(r"/+papers/+([^/]+)")
_GITHUB_RESERVED = frozenset(
    [
        "about",
        "apps",
        "blog",
        "collections",
        "contact",
        "customer-stories",
        "enterprise",
        "events",
        "explore",
        "features",
        "login",
        "marketplace",
        "new",
        "notifications",
        "orgs",
        "organizations",
        "pricing",
        "pulls",
        "issues",
        "search",
        "security",
        "settings",
        "site",
        "sponsors",
        "team",
        "topics",
        "trending",
        "users",
        "codespaces",
        "readme",
        "signup",
    ]
)


def _doi_identifier(doi: str) -> Identifier | None:
    doi = unquote(doi).strip().rstrip("/.")
    if not _DOI_RE.fullmatch(doi):
        return None
    arxiv = _ARXIV_DOI_RE.fullmatch(doi)
    if arxiv:
        parsed = parse_arxiv_id(arxiv.group(1))
        return Identifier("arxiv", parsed.id) if parsed else None
    acl = _ACL_DOI_RE.fullmatch(doi)
    if acl and _ACL_ID_RE.fullmatch(acl.group(1)):
        return Identifier("acl", acl.group(1).lower())
    return Identifier("doi", doi.lower())


@lru_cache(maxsize=65536)
def identify(url: str) -> Identifier | None:
    """The paper (or repository) an http(s) URL identifies, or None."""
    canonical = canonical_arxiv_id(url)
    if canonical is not None:  # fast path for the common canonical form
        return Identifier("arxiv", canonical)
    parts = split_url(url)
    if parts is None or parts.scheme not in ("http", "https"):
        return None
    host, path = parts.host, parts.path
    if is_arxiv_host(host):
        link = parse_arxiv_url(url)
        return Identifier("arxiv", link.id.id) if link and link.id else None
    if host in ("doi.org", "dx.doi.org"):
        return _doi_identifier(path.lstrip("/"))
    if host == "openreview.net":
        if path.rstrip("/") in ("/forum", "/pdf") and parts.query:
            match = _OPENREVIEW_ID_RE.search(parts.query)
            if match:
                return Identifier("openreview", unquote(match.group(1)))
        return None
    if host in ("aclanthology.org", "aclweb.org"):
        segment = path.rstrip("/").rsplit("/", 1)[-1]
        segment = segment[:-4] if segment.lower().endswith(".pdf") else segment
        if _ACL_ID_RE.fullmatch(segment):
            return Identifier("acl", segment.lower())
        return None
    if host == "openaccess.thecvf.com":
        match = _CVF_RE.search(path)
        return Identifier("cvf", match.group("stem").lower()) if match else None
    if host in ("proceedings.neurips.cc", "papers.nips.cc", "papers.neurips.cc"):
        match = _NEURIPS_RE.match(path)
        return Identifier("neurips", match.group("hash")) if match else None
    if host == "proceedings.mlr.press":
        match = _PMLR_RE.fullmatch(path)
        if match:
            return Identifier("pmlr", f"{match.group('vol')}/{match.group('key')}".lower())
        return None
    if host in ("huggingface.co", "alphaxiv.org"):
        match = _HF_PAPER_RE.match(path) if host == "huggingface.co" else None
        if host == "alphaxiv.org":
            match = re.match(r"/+(?:abs|overview)/+([^/]+)", path)
        if match:
            parsed = parse_arxiv_id(match.group(1))
            return Identifier("arxiv", parsed.id) if parsed else None
        return None
    if host == "github.com":
        return _github(path)
    match = _PUBLISHER_DOI_RE.search(path)
    if match is None and host == "link.springer.com":
        match = _SPRINGER_DOI_RE.search(path)
    if match:
        return _doi_identifier(match.group(1))
    return None


def _github(path: str) -> Identifier | None:
    pieces = [p for p in path.split("/") if p]
    if len(pieces) < 2 or pieces[0].lower() in _GITHUB_RESERVED:
        return None
    owner, repo = pieces[0].lower(), pieces[1].lower()
    repo = repo.removesuffix(".git")
    if not repo:
        return None
    value = f"{owner}/{repo}"
    if len(pieces) > 3 and pieces[2] == "tree":
        value += "/tree/" + "/".join(pieces[3:])
    return Identifier("github", value)


def identify_text(text: str) -> Identifier | None:
    """An identifier written as text: ``arXiv:ID``, a bare arXiv id, ``doi:10.…``/``10.…``."""
    stripped = text.strip()
    lower = stripped.lower()
    if lower.startswith("doi:"):
        return _doi_identifier(stripped[4:])
    if lower.startswith("10."):
        return _doi_identifier(stripped)
    if lower.startswith(("http://", "https://")):
        return identify(stripped)
    parsed = parse_arxiv_id(stripped)
    return Identifier("arxiv", parsed.id) if parsed else None


# --------------------------------------------------------------------------- canonical URLs


def canonical_arxiv_url(url: str, keep_version: bool = False) -> str | None:
    """The canonical form of an arXiv paper URL (None when ``url`` is not one, or is invalid)."""
    link = parse_arxiv_url(url)
    if link is None or link.id is None:
        return None
    if keep_version:
        return link.id.url(keep_version=True)
    return link.id.url()


def canonical_url(url: str, keep_version: bool = False) -> str:
    """The form the formatter writes: canonical arXiv links, tracking parameters dropped."""
    arxiv = canonical_arxiv_url(url, keep_version)
    return arxiv if arxiv is not None else strip_tracking(url)
