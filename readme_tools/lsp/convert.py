"""readme-lint's findings and fixes as LSP (lsprotocol) values.

Lines and columns of findings are 1-based code points; LSP's are 0-based in the negotiated
code units, so every position goes through the document (:mod:`readme_tools.lsp.documents`).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Final

from lsprotocol import types

from readme_tools.lsp.bridge import Diagnostic, Replacement, earlier_entry_line
from readme_tools.lsp.documents import Document, split_lines

SOURCE: Final = "readme-lint"
#: Where a rule's documentation lives: one page per rule, named after the rule.
DOCS_URL: Final = "https://github.com/OWNER/readme-tools/blob/main/docs/rules/{name}.md"
#: Above this many changed lines a formatting result is sent as one edit, not a line diff.
DIFF_LIMIT: Final = 20_000

_SEVERITY: Final = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
}


def position(doc: Document, line: int, column: int) -> types.Position:
    """A 1-based line and code-point column as an LSP position."""
    line0, character = doc.to_client(line - 1, column - 1)
    return types.Position(line=line0, character=character)


def span(doc: Document, line: int, column: int, end_line: int, end_column: int) -> types.Range:
    start = position(doc, line, column)
    end = position(doc, end_line, end_column)
    if (end.line, end.character) < (start.line, start.character):
        end = start
    return types.Range(start=start, end=end)


def line_range(doc: Document, line: int) -> types.Range:
    """The whole of 1-based ``line`` (without its line break)."""
    text = doc.line(line - 1)
    return span(doc, line, 1, line, len(text) + 1)


def diagnostic(d: Diagnostic, doc: Document, docs_url: str = DOCS_URL) -> types.Diagnostic:
    related = None
    earlier = earlier_entry_line(d)
    if earlier is not None and earlier <= doc.line_count:
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=doc.uri, range=line_range(doc, earlier)),
                message="the earlier entry",
            )
        ]
    return types.Diagnostic(
        range=span(doc, d.line, d.column, d.end_line, d.end_column),
        message=d.message,
        severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Warning),
        code=d.code,
        code_description=types.CodeDescription(href=docs_url.format(name=d.rule, code=d.code)),
        source=SOURCE,
        related_information=related,
        data={"rule": d.rule, "fixable": d.fixable},
    )


def problem(message: str) -> types.Diagnostic:
    """A document-level problem (bad config, unreadable input) at the top of the document."""
    start = types.Position(line=0, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=start),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )


def text_edit(doc: Document, r: Replacement) -> types.TextEdit:
    return types.TextEdit(
        range=span(doc, r.line, r.column, r.end_line, r.end_column), new_text=r.text
    )


def workspace_edit(
    doc: Document, edits: Sequence[types.TextEdit], versioned: bool
) -> types.WorkspaceEdit:
    """Edits of one document; ``versioned``: as documentChanges pinned to its version."""
    if not versioned:
        return types.WorkspaceEdit(changes={doc.uri: list(edits)})
    identifier = types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version)
    return types.WorkspaceEdit(
        document_changes=[types.TextDocumentEdit(text_document=identifier, edits=list(edits))]
    )


def _line_start(doc: Document, index: int, count: int) -> types.Position:
    """Position of the start of line ``index`` of ``count`` lines (past the end: the end)."""
    if index < count:
        return types.Position(line=index, character=0)
    line, character = doc.end()
    return types.Position(line=line, character=character)


def whole_text_edits(doc: Document, new: str) -> list[types.TextEdit]:
    """Edits turning ``doc``'s text into ``new``: one per changed run of lines.

    Common leading and trailing lines are skipped first; a long middle is sent as one edit
    rather than diffed (difflib is quadratic in the worst case).
    """
    old_lines = split_lines(doc.text)
    new_lines = split_lines(new)
    if old_lines == new_lines:
        return []
    head = 0
    limit = min(len(old_lines), len(new_lines))
    while head < limit and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    old_mid = old_lines[head : len(old_lines) - tail]
    new_mid = new_lines[head : len(new_lines) - tail]
    count = len(old_lines)
    if len(old_mid) + len(new_mid) > DIFF_LIMIT:
        blocks = [(0, len(old_mid), 0, len(new_mid))]
    else:
        matcher = difflib.SequenceMatcher(None, old_mid, new_mid, autojunk=False)
        blocks = [
            (i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
        ]
    edits = []
    for i1, i2, j1, j2 in blocks:
        start = _line_start(doc, head + i1, count)
        end = _line_start(doc, head + i2, count)
        edits.append(
            types.TextEdit(
                range=types.Range(start=start, end=end), new_text="".join(new_mid[j1:j2])
            )
        )
    return edits
