#!/usr/bin/env python3
"""What a pre-commit hook costs: readme-lint's start-up and per-file latency (issue #23).

usage: python bench/bench_startup.py [--runs 11] [--list PATH]... [--no-20k] [--markdown]

Cases, each run --runs times in a fresh process (after one warm-up run that also writes the
bytecode cache) and reported as the median wall time:

- ``--version`` (start-up alone);
- the seed list, tests/fixtures/mllm-paper-reading.md (36 KB, 24 entries, mojibake);
- a large real list: tests/corpus/liliu-avril__Awesome-Segment-Anything.md (568 KB, 1,894
  entries, committed), and Xnhyacinth__Awesome-LLM-Long-Context-Modeling.md (458 KB, 1,525
  entries, the list issue #23 measured) when ../shared/corpora-dev has it; ``--list`` adds
  others;
- a generated 20,000-entry list (bench/gen_biglist.py, bundled).

Each case also runs rumdl (``rumdl check --no-cache``) and markdownlint-cli2 when they are on
PATH (``shutil.which``), on the same file with the same warm-up; the table gives their medians
and the ratio to readme-lint (ratio > 1: readme-lint is faster). The median CPU time (user +
system) of readme-lint is printed too: on a shared machine it moves less than wall time.
Children run without PYTHONDONTWRITEBYTECODE, as an installed tool does. A benchmark, not a
test: numbers depend on the machine; measure on an idle one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "bench" / "gen_biglist.py"
SEED = ROOT / "tests" / "fixtures" / "mllm-paper-reading.md"
REAL = ROOT / "tests" / "corpus" / "liliu-avril__Awesome-Segment-Anything.md"
ISSUE_LIST = "Xnhyacinth__Awesome-LLM-Long-Context-Modeling.md"
DEV_CORPUS = ROOT.parent / "shared" / "corpora-dev"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed tool has its bytecode cached
    return env


def run(cmd: Sequence[str], cwd: Path) -> tuple[float, float, int]:
    """(wall s, cpu s, exit code) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=_env()
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def medians(cmd: Sequence[str], runs: int, cwd: Path) -> tuple[float, float, int]:
    run(cmd, cwd)  # warm-up: bytecode, file cache
    results = [run(cmd, cwd) for _ in range(runs)]
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    return wall, cpu, results[-1][2]


def readme_lint() -> list[str]:
    found = shutil.which("readme-lint") or str(Path(sys.executable).parent / "readme-lint")
    if not Path(found).exists():
        sys.exit("readme-lint is not installed (pip install -e .)")
    return [found]


def others() -> dict[str, tuple[list[str], list[str]]]:
    """name -> (command for --version, command prefix for a file), for the tools installed."""
    tools: dict[str, tuple[list[str], list[str]]] = {}
    rumdl = shutil.which("rumdl")
    if rumdl:
        tools["rumdl"] = ([rumdl, "--version"], [rumdl, "check", "--no-cache"])
    cli2 = shutil.which("markdownlint-cli2")
    if cli2:
        tools["markdownlint-cli2"] = ([cli2, "--help"], [cli2])
    return tools


def dev_corpus(given: Path | None) -> Path:
    """--dev-corpus, else $README_TOOLS_DEV_CORPUS, else ../shared/corpora-dev of the checkout
    (or of the main checkout, for a git worktree beside it)."""
    if given is not None:
        return given
    if os.environ.get("README_TOOLS_DEV_CORPUS"):
        return Path(os.environ["README_TOOLS_DEV_CORPUS"])
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "corpora-dev").is_dir():
            return base / "shared" / "corpora-dev"
    return DEV_CORPUS


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--list", type=Path, action="append", default=[], help="another list")
    ap.add_argument("--no-20k", action="store_true", help="skip the generated 20k list")
    ap.add_argument("--dev-corpus", type=Path, default=None)
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = ap.parse_args()
    lint = readme_lint()
    tools = others()
    dev = dev_corpus(args.dev_corpus)
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)  # no config file of any tool applies there
        cases: list[tuple[str, Path | None]] = [("--version", None), ("seed (36 KB)", SEED)]
        cases.append(("liliu-avril (568 KB, 1,894 entries)", REAL))
        if (dev / ISSUE_LIST).is_file():
            cases.append(("Xnhyacinth (458 KB, 1,525 entries)", dev / ISSUE_LIST))
        cases += [(p.name, p.resolve()) for p in args.list]
        if not args.no_20k:
            big = cwd / "list20000.md"
            subprocess.run([sys.executable, str(GENERATOR), "20000", "-o", str(big)], check=True)
            cases.append(("generated 20k entries", big))
        header = ["case", "readme-lint s", "cpu s"]
        for name in tools:
            header += [f"{name} s", "ratio"]
        rows: list[list[str]] = []
        for label, path in cases:
            cmd = [*lint, "--version"] if path is None else [*lint, str(path)]
            wall, cpu, _ = medians(cmd, args.runs, cwd)
            row = [label, f"{wall:.3f}", f"{cpu:.3f}"]
            for version, prefix in tools.values():
                other = version if path is None else [*prefix, str(path)]
                their, _, _ = medians(other, args.runs, cwd)
                row += [f"{their:.3f}", f"{their / wall:.2f}"]
            rows.append(row)
            print(" | ".join(row), file=sys.stderr, flush=True)
    print(f"medians of {args.runs} runs; ratio = other tool / readme-lint")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            pairs = enumerate(zip(row, widths, strict=True))
            cells = [c.rjust(w) if i else c.ljust(w) for i, (c, w) in pairs]
            print("  ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
