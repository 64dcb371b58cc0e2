"""Throughput of the online checks against local fake servers (no network).

    python bench/online_throughput.py                       # 2000 links / 50 hosts / 100 ms
    python bench/online_throughput.py --links 400 --hosts 10 --arxiv-ids 300 --arxiv-interval 0.5

Links: one aiohttp server on 127.0.0.1 answers every request after ``--latency``
seconds; ``--hosts`` made-up host names are mapped to it by an injected
resolver, so the checker's per-host limits and spacing apply per name exactly
as they would on the internet.  The checker runs with its *default* settings
(per-host limit 4, spacing 0.1 s, total 100) except for the resolver, the
allow-list admitting the local server, and the cache (off).

arXiv: a fake API serving ``--arxiv-ids`` synthetic records, fetched in batches
of the default size (100) at ``--arxiv-interval`` (default: the real 3 s).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from readme_tools.online import OnlineSettings, check_links, fetch_arxiv  # noqa: E402


def _load_fakes() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fakes", ROOT / "tests" / "online" / "fakes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fakes"] = module
    spec.loader.exec_module(module)
    return module


def bench_links(fakes: ModuleType, links: int, hosts: int, latency: float) -> dict[str, float]:
    with fakes.ServerThread(fakes.link_app(latency=latency)) as srv:
        names = {f"host{i}.bench": ["127.0.0.1"] for i in range(hosts)}
        urls = [srv.url(f"/lat/{n}", host=f"host{n % hosts}.bench") for n in range(links)]
        settings = OnlineSettings(
            resolver=fakes.fake_resolver(names),
            allow_addresses=(srv.address,),
            use_cache=False,
        )
        start = time.monotonic()
        results = check_links(urls, settings)
        elapsed = time.monotonic() - start
        ok = sum(r.status == "ok" for r in results.values())
        max_per_host = srv.app[fakes.STATS].get("max_inflight_per_host", 0)
    return {
        "links": links,
        "hosts": hosts,
        "latency": latency,
        "seconds": elapsed,
        "ok": ok,
        "links_per_s": links / elapsed,
        "max_in_flight_per_host": max_per_host,
    }


def bench_arxiv(fakes: ModuleType, count: int, interval: float) -> dict[str, float]:
    records = [
        {
            "id": f"2401.{i:05d}",
            "version": 1,
            "title": f"Synthetic paper {i}",
            "published": "2024-01-15T12:00:00Z",
            "updated": "2024-01-15T12:00:00Z",
        }
        for i in range(1, count + 1)
    ]
    with fakes.ServerThread(fakes.arxiv_app(records)) as api:
        settings = OnlineSettings(
            arxiv_api=api.url("/api/query"),
            arxiv_interval=interval,
            allow_addresses=(api.address,),
            resolver=fakes.fake_resolver({}),
            use_cache=False,
        )
        start = time.monotonic()
        found = fetch_arxiv([str(r["id"]) for r in records], settings)
        elapsed = time.monotonic() - start
        starts = [r.at for r in api.requests]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    return {
        "ids": count,
        "found": sum(v is not None for v in found.values()),
        "requests": len(starts),
        "seconds": elapsed,
        "ids_per_s": count / elapsed,
        "min_gap_s": min(gaps) if gaps else 0.0,
        "interval": interval,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--arxiv-ids", type=int, default=1000)
    parser.add_argument("--arxiv-interval", type=float, default=3.0)
    parser.add_argument("--skip-arxiv", action="store_true")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=10.0,
        help="exit 1 if the link phase takes longer (the requirement for the defaults)",
    )
    args = parser.parse_args()
    fakes = _load_fakes()
    links = bench_links(fakes, args.links, args.hosts, args.latency)
    print(
        f"links: {links['links']} links / {links['hosts']} hosts / "
        f"{links['latency'] * 1000:.0f} ms latency: {links['seconds']:.2f} s "
        f"({links['links_per_s']:.0f} links/s, {links['ok']} ok, "
        f"max {links['max_in_flight_per_host']} in flight per host)"
    )
    if not args.skip_arxiv:
        ax = bench_arxiv(fakes, args.arxiv_ids, args.arxiv_interval)
        print(
            f"arxiv: {ax['ids']} ids in {ax['requests']} requests: {ax['seconds']:.2f} s "
            f"({ax['ids_per_s']:.1f} ids/s, min gap {ax['min_gap_s']:.2f} s "
            f"at interval {ax['interval']} s, {ax['found']} found)"
        )
    return 0 if links["seconds"] <= args.max_seconds else 1


if __name__ == "__main__":
    raise SystemExit(main())
