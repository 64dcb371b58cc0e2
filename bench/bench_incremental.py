#!/usr/bin/env python3
"""Incremental lint benchmark: one changed entry in a 20k-entry list.

Builds a git repository holding a clean synthetic list (``bench/gen_biglist.py``),
commits it, breaks one entry in the middle, then times (wall clock, best of ``--repeat``
runs, each a fresh ``readme-lint`` process, so start-up is included):

- ``readme-lint big.md``                                   full lint
- ``readme-lint --changed-since HEAD --no-cache big.md``   incremental, nothing cached (CI's
  first run): every chunk is parsed
- ``readme-lint --changed-since HEAD big.md``              incremental with the parse cache an
  earlier run left (a pre-commit hook, a local run): only the changed chunk is parsed
- ``rumdl check --no-cache big.md``                        for reference, when rumdl is on PATH

The cache lives in a temporary ``README_TOOLS_CACHE_DIR``.

usage: python3 bench/bench_incremental.py [--entries 20000] [--repeat 5] [--keep DIR]
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
GENERATOR = ROOT / "bench" / "gen_biglist.py"  # bundled: no ../shared needed


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)


def best_of(
    cmd: list[str], cwd: Path, repeat: int
) -> tuple[float, subprocess.CompletedProcess[str]]:
    times = []
    result = run(cmd, cwd)
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(cmd, cwd)
        times.append(time.perf_counter() - start)
    return min(times), result


def findings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("big.md:")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()
    if not GENERATOR.exists():
        print(f"bench: {GENERATOR} not found", file=sys.stderr)
        return 2
    lint = shutil.which(
        "readme-lint",
        path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    if lint is None:
        print("bench: readme-lint is not installed in this environment", file=sys.stderr)
        return 2

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    work.mkdir(parents=True, exist_ok=True)
    env_git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    big = work / "big.md"
    subprocess.run([sys.executable, str(GENERATOR), str(args.entries), "-o", str(big)], check=True)
    run(["git", "init", "-q"], work)
    run(["git", "add", "big.md"], work)
    run([*env_git, "commit", "-q", "-m", "list"], work)

    # Break one entry in the middle: drop the ':' after its bold name and respell its box.
    lines = big.read_text(encoding="utf-8").split("\n")
    index = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("- [x] **"))
    lines[index] = lines[index].replace("- [x] **", "- [X] **", 1).replace("**:", "**", 1)
    big.write_text("\n".join(lines), encoding="utf-8")

    size = big.stat().st_size / 2**20
    print(f"list: {args.entries} entries, {size:.1f} MiB; changed line {index + 1}")
    os.environ["README_TOOLS_CACHE_DIR"] = str(work / "cache")
    incremental = [lint, "--changed-since", "HEAD", "big.md"]
    full_time, full = best_of([lint, "big.md"], work, args.repeat)
    cold_time, cold = best_of([*incremental, "--no-cache"], work, args.repeat)
    warm_time, warm = best_of(incremental, work, args.repeat)  # its first run fills the cache
    for label, seconds, result in (
        ("full", full_time, full),
        ("--changed-since HEAD, cold", cold_time, cold),
        ("--changed-since HEAD, cached", warm_time, warm),
    ):
        print(f"readme-lint {label + ':':30} {seconds:6.3f} s  ({len(findings(result))} findings)")
    for line in findings(warm):
        print(f"    {line}")
    expected = sorted(f for f in findings(full) if f.startswith(f"big.md:{index + 1}:"))
    if sorted(findings(cold)) != expected or sorted(findings(warm)) != expected:
        print(
            "bench: incremental findings differ from the full run's on the changed line",
            file=sys.stderr,
        )
        return 1
    rumdl = shutil.which("rumdl")
    if rumdl:
        rumdl_time, _ = best_of([rumdl, "check", "--no-cache", "big.md"], work, args.repeat)
        print(f"{'rumdl check --no-cache:':42} {rumdl_time:6.3f} s")
    else:
        print("rumdl: not on PATH (reference figure: about 0.8 s on this list)")
    if args.keep is None:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
