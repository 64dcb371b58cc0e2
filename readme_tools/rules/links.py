"""Links: broken link syntax, tracking parameters, and labels that contradict their target.

The arXiv link form (``arxiv-link``) is :mod:`readme_tools.rules.arxiv`; the same paper listed
twice (``duplicate-entry``) is :mod:`readme_tools.rules.duplicates`. The three modules are the
L4xx family ``links``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.hosts import DEFAULT_HOSTS, DEFAULT_LABELS
from readme_tools.identifiers import CANONICAL_ARXIV_RE, parse_arxiv_url
from readme_tools.model import Document, Link
from readme_tools.registry import OptionSection, Rule
from readme_tools.urls import split_url, strip_tracking, tracking_params

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

# --------------------------------------------------------------------------- shared helpers

_WEB_SCHEMES = frozenset({"http", "https"})
_OTHER_SCHEMES = frozenset(
    {"mailto", "ftp", "ftps", "sftp", "ssh", "git", "irc", "ircs", "tel", "xmpp", "news", "data"}
)
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SCHEMELESS_RE = re.compile(
    r"(?:www\.[\w-]+(?:\.[\w-]+)+|(?:[\w-]+\.)+(?:com|org|net|edu|gov|io|ai|co|cn|uk|de))(?:[/?#]|$)",
    re.IGNORECASE,
)
_BARE_URL_RE = re.compile(r"https?://[^\s<>()\[\]]+", re.IGNORECASE)
_BROKEN_LINK_RE = re.compile(r"\]\(")
_CODE_SPAN_RE = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")


_SPAN_START = attrgetter("span.start")


def _link_spans(links: Sequence[Link]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for link in sorted(links, key=_SPAN_START):
        if starts and link.span.start < ends[-1]:
            ends[-1] = max(ends[-1], link.span.end)  # a link nested in another (badge links)
            continue
        starts.append(link.span.start)
        ends.append(link.span.end)
    return starts, ends


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if text.find("`", start, end) < 0:
        return []
    chunk = text[start:end]
    return [(start + m.start(), start + m.end()) for m in _CODE_SPAN_RE.finditer(chunk)]


# --------------------------------------------------------------------------- link-syntax


def _scheme_problem(link: Link, in_entry: Callable[[Link], bool]) -> str | None:
    url = link.url.strip()
    if not url or url.startswith(("#", "/", "./", "../", "?")):
        return None
    match = _SCHEME_RE.match(url)
    if match is None:
        if _SCHEMELESS_RE.match(url):
            return f"link target {url[:60]!r} has no scheme; GitHub resolves it as a relative path (add 'https://')"
        return None
    scheme = match.group(1).lower()
    if scheme in _WEB_SCHEMES:
        return None
    if scheme == "mailto" or (scheme in _OTHER_SCHEMES and not in_entry(link)):
        return None
    if len(scheme) == 1:
        return f"link target {url[:60]!r} is a local file path, not a web link"
    return f"link scheme {scheme + ':'!r} where a web link (https://) is expected"


_SPACE_RE = re.compile(r"\S\s+\S")
_BRACKET_RE = re.compile(r"[()\[\]]")


def _bracket_problem(url: str) -> str | None:
    if _SPACE_RE.search(url):
        return "whitespace in link URL (encode it as %20)"
    if _BRACKET_RE.search(url) and (
        url.count("(") != url.count(")") or url.count("[") != url.count("]")
    ):
        return "unbalanced brackets in link URL"
    return None


# A plain web URL with nothing link-syntax could object to (the common case, skipped fast).
_PLAIN_WEB_URL_RE = re.compile(r"https?://[^\s()\[\]]+")


def check_link_syntax(doc: Document, ctx: Context) -> Iterator[Problem]:
    entry_links: set[int] | None = None  # built when first needed (most documents: never)

    def in_entry(link: Link) -> bool:
        nonlocal entry_links
        if entry_links is None:
            entry_links = {id(lk) for entry in doc.entries for lk in entry.links}
        return id(link) in entry_links

    plain = _PLAIN_WEB_URL_RE.fullmatch
    for link in doc.links:
        url = link.url
        if link.image or plain(url) or not ctx.wants(link.line):
            continue
        if link.url_span is not None and not url.strip():
            yield Problem(link.span.start, link.span.end, f"empty link target in [{link.label}]()")
            continue
        problem = _bracket_problem(url) if link.url_span is not None else None
        if problem is None:
            problem = _scheme_problem(link, in_entry)
        if problem is not None:
            yield Problem(*link.target_span, problem)
        # In-page anchors (#…) are resolved by toc-anchor, with GitHub's exact slugs.
    yield from _broken_links(doc, ctx)
    yield from _bare_urls(doc, ctx)


def _unparsed(doc: Document) -> list[tuple[int, int]]:
    """Offset ranges of the lines whose links were not parsed (``parse-limit`` reports them)."""
    source = doc.source
    return [
        (source.line_span(limit.line)[0], source.line_span(limit.end_line)[1])
        for limit in doc.limits
    ]


def _broken_links(doc: Document, ctx: Context) -> Iterator[Problem]:
    """``[label](url with space)`` and ``[label](url(`` are not links at all: find their remains."""
    source = doc.source
    text = source.text
    if "](" not in text:
        return
    starts, ends = _link_spans(doc.links)
    code = doc.code_lines
    spans: dict[int, list[tuple[int, int]]] = {}  # code spans by line: computed once a line
    index, count = 0, len(starts)
    for match in ctx.finditer(_BROKEN_LINK_RE, source, skip=_unparsed(doc)):
        pos = match.start()
        while index < count and ends[index] <= pos:
            index += 1
        if index < count and starts[index] <= pos:
            continue  # inside a parsed link
        line = source.position(pos)[0]
        if line in code or line in doc.html_lines or not ctx.wants(line):
            continue
        line_start, line_end = source.line_span(line)
        if line not in spans:
            spans[line] = _code_spans(text, line_start, line_end)
        if any(a <= pos < b for a, b in spans[line]):
            continue
        close = text.find(")", pos + 2, line_end)
        dest = text[pos + 2 : close if close >= 0 else line_end]
        if not dest.strip():
            continue
        if close < 0 or dest.count("(") > dest.count(")"):
            message = "unbalanced parentheses: this link is not rendered"
        elif any(ch.isspace() for ch in dest.strip()):
            message = "whitespace in link URL: this link is not rendered (encode it as %20)"
        else:
            message = "malformed link: this is not rendered as a link"
        yield Problem(pos + 2, close if close >= 0 else line_end, message)


def _bare_urls(doc: Document, ctx: Context) -> Iterator[Problem]:
    """URLs in an entry line that are not inside a link."""
    source = doc.source
    text = source.text
    for entry in doc.entries:
        head = entry.head_span
        if ctx.lines is not None and not ctx.wants(entry.line, source.position(head.end)[0]):
            continue
        if doc.limits and doc.limited(entry.line):
            continue  # its links were not parsed: parse-limit reports it
        gaps: list[tuple[int, int]] = []
        pos = head.start
        for link in entry.links:
            if link.span.start > pos:
                gaps.append((pos, link.span.start))
            pos = max(pos, link.span.end)
        if pos < head.end:
            gaps.append((pos, head.end))
        for gap_start, gap_end in gaps:
            if text.find("://", gap_start, gap_end) < 0:
                continue
            code_spans = _code_spans(text, head.start, head.end)
            for match in _BARE_URL_RE.finditer(text, gap_start, gap_end):
                start = match.start()
                if any(a <= start < b for a, b in code_spans):
                    continue
                before = text[max(0, start - 2) : start]
                if before.endswith(("=", '="', "='", "](", "<")):
                    continue  # HTML attribute, a broken link reported above, or an autolink
                if source.position(start)[0] in doc.html_lines:
                    continue
                yield Problem(
                    start,
                    match.end(),
                    "bare URL in an entry line; write it as a labelled link [Label](url)",
                )


# --------------------------------------------------------------------------- link-tracking


def check_link_tracking(doc: Document, ctx: Context) -> Iterator[Problem]:
    for link in doc.links:
        url = link.url
        if "?" not in url or link.image or not ctx.wants(link.line):
            continue
        parsed = parse_arxiv_url(url.strip())
        if parsed is not None and parsed.id is not None:
            continue  # arxiv-link rewrites arXiv paper links as a whole
        dropped = tracking_params(url)
        if not dropped:
            continue
        start, end = link.target_span
        clean = strip_tracking(url)
        names = ", ".join(repr(p) for p in dropped)
        fix = Fix(f"drop {names}", (Edit(start, end, clean),)) if link.url_span else None
        yield Problem(
            start,
            end,
            f"tracking or UI-state query parameter {names} (the link works without it)",
            fix=fix,
        )


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
            parts = split_url(link.url.strip())
            if parts is None or parts.scheme not in ("http", "https"):
                continue  # link-syntax reports odd targets
            host, path = parts.host, parts.path
            problem: str | None = None
            if kind == "code":
                if host.endswith(".github.io"):
                    problem = f"[{link.label}] points at a GitHub Pages site ({host}), not at code"
                elif not (
                    _on_host(host, path, table.hosts.get("code", ()))
                    or host.startswith(("gitlab.", "git.", "gitea.", "forgejo."))
                ):
                    problem = f"[{link.label}] points at {host}, which is not a code host"
                elif _is_pdf(host, path, link.url):
                    problem = f"[{link.label}] points at a PDF, not at code"
            elif kind == "paper":
                paperish = _is_pdf(host, path, link.url) or _on_host(
                    host, path, table.hosts.get("paper", ())
                )
                if not paperish:
                    problem = f"[{link.label}] points at {host}, which is not a paper host or PDF"
            elif kind == "page" and _is_pdf(host, path, link.url):
                problem = f"[{link.label}] points at a PDF; a project page is a web page"
            elif kind not in ("code", "paper", "page"):
                hosts = table.hosts.get(kind, ())
                if hosts and not _on_host(host, path, hosts):
                    problem = f"[{link.label}] points at {host}, not at a {kind} host"
            if problem is not None:
                yield Problem(link.span.start, link.span.end, problem)


# --------------------------------------------------------------------------- the rules

_GOOD = (
    "- [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. "
    "CVPR2025 [Paper](https://arxiv.org/abs/2412.04467) [Code](https://github.com/dvlab-research/VisionZip)"
)

RULES = (
    Rule(
        name="link-syntax",
        code="L401",
        severity="error",
        fixable=False,
        summary="Broken link: empty target, space or bracket in URL, wrong scheme, bare URL.",
        doc=f"""\
**What** — links that do not render or do not lead anywhere: an empty target `[PDF]()`,
whitespace or unbalanced brackets in a URL (the markdown is then not a link at all), a scheme
other than `http(s)` where a web link is expected (`ttps://…`, `C:\\…`, or no scheme at all:
`github.com/x/y` is resolved as a relative path) and a bare URL in an entry line. In-page
links (`#anchor`) are checked by `toc-anchor`, with GitHub's exact heading slugs.

**Why** — these links silently break on GitHub: the reader sees raw markdown or lands on a 404.

Bad:

    - [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. CVPR2025 [Paper]() [Code](github.com/dvlab-research/VisionZip)

Good:

    {_GOOD}
""",
        check=check_link_syntax,
    ),
    Rule(
        name="link-tracking",
        code="L403",
        severity="warning",
        fixable=True,
        summary="Tracking or UI-state query parameters that can be dropped.",
        doc="""\
**What** — query parameters that only track the click or record UI state: `utm_*`,
`fbclid`, `gclid` and similar everywhere; GitHub's `?tab=readme-ov-file` (and the other
`*-ov-file` tabs); `ref=` / `source=` on hosts where they only track (GitHub, Medium, Hugging
Face, …); `si=` on YouTube. Fix: drop them; the rest of the URL is kept as written. arXiv
paper links are left to `arxiv-link`, which rewrites them as a whole.

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
**What** — in entries, a label that promises one kind of target while the link goes
elsewhere: `[Code]` (also `[Github]`, `[Repo]`) not on a code host (GitHub, GitLab, Bitbucket,
Hugging Face, Codeberg, Gitee, SourceForge, Colab…; a `*.github.io` page is not code),
`[Paper]` (also `[PDF]`, `[arXiv]`) not on a paper host, DOI or PDF, `[Page]` (also
`[Project]`, `[Homepage]`) pointing at a PDF. Labels are compared case-insensitively and
without brackets, so `[[pdf]]` is `pdf`. Extend the table with
`[tool.readme-tools.link-label]`: `labels = {{ "weights" = "code" }}`,
`hosts = {{ code = ["git.example.org"] }}`; a label mapped to `"any"` is not checked.

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
