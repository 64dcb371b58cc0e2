"""Table of contents: links that land, and a TOC that is complete and up to date."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from readme_tools.config import TocOptions
from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.model import Document, Heading, Link, Span
from readme_tools.registry import OptionSection, Rule
from readme_tools.sequences import longest_increasing
from readme_tools.slugger import base_slug
from readme_tools.toc import (
    Layout,
    Resolved,
    anchor_index,
    decode_fragment,
    href,
    render,
    text_matches,
    toc_href,
    toc_layout,
)

#: The description of the TOC regeneration fix (editors offer it as its own action).
REGENERATE_TOC = "regenerate the table of contents"


@dataclass(frozen=True)
class TocAnchorOptions:
    """``[tool.readme-tools.toc-anchor]``: fragments that differ from an anchor only in case.

    GitHub finds them (its page script compares fragments case-insensitively), so by default
    (``"ignore"``) they are not reported. ``"warn"``: a warning, for a README also shown
    elsewhere (a package index, a docs site, an editor's preview) where the case matters;
    ``"exact"``: an error, as markdownlint's MD051 has it.
    """

    case: Literal["ignore", "warn", "exact"] = "ignore"


@dataclass(frozen=True)
class TocMissingOptions:
    """``[tool.readme-tools.toc-missing]``: ``order = true`` also reports TOC entries out of
    document order (off by default: readers are not hurt by an order the list chose)."""

    order: bool = False


OPTIONS = (
    OptionSection("toc-anchor", TocAnchorOptions),
    OptionSection("toc-missing", TocMissingOptions),
)


def _regeneration(doc: Document, layout: Layout, ctx: Context) -> Fix | None:
    # The TOC's own order is kept unless the order is checked: the fix is the fix only.
    new = render(doc, layout, keep_order=not ctx.options(TocMissingOptions).order)
    span = layout.toc.span
    if new == doc.source.text[span.start : span.end]:
        return None
    return Fix(REGENERATE_TOC, (Edit(span.start, span.end, new),), effect="structure")


def _mojibake_repair(text: str) -> str | None:
    """The repaired text when ``text`` is losslessly repairable mojibake, else None."""
    if text.isascii():
        return None
    from readme_tools.mojibake import find_mojibake, repair  # only for non-ASCII headings

    spans = find_mojibake(text)
    if not spans or any(span.kind != "lossless" for span in spans):
        return None
    fixed = repair(text).text
    return fixed if fixed != text else None


def _in_page_links(doc: Document) -> Iterator[Link]:
    for link in doc.links:
        if link.url.startswith("#") and not link.image:
            yield link


def check_anchors(doc: Document, ctx: Context) -> Iterator[Problem]:
    links = [lk for lk in _in_page_links(doc) if ctx.wants(lk.line)]
    if not links:
        return
    index = anchor_index(doc)
    lowered: dict[str, str] = {}
    for name in index.names:
        lowered.setdefault(name.lower(), name)
    case = ctx.options(TocAnchorOptions).case
    toc_items: dict[int, Resolved] = {}
    layout: Layout | None = None
    if doc.toc is not None:
        layout = toc_layout(doc, ctx.options(TocOptions))
        if layout is not None:
            toc_items = {r.item.link.span.start: r for r in layout.resolved}
    for link in links:
        fragment = decode_fragment(link.url)
        if index.exists(fragment):
            continue
        span = link.url_span or link.span
        shown = href(fragment)
        same_case = lowered.get(fragment.lower())
        if same_case is not None:
            if case != "ignore":  # else: GitHub compares fragments case-insensitively
                yield _case_only(link, span, shown, same_case, case)
            continue
        resolved = toc_items.get(link.span.start)
        heading: Heading | None = None
        if resolved is not None and resolved.heading is not None:
            heading = index.targets[resolved.heading].heading
            suggestion: str | None = index.targets[resolved.heading].anchor
        else:
            from difflib import get_close_matches  # only for a name that is wrong

            close = get_close_matches(fragment, index.names, n=1, cutoff=0.6)
            suggestion = close[0] if close else None
            if suggestion is not None and suggestion in index.owner:
                heading = index.targets[index.owner[suggestion]].heading
        message = f"link fragment {shown} matches no heading or HTML anchor"
        if suggestion is not None:
            message += f"; did you mean {href(suggestion)}?"
        fix = None
        repaired = _mojibake_repair(heading.text) if heading is not None else None
        if heading is not None and repaired is not None:
            message += (
                f" (heading {heading.text!r} on line {heading.line} looks mis-decoded; "
                f"repaired to {repaired!r} its anchor is {href(base_slug(repaired))}"
                + (", which this link already uses)" if base_slug(repaired) == fragment else ")")
            )
        elif resolved is not None and resolved.heading is not None and link.url_span is not None:
            # A TOC entry that names a heading: point it at that heading (and nothing else).
            assert doc.toc is not None
            written = toc_href(doc.toc, index.targets[resolved.heading].anchor)
            fix = Fix(f"use {written}", (Edit(span.start, span.end, written),), effect="href")
        yield Problem(span.start, span.end, message, fix=fix)


def _case_only(link: Link, span: Span, shown: str, anchor: str, case: str) -> Problem:
    fix = None
    if link.url_span is not None:
        fix = Fix(f"use {href(anchor)}", (Edit(span.start, span.end, href(anchor)),), effect="href")
    if case == "exact":
        return Problem(
            span.start,
            span.end,
            f"link fragment {shown} differs in case from the anchor {href(anchor)} "
            "(anchors are case-sensitive outside GitHub)",
            fix=fix,
            severity="error",
        )
    return Problem(
        span.start,
        span.end,
        f"link fragment {shown} differs only in case from the anchor {href(anchor)}: GitHub "
        "finds it, other renderers may not",
        fix=fix,
        severity="warning",
    )


def _lis(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence of ``values``."""
    return set(longest_increasing(values))


def check_missing(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.toc is None:
        return
    layout = toc_layout(doc, ctx.options(TocOptions))
    if layout is None:
        return
    check_order = ctx.options(TocMissingOptions).order
    problems: list[tuple[int, int, str]] = []
    # Items whose anchor works; a broken one is toc-anchor's (one defect, one finding).
    pointing = [r for r in layout.resolved if r.heading is not None and r.via in ("slug", "html")]
    covered = {r.heading for r in layout.resolved if r.heading is not None}
    for target in layout.expected:
        if target.index not in covered:
            heading = target.heading
            problems.append(
                (
                    heading.content_span.start,
                    heading.content_span.end,
                    f"heading {heading.text.strip()!r} (line {heading.line}) is not in the "
                    "table of contents",
                )
            )
    order = [r.heading for r in pointing if r.heading is not None]
    in_order = _lis(order) if check_order else set(range(len(order)))
    seen: set[int] = set()
    for pos, r in enumerate(pointing):
        assert r.heading is not None
        heading = layout.index.targets[r.heading].heading
        span = r.item.link.span
        if r.heading in seen:
            problems.append(
                (span.start, span.end, f"TOC lists heading {heading.text.strip()!r} twice")
            )
        elif pos not in in_order:
            problems.append(
                (
                    span.start,
                    span.end,
                    f"TOC entry {r.item.text.strip()!r} is out of document order "
                    f"(its heading is on line {heading.line})",
                )
            )
        seen.add(r.heading)
        if r.via == "slug" and not text_matches(r.item.text, heading.text):
            problems.append(
                (
                    span.start,
                    span.end,
                    f"TOC entry text {r.item.text.strip()!r} does not match its heading "
                    f"{heading.text.strip()!r} (line {heading.line})",
                )
            )
    if not problems:
        return
    fix = _regeneration(doc, layout, ctx)
    for start, end, message in problems:
        yield Problem(start, end, message, fix=fix)


RULES = (
    Rule(
        name="toc-anchor",
        code="T501",
        severity="error",
        fixable=True,
        summary="An in-page link (#…) whose anchor matches no heading or HTML anchor.",
        doc="""\
**What** — every link to `#fragment` (in the table of contents or anywhere else) must land on
a heading's anchor as GitHub computes it (lowercase; punctuation, symbols and emoji removed;
spaces to `-`; duplicates `-1`, `-2`…) or on an explicit `<a name="…">` / `id="…"`. The
fragment is percent-decoded first; `#top` and GitHub line links (`#L10`, `#L10-L12`) are
valid. A fragment that differs from an anchor only in case works on GitHub (it compares
fragments case-insensitively) and is not reported unless `[tool.readme-tools.toc-anchor]
case = "warn"` (a warning) or `"exact"` (an error, as markdownlint's MD051). The message
suggests the closest existing anchor, and says so when the heading is mojibake (its repaired
text gives a different anchor). A broken TOC entry whose text or anchor still names a
heading is fixed by regenerating the TOC.

**Severity** — an error: the link goes nowhere.

**Why** — a TOC whose links do not land is the most visible defect of a README.

Bad:

    - [📖 Table of Contents](#table-of-contents)

    ## 📖 Table of Contents

Good (the emoji is dropped, its space is kept):

    - [📖 Table of Contents](#-table-of-contents)

    ## 📖 Table of Contents
""",
        check=check_anchors,
    ),
    Rule(
        name="toc-missing",
        code="T502",
        severity="warning",
        fixable=True,
        summary="A section missing from the TOC, a heading listed twice, or stale entry text.",
        doc="""\
**What** — the table of contents (the list under a "Table of Contents" / "Contents" / "目录"
heading, between `<!-- toc -->` markers, or a leading list of in-page links that reads as a
TOC: its items name the headings they point at, mostly in document order, covering most
headings of their levels) must list the document's sections, with link text that still
names the heading (case, punctuation, emoji and small words like "via" aside: a short form
is fine). What is required is learned from the TOC: the levels it lists (or
`[tool.readme-tools.toc] min-level` / `max-level`, which require every heading of those
levels); below its top level, the subsections of a part only where the TOC lists at least
half of them (its depth is per subtree); the title, the TOC's own heading and sections above
the TOC only when it lists them. Never required: front and back matter (News, Updates, Star
History, Citation, Acknowledgements, Contributors, Contact, Contributing, License, …, plus
`[toc] exclude`), other TOC headings, and a sentence set as a heading with nothing under it.
A heading listed twice is reported; the order only with `[tool.readme-tools.toc-missing]
order = true`. A TOC entry with a broken anchor is `toc-anchor`'s alone. The fix regenerates
the TOC in its own style (bullet marker, indentation, anchors written raw or percent-encoded
as the TOC does, link text = heading text); correct entries are kept byte for byte.

**Severity** — a warning: every section is still reachable.

**Why** — a TOC that drifts from the headings misleads readers and hides sections.

Bad:

    ## Table of Contents
    - [Image LLMs CVPR2025](#image-llms-cvpr2025)

    ## Image LLMs CVPR2025
    ## Video LLMs CVPR2025

Good:

    ## Table of Contents
    - [Image LLMs CVPR2025](#image-llms-cvpr2025)
    - [Video LLMs CVPR2025](#video-llms-cvpr2025)

    ## Image LLMs CVPR2025
    ## Video LLMs CVPR2025
""",
        check=check_missing,
    ),
)
