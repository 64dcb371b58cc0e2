"""A small version of bench/online_throughput.py (2,000 links / 50 hosts there)."""

from __future__ import annotations

import time

from readme_tools.online import OnlineSettings, check_links

from .fakes import STATS, ServerThread, fake_resolver, link_app


def test_many_hosts_are_checked_concurrently_with_default_limits() -> None:
    hosts, per_host, latency = 20, 10, 0.1
    with ServerThread(link_app(latency=latency)) as srv:
        names = {f"h{i}.test": ["127.0.0.1"] for i in range(hosts)}
        urls = [srv.url(f"/lat/{n}", host=f"h{n % hosts}.test") for n in range(hosts * per_host)]
        settings = OnlineSettings(
            resolver=fake_resolver(names), allow_addresses=(srv.address,), use_cache=False
        )
        start = time.monotonic()
        results = check_links(urls, settings)
        elapsed = time.monotonic() - start
        assert all(r.status == "ok" for r in results.values())
        assert srv.app[STATS]["max_inflight_per_host"] <= settings.per_host_limit
    # Serially this is 200 x 0.1 s = 20 s; per-host spacing alone needs 10 x 0.1 s.
    assert elapsed < 3.0, elapsed
