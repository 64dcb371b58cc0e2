"""The development corpus and its labels stay coherent (bench/precision.py relies on both)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import (
    COMMITTED,
    DEV_SOURCES,
    LABELS,
    SEED,
    LabelError,
    all_labels,
    committed,
    read_labels,
    read_sources,
    sample_rank,
)
from readme_tools import registry

PERMISSIVE = {"MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "CC0-1.0"}


def test_every_committed_list_is_there_with_its_license_and_size() -> None:
    sources = committed()
    assert len(sources) >= 21
    for s in sources:
        path = COMMITTED / s.file
        assert path.is_file(), s.file
        data = path.read_bytes()
        assert len(data) == s.bytes, f"{s.file}: {len(data)} bytes, SOURCES.tsv says {s.bytes}"
        assert data.count(b"\n") == s.lines, s.file
        assert s.repo.count("/") == 1 and s.commit, s.file
        if s.license_file != "-":
            assert (COMMITTED / s.license_file).is_file(), s.license_file
            assert s.license in PERMISSIVE, f"{s.file}: {s.license} is not committed here"
        else:
            assert s.license == "none", f"{s.file}: no license file but license {s.license!r}"


def test_every_committed_list_has_a_row() -> None:
    listed = {s.file for s in committed()}
    on_disk = {p.name for p in COMMITTED.glob("*.md") if p.name != "README.md"}
    assert on_disk == listed


def test_dev_sources_record_full_commits_and_licenses() -> None:
    for s in read_sources(DEV_SOURCES):
        assert len(s.commit) == 40 and int(s.commit, 16) >= 0, s.file
        assert s.license, s.file  # any license: these lists are not committed
        assert s.layout, s.file


def line_counts() -> dict[str, int | None]:
    """Lines of every list a label file may name (None: an uncommitted list, not checked)."""
    counts: dict[str, int | None] = {
        s.file[:-3]: s.lines + 1
        for s in committed()  # +1: a last line without "\n"
    }
    counts[SEED.stem] = SEED.read_bytes().count(b"\n") + 1
    counts.update({s.file[:-3]: s.lines + 1 for s in read_sources(DEV_SOURCES)})
    return counts


def test_labels_name_a_list_a_line_in_it_and_a_registered_rule() -> None:
    names = set(registry.load().names)
    counts = line_counts()
    labels = all_labels()
    assert labels, "bench/labels is empty"
    for name, rows in labels.items():
        assert name in counts, f"{name}.tsv labels no corpus list"
        keys = set()
        for label in rows:
            where = f"{name}.tsv:{label.row}"
            assert label.rule in names, f"{where}: unknown rule {label.rule!r}"
            assert 1 <= label.line <= (counts[name] or 0), f"{where}: line {label.line}"
            assert label.verdict == "?" or label.category, f"{where}: no category"
            key = (label.line, label.rule, label.match)
            assert key not in keys, f"{where}: second label for {key}"
            keys.add(key)


def test_a_malformed_label_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.tsv"
    bad.write_text("line\trule\tverdict\tcategory\tnote\n12\twhitespace\tmaybe\tc\tn\n", "utf-8")
    with pytest.raises(LabelError, match=r"x\.tsv:2: verdict 'maybe'"):
        read_labels(bad)
    bad.write_text("line\trule\tverdict\tcategory\tnote\nten\twhitespace\ttrue\tc\tn\n", "utf-8")
    with pytest.raises(LabelError, match="not a number"):
        read_labels(bad)


def test_labels_parse_with_comments_and_the_optional_match_column(tmp_path: Path) -> None:
    path = tmp_path / "some-list.tsv"
    path.write_text(
        "# a comment\nline\trule\tverdict\tcategory\tnote\tmatch\n"
        "3\tarxiv-link\ttrue\tarxiv-version-suffix\tpinned\tversion\n\n"
        "3\tarxiv-link\tfalse\tpdf-convention\tlist links pdf\n",
        "utf-8",
    )
    first, second = read_labels(path)
    assert (first.list, first.line, first.match, first.row) == ("some-list", 3, "version", 3)
    assert (second.verdict, second.match) == ("false", "")


def test_the_warning_sample_order_is_fixed() -> None:
    assert sample_rank("a", "whitespace", 3) == sample_rank("a", "whitespace", 3)
    assert sample_rank("a", "whitespace", 3) != sample_rank("a", "whitespace", 4)


def test_labels_folder_holds_only_label_files() -> None:
    assert all(p.suffix == ".tsv" for p in LABELS.iterdir())
