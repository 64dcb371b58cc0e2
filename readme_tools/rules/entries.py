"""Entry grammar: the shape of an entry line, its bold name, checkbox and summary subject.

Only the list's papers are judged: list entries of body sections (news lines, news sections
and front/back matter are not, see :meth:`readme_tools.model.Document.is_paper`), and each
rule only where the document's style asks for what it checks (:mod:`readme_tools.style`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from readme_tools.config import EntryOptions
from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.model import Document, Entry, Link, StyleCounts
from readme_tools.parse import TERMINATOR_RE
from readme_tools.registry import Rule
from readme_tools.style import MIN_ENTRIES, counts_by_section

# A model name opening a summary: "Llama-VID, a video…", "ReflectiVA是一种…".
_OPENING_NAME_RE = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9.+]*(?:-[A-Za-z0-9.+]+)*)(?P<next>.?)")
# A short name opening a title: "LLMEval-Med: A Real-world …", "Llama 2: Open …".
_TITLE_NAME_RE = re.compile(r"(?P<name>[^\s:：][^:：\n]{0,40}?)\s*[:：]\s+\S")


def _list_entries(doc: Document, ctx: Context) -> Iterator[Entry]:
    """The list's paper entries whose lines the run reports on."""
    every = ctx.lines is None
    for entry in doc.entries:
        # The whole entry: summary-subject reports on a summary line.
        if (
            entry.kind == "list"
            and doc.is_paper(entry)
            and (every or ctx.wants(entry.line, doc.source.position(entry.span.end)[0]))
        ):
            yield entry


# --------------------------------------------------------------------------- entry-format


def _text_links(entry: Entry) -> list[Link]:
    return [link for link in entry.links if not link.image]


def _missing_separator(doc: Document, entry: Entry) -> Problem | None:
    """``**Name** Title`` where the list writes ``**Name**: Title``."""
    if entry.name is None or entry.name_span is None:
        return None
    text = doc.source.text
    end = entry.name_span.end
    inside = text[entry.name_span.start : end].rstrip("*_ ")
    if inside.endswith((":", "：")) or text[end : end + 3].lstrip(" \t").startswith((":", "：")):
        return None
    return Problem(
        end,
        end,
        f"missing ':' after the bold name **{entry.name}** (the list writes '**Name**: Title')",
        fix=Fix("insert ':'", (Edit(end, end, ":"),), effect="text"),
    )


def _missing_stop(doc: Document, entry: Entry) -> Problem | None:
    """``Title CVPR2025`` where the list writes ``Title. CVPR2025``."""
    if entry.venue is None or entry.title_span is None or entry.venue_span is None:
        return None
    if entry.venue_span.start < entry.title_span.start:
        return None  # the venue comes first: not this layout
    end = entry.title_span.end
    text = doc.source.text
    if end > 0 and TERMINATOR_RE.match(text, end - 1):
        return None
    return Problem(
        end,
        end,
        f"missing '.' between the title and the venue tag {entry.venue!r}",
        fix=Fix("insert '.'", (Edit(end, end, "."),), effect="text"),
    )


def _after_links(doc: Document, entry: Entry) -> Problem | None:
    """Text after the entry line's links: on the same line, or a summary glued to it."""
    links = _text_links(entry)
    if not links:
        return None
    text = doc.source.text
    last = max(link.span.end for link in links)
    head_end = entry.head_span.end
    after = text[last:head_end]
    while after[:1] in ("]", ")"):
        after = after[1:]
    stripped = after.strip()
    if not stripped:
        return None
    newline = after.find("\n")
    if newline >= 0 and not after[:newline].strip():
        # "…[Paper](url)\n  Summary": a summary without the blank line is part of the entry's
        # paragraph, and GitHub renders it on the entry line.
        line = doc.source.position(last + newline + 1)[0]
        start, end = doc.source.line_span(line)
        first = start + len(text[start:end]) - len(text[start:end].lstrip())
        return Problem(
            first,
            min(end, head_end),
            "text under the entry line without a blank line before it joins the entry's "
            "paragraph (GitHub shows it on the entry line); add a blank line above it",
        )
    start = last + len(text[last:head_end]) - len(text[last:head_end].lstrip("]) \t"))
    shown = stripped if len(stripped) <= 40 else stripped[:37] + "…"
    return Problem(
        start,
        head_end,
        f"text {shown!r} after the links; the list ends entry lines with their links",
    )


def _grammar_problems(doc: Document, entry: Entry) -> list[Problem]:
    found = [
        p
        for p in (
            _missing_separator(doc, entry),
            _missing_stop(doc, entry),
            _after_links(doc, entry),
        )
        if p is not None
    ]
    if found:
        return found
    span = entry.head_span
    if not _text_links(entry):
        return [
            Problem(span.start, span.end, "entry has no link; the list's entries end with links")
        ]
    return [
        Problem(
            span.start,
            span.end,
            "link inside the title; the list's entries keep their links at the end of the line",
        )
    ]


def check_entry_format(doc: Document, ctx: Context) -> Iterator[Problem]:
    if not ctx.style.grammar:
        return
    for entry in _list_entries(doc, ctx):
        if entry.grammar or entry.layout != "grammar":
            continue
        yield from _grammar_problems(doc, entry)


# --------------------------------------------------------------------------- bold-name


def _is_model_name(word: str) -> bool:
    return len(word) >= 2 and (any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word))


def _title_name(title: str) -> str | None:
    """``LLMEval-Med`` of ``LLMEval-Med: A Real-world Clinical Benchmark …``: one word shaped
    like a model's name (capitals or digits inside it), maybe with a version (``Llama 2``)."""
    match = _TITLE_NAME_RE.match(title)
    if not match:
        return None
    name = match.group("name").strip()
    words = name.split()
    if len(name) > 32 or not words or not _is_model_name(words[0].replace("-", "")):
        return None
    if len(words) > 2 or (len(words) == 2 and not re.fullmatch(r"v?\d+(?:\.\d+)*", words[1])):
        return None
    return name


def suggest_name(entry: Entry) -> tuple[str, str] | None:
    """A bold name for an entry without one, and where it comes from (title, summary, code).

    The title's own short name ("Name: Title"), the model a summary opens with ("ReflectiVA
    是一种…"), or a code repository named like the title's first word.
    """
    if entry.title:
        name = _title_name(entry.title)
        if name is not None:
            return name, "title"
    if entry.summary:
        match = _OPENING_NAME_RE.match(entry.summary[0].text.lstrip())
        if (
            match
            and _is_model_name(match.group("name"))
            and not ("a" <= match.group("next") <= "z")
        ):
            return match.group("name"), "summary"
    for link in entry.links:
        m = re.match(r"https?://(?:www\.)?github\.com/[^/\s]+/([^/\s#?]+)", link.url)
        if m and _is_model_name(m.group(1)):
            name = m.group(1).removesuffix(".git")
            first = entry.title.split(None, 1)[0].strip(":：,.") if entry.title else ""
            if first.casefold() == name.casefold():
                return name, "code repository"  # the title opens with the repository's name
    return None


def _named_section(counts: StyleCounts | None) -> bool:
    """Whether a section's own entries use bold names (sections of fewer than three list
    entries follow the document)."""
    if counts is None or counts.entries < MIN_ENTRIES:
        return True
    return counts.named * 2 > counts.entries


def check_bold_name(doc: Document, ctx: Context) -> Iterator[Problem]:
    if not ctx.style.bold_name:
        return
    by_section: dict[int, StyleCounts] | None = None
    configured = ctx.options(EntryOptions).bold_name == "required"
    for entry in _list_entries(doc, ctx):
        if entry.name is not None or entry.title is None:
            continue
        if entry.layout not in ("grammar", "venue-first", "quoted"):
            continue  # a bold title, a linked title: the list's named entries look otherwise
        if not configured:
            if by_section is None:
                by_section = counts_by_section(doc)
            if not _named_section(by_section.get(entry.section)):
                continue  # this section writes no bold names: its house style
        suggestion = suggest_name(entry)
        if suggestion is None:
            continue  # a paper without a short name needs none
        name, origin = suggestion
        start = entry.title_span.start if entry.title_span else entry.head_span.start
        yield Problem(
            start,
            start,
            f"entry has no bold short name (**Name**: Title); the {origin} suggests **{name}**",
        )


# --------------------------------------------------------------------------- checkbox


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


# --------------------------------------------------------------------------- summary-subject


def _mentions(summary: str, name: str) -> bool:
    text = summary.casefold()
    if name.casefold() in text:
        return True
    parts = [p for p in re.split(r"\s+(?:and|&)\s+|[/,]", name) if len(p.strip()) >= 3]
    return len(parts) > 1 and any(p.strip().casefold() in text for p in parts)


# What makes an opening name the summary's subject: "X, a …", "X is a …", "X (…", "X是一种…".
_DEFINES_RE = re.compile(r",\s*(?:a|an|the)\s|\s+(?:is|was)\s+(?:a|an|the)\s|\s*[(（]|\s*是一")


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


# --------------------------------------------------------------------------- the rules

_GOOD = (
    "- [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. "
    "CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)"
)
# Style is inferred from the document: an example needs the list around the entry it shows.
_CONTEXT = """\
    - [x] **FlashSloth**: Lightning Multimodal Large Language Models via Embedded Visual Compression. CVPR2025 [Paper](https://arxiv.org/abs/2412.04317)
    - [x] **DivPrune**: Diversity-based Visual Token Pruning for Large Multimodal Models. CVPR2025 [Paper](https://arxiv.org/abs/2503.02175)
    - [ ] **HoVLE**: Unleashing the Power of Monolithic Vision-Language Models with Holistic Vision-Language Embedding. CVPR2025 [Paper](https://arxiv.org/abs/2412.16158)"""
_STYLE_NOTE = (
    "Style is learnt from the document: the examples show three more entries of the list "
    "(with fewer than three list entries nothing is inferred and nothing is reported)."
)

RULES = (
    Rule(
        name="entry-format",
        code="E101",
        severity="warning",
        fixable=True,
        summary="Entry line does not follow the document's entry grammar.",
        doc=f"""\
**What** — in a list that writes its entries as
`- [ ]|[x] **Name**: Title. VENUE [Label](url) [Label](url)…` (checkbox, name and venue
optional; most entries follow it and most carry a checkbox, a bold name or a venue tag), an
entry written that way but off the grammar is reported, with what exactly is off: no ':' after
the bold name (fix: insert it), no '.' between the title and the venue tag (fix: insert it),
text after the links, or a summary line without a blank line above it (GitHub renders it on
the entry line). Lists written in another style (numbered lists, `**[Title](url)**`, the venue
first, tables, bold title lines with authors below) are not checked against this grammar, and
neither are news lines and news sections. A warning: it is about style. {_STYLE_NOTE}

**Why** — one shape per entry keeps the list scannable and lets tools (this one included)
find the title, venue and links reliably.

Bad:

{_CONTEXT}
    - [x] **VisionZip** Longer is Better but Not Necessary in Vision Language Models. CVPR2025 [Paper](https://arxiv.org/abs/2412.04467) (great!)

Good:

{_CONTEXT}
    {_GOOD}
""",
        check=check_entry_format,
    ),
    Rule(
        name="bold-name",
        code="E102",
        severity="warning",
        fixable=False,
        summary="Entry lacks the bold short name that its title or summary gives it.",
        doc=f"""\
**What** — when most entries start with a bold short name (`**VisionZip**: …`), in the
list and in the entry's own section, an entry without one is reported where the paper has a
short name to give it: its title opens with one ("LLMEval-Med: A Real-world …"), its summary
opens with the model's name ("ReflectiVA是一种…"), or its title opens with the name of its
code repository. The message suggests the name. Papers without a short name are not
reported, nor are lists or sections that do not use bold names (`[entry] bold-name =
"required"` asks in every section).
{_STYLE_NOTE}

**Why** — the short name is what readers scan for and what the TOC of a reading list is
remembered by.

Bad:

{_CONTEXT}
    - [x] VisionZip: Longer is Better but Not Necessary in Vision Language Models. CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)

Good:

{_CONTEXT}
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
"forbidden"` every checkbox is reported instead (fix: remove it). {_STYLE_NOTE}

**Why** — the checkbox is the reading status; a missing one silently drops the entry from
"what is left to read".

Bad:

{_CONTEXT}
    - **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)

Good:

{_CONTEXT}
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
