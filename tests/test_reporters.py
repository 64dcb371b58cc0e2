"""Output formats: text, json, github (workflow commands) and sarif (SARIF 2.1.0)."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from readme_tools import registry, reporters, sarif
from readme_tools.baseline import with_keys
from readme_tools.cli.lint import main
from readme_tools.config import Config
from readme_tools.diagnostics import Diagnostic, apply_edits
from readme_tools.engine import lint_source
from readme_tools.files import read_source

from .data import SEED

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = Path(__file__).parent.parent / "examples" / "papers.md"
SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-2.1.0-rtm.4.json").read_text(encoding="utf-8"))

# ::error file=…,line=…::message  (GitHub's workflow-command syntax)
COMMAND_RE = re.compile(r"^::(?P<cmd>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def seed_diagnostics() -> list[Diagnostic]:
    reg = registry.load()
    doc, diags = lint_source(read_source(str(SEED)), reg.rules, Config())
    return with_keys(doc, diags)


def diag(**kw: Any) -> Diagnostic:
    base: dict[str, Any] = dict(
        path="README.md",
        line=3,
        column=5,
        end_line=3,
        end_column=9,
        rule="entry-format",
        code="E101",
        severity="error",
        message="m",
        fixable=False,
        start=0,
        end=4,
        key="arxiv:2401.00001",
    )
    base.update(kw)
    return Diagnostic(**base)


def unescape(value: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: bytes.fromhex(m.group(1)).decode(), value)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    m = COMMAND_RE.match(line)
    assert m, line
    props = {}
    for item in (m.group("props") or "").split(","):
        key, _, value = item.partition("=")
        props[key] = unescape(value)
    return m.group("cmd"), props, unescape(m.group("data"))


# --------------------------------------------------------------------------- github


def test_github_lines_parse_and_carry_positions() -> None:
    diags = seed_diagnostics()
    out = reporters.REPORTERS["github"](diags, registry.load())
    lines = out.splitlines()
    if max(Counter(d.severity for d in diags).values()) > reporters.ANNOTATIONS_PER_STEP:
        notice = parse_command(lines.pop())
        assert notice[0] == "notice" and "at most 10 annotations" in notice[2]
    assert len(lines) == len(diags)
    for line, d in zip(lines, diags, strict=True):
        cmd, props, data = parse_command(line)
        assert cmd == d.severity
        assert props["file"] == d.path
        assert int(props["line"]) == d.line
        assert int(props["endLine"]) == d.end_line
        assert props["title"] == f"{d.code} {d.rule}"
        assert data == d.message
        if d.line == d.end_line:
            assert int(props["col"]) == d.column
            assert int(props["endColumn"]) >= d.column
        else:
            assert "col" not in props and "endColumn" not in props


def test_github_says_when_annotations_exceed_what_a_step_shows() -> None:
    few = [diag() for _ in range(reporters.ANNOTATIONS_PER_STEP)]
    assert all(
        parse_command(x)[0] != "notice" for x in reporters.github(few, registry.load()).splitlines()
    )
    many = [*few, diag()]
    *_, last = reporters.github(many, registry.load()).splitlines()
    cmd, props, data = parse_command(last)
    assert cmd == "notice" and props == {"title": "readme-lint"}
    assert data.startswith(f"{len(many)} {many[0].severity}s: GitHub shows at most 10")


def test_github_escaping() -> None:
    d = diag(
        path="docs/a,b:c%.md",
        message="100% wrong:\r\nsecond line, with a comma",
        rule="venue-tag",
        code="V201",
        severity="warning",
    )
    (line,) = reporters.github([d], registry.load()).splitlines()
    assert line.startswith("::warning file=docs/a%2Cb%3Ac%25.md,line=3,col=5,endLine=3,")
    assert line.endswith("::100%25 wrong:%0D%0Asecond line, with a comma")
    _, props, data = parse_command(line)
    assert props["file"] == "docs/a,b:c%.md"
    assert data == d.message


def test_github_multiline_finding_has_no_columns() -> None:
    (line,) = reporters.github([diag(end_line=5, end_column=2)], registry.load()).splitlines()
    _, props, _ = parse_command(line)
    assert props == {"file": "README.md", "line": "3", "endLine": "5", "title": "E101 entry-format"}


@given(st.text())
def test_github_property_escaping_round_trips(value: str) -> None:
    escaped = reporters._escape_property(value)
    assert not set(escaped) & set(",:\r\n")
    assert unescape(escaped) == value
    data = reporters._escape_data(value)
    assert not set(data) & set("\r\n")
    assert unescape(data) == value


# --------------------------------------------------------------------------- sarif


def validate(log: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_sarif_validates_against_the_schema() -> None:
    reg = registry.load()
    diags = seed_diagnostics()
    assert diags
    log = json.loads(reporters.REPORTERS["sarif"](diags, reg))
    validate(log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "readme-lint"
    assert [r["id"] for r in driver["rules"]] == [r.code for r in reg.rules]
    for descriptor, rule in zip(driver["rules"], reg.rules, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["help"]["markdown"] == rule.doc
        assert descriptor["defaultConfiguration"]["level"] == rule.severity
    assert len(run["results"]) == len(diags)
    for result, d in zip(run["results"], diags, strict=True):
        assert result["ruleId"] == d.code
        assert driver["rules"][result["ruleIndex"]]["id"] == d.code
        assert result["level"] == d.severity
        assert result["message"]["text"] == d.message
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "tests/fixtures/mllm-paper-reading.md" or (
            physical["artifactLocation"]["uri"].endswith("mllm-paper-reading.md")
        )
        region = physical["region"]
        assert (region["startLine"], region["startColumn"]) == (d.line, d.column)
        assert (region["endLine"], region["endColumn"]) >= (d.line, d.column)
        assert len(result["partialFingerprints"][sarif.FINGERPRINT]) == 20


def test_sarif_empty_and_odd_paths_validate() -> None:
    reg = registry.load()
    validate(sarif.log([], reg))
    odd = [
        diag(path="/abs/dir with space/README.md"),
        diag(path="docs/ä b#c.md", end_line=2, end_column=1),  # end before start: clamped
    ]
    log = sarif.log(odd, reg)
    validate(log)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]
    ]
    assert uris[0] == {"uri": "file:///abs/dir%20with%20space/README.md"}
    assert uris[1] == {"uri": "docs/%C3%A4%20b%23c.md", "uriBaseId": "%SRCROOT%"}
    region = log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]
    assert (region["endLine"], region["endColumn"]) == (3, 5)


def test_sarif_structure_beyond_the_schema() -> None:
    """What GitHub code scanning needs that the schema leaves optional."""
    log = sarif.log(seed_diagnostics(), registry.load())
    run = log["runs"][0]
    assert log["$schema"].startswith("https://")
    assert run["columnKind"] == "unicodeCodePoints"
    for result in run["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert all(isinstance(region[k], int) and region[k] >= 1 for k in region)
        assert result["ruleId"] and result["message"]["text"]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))


def apply_sarif_fix(raw: str, fix: dict[str, Any]) -> str:
    """Apply a SARIF fix's replacements to a file's text, by SARIF's own coordinates.

    Lines are split after each line ending (``\\r\\n`` or ``\\n``); columns count code
    points; a region's end is exclusive. Replacements are applied last to first.
    """
    lines = raw.splitlines(keepends=True) or [""]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    (change,) = fix["artifactChanges"]
    spans = []
    for r in change["replacements"]:
        region = r["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        spans.append((start, end, r.get("insertedContent", {}).get("text", "")))
    for start, end, text in sorted(spans, reverse=True):
        raw = raw[:start] + text + raw[end:]
    return raw


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_sarif_fixes_make_the_same_change_as_the_fix(newline: str, tmp_path: Path) -> None:
    """Each SARIF fix, applied by its line/column regions, gives the text the fix gives."""
    raw = EXAMPLE.read_text(encoding="utf-8")
    raw = raw.replace("## Benchmarks\n", "## Benchmarks  \n")  # trailing whitespace: a deletion
    raw = raw.replace("\n", newline)
    path = tmp_path / "README.md"
    path.write_bytes(raw.encode("utf-8"))
    reg = registry.load()
    source = read_source(str(path))
    _, diags = lint_source(source, reg.rules, Config(), fixes=False)
    log = sarif.log(diags, reg)
    validate(log)
    with_fixes = [(d, r) for d, r in zip(diags, log["runs"][0]["results"], strict=True) if d.fix]
    assert {d.rule for d, _ in with_fixes} >= {"arxiv-link", "link-tracking", "whitespace"}
    for d, result in with_fixes:
        (fix,) = result["fixes"]
        assert fix["description"]["text"] == d.fix.description  # type: ignore[union-attr]
        assert fix["artifactChanges"][0]["artifactLocation"]["uri"].endswith("README.md")
        expected = apply_edits(source.text, d.fix.edits)  # type: ignore[union-attr]
        assert apply_sarif_fix(raw, fix) == expected.replace("\n", newline), d
    no_fix = [r for d, r in zip(diags, log["runs"][0]["results"], strict=True) if not d.fix]
    assert no_fix and all("fixes" not in r for r in no_fix)


# --------------------------------------------------------------------------- CLI


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 always separates stderr
        return CliRunner()


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_machine_formats_keep_stdout_clean(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SEED, tmp_path / "README.md")
    monkeypatch.chdir(tmp_path)
    result = runner().invoke(main, ["--format", fmt, "--statistics"], catch_exceptions=False)
    assert result.exit_code == 1  # the seed has errors (e.g. toc-anchor on line 6)
    assert "Found" in result.stderr
    if fmt == "github":
        lines = result.stdout.splitlines()
        assert lines and all(COMMAND_RE.match(line) for line in lines)
    else:
        data = json.loads(result.stdout)
        if fmt == "sarif":
            validate(data)
            assert data["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
                "artifactLocation"
            ] == {"uri": "README.md", "uriBaseId": "%SRCROOT%"}


def test_text_format_unchanged() -> None:
    out = reporters.text([diag(message="x")], registry.load())
    assert out == "README.md:3:5: E101 entry-format x\n"
