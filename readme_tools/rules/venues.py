"""Venue tags: known venue, plausible year, agreement with the section heading."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.model import Document, Entry, StyleCounts
from readme_tools.registry import OptionSection, Rule
from readme_tools.style import counts_by_section
from readme_tools.venues import (
    VenueOptions,
    Vocabulary,
    configured_vocabulary,
    parse_venue,
    venue_in_heading,
)


def _vocab(ctx: Context) -> Vocabulary:
    return configured_vocabulary(ctx.options(VenueOptions))


def _checked(doc: Document, ctx: Context) -> list[Entry]:
    """Entries whose venue position is known: paper entries read with the default grammar in
    a list that uses it (whether or not the rest of the line follows it: entry-format says
    so, and both findings are reported in one run)."""
    if not ctx.style.grammar:
        return []
    return [
        e
        for e in doc.entries
        if e.kind == "list" and e.layout == "grammar" and doc.is_paper(e) and ctx.wants(e.line)
    ]


def _tags_expected(
    doc: Document, vocab: Vocabulary, counts: dict[int, StyleCounts], section: int
) -> bool:
    """Whether the entries of ``section`` carry venue tags (most of them do) and the section's
    headings do not name the venue for them ("## Benchmarks CVPR2025")."""
    here = counts.get(section)
    if here is None or here.tagged * 2 <= here.shaped:
        return False
    return all(venue_in_heading(h.text, vocab)[0] is None for h in doc.heading_chain(section))


def check_venue_tag(doc: Document, ctx: Context) -> Iterator[Problem]:
    entries = _checked(doc, ctx)
    if not entries:
        return
    vocab = _vocab(ctx)
    parse_tag = cache(lambda text: parse_venue(text, vocab))
    by_section: dict[int, StyleCounts] = {}

    @cache
    def expected(section: int) -> bool:
        if not by_section:
            by_section.update(counts_by_section(doc))
        return _tags_expected(doc, vocab, by_section, section)

    for entry in entries:
        if entry.venue is None or entry.venue_span is None:
            if entry.title_span is not None and expected(entry.section):
                yield Problem(
                    entry.title_span.end,
                    entry.title_span.end,
                    "missing venue tag after the title: the other entries of this section carry "
                    "one (e.g. 'CVPR2025' or 'arXiv2024')",
                )
            continue
        span = entry.venue_span
        tag = parse_tag(entry.venue)
        if tag is None:
            yield Problem(
                span.start, span.end, f"malformed venue tag {entry.venue!r}: expected NAME+YEAR"
            )
            continue
        if tag.canonical is None:
            yield Problem(
                span.start,
                span.end,
                f"unknown venue {tag.name!r} (add it to [tool.readme-tools.venues] extra "
                "if it is real)",
            )
            continue
        if tag.year is None:
            if tag.canonical != "arXiv":
                yield Problem(span.start, span.end, f"venue tag {entry.venue!r} has no year")
            continue
        if not vocab.first_year <= tag.year <= vocab.last_year:
            yield Problem(
                span.start,
                span.end,
                f"implausible year {tag.year} in venue tag {entry.venue!r} "
                f"(expected {vocab.first_year}–{vocab.last_year})",
            )
            continue
        if tag.unknown_qualifiers:
            yield Problem(
                span.start,
                span.end,
                f"unknown qualifier {' '.join(tag.unknown_qualifiers)!r} in venue tag "
                f"{entry.venue!r} (known: Oral, Spotlight, Findings, Workshop, …)",
            )
            continue
        wanted = tag.respelled()
        if wanted != entry.venue:
            yield Problem(
                span.start,
                span.end,
                f"venue tag {entry.venue!r} is spelled {wanted!r}",
                fix=Fix(f"write {wanted}", (Edit(span.start, span.end, wanted),), effect="text"),
            )


def check_venue_section(doc: Document, ctx: Context) -> Iterator[Problem]:
    entries = _checked(doc, ctx)
    if not entries:
        return
    vocab = _vocab(ctx)
    parse_tag = cache(lambda text: parse_venue(text, vocab))
    in_heading = cache(lambda text: venue_in_heading(text, vocab))
    chain_of = cache(doc.heading_chain)
    for entry in entries:
        if entry.venue is None or entry.venue_span is None:
            continue
        tag = parse_tag(entry.venue)
        if tag is None or tag.canonical is None or tag.canonical == "arXiv":
            continue
        for heading in chain_of(entry.section):
            venue, year = in_heading(heading.text)
            if venue is None and year is None:
                continue
            wrong_venue = venue is not None and venue != tag.canonical
            wrong_year = year is not None and tag.year is not None and year != tag.year
            if wrong_venue or wrong_year:
                where = f"{venue or ''}{year or ''}"
                yield Problem(
                    entry.venue_span.start,
                    entry.venue_span.end,
                    f"entry tagged {entry.venue!r} is under the section "
                    f"{heading.text!r} (line {heading.line}), which is for {where}",
                )
            break


_EXAMPLE_BAD = "- [x] **X**: A title. Neurips2024 [Paper](https://arxiv.org/abs/2401.00001)"
_EXAMPLE_GOOD = "- [x] **X**: A title. NeurIPS2024 [Paper](https://arxiv.org/abs/2401.00001)"
# Style is inferred from the document: an example needs the list around the entry it shows.
_CONTEXT = """\
    - [x] **A**: First title. NeurIPS2024 [Paper](https://arxiv.org/abs/2401.00002)
    - [x] **B**: Second title. NeurIPS2024 [Paper](https://arxiv.org/abs/2401.00003)
    - [ ] **C**: Third title. NeurIPS2024 [Paper](https://arxiv.org/abs/2401.00004)"""
_STYLE_NOTE = (
    "Only lists written in the default entry grammar are checked (most entries follow it and "
    "carry a checkbox, a bold name or a venue tag), so the examples show three more entries of "
    "the list: with fewer than three list entries nothing is inferred and nothing is reported."
)

RULES = (
    Rule(
        name="venue-tag",
        code="V201",
        severity="warning",
        fixable=True,
        summary="Missing, unknown or malformed venue tag.",
        doc=f"""\
**What** — the venue tag after an entry's title must name a known venue with a plausible year,
optionally followed by a qualifier (Oral, Spotlight, Highlight, Findings, Workshop, Demo, D&B).
Aliases are reported with the canonical spelling, the entry's own spacing kept (`Neurips 2025
Spotlight` → `NeurIPS 2025 Spotlight`); that is fixable. A tag is what follows the title's
last '.', '?' or '!' when it reads as a venue: a subtitle after '?' is part of the title. An
entry without a tag is told "missing venue tag" only where the other entries of its section
carry one and no heading above it names the venue (`## Benchmarks CVPR2025` gives its entries
CVPR2025); a list or section whose entries carry no tags needs none. A warning: it is about
style. {_STYLE_NOTE}

**Why** — venue tags are how readers filter a list; a misspelt or unknown tag hides a paper.
Extend the vocabulary in `[tool.readme-tools.venues]` (`extra = ["MyConf"]`,
`aliases = {{"MC" = "MyConf"}}`).

Bad:

{_CONTEXT}
    {_EXAMPLE_BAD}

Good:

{_CONTEXT}
    {_EXAMPLE_GOOD}
""",
        check=check_venue_tag,
    ),
    Rule(
        name="venue-section",
        code="V202",
        severity="warning",
        fixable=False,
        summary="The entry's venue or year disagrees with its section heading.",
        doc=f"""\
**What** — when a section heading (or one of its parent headings) names a venue and/or a year,
such as `## Image LLMs CVPR2025`, every entry under it that carries a venue tag must carry that
venue and year (an entry without a tag takes the heading's). A warning. {_STYLE_NOTE}

**Why** — an entry filed under the wrong venue section is usually a copy-paste slip: either
the tag or the placement is wrong.

Bad:

    ## Image LLMs CVPR2025
    - [x] **A**: First title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00002)
    - [x] **B**: Second title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00003)
    - [ ] **C**: Third title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00004)
    - [x] **X**: A title. CVPR2024 [Paper](https://arxiv.org/abs/2401.00001)

Good:

    ## Image LLMs CVPR2025
    - [x] **A**: First title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00002)
    - [x] **B**: Second title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00003)
    - [ ] **C**: Third title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00004)
    - [x] **X**: A title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)
""",
        check=check_venue_section,
    ),
)

OPTIONS = (OptionSection("venues", VenueOptions),)
