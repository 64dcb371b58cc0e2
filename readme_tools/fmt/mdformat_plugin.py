"""``mdformat --extensions paperlist``: the entry layout of ``readme-fmt`` as an mdformat plugin.

Registered under the ``mdformat.parser_extension`` entry point as ``paperlist``. Use it with
``gfm`` (task-list checkboxes, autolinks): ``mdformat --extensions gfm --extensions paperlist``.

It writes an entry's line — the first paragraph of a list item in the default entry grammar
(a task checkbox or ``**Name**:``, and a link) — on one line: mdformat keeps soft line breaks
as written, so an entry broken over several lines stays broken without it. Together with
mdformat's own list layout (one blank line between the items of a loose list, continuation
paragraphs indented to the content column, ``-`` bullets) this is the layout ``readme-fmt``
writes.

It also keeps character references to invisible characters (``&nbsp;``, ``&zwj;`` …) as
written, where mdformat would write the raw character, and undoes mdformat-gfm's escape of
a link labelled "x", "X" or " " at a line start (``\\[x\\]``, meant for task checkboxes). Use
it after ``gfm``: its postprocessors must run after gfm's.

The plugin only changes whitespace (a kept reference renders the same), so ``CHANGES_AST``
stays False and mdformat's HTML-equivalence check keeps guarding every plugin. The rewrites
that change the rendered HTML (venue spelling, canonical URLs, TOC, mojibake) are the rules'
fixes that ``readme-fmt`` applies and verifies against GitHub's renderer
(:mod:`readme_tools.fmt.equivalence`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from readme_tools.fmt.render import is_entry_head

CHANGES_AST = False

_SOFT_BREAK_RE = re.compile(r"(?<![\\ ])\n")
_BACKSLASH_LETTER_RE = re.compile(r"\\\\(?=[A-Za-z])")


# Characters nobody can see in the source: whitespace, controls and format characters
# (NBSP, en/em/thin spaces, ZWJ …). The lint rules flag them when written raw.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def _kept_as_written(char: str) -> bool:
    """Whether a character reference to ``char`` is written back as the reference.

    Also U+FFFD, which CommonMark puts for ``&#0;``, a surrogate or a code point beyond
    U+10FFFF: written raw it reads as a damaged character (the encoding rule reports it),
    while the reference keeps what the author wrote and renders the same.
    """
    return len(char) == 1 and (
        char == "\ufffd" or unicodedata.category(char) in _INVISIBLE_CATEGORIES
    )


def _keep_references(state: Any) -> None:
    """Keep ``&nbsp;`` and other references to invisible characters as written.

    mdformat writes the character a reference stands for; for an invisible one that turns
    a deliberate ``&nbsp;`` into a raw U+00A0, which the whitespace rule then flags (and
    ``--fix`` never converges). Runs before ``text_join``: the reference's ``text_special``
    token becomes raw inline HTML (written and rendered as is), or, in an image
    description (written as plain text), text holding the reference itself.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        for token in block.children:
            if token.type == "image" and token.children:
                for child in token.children:
                    if _is_kept_reference(child):
                        child.content = child.markup
            elif _is_kept_reference(token):
                token.type = "html_inline"
                token.content = token.markup


def _is_kept_reference(token: Any) -> bool:
    return bool(
        token.type == "text_special" and token.info == "entity" and _kept_as_written(token.content)
    )


# A task checkbox followed by whitespace other than a space.
_ODD_CHECKBOX_RE = re.compile(r"\[[ xX]\][\t\n\v\f\r]")


def _checkbox_space(state: Any) -> None:
    """Read a task checkbox followed by a tab or line break as one followed by a space.

    mdit-py-plugins' task lists take ``[ ]`` followed by any whitespace for a checkbox, but
    write the checkbox only before a space: otherwise an empty one, on which mdformat-gfm
    fails with a bare ``AssertionError``. The whitespace after the brackets (a tab, or a
    soft line break) becomes one space, which renders the same.
    """
    for token in state.tokens:
        if token.type != "inline" or not _ODD_CHECKBOX_RE.match(token.content):
            continue
        children = token.children or []
        if not children or children[0].type != "text" or len(children[0].content) < 3:
            continue
        first = children[0]
        rest = first.content[3:].lstrip(" \t\v\f\r")
        if not rest and len(children) > 1 and children[1].type == "softbreak":
            del children[1]
        first.content = first.content[:3] + " " + rest
        token.content = token.content[:3] + " " + token.content[4:].lstrip(" \t\n\v\f\r")


def update_mdit(mdit: Any) -> None:
    """Entries are plain list items; character references and task checkboxes need core
    rules."""
    mdit.core.ruler.before("text_join", "paperlist_references", _keep_references)
    names = [rule.name for rule in mdit.core.ruler.__rules__]
    if "github-tasklists" in names:  # gfm's, when it comes first (as it should)
        mdit.core.ruler.before("github-tasklists", "paperlist_checkboxes", _checkbox_space)
    else:
        mdit.core.ruler.after("inline", "paperlist_checkboxes", _checkbox_space)


def _entry_line(text: str, node: Any, context: Any) -> str:
    parent = node.parent
    if parent is None or parent.type != "list_item" or node.previous_sibling is not None:
        return text
    task = "task-list-item" in str(parent.attrs.get("class", ""))
    if "\n" not in text or not is_entry_head(text, task):
        return text
    # Join soft breaks; a hard break ("\\" + newline as mdformat writes it) stays.
    return _SOFT_BREAK_RE.sub(" ", text)


# mdformat-gfm's escape of a task checkbox at the start of any paragraph line.
_ESCAPED_BOX_RE = re.compile(r"^\\\[[ xX]\\\]", re.MULTILINE)


def _link_lines(paragraph: Any) -> set[int]:
    """The lines (0-based) of a paragraph, as mdformat writes it unwrapped, that start with
    a link written with brackets."""
    lines: set[int] = set()
    line = 0
    at_start = True

    def walk(nodes: Any) -> None:
        nonlocal line, at_start
        for node in nodes:
            if node.type in ("softbreak", "hardbreak"):
                line += 1
                at_start = True
                continue
            if node.type == "text" and not node.content:
                continue
            if node.type == "link" and node.info != "auto" and at_start:
                lines.add(line)
            at_start = False
            line += node.content.count("\n") if node.type != "text" else 0
            walk(node.children)

    for inline in paragraph.children:
        walk(inline.children)
    return lines


def _unescape_link_boxes(text: str, node: Any, context: Any) -> str:
    """Undo mdformat-gfm's ``\\[x\\]`` where it escapes a link.

    mdformat-gfm escapes ``[x]``, ``[X]`` and ``[ ]`` at the start of every paragraph line,
    so that text there cannot become a task checkbox. When that text is a link (``[x]`` with
    a ``[x]: #anchor`` definition, ``[x](url)``), the escape turns the link into text. Only
    the first line of a list item's first paragraph can hold a checkbox, and only when a
    space or tab follows the brackets: the escape is kept there.
    """
    if "\\[" not in text or context.do_wrap:
        return text
    links = _link_lines(node)
    if not links:
        return text
    parent = node.parent
    item_head = parent is not None and parent.type == "list_item" and node.previous_sibling is None

    def unescape(match: re.Match[str]) -> str:
        line = text.count("\n", 0, match.start())
        if line not in links:
            return match.group()
        after = text[match.end() : match.end() + 1]
        if line == 0 and item_head and (not after or after.isspace()):
            return match.group()
        return "[" + match.group()[2] + "]"

    return _ESCAPED_BOX_RE.sub(unescape, text)


def _paragraph(text: str, node: Any, context: Any) -> str:
    return _entry_line(_unescape_link_boxes(text, node, context), node, context)


def _escaped_at(text: str, index: int) -> bool:
    """Whether ``text[index]`` is preceded by an odd number of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _text(text: str, node: Any, context: Any) -> str:
    """Keep ``[[Paper](url)]`` as written: a bracket next to a link cannot start a link, as
    links do not nest, so mdformat's ``\\[`` / ``\\]`` escapes are noise there."""
    # The text is tested first: a node's siblings cost a scan of its parent's children
    # (quadratic over a paragraph of many inline nodes).
    if text.endswith("\\[") and _escaped_at(text, len(text) - 1):
        after = node.next_sibling
        if after is not None and after.type == "link":
            text = text[:-2] + "["
    if text.startswith("\\]"):
        before = node.previous_sibling
        if before is not None and before.type == "link":
            text = text[1:]
    # A backslash before a letter escapes nothing, so mdformat's doubling of it is noise, and
    # harmful in GitHub math: "$\\textit{x}$" would become "$\\\\textit{x}$".
    return _BACKSLASH_LETTER_RE.sub(r"\\", text)


def _thematic_break(node: Any, context: Any) -> str:
    """``---`` at the top level (mdformat writes 70 underscores); inside containers keep
    mdformat's spelling, as ``- ---`` would itself be a thematic break."""
    parent = node.parent
    return "---" if parent is None or parent.type == "root" else "_" * 70


def _heading(text: str, node: Any, context: Any) -> str:
    """An empty ATX heading without mdformat's trailing space (``##``, not ``## ``), which
    the whitespace rule would remove again."""
    return text.rstrip(" ") if text.endswith("# ") and not text.strip("# ") else text


RENDERERS: Mapping[str, Any] = {"hr": _thematic_break}
POSTPROCESSORS: Mapping[str, Any] = {"paragraph": _paragraph, "text": _text, "heading": _heading}
