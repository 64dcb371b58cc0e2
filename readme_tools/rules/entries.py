"""Entry grammar: the shape of an entry line, its bold name, checkbox and summary subject."""

from __future__ import annotations

import re
from collections.abc import Iterator

from readme_tools.config import EntryOptions
from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.model import Document, Entry
from readme_tools.parse import NAME_RE, TERMINATOR_RE
from readme_tools.registry import Rule

# A model name opening a summary: "Llama-VID, a video…", "ReflectiVA是一种…".
_OPENING_NAME_RE = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9.+]*(?:-[A-Za-z0-9.+]+)*)(?P<next>.?)")


def _list_entries(doc: Document, ctx: Context) -> Iterator[Entry]:
    for entry in doc.entries:
        # The whole entry: summary-subject reports on a summary line.
        if entry.kind == "list" and ctx.wants(entry.line, doc.source.position(entry.span.end)[0]):
            yield entry


def _grammar_problem(doc: Document, entry: Entry) -> str:
    head = entry.head
    if "\n" in head.strip():
        return "entry line is broken over several lines; keep name, title, venue and links on one"
    links = [link for link in entry.links if not link.image]
    if not links:
        return "entry line has no links; expected '… VENUE [Paper](url)'"
    after = doc.source.text[links[-1].span.end : entry.head_span.end]
    if after.strip():
        return f"text {after.strip()!r} after the links; the links must end the entry line"
    match = NAME_RE.match(head, head.find("**") if head.lstrip().startswith(("[", "*")) else 0)
    if entry.name and match and not match.group("sep"):
        return f"bold name **{entry.name}** must be followed by ':'"
    if entry.title is not None and not TERMINATOR_RE.search(entry.title):
        return "title must end with '.', '?' or '!' before the venue tag"
    return "entry line does not follow '- [x] **Name**: Title. VENUE [Label](url) …'"


def check_entry_format(doc: Document, ctx: Context) -> Iterator[Problem]:
    if not ctx.style.grammar:
        return
    for entry in _list_entries(doc, ctx):
        if entry.grammar:
            continue
        span = entry.head_span
        yield Problem(span.start, span.end, _grammar_problem(doc, entry))


def suggest_name(entry: Entry) -> str | None:
    """A bold name for an entry without one, from its summary's opening word or code repo."""
    if entry.summary:
        match = _OPENING_NAME_RE.match(entry.summary[0].text.lstrip())
        if (
            match
            and _is_model_name(match.group("name"))
            and not ("a" <= match.group("next") <= "z")
        ):
            return match.group("name")
    for link in entry.links:
        m = re.match(r"https?://(?:www\.)?github\.com/[^/\s]+/([^/\s#?]+)", link.url)
        if m and _is_model_name(m.group(1)):
            name = m.group(1).removesuffix(".git")
            if entry.title and name.casefold() in entry.title.casefold():
                return name
    return None


# What makes an opening name the summary's subject: "X, a …", "X is a …", "X (…", "X是一种…".
_DEFINES_RE = re.compile(r",\s*(?:a|an|the)\s|\s+(?:is|was)\s+(?:a|an|the)\s|\s*[(（]|\s*是一")


def _is_model_name(word: str) -> bool:
    return len(word) >= 2 and (any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word))


def check_bold_name(doc: Document, ctx: Context) -> Iterator[Problem]:
    if not ctx.style.bold_name:
        return
    for entry in _list_entries(doc, ctx):
        if entry.name is not None or not (entry.grammar or entry.title):
            continue
        start = entry.title_span.start if entry.title_span else entry.head_span.start
        suggestion = suggest_name(entry)
        hint = f"; the summary suggests **{suggestion}**" if suggestion else ""
        yield Problem(start, start, f"entry has no bold short name (**Name**: Title){hint}")


def _forbidden_checkboxes(doc: Document, ctx: Context) -> Iterator[Problem]:
    """``[entry] checkbox = "forbidden"``: every checkbox is reported (fix: drop it)."""
    text = doc.source.text
    for entry in _list_entries(doc, ctx):
        span = entry.checkbox_span
        if span is None:
            continue
        end = span.end + 1 if text[span.end : span.end + 1] == " " else span.end
        yield Problem(
            span.start,
            span.end,
            'entry has a checkbox; the config forbids them ([entry] checkbox = "forbidden")',
            fix=Fix("remove the checkbox", (Edit(span.start, end, ""),)),
        )


def check_checkbox(doc: Document, ctx: Context) -> Iterator[Problem]:
    if ctx.options(EntryOptions).checkbox == "forbidden":
        yield from _forbidden_checkboxes(doc, ctx)
        return
    style = ctx.style
    if not style.checkbox:
        return
    for entry in _list_entries(doc, ctx):
        if entry.checkbox is None:
            start = entry.head_span.start
            yield Problem(
                start,
                start,
                "entry has no checkbox; the document's entries start with '[ ]' or '[x]'",
                fix=Fix(
                    "add an unticked checkbox", (Edit(start, start, "[ ] "),), effect="structure"
                ),
            )
        elif entry.checkbox in "xX" and entry.checkbox != style.checked_char:
            span = entry.checkbox_span
            assert span is not None
            yield Problem(
                span.start,
                span.end,
                f"ticked box is written '[{entry.checkbox}]'; the document uses "
                f"'[{style.checked_char}]'",
                fix=Fix(
                    f"write [{style.checked_char}]",
                    (Edit(span.start, span.end, f"[{style.checked_char}]"),),
                ),
            )


def _mentions(summary: str, name: str) -> bool:
    text = summary.casefold()
    if name.casefold() in text:
        return True
    parts = [p for p in re.split(r"\s+(?:and|&)\s+|[/,]", name) if len(p.strip()) >= 3]
    return len(parts) > 1 and any(p.strip().casefold() in text for p in parts)


def check_summary_subject(doc: Document, ctx: Context) -> Iterator[Problem]:
    for entry in _list_entries(doc, ctx):
        if not entry.name or not entry.summary:
            continue
        summary = "\n".join(p.text for p in entry.summary)
        if _mentions(summary, entry.name):
            continue
        first = entry.summary[0]
        match = _OPENING_NAME_RE.match(first.text)
        if not match or not _is_model_name(match.group("name")):
            continue
        other = match.group("name")
        if other.casefold() == entry.name.casefold():
            continue
        if not _DEFINES_RE.match(first.text, match.end("name")):
            continue  # "RLHF 流程繁琐…": the summary starts with context, not a model
        yield Problem(
            first.span.start,
            first.span.start + len(other),
            f"summary describes {other!r}, but the entry is **{entry.name}**, which the summary "
            "never mentions (summary pasted under the wrong entry?)",
        )


_GOOD = (
    "- [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. "
    "CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)"
)

RULES = (
    Rule(
        name="entry-format",
        code="E101",
        severity="error",
        fixable=False,
        summary="Entry line does not follow the document's entry grammar.",
        doc=f"""\
**What** — in a list whose entries mostly follow the grammar
`- [ ]|[x] **Name**: Title. VENUE [Label](url) [Label](url)…`, every entry must: keep the
entry on one line, put ':' after the bold name, end the title with '.', '?' or '!', and end
the line with its links. Lists written in another style (numbered lists, `**[Title](url)**`,
tables) are not checked against this grammar.

**Why** — one shape per entry keeps the list scannable and lets tools (this one included)
find the title, venue and links reliably.

Bad:

    - [x] **VisionZip** Longer is Better but Not Necessary in Vision Language Models CVPR2025 [Paper](https://arxiv.org/abs/2412.04467) (great!)

Good:

    {_GOOD}
""",
        check=check_entry_format,
    ),
    Rule(
        name="bold-name",
        code="E102",
        severity="warning",
        fixable=False,
        summary="Entry lacks the bold short name the document's entries use.",
        doc=f"""\
**What** — when most entries start with a bold short name (`**VisionZip**: …`), an entry
without one is reported. Where the summary starts with a model name ("ReflectiVA是一种…") or
the code repository is named after the model, the message suggests it. Lists that never use
bold names are not checked.

**Why** — the short name is what readers scan for and what the TOC of a reading list is
remembered by.

Bad:

    - [x] Longer is Better but Not Necessary in Vision Language Models. CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)

Good:

    {_GOOD}
""",
        check=check_bold_name,
    ),
    Rule(
        name="checkbox",
        code="E103",
        severity="warning",
        fixable=True,
        summary="Checkbox missing where the document uses them, or spelt differently.",
        doc=f"""\
**What** — when most entries carry a task-list checkbox (`[ ]` unread, `[x]` read), an entry
without one is reported (fix: add `[ ] `), and a ticked box spelt `[X]` where the document
uses `[x]` (or the reverse) is reported (fix: respell it). With `[entry] checkbox =
"forbidden"` every checkbox is reported instead (fix: remove it).

**Why** — the checkbox is the reading status; a missing one silently drops the entry from
"what is left to read".

Bad:

    - **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)

Good:

    {_GOOD}
""",
        check=check_checkbox,
    ),
    Rule(
        name="summary-subject",
        code="E104",
        severity="warning",
        fixable=False,
        summary="The summary names a different model and never mentions the entry's name.",
        doc="""\
**What** — the entry's bold name appears nowhere in its summary while the summary opens by
naming a different model.

**Why** — this is almost always a summary pasted under the wrong entry.

Bad:

    - [x] **Insight-V**: Exploring Long-Chain Visual Reasoning with Multimodal Large Language Models. CVPR2025 [Paper](https://arxiv.org/abs/2411.14432)

      Llama-VID, a video understanding large language model based on the Llama architecture, …

Good:

    - [x] **Insight-V**: Exploring Long-Chain Visual Reasoning with Multimodal Large Language Models. CVPR2025 [Paper](https://arxiv.org/abs/2411.14432)

      Insight-V produces long, structured reasoning chains with a multi-agent system …
""",
        check=check_summary_subject,
    ),
)
