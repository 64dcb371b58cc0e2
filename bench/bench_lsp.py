#!/usr/bin/env python3
"""Language-server latency: one-character edits in large lists, didChange to publishDiagnostics.

usage: python bench/bench_lsp.py [--entries 1000 20000] [--edits 30] [--gap 0.3]
                                 [--generator PATH] [--keep DIR]

For each size, generates a clean list (``../shared/tools/gen_biglist.py`` when it exists or
``--generator``; otherwise the project's own ``tests/lsp/biglist.py``, which makes an
equivalent list: same shape, about 15% fewer bytes per entry), starts
``python -m readme_tools.lsp`` (the ``lsp`` extra must be installed) and talks to it over
stdio with a minimal client that timestamps every message as it arrives. Then:

* open: didOpen to the first publishDiagnostics (a full lint that fills the parse cache);
* typing: ``--edits`` one-character edits (a character typed into an entry's title, then
  deleted, on entries spread over the list), ``--gap`` seconds apart, each timed from sending
  didChange to the publishDiagnostics of that version; median, 90th percentile, max;
* after a save: an edit sent 50 ms after didSave, which makes the server lint the whole
  list: the edit waits for that full lint (the worst case; the same happens when typing
  resumes just as the settling full lint after a pause has started);
* memory: the server's resident set after typing, and its peak (VmRSS, VmHWM).

Targets (issue #22): median within 100 ms for 1,000 entries, 500 ms for 20,000. A
benchmark, not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED_GENERATOR = ROOT.parent / "shared" / "tools" / "gen_biglist.py"
OWN_GENERATOR = ROOT / "tests" / "lsp" / "biglist.py"


class Client:
    """Just enough LSP over stdio to time diagnostics."""

    def __init__(self, command: list[str], log: Path | None = None) -> None:
        self.log = log.open("ab") if log is not None else None
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log if self.log is not None else subprocess.DEVNULL,
        )
        self.cond = threading.Condition()
        self.published: list[tuple[float, dict[str, Any]]] = []
        self.responses: dict[int, Any] = {}
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length))
            now = time.perf_counter()
            if message.get("method") == "textDocument/publishDiagnostics":
                with self.cond:
                    self.published.append((now, message["params"]))
                    self.cond.notify_all()
            elif "method" in message and "id" in message:  # a request from the server
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message:
                with self.cond:
                    self.responses[message["id"]] = message.get("result")
                    self.cond.notify_all()

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> float:
        """Send a notification; returns the time just before it was written."""
        started = time.perf_counter()
        self._send({"jsonrpc": "2.0", "method": method, "params": params})
        return started

    def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        self.next_id += 1
        ident = self.next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        with self.cond:
            if not self.cond.wait_for(lambda: ident in self.responses, timeout):
                raise TimeoutError(method)
            return self.responses.pop(ident)

    def diagnostics(self, uri: str, version: int, timeout: float = 120) -> tuple[float, int]:
        """(arrival time, number of findings) of the first publish for ``version``."""

        def found() -> tuple[float, int] | None:
            for when, params in self.published:
                if params["uri"] == uri and params.get("version") == version:
                    return when, len(params["diagnostics"])
            return None

        with self.cond:
            if not self.cond.wait_for(lambda: found() is not None, timeout):
                raise TimeoutError(f"no diagnostics for version {version}")
            result = found()
            assert result is not None
            return result

    def memory(self) -> tuple[float, float]:
        """(current, peak) resident set of the server in MiB."""
        fields = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            fields[name] = value.strip()

        def mib(name: str) -> float:
            return int(fields.get(name, "0 kB").split()[0]) / 1024

        return mib("VmRSS"), mib("VmHWM")

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=30)
            self.notify("exit", None)
            self.proc.wait(timeout=30)
        except (TimeoutError, subprocess.TimeoutExpired, BrokenPipeError):
            self.proc.kill()
            self.proc.wait()


def generate(entries: int, out: Path, generator: Path | None) -> str:
    if generator is None:
        generator = SHARED_GENERATOR if SHARED_GENERATOR.exists() else OWN_GENERATOR
    subprocess.run([sys.executable, str(generator), str(entries), "-o", str(out)], check=True)
    return generator.name


def position(line: str) -> int:
    """A UTF-16 column inside the entry's title (ASCII before it in generated lists)."""
    return line.index("**: ") + 6


def bench(entries: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    path = work / f"list-{entries}.md"
    used = generate(entries, path, args.generator)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    titles = [n for n, line in enumerate(lines) if line.startswith("- [x] **")]
    rng = random.Random(entries)
    command = [sys.executable, "-m", "readme_tools.lsp"]
    if args.server_log is not None:
        command += ["--log-level", "debug"]
    client = Client(command, args.server_log)
    uri = path.as_uri()
    try:
        client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": work.as_uri(),
                "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
            },
        )
        client.notify("initialized", {})
        sent = client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
        )
        arrived, count = client.diagnostics(uri, 1)
        opened = arrived - sent
        version = 1
        latencies = []
        line = titles[0]
        for index in range(args.edits):
            if index % 2 == 0:  # type a character in, then delete it
                line = rng.choice(titles)
            column = position(lines[line])
            start = {"line": line, "character": column}
            if index % 2 == 0:
                change = {"range": {"start": start, "end": start}, "text": "x"}
            else:
                end = {"line": line, "character": column + 1}
                change = {"range": {"start": start, "end": end}, "text": ""}
            version += 1
            sent = client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [change],
                },
            )
            arrived, _ = client.diagnostics(uri, version)
            latencies.append(arrived - sent)
            time.sleep(args.gap)
        rss, peak = client.memory()
        paused = []
        for _ in range(args.pauses):
            # Save (the server then lints the whole list), and type 50 ms later: the edit
            # waits for that full lint, which it can only stop between two rules.
            client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
            time.sleep(0.05)
            line = rng.choice(titles)
            start = {"line": line, "character": position(lines[line])}
            version += 1
            sent = client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": start, "end": start}, "text": "y"}],
                },
            )
            arrived, _ = client.diagnostics(uri, version)
            paused.append(arrived - sent)
            time.sleep(args.gap)
        _, peak = client.memory()
    finally:
        client.close()
    ordered = sorted(latencies)
    return {
        "entries": entries,
        "generator": used,
        "mib": len(text.encode("utf-8")) / 2**20,
        "findings": count,
        "open": opened,
        "median": statistics.median(latencies),
        "p90": ordered[int(0.9 * (len(ordered) - 1))],
        "max": ordered[-1],
        "paused": paused,
        "rss": rss,
        "peak": peak,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--gap", type=float, default=0.3, help="seconds between edits")
    parser.add_argument("--pauses", type=int, default=3, help="edits just after a save")
    parser.add_argument("--generator", type=Path, help="a gen_biglist.py-compatible script")
    parser.add_argument("--keep", type=Path, help="write the lists here and keep them")
    parser.add_argument("--server-log", type=Path, help="append the server's debug log here")
    args = parser.parse_args()
    try:
        import pygls  # noqa: F401
    except ImportError:
        print("bench: the server needs the lsp extra: pip install -e '.[lsp]'", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-lsp-"))
    work.mkdir(parents=True, exist_ok=True)
    target = {1000: 0.1, 20000: 0.5}
    try:
        for entries in args.entries:
            r = bench(entries, args, work)
            goal = target.get(entries)
            verdict = "" if goal is None else (" ok" if r["median"] <= goal else " MISSED")
            print(
                f"{r['entries']:>6} entries ({r['mib']:.1f} MiB, {r['generator']}, "
                f"{r['findings']} findings): open {r['open'] * 1000:.0f} ms; edit -> "
                f"diagnostics median {r['median'] * 1000:.0f} ms, p90 {r['p90'] * 1000:.0f} ms, "
                f"max {r['max'] * 1000:.0f} ms"
                + (f" (target {goal * 1000:.0f} ms{verdict})" if goal else "")
            )
            shown = ", ".join(f"{s * 1000:.0f}" for s in r["paused"])
            print(f"{'':8}edit just after a save (during a full lint): {shown} ms")
            print(f"{'':8}server memory: {r['rss']:.0f} MiB resident, peak {r['peak']:.0f} MiB")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
