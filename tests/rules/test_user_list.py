"""The first user's list as it stands (tests/corpus, README.md at fb2ae9c, issue #18): the
entry, venue and duplicate rules report exactly its true findings, none of them an error."""

from __future__ import annotations

from pathlib import Path

import readme_tools

LIST = Path(__file__).parents[1] / "corpus" / "ShiDaizi__MLLM-Paper-Reading.md"
RULES = (
    "entry-format",
    "bold-name",
    "checkbox",
    "summary-subject",
    "venue-tag",
    "venue-section",
    "duplicate-entry",
)


def test_the_users_list_gets_its_true_findings_only() -> None:
    found = readme_tools.lint_text(LIST.read_bytes(), select=RULES)
    by_rule = sorted((d.rule, d.line, d.severity) for d in found)
    assert by_rule == [
        ("bold-name", 65, "warning"),  # the summary names ReflectiVA
        ("duplicate-entry", 174, "warning"),  # ODE, also at line 61
        ("summary-subject", 47, "warning"),  # the Insight-V summary describes Llama-VID
        ("venue-tag", 24, "warning"),  # Neurips 2025 Spotlight
    ]
    venue = next(d for d in found if d.rule == "venue-tag")
    assert venue.message == "venue tag 'Neurips 2025 Spotlight' is spelled 'NeurIPS 2025 Spotlight'"
    assert venue.fix is not None
    assert [e.replacement for e in venue.fix.edits] == ["NeurIPS 2025 Spotlight"]
    assert venue.fix.description == "write NeurIPS 2025 Spotlight"


def test_the_users_list_has_no_error_of_these_rules_in_the_full_run() -> None:
    found = readme_tools.lint_text(LIST.read_bytes())
    assert [d for d in found if d.severity == "error" and d.rule in RULES] == []
