"""Section order: entries out of the order their section follows (configured or inferred)."""

from __future__ import annotations

from collections.abc import Iterator

from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Fix, Problem
from readme_tools.listdata.order import OrderOptions, RunPlan, describe, plan_runs, run_text
from readme_tools.listdata.order import sorted_positions as permutation_of
from readme_tools.listdata.text import plain
from readme_tools.model import Document, Entry
from readme_tools.registry import OptionSection, Rule
from readme_tools.venues import VenueOptions, configured_vocabulary

OPTIONS = (OptionSection("order", OrderOptions),)


def _label(entry: Entry) -> str:
    text = plain(entry.name or entry.title or entry.head).rstrip(" -–—:")
    return text if len(text) <= 60 else text[:57] + "…"


def _fix(doc: Document, plan: RunPlan, entries: list[Entry]) -> Fix | None:
    permutation = permutation_of(plan.keys, plan.order, plan.fixed)
    if permutation == sorted(permutation):
        return None
    start, end = entries[0].span.start, entries[-1].span.end
    new = run_text(doc, entries, permutation)
    return Fix(
        f"sort the entries by {describe(plan.order)}",
        (Edit(start, end, new),),
        effect="structure",
    )


def _neighbour(entries: list[Entry], permutation: list[int], pos: int) -> str:
    """Where the entry at ``pos`` belongs: before its successor in the sorted run, or after
    its predecessor."""
    slot = permutation.index(pos)
    if slot + 1 < len(permutation):
        return f"before {_label(entries[permutation[slot + 1]])!r}"
    return f"after {_label(entries[permutation[slot - 1]])!r}"


def check_order(doc: Document, ctx: Context) -> Iterator[Problem]:
    if len(doc.entries) < 2:
        return
    options = ctx.options(OrderOptions)
    vocab = configured_vocabulary(ctx.options(VenueOptions))
    # Inferred orders are not reported by default: then no run's order is inferred at all.
    for plan in plan_runs(doc, vocab, options, infer=options.report_inferred):
        wrong = plan.out_of_place()
        if not wrong:
            continue
        entries = [doc.entries[i] for i in plan.run.entries]
        if not any(ctx.wants(entries[i].line) for i in wrong):
            continue
        fix = _fix(doc, plan, entries) if ctx.fixes else None
        permutation = permutation_of(plan.keys, plan.order, plan.fixed)
        for pos in wrong:
            entry = entries[pos]
            span = entry.head_span
            yield Problem(
                span.start,
                span.end,
                f"entry {_label(entry)!r} is out of order: this run of "
                f"{len(entries)} entries is sorted by {describe(plan.order)} ({plan.why}); "
                f"it belongs {_neighbour(entries, permutation, pos)}",
                fix=fix,
                fixable=True,
            )


RULES = (
    Rule(
        name="section-order",
        code="S901",
        severity="warning",
        fixable=True,
        summary="An entry out of the order its section follows (arXiv date, venue year or name).",
        doc="""\
**What** — the entries of a section (each run of consecutive entries: one list or one table)
follow an order: by arXiv date (the month in the arXiv id, newest first), by venue year, or
alphabetically by name. The order is configured (`[tool.readme-tools.order]`: `default =
"date"`, or `sections = {"Surveys" = "name"}`; `date-asc`, `year-asc`, `name-desc` reverse
it, `none` turns it off), marked in the section with a comment line
`<!-- readme-tools:order date -->`, or inferred: when at least eight entries have the key and
four in five of them already follow one order. Entries out of a configured or marked order are
reported; out of an inferred one only with `report-inferred = true` (lists kept roughly in date
order by hand are common, and an inferred order flagged too many of their entries). An inferred
order still decides where `readme-tools add` inserts. Entries without the key, and entries
pinned with `<!-- readme-tools:pin -->` on their line, keep their places.
The fix sorts the run stably: an entry moves with its summary and sub-items, ties keep their
order, a numbered list keeps its numbers.

**Why** — readers of a list sorted newest-first read from the top; a paper added in the
middle by hand is missed.

Bad (sorted newest first, but one entry is not):

    <!-- readme-tools:order date -->
    - **B**: Title. CVPR2025 [Paper](https://arxiv.org/abs/2412.00002)
    - **A**: Title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)
    - **C**: Title. CVPR2025 [Paper](https://arxiv.org/abs/2411.00003)

Good:

    <!-- readme-tools:order date -->
    - **B**: Title. CVPR2025 [Paper](https://arxiv.org/abs/2412.00002)
    - **C**: Title. CVPR2025 [Paper](https://arxiv.org/abs/2411.00003)
    - **A**: Title. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)
""",
        check=check_order,
    ),
)
