"""Input hygiene: invisible characters that break rendering or diffs, and input too deep or
too dense in markup for the parser to read in full."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.model import Document
from readme_tools.registry import Rule

_TRAILING_END_RE = re.compile(r"[ \t](?=\n|\Z)")
_TAB_RE = re.compile(r"\t")
_NBSP_RE = re.compile("\u00a0")
_BLOCK_START_RE = re.compile(r"\s*(?:#|>|[-*+]\s|\d+[.)]\s|```|~~~|\|)")
_CHECKBOX_NBSP_RE = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]$")
# C0/C1 controls (not tab/newline), U+FFFD, zero-width characters, a BOM inside the text.
_INVISIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\u200b-\u200d\u2060\ufeff]")


def _mojibake_tail(prev: str) -> bool:
    """An NBSP after a non-ASCII cp1252/cp1254 character is a mis-decoded UTF-8 byte 0xA0."""
    if ord(prev) < 0x80:
        return False
    for codec in ("cp1254", "cp1252"):
        try:
            prev.encode(codec)
        except UnicodeEncodeError:
            continue
        return True
    return False


def _is_hard_break(doc: Document, line: int, whitespace: str) -> bool:
    """Two or more trailing spaces before a line that continues the same paragraph."""
    if len(whitespace) < 2 or "\t" in whitespace or line >= doc.source.line_count:
        return False
    following = doc.source.line(line + 1)
    return bool(following.strip()) and not _BLOCK_START_RE.match(following)


def check_whitespace(doc: Document, ctx: Context) -> Iterator[Problem]:
    source = doc.source
    text = source.text
    code = doc.code_lines
    for match in ctx.finditer(_TRAILING_END_RE, source):
        end = match.end()
        line = source.position(end)[0]
        if line in code or not ctx.wants(line):
            continue
        line_start = source.line_starts[line - 1]
        start = end - 1
        while start > line_start and text[start - 1] in " \t":  # linear: runs are disjoint
            start -= 1
        fix = Fix("remove trailing whitespace", (Edit(start, end, ""),))
        if start == line_start:
            yield Problem(start, end, "whitespace-only line", fix=fix)
        elif not _is_hard_break(doc, line, text[start:end]):
            yield Problem(start, end, "trailing whitespace", fix=fix)
    if "\t" in text:
        for match in ctx.finditer(_TAB_RE, source):
            line = source.position(match.start())[0]
            if line not in code and ctx.wants(line):
                yield Problem(match.start(), match.end(), "tab character; use spaces")
    if "\u00a0" in text:
        for match in ctx.finditer(_NBSP_RE, source):
            pos = match.start()
            line = source.position(pos)[0]
            if line in code or not ctx.wants(line):
                continue
            if pos > 0 and _mojibake_tail(text[pos - 1]):
                continue  # part of mojibake; the mojibake rule owns it
            before = text[source.line_starts[line - 1] : pos]
            message = "non-breaking space (U+00A0)"
            if _CHECKBOX_NBSP_RE.fullmatch(before):
                message += " after a checkbox: GitHub no longer renders the task checkbox"
            yield Problem(pos, pos + 1, message, fix=Fix("use a space", (Edit(pos, pos + 1, " "),)))
    if text and not text.endswith("\n") and ctx.wants(source.line_count):
        end = len(text)
        yield Problem(
            end, end, "no newline at end of file", fix=Fix("add it", (Edit(end, end, "\n"),))
        )
    endings = {e for e in source.line_endings if e}
    if len(endings) > 1:
        dominant = source.newline
        names = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}
        for index, ending in enumerate(source.line_endings):
            if ending and ending != dominant:
                end = source.line_span(index + 1)[1]
                yield Problem(
                    end,
                    end,
                    f"mixed line endings: {names[ending]} here, {names[dominant]} elsewhere",
                    fix=Fix(f"write every line ending as {names[dominant]}", ()),
                )
                break


def _between_emoji(text: str, pos: int) -> bool:
    def emoji(ch: str) -> bool:
        return unicodedata.category(ch) == "So" or 0x1F000 <= ord(ch) <= 0x1FAFF or ch == "\ufe0f"

    before = text[pos - 1] if pos > 0 else ""
    after = text[pos + 1] if pos + 1 < len(text) else ""
    return bool(before and after and emoji(before) and (emoji(after) or after == "\u200d"))


def _joins_letters(text: str, pos: int) -> bool:
    """ZWNJ/ZWJ between letters of scripts that use them (Persian, Indic…)."""
    before = text[pos - 1] if pos > 0 else ""
    after = text[pos + 1] if pos + 1 < len(text) else ""
    return bool(before and after and before.isalpha() and after.isalpha() and ord(before) > 0x2FF)


def check_encoding(doc: Document, ctx: Context) -> Iterator[Problem]:
    source = doc.source
    if source.had_bom:
        yield Problem(
            0, 0, "UTF-8 byte order mark (BOM) at start of file", fix=Fix("remove it", ())
        )
    invalid = source.invalid
    if len(invalid) > 3:
        first = invalid[0]
        guess = (
            f"; it decodes as {source.encoding_guess}: convert the file to UTF-8"
            if source.encoding_guess
            else ""
        )
        yield Problem(
            first.offset,
            first.offset + 1,
            f"file is not valid UTF-8: {len(invalid)} invalid byte sequences, the first at byte "
            f"{first.byte_offset} (line {first.line}){guess}",
        )
    else:
        for bad in invalid:
            yield Problem(
                bad.offset,
                bad.offset + 1,
                f"invalid UTF-8: {bad.length} byte(s) at byte offset {bad.byte_offset}",
            )
    replaced = {bad.offset for bad in invalid}
    text = source.text
    mojibake_lines: set[int] | None = None  # computed on the first invisible character
    for match in ctx.finditer(_INVISIBLE_RE, source):
        pos = match.start()
        if pos in replaced:
            continue
        line = source.position(pos)[0]
        if line in doc.code_lines or not ctx.wants(line):
            continue
        if mojibake_lines is None:
            from readme_tools.mojibake import find_mojibake

            mojibake_lines = {span.line for span in find_mojibake(text)}
        if line in mojibake_lines:
            continue  # the mojibake rule owns damaged lines (its repair removes these)
        ch = match.group()
        code = f"U+{ord(ch):04X}"
        name = unicodedata.name(ch, "control character")
        fix = Fix(f"remove {code}", (Edit(pos, pos + 1, ""),))
        if ch == "\ufffd":
            yield Problem(pos, pos + 1, "replacement character U+FFFD: text was lost in a decoding")
        elif ch in "\u200c\u200d":
            if not (_between_emoji(text, pos) or _joins_letters(text, pos)):
                yield Problem(pos, pos + 1, f"zero-width character {code} ({name})", fix=fix)
        elif ch in "\u200b\u2060\ufeff":
            yield Problem(pos, pos + 1, f"zero-width character {code} ({name})", fix=fix)
        else:
            yield Problem(pos, pos + 1, f"control character {code}", fix=fix)


def check_parse_limit(doc: Document, ctx: Context) -> Iterator[Problem]:
    source = doc.source
    for limit in doc.limits:
        if not ctx.wants(limit.line, limit.end_line):
            continue
        start = source.line_span(limit.line)[0]
        end = source.line_span(min(limit.end_line, source.line_count))[1]
        where = (
            f"line {limit.line}"
            if limit.end_line <= limit.line
            else f"lines {limit.line}-{limit.end_line}"
        )
        if limit.reason == "nesting":
            message = f"{where} not checked: {limit.detail} (GitHub still renders them)"
        else:
            message = f"links on {where} not checked: {limit.detail}"
        yield Problem(start, end, message)


_DEEP = "- > " * 201 + "deep"

RULES = (
    Rule(
        name="parse-limit",
        code="W303",
        severity="warning",
        fixable=False,
        summary="Part of the file was not checked: nesting too deep or too much markup.",
        doc=f"""\
**What** — lines readme-lint could not read in full, so no rule checked them: blocks nested
deeper than 400 levels (list items, block quotes; GitHub renders them, markdown-it stops),
or a block with more than 10,000 markup characters (brackets, parentheses, emphasis, code,
HTML), or more than 300,000 in the whole file, whose links are then not parsed. The limits
keep the work bounded on any input; no real paper list comes near them.

**Why** — a linter must never drop text silently: findings missing from the skipped part
would look like a clean bill of health.

Bad (a list item opening a block quote opening a list item …, 201 times over):

    {_DEEP[:40]}…

Good:

    - > a quote in a list item
""",
        check=check_parse_limit,
    ),
    Rule(
        name="whitespace",
        code="W301",
        severity="warning",
        fixable=True,
        summary="Trailing or whitespace-only lines, tabs, NBSP, final newline, mixed endings.",
        doc="""\
**What** — trailing whitespace (a two-space hard break inside a paragraph is kept),
whitespace-only lines, tab characters, stray non-breaking spaces (U+00A0; one right after a
task checkbox stops GitHub rendering the checkbox), a missing final newline and mixed line
endings. Code blocks and HTML comments are not checked.

**Why** — invisible whitespace makes noisy diffs and, for NBSP, changes how GitHub renders.

Bad (`·` is a space):

    - [x] **X**: A title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)··
    ··
    ··Summary.

Good:

    - [x] **X**: A title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)

      Summary.
""",
        check=check_whitespace,
    ),
    Rule(
        name="encoding",
        code="W302",
        severity="error",
        fixable=True,
        summary="Invalid UTF-8, BOM, U+FFFD, control or zero-width characters.",
        doc="""\
**What** — bytes that are not UTF-8 (with the byte offset; a file in GBK, Big5 or
Shift-JIS is named as such), a byte order mark, U+FFFD replacement characters (text already
lost), C0/C1 control characters (on lines the `mojibake` rule reports, it owns them), and
zero-width characters (U+200B, U+2060, a BOM inside the
text; U+200C/U+200D except inside emoji sequences or between letters of scripts that use
them). A BOM and zero-width or control characters are fixable (removed).

**Why** — these characters are invisible in review but break anchors, search and rendering.

Bad:

    - [x] **Vision\u200bZip**: Longer is Better … CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)

Good:

    - [x] **VisionZip**: Longer is Better … CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)
""",
        check=check_encoding,
    ),
)
