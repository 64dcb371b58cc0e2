"""Layout: a single-pass renderer for lists of entries; the rest of the document goes to mdformat.

mdformat re-renders every inline token of the document, which costs 12–25 s on a 20k-entry
list. The entry lists are where nearly all of a paper list's bytes are, and their layout is
simple, so they are laid out here directly from the block tokens:

* each item: ``marker + " " + first paragraph``, further paragraphs after one blank line,
  indented to the item's content column (two spaces for ``-``);
* an entry line in the default grammar (``[x] …`` or ``**Name**: …`` with links) joined onto
  one line;
* one blank line between the items of a loose list, none in a tight one;
* inline content is copied as written: only indentation, line joins inside an entry line and
  trailing whitespace change (hard breaks are kept), which markdown renders identically.

A top-level list is laid out here when every item holds only paragraphs and no continuation
line could start a block once re-indented; other blocks (headings, the TOC, tables, nested
lists, HTML) are normalised by mdformat with the ``gfm`` and ``paperlist`` extensions, with the
laid-out lists standing in as HTML-comment placeholders. ``markdown = "none"`` skips mdformat.
"""

from __future__ import annotations

import re
import secrets
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from readme_tools.parse import block_parse

# A continuation line that would start a block of its own once re-indented.
_BLOCK_START_RE = re.compile(
    r"""(?:
        [*+\-](?:[ \t]|$)                    # bullet
      | \d{1,9}[.)](?:[ \t]|$)               # ordered item
      | \#{1,6}(?:[ \t]|$)                   # ATX heading
      | [*_\-](?:[ \t]*[*_\-]){2,}[ \t]*$     # thematic break
      | =+[ \t]*$                             # setext underline
      | >|`{3}|~{3}|<|\|                      # quote, fence, HTML, table
    )""",
    re.VERBOSE,
)
_HARD_BREAK_RE = re.compile(r"(?: {2,}|\\)$")
# An entry line in the default grammar: a task checkbox, or a bold name and its separator.
_ENTRY_LINE_RE = re.compile(r"\[[ xX]\](?:[ \t\u00a0]|$)|(\*\*|__)[^\n]+?\1[ \t]*[:：]")
_LIST_OPEN = ("bullet_list_open", "ordered_list_open")
# A link reference definition's label (possibly inside list items), and bracketed text
# that may use one. Both may match more than markdown reads: that only leaves a list to
# mdformat.
_DEFINITION_RE = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*\[([^\]\n]+)\]:", re.MULTILINE)
_BRACKETED_RE = re.compile(r"\[([^\[\]\n]+)\]")


class LayoutError(Exception):
    """mdformat failed on the non-list part of the document."""


@dataclass(frozen=True, slots=True)
class Block:
    """A top-level list laid out here: source lines [first, last) and its new text."""

    first: int  # 0-based line
    last: int
    text: str
    contents: tuple[str, ...]  # the inline contents of its paragraphs (for verification)


def _close_index(tokens: Sequence[Token], start: int) -> int:
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def is_entry_head(content: str, task: bool = False) -> bool:
    """Whether the first paragraph of a list item is an entry line in the default grammar
    (``[x] …`` or ``**Name**: …``, with a link), whose line breaks are accidental.

    Other styles (``**[Title](url)**`` then the authors on the next line) break the line on
    purpose and are left alone. ``task``: the checkbox was already taken off (mdformat-gfm).
    """
    return "](" in content and (task or bool(_ENTRY_LINE_RE.match(content)))


def _paragraph_lines(content: str, join: bool) -> list[str]:
    lines = [line.lstrip(" \t") for line in content.split("\n")]
    out: list[str] = []
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if i < last:
            hard = _HARD_BREAK_RE.search(line)
            if hard and hard.group() != "\\":
                line = line.rstrip(" ") + "  "
            elif not hard:
                line = line.rstrip(" \t")
        if join and out and not _HARD_BREAK_RE.search(out[-1]):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _continuation_indent(source: Sequence[str], paragraph: Token, minimum: int) -> int:
    """The indentation an ordered item's later paragraph is written with, when it is valid
    (at least the content column, less than four more) — else the content column."""
    assert paragraph.map is not None
    line = source[paragraph.map[0]]
    width = len(line) - len(line.lstrip(" "))
    return width if minimum <= width < minimum + 4 else minimum


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def definition_labels(text: str) -> frozenset[str]:
    """The (normalised) labels of the link reference definitions ``text`` may hold."""
    if "]:" not in text:
        return frozenset()
    return frozenset(_label(m.group(1)) for m in _DEFINITION_RE.finditer(text))


def _uses_definitions(
    contents: Sequence[str], lines: Sequence[str], labels: frozenset[str]
) -> bool:
    """Whether a list's paragraphs may use a reference definition, or its lines hold one.

    mdformat sees a laid-out list only as a placeholder: it would drop the definitions only
    the list uses, and the list's own definitions are not in its paragraphs."""
    if any(_DEFINITION_RE.match(line) for line in lines if "]:" in line):
        return True
    return any(
        _label(m.group(1)) in labels
        for content in contents
        if "[" in content
        for m in _BRACKETED_RE.finditer(content)
    )


def _layout_list(
    tokens: Sequence[Token],
    start: int,
    end: int,
    marker: str | None,
    source: Sequence[str],
    labels: frozenset[str] = frozenset(),
) -> Block | None:
    """Lay out the list ``tokens[start:end + 1]``, or None when it is not simple enough.

    Continuation paragraphs go to the item's content column (two spaces under ``-``); under
    an ordered marker the width the document uses (``1.`` then four spaces is common) is kept.
    A list that may use reference definitions (``labels``) is left to mdformat.
    """
    opening = tokens[start]
    assert opening.map is not None
    items: list[list[str]] = []
    contents: list[str] = []
    loose = False
    j = start + 1
    while j < end:
        item = tokens[j]
        if item.type != "list_item_open":
            return None
        close = _close_index(tokens, j)
        paragraphs: list[str] = []
        k = j + 1
        while k < close:
            if tokens[k].type != "paragraph_open" or tokens[k + 2].type != "paragraph_close":
                return None
            if not tokens[k].hidden:
                loose = True
            paragraphs.append(tokens[k + 1].content)
            k += 3
        if not paragraphs:
            return None
        ordered = item.markup in (".", ")")
        bullet = f"{item.info}{item.markup}" if ordered else (marker or item.markup)
        width = len(bullet) + 1
        if ordered and len(paragraphs) > 1:
            width = _continuation_indent(source, tokens[j + 4], width)
        indent = " " * width
        lines: list[str] = []
        for p, content in enumerate(paragraphs):
            for line in content.split("\n")[1:]:
                if _BLOCK_START_RE.match(line.lstrip(" \t")):
                    return None
            if p:
                lines.append("")
            join = p == 0 and is_entry_head(content)
            for n, line in enumerate(_paragraph_lines(content, join)):
                prefix = f"{bullet} " if p == 0 and n == 0 else indent
                lines.append(prefix + line if line else "")
            contents.append(content)
        items.append(lines)
        j = close + 1
    if labels and _uses_definitions(contents, source[opening.map[0] : opening.map[1]], labels):
        return None
    separator = "\n\n" if loose else "\n"
    text = separator.join("\n".join(lines) for lines in items)
    return Block(opening.map[0], opening.map[1], text, tuple(contents))


def block_tokens(text: str) -> tuple[list[Token], dict[str, Any]]:
    """The block-level tokens of ``text`` (the parser's, so :func:`readme_tools.parse.parse`
    can reuse them) and the parse environment (link reference definitions)."""
    return block_parse(text)


def find_blocks(text: str, tokens: Sequence[Token] | None = None) -> list[Block]:
    """Every top-level list (and table) of ``text`` that the single-pass layout handles."""
    if tokens is None:
        tokens = block_tokens(text)[0]
    lines = text.split("\n")
    labels = definition_labels(text)
    top = [i for i, t in enumerate(tokens) if t.level == 0 and t.nesting >= 0]
    blocks: list[Block] = []
    for position, i in enumerate(top):
        token = tokens[i]
        if token.type == "table_open" and token.map is not None:
            # Tables stay as written: re-padding every row is noise in a diff, not a fix.
            first, last = token.map
            kept = "\n".join(line.rstrip() for line in lines[first:last])
            blocks.append(Block(first, last, kept, ()))
            continue
        if token.type not in _LIST_OPEN:
            continue
        end = _close_index(tokens, i)
        marker: str | None = None
        if token.type == "bullet_list_open":
            before = tokens[top[position - 1]].type if position else ""
            after = tokens[top[position + 1]].type if position + 1 < len(top) else ""
            # Adjacent lists are told apart by their markers: keep them then.
            marker = None if "bullet_list_open" in (before, after) else "-"
        block = _layout_list(tokens, i, end, marker, lines, labels)
        if block is not None:
            blocks.append(block)
    return blocks


def _mdformat(text: str) -> str:
    import mdformat

    try:
        return str(
            mdformat.text(
                text,
                # In this order: paperlist's postprocessors run after gfm's (a set's order
                # varies from one process to the next).
                extensions=("gfm", "paperlist"),
                options={"compact_tables": True, "wrap": "keep", "number": True},
            )
        )
    except Exception as exc:  # mdformat raises on its own safety check
        raise LayoutError(f"mdformat failed: {_describe(exc)}") from exc


def _describe(exc: Exception) -> str:
    """One line about an exception: its message, or where it was raised when it has none (a
    bare ``assert`` in mdformat or a plugin)."""
    message = " ".join(str(exc).split())
    if message:
        return f"{type(exc).__name__}: {message}"
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    frame = frames[-1]
    where = "/".join(Path(frame.filename).parts[-2:])
    return (
        f"{type(exc).__name__} in {where}:{frame.lineno} in {frame.name} "
        "(a bug in mdformat or one of its plugins on this input)"
    )


@dataclass(frozen=True)
class Layout:
    text: str  # the document laid out
    blocks: tuple[Block, ...]  # the parts laid out here
    rest_before: str  # everything else, before normalisation (blocks as placeholders)
    rest_after: str  # … and after


def layout(
    text: str, *, markdown_mode: str = "mdformat", tokens: Sequence[Token] | None = None
) -> Layout:
    """The document laid out: lists here, the rest by mdformat (or as written).

    ``tokens`` are the block tokens of ``text`` when the caller has them.
    """
    blocks = find_blocks(text, tokens)
    lines = text.split("\n")
    nonce = secrets.token_hex(8)
    while nonce in text:  # pragma: no cover - astronomically unlikely
        nonce = secrets.token_hex(8)
    pieces: list[str] = []
    pos = 0
    for index, block in enumerate(blocks):
        pieces.append("\n".join(lines[pos : block.first]))
        pieces.append(f"\n\n<!-- readme-fmt {nonce} {index} -->\n\n")
        pos = block.last
    pieces.append("\n".join(lines[pos:]))
    rest_before = "".join(pieces) if blocks else text
    rest = _mdformat(rest_before) if markdown_mode == "mdformat" else rest_before
    rest_after = rest
    out: list[str] = []
    for index, block in enumerate(blocks):
        placeholder = f"<!-- readme-fmt {nonce} {index} -->"
        if markdown_mode == "mdformat":
            before, _, rest = rest.partition(placeholder)
            out.append(before)
        else:
            before, _, rest = rest.partition(f"\n\n{placeholder}\n\n")
            head = before.rstrip("\n")
            out.append(head + "\n\n" if head else "")
            rest = "\n\n" + rest.lstrip("\n")
        out.append(block.text)
    out.append(rest)
    joined = "".join(out).strip("\n")
    return Layout(
        text=joined + "\n" if joined else "",
        blocks=tuple(blocks),
        rest_before=rest_before,
        rest_after=rest_after,
    )
