"""Stage: diagnostics → output. One function per ``--format``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from readme_tools.diagnostics import Diagnostic, counted
from readme_tools.registry import Registry


def text(diagnostics: Sequence[Diagnostic], registry: Registry) -> str:
    """``path:line:col: CODE rule-name message`` per finding."""
    return "".join(
        f"{d.path}:{d.line}:{d.column}: {d.code} {d.rule} {d.message}\n" for d in diagnostics
    )


def as_json(diagnostics: Sequence[Diagnostic], registry: Registry) -> str:
    """A JSON array; the field set is a public contract."""
    import json  # only this reporter needs it

    return (
        json.dumps(
            [
                {
                    "path": d.path,
                    "line": d.line,
                    "column": d.column,
                    "end_line": d.end_line,
                    "end_column": d.end_column,
                    "rule": d.rule,
                    "code": d.code,
                    "severity": d.severity,
                    "message": d.message,
                    "fixable": d.fixable,
                }
                for d in diagnostics
            ],
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def _escape_data(value: str) -> str:
    """GitHub workflow-command escaping of a message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """GitHub workflow-command escaping of a property value (also ':' and ',')."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


#: GitHub shows at most this many error and this many warning annotations per step.
ANNOTATIONS_PER_STEP = 10


def github(diagnostics: Sequence[Diagnostic], registry: Registry) -> str:
    """GitHub Actions workflow commands: one annotation per finding.

    ``col``/``endColumn`` are only sent for single-line findings (GitHub ignores them, or
    rejects the annotation, when ``line`` and ``endLine`` differ).
    """
    out = []
    for d in diagnostics:
        props = [("file", d.path), ("line", str(d.line))]
        if d.end_line == d.line:
            props += [("col", str(d.column)), ("endLine", str(d.end_line))]
            props.append(("endColumn", str(max(d.end_column, d.column))))
        else:
            props.append(("endLine", str(d.end_line)))
        props.append(("title", f"{d.code} {d.rule}"))
        rendered = ",".join(f"{k}={_escape_property(v)}" for k, v in props)
        out.append(f"::{d.severity} {rendered}::{_escape_data(d.message)}\n")
    counts = Counter(d.severity for d in diagnostics)
    if max(counts.values(), default=0) > ANNOTATIONS_PER_STEP:
        total = ", ".join(counted(n, kind) for kind, n in sorted(counts.items()))
        out.append(
            f"::notice title=readme-lint::{total}: GitHub shows at most "
            f"{ANNOTATIONS_PER_STEP} annotations of each kind per step; "
            "this step's log lists them all\n"
        )
    return "".join(out)


def _sarif(diagnostics: Sequence[Diagnostic], registry: Registry) -> str:
    from readme_tools.sarif import report

    return report(diagnostics, registry)


REPORTERS: dict[str, Callable[[Sequence[Diagnostic], Registry], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "sarif": _sarif,
}


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    counts = Counter((d.code, d.rule) for d in diagnostics)
    fixable = Counter((d.code, d.rule) for d in diagnostics if d.fixable)
    lines = []
    for (code, rule), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        can_fix = fixable[(code, rule)]
        lines.append(
            f"{count:6d}  {code:5}  {rule}" + (f" (fixable: {can_fix})" if can_fix else "")
        )
    return "\n".join(lines) + ("\n" if lines else "")


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    if not diagnostics:
        return f"All clean: {counted(files, 'file')} checked.\n"
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    fixable = sum(1 for d in diagnostics if d.fixable)
    fix = f" {fixable} fixable with `readme-fmt --fix`." if fixable else ""
    return (
        f"Found {counted(len(diagnostics), 'problem')} ({counted(errors, 'error')}, "
        f"{counted(warnings, 'warning')}) in {counted(files, 'file')}.{fix}\n"
    )
