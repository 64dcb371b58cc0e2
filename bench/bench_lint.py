#!/usr/bin/env python3
"""Benchmark readme-lint on generated paper lists (1k, 5k, 20k entries).

usage: python bench/bench_lint.py [--sizes 1000,5000,20000] [--runs 3] [--generator PATH]
                                  [-- EXTRA readme-lint ARGS]

Lists come from bench/gen_biglist.py (or --generator). Each size is linted --runs
times in a fresh process; the best wall time, its CPU time and the peak RSS are reported, plus
the 20k/1k time ratio (linear scaling would be 20). Also times the bundled seed list, and the
largest list with trailing whitespace on every line (a fixable finding per line: the cost of
findings and their fixes, which the clean generated lists do not show). A benchmark, not a
test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GENERATOR = ROOT / "bench" / "gen_biglist.py"  # bundled: no ../shared needed
SEED = ROOT / "tests" / "fixtures" / "mllm-paper-reading.md"


def run(cmd: list[str]) -> tuple[float, float, int, int]:
    """(wall s, cpu s, peak RSS MiB, exit code) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, int(usage.ru_maxrss / 1024), code


def best_of(cmd: list[str], runs: int) -> tuple[float, float, int, int]:
    results = [run(cmd) for _ in range(runs)]
    return min(results, key=lambda r: r[0])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    ap.add_argument("extra", nargs="*", help="extra readme-lint arguments (after --)")
    args = ap.parse_args()
    found = shutil.which("readme-lint") or str(Path(sys.executable).parent / "readme-lint")
    lint = found if Path(found).exists() else sys.exit("readme-lint is not installed")
    if not args.generator.is_file():
        sys.exit(f"generator not found: {args.generator} (pass --generator)")
    sizes = [int(s) for s in args.sizes.split(",")]
    times: dict[int, float] = {}
    print(f"{'list':>14} {'MB':>6} {'wall s':>7} {'cpu s':>7} {'RSS MiB':>8} exit")
    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu, rss, code = best_of([lint, *args.extra, str(SEED)], args.runs)
        mb = SEED.stat().st_size / 1e6
        print(f"{'seed (24)':>14} {mb:6.2f} {wall:7.3f} {cpu:7.3f} {rss:8d} {code}")
        for n in sizes:
            path = Path(tmp) / f"list{n}.md"
            subprocess.run(
                [sys.executable, str(args.generator), str(n), "-o", str(path)], check=True
            )
            wall, cpu, rss, code = best_of([lint, *args.extra, str(path)], args.runs)
            times[n] = wall
            size = path.stat().st_size / 1e6
            print(f"{n:>14} {size:6.2f} {wall:7.3f} {cpu:7.3f} {rss:8d} {code}")
        dirty = Path(tmp) / "dirty.md"
        lines = path.read_text(encoding="utf-8").split("\n")
        dirty.write_text("\n".join(line + "  " if line else line for line in lines), "utf-8")
        wall, cpu, rss, code = best_of([lint, *args.extra, str(dirty)], args.runs)
        label = f"{sizes[-1]} dirty"
        size = dirty.stat().st_size / 1e6
        print(f"{label:>14} {size:6.2f} {wall:7.3f} {cpu:7.3f} {rss:8d} {code}")
    if len(sizes) > 1:
        lo, hi = min(sizes), max(sizes)
        print(f"ratio {hi}/{lo}: {times[hi] / times[lo]:.1f} (linear: {hi / lo:.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
