"""link-syntax: links that do not render on GitHub or lead nowhere, and empty-target idioms.

Every "not rendered" claim here is what GitHub's renderer (cmark-gfm) does with the text:
``[label](url with space)`` is text, ``[label] (url)`` is text, a link in a table cell past
the header's column count is dropped, and a URL right after ``[`` is not autolinked. A bare
URL anywhere else renders as a link, so it is not reported. Part of the L4xx family ``links``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from operator import attrgetter

from readme_tools.context import Context
from readme_tools.diagnostics import Problem
from readme_tools.model import Document, Link
from readme_tools.registry import Rule

_WEB_SCHEMES = frozenset({"http", "https"})
_OTHER_SCHEMES = frozenset(
    {"mailto", "ftp", "ftps", "sftp", "ssh", "git", "irc", "ircs", "tel", "xmpp", "news", "data"}
)
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SCHEMELESS_RE = re.compile(
    r"(?:www\.[\w-]+(?:\.[\w-]+)+|(?:[\w-]+\.)+(?:com|org|net|edu|gov|io|ai|co|cn|uk|de))(?:[/?#]|$)",
    re.IGNORECASE,
)
_BROKEN_LINK_RE = re.compile(r"\]\(")
# "[label] (https://…)" and "[label] \ (https://…)": a space between ']' and '('.
_SPACED_LINK_RE = re.compile(r"\](?:[ \t]+\\)?[ \t]+\((?=https?://)", re.IGNORECASE)
# "[https://…": a URL right after '[' (GitHub does not autolink it there).
_BRACKETED_URL_RE = re.compile(r"\[(https?://[^\s\[\]()<>]+)", re.IGNORECASE)
_CODE_SPAN_RE = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_CHECKBOX_RE = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]")
_DELIMITER_ROW_RE = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")
_SPAN_START = attrgetter("span.start")

# A plain web URL with nothing link-syntax could object to (the common case, skipped fast).
_PLAIN_WEB_URL_RE = re.compile(r"https?://[^\s()\[\]]+")


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
    chunk = text[start:end]
    if "`" not in chunk:
        return []
    return [(start + m.start(), start + m.end()) for m in _CODE_SPAN_RE.finditer(chunk)]


# --------------------------------------------------------------------------- parsed links


def _scheme_problem(link: Link, in_entry: Callable[[Link], bool]) -> str | None:
    url = link.url.strip()
    if not url or url.startswith(("#", "/", "./", "../", "?")):
        return None
    match = _SCHEME_RE.match(url)
    if match is None:
        if url.startswith("["):
            return (
                f"link target {url[:60]!r} starts with '[': GitHub links to a relative path "
                "that does not exist; remove the stray bracket"
            )
        if _SCHEMELESS_RE.match(url):
            return (
                f"link target {url[:60]!r} has no scheme: GitHub resolves it as a relative "
                "path of this repository; add 'https://'"
            )
        return None
    scheme = match.group(1).lower()
    if scheme in _WEB_SCHEMES:
        return None
    if scheme == "mailto" or (scheme in _OTHER_SCHEMES and not in_entry(link)):
        return None
    if scheme == "file" or len(scheme) == 1:
        return f"link target {url[:60]!r} is a file on someone's computer, not a web link"
    return f"link scheme {scheme + ':'!r} where a web link (https://) is expected"


def _contains_image(link: Link, images: list[Link]) -> bool:
    return any(link.span.start < im.span.start and im.span.end <= link.span.end for im in images)


# Empty targets: "[label]()" anywhere in the text (read whole, so incremental runs agree).
_EMPTY_TARGET_RE = re.compile(r"\]\(\s*\)")
# A list that leaves this many targets empty uses the idiom on purpose: nothing is reported.
IDIOM_COUNT = 3
# Link text that announces the placeholder itself.
_ANNOUNCED_RE = re.compile(
    r"coming soon|\bsoon\b|\btbd\b|\btba\b|\btodo\b|under develop|\bwip\b|to be released|"
    r"not (?:yet )?(?:available|released)|\bn/?a\b|即将|待更新|敬请期待",
    re.IGNORECASE,
)


def _empty_target(link: Link, images: list[Link]) -> Problem | None:
    start, end = link.span
    if _ANNOUNCED_RE.search(link.label):
        return None
    if _contains_image(link, images):
        message = (
            "badge with an empty link target ([![…](…)]()): GitHub shows the badge as a link "
            "to this same page; give it a target or drop the outer brackets"
        )
    else:
        message = (
            f"placeholder link [{link.label}]() with an empty target: GitHub shows it as a "
            "link to this same page; add the URL when there is one"
        )
    return Problem(start, end, message, severity="warning")


def check_link_syntax(doc: Document, ctx: Context) -> Iterator[Problem]:
    entry_links: set[int] | None = None  # built when first needed (most documents: never)

    def in_entry(link: Link) -> bool:
        nonlocal entry_links
        if entry_links is None:
            entry_links = {id(lk) for entry in doc.entries for lk in entry.links}
        return id(link) in entry_links

    plain = _PLAIN_WEB_URL_RE.fullmatch
    images: list[Link] | None = None
    idiom: bool | None = None  # the list leaves targets empty on purpose
    for link in doc.links:
        url = link.url
        if link.image or plain(url) or not ctx.wants(link.line):
            continue
        if link.url_span is not None and not url.strip():
            if idiom is None:
                idiom = len(_EMPTY_TARGET_RE.findall(doc.source.text)) >= IDIOM_COUNT
            if images is None:
                images = [lk for lk in doc.links if lk.image]
            empty = None if idiom else _empty_target(link, images)
            if empty is not None:
                yield empty
            continue
        problem = _scheme_problem(link, in_entry)
        if problem is not None:
            yield Problem(*link.target_span, problem)
        # In-page anchors (#…) are resolved by toc-anchor, with GitHub's exact slugs.
    yield from _remnants(doc, ctx)


# --------------------------------------------------------------------------- remnants


def _cells(row: str) -> list[tuple[int, int]]:
    """Cell ranges of a GFM table row (pipes escaped or in code spans do not split)."""
    bounds: list[int] = []
    i, n = 0, len(row)
    while i < n:
        ch = row[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            run = len(row) - len(row[i:].lstrip("`"))
            close = row.find("`" * run, i + run)
            if close > 0:
                i = close + run
                continue
        if ch == "|":
            bounds.append(i)
        i += 1
    stripped = row.strip()
    cells: list[tuple[int, int]] = []
    start = 0
    for bar in bounds:
        cells.append((start, bar))
        start = bar + 1
    cells.append((start, n))
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|") and len(cells) > 1:
        cells = cells[:-1]
    return cells


def _table_columns(doc: Document, line: int) -> int | None:
    """The header's column count when ``line`` is a body row of a GFM table, else None."""
    source = doc.source
    k = line - 1
    while k >= 2:
        text = source.line(k)
        if not text.strip() or "|" not in text:
            return None
        if _DELIMITER_ROW_RE.fullmatch(text) and "-" in text:
            header = source.line(k - 1)
            return len(_cells(header)) if "|" in header else None
        k -= 1
    return None


def _excess_cell(doc: Document, line: int, pos: int) -> str | None:
    """A message when ``pos`` sits in a table cell GitHub drops (past the header's count)."""
    columns = _table_columns(doc, line)
    if columns is None:
        return None
    line_start = doc.source.line_starts[line - 1]
    row = doc.source.line(line)
    cells = _cells(row)
    at = next((k for k, (a, b) in enumerate(cells) if a <= pos - line_start <= b), None)
    if at is None or at < columns:
        return None
    return (
        f"this link is in cell {at + 1} of a table row whose header has {columns} columns: "
        "GitHub drops the cells past the header's count, so it is not shown; add a header "
        "column or move the link into an existing cell"
    )


@lru_cache(maxsize=1)
def _renderer() -> Callable[[str], str]:
    import cmarkgfm  # GitHub's renderer; only for the rare line that needs it

    return cmarkgfm.github_flavored_markdown_to_html  # type: ignore[no-any-return]


def _renders_link_to(line_text: str, url: str) -> bool:
    return f'href="{url}' in _renderer()(line_text)


def _unparsed(doc: Document) -> list[tuple[int, int]]:
    """Offset ranges of the lines whose links were not parsed (``parse-limit`` reports them)."""
    source = doc.source
    return [
        (source.line_span(limit.line)[0], source.line_span(limit.end_line)[1])
        for limit in doc.limits
    ]


def _remnants(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Text that was meant as a link but that GitHub does not render as one."""
    source = doc.source
    text = source.text
    spaced = "] (" in text or "]\t(" in text or "] \\" in text
    bracketed = "[http" in text or "[Http" in text or "[HTTP" in text
    if "](" not in text and not spaced and not bracketed:
        return
    starts, ends = _link_spans(doc.links)
    code = doc.code_lines
    found: list[tuple[int, int, str]] = []
    unread = _unparsed(doc)  # lines the parser did not read: parse-limit reports them
    spans: dict[int, list[tuple[int, int]]] = {}  # code spans by line: computed once a line

    def inside_link(pos: int) -> bool:
        import bisect

        at = bisect.bisect_right(starts, pos) - 1
        return at >= 0 and pos < ends[at]

    def skip(pos: int) -> int | None:
        """The line of ``pos`` when a finding there is wanted, else None."""
        if inside_link(pos):
            return None
        line = source.position(pos)[0]
        if line in code or line in doc.html_lines or not ctx.wants(line):
            return None
        if line not in spans:
            spans[line] = _code_spans(text, *source.line_span(line))
        if any(a <= pos < b for a, b in spans[line]):
            return None
        return line

    if "](" in text:
        for match in ctx.finditer(_BROKEN_LINK_RE, source, skip=unread):
            pos = match.start()
            line = skip(pos)
            if line is None:
                continue
            found.extend(_broken_destination(doc, line, pos))
    for match in ctx.finditer(_SPACED_LINK_RE, source, skip=unread) if spaced else ():
        pos = match.start()
        line = skip(pos)
        if line is None:
            continue
        line_start = source.line_starts[line - 1]
        checkbox = _CHECKBOX_RE.match(text, line_start)
        if checkbox is not None and checkbox.end() == pos + 1:
            continue  # "- [ ] (https://…)": a task box, then a URL in parentheses
        opening = text.rfind("[", line_start, pos)
        if opening >= 0 and text[opening + 1 : pos].strip().isdigit():
            continue  # "[1] (https://…)": a citation number, then the URL it cites
        found.append(
            (
                pos,
                match.end(),
                "space between ']' and '(': GitHub shows this as text, not as a link; "
                "remove the space",
            )
        )
    for match in ctx.finditer(_BRACKETED_URL_RE, source, skip=unread) if bracketed else ():
        pos = match.start()
        line = skip(pos)
        if line is None or text[pos - 1 : pos] == "]":
            continue
        url = match.group(1)
        if _renders_link_to(source.line(line), url):
            continue
        found.append(
            (
                match.start(1),
                match.end(1),
                "URL right after '[' is not a link on GitHub (it is shown as text); "
                "write [Label](url)",
            )
        )
    yield from (Problem(a, b, message) for a, b, message in sorted(found))


def _broken_destination(doc: Document, line: int, pos: int) -> Iterator[tuple[int, int, str]]:
    """What is wrong with the ``](`` at ``pos`` that did not become a link."""
    text = doc.source.text
    line_end = doc.source.line_span(line)[1]
    close = text.find(")", pos + 2, line_end)
    dest = text[pos + 2 : close if close >= 0 else line_end]
    if not dest.strip():
        return
    end = close if close >= 0 else line_end
    excess = _excess_cell(doc, line, pos)
    if excess is not None:
        yield pos + 2, end, excess
    elif close < 0 or dest.count("(") > dest.count(")"):
        yield pos + 2, end, "unbalanced parentheses: this link is not rendered"
    elif any(ch.isspace() for ch in dest.strip()):
        yield (
            pos + 2,
            end,
            "whitespace in link URL: this link is not rendered (encode it as %20, or write "
            "the URL in <…>)",
        )
    elif dest.strip().lower().startswith("file:"):
        yield (
            pos + 2,
            end,
            f"link target {dest.strip()[:60]!r} is a file on someone's computer, not a web link",
        )
    elif text[pos - 1 : pos] == "]":
        yield (
            pos + 2,
            end,
            "unbalanced brackets before '(': GitHub shows the brackets as text and links only "
            "the bare URL; write [Label](url)",
        )
    else:
        yield pos + 2, end, "malformed link: this is not rendered as a link"


# --------------------------------------------------------------------------- the rule

_GOOD = (
    "- [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. "
    "CVPR2025 [Paper](https://arxiv.org/abs/2412.04467) [Code](https://github.com/dvlab-research/VisionZip)"
)

RULES = (
    Rule(
        name="link-syntax",
        code="L401",
        family="links",
        severity="error",
        fixable=False,
        summary="A link GitHub does not render or that leads nowhere; empty-target placeholders.",
        doc=f"""\
**What** — *errors*: markdown meant as a link that GitHub (cmark-gfm) does not render as one —
whitespace or unbalanced parentheses in a URL, a space between `]` and `(`, a stray bracket,
a URL right after `[` (not autolinked there), a link in a table cell past the header's column
count (GitHub drops the cell) — and links that lead nowhere: a scheme other than `http(s)`
where a web link is expected (`ttps://…`), a local file (`file:///C:/…`), no scheme at all
(`github.com/x/y` is resolved as a relative path). *Warning*: an empty target — a
placeholder `[github]()` or a badge `[![…](…)]()` — which GitHub shows as a link to this same
page; not reported when the list uses the idiom on purpose (three or more empty targets) or
the text announces it (`[Coming soon]()`, `[Code (TBD)]()`). A bare URL is not reported: GitHub autolinks it. In-page links
(`#anchor`) are checked by `toc-anchor`.

**Severity** — an error: the link is broken for a reader; an empty target is a warning (the
list may mean it as a placeholder).

**Why** — the reader sees raw markdown, or clicks and lands nowhere.

Bad:

    - [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. CVPR2025 [Paper] (https://arxiv.org/abs/2412.04467) [Code](github.com/dvlab-research/VisionZip)

Good:

    {_GOOD}
""",
        check=check_link_syntax,
    ),
)

__all__ = ["RULES"]
