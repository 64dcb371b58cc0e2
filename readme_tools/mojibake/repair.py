"""Repairing mojibake, the package's main verb: :func:`repair` runs the stages in order.

1. :mod:`.detect` finds the damaged lines and classifies them;
2. :mod:`.lossless` re-decodes the lines whose bytes all survived;
3. :mod:`.recover` chooses the characters whose bytes were lost;
4. :mod:`.rerank` reorders the uncertain Chinese choices with a second-opinion model;
5. here: a reviewer's decisions replace choices, the confident (or all) choices are applied,
   and the result lists every repair.

The stages after detection (ftfy, the decoders, the models) are imported when a repair needs
them: a lint of a clean file needs detection alone, and re-decoding lossless lines (a heading
the TOC rule checks) needs neither the recovery stages nor the models.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from .detect import FAMILY_HAN, LineReport, analyze, cjk_model_available, find_mojibake
from .types import Alternative, CharRepair, Decision, Edit, ModelError, RepairResult, ReviewError

if TYPE_CHECKING:
    from .choice import Choice
    from .models.context import ContextModel
    from .models.words import HanModel

__all__ = ["repair"]

#: Characters of repaired text shown either side of a repair in ``CharRepair.context``.
CONTEXT_CHARS = 15


def _merge(edits: list[Edit]) -> list[Edit]:
    """Sort edits and join those that touch (end == next start)."""
    out: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if out and out[-1].end == edit.start:
            last = out[-1]
            out[-1] = Edit(last.start, edit.end, last.replacement + edit.replacement)
        else:
            out.append(edit)
    return out


def _apply(text: str, edits: list[Edit]) -> str:
    from .lossless import apply_edits

    return apply_edits(text, [(e.start, e.end, e.replacement) for e in edits])


def _needs_han(report: LineReport) -> bool:
    return report.kind == "recoverable" and FAMILY_HAN in report.families


def repair(
    text: str,
    *,
    apply_uncertain: bool = False,
    document_context: bool = True,
    han_model: HanModel | None = None,
    word_lm: ContextModel | Literal["auto"] | None = "auto",
    decisions: Sequence[Decision] = (),
) -> RepairResult:
    """Repair the mojibake in ``text``.

    * Lossless lines are re-decoded exactly.
    * Recoverable lines get their complete sequences re-decoded and each
      character with lost bytes chosen by a language model; confident choices
      are applied, uncertain ones only with ``apply_uncertain=True``.  All of
      them are listed in ``repairs``.  Characters outside the damaged runs are
      never changed.
    * Unrecoverable lines are left as they are.

    Lines that need the Chinese word model are left untouched when the
    optional ``cjk`` extra is missing; ``model_missing`` and ``message`` say
    so.  The model is loaded only when such a line exists (``han_model`` may
    be passed to reuse an already loaded one).  ``document_context=False``
    turns off the use of the rest of the document as evidence (for
    evaluation).

    ``word_lm`` re-ranks the uncertain Chinese choices (:mod:`.rerank`, with a model from
    :mod:`.models.find`):
    ``"auto"`` loads the installed model if there is one (a configured model that
    cannot be used becomes a ``message``, not an error), None uses none.

    ``decisions`` are a reviewer's choices (e.g. an edited review file): each
    replaces the model's choice for its character and is applied.  A decision
    that matches no damaged character, or chooses a character the surviving
    bytes do not allow, raises :class:`ReviewError` (nothing is repaired).
    """
    reports = analyze(text)
    if not reports:
        return RepairResult(text=text, edits=(), repairs=(), remaining=())
    from .lossless import MAX_ROUNDS, apply_edits, decode_line, diff_edits, fixed_line, redecode

    model_missing = False
    needs_han = any(_needs_han(r) for r in reports)
    if needs_han and han_model is None:
        from .models.words import load_han_model

        if cjk_model_available():
            han_model = load_han_model()
        else:
            model_missing = True
    notes: list[str] = []
    if word_lm == "auto":
        word_lm = None
        if han_model is not None and needs_han:
            from .models.find import load_word_lm

            try:
                word_lm = load_word_lm()
            except ModelError as exc:
                notes.append(f"language model not used: {exc}")

    by_index = {r.index: r for r in reports}
    line_edits: dict[int, list[tuple[int, int, str]]] = {}
    for report in reports:
        if report.kind == "unrecoverable" or (_needs_han(report) and han_model is None):
            continue
        if report.kind == "lossless":
            line_edits[report.index] = diff_edits(report.text, fixed_line(report))
        else:
            line_edits[report.index] = decode_line(report.text, report.segments)

    choices: list[Choice] = []
    if any(r.kind == "recoverable" for r in reports):  # recover() chooses for these alone
        from .recover import recover

        choices = recover(reports, han_model=han_model, document_context=document_context)
    if word_lm is not None:
        from .recover import damaged_lines
        from .rerank import rerank

        try:
            choices = rerank(choices, damaged_lines(reports, han_model), word_lm)
        except ModelError as exc:  # the model failed while scoring: its opinion is left out
            notes.append(f"language model not used: {exc}")
    wanted = {(d.line, d.column): d for d in decisions}
    picks: dict[int, list[tuple[Choice, str, bool]]] = {}  # line index -> (choice, char, reviewed)
    for choice in choices:
        decision = wanted.pop((choice.line_index + 1, choice.start + 1), None)
        chosen = choice.chosen if decision is None else _decided(decision, choice)
        picks.setdefault(choice.line_index, []).append((choice, chosen, decision is not None))
    if wanted and model_missing:
        from .models.words import CJK_EXTRA_HINT

        raise ReviewError(f"applying review records needs the Chinese model ({CJK_EXTRA_HINT})")
    if wanted:
        first = min(wanted.values(), key=lambda d: (d.line, d.column))
        raise ReviewError(
            f"review record {first.line}:{first.column} ({first.original!r}) matches no damaged "
            "character of the file (was it edited since the review?)"
        )
    repairs: list[CharRepair] = []
    for index, line_picks in picks.items():
        report = by_index[index]
        shown = [(c.start, c.end, chosen) for c, chosen, _ in line_picks]
        contexts = _contexts(report.text, line_edits[index] + shown)
        for choice, chosen, reviewed in line_picks:
            applied = reviewed or choice.confident or apply_uncertain
            if applied:
                line_edits[index].append((choice.start, choice.end, chosen))
            repairs.append(
                _char_repair(
                    report,
                    choice,
                    chosen=chosen,
                    applied=applied,
                    reviewed=reviewed,
                    context=contexts[choice.start],
                )
            )

    edits: list[Edit] = []
    for index, changes in line_edits.items():
        report = by_index[index]
        changes.sort()
        if report.kind == "recoverable":
            # Text mis-decoded twice shows its second layer only now.
            once = apply_edits(report.text, changes)
            again = redecode(once, MAX_ROUNDS - 1)
            if again != once:
                changes = diff_edits(report.text, again)
        edits.extend(Edit(report.start + s, report.start + e, r) for s, e, r in changes)

    merged = _merge(edits)
    new_text = _apply(text, merged)
    if model_missing:
        from .models.words import CJK_EXTRA_HINT

        notes.insert(
            0,
            "Chinese text with lost bytes was left unchanged: the word model is "
            f"not installed ({CJK_EXTRA_HINT})",
        )
    message = "; ".join(notes) or None
    return RepairResult(
        text=new_text,
        edits=tuple(merged),
        repairs=tuple(repairs),
        remaining=tuple(find_mojibake(new_text)),
        model_missing=model_missing,
        message=message,
    )


def _decided(decision: Decision, choice: Choice) -> str:
    """The reviewer's character for ``choice``, checked against the surviving bytes."""
    where = f"review record {decision.line}:{decision.column}"
    if decision.original != choice.original:
        raise ReviewError(
            f"{where}: the file has {choice.original!r} there, the review {decision.original!r} "
            "(was it edited since the review?)"
        )
    if decision.chosen not in choice.options:
        raise ReviewError(
            f"{where}: {decision.chosen!r} cannot be what {choice.original!r} lost bytes of "
            f"(its surviving bytes allow {len(choice.options)} characters, e.g. "
            f"{', '.join(repr(c) for c, _ in choice.ranked)})"
        )
    return decision.chosen


def _contexts(line: str, edits: list[tuple[int, int, str]]) -> dict[int, str]:
    """For each edit's start: the line as repaired by ``edits`` around it, shown as ``[X]``.

    The repaired line is built once and every context cut from it (one line can hold
    thousands of repairs).
    """
    from .lossless import apply_edits

    ordered = sorted(edits)
    text = apply_edits(line, ordered)
    spans: dict[int, tuple[int, int, str]] = {}  # edit start -> span in the repaired line
    shift = 0
    for start, end, replacement in ordered:
        spans[start] = (start + shift, start + shift + len(replacement), replacement)
        shift += len(replacement) - (end - start)
    return {
        start: f"{text[max(0, a - CONTEXT_CHARS) : a]}[{chosen}]{text[b : b + CONTEXT_CHARS]}"
        for start, (a, b, chosen) in spans.items()
    }


def _char_repair(
    report: LineReport,
    choice: Choice,
    *,
    chosen: str,
    applied: bool,
    reviewed: bool,
    context: str,
) -> CharRepair:
    return CharRepair(
        line=report.index + 1,
        column=choice.start + 1,
        offset=report.start + choice.start,
        original=choice.original,
        chosen=chosen,
        alternatives=tuple(Alternative(c, round(s, 3)) for c, s in choice.ranked),
        margin=round(choice.margin, 3) if choice.margin != float("inf") else float("inf"),
        confident=choice.confident,
        applied=applied,
        context=context,
        reviewed=reviewed,
    )
