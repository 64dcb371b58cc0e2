"""Inline control comments: a rule name in ``<!-- readme-lint disable NAME -->`` that names no
rule (a typo silently disables nothing)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from readme_tools import registry
from readme_tools.context import Context
from readme_tools.diagnostics import Problem
from readme_tools.model import Document
from readme_tools.registry import Rule

# What a rule name or code looks like; anything else in the comment (an ellipsis in prose
# that quotes the syntax) is not taken for a misspelt rule.
_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")


def check_control_comment(doc: Document, ctx: Context) -> Iterator[Problem]:
    if not doc.controls:
        return
    reg = registry.load()
    known = [*reg.names, *(r.code for r in reg.rules)]
    source = doc.source
    for control in doc.controls:
        unknown = [
            name for name in control.rules if _NAME_RE.fullmatch(name) and reg.get(name) is None
        ]
        if not unknown or not ctx.wants(control.line, control.end_line):
            continue
        start, _ = source.line_span(control.line)
        _, end = source.line_span(control.end_line)
        for name in unknown:
            from difflib import get_close_matches  # only for a name that is wrong

            close = get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else " (see readme-lint --list-rules)"
            yield Problem(
                start,
                end,
                f"'{control.action}' names no rule {name!r}, so it changes nothing{hint}",
            )


RULES = (
    Rule(
        name="control-comment",
        code="W303",
        severity="warning",
        fixable=False,
        summary="An inline readme-lint control comment names a rule that does not exist.",
        doc="""\
**What** — a `<!-- readme-lint disable … -->`, `enable …` or `disable-next-line …` comment
that names a rule neither by name nor by code (see `readme-lint --list-rules`).

**Why** — the comment was meant to silence or restore a rule; with a misspelt name it does
nothing, and the findings it was meant to hide (or the check it was meant to restore) come
back without a word.

Bad:

    <!-- readme-lint disable-next-line venu-tag -->
    - **Foo**: A paper. Neurips2024 [Paper](https://arxiv.org/abs/2401.00001)

Good:

    <!-- readme-lint disable-next-line venue-tag -->
    - **Foo**: A paper. Neurips2024 [Paper](https://arxiv.org/abs/2401.00001)
""",
        check=check_control_comment,
    ),
)
