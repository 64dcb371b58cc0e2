"""arXiv links: the list's own link form (``abs`` or ``pdf``, versions), and impossible ids.

The form is learned from the document (:func:`arxiv_convention`): only a link in the minority
of a form that clearly dominates is reported, and its fix writes the dominant form. Forms that
work and that no reader notices (``http://``, ``www.`` or ``export.`` hosts, ``/pdf/ID`` with or
without ``.pdf``, a trailing slash) are left alone unless the configuration pins the form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.identifiers import ArxivLink, canonical_arxiv_id, parse_arxiv_url
from readme_tools.model import Document, Link
from readme_tools.registry import OptionSection, Rule

# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class ArxivOptions:
    """``[tool.readme-tools.arxiv]``: the arXiv link form.

    ``form = "auto"`` (default) learns the page kind (``abs`` / ``pdf``) and whether links
    carry a version from the list; ``"abs"`` / ``"pdf"`` pin every arXiv link to exactly
    ``https://arxiv.org/abs/ID`` / ``https://arxiv.org/pdf/ID``. ``keep-version = true``
    never reports a version suffix.
    """

    form: Literal["auto", "abs", "pdf"] = "auto"
    keep_version: bool = False  # keep "v2" suffixes (cite one version deliberately)


OPTIONS = (OptionSection("arxiv", ArxivOptions),)

# A form dominates when at least this share of at least MIN_LINKS arXiv links use it.
DOMINANT_SHARE = 0.75
MIN_LINKS = 5

# --------------------------------------------------------------------------- the convention

# arXiv paper URLs anywhere in the text (links, HTML, bare URLs): the document's habits.
_ARXIV_URL_RE = re.compile(
    r"https?://(?:[\w-]+\.)*arxiv\.org/+(?:abs|pdf|html|format)/+[^\s()<>\[\]\"'|`]+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Convention:
    """How the document writes arXiv paper links."""

    total: int  # arXiv paper links with a valid id
    kinds: tuple[tuple[str, int], ...]  # kind → count, most common first
    kind: str | None  # the dominant kind, None when mixed or too few links
    unversioned: int  # links without a version suffix
    versions_reported: bool  # most links carry no version: a suffix is the exception
    pdf_suffix: bool  # the document's pdf links mostly end in ".pdf"


def arxiv_convention(text: str) -> Convention:
    """The arXiv link form of a document, learned from every arXiv paper URL in ``text``.

    The whole text is read (not the parsed links) so an incremental run, which parses only a
    few chunks, learns the same convention as a full one.
    """
    kinds: Counter[str] = Counter()
    unversioned = 0
    suffixes = 0
    fast = canonical_arxiv_id
    if "arxiv" in text or "ARXIV" in text.upper():
        for match in _ARXIV_URL_RE.finditer(text):
            url = match.group().rstrip(".,;:*_~")
            if fast(url) is not None:
                kinds["abs"] += 1
                unversioned += 1
                continue
            parsed = parse_arxiv_url(url)
            if parsed is None or parsed.id is None:
                continue
            kinds[parsed.kind] += 1
            unversioned += parsed.id.version is None
            suffixes += parsed.kind == "pdf" and parsed.pdf_suffix
    total = sum(kinds.values())
    kind: str | None = None
    if total >= MIN_LINKS:
        top, count = kinds.most_common(1)[0]
        if count >= DOMINANT_SHARE * total:
            kind = top
    pdfs = kinds.get("pdf", 0)
    return Convention(
        total=total,
        kinds=tuple(kinds.most_common()),
        kind=kind,
        unversioned=unversioned,
        versions_reported=total >= MIN_LINKS and unversioned * 2 > total,
        pdf_suffix=pdfs > 0 and suffixes * 2 > pdfs,
    )


_OTHER_KIND_RE = re.compile(r"arxiv\.org/+(?:pdf|html|format)/", re.IGNORECASE)


def _other_kinds(text: str) -> bool:
    """The text may have arXiv links of a kind other than ``abs`` (two counts of a plain
    substring decide the common all-``abs`` list; the case-blind search runs otherwise)."""
    if text.count("rxiv.org/") == text.count("rxiv.org/abs/"):
        return False
    return _OTHER_KIND_RE.search(text) is not None


# --------------------------------------------------------------------------- arxiv-link


def _id_error(error: str | None) -> str:
    if error is None or error == "not an arXiv identifier":
        return "expected YYMM.NNNNN (or archive/YYMMNNN before 2007)"
    return error


def _rewrite(url: str, kind: str, ident: str, suffix: bool) -> str:
    """``url`` with its path replaced by ``/kind/ident[.pdf]``; scheme, host, query and
    fragment kept as written."""
    scheme_host, _, rest = url.partition("://")
    host, _, tail = rest.partition("/")
    cut = len(tail)
    for mark in ("?", "#"):
        at = tail.find(mark)
        if at >= 0:
            cut = min(cut, at)
    path = f"{kind}/{ident}" + (".pdf" if suffix else "")
    return f"{scheme_host}://{host}/{path}{tail[cut:]}"


def _auto_problem(
    url: str, parsed: ArxivLink, conv: Convention, keep_version: bool
) -> tuple[str, str] | None:
    """(message, fixed URL) for a link outside the document's form, else None."""
    assert parsed.id is not None
    reasons: list[str] = []
    kind: str = parsed.kind
    if conv.kind is not None and kind != conv.kind:
        # No counts in messages: a baseline's fingerprint must survive new entries.
        reasons.append(f"'{kind}' arXiv link where the list links '{conv.kind}' pages")
        kind = conv.kind
    ident = parsed.id.versioned
    if parsed.id.version is not None and conv.versions_reported and not keep_version:
        reasons.append(
            f"version suffix 'v{parsed.id.version}' where the list's arXiv links have none"
        )
        ident = parsed.id.id
    if not reasons:
        return None
    if kind == parsed.kind:
        suffix = parsed.pdf_suffix and kind == "pdf"
    else:
        suffix = kind == "pdf" and conv.pdf_suffix
    fixed = _rewrite(url, kind, ident, suffix)
    return ", ".join(reasons), fixed


def _pinned_problem(
    url: str, parsed: ArxivLink, form: str, keep_version: bool
) -> tuple[str, str] | None:
    assert parsed.id is not None
    base, _, _ = url.partition("?")
    base = base.partition("#")[0]
    ident = parsed.id.versioned if keep_version else parsed.id.id
    wanted = f"https://arxiv.org/{form}/{ident}"
    if base == wanted:
        return None
    query = url[len(base) :]
    return (
        f"arXiv link not in the configured form https://arxiv.org/{form}/ID "
        "([tool.readme-tools.arxiv] form)",
        wanted + query,
    )


def check_arxiv_link(doc: Document, ctx: Context) -> Iterator[Problem]:
    options = ctx.options(ArxivOptions)
    text = doc.source.text
    conv: Convention | None = None
    if options.form == "auto" and _other_kinds(text):
        conv = arxiv_convention(text)
    # https://arxiv.org/abs/ID is fine unless the list's form is another (the common case:
    # a list without pdf/html links learns its convention only if a link needs it).
    skip_canonical = options.form == "abs" or (
        options.form == "auto" and (conv is None or conv.kind in (None, "abs"))
    )
    for link in doc.links:
        url = link.url
        if skip_canonical and canonical_arxiv_id(url) is not None:
            continue
        if link.image or "arxiv" not in url.lower() or not ctx.wants(link.line):
            continue
        parsed = parse_arxiv_url(url.strip())
        if parsed is None:
            continue
        start, end = link.target_span
        if parsed.id is None:
            yield Problem(
                start,
                end,
                f"impossible arXiv id {parsed.written!r}: {_id_error(parsed.error)}",
                severity="error",
            )
            continue
        if options.form == "auto":
            if conv is None:
                conv = arxiv_convention(text)
            found = _auto_problem(url.strip(), parsed, conv, options.keep_version)
        else:
            found = _pinned_problem(url.strip(), parsed, options.form, options.keep_version)
        if found is None:
            continue
        message, fixed = found
        yield Problem(start, end, f"{message}: write {fixed}", fix=_fix(link, fixed))


def _fix(link: Link, fixed: str) -> Fix | None:
    if link.url_span is None or fixed == link.url:
        return None
    start, end = link.url_span
    return Fix(f"write {fixed}", (Edit(start, end, fixed),), effect="href")


# --------------------------------------------------------------------------- the rule

RULES = (
    Rule(
        name="arxiv-link",
        code="L402",
        family="links",  # the L4xx family: links and paper identity
        severity="warning",
        fixable=True,
        summary="arXiv link outside the list's own link form, or an impossible id.",
        doc="""\
**What** — the list's own arXiv link form, learned from its links: when at least 75% of at
least 5 arXiv links are `abs` pages (or `pdf`), a link of another kind is reported and the fix
writes the dominant kind (a list that mixes both gets nothing). A version suffix (`v2`) is
reported when most of the list's links carry none (`keep-version = true` keeps them). Forms
that work — `http://`, `www.` or `export.` hosts, `/pdf/ID` with or without `.pdf`, a trailing
slash — are left alone. `[tool.readme-tools.arxiv] form = "abs"` (or `"pdf"`) pins every link
to exactly `https://arxiv.org/abs/ID`. An impossible id (`203.05527`, month 13, a 5-digit
number before 2015, number zero) points nowhere: it is an *error*, with no automatic fix.
Tracking parameters (`?utm_source=…`) are `link-tracking`'s.

**Why** — one form per list keeps links predictable for readers and duplicates visible, and
the page without a version always shows the newest one.

**Severity** — a warning (a style the list set itself); an impossible id is an error.

In a list that links `abs` pages:

Bad:

    - [x] **BlueLM-V-3B**: Algorithm and System Co-Design for Multimodal Large Language Models on Mobile Devices. CVPR2025 [Paper](https://arxiv.org/pdf/2411.10640v1)

Good:

    - [x] **BlueLM-V-3B**: Algorithm and System Co-Design for Multimodal Large Language Models on Mobile Devices. CVPR2025 [Paper](https://arxiv.org/abs/2411.10640)
""",
        check=check_arxiv_link,
    ),
)
