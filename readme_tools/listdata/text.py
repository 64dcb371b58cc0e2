"""Inline markdown as plain text, and plain text as safe inline markdown."""

from __future__ import annotations

import html
import re
from functools import cache

from markdown_it import MarkdownIt

__all__ = ["escape_inline", "plain"]


@cache
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True})


def plain(markdown: str) -> str:
    """What a reader sees of an inline markdown fragment: markup, images and HTML dropped,
    entities and escapes resolved, whitespace collapsed."""
    if not any(c in markdown for c in "*_`[]<>&\\!~\n"):
        return " ".join(markdown.split())
    out: list[str] = []
    for block in _inline_parser().parseInline(markdown):
        for token in block.children or ():
            if token.type in ("text", "code_inline"):
                out.append(token.content)
            elif token.type in ("softbreak", "hardbreak") or (
                token.type == "html_inline" and token.content.lower().startswith("<br")
            ):
                out.append(" ")
    return " ".join(html.unescape("".join(out)).split())


# Characters that would start markup inside a line of text.
_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>|])")


def escape_inline(text: str) -> str:
    """``text`` as inline markdown that renders as exactly ``text`` (for titles and names).

    Only what could start markup is escaped; ``&`` before an entity-like run too.
    """
    text = " ".join(text.split())
    text = _SPECIAL_RE.sub(r"\\\1", text)
    text = re.sub(r"&(?=[#A-Za-z0-9]+;)", "&amp;", text)
    if (text and text[0] in "#+-=>") or re.match(r"\d+[.)]( |$)", text):
        text = "\\" + text
    return text
