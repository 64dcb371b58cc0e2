"""readme-tools export: golden JSON/CSV/BibTeX/CFF/SVG of the seed list, the JSON schema,
stable BibTeX keys, and the round trip export json -> import into an empty list -> export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from readme_tools.cli.main import main
from readme_tools.listdata.bibtex import parse_bibtex
from readme_tools.listdata.schema import ENTRY, schema_json

from .helpers import FIXTURES, golden

EXPORT = FIXTURES / "export"
SEED = FIXTURES.parent.parent / "corpus" / "ShiDaizi__MLLM-Paper-Reading.md"
ROOT = FIXTURES.parent.parent.parent
SUFFIX = {"json": "json", "csv": "csv", "bibtex": "bib", "cff": "cff", "svg": "svg"}


def export(*args: str) -> str:
    result = CliRunner().invoke(main, ["export", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden(fmt: str) -> None:
    golden(EXPORT / f"seed.{SUFFIX[fmt]}", export("--format", fmt, str(SEED)))


def test_json_validates_against_the_schema_file() -> None:
    schema = json.loads((ROOT / "list-export.schema.json").read_text(encoding="utf-8"))
    data = json.loads(export(str(SEED)))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert len(data["entries"]) == 47
    first = data["entries"][0]
    assert set(first) == set(ENTRY["properties"])  # every field documented, no other


def test_schema_file_is_current() -> None:
    assert (ROOT / "list-export.schema.json").read_text(encoding="utf-8") == schema_json(), (
        "regenerate it: readme-tools export --schema > list-export.schema.json"
    )
    assert export("--schema") == schema_json()


def test_seed_fields() -> None:
    entries = json.loads(export(str(SEED)))["entries"]
    critic = next(e for e in entries if e["name"] == "LLaVA-Critic")
    assert critic == {
        "section": "Image LLMs CVPR2025",
        "path": ["MLLM-Paper-Reading", "Image LLMs CVPR2025"],
        "name": "LLaVA-Critic",
        "title": "Learning to Evaluate Multimodal Models",
        "venue": "CVPR2025",
        "venue_name": "CVPR",
        "year": 2025,
        "date": "2024-10",
        "ids": {"arxiv": "2410.02712"},
        "key": "arxiv:2410.02712",
        "links": [
            {"label": "Paper", "url": "https://arxiv.org/abs/2410.02712"},
            {"label": "Page", "url": "https://llava-vl.github.io/blog/2024-10-03-llava-critic/"},
        ],
        "code": None,
        "summary": critic["summary"],
        "checked": True,
    }
    assert critic["summary"].startswith("本文介绍了 LLaVA-Critic")


def test_csv_has_a_row_per_entry() -> None:
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv", str(SEED)))))
    assert len(rows) == 47
    assert rows[2]["name"] == "Towards Omni-RAG" and rows[2]["venue_name"] == "ACL"


def test_bibtex_cites_each_paper_once_with_stable_keys(tmp_path: Path) -> None:
    text = export("--format", "bibtex", str(SEED))
    entries = list(parse_bibtex(text))
    keys = [e.key for e in entries]
    assert len(keys) == len(set(keys)) == 46  # ODE is listed twice, cited once
    assert "llavacritic2025" in keys
    # stable: another run, and a list with one more paper, keep the keys
    assert [e.key for e in parse_bibtex(export("--format", "bibtex", str(SEED)))] == keys
    more = tmp_path / "more.md"
    more.write_text(
        SEED.read_text(encoding="utf-8")
        + "\n- [x] **Zeta**: Another paper. CVPR2025 [Paper](https://arxiv.org/abs/2501.00001)\n",
        encoding="utf-8",
    )
    again = [e.key for e in parse_bibtex(export("--format", "bibtex", str(more)))]
    assert again[: len(keys)] == keys and again[-1] == "zeta2025"
    think = next(e for e in entries if e.key == "thinkornotthink2025")
    assert think.type == "inproceedings" and think.fields["note"] == "Spotlight"


def test_colliding_keys_get_a_suffix_from_the_paper_id(tmp_path: Path) -> None:
    path = tmp_path / "l.md"
    path.write_text(
        "# L\n\n"
        "- **Same**: One. CVPR2025 [Paper](https://arxiv.org/abs/2501.00001)\n"
        "- **Same**: Two. CVPR2025 [Paper](https://arxiv.org/abs/2501.00002)\n",
        encoding="utf-8",
    )
    keys = [e.key for e in parse_bibtex(export("--format", "bibtex", str(path)))]
    assert len(set(keys)) == 2 and all(k.startswith("same2025-") for k in keys)


def test_round_trip_export_import_export(tmp_path: Path) -> None:
    first = export(str(SEED))
    source = tmp_path / "seed.json"
    source.write_text(first, encoding="utf-8")
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "-q", str(source), str(empty)])
    assert result.exit_code in (0, 1), result.output  # 1: the seed's own findings, now "new"
    assert export(str(empty)) == first


def test_output_file_and_errors(tmp_path: Path) -> None:
    out = tmp_path / "papers.bib"
    export("--format", "bibtex", "-o", str(out), str(SEED))
    assert out.read_text(encoding="utf-8").startswith("@misc{chainofagents2025,")
    result = CliRunner().invoke(main, ["export", str(tmp_path / "missing.md")])
    assert result.exit_code == 2
    assert (
        result.output.startswith("readme-tools export: error: ")
        and "Traceback" not in result.output
    )
    result = CliRunner().invoke(
        main, ["export", "--format", "xml", str(SEED)], prog_name="readme-tools"
    )
    assert result.exit_code == 2 and "readme-tools export: error:" in result.output
