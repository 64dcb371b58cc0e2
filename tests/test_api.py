"""The public API: readme_tools.lint_text / format_text / parse_text behave as the CLIs do."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import readme_tools
from readme_tools.config import Config, ConfigError
from readme_tools.source import InputError

from .conftest import cli_runner
from .data import SEED

ENTRY = "- [x] **A**: Title one. CVPR2025 [Paper](https://arxiv.org/pdf/2401.00001v2)\n"
# Five more entries link abs pages without versions: the list's form, which arxiv-link learns.
OTHERS = "".join(
    f"- [x] **{n}**: Title {n}. CVPR2025 [Paper](https://arxiv.org/abs/2401.0001{n})\n"
    for n in range(5)
)
TEXT = f"# List\n\n## Papers\n\n{ENTRY}{OTHERS}"


def test_lint_text_reports_what_readme_lint_reports_on_the_seed() -> None:
    from readme_tools.cli.lint import main

    result = cli_runner().invoke(main, ["--format", "json", str(SEED)])
    expected = json.loads(result.stdout)
    found = readme_tools.lint_text(SEED.read_bytes(), path=str(SEED))
    assert expected and [
        (d["line"], d["column"], d["rule"], d["severity"], d["message"]) for d in expected
    ] == [(d.line, d.column, d.rule, d.severity, d.message) for d in found]


def test_lint_text_selects_ignores_and_takes_a_config_table() -> None:
    rules = {d.rule for d in readme_tools.lint_text(TEXT)}
    assert "arxiv-link" in rules
    assert {d.rule for d in readme_tools.lint_text(TEXT, select=["L402"])} == {"arxiv-link"}
    assert "arxiv-link" not in {d.rule for d in readme_tools.lint_text(TEXT, ignore=["arxiv-link"])}
    configured = readme_tools.lint_text(TEXT, config={"arxiv": {"keep-version": True}})
    (finding,) = [d for d in configured if d.rule == "arxiv-link"]
    assert "version" not in finding.message  # the table is read: versions are kept
    assert readme_tools.lint_text(TEXT, path="x/README.md")[0].path == "x/README.md"
    assert readme_tools.lint_text(TEXT, config=Config(ignore=("arxiv-link",))) == (
        readme_tools.lint_text(TEXT, ignore=["arxiv-link"])
    )
    (without,) = readme_tools.lint_text(TEXT, select=["arxiv-link"])
    (with_fix,) = readme_tools.lint_text(TEXT, select=["arxiv-link"], fixes=True)
    assert with_fix.fix is not None and with_fix.fixable and without.fixable
    assert with_fix.fix.edits[0].replacement == "https://arxiv.org/abs/2401.00001"


def test_lint_text_reports_bad_arguments_as_exceptions() -> None:
    with pytest.raises(ValueError, match="unknown rule 'no-such-rule'"):
        readme_tools.lint_text(TEXT, select=["no-such-rule"])
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        readme_tools.lint_text(TEXT, config={"colour": "blue"})
    with pytest.raises(InputError):
        readme_tools.lint_text(b"\x00\x01binary\x00" * 10)


def test_format_text_is_what_readme_fmt_writes() -> None:
    from readme_tools.cli.fmt import main

    crlf = TEXT.replace("\n", "\r\n")
    result = cli_runner().invoke(main, ["--fix", "-"], input=crlf.encode())
    fixed = readme_tools.format_text(crlf)
    assert fixed == result.stdout_bytes.decode("utf-8")
    assert "[Paper](https://arxiv.org/abs/2401.00001)\r\n" in fixed  # line endings kept
    assert readme_tools.format_text(fixed) == fixed
    assert readme_tools.format_text(TEXT, ignore=["arxiv-link"]).count("pdf/2401.00001v2") == 1


def test_format_text_refuses_as_readme_fmt_does() -> None:
    with pytest.raises(readme_tools.FormatRefused, match="not valid UTF-8"):
        readme_tools.format_text(TEXT.encode() + b"\xff\xfe broken\n")
    with pytest.raises(ConfigError, match="'markdown' must be one of"):
        readme_tools.format_text(TEXT, config={"format": {"markdown": "fancy"}})


def test_parse_text_gives_the_model() -> None:
    doc = readme_tools.parse_text(TEXT)
    assert isinstance(doc, readme_tools.Document)
    entry = doc.entries[0]
    assert isinstance(entry, readme_tools.Entry) and len(doc.entries) == 6
    assert (entry.name, entry.title, entry.venue) == ("A", "Title one.", "CVPR2025")
    assert [link.url for link in entry.links] == ["https://arxiv.org/pdf/2401.00001v2"]
    assert [h.text for h in doc.headings] == ["List", "Papers"]


def test_importing_the_package_loads_nothing_else() -> None:
    code = (
        "import sys, readme_tools\n"
        "print(sorted(m for m in sys.modules if m.startswith('readme_tools')))\n"
        "readme_tools.lint_text\n"
        "print('readme_tools.engine' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "['readme_tools', 'readme_tools.version']"
    assert out[1] == "True"  # loaded on first use
    with pytest.raises(AttributeError):
        readme_tools.no_such_name  # noqa: B018
    assert "lint_text" in dir(readme_tools)
