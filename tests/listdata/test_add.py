"""readme-tools add: golden before/after on the seed list, a table list and a badge list;
duplicates refused; the TOC updated; the result re-lints clean; ids looked up against fakes."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from readme_tools.cli.main import main

from ..metadata.fakes import FakeData, env_for, fixture_data, metadata_app
from ..online.fakes import ServerThread
from .helpers import FIXTURES, golden, lint_all

ADD = FIXTURES / "add"
SEED = FIXTURES.parent.parent / "corpus" / "ShiDaizi__MLLM-Paper-Reading.md"
EPOCH = "1741046400"  # 2025-03-04


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    data: FakeData = fixture_data()
    records = json.loads((ADD / "arxiv_records.json").read_text(encoding="utf-8"))["records"]
    data.arxiv.update({r["id"]: r for r in records})
    with ServerThread(metadata_app(data)) as srv:
        yield srv


def run(srv: ServerThread | None, *args: str) -> Result:
    env = {"SOURCE_DATE_EPOCH": EPOCH, "README_TOOLS_RATE_SCALE": "0.001"}
    extra: list[str] = []
    if srv is not None:
        env.update(env_for(srv))
        extra = ["--allow-private", "--no-cache"]
    return CliRunner().invoke(main, ["add", *args, *extra], env=env)


def copy(tmp_path: Path, source: Path) -> Path:
    target = tmp_path / "README.md"
    shutil.copy(source, target)
    return target


def new_lines(before: str, after: str) -> list[str]:
    old = set(before.splitlines())
    return [line for line in after.splitlines() if line not in old]


def test_seed_list(server: ServerThread, tmp_path: Path) -> None:
    path = copy(tmp_path, SEED)
    result = run(server, "2503.01234", "--section", "Image LLMs", str(path))
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    golden(ADD / "seed.after.md", after)
    (line,) = new_lines(SEED.read_text(encoding="utf-8"), after)
    # written exactly like its hand-written neighbour Img-Diff (name, title, venue, links)
    neighbour = next(x for x in after.splitlines() if "**Img-Diff**" in x)
    expected = (
        neighbour.replace("Img-Diff", "PixelSloth")
        .replace(
            "Contrastive Data Synthesis for Multimodal Large Language Models",
            "Token Pruning for Multimodal Models at Scale",
        )
        .replace("2408.04594", "2503.01234")
        .replace("modelscope/data-juicer/tree/ImgDiff", "example/pixelsloth")
    )
    assert line == expected
    assert (
        "added 'PixelSloth: Token Pruning for Multimodal Models at Scale' to 'Image LLMs CVPR2025'"
        in result.output
    )


def test_table_list_inserted_by_date(server: ServerThread, tmp_path: Path) -> None:
    path = copy(tmp_path, ADD / "table.md")
    result = run(server, "2510.04321", "--section", "Attack on LRMs", str(path))
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    golden(ADD / "table.after.md", after)
    (line,) = new_lines((ADD / "table.md").read_text(encoding="utf-8"), after)
    assert line == (
        "| 2025.10 | **GhostCoT: Hidden Chain-of-Thought Jailbreaks of Reasoning Models** "
        "| arXiv  | [link](https://arxiv.org/abs/2510.04321) | - |"
    )
    rows = [x for x in after.splitlines() if x.startswith("| 2025.")]
    # the table is sorted newest first: the new row goes after the other 2025.10 rows
    assert rows.index(line) == 3 and rows[4].startswith("| 2025.08 ")


def test_badge_list(server: ServerThread, tmp_path: Path) -> None:
    path = copy(tmp_path, ADD / "badges.md")
    result = run(server, "https://arxiv.org/abs/2406.12345", "--section", "Cross-Layer", str(path))
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    golden(ADD / "badges.after.md", after)
    (line,) = new_lines((ADD / "badges.md").read_text(encoding="utf-8"), after)
    assert line == (
        "- [![arXiv](https://img.shields.io/badge/arXiv-2406.12345-b31b1b.svg)]"
        "(https://arxiv.org/abs/2406.12345) **ShareKV**: Sharing Key-Value Caches Across "
        "Layers. ![](https://img.shields.io/badge/NeurIPS2024-orange) "
        "[![Star](https://img.shields.io/github/stars/example/ShareKV?style=social)]"
        "(https://github.com/example/ShareKV)"
    )


@pytest.mark.parametrize(
    ("fixture", "section"),
    [
        (SEED, "Image LLMs"),
        (ADD / "table.md", "Attack on LRMs"),
        (ADD / "badges.md", "Cross-Layer"),
    ],
)
def test_result_relints_with_no_new_findings(fixture: Path, section: str) -> None:
    name = {"badges.md": "badges", "table.md": "table"}.get(fixture.name, "seed")
    before = lint_all(fixture.read_bytes())
    after = lint_all((ADD / f"{name}.after.md").read_bytes())
    key = lambda d: (d.rule, re.sub(r"line \d+", "line N", d.message))  # noqa: E731
    assert sorted(map(key, after)) == sorted(map(key, before))


def test_duplicate_is_refused_naming_the_entry(server: ServerThread, tmp_path: Path) -> None:
    path = copy(tmp_path, ADD / "badges.md")
    before = path.read_bytes()
    result = run(server, "2405.12981", "--section", "Low-Rank", str(path))
    assert result.exit_code == 1
    assert result.output == (
        "readme-tools add: arXiv 2405.12981 is already listed: line 13, 'CLA: Reducing "
        "Transformer Key-Value Cache Size with Cross…' in 'Cross-Layer'\n"
    )
    assert path.read_bytes() == before


def test_duplicate_by_title(tmp_path: Path) -> None:
    path = copy(tmp_path, ADD / "badges.md")
    result = run(
        None, "2501.99999", "--title", "MiniCache: KV Cache Compression in Depth Dimension for "
        "Large Language Models", "--section", "Low-Rank", str(path),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "is already listed: line 15, 'MiniCache: KV Cache Compression" in result.output


def test_new_section_updates_the_toc(server: ServerThread, tmp_path: Path) -> None:
    path = copy(tmp_path, SEED)
    result = run(server, "2503.01234", "--section", "Video LLMs", "--new-section", str(path))
    assert result.exit_code == 0, result.output
    before = SEED.read_text(encoding="utf-8")
    after = path.read_text(encoding="utf-8")
    added = new_lines(before, after)
    assert added == [
        "  - [Video LLMs](#video-llms)",
        "## Video LLMs",
        "- [x] **PixelSloth**: Token Pruning for Multimodal Models at Scale. CVPR2025 "
        "[Paper](https://arxiv.org/abs/2503.01234) [Code](https://github.com/example/pixelsloth)",
    ]
    # the TOC line follows the last one; the TOC's other (stale) lines are left alone
    assert (
        "  - [Benchmark CVPR2025](#benchmarks-cvpr2025)\n  - [Video LLMs](#video-llms)\n" in after
    )
    assert after.index("## Benchmarks CVPR2025") < after.index("## Video LLMs")


def test_unknown_section_is_a_usage_error(server: ServerThread, tmp_path: Path) -> None:
    path = copy(tmp_path, SEED)
    result = run(server, "2503.01234", "--section", "Nope", str(path))
    assert result.exit_code == 2
    assert result.output.startswith("readme-tools add: error: no section 'Nope' (sections: ")
    assert "Traceback" not in result.output


def test_several_sections_need_a_choice(server: ServerThread, tmp_path: Path) -> None:
    path = copy(tmp_path, SEED)
    result = run(server, "2503.01234", str(path))
    assert result.exit_code == 2
    assert "choose one with --section" in result.output


def test_dry_run_prints_the_diff_and_writes_nothing(server: ServerThread, tmp_path: Path) -> None:
    path = copy(tmp_path, ADD / "badges.md")
    before = path.read_bytes()
    result = run(server, "2406.12345", "--section", "Cross-Layer", "--dry-run", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    assert "+- [![arXiv](https://img.shields.io/badge/arXiv-2406.12345" in result.output
    assert f"--- {path}" in result.output


def test_doi_and_openreview_ids(server: ServerThread, tmp_path: Path) -> None:
    path = copy(tmp_path, ADD / "badges.md")
    result = run(
        server, "10.18653/v1/2023.emnlp-main.101", "https://openreview.net/forum?id=GpX3mTf9Lq",
        "--section", "Low-Rank", str(path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = new_lines((ADD / "badges.md").read_text(encoding="utf-8"), path.read_text("utf-8"))
    # copied from a neighbour: a venue badge ("EMNLP2023" as Palu's, or "EMNLP-2023" as
    # LoRC's LABEL-MESSAGE one); no arXiv id, so no arXiv badge: the paper's own link follows
    assert len(lines) == 2
    assert re.fullmatch(
        r"- \*\*TabReason\*\*: Reasoning over Tables with Program Sketches\. "
        r"!\[\]\(https://img\.shields\.io/badge/EMNLP-?2023-orange\) "
        r"\[Paper\]\(https://doi\.org/10\.18653/v1/2023\.emnlp-main\.101\)",
        lines[0],
    ), lines[0]
    assert re.fullmatch(
        r"- \*\*GraphPrompt\*\*: Prompting Graph Neural Networks with Learned Motifs\. "
        r"!\[\]\(https://img\.shields\.io/badge/ICLR-?2024-orange\) "
        r"\[Paper\]\(https://openreview\.net/forum\?id=GpX3mTf9Lq\)",
        lines[1],
    ), lines[1]


def test_offline_uses_the_lock_and_never_the_network(tmp_path: Path) -> None:
    path = copy(tmp_path, ADD / "badges.md")
    lock = tmp_path / ".readme-tools" / "papers.lock.json"
    lock.parent.mkdir()
    lock.write_text(
        json.dumps(
            {
                "comment": "test",
                "papers": {
                    "arxiv:2406.12345": {
                        "arxiv": {
                            "fetched": "2025-01-01",
                            "title": "ShareKV: Sharing Key-Value Caches Across Layers",
                            "journal_ref": "NeurIPS 2024",
                        }
                    }
                },
                "repos": {},
                "version": 1,
            }
        )
    )
    env = {"README_TOOLS_ARXIV_API": "http://192.0.2.1/never"}  # unreachable: must not be used
    result = CliRunner().invoke(
        main, ["add", "2406.12345", "--section", "Low-Rank", "--offline", str(path)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "**ShareKV**: Sharing Key-Value Caches Across Layers." in path.read_text("utf-8")
    missing = CliRunner().invoke(
        main, ["add", "2406.99999", "--section", "Low-Rank", "--offline", str(path)], env=env
    )
    assert missing.exit_code == 2
    assert "arxiv:2406.99999: not in the lock file (and --offline)" in missing.output


def test_new_findings_are_reported(tmp_path: Path) -> None:
    path = copy(tmp_path, SEED)
    # an ICCV2023 paper under "Image LLMs CVPR2025": added, and venue-section says so
    result = run(
        None, "2507.07777", "--title", "VQA-Leak: Benchmark Contamination in Video QA",
        "--venue", "ICCV2023", "--section", "Image LLMs", "--offline", str(path),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "V202 venue-section" in result.output and "(new)" in result.output
    assert "**VQA-Leak**" in path.read_text(encoding="utf-8")
    fine = run(
        None, "2507.07777", "--title", "VQA-Leak: Benchmark Contamination in Video QA",
        "--venue", "CVPR2025", "--section", "Image LLMs", "--offline", str(copy(tmp_path, SEED)),
    )  # fmt: skip
    assert fine.exit_code == 0, fine.output


def test_bad_ids_and_options(tmp_path: Path) -> None:
    path = copy(tmp_path, SEED)
    for args, message in [
        (
            ["not-an-id", str(path)],
            "'not-an-id' is not an arXiv id or URL, a DOI or an OpenReview URL",
        ),
        (["2401.00001", "2401.00002", "--name", "X", str(path)], "describe one paper"),
        (["2401.00001", "--file", str(tmp_path / "missing.md")], "missing.md"),
    ]:
        result = CliRunner().invoke(main, ["add", *args, "--offline"])
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output


def test_help_documents_the_command() -> None:
    result = CliRunner().invoke(main, ["add", "--help"])
    assert result.exit_code == 0
    for text in ("--section", "--dry-run", "--new-section", "Exit status"):
        assert text in result.output


def test_a_neighbours_authors_are_left_out_and_said(tmp_path: Path) -> None:
    path = copy(
        tmp_path, FIXTURES.parent.parent / "corpus" / "October2001__Awesome-KV-Cache-Compression.md"
    )
    result = run(
        None, "2501.01234", "--title", "TwiceNet: Learning Everything Twice", "--venue",
        "ICLR2025", "--code", "https://github.com/example/TwiceNet", "--section", "Low-Rank",
        "--offline", str(path),
    )  # fmt: skip
    assert "left out what its neighbour has and no source gives (its authors, say)" in result.output
    line = next(x for x in path.read_text(encoding="utf-8").splitlines() if "TwiceNet" in x)
    # the title is the link's bold label, the venue spelt as the list does, a star badge; it
    # goes before the 2506 paper (the run is sorted by arXiv date, oldest first), numbered 9
    assert line == (
        "9.  [**TwiceNet: Learning Everything Twice.**](https://arxiv.org/abs/2501.01234) "
        "ICLR 2025. [![GitHub Repo stars](https://img.shields.io/github/stars/example/TwiceNet)]"
        "(https://github.com/example/TwiceNet)"
    )
