"""Entries whose links are not on their own line: a title, then the links below it.

Real lists write a paper as a title followed by its links in sub-items or paragraphs::

    - **Connecting Interpretability and Robustness in Decision Trees (ICML 2021)**
      - Michal Moshkovitz, Yao-Yuan Yang, Kamalika Chaudhuri
      - [[Paper]](https://arxiv.org/abs/2102.07048)

    **HoloVIC: Large-scale Dataset and Benchmark for …**

    - 论文/Paper: http://arxiv.org/pdf/2403.02640
    - 代码/Code: None

The title item (or paragraph) becomes a *pending* entry; links of its sub-items, paragraphs
or the list right after it — including bare URLs, which GitHub links — are attached to it
(``Entry.extra_links``), unless a sub-item is a paper of its own (a titled link). A pending
entry that gets no links stays an entry only as a plain title among linked entries of its
section and depth (``* [**CVPR'25**] Title`` with no link yet); ``BlockState.document``
decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

from readme_tools.model import Link
from readme_tools.parse.entryline import parse_head
from readme_tools.parse.head import HeadParts
from readme_tools.parse.layouts import title_like
from readme_tools.parse.offsets import InlineMap, map_lines
from readme_tools.parse.state import BlockState, EntryBuilder

__all__ = ["attach_links", "own_entry", "title_paragraph", "titled"]

_BARE_URL_RE = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
_MIN_TITLE_WORDS = 3


def titled(parts: HeadParts) -> bool:
    """Whether a link-less first paragraph reads as a paper's title: a bold title, or a title
    with a venue before it or a bold name (``* [**CVPR'25**] Title``, ``- **X**: Title.``)."""
    if parts.role != "paper" or parts.title is None:
        return False
    if len(parts.title.split()) < _MIN_TITLE_WORDS:
        return False
    return parts.layout in ("bold-title", "venue-first") or parts.name is not None


def own_entry(links: Sequence[Link]) -> bool:
    """Whether a sub-item under a pending title is a paper of its own (it links a title)."""
    return any(
        not lk.image and lk.url and not lk.url.startswith("#") and title_like(lk.label)
        for lk in links
    )


def attach_links(
    state: BlockState,
    entry: EntryBuilder | None,
    content: str,
    inline: InlineMap,
    links: Sequence[Link],
) -> None:
    """Give a pending entry the links of a paragraph or sub-item below its title: its links,
    or the bare URLs GitHub links in it (``- Paper: https://arxiv.org/abs/…``)."""
    if entry is None:
        return
    external = [lk for lk in links if not lk.image and lk.url and not lk.url.startswith("#")]
    if external:
        entry.extra_links.extend(external)
        return
    for match in _BARE_URL_RE.finditer(content):
        span = inline.span(match.start(), match.end())
        label = content[: match.start()].strip(" \t:：-").rsplit("\n", 1)[-1]
        entry.extra_links.append(
            Link(
                label,
                match.group(),
                span,
                span,
                state.source.position(span.start)[0],
                autolink=True,
            )
        )


def title_paragraph(state: BlockState, token: Token, content: str) -> None:
    """``**Title**`` alone in a paragraph: a pending entry for the list that may follow."""
    assert token.map is not None
    inline = map_lines(state.source, content, token.map[0])
    parts = parse_head(content, inline, [])
    if parts.layout != "bold-title" or not titled(parts) or "\n" in content.strip():
        return
    entry = EntryBuilder(
        kind="paragraph",
        line=token.map[0] + 1,
        start=state.line_offset(token.map[0]),
        head=content,
        head_span=inline.span(0, len(content)),
        links=[],
        section=state.section,
        parts=parts,
        end=state.block_end(token),
        pending=True,
    )
    state.entries.append(entry)
    state.titled = entry
