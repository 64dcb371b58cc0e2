"""The formatter: the fixes of the selected rules, applied in order and verified.

readme-fmt changes a document only through fixes: every change is some rule's fix, so
``--select``/``--ignore``, the configuration and inline ``<!-- readme-lint disable … -->``
comments apply to it exactly as to the linter (the fixes come from :func:`engine.check`).
Everything no fix touches stays byte for byte. In order:

1. **Encoding**: mojibake repair (``readme_tools.mojibake.repair``, when the ``mojibake``
   rule is selected) and the ``encoding`` rule's fixes.
2. **Fixes**: the fixes of every other selected fixable rule except the TOC family. Fixes
   are applied whole; when two overlap the first is kept and the rules run again on the
   result (up to :data:`MAX_ROUNDS` times, one re-parse each).
3. **TOC**: the ``toc`` family's fixes last, as headings change in 1 and 2.
4. **Layout**, only with ``[tool.readme-tools.format] markdown = "mdformat"``: the whole
   document normalised (:mod:`readme_tools.fmt.render`).

Fixes without edits (BOM removal, mixed line endings) take effect when the text is encoded.
Afterwards the output is checked: GitHub's rendering of it (cmark-gfm) must equal the
input's except where a fix declared it changes (:mod:`readme_tools.fmt.equivalence`), and
re-linting it must find nothing fixable left (which also makes formatting idempotent). Any
failure raises :class:`FormatError` and nothing is written.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from markdown_it.token import Token

from readme_tools import mojibake
from readme_tools import registry as registry_module
from readme_tools.config import Config, FormatOptions, TocOptions
from readme_tools.diagnostics import Diagnostic, Edit, Effect
from readme_tools.engine import Selection, active_rules, check
from readme_tools.fmt.equivalence import compare
from readme_tools.fmt.log import EditLog
from readme_tools.fmt.render import block_tokens, layout
from readme_tools.model import Document
from readme_tools.parse import parse
from readme_tools.registry import Registry, Rule
from readme_tools.source import Source, decode, encode, line_starts

MAX_ROUNDS = 8


class FormatError(Exception):
    """Formatting would lose something or does not converge; nothing is written (exit 2)."""


@dataclass(frozen=True)
class Applied:
    rule: str
    line: int  # first line of the input the fix touches
    description: str
    last: int = 0  # last line of the input it touches (0: ``line``)


class _Unsafe(Exception):
    """Verification failed; ``culprits`` are the applied fixes on the lines concerned."""

    def __init__(self, message: str, culprits: Sequence[Applied] = ()) -> None:
        super().__init__(message)
        self.culprits = tuple(culprits)


@dataclass(frozen=True)
class FormatResult:
    source: Source
    text: str  # the formatted text, "\n" line endings
    data: bytes  # what is written: line endings and BOM as decided
    changed: bool
    applied: tuple[Applied, ...] = ()
    uncertain: tuple[Any, ...] = ()  # uncertain mojibake repairs (CharRepair)
    notes: tuple[str, ...] = ()


@dataclass
class _Run:
    config: Config
    toc_options: TocOptions
    original: str = ""  # the input text, for tracing edits back to its lines
    excluded: frozenset[tuple[str, int]] = frozenset()  # (rule, input line) left unfixed
    log: EditLog = field(default_factory=EditLog)
    applied: list[Applied] = field(default_factory=list)
    tokens: dict[int, list[Token]] = field(default_factory=dict)  # id(doc) → block tokens
    # The latest document's link reference definitions (label → href, title): an unused one
    # renders nothing, so the rendering check cannot see it go.
    definitions: dict[str, Any] = field(default_factory=dict)

    def parse(self, source: Source) -> Document:
        tokens, env = block_tokens(source.text)
        doc = parse(source, self.toc_options, block=(tokens, env))
        self.tokens = {id(doc): tokens}  # only the latest document's tokens are kept
        self.definitions = {
            label: (ref.get("href"), ref.get("title"))
            for label, ref in env.get("references", {}).items()
        }
        return doc

    def reparse(self, text: str, path: str) -> Document:
        return self.parse(decode(text.encode("utf-8"), path))


def _is_encoding_rule(rule: Rule) -> bool:
    return rule.name == "encoding" or rule.family == "mojibake"


def _is_toc_rule(rule: Rule) -> bool:
    return rule.family == "toc"


@dataclass(frozen=True)
class _Candidate:
    rule: str
    line: int
    description: str
    edits: tuple[Edit, ...]
    effect: Effect
    last: int


def _origin(run: _Run, edits: Sequence[Edit]) -> tuple[int, int]:
    """The input lines ``(first, last)`` that edits of the current text touch."""
    spans = [run.log.origin(run.original, e) for e in edits]
    return min(f for f, _ in spans), max(last for _, last in spans)


def _clash(taken: list[tuple[int, int]], edit: Edit) -> bool:
    """Whether ``edit`` overlaps a taken range (two insertions at one point also clash)."""
    j = max(bisect.bisect_left(taken, (edit.start, edit.end)) - 1, 0)
    while j < len(taken) and taken[j][0] <= edit.end:
        start, end = taken[j]
        if edit.start < end and start < edit.end:
            return True
        if edit.start == edit.end == start == end:
            return True
        j += 1
    return False


def _select(candidates: Sequence[_Candidate]) -> list[_Candidate]:
    """Candidates whose edits overlap no earlier chosen one (a fix is applied whole)."""
    taken: list[tuple[int, int]] = []
    chosen: list[_Candidate] = []
    for candidate in candidates:
        if any(_clash(taken, edit) for edit in candidate.edits):
            continue
        for edit in candidate.edits:
            bisect.insort(taken, (edit.start, edit.end))
        chosen.append(candidate)
    return chosen


def _fix_rounds(
    run: _Run,
    doc: Document,
    rules: Sequence[Rule],
    known: tuple[Document, list[Diagnostic]] | None = None,
) -> Document:
    """Apply the fixes of ``rules`` until none is left (one re-parse per round).

    ``known`` is a document already checked with (at least) ``rules`` and its diagnostics.
    """
    if not rules:
        return doc
    names = {r.name for r in rules}
    for _ in range(MAX_ROUNDS):
        if known is not None and known[0] is doc:
            diagnostics = [d for d in known[1] if d.rule in names]
        else:
            diagnostics = check(doc, rules, run.config)
        candidates = []
        for d in diagnostics:
            if d.fix is None or not d.fix.edits:
                continue
            first, last = _origin(run, d.fix.edits)
            if (d.rule, first) not in run.excluded:
                candidates.append(
                    _Candidate(d.rule, first, d.fix.description, d.fix.edits, d.fix.effect, last)
                )
        chosen = _select(candidates)
        if not chosen:
            return doc
        edits = [(e, c.effect) for c in chosen for e in c.edits]
        run.applied.extend(Applied(c.rule, c.line, c.description, c.last) for c in chosen)
        doc = run.reparse(run.log.apply(doc.source.text, edits), doc.source.path)
    return doc


#: Repair rounds before giving up (the convergence check then refuses to write).
MOJIBAKE_ROUNDS = 4


def _repair_to_fixed_point(
    module: Any,
    doc: Document,
    run: _Run,
    *,
    apply_uncertain: bool,
    decisions: Sequence[Any] = (),
) -> tuple[str, tuple[Any, ...], list[str]]:
    """Repair mojibake until a round changes nothing; (text, uncertain repairs, notes).

    A round's repaired words are evidence for the next (the document's own vocabulary), so a
    character left uncertain can become confident once its neighbours are repaired. Like an
    autofix loop, repair runs again on its own output until nothing changes. Uncertain
    repairs are those of the first round (positions in the input) that no later round
    applied; code blocks and HTML comments are never touched. A reviewer's ``decisions``
    (positions in the input) apply to the first round.
    """
    text = doc.source.text
    code = doc.code_lines  # repairs never add or remove lines: line numbers hold
    notes: list[str] = []
    pending: list[tuple[int, Any]] = []  # (offset in the current text, first-round repair)
    for round_ in range(MOJIBAKE_ROUNDS):
        try:
            result = module.repair(
                text, apply_uncertain=apply_uncertain, decisions=decisions if round_ == 0 else ()
            )
        except module.ReviewError as exc:
            raise FormatError(str(exc)) from None
        message = getattr(result, "message", None)
        if message and round_ == 0:
            notes.append(str(message))
        starts = doc.source.line_starts if round_ == 0 else line_starts(text)
        edits = [e for e in result.edits if bisect.bisect_right(starts, e.start) not in code]
        repairs = [r for r in result.repairs if r.line not in code]
        if round_ == 0:
            pending = [(r.offset, r) for r in repairs if not r.confident]
        run.applied.extend(
            Applied("mojibake", r.line, f"repair {r.chosen!r}") for r in repairs if r.applied
        )
        if not edits:
            break
        pending = _through(pending, edits)
        text = run.log.apply(text, [(e, "text") for e in edits])
        if not any(not r.applied for r in repairs):
            break  # nothing left undecided: another round has nothing to add
    return text, tuple(r for _, r in pending), notes


def _through(pending: list[tuple[int, Any]], edits: Sequence[Edit]) -> list[tuple[int, Any]]:
    """Move offsets across ``edits``; drop those an edit replaced."""
    ordered = sorted(edits, key=lambda e: e.start)
    out = []
    shift = 0
    k = 0
    for offset, item in sorted(pending, key=lambda p: p[0]):
        while k < len(ordered) and ordered[k].end <= offset:
            shift += len(ordered[k].replacement) - (ordered[k].end - ordered[k].start)
            k += 1
        if k < len(ordered) and ordered[k].start <= offset < ordered[k].end:
            continue
        out.append((offset + shift, item))
    return out


def _empty_fix_rules(diagnostics: Sequence[Diagnostic]) -> set[str]:
    return {d.rule for d in diagnostics if d.fix is not None and not d.fix.edits}


#: Formatting attempts: each verification failure leaves the fixes it blames unapplied.
MAX_ATTEMPTS = 4


def format_source(
    source: Source,
    config: Config,
    *,
    selection: Selection | None = None,
    registry: Registry | None = None,
    apply_uncertain: bool = False,
    decisions: Sequence[Any] = (),
    newline: str | None = None,
    original: bytes | None = None,
) -> FormatResult:
    """Format ``source``; raises :class:`FormatError` when the result would be unsafe.

    A fix whose result fails verification (its rendering differs from what it declared) is
    left unapplied, with a note, and the document is formatted again without it; only what
    cannot be blamed on a single fix (or a mojibake repair) refuses the whole file.
    ``decisions`` (:class:`readme_tools.mojibake.Decision`) are a reviewer's choices for
    uncertain mojibake repairs, in the input's lines and columns.
    """
    if source.invalid:
        raise FormatError(
            f"not valid UTF-8 ({len(source.invalid)} invalid byte sequence(s), the first at "
            f"line {source.invalid[0].line}); convert the file to UTF-8 first"
        )
    reg = registry or registry_module.load()
    selection = selection or Selection()
    excluded: set[tuple[str, int]] = set()
    skipped: list[str] = []
    for _ in range(MAX_ATTEMPTS):
        try:
            result = _format(
                source,
                config,
                reg,
                selection,
                frozenset(excluded),
                apply_uncertain=apply_uncertain,
                decisions=decisions,
                newline=newline,
                original=original,
            )
        except _Unsafe as exc:
            fresh = [
                c for c in exc.culprits if c.rule != "mojibake" and (c.rule, c.line) not in excluded
            ]
            if not fresh:
                raise FormatError(str(exc)) from None
            for culprit in fresh:
                excluded.add((culprit.rule, culprit.line))
                skipped.append(
                    f"left {culprit.rule} at line {culprit.line} unfixed ({culprit.description}): "
                    f"{exc}"
                )
            continue
        return replace(result, notes=(*skipped, *result.notes))
    raise FormatError(f"no safe set of fixes found after {MAX_ATTEMPTS} attempts: {skipped[-1]}")


def _format(
    source: Source,
    config: Config,
    reg: Registry,
    selection: Selection,
    excluded: frozenset[tuple[str, int]],
    *,
    apply_uncertain: bool,
    decisions: Sequence[Any],
    newline: str | None,
    original: bytes | None,
) -> FormatResult:
    options = config.options(FormatOptions)
    run = _Run(
        config=config,
        toc_options=config.options(TocOptions),
        original=source.text,
        excluded=excluded,
    )
    fixable = [r for r in active_rules(reg, config, selection) if r.fixable]
    encoding_rules = [r for r in fixable if _is_encoding_rule(r)]
    toc_rules = [r for r in fixable if _is_toc_rule(r)]
    other_rules = [r for r in fixable if r not in encoding_rules and r not in toc_rules]
    notes: list[str] = []
    uncertain: tuple[Any, ...] = ()

    doc = run.parse(source)
    definitions = run.definitions
    mojibake_wanted = any(r.family == "mojibake" for r in fixable) or not any(
        r.family == "mojibake" for r in reg.rules
    )
    # The mojibake stage repairs by itself: its rule's fixes (a whole repair) are not needed.
    checked = [r for r in fixable if not (mojibake_wanted and r.family == "mojibake")]
    first = (doc, check(doc, checked, config))
    empty_fixes = _empty_fix_rules(first[1])

    # 1. Encoding.
    if mojibake_wanted:
        text, uncertain, rounds_notes = _repair_to_fixed_point(
            mojibake, doc, run, apply_uncertain=apply_uncertain, decisions=decisions
        )
        notes.extend(rounds_notes)
        if text != doc.source.text:
            doc = run.reparse(text, source.path)
        encoding_rules = [r for r in encoding_rules if r.family != "mojibake"]
    elif apply_uncertain or decisions:
        option = "--apply-uncertain" if apply_uncertain else "--apply-review"
        raise FormatError(
            f"{option} applies mojibake repairs, but the mojibake rule is not selected"
        )
    doc = _fix_rounds(run, doc, encoding_rules, first)
    # 2. The other fixes, 3. the TOC.
    doc = _fix_rounds(run, doc, other_rules, first)
    doc = _fix_rounds(run, doc, toc_rules, first)
    del first

    # 4. Layout, when asked for.
    text = doc.source.text
    if options.markdown == "mdformat":
        text = layout(text, markdown_mode="mdformat", tokens=run.tokens.get(id(doc))).text
    del doc
    run.tokens.clear()

    # Encoding of the output: BOM dropped when the encoding rule is on, one line ending.
    out_source = source
    if source.had_bom and "encoding" in {r.name for r in encoding_rules} | empty_fixes:
        out_source = replace(source, had_bom=False)
    data = encode(text, out_source, newline)
    if original is None:
        original = encode(source.text, source)
    changed = data != original
    if changed:
        _verify(run, source, text, fixable, options.markdown, definitions)
    return FormatResult(
        source=source,
        text=text,
        data=data,
        changed=changed,
        applied=tuple(run.applied),
        uncertain=uncertain,
        notes=tuple(notes),
    )


def _verify(
    run: _Run,
    source: Source,
    text: str,
    fixable: Sequence[Rule],
    markdown_mode: str,
    definitions: dict[str, Any],
) -> None:
    """Raise :class:`_Unsafe` for an output that renders differently than the fixes
    declared or lost a reference definition, and :class:`FormatError` for one that still has
    something fixable or whose layout is not stable."""
    touches = run.log.touches(source.text)
    line_map = run.log.line_map(source.text, text) if markdown_mode == "none" else None
    differences = compare(source.text, text, touches, line_map)
    if differences:
        first = differences[0]
        more = f" (and {len(differences) - 1} more)" if len(differences) > 1 else ""
        culprits = [
            a
            for d in differences
            for a in run.applied
            if d.first and a.line <= d.last and (a.last or a.line) >= d.first
        ]
        raise _Unsafe(f"formatting would change the rendered page: {first}{more}", culprits)
    out_doc = run.parse(decode(text.encode("utf-8"), source.path))
    lost = sorted(set(definitions) - set(run.definitions))
    retargeted = [
        k for k in definitions if k in run.definitions and definitions[k] != run.definitions[k]
    ]
    if lost or (retargeted and not any(t.effect == "href" for t in touches)):
        label = (lost or retargeted)[0]
        what = "lost" if lost else "changed"
        raise _Unsafe(
            f"formatting would change the rendered page: reference definition [{label}] {what}"
        )
    left = [
        d
        for d in check(out_doc, fixable, run.config)
        if d.fix is not None and d.fix.edits and not _excluded(run, d.rule, d.line, line_map)
    ]
    if left:
        where = ", ".join(f"{d.rule} at line {d.line}" for d in left[:5])
        raise FormatError(f"fixes did not converge; still fixable after formatting: {where}")
    if markdown_mode == "mdformat":
        again = layout(text, markdown_mode="mdformat", tokens=run.tokens.get(id(out_doc)))
        if again.text != text:
            raise FormatError("formatting is not idempotent: the layout changes again")


def _excluded(run: _Run, rule: str, out_line: int, line_map: Sequence[int] | None) -> bool:
    """Whether a finding of the output is one the run left unfixed on purpose."""
    if not run.excluded:
        return False
    if line_map is None:  # re-laid out: lines are not traceable, the rule is
        return any(r == rule for r, _ in run.excluded)
    in_line = bisect.bisect_right(line_map, out_line) - 1  # the input line that became it
    return (rule, in_line) in run.excluded
