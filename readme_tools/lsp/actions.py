"""Code actions: quick fixes, mojibake alternatives, TOC regeneration and fix-all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from lsprotocol import types

from readme_tools.lsp.bridge import Choice, Diagnostic, applicable_replacements
from readme_tools.lsp.convert import SOURCE, diagnostic, span, text_edit, workspace_edit
from readme_tools.lsp.documents import Document

FIX_ALL: Final = "source.fixAll.readme-tools"
REGENERATE_TOC: Final = "source.regenerateToc.readme-tools"
KINDS: Final = (types.CodeActionKind.QuickFix, FIX_ALL, REGENERATE_TOC)
#: At most this many alternative characters are offered per request.
MAX_CHOICES: Final = 30


def wanted(only: Sequence[str] | None, kind: str) -> bool:
    """Whether a request's ``context.only`` asks for actions of ``kind`` (LSP prefixes)."""
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


def explicitly(only: Sequence[str] | None, kind: str) -> bool:
    """Whether ``only`` names ``kind`` or a part of it other than the bare ``source``."""
    return bool(only) and any(
        (kind == k or kind.startswith(k + ".")) and k != "source" for k in (only or ())
    )


def _overlaps(d: Diagnostic, first: int, last: int) -> bool:
    """Whether a finding touches 1-based lines ``first..last``."""
    return d.line <= last and first <= d.end_line


def quick_fixes(
    doc: Document,
    fixed: Iterable[Diagnostic],
    first: int,
    last: int,
    docs_url: str,
    versioned: bool,
) -> list[types.CodeAction]:
    """One action per fixable finding on lines ``first..last`` (1-based)."""
    out: list[types.CodeAction] = []
    by_fix: dict[tuple[object, ...], list[types.Diagnostic]] = {}
    for d in fixed:
        replacements = applicable_replacements(d)
        if not replacements or not _overlaps(d, first, last):
            continue
        assert d.fix is not None
        edits = [text_edit(doc, r) for r in replacements]
        key = tuple((r.line, r.column, r.end_line, r.end_column, r.text) for r in replacements)
        lsp = diagnostic(d, doc, docs_url)
        if key in by_fix:  # one fix shared by several findings (the TOC regeneration)
            by_fix[key].append(lsp)
            continue
        by_fix[key] = covered = [lsp]
        out.append(
            types.CodeAction(
                title=f"{d.fix.description[:1].upper()}{d.fix.description[1:]} ({d.rule})",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=covered,
                edit=workspace_edit(doc, edits, versioned),
                is_preferred=True,
            )
        )
    return out


def choice_actions(
    doc: Document, choices: Sequence[Choice], rng: types.Range, versioned: bool
) -> list[types.CodeAction]:
    """Each candidate character of the uncertain mojibake repairs under ``rng``."""
    out: list[types.CodeAction] = []
    for choice in choices:
        where = span(
            doc, choice.line, choice.column, choice.line, choice.column + len(choice.original)
        )
        if not _ranges_meet(where, rng):
            continue
        for rank, (char, score) in enumerate(choice.alternatives):
            if len(out) >= MAX_CHOICES:
                return out
            how = "the model's choice" if rank == 0 else f"{score:+.1f} nats"
            edit = types.TextEdit(range=where, new_text=char)
            out.append(
                types.CodeAction(
                    title=f"Restore {choice.original!r} as {char!r} ({how})",
                    kind=types.CodeActionKind.QuickFix,
                    edit=workspace_edit(doc, [edit], versioned),
                    is_preferred=False,
                )
            )
    return out


def _ranges_meet(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def regenerate_toc(doc: Document, fix: Diagnostic, versioned: bool) -> types.CodeAction:
    edits = [text_edit(doc, r) for r in applicable_replacements(fix)]
    return types.CodeAction(
        title="Regenerate the table of contents (readme-tools)",
        kind=REGENERATE_TOC,
        edit=workspace_edit(doc, edits, versioned),
    )


def fix_all(
    edits: Sequence[types.TextEdit] | None, doc: Document, versioned: bool
) -> types.CodeAction:
    """``readme-fmt --fix`` as an action; without ``edits`` the client resolves it later."""
    action = types.CodeAction(
        title="Fix all readme-lint findings (readme-fmt)",
        kind=FIX_ALL,
        data={"uri": doc.uri, "version": doc.version, "kind": FIX_ALL},
    )
    if edits is not None:
        action.edit = workspace_edit(doc, edits, versioned)
    return action


def lazy_toc(doc: Document) -> types.CodeAction:
    """The TOC action without its edit, for clients that resolve code actions."""
    return types.CodeAction(
        title="Regenerate the table of contents (readme-tools)",
        kind=REGENERATE_TOC,
        data={"uri": doc.uri, "version": doc.version, "kind": REGENERATE_TOC},
    )


def ours(d: types.Diagnostic) -> bool:
    return d.source == SOURCE
