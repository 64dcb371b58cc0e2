"""Paper metadata that stays true: sources, the committed lock file, ``readme-tools sync``.

One small client per source, each endpoint overridable (``README_TOOLS_<SOURCE>_API``):

* :mod:`.arxiv` — the arXiv API (title, versions, comment: withdrawn / superseded by,
  journal-ref, DOI), through the existing client :mod:`readme_tools.online.arxiv`;
* :mod:`.s2` — Semantic Scholar Graph API, ``POST /graph/v1/paper/batch`` (venue, externalIds);
* :mod:`.dblp` — dblp ``/search/publ/api`` (JSON), by title;
* :mod:`.openreview` — OpenReview API v2 notes (venue string, venue id, decision);
* :mod:`.crossref` — Crossref ``/works/{doi}``;
* :mod:`.github` — GitHub ``/repos/{owner}/{repo}`` (archived, empty, fork, renames).

They share :mod:`.client` (the safe HTTP session of :mod:`readme_tools.online`, per-source
rate limits, ``Retry-After``, quotas) and :mod:`.settings` (endpoints, secrets and who may
set them). :mod:`.sync` runs them; :mod:`.lock` is the committed lock file; :mod:`.evidence`
and :mod:`.findings` turn facts into the findings of :mod:`readme_tools.rules.metadata`.

Importing this package (or any module but :mod:`.client` and :mod:`.sync`'s ``gather``) does
not import aiohttp: an offline lint reads the lock and nothing else.
"""
