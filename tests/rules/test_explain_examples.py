"""The documentation contract (#25.6): each rule's `--explain` Bad example produces its
finding and its Good example none, linted as a document on its own with the default config.

Covers the entry, venue and duplicate families (rules/entries.py, rules/venues.py,
rules/duplicates.py), whose rules infer the list's style from at least three entries: their
examples show the entries around the one they are about.
"""

from __future__ import annotations

import re
import textwrap

import pytest

import readme_tools
from readme_tools import registry
from readme_tools.registry import Rule

OWN = {
    "entry-format",
    "bold-name",
    "checkbox",
    "summary-subject",
    "venue-tag",
    "venue-section",
    "duplicate-entry",
}


def _rules() -> list[Rule]:
    return [r for r in registry.load().rules if r.name in OWN]


def example(doc: str, which: str) -> str:
    """The indented block after ``Bad:`` or ``Good:``, dedented."""
    match = re.search(rf"^{which}:\n\n((?:    .*\n|\n)+)", doc + "\n", re.MULTILINE)
    assert match, f"no {which} example"
    return textwrap.dedent(match.group(1)).strip("\n") + "\n"


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r.name)
def test_bad_example_is_reported_and_good_example_is_clean(rule: Rule) -> None:
    bad = readme_tools.lint_text(example(rule.doc, "Bad"), select=(rule.name,))
    assert bad, f"{rule.name}: its Bad example reports nothing"
    good = readme_tools.lint_text(example(rule.doc, "Good"), select=(rule.name,))
    assert good == [], f"{rule.name}: its Good example reports {[d.message for d in good]}"


def test_every_rule_of_these_families_is_covered() -> None:
    assert {r.name for r in _rules()} == OWN
