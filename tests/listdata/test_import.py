"""readme-tools import: BibTeX and JSON through the same writer as add."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from readme_tools.listdata.bibtex import latex_to_text, parse_bibtex
from readme_tools.listdata.importer import papers_from_bibtex
from readme_tools.venues import vocabulary

from .helpers import FIXTURES, golden, lint_all

IMPORT = FIXTURES / "import"
ADD = FIXTURES / "add"


def run(*args: str) -> tuple[int, str]:
    from readme_tools.cli.main import main

    result = CliRunner().invoke(main, ["import", *args], env={"SOURCE_DATE_EPOCH": "1741046400"})
    return result.exit_code, result.output


def test_bibtex_reader() -> None:
    entries = list(parse_bibtex((IMPORT / "papers.bib").read_text(encoding="utf-8")))
    assert [e.key for e in entries] == ["sloth2025", "ghost2025", "tab2023", "mini2024"]
    assert entries[0].fields["booktitle"].startswith("Proceedings of the IEEE/CVF")  # @string
    assert entries[1].fields["year"] == "2025"
    assert latex_to_text(r"{Caf\'e} \& {K{\"o}nig} --- 50\%") == "Café & König — 50%"


def test_bibtex_papers() -> None:
    papers = papers_from_bibtex((IMPORT / "papers.bib").read_text(encoding="utf-8"), vocabulary())
    sloth, ghost, tab, mini = papers
    assert (sloth.name, sloth.title) == (
        "PixelSloth",
        "Token Pruning for Multimodal Models at Scale",
    )
    assert sloth.venue is not None and (sloth.venue.name, sloth.venue.year) == ("CVPR", 2025)
    assert sloth.url == "https://arxiv.org/abs/2503.01234"
    assert ghost.venue is not None and ghost.venue.name == "arXiv"
    assert [i.key for i in ghost.ids] == ["arxiv:2510.04321"]
    assert tab.venue is not None and (tab.venue.name, tab.venue.year) == ("EMNLP", 2023)
    assert tab.url == "https://doi.org/10.18653/v1/2023.emnlp-main.101"
    assert mini.name == "MiniCache"


def test_bibtex_into_the_badge_list(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    shutil.copy(ADD / "badges.md", path)
    code, output = run(str(IMPORT / "papers.bib"), str(path), "--section", "Low-Rank")
    assert code == 1  # MiniCache is refused: already in Cross-Layer
    assert "arXiv 2405.14366 is already listed: line 15" in output
    after = path.read_text(encoding="utf-8")
    golden(IMPORT / "badges.after.md", after)
    assert after.count("PixelSloth") == 1 and after.count("GhostCoT") == 1
    before = lint_all((ADD / "badges.md").read_bytes())
    assert [d for d in lint_all(after.encode()) if d.rule not in {b.rule for b in before}] == []


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bib"
    bad.write_text("@article{x, title = {unclosed\n", encoding="utf-8")
    list_path = tmp_path / "README.md"
    list_path.write_text("# L\n", encoding="utf-8")
    code, output = run(str(bad), str(list_path))
    assert code == 2 and output.startswith("readme-tools import: error: ") and output[-1] == "\n"
    assert output.count("\n") == 1
    bad.write_text('{"entries": [{"title": 3}]}', encoding="utf-8")
    code, output = run(str(bad), str(list_path))
    assert code == 2 and "entry 1: 'title' must be a string or null" in output
    assert list_path.read_text(encoding="utf-8") == "# L\n"
