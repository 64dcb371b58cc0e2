"""Opt-in online checks: dead links and arXiv metadata.

Nothing here touches the network unless one of the entry points is called, and
importing this package does not import aiohttp (install the ``online`` extra
to use the checks).  The pieces:

* :mod:`~readme_tools.online.settings` — :class:`OnlineSettings`, read from
  ``[tool.readme-tools.online]`` and the environment;
* :mod:`~readme_tools.online.netsafety` — which addresses we connect to;
* :mod:`~readme_tools.online._http` — the aiohttp session that enforces it
  (and why aiohttp);
* :mod:`~readme_tools.online.links` — :func:`check_links`;
* :mod:`~readme_tools.online.arxiv` — :func:`fetch_arxiv`, id parsing,
  :func:`venue_year_conflict`;
* :mod:`~readme_tools.online.titles` — :func:`compare_titles`;
* :mod:`~readme_tools.online.cache` — the JSON result cache.
"""

from readme_tools.identifiers import ArxivId
from readme_tools.online.arxiv import (
    ArxivLookup,
    ArxivRecord,
    arxiv_id_from_url,
    fetch_arxiv,
    fetch_arxiv_async,
    fetch_arxiv_detailed,
    parse_arxiv_id,
    venue_year_conflict,
)
from readme_tools.online.cache import ResultCache, open_cache
from readme_tools.online.links import LinkResult, LinkStatus, check_links, check_links_async
from readme_tools.online.settings import (
    DEFAULT_ARXIV_API,
    DEFAULT_GITHUB_API,
    OnlineSettings,
    Progress,
    default_cache_path,
    settings_from_config,
)
from readme_tools.online.titles import TitleMatch, compare_titles

__all__ = [
    "DEFAULT_ARXIV_API",
    "DEFAULT_GITHUB_API",
    "ArxivId",
    "ArxivLookup",
    "ArxivRecord",
    "LinkResult",
    "LinkStatus",
    "OnlineSettings",
    "Progress",
    "ResultCache",
    "TitleMatch",
    "arxiv_id_from_url",
    "check_links",
    "check_links_async",
    "compare_titles",
    "default_cache_path",
    "fetch_arxiv",
    "fetch_arxiv_async",
    "fetch_arxiv_detailed",
    "open_cache",
    "parse_arxiv_id",
    "settings_from_config",
    "venue_year_conflict",
]
