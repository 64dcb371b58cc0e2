"""Throughput of ``readme-tools sync`` against local fakes of every metadata API (no network).

    python bench/bench_metadata.py                     # 2,000 papers, time scale 1/50
    python bench/bench_metadata.py --scale 1           # the real limits and latencies (~40 min)
    python bench/bench_metadata.py --papers 500 --scale 0.1

A synthetic list of ``--papers`` entries (every one with an arXiv id; 60 % tagged arXiv, the
rest CVPR; half with a GitHub code link; 5 % with an OpenReview link) is synced against one
local aiohttp server that plays every API, each under its own made-up host name (so per-host
limits apply per source, as on the internet). Semantic Scholar knows 40 % of the papers by a
dblp conference key and 30 % by a DOI (which Crossref then answers); the rest are preprints,
and dblp is searched for the arXiv-tagged ones among them.

The sources run with their *documented* limits (see ``readme_tools.metadata.settings.LIMITS``)
and realistic answer times (``LATENCY``), both multiplied by ``--scale`` so that the run is
short while every ratio stays the same. The bound printed is the time those limits allow
for the requests made: per source, ``(n - 1) * max(interval, latency / concurrency) +
latency``; stage 1 (arXiv, Semantic Scholar, OpenReview, GitHub, in parallel) then stage 2
(Crossref and dblp, which need stage 1's answers). The run passes when it takes less than the
bound plus 20 %.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from readme_tools.config import Config  # noqa: E402
from readme_tools.engine import lint_source  # noqa: E402
from readme_tools.metadata.settings import metadata_settings  # noqa: E402
from readme_tools.metadata.sync import gather  # noqa: E402
from readme_tools.metadata.targets import collect  # noqa: E402
from readme_tools.source import decode  # noqa: E402
from tests.metadata.fakes import FakeData, endpoints, metadata_app, requests_of  # noqa: E402
from tests.online.fakes import ServerThread, fake_resolver  # noqa: E402

#: Typical answer times of the real APIs (seconds), before ``--scale``.
LATENCY = {
    "arxiv": 0.8,
    "s2": 1.5,
    "openreview": 0.3,
    "github": 0.15,
    "crossref": 0.3,
    "dblp": 0.3,
}
STAGES = (("arxiv", "s2", "openreview", "github"), ("crossref", "dblp"))
HOSTS = {s: f"{s}.bench" for s in LATENCY}


def synthetic(n: int) -> tuple[str, FakeData]:
    """The list's markdown and every API's answers."""
    data = FakeData()
    lines = ["# Synthetic list", "", "## Papers", ""]
    for i in range(1, n + 1):
        ident = f"2401.{i:05d}"
        title = f"Synthetic Paper {i}: Efficient Multimodal Reasoning Variant {i}"
        data.arxiv[ident] = {
            "id": ident,
            "version": 1,
            "title": title,
            "published": "2024-01-15T12:00:00Z",
            "updated": "2024-01-15T12:00:00Z",
        }
        ext: dict[str, Any] = {"ArXiv": ident, "CorpusId": 260000000 + i}
        paper: dict[str, Any] = {"paperId": f"{i:040x}", "title": title, "year": 2024}
        kind = i % 10
        if kind < 4:
            ext["DBLP"] = f"conf/cvpr/Author{i}24"
            paper["venue"] = "Computer Vision and Pattern Recognition"
        elif kind < 7:
            doi = f"10.1109/cvpr.2024.{i:05d}"
            ext["DOI"] = doi
            paper["venue"] = ""
            data.crossref[doi] = {
                "status": "ok",
                "message-type": "work",
                "message": {
                    "DOI": doi,
                    "type": "proceedings-article",
                    "title": [title],
                    "container-title": [
                        "2024 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"
                    ],
                    "issued": {"date-parts": [[2024, 6]]},
                },
            }
        else:
            ext["DBLP"] = f"journals/corr/abs-2401-{i:05d}"
            paper["venue"] = "arXiv.org"
        paper["externalIds"] = ext
        data.s2[f"ARXIV:{ident}"] = paper
        venue = "arXiv2024" if i % 5 < 3 else "CVPR2024"
        links = f"[Paper](https://arxiv.org/abs/{ident})"
        if i % 20 == 0:
            note = f"OR{i:08d}"
            data.openreview[note] = {
                "notes": [
                    {
                        "id": note,
                        "content": {
                            "title": {"value": title},
                            "venue": {"value": "ICLR 2024 poster"},
                            "venueid": {"value": "ICLR.cc/2024/Conference"},
                        },
                    }
                ]
            }
            links += f" [OpenReview](https://openreview.net/forum?id={note})"
        if i % 2 == 0:
            repo = f"lab{i}/repo{i}"
            data.github[repo] = {
                "full_name": repo,
                "archived": i % 50 == 0,
                "size": 100,
                "fork": False,
            }
            links += f" [Code](https://github.com/{repo})"
        lines.append(f"- [x] **P{i}**: {title}. {venue} {links}")
    return "\n".join(lines) + "\n", data


def bound(settings: Any, counts: dict[str, int], scale: float) -> tuple[float, dict[str, float]]:
    per: dict[str, float] = {}
    for source, n in counts.items():
        if not n:
            continue
        limit = settings.limit(source)
        latency = LATENCY[source] * scale
        step = max(limit.interval, latency / limit.concurrency)
        per[source] = (n - 1) * step + latency
    total = sum(max((per.get(s, 0.0) for s in stage), default=0.0) for stage in STAGES)
    return total, per


def run(papers: int, scale: float) -> int:
    text, data = synthetic(papers)
    doc, _ = lint_source(decode(text.encode(), "bench.md"), [], Config())
    targets, repos = collect([doc])
    latency = {s: LATENCY[s] * scale for s in LATENCY}
    with ServerThread(metadata_app(data, latency=latency)) as srv:
        urls = {k: v for k, v in endpoints(srv).items()}
        for key in list(urls):
            source = key.removesuffix("_api").split("_")[0]
            urls[key] = urls[key].replace("127.0.0.1", HOSTS.get(source, "openreview.bench"))
        settings = metadata_settings(
            {},
            **urls,
            resolver=fake_resolver({h: ["127.0.0.1"] for h in HOSTS.values()}),
            allow_addresses=(srv.address,),
            github_token="bench-token",  # 5,000 requests an hour: the quota is not the limit
            rate_scale=scale,
            use_cache=False,
            budget=7200.0,
        )
        settings = settings.replace(
            token_origins=frozenset({f"http://{HOSTS['github']}:{srv.port}"})
        )
        start = time.monotonic()
        gathered = asyncio.run(gather(targets, repos, settings))
        elapsed = time.monotonic() - start
        log = requests_of(srv)
    counts = {s: len(log.get(s, [])) for s in LATENCY}
    allowed, per = bound(settings, counts, scale)
    failed = sum(len(v) for v in gathered.failed.values())
    print(
        f"papers: {len(targets)}, repositories: {len(repos)}, scale: {scale:g}, "
        f"failed lookups: {failed}"
    )
    for source in LATENCY:
        limit = settings.limit(source)
        print(
            f"  {source:10} {counts[source]:5d} requests  interval {limit.interval:7.3f} s  "
            f"latency {LATENCY[source] * scale:6.3f} s  bound {per.get(source, 0.0):8.2f} s"
        )
    ratio = elapsed / allowed if allowed else math.inf
    print(
        f"sync: {elapsed:.2f} s; the limits allow {allowed:.2f} s -> {ratio:.3f}x "
        f"(at the real limits: {elapsed / scale / 60:.1f} min of {allowed / scale / 60:.1f} min)"
    )
    return 0 if failed == 0 and ratio < 1.2 else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument(
        "--scale", type=float, default=0.02, help="multiplies every interval and latency"
    )
    args = parser.parse_args()
    return run(args.papers, args.scale)


if __name__ == "__main__":
    raise SystemExit(main())
