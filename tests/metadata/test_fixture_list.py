"""The fixture list of issue #20: every finding exact, the fixes in the entry's own style,
nothing else reported."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from readme_tools import registry
from readme_tools.config import Config
from readme_tools.diagnostics import Diagnostic, apply_edits
from readme_tools.engine import lint_source
from readme_tools.files import read_source
from readme_tools.metadata.lock import DEFAULT_LOCK, dumps
from readme_tools.metadata.sync import sync
from readme_tools.metadata.targets import collect

from ..online.fakes import ServerThread
from .conftest import fast_settings
from .fakes import LIST

FAMILY = ("venue-update", "venue-claim", "withdrawn-paper", "code-repository")

EXPECTED = [
    (7, "P801", "published at NeurIPS 2023 (dblp (via Semantic Scholar): https://dblp.org/rec/conf/nips/ChenLW23): write 'NeurIPS2023' instead of 'arXiv2023'"),
    (8, "P801", "published at EMNLP 2023 (dblp (via Semantic Scholar): https://dblp.org/rec/conf/emnlp/ParkS23; Crossref: https://doi.org/10.18653/v1/2023.emnlp-main.101; arXiv journal-ref: https://arxiv.org/abs/2310.20002): write 'EMNLP 2023' instead of 'Arxiv 2023'"),
    (9, "P801", "published at ICLR 2024 (OpenReview: https://openreview.net/forum?id=GpX3mTf9Lq): write 'ICLR2024' instead of 'arXiv2024'"),
    (10, "P802", "'ICLR2023' is contradicted by OpenReview: the paper was rejected at ICLR 2023 (\"Submitted to ICLR 2023\", https://openreview.net/forum?id=Fd7kQ2wPzX)"),
    (11, "P803", "arXiv 2303.40004 has been withdrawn (v3); its record names the successor 2405.13351: link https://arxiv.org/abs/2405.13351 instead"),
    (12, "P804", "repository oldnet-lab/oldnet is archived (read-only, no longer maintained)"),
    (13, "P804", "repository jdoe/moved-repo was renamed or moved to vision-lab/MovedRepo: link https://github.com/vision-lab/MovedRepo"),
    (14, "P804", "repository someone/coming-soon is empty: nothing has been pushed to it (code not released yet?)"),
    (15, "P801", "a dblp record with the same title was published at CVPR 2024 (https://dblp.org/rec/conf/cvpr/ZhangW24), but no identifier links it to this entry's paper: if it is the same paper, update 'arXiv2023' by hand"),
]  # fmt: skip


@pytest.fixture
def synced(server: ServerThread, tmp_path: Path) -> Path:
    """The fixture list in a fresh directory, with the lock ``sync`` wrote next to it."""
    readme = tmp_path / "README.md"
    readme.write_bytes(LIST.read_bytes())
    doc, _ = lint_source(read_source(str(readme)), [], Config())
    papers, repos = collect([doc])
    result = sync(papers, repos, fast_settings(server), None, today=datetime.date(2025, 3, 1))
    assert not result.gathered.failed
    lock = tmp_path / DEFAULT_LOCK
    lock.parent.mkdir()
    lock.write_text(dumps(result.lock), encoding="utf-8")
    return readme


def _lint(path: Path, fixes: bool = True) -> list[Diagnostic]:
    rules = [r for r in registry.load().rules if r.name in FAMILY]
    _, found = lint_source(read_source(str(path)), rules, Config(), fixes=fixes)
    return found


def test_each_finding_exact_and_nothing_else(synced: Path) -> None:
    found = _lint(synced)
    assert [(d.line, d.code, d.message) for d in found] == EXPECTED
    assert all(d.severity == "warning" for d in found)


def test_fixes_rewrite_only_the_venue_token_in_the_entrys_own_style(synced: Path) -> None:
    found = _lint(synced)
    fixable = {d.line for d in found if d.fix is not None}
    assert fixable == {7, 8, 9, 13}  # the title-only match (15) is reported, never fixed
    source = read_source(str(synced))
    edits = [e for d in found if d.fix is not None for e in d.fix.edits]
    fixed = apply_edits(source.text, edits).splitlines()
    before = source.text.splitlines()
    assert "NeurIPS2023 [Paper](https://arxiv.org/abs/2305.10001)" in fixed[6]
    assert fixed[6] == before[6].replace("arXiv2023", "NeurIPS2023")
    assert fixed[7] == before[7].replace("Arxiv 2023", "EMNLP 2023")
    assert fixed[8] == before[8].replace("arXiv2024", "ICLR2024")
    assert fixed[12] == before[12].replace("jdoe/moved-repo", "vision-lab/MovedRepo")
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, fixed, strict=True)) if a != b]
    assert changed == [7, 8, 9, 13]
    # After the fixes the same lock has nothing left to say about those entries.
    synced.write_text("\n".join(fixed) + "\n", encoding="utf-8")
    left = {(d.line, d.code) for d in _lint(synced)}
    assert left == {(10, "P802"), (11, "P803"), (12, "P804"), (14, "P804"), (15, "P801")}


def test_readme_fmt_fix_applies_them(synced: Path) -> None:
    from click.testing import CliRunner

    from readme_tools.cli.fmt import main as fmt

    result = CliRunner().invoke(fmt, ["--fix", str(synced)])
    assert result.exit_code == 1, result.output  # 1: changes made
    lines = synced.read_text(encoding="utf-8").splitlines()
    assert "NeurIPS2023 [Paper](https://arxiv.org/abs/2305.10001)" in lines[6]
    # each fix writes the tag in its entry's own style ("Arxiv 2023" -> "EMNLP 2023")
    assert "EMNLP 2023 [Paper](https://arxiv.org/abs/2310.20002)" in lines[7]
    assert "ICLR2024 [Paper]" in lines[8]
    assert "[Code](https://github.com/vision-lab/MovedRepo)" in lines[12]
    assert "arXiv2023 [Paper](https://arxiv.org/abs/2306.60006)" in lines[14]  # title-only


def test_report_only_run_still_says_which_are_fixable(synced: Path) -> None:
    found = _lint(synced, fixes=False)
    assert {d.line for d in found if d.fixable} == {7, 8, 9, 13}


def test_without_a_lock_nothing_is_reported(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(LIST.read_bytes())
    assert _lint(readme) == []


def test_an_untagged_entry_in_a_tagged_list_is_told_to_add_the_venue(synced: Path) -> None:
    text = synced.read_text(encoding="utf-8").replace(
        "Efficient Multimodal Reasoning. arXiv2023 [Paper]",
        "Efficient Multimodal Reasoning. [Paper]",
    )
    synced.write_text(text, encoding="utf-8")
    first = _lint(synced)[0]
    assert (first.line, first.code, first.fix) == (7, "P801", None)
    assert first.message.endswith("but the entry has no venue tag: add it")


def test_an_offline_lint_without_a_lock_does_not_load_the_metadata_layer(tmp_path: Path) -> None:
    import subprocess
    import sys

    readme = tmp_path / "README.md"
    readme.write_bytes(LIST.read_bytes())
    code = (
        "import sys\n"
        "from readme_tools.cli.lint import main\n"
        f"try:\n    main([{str(readme)!r}])\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('readme_tools.metadata')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in out.stdout  # the lock is looked for through readme_tools.lockpath
