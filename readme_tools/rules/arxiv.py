"""arXiv links: the canonical ``https://arxiv.org/abs/ID`` form, and impossible ids."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.identifiers import canonical_arxiv_id, parse_arxiv_url
from readme_tools.model import Document
from readme_tools.registry import OptionSection, Rule
from readme_tools.urls import split_url

# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class ArxivOptions:
    """``[tool.readme-tools.arxiv]``: the canonical arXiv link form."""

    keep_version: bool = False  # keep "v2" suffixes (cite one version deliberately)


OPTIONS = (OptionSection("arxiv", ArxivOptions),)

# --------------------------------------------------------------------------- arxiv-link


def _arxiv_reasons(url: str, keep_version: bool) -> list[str]:
    link = parse_arxiv_url(url)
    assert link is not None and link.id is not None
    parts = split_url(url)
    assert parts is not None
    reasons: list[str] = []
    if link.kind != "abs":
        reasons.append(f"'{link.kind}' link instead of the 'abs' page")
    elif link.pdf_suffix:
        reasons.append("'abs/' URL ends in '.pdf'")
    if link.id.version is not None and not keep_version:
        reasons.append(f"version suffix 'v{link.id.version}'")
    if parts.scheme != "https":
        reasons.append(f"'{parts.scheme}://' instead of 'https://'")
    raw_host = url.split("://", 1)[1].split("/", 1)[0].lower()
    if raw_host != "arxiv.org":
        reasons.append(f"host '{raw_host}' instead of 'arxiv.org'")
    if not reasons:
        reasons.append("non-canonical form")
    return reasons


def _id_error(error: str | None) -> str:
    if error is None or error == "not an arXiv identifier":
        return "expected YYMM.NNNNN (or archive/YYMMNNN before 2007)"
    return error


def check_arxiv_link(doc: Document, ctx: Context) -> Iterator[Problem]:
    keep_version = ctx.options(ArxivOptions).keep_version
    for link in doc.links:
        url = link.url
        if canonical_arxiv_id(url) is not None:
            continue  # already canonical (the common case)
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
        canonical = parsed.id.url(keep_version)
        if url == canonical:
            continue
        message = "non-canonical arXiv link: " + ", ".join(
            _arxiv_reasons(url.strip(), keep_version)
        )
        fix = None
        if link.url_span is not None:
            fix = Fix(f"write {canonical}", (Edit(start, end, canonical),), effect="href")
        yield Problem(start, end, f"{message} (canonical: {canonical})", fix=fix)


# --------------------------------------------------------------------------- the rule

RULES = (
    Rule(
        name="arxiv-link",
        code="L402",
        family="links",  # the L4xx family: links and paper identity
        severity="warning",
        fixable=True,
        summary="arXiv link not in the canonical https://arxiv.org/abs/ID form, or an impossible id.",
        doc="""\
**What** — an arXiv link that is not `https://arxiv.org/abs/<id>`: a `pdf`, `html` or `format`
link, a version suffix `v2` (kept when `[tool.readme-tools.arxiv] keep-version = true`),
`http://`, a host such as `www.`, `export.` or `browse.arxiv.org`, an `abs/` URL ending in
`.pdf`. Fix: write the canonical link. An impossible id (`203.05527`, month 13, a 5-digit
number before 2015, number zero) is an error and has no automatic fix.

**Why** — one form per paper makes duplicates visible, keeps diffs small, and the `abs` page
always offers the newest version and the PDF.

Bad:

    - [x] **BlueLM-V-3B**: Algorithm and System Co-Design for Multimodal Large Language Models on Mobile Devices. CVPR2025 [Paper](http://arxiv.org/pdf/2411.10640v1.pdf)

Good:

    - [x] **BlueLM-V-3B**: Algorithm and System Co-Design for Multimodal Large Language Models on Mobile Devices. CVPR2025 [Paper](https://arxiv.org/abs/2411.10640)
""",
        check=check_arxiv_link,
    ),
)
