"""Run the rules over a document: selection, control comments, diagnostics."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from readme_tools.config import Config, TocOptions
from readme_tools.context import Context
from readme_tools.diagnostics import Diagnostic, Fix, Problem, Replacement, applicable
from readme_tools.model import Control, Document
from readme_tools.parse import parse
from readme_tools.registry import Registry, Rule
from readme_tools.source import Source
from readme_tools.style import infer_style


class RuleCrash(Exception):
    """A rule raised: a bug in readme-tools, reported as one line (exit 2)."""


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] | None = None  # from the command line; None = config / all
    ignore: tuple[str, ...] = ()
    online: bool = False


def active_rules(registry: Registry, config: Config, selection: Selection) -> list[Rule]:
    def names(keys: Iterable[str]) -> set[str]:
        out = set()
        for key in keys:
            rule = registry.get(key)
            if rule is not None:
                out.add(rule.name)
        return out

    select = selection.select if selection.select is not None else config.select
    chosen = names(select) if select is not None else {r.name for r in registry.rules}
    chosen -= names(config.ignore) | names(selection.ignore)
    return [r for r in registry.rules if r.name in chosen and (selection.online or not r.online)]


def _suppressed(controls: Sequence[Control], rule: Rule, line: int) -> bool:
    state = False
    for control in controls:
        if control.line > line:
            break
        applies = not control.rules or rule.name in control.rules or rule.code in control.rules
        if not applies:
            continue
        if control.action == "disable-next-line":
            if control.end_line + 1 == line:
                return True
        else:
            state = control.action == "disable"
    return state


def resolve(doc: Document, rule: Rule, problem: Problem, config: Config) -> Diagnostic:
    source = doc.source
    line, column = source.position(problem.start)
    end_line, end_column = source.position(max(problem.end, problem.start))
    severity = config.severity.get(rule.name) or problem.severity or rule.severity
    return Diagnostic(
        path=source.path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        rule=rule.name,
        code=rule.code,
        severity=severity,
        message=problem.message,
        fixable=problem.fix is not None if problem.fixable is None else problem.fixable,
        start=problem.start,
        end=problem.end,
        fix=problem.fix,
        key=problem.key or "",
        replacements=_replacements(source, problem.fix),
    )


def _replacements(source: Source, fix: Fix | None) -> tuple[Replacement, ...]:
    """``fix``'s edits as file positions, inserted text with the file's line ending.

    Only the edits :func:`~readme_tools.diagnostics.apply_edits` applies.
    """
    if fix is None:
        return ()
    newline = source.newline
    out = []
    for edit in applicable(fix.edits):
        line, column = source.position(edit.start)
        end_line, end_column = source.position(edit.end)
        text = edit.replacement if newline == "\n" else edit.replacement.replace("\n", newline)
        out.append(Replacement(line, column, end_line, end_column, text))
    return tuple(out)


def check(
    doc: Document,
    rules: Sequence[Rule],
    config: Config,
    *,
    lines: frozenset[int] | None = None,
    online: object = None,
    fixes: bool = True,
) -> list[Diagnostic]:
    """Run ``rules`` on ``doc`` and return the kept diagnostics, sorted.

    ``fixes=False`` lets rules skip computing expensive fixes (findings still say whether
    they are fixable).
    """
    ctx = Context(
        config=config,
        style=infer_style(doc, config),
        lines=lines,
        online=online,
        fixes=fixes,
        rules=frozenset(rule.name for rule in rules),
    )
    out: list[Diagnostic] = []
    for rule in rules:
        try:
            problems = list(rule.check(doc, ctx))
        except Exception as exc:  # a bug in a rule must not become a traceback
            raise RuleCrash(
                f"internal error in rule {rule.name}: {type(exc).__name__}: {exc}"
            ) from exc
        for problem in problems:
            diagnostic = resolve(doc, rule, problem, config)
            if lines is not None and not ctx.wants(diagnostic.line, diagnostic.end_line):
                continue
            if doc.controls and _suppressed(doc.controls, rule, diagnostic.line):
                continue
            out.append(diagnostic)
    out.sort(key=Diagnostic.sort_key)
    return out


def lint_source(
    source: Source,
    rules: Sequence[Rule],
    config: Config,
    *,
    lines: frozenset[int] | None = None,
    online: object = None,
    fixes: bool = True,
    cache: Path | None = None,
) -> tuple[Document, list[Diagnostic]]:
    """Parse and check ``source``; with ``lines``, parse only what findings there need.

    ``cache`` is the incremental parse cache file (:func:`readme_tools.incremental.cache_path`).
    """
    toc = config.options(TocOptions)
    if lines is None:
        doc = parse(source, toc)
    else:
        from readme_tools.incremental import parse_changed  # the chunk cache: only when asked

        doc = parse_changed(source, toc, lines, cache)
    return doc, check(doc, rules, config, lines=lines, online=online, fixes=fixes)


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while linting.

    The document model of a large list is millions of small acyclic objects; generation-2
    collections repeatedly walking them cost about a third of a 20k-entry lint. Reference
    counting still frees everything, and the previous state is restored afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
