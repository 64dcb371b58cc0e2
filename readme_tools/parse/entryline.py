"""An entry's first paragraph read into its parts: the default grammar, else another layout.

:func:`parse_head` takes the parts every layout shares in order — checkbox, a venue written
before the title, the bold name — then lets :mod:`.layouts` claim lines in other layouts
(bold title, linked title, quoted title, news lines), and reads the rest with the default
grammar (:mod:`.head`).
"""

from __future__ import annotations

from collections.abc import Sequence

from readme_tools.model import Link
from readme_tools.parse.head import (
    HeadParts,
    bold_name,
    checkbox,
    grammar_parts,
    lead_venue,
    link_run,
    link_spans,
)
from readme_tools.parse.layouts import read_layout
from readme_tools.parse.offsets import InlineMap

__all__ = ["parse_head"]


def parse_head(content: str, inline: InlineMap, links: Sequence[Link]) -> HeadParts:
    """Split an entry's first paragraph into checkbox, name, title, venue, links and role."""
    parts = HeadParts()
    pos = checkbox(content, inline, parts)
    pos = lead_venue(content, pos, inline, parts)
    spans = link_spans(inline, links)
    run = link_run(content, pos, spans)
    name_end = bold_name(content, pos, run[0], inline, parts)
    start = name_end if name_end is not None else pos
    if read_layout(content, start, inline, links, spans, run, parts, name_end is None):
        return parts
    assert name_end is not None
    grammar_parts(content, name_end, run, spans, inline, parts)
    return parts
