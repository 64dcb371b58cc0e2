"""SARIF 2.1.0 output (``--format sarif``), e.g. for GitHub code scanning.

One run whose driver lists every rule with its metadata (summary, the ``--explain`` text as
help, default level, family tag). Results carry the rule code as ``ruleId``, the region in
1-based lines and Unicode code-point columns (``columnKind``), and a ``partialFingerprints``
entry built like the baseline fingerprint (rule + entry identity + message without positions),
so code scanning tracks a finding across edits that move it. A finding with a fix carries it
as a SARIF ``fix`` (deleted regions and inserted text, the same edits ``readme-fmt --fix``
makes for that finding alone), which tools such as reviewdog turn into suggested changes.
Mojibake repairs are not among them: they need the language model and a review, so they are
left to ``readme-fmt``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from readme_tools.diagnostics import Diagnostic
from readme_tools.fingerprints import digest
from readme_tools.registry import Registry, Rule
from readme_tools.version import __version__

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "readmeLint/v1"


def _uri(path: str) -> tuple[str, str | None]:
    """(uri, uriBaseId) of a reported path."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri(), None
    return quote(p.as_posix(), safe="/-._~"), "%SRCROOT%"


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": rule.severity},
        "properties": {
            "tags": [rule.family] if rule.family else [],
            "fixable": rule.fixable,
            "online": rule.online,
        },
    }


def _result(d: Diagnostic, index: int | None) -> dict[str, Any]:
    uri, base = _uri(d.path)
    artifact: dict[str, Any] = {"uri": uri}
    if base is not None:
        artifact["uriBaseId"] = base
    end_line, end_column = d.end_line, d.end_column
    if (end_line, end_column) < (d.line, d.column):
        end_line, end_column = d.line, d.column
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": d.severity,
        "message": {"text": d.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": {
                        "startLine": d.line,
                        "startColumn": d.column,
                        "endLine": end_line,
                        "endColumn": end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT: digest(d.rule, d.key, d.message)},
        "properties": {"rule": d.rule, "fixable": d.fixable},
    }
    if index is not None:
        result["ruleIndex"] = index
    if d.fix is not None and d.replacements:
        result["fixes"] = [_fix(d, artifact)]
    return result


def _fix(d: Diagnostic, artifact: dict[str, Any]) -> dict[str, Any]:
    assert d.fix is not None
    replacements = []
    for r in d.replacements:
        replacement: dict[str, Any] = {
            "deletedRegion": {
                "startLine": r.line,
                "startColumn": r.column,
                "endLine": r.end_line,
                "endColumn": r.end_column,
            }
        }
        if r.text:
            replacement["insertedContent"] = {"text": r.text}
        replacements.append(replacement)
    return {
        "description": {"text": d.fix.description},
        "artifactChanges": [{"artifactLocation": dict(artifact), "replacements": replacements}],
    }


def log(diagnostics: Sequence[Diagnostic], registry: Registry) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    rules = list(registry.rules)
    index = {rule.code: i for i, rule in enumerate(rules)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "readme-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index.get(d.code)) for d in diagnostics],
            }
        ],
    }


def report(diagnostics: Sequence[Diagnostic], registry: Registry) -> str:
    return json.dumps(log(diagnostics, registry), ensure_ascii=False, indent=2) + "\n"
