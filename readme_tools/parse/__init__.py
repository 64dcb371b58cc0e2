"""Stage 2+3: text → markdown-it tokens → :class:`~readme_tools.model.Document`.

markdown-it-py does the block parse of the whole file (:mod:`.markdown`); :func:`parse` walks
the block tokens once and hands each construct to its handler (:mod:`.blocks`: headings, list
items, paragraphs, table rows, HTML blocks, code), which records it in the builder state
(:mod:`.state`). The inline parse, the expensive half, runs only where the model needs it
(:mod:`.inline`), and every link's offsets are mapped back to ``Source.text``
(:mod:`.offsets`). Entry lines are read by :mod:`.entryline`: the default entry grammar
(:mod:`.head`) or another layout real lists use (:mod:`.layouts`: bold titles, linked and
quoted titles, news lines); titles whose links sit below them collect those links
(:mod:`.subitems`); sections are body, news or front/back matter (:mod:`.sections`). The table
of contents is found by :mod:`.toc`; anchors and control comments come from :mod:`.html`.

The public interface: :func:`parse`, and for incremental parsing (:mod:`readme_tools.incremental`)
:func:`chunk_block` (the block tokens of one chunk) and :func:`parse_toc_chunks` (parse the
chunks the TOC decision reads). :func:`markdown` is the configured markdown-it parser.
"""

from __future__ import annotations

from typing import Any

from markdown_it.token import Token

from readme_tools.config import TocOptions
from readme_tools.model import Document
from readme_tools.parse.blocks import HANDLERS
from readme_tools.parse.head import NAME_RE, TERMINATOR_RE
from readme_tools.parse.html import html_anchor_positions
from readme_tools.parse.markdown import block_parse, chunk_block, markdown
from readme_tools.parse.state import BlockState
from readme_tools.parse.toc import parse_toc_chunks
from readme_tools.source import Source

__all__ = [
    "NAME_RE",
    "TERMINATOR_RE",
    "block_parse",
    "chunk_block",
    "html_anchor_positions",
    "markdown",
    "parse",
    "parse_toc_chunks",
]


def parse(
    source: Source,
    toc_options: TocOptions | None = None,
    *,
    block: tuple[list[Token], dict[str, Any]] | None = None,
) -> Document:
    """Build the document model of ``source``.

    ``block`` is the result of ``markdown().parse(source.text, env)`` as ``(tokens, env)``
    when the caller already has it (the formatter lays lists out from the same tokens).
    """
    tokens, env = block if block is not None else block_parse(source.text)
    state = BlockState(source, tokens, env, toc_options or TocOptions())
    handlers = HANDLERS
    open_items = state.open_items
    i, n = 0, len(tokens)
    while i < n:
        while open_items and open_items[-1][0] < i:
            open_items.pop()  # list items that closed before this token
        handler = handlers.get(tokens[i].type)
        i = handler(state, i) if handler is not None else i + 1
    return state.document()
