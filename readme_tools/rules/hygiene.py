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
# Where an NBSP is part of a title: bold, quoted, a link's text, a heading.
_TITLE_SPANS_RE = re.compile(
    r"\*\*[^*\n]+?\*\*|__[^_\n]+?__|\"[^\"\n]+?\"|\u201c[^\u201d\n]+?\u201d|\[[^\[\]\n]+\]\("
)
_HEADING_RE = re.compile(r" {0,3}#{1,6}\s")
# C0/C1 controls (not tab/newline), U+FFFD, zero-width characters, a BOM inside the text.
_INVISIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\u200b-\u200d\u2060\ufeff]")

# A style (tab indentation, backslash hard breaks) is the list's own when at least this share
# of at least MIN_LINES lines use it.
DOMINANT_SHARE = 0.75
MIN_LINES = 5


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


def _continues(doc: Document, line: int) -> bool:
    """The next line continues the paragraph of ``line`` (a line break there is rendered)."""
    if line >= doc.source.line_count:
        return False
    following = doc.source.line(line + 1)
    return bool(following.strip()) and not _BLOCK_START_RE.match(following)


def _ends_in_backslash(body: str) -> bool:
    """``body`` ends in an unescaped backslash (a hard break when the paragraph goes on)."""
    run = len(body) - len(body.rstrip("\\"))
    return run % 2 == 1


def _dominant(count: int, total: int) -> bool:
    return total >= MIN_LINES and count >= DOMINANT_SHARE * total


class _Habits:
    """The document's whitespace habits, learned lazily from the whole text (so an
    incremental run learns what a full one does)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._backslash_breaks: bool | None = None
        self._tab_indent: str | None = None

    def _content_lines(self) -> Iterator[tuple[int, str]]:
        code = self.doc.code_lines
        for number, line in enumerate(self.doc.source.text.split("\n"), start=1):
            if number not in code:
                yield number, line

    @property
    def backslash_breaks(self) -> bool:
        """Most hard breaks are written with a backslash."""
        if self._backslash_breaks is None:
            backslash = spaces = 0
            for number, line in self._content_lines():
                if line.endswith("\\") and _ends_in_backslash(line):
                    backslash += _continues(self.doc, number)
                elif line.endswith("  ") and line.strip() and "\t" not in line[-2:]:
                    spaces += _continues(self.doc, number)
            self._backslash_breaks = _dominant(backslash, backslash + spaces)
        return self._backslash_breaks

    @property
    def tab_indent(self) -> str:
        """``"tabs"``, ``"spaces"`` or ``"mixed"``: how indented lines are indented."""
        if self._tab_indent is None:
            tabs = spaces = 0
            for _, line in self._content_lines():
                if line[:1] == "\t" and line.strip():
                    tabs += 1
                elif line[:1] == " " and line.strip():
                    spaces += 1
            total = tabs + spaces
            self._tab_indent = (
                "tabs"
                if _dominant(tabs, total)
                else "spaces"
                if _dominant(spaces, total)
                else "mixed"
            )
        return self._tab_indent


def _trailing(doc: Document, line: int, start: int, end: int, habits: _Habits) -> Problem | None:
    """The finding for trailing whitespace ``text[start:end]`` on ``line``, if any."""
    text = doc.source.text
    line_start = doc.source.line_starts[line - 1]
    fix = Fix("remove trailing whitespace", (Edit(start, end, ""),))
    if start == line_start:
        return Problem(start, end, "whitespace-only line", fix=fix)
    whitespace = text[start:end]
    continues = _continues(doc, line)
    if continues and _ends_in_backslash(text[line_start:start]):
        # Removing it would turn the backslash into a hard break: not an equivalent fix.
        return Problem(
            start,
            end,
            "whitespace after a line-ending '\\': GitHub shows the backslash and joins the next "
            "line instead of breaking it; remove the whitespace if a line break is meant (not "
            "fixed automatically: it changes the rendering)",
        )
    if continues and len(whitespace) >= 2 and "\t" not in whitespace:
        if not habits.backslash_breaks:
            return None  # a two-space hard break, the list's own way to break a line
        return Problem(
            start,
            end,
            "hard break written as trailing spaces where this list writes '\\'",
            fix=Fix("write the hard break as '\\'", (Edit(start, end, "\\"),)),
        )
    return Problem(start, end, "trailing whitespace", fix=fix)


def _tabs(doc: Document, ctx: Context, habits: _Habits) -> Iterator[Problem]:
    source = doc.source
    text = source.text
    seen: set[int] = set()
    for match in ctx.finditer(_TAB_RE, source):
        pos = match.start()
        line = source.position(pos)[0]
        if line in seen or line in doc.code_lines or not ctx.wants(line):
            continue
        seen.add(line)
        line_start, line_end = source.line_span(line)
        body = text[line_start:line_end]
        indent = len(body) - len(body.lstrip(" \t"))
        inner = body.find("\t", indent)
        if inner >= 0 and body[inner:].strip():
            yield Problem(
                line_start + inner,
                line_start + inner + 1,
                "tab character inside the text (shown as a space, but breaks alignment and "
                "search); use a space",
            )
        elif "\t" in body[:indent] and habits.tab_indent == "spaces":
            yield Problem(
                line_start,
                line_start + indent,
                "indented with a tab where this list indents with spaces (a tab counts as up "
                "to 4 columns, which can change the nesting); use spaces",
            )


def _title_spans(doc: Document, line: int) -> list[tuple[int, int]]:
    source = doc.source
    start, end = source.line_span(line)
    if _HEADING_RE.match(source.text, start):
        return [(start, end)]
    return [
        (start + m.start(), start + m.end()) for m in _TITLE_SPANS_RE.finditer(source.line(line))
    ]


def _nbsp(doc: Document, ctx: Context) -> Iterator[Problem]:
    """One finding per line, where an NBSP matters: after a checkbox, inside a title."""
    source = doc.source
    text = source.text
    by_line: dict[int, list[int]] = {}
    for match in ctx.finditer(_NBSP_RE, source):
        pos = match.start()
        line = source.position(pos)[0]
        if line in doc.code_lines or not ctx.wants(line):
            continue
        if pos > 0 and _mojibake_tail(text[pos - 1]):
            continue  # part of mojibake; the mojibake rule owns it
        by_line.setdefault(line, []).append(pos)
    for line, positions in by_line.items():
        line_start = source.line_starts[line - 1]
        first = positions[0]
        if _CHECKBOX_NBSP_RE.fullmatch(text[line_start:first]):
            yield Problem(
                first,
                first + 1,
                "non-breaking space (U+00A0) after a checkbox: GitHub no longer renders the "
                "task checkbox; use a space",
                fix=Fix("use a space", (Edit(first, first + 1, " "),), effect="structure"),
            )
            continue
        spans = _title_spans(doc, line)
        inside = [p for p in positions if any(a <= p < b for a, b in spans)]
        if not inside:
            continue  # between author names, before a date: invisible and harmless
        count = f"{len(inside)} non-breaking spaces" if len(inside) > 1 else "a non-breaking space"
        yield Problem(
            inside[0],
            inside[-1] + 1,
            f"{count} (U+00A0) inside a title: searches and title matching miss it; use "
            "ordinary spaces",
            fix=Fix("use spaces", tuple(Edit(p, p + 1, " ") for p in inside), effect="text"),
        )


def check_whitespace(doc: Document, ctx: Context) -> Iterator[Problem]:
    source = doc.source
    text = source.text
    code = doc.code_lines
    habits = _Habits(doc)
    for match in ctx.finditer(_TRAILING_END_RE, source):
        end = match.end()
        line = source.position(end)[0]
        if line in code or not ctx.wants(line):
            continue
        line_start = source.line_starts[line - 1]
        start = end - 1
        while start > line_start and text[start - 1] in " \t":  # linear: runs are disjoint
            start -= 1
        problem = _trailing(doc, line, start, end, habits)
        if problem is not None:
            yield problem
    if "\t" in text:
        yield from _tabs(doc, ctx, habits)
    if "\u00a0" in text:
        yield from _nbsp(doc, ctx)
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


def _zero_width(pos: int, code: str, name: str, fix: Fix) -> Problem:
    """Invisible, nothing broken for a reader: a warning (it does break search and anchors)."""
    return Problem(
        pos,
        pos + 1,
        f"zero-width character {code} ({name}): invisible, but it breaks search and "
        "matching; remove it",
        fix=fix,
        severity="warning",
    )


def check_encoding(doc: Document, ctx: Context) -> Iterator[Problem]:
    source = doc.source
    if source.had_bom:
        yield Problem(
            0,
            0,
            "UTF-8 byte order mark (BOM) at start of file (invisible on GitHub, but tools "
            "that read the file see it)",
            fix=Fix("remove it", ()),
            severity="warning",
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
        fix = Fix(f"remove {code}", (Edit(pos, pos + 1, ""),), effect="text")
        if ch == "\ufffd":
            yield Problem(pos, pos + 1, "replacement character U+FFFD: text was lost in a decoding")
        elif ch in "\u200c\u200d":
            if not (_between_emoji(text, pos) or _joins_letters(text, pos)):
                yield _zero_width(pos, code, name, fix)
        elif ch in "\u200b\u2060\ufeff":
            yield _zero_width(pos, code, name, fix)
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
        code="W304",
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
**What** — trailing whitespace and whitespace-only lines (fixed by removing them), a tab
inside the text, a missing final newline, mixed line endings, and what goes against the
list's own habits: a tab-indented line in a list indented with spaces (tab indentation a list
uses throughout is fine), a two-space hard break in a list that breaks lines with `\\`.
Trailing spaces that form a hard break are never "trailing whitespace", and the fix never
creates one: whitespace after a line-ending `\\` is reported without a fix (removing it would
turn the backslash into a line break). A non-breaking space (U+00A0) is reported once per line
and only where it matters: right after a task checkbox (GitHub then no longer renders the
box) or inside a title (bold, quoted, a link's text, a heading). Code blocks and HTML comments
are not checked. A habit is the list's when at least 75% of at least 5 lines follow it.

**Severity** — a warning: nothing here breaks the page for a reader.

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
Shift-JIS is named as such), U+FFFD replacement characters (text already lost) and C0/C1
control characters (on lines the `mojibake` rule reports, it owns them) are *errors*: the
reader sees broken text. A byte order mark and zero-width characters (U+200B, U+2060, a BOM
inside the text; U+200C/U+200D except inside emoji sequences or between letters of scripts
that use them) are invisible: *warnings*. A BOM and zero-width or control characters are
fixable (removed).

**Severity** — an error where text is broken (invalid bytes, U+FFFD, control characters), a
warning where nothing visible changes (BOM, zero-width characters).

**Why** — these characters are invisible in review but break anchors, search and rendering.

Bad:

    - [x] **Vision\u200bZip**: Longer is Better … CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)

Good:

    - [x] **VisionZip**: Longer is Better … CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)
""",
        check=check_encoding,
    ),
)
