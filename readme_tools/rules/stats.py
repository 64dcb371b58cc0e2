"""The stats block: numbers about the list that must match the list."""

from __future__ import annotations

import re
from collections.abc import Iterator

from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.facts import elided_chunks
from readme_tools.listdata.stats import PARTS, Block, blocks, compute, render
from readme_tools.model import Document
from readme_tools.registry import Rule
from readme_tools.venues import VenueOptions, configured_vocabulary

_TOTAL_RE = re.compile(r"\*\*(\d+) papers?\*\*")


def _says(text: str, papers: int) -> str:
    match = _TOTAL_RE.search(text)
    if match and int(match.group(1)) != papers:
        return f"it says {match.group(1)} papers, the list has {papers}"
    return "its numbers or layout differ from what the list says now"


def check_stats(doc: Document, ctx: Context) -> Iterator[Problem]:
    if elided_chunks(doc):
        return  # an incremental run parsed only part of the list: it cannot count it
    found = list(blocks(doc))
    if not found:
        return
    stats = compute(doc, configured_vocabulary(ctx.options(VenueOptions)))
    text = doc.source.text
    for block in found:
        if not isinstance(block, Block):
            yield Problem(
                block.start,
                block.end,
                "closing <!-- /readme-tools:stats --> without an opening "
                "<!-- readme-tools:stats --> above it",
            )
            continue
        opening = block.opening
        if block.closing is None:
            yield Problem(
                opening.start,
                opening.end,
                "stats block is never closed: add <!-- /readme-tools:stats --> on a line of "
                "its own where it ends",
            )
            continue
        if block.unknown:
            yield Problem(
                opening.start,
                opening.end,
                f"unknown stats part {block.unknown[0]!r} (known: {', '.join(PARTS)})",
            )
            continue
        current = text[block.content_start : block.content_end]
        wanted = render(stats, block.parts)
        if current == wanted:
            continue
        yield Problem(
            opening.start,
            opening.end,
            f"stats block is out of date ({_says(current, stats.papers)}): "
            "readme-fmt --fix rewrites it",
            fix=Fix(
                "refresh the stats block",
                (Edit(block.content_start, block.content_end, wanted),),
                effect="structure",
            ),
        )


RULES = (
    Rule(
        name="stats-block",
        code="S902",
        severity="warning",
        fixable=True,
        summary="The stats block between <!-- readme-tools:stats --> markers is out of date.",
        doc="""\
**What** — a stats block is the text between `<!-- readme-tools:stats -->` and
`<!-- /readme-tools:stats -->` (each on a line of its own). Its content is written by the
fix: the number of papers (each counted once, by paper id or title), how many sections
they are in and how many link to code; a table of papers per section; a table of papers
per venue and year. The opening marker may name the parts wanted:
`<!-- readme-tools:stats total -->` keeps only the first line (`sections`, `venues` add
the tables). A block whose content differs from what the list says now is reported, and
`readme-fmt --fix` (or `readme-tools add`) rewrites it.

**Why** — "160+ papers" in a README whose list has 237 is what hand-kept numbers become.

Bad (after a paper was added):

    <!-- readme-tools:stats total -->
    **2 papers**, 1 with code (50%).

    <!-- /readme-tools:stats -->

Good:

    <!-- readme-tools:stats total -->
    **3 papers**, 2 with code (67%).

    <!-- /readme-tools:stats -->
""",
        check=check_stats,
    ),
)
