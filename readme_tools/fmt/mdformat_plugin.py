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
written, where mdformat would write the raw character.

The plugin only changes whitespace (a kept reference renders the same), so ``CHANGES_AST``
stays False and mdformat's HTML-equivalence check keeps guarding every plugin. The rewrites
that change the rendered HTML (venue spelling, link order and labels, canonical URLs, TOC,
mojibake) are ``readme-fmt``'s, which verifies them with its own check
(:mod:`readme_tools.fmt.safety`).
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


def update_mdit(mdit: Any) -> None:
    """Entries are plain list items; only character references need a core rule."""
    mdit.core.ruler.before("text_join", "paperlist_references", _keep_references)


def _entry_line(text: str, node: Any, context: Any) -> str:
    parent = node.parent
    if parent is None or parent.type != "list_item" or node.previous_sibling is not None:
        return text
    task = "task-list-item" in str(parent.attrs.get("class", ""))
    if "\n" not in text or not is_entry_head(text, task):
        return text
    # Join soft breaks; a hard break ("\\" + newline as mdformat writes it) stays.
    return _SOFT_BREAK_RE.sub(" ", text)


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


RENDERERS: Mapping[str, Any] = {"hr": _thematic_break}
POSTPROCESSORS: Mapping[str, Any] = {"paragraph": _entry_line, "text": _text}
