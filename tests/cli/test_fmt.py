"""The ``readme-fmt`` command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from readme_tools.cli.fmt import main
from readme_tools.mojibake.codec import corrupt

from ..conftest import SEED
from ..mojibake.helpers import MOJIBAKE, requires_cjk

ZH_SUMMARIES = MOJIBAKE / "zh-summaries.md"

CANONICAL = (
    "# L\n\n## S\n\n"
    "- [x] **A**: Title a. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)\n\n  Summary.\n"
)


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def seed_copy(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    shutil.copy(SEED, path)
    return path


def test_default_prints_a_diff_and_exits_1(tmp_path: Path) -> None:
    path = seed_copy(tmp_path)
    code, out, _ = run(str(path))
    assert code == 1
    assert out.startswith(f"--- {path}\n+++ {path} (formatted)\n")
    assert "\n-  \n+\n" in out  # a whitespace-only line becomes blank
    assert path.read_bytes() == SEED.read_bytes()


def test_check_is_silent_on_stdout(tmp_path: Path) -> None:
    path = seed_copy(tmp_path)
    code, out, err = run("--check", str(path))
    assert (code, out, err) == (1, "", "")  # the exit code is the whole answer (README)


def test_fix_writes_then_nothing_is_left(tmp_path: Path) -> None:
    path = seed_copy(tmp_path)
    path.chmod(0o640)
    code, _, err = run("--fix", str(path))
    assert code == 1 and "reformatted" in err
    assert path.stat().st_mode & 0o777 == 0o640
    written = path.read_bytes()
    assert run("-w", str(path))[0] == 0
    assert path.read_bytes() == written
    assert run("--check", str(path))[0] == 0


def test_canonical_file_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(CANONICAL, encoding="utf-8")
    assert run(str(path)) == (0, "", "")


def test_stdin_to_stdout() -> None:
    code, out, _ = run(
        "--fix", "-", input=CANONICAL.replace("\n\n  Summary", "\n  \n  Summary").encode()
    )
    assert code == 1
    assert out == CANONICAL
    assert run("--fix", "-", input=CANONICAL.encode())[:2] == (0, CANONICAL)


def test_select_and_ignore(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(CANONICAL.replace("Summary.", "Summary.   "), encoding="utf-8")
    code, out, _ = run("--select", "whitespace", str(path))
    assert code == 1 and "-  Summary.   " in out
    code, _, err = run("--select", "no-such-rule", str(path))
    assert code == 2 and "unknown rule" in err


def test_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "missing.md"))
    assert code == 2 and err.count("\n") == 1 and "no such file" in err
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"# T\n\xff\xfe\n")
    code, _, err = run("--fix", str(bad))
    assert code == 2 and "not valid UTF-8" in err
    assert bad.read_bytes() == b"# T\n\xff\xfe\n"
    assert run("--check", "--fix", str(bad))[0] == 2


def test_review_file_is_written(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(CANONICAL, encoding="utf-8")
    review = tmp_path / "review.json"
    code, _, _ = run("--review", str(review), str(path))
    assert code == 0
    assert json.loads(review.read_text(encoding="utf-8")) == []


def test_help_teaches() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for needle in (
        "Examples:",
        "--check",
        "--fix",
        "--apply-uncertain",
        "--review",
        "--apply-review",
        "Exit status",
    ):
        assert needle in out


def test_bad_format_option_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(CANONICAL, encoding="utf-8")
    (tmp_path / ".readme-tools.toml").write_text('[format]\nmarkdown = "prettier"\n')
    code, _, err = run(str(path))
    assert code == 2
    assert "'markdown' must be one of 'mdformat', 'none', got a string ('prettier')" in err
    assert len(err.splitlines()) == 1 and err.startswith("readme-fmt: error: /")
    (tmp_path / ".readme-tools.toml").write_text('[format]\nmarkdown = "mdformat"\n')
    assert run(str(path))[0] == 0


def damaged_copy(tmp_path: Path) -> Path:
    """A small list of Chinese summaries damaged like the seed."""
    text = "\n".join(ZH_SUMMARIES.read_text(encoding="utf-8").split("\n")[:24]) + "\n"
    path = tmp_path / "zh.md"
    path.write_text(corrupt(text)[0], encoding="utf-8")
    return path


@requires_cjk
def test_review_then_apply_review(tmp_path: Path) -> None:
    path = damaged_copy(tmp_path)
    review = tmp_path / "review.json"
    code, _, err = run("--review", str(review), str(path))
    assert code == 1
    rows = json.loads(review.read_text(encoding="utf-8"))
    assert rows and f"{path}:{rows[0]['line']}:{rows[0]['column']}:" in err
    first = rows[0]
    assert f"[{first['chosen']}]" in first["context"] and first["context"] in err
    # The reviewer corrects the first choice and leaves the rest for later.
    other = first["alternatives"][1]["char"]
    first["chosen"] = other
    review.write_text(json.dumps([first], ensure_ascii=False), encoding="utf-8")
    left, _, right = first["context"].partition("[")
    right = right.partition("]")[2]
    code, _, err = run("--apply-review", str(review), "--fix", str(path))
    assert code == 1, err
    fixed = path.read_text(encoding="utf-8")
    assert left[-3:] + other + right[:3] in fixed
    # The file changed: the same review no longer fits, and nothing is written.
    code, _, err = run("--apply-review", str(review), "--fix", str(path))
    assert code == 2 and err.count("\n") == 1 and "edited since the review" in err
    assert path.read_text(encoding="utf-8") == fixed


def test_apply_review_rejects_bad_review_files(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(CANONICAL, encoding="utf-8")
    review = tmp_path / "review.json"
    for content, message in (
        ("{", "not a JSON review file"),
        ('{"a": 1}', "expected a JSON list"),
        ('[{"path": "a.md", "line": 0}]', "record 1: 'line' must be a positive integer"),
        (
            '[{"path": "a.md", "line": 1, "column": 1, "original": "x", "chosen": "ab"}]',
            "'chosen' must be one character",
        ),
    ):
        review.write_text(content, encoding="utf-8")
        code, _, err = run("--apply-review", str(review), "--fix", str(path))
        assert code == 2 and err.count("\n") == 1 and message in err, err
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert run("--apply-review", str(tmp_path / "missing.json"), str(path))[0] == 2


def test_apply_review_notes_records_for_other_files(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(CANONICAL, encoding="utf-8")
    review = tmp_path / "review.json"
    record = {"path": "other.md", "line": 3, "column": 1, "original": "ä¸", "chosen": "与"}
    review.write_text(json.dumps([record]), encoding="utf-8")
    code, _, err = run("--apply-review", str(review), str(path))
    assert code == 0 and "not applied (other.md)" in err
    review.write_text(json.dumps([{**record, "path": str(path)}]), encoding="utf-8")
    code, _, err = run("--apply-review", str(review), "--ignore", "mojibake", str(path))
    assert code == 2 and "--apply-review applies mojibake repairs" in err


@requires_cjk
def test_an_unreadable_word_trigram_model_is_a_note_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = damaged_copy(tmp_path)
    before = path.read_bytes()
    monkeypatch.setenv("README_TOOLS_ZH_LM", str(tmp_path / "zh_CN.lm"))
    code, _, err = run(str(path))  # notes go to stderr (--check prints nothing)
    assert code == 1
    assert f"language model not used: README_TOOLS_ZH_LM={tmp_path / 'zh_CN.lm'}" in err
    assert "no such file" in err and "Traceback" not in err
    assert path.read_bytes() == before


def test_an_unusable_neural_model_is_a_note_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = damaged_copy(tmp_path)
    before = path.read_bytes()
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF not really")
    monkeypatch.setenv("README_TOOLS_ZH_LM", str(model))
    code, _, err = run(str(path))
    assert code == 1
    note = next(line for line in err.splitlines() if "language model not used" in line)
    # Without llama-cpp-python it names the extra; with it, llama.cpp refuses the file.
    assert "model.gguf: " in note
    assert "cjk-neural" in note or "not a model llama.cpp can run" in note
    assert "Traceback" not in err
    assert path.read_bytes() == before
