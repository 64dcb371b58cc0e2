"""Links: tracking parameters, and labels that contradict their target.

Broken link syntax (``link-syntax``) is :mod:`readme_tools.rules.link_syntax`, the arXiv link
form (``arxiv-link``) :mod:`readme_tools.rules.arxiv`, the same paper listed twice
(``duplicate-entry``) :mod:`readme_tools.rules.duplicates`. The four modules are the L4xx
family ``links``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.hosts import (
    BLOG_HOSTS,
    DEFAULT_HOSTS,
    DEFAULT_LABELS,
    HOST_LABELS,
    REPOSITORY_HOSTS,
)
from readme_tools.identifiers import CANONICAL_ARXIV_RE, parse_arxiv_url
from readme_tools.model import Document, Link
from readme_tools.registry import OptionSection, Rule
from readme_tools.urls import host_matches, split_url, strip_tracking, tracking_params

# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class LinkLabelOptions:
    """``[tool.readme-tools.link-label]``: which labels promise which kind of target.

    ``labels``: extra or overriding label → kind ("code", "paper", "page", or "any" to stop
    checking a label). ``hosts``: extra hosts per kind, e.g. ``code = ["git.example.org"]``;
    a host entry may carry a path prefix ("huggingface.co/papers").
    """

    labels: dict[str, str] = field(default_factory=dict)
    hosts: dict[str, list[str]] = field(default_factory=dict)


OPTIONS = (OptionSection("link-label", LinkLabelOptions),)

# --------------------------------------------------------------------------- link-tracking


_UI_STATE_RE = re.compile(r"tab=[^&#]*-ov-file", re.IGNORECASE)
_SPONSOR_RE = re.compile(r"sponsor", re.IGNORECASE)


def _tracking_message(dropped: tuple[str, ...]) -> str:
    names = ", ".join(repr(p) for p in dropped)
    ui = [p for p in dropped if _UI_STATE_RE.fullmatch(p)]
    if len(ui) == len(dropped):
        what = "UI-state parameter" if len(ui) == 1 else "UI-state parameters"
        return f"{what} {names} (GitHub's README tab; the link works without it): drop it"
    what = "tracking parameter" if len(dropped) == 1 else "tracking parameters"
    return f"{what} {names} (the link works without it): drop it"


def check_link_tracking(doc: Document, ctx: Context) -> Iterator[Problem]:
    source = doc.source
    for link in doc.links:
        url = link.url
        if "?" not in url or link.image or not ctx.wants(link.line):
            continue
        dropped = tracking_params(url)
        if not dropped:
            continue
        if all(p.lower().startswith("utm_") for p in dropped) and _SPONSOR_RE.search(
            source.line(link.line)
        ):
            continue  # a sponsor's link keeps its attribution on purpose
        start, end = link.target_span
        clean = strip_tracking(url)
        fix = (
            Fix(
                f"drop {', '.join(repr(p) for p in dropped)}",
                (Edit(start, end, clean),),
                effect="href",
            )
            if link.url_span
            else None
        )
        yield Problem(start, end, _tracking_message(dropped), fix=fix)


# --------------------------------------------------------------------------- link-label

_LABEL_CORE_RE = re.compile(r"[^\w\s-]+")


@lru_cache(maxsize=4096)
def _label_key(label: str) -> str:
    return " ".join(_LABEL_CORE_RE.sub(" ", label).split()).casefold()


@dataclass(frozen=True)
class _LabelTable:
    labels: Mapping[str, str]
    hosts: Mapping[str, tuple[tuple[str, str], ...]]  # kind → ((host, path prefix), ...)


def _host_entry(spec: str) -> tuple[str, str]:
    spec = spec.strip().lower().removeprefix("https://").removeprefix("http://")
    spec = spec.removeprefix("www.")
    host, _, path = spec.partition("/")
    return host, ("/" + path.rstrip("/")) if path else ""


@lru_cache(maxsize=32)
def _table(
    labels: tuple[tuple[str, str], ...], hosts: tuple[tuple[str, tuple[str, ...]], ...]
) -> _LabelTable:
    merged_labels = {**DEFAULT_LABELS, **{_label_key(k): v for k, v in labels}}
    merged_hosts: dict[str, list[str]] = {k: list(v) for k, v in DEFAULT_HOSTS.items()}
    for kind, extra in hosts:
        merged_hosts.setdefault(kind, []).extend(extra)
    return _LabelTable(
        merged_labels,
        {k: tuple(_host_entry(h) for h in v) for k, v in merged_hosts.items()},
    )


def _label_table(ctx: Context) -> _LabelTable:
    o = ctx.options(LinkLabelOptions)
    return _table(
        tuple(sorted(o.labels.items())),
        tuple(sorted((k, tuple(v)) for k, v in o.hosts.items())),
    )


def _on_host(host: str, path: str, entries: tuple[tuple[str, str], ...]) -> bool:
    for pattern, prefix in entries:
        if (host == pattern or host.endswith("." + pattern)) and (
            not prefix or path.lower().startswith(prefix)
        ):
            return True
    return False


def _is_pdf(host: str, path: str, url: str) -> bool:
    if path[-4:].lower() == ".pdf":
        return True
    if host != "arxiv.org" and not host.endswith(".arxiv.org"):
        return False
    if "/pdf" not in path.lower():
        return False  # arXiv serves PDFs under /pdf/ only
    parsed = parse_arxiv_url(url)
    return parsed is not None and parsed.kind == "pdf"


def _is_blog(host: str, path: str) -> bool:
    return (
        _on_host(host, path, BLOG_HOSTS)
        or host.startswith("blog.")
        or path.lower().startswith(("/blog/", "/posts/", "/post/"))
    )


def _code_label_problem(
    label: str, key: str, host: str, path: str, url: str, table: _LabelTable
) -> str | None:
    """A [Code]-like label: wrong only on a project page, a paper, a PDF or a blog."""
    if host.endswith(".github.io"):
        what = "a blog post" if _is_blog(host, path) else "a project page"
        return f"[{label}] points at a GitHub Pages site ({host}), {what}, not code"
    if HOST_LABELS.get(key) is not None and host_matches(host, HOST_LABELS[key]):
        return None  # [Github] on github.com: the label names the host, any file there is fine
    if _on_host(host, path, table.hosts.get("code", ())) or host.startswith(("gitlab.", "git.")):
        if _is_pdf(host, path, url):
            return f"[{label}] points at a PDF, not at code"
        return None
    if _is_pdf(host, path, url):
        return f"[{label}] points at a PDF, not at code"
    if _on_host(host, path, table.hosts.get("paper", ())):
        return f"[{label}] points at a paper on {host}, not at code"
    if _is_blog(host, path):
        return f"[{label}] points at a blog post on {host}, not at code"
    return None


def _label_problem(link: Link, kind: str, table: _LabelTable) -> str | None:
    parts = split_url(link.url.strip())
    if parts is None or parts.scheme not in ("http", "https"):
        return None  # link-syntax reports odd targets
    host, path, label = parts.host, parts.path, link.label
    if kind == "code":
        return _code_label_problem(label, _label_key(label), host, path, link.url, table)
    if kind == "paper":
        if _is_pdf(host, path, link.url) or _on_host(host, path, table.hosts.get("paper", ())):
            return None
        if _on_host(host, path, REPOSITORY_HOSTS) and not host.endswith(".github.io"):
            return f"[{label}] points at a code repository on {host}, not at a paper"
        return None  # a scholarly host this table does not know is fine
    if kind == "page":
        if _is_pdf(host, path, link.url):
            return f"[{label}] points at a PDF; a project page is a web page"
        return None
    hosts = table.hosts.get(kind, ())
    if hosts and not _on_host(host, path, hosts):
        return f"[{label}] points at {host}, not at a {kind} host"
    return None


def check_link_label(doc: Document, ctx: Context) -> Iterator[Problem]:
    table = _label_table(ctx)
    canonical_arxiv = CANONICAL_ARXIV_RE.fullmatch
    for entry in doc.entries:
        if ctx.lines is not None and not ctx.wants(
            entry.line, doc.source.position(entry.head_span.end)[0]
        ):
            continue
        for link in entry.links:
            if link.image or not link.url.strip():
                continue
            kind = table.labels.get(_label_key(link.label))
            if kind is None or kind == "any":
                continue
            if kind == "paper" and canonical_arxiv(link.url):
                continue  # arxiv.org is always a paper host (the common case)
            problem = _label_problem(link, kind, table)
            if problem is not None:
                yield Problem(link.span.start, link.span.end, problem)


# --------------------------------------------------------------------------- the rules

_GOOD = (
    "- [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. "
    "CVPR2025 [Paper](https://arxiv.org/abs/2412.04467) [Code](https://github.com/dvlab-research/VisionZip)"
)

RULES = (
    Rule(
        name="link-tracking",
        code="L403",
        severity="warning",
        fixable=True,
        summary="Tracking or UI-state query parameters that can be dropped.",
        doc="""\
**What** — query parameters that only track the click or record UI state, in any link
(arXiv links included): `utm_*`, `fbclid`, `gclid` and similar everywhere; GitHub's
`?tab=readme-ov-file` (and the other `*-ov-file` tabs); `ref=` / `source=` on hosts where they
only track (GitHub, Medium, Hugging Face, …); `si=` on YouTube. The message names the
parameter and says whether it tracks or holds UI state. A sponsor's link (its line says
"sponsor") keeps its `utm_*` attribution. Fix: drop them; the rest of the URL is kept as
written.

**Severity** — a warning: the link works.

**Why** — they add noise to diffs and make the same target look like two links.

Bad:

    - [x] **VoCo-LLaMA**: Towards Vision Compression with Large Language Models. CVPR2025 [Paper](https://arxiv.org/abs/2406.12275) [Code](https://github.com/Yxxxb/VoCo-LLaMA?tab=readme-ov-file)

Good:

    - [x] **VoCo-LLaMA**: Towards Vision Compression with Large Language Models. CVPR2025 [Paper](https://arxiv.org/abs/2406.12275) [Code](https://github.com/Yxxxb/VoCo-LLaMA)
""",
        check=check_link_tracking,
    ),
    Rule(
        name="link-label",
        code="L404",
        severity="warning",
        fixable=False,
        summary="Link label contradicts its target ([Code] to a blog, [Paper] to a repo…).",
        doc="""\
**What** — in entries, a label that promises one kind of target while the link certainly
goes to another: `[Code]` (also `[Github]`, `[Repo]`, `[Implementation]`) on a project page
(`*.github.io`), a paper host (arXiv, DOI, ACM, …), a PDF or a blog; `[Paper]` (also `[PDF]`,
`[arXiv]`) on a source repository (GitHub, GitLab, …; a PDF there is fine); `[Page]` (also
`[Project]`, `[Homepage]`) on a PDF. A host the table does not know is never reported: a
journal, a university repository or a company site may well be what the label says. A label
that names a host (`[Github]`) may point at any file on that host. Labels are compared
case-insensitively and without brackets, so `[[pdf]]` is `pdf`. Extend the table with
`[tool.readme-tools.link-label]`: `labels = {{ "weights" = "code" }}`,
`hosts = {{ code = ["git.example.org"] }}`; a label mapped to `"any"` is not checked.

**Severity** — a warning: the link works, its label misleads.

**Why** — a `[Code]` link to a blog post tells readers code exists when it does not.

Bad:

    - [x] **Mono-InternVL**: Pushing the Boundaries of Monolithic Multimodal Large Language Models with Endogenous Visual Pre-training. CVPR2025 [Paper](https://arxiv.org/abs/2410.08202) [Code](https://internvl.github.io/blog/2024-10-10-Mono-InternVL/)

Good:

    - [x] **Mono-InternVL**: Pushing the Boundaries of Monolithic Multimodal Large Language Models with Endogenous Visual Pre-training. CVPR2025 [Paper](https://arxiv.org/abs/2410.08202) [Page](https://internvl.github.io/blog/2024-10-10-Mono-InternVL/)
""",
        check=check_link_label,
    ),
)

__all__ = ["OPTIONS", "RULES"]
