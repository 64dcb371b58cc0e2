"""GitHub REST API: ``GET /repos/{owner}/{repo}``.

``archived``, ``size`` (0 for a repository nothing was ever pushed to), ``fork`` with
``parent.full_name``, ``full_name`` and ``pushed_at``. A renamed or transferred repository
answers ``301`` with ``Location: https://api.github.com/repositories/<id>``; the safe session
follows it (credentials stay on the API origin) and ``full_name`` then gives the canonical
``owner/repo``. 404 means the repository is gone (or private). Without ``GITHUB_TOKEN`` the
API allows 60 requests an hour; the client stops when that quota is used up.

Only what the rules read is kept (not ``pushed_at`` or ``size``, which change with every
push and would churn the lock).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from readme_tools.metadata.facts import GithubFacts
from readme_tools.metadata.results import LookupFailed, Results

if TYPE_CHECKING:
    from readme_tools.metadata.client import ApiClient


def parse_repo(data: Any) -> GithubFacts:
    if not isinstance(data, Mapping) or not isinstance(data.get("full_name"), str):
        return GithubFacts(found=False)
    parent = data.get("parent")
    fork_of = ""
    if data.get("fork") and isinstance(parent, Mapping):
        fork_of = str(parent.get("full_name") or "")
    size = data.get("size")
    return GithubFacts(
        full_name=str(data["full_name"]),
        archived=bool(data.get("archived")),
        empty=size == 0,
        fork_of=fork_of,
    )


async def fetch_github(client: ApiClient, repos: Mapping[str, str]) -> Results[GithubFacts]:
    """``repos`` maps lock keys to ``owner/repo``."""
    results: Results[GithubFacts] = Results()
    base = client.settings.endpoint("github").rstrip("/")
    keys = list(repos)
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    for i, key in enumerate(keys):
        owner, _, name = repos[key].partition("/")
        url = f"{base}/repos/{quote(owner)}/{quote(name)}"
        try:
            answer = await client.request("github", "GET", url, headers=headers)
        except LookupFailed as exc:
            results.fail_all(keys[i:] if exc.fatal else [key], exc.reason)
            if exc.fatal:
                break
            continue
        if answer.status in (404, 410, 451):
            results.found[key] = GithubFacts(found=False)
        elif answer.status == 200:
            results.found[key] = parse_repo(answer.data)
        else:
            results.failed[key] = f"github: HTTP {answer.status}"
    return results
