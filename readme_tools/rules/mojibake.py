"""Mojibake (UTF-8 read through a Windows code page) and the language of summaries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.model import Document, Paragraph
from readme_tools.mojibake.detect import find_mojibake
from readme_tools.registry import Rule

if TYPE_CHECKING:
    from readme_tools.mojibake.types import MojibakeSpan, RepairResult


def _repair_fixes(
    doc: Document, spans: list[MojibakeSpan]
) -> tuple[dict[int, Fix], RepairResult | None]:
    """Per damaged line (1-based), the fix made of the confident repairs."""
    if not any(span.kind != "unrecoverable" for span in spans):
        return {}, None
    from readme_tools.mojibake import repair  # ftfy and the decoders: only for damaged text

    result = repair(doc.source.text)  # loads the word model only if Chinese needs it
    by_line: dict[int, list[Edit]] = {}
    starts = {span.line: (span.start, span.end) for span in spans}
    for edit in result.edits:
        line = doc.source.position(edit.start)[0]
        bounds = starts.get(line)
        if bounds is None or not (bounds[0] <= edit.start and edit.end <= bounds[1]):
            continue
        by_line.setdefault(line, []).append(edit)
    fixes: dict[int, Fix] = {}
    for line, edits in by_line.items():
        restored = [r for r in result.repairs if r.line == line]
        applied = sum(r.applied for r in restored)
        if restored:
            description = f"re-decode the line and restore {applied} lost characters"
        else:
            description = "re-decode the line"
        fixes[line] = Fix(description, tuple(edits), effect="text")
    return fixes, result


def check_mojibake(doc: Document, ctx: Context) -> Iterator[Problem]:
    spans = [
        span
        for span in find_mojibake(doc.source.text)
        if span.line not in doc.code_lines and ctx.wants(span.line)
    ]
    if not spans:
        return
    if not ctx.fixes:
        # Reporting only: say what is fixable without loading the word model.
        # Lost bytes are restored only where the model is confident, so a recoverable line
        # counts as fixable only when re-decoding alone repairs it (lossless).
        from readme_tools.mojibake.models.words import cjk_model_available

        model = cjk_model_available()
        for span in spans:
            message = span.message
            if span.kind == "recoverable" and (span.needs_extra is None or model):
                message += (
                    "; readme-fmt --fix restores the characters it is confident about "
                    "(--apply-uncertain the rest, --review lists them)"
                )
            yield Problem(span.start, span.end, message, fixable=span.kind == "lossless")
        return
    fixes, result = _repair_fixes(doc, spans)
    for span in spans:
        message = span.message
        if result is not None and span.kind == "recoverable":
            restored = [r for r in result.repairs if r.line == span.line]
            uncertain = [r for r in restored if not r.confident]
            if uncertain:
                shown = ", ".join(
                    f"col {r.column} {r.original!r}→{r.chosen}?" for r in uncertain[:3]
                )
                more = f" (+{len(uncertain) - 3} more)" if len(uncertain) > 3 else ""
                message += (
                    f"; {len(restored) - len(uncertain)} of {len(restored)} lost characters "
                    f"restored with confidence, {len(uncertain)} uncertain left as they are: "
                    f"{shown}{more}"
                )
        yield Problem(span.start, span.end, message, fix=fixes.get(span.line))


# ---------------------------------------------------------------- summary-language

_URL_RE: Final = re.compile(r"https?://\S+|\]\([^)]*\)|`[^`]*`|<[^>]+>")
_MARKUP_RE: Final = re.compile(r"[*_#>\[\]()|~]")
#: Fewer letters than this and langdetect's guess is not worth reporting.
MIN_LETTERS: Final = 20


def _plain(text: str) -> str:
    return _MARKUP_RE.sub(" ", _URL_RE.sub(" ", text))


def _primary(code: str) -> str:
    return code.strip().lower().replace("_", "-").split("-")[0]


def _language_name(code: str) -> str:
    names = {
        "en": "English",
        "zh": "Chinese",
        "ja": "Japanese",
        "ko": "Korean",
        "ru": "Russian",
        "de": "German",
        "fr": "French",
        "es": "Spanish",
        "it": "Italian",
        "pt": "Portuguese",
        "el": "Greek",
        "tr": "Turkish",
    }
    return names.get(_primary(code), code)


def check_summary_language(doc: Document, ctx: Context) -> Iterator[Problem]:
    wanted = ctx.config.summary_language
    if not wanted:
        return
    paragraphs: list[Paragraph] = [
        p
        for entry in doc.entries
        for p in entry.summary
        if ctx.wants(p.line, p.end_line)
        and not any(n in doc.code_lines for n in range(p.line, p.end_line + 1))
    ]
    if not paragraphs:
        return
    damaged = {span.line for span in find_mojibake(doc.source.text)}
    from langdetect import DetectorFactory, detect  # only when the option is set
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # deterministic
    for paragraph in paragraphs:
        if any(n in damaged for n in range(paragraph.line, paragraph.end_line + 1)):
            continue  # the mojibake rule reports it; its language is unreadable
        text = _plain(paragraph.text)
        if sum(c.isalpha() for c in text) < MIN_LETTERS:
            continue
        try:
            found = detect(text)
        except LangDetectException:
            continue
        if _primary(found) != _primary(wanted):
            yield Problem(
                paragraph.span.start,
                paragraph.span.end,
                f"summary is in {_language_name(found)} ({found}), "
                f"expected {_language_name(wanted)} ({wanted})",
            )


RULES = (
    Rule(
        name="mojibake",
        code="M601",
        severity="error",
        fixable=True,
        summary="UTF-8 text mis-decoded as cp1252/cp1254/latin-1, possibly with lost bytes.",
        doc="""\
**What** — lines whose text went through UTF-8 → Windows code page → UTF-8: `📖` shown as
`ğŸ“–`, `≤` as `â‰¤`, Chinese as `æ˜¯ä¸€ç§`. One finding per damaged line (never inside code
blocks or HTML comments), classified as:

- *lossless*: every byte survived; re-decoding restores the line exactly;
- *recoverable*: the code page dropped bytes it does not define (and the soft hyphen), so some
  characters lost a byte; a language model chooses them (Chinese needs the optional word model,
  `pip install 'readme-tools[cjk]'`; Cyrillic, Greek and Latin use langdetect's profiles);
- *not recoverable*: bytes were lost in a script no model here covers.

The fix re-decodes the line and restores the lost characters chosen with confidence; uncertain
choices are left as they are and listed by `readme-fmt` with the text around them
(`readme-fmt --review review.json` writes them all; correct the file's `chosen` values, then
`readme-fmt --apply-review review.json --fix` applies them). A second model re-ranks the
uncertain Chinese choices when one is installed: a small neural language model (the
`cjk-neural` extra; the most accurate), or fcitx5's word trigram model (`zh_CN.lm`, with the
`cjk-lm` extra). `README_TOOLS_ZH_LM` names another model (`.gguf` or KenLM) or `off`.

**Why** — mojibake is unreadable, breaks anchors and search, and gets worse with every
round-trip.

Bad:

    ## ğŸ“– Table of Contents

      Mono-InternVLæ˜¯ä¸€ç§æ–°å‹å•ä½“å¤šæ¨¡æ€å¤§è¯è¨€æ¨¡å‹

Good:

    ## 📖 Table of Contents

      Mono-InternVL是一种新型单体多模态大语言模型
""",
        check=check_mojibake,
    ),
    Rule(
        name="summary-language",
        code="M602",
        severity="warning",
        fixable=False,
        summary="Entry summaries written in another language than `summary-language`.",
        doc="""\
**What** — with `summary-language = "en"` (or another language code) in the configuration,
each entry's summary paragraph whose detected language (langdetect, made deterministic)
differs. Without the option nothing is reported. Lines with mojibake and very short summaries
are skipped.

**Why** — a list that promises English summaries should not switch language halfway.

Bad (with `summary-language = "en"`):

    - [x] **VisionZip**: Longer is Better but Not Necessary. CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)

      论文提出VisionZip，一种简单高效的视觉令牌压缩方法。

Good:

    - [x] **VisionZip**: Longer is Better but Not Necessary. CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)

      VisionZip selects dominant visual tokens and merges the rest, keeping 95% of the accuracy.
""",
        check=check_summary_language,
    ),
)
