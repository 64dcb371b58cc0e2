"""The facts each source contributes, as small records that go into the lock file.

Only what the rules read is kept: no citation counts, no push dates, nothing that changes
every week without changing a finding — so a scheduled sync of an unchanged list leaves the
lock untouched. Every record serialises to plain JSON (:meth:`Facts.to_json`) with empty
values left out, and reads back leniently (:meth:`Facts.from_json` ignores unknown keys, so a
lock written by a newer version still loads).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

F = TypeVar("F", bound="Facts")


@dataclass(frozen=True)
class Facts:
    """Base of the per-source records.  Fields equal to their default are not written."""

    source: ClassVar[str] = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            factory: Any = f.default_factory
            default = f.default if f.default is not dataclasses.MISSING else factory()
            if value == default:
                continue
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_json(cls: type[F], data: Mapping[str, Any]) -> F:
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            kind = str(f.type)
            if kind.startswith("tuple"):
                if not isinstance(value, list):
                    raise ValueError(f"{cls.source}.{f.name} must be a list")
                value = tuple(str(v) for v in value)
            elif kind.startswith("bool"):
                if not isinstance(value, bool):
                    raise ValueError(f"{cls.source}.{f.name} must be true or false")
            elif kind.startswith("int"):
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"{cls.source}.{f.name} must be an integer")
            elif kind.startswith("dict"):
                if not isinstance(value, dict):
                    raise ValueError(f"{cls.source}.{f.name} must be a table")
                value = {str(k): str(v) for k, v in value.items()}
            elif not isinstance(value, str):
                raise ValueError(f"{cls.source}.{f.name} must be a string")
            kwargs[f.name] = value
        return cls(**kwargs)


@dataclass(frozen=True)
class ArxivFacts(Facts):
    """The arXiv API record (latest version)."""

    source: ClassVar[str] = "arxiv"
    found: bool = True
    title: str = ""
    version: int = 0
    comment: str = ""
    journal_ref: str = ""
    doi: str = ""
    withdrawn: bool = False
    superseded_by: str = ""


@dataclass(frozen=True)
class S2Facts(Facts):
    """Semantic Scholar Graph API: the venue and the other identifiers of the paper."""

    source: ClassVar[str] = "s2"
    found: bool = True
    paper_id: str = ""
    title: str = ""
    venue: str = ""
    publication_venue: str = ""
    year: int = 0
    #: ``ArXiv``, ``DBLP``, ``DOI``, ``ACL`` of ``externalIds``.
    external_ids: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class DblpHit(Facts):
    """One dblp search hit whose title matches the entry's."""

    source: ClassVar[str] = "dblp"
    key: str = ""
    title: str = ""
    venue: str = ""
    year: int = 0
    type: str = ""
    doi: str = ""
    #: Electronic editions that identify the paper (arXiv and DOI links only).
    ee: tuple[str, ...] = ()


@dataclass(frozen=True)
class DblpFacts:
    """A dblp title search: the query and the hits whose title equals it."""

    source: ClassVar[str] = "dblp"
    query: str = ""
    hits: tuple[DblpHit, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"query": self.query}
        if self.hits:
            out["hits"] = [h.to_json() for h in self.hits]
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DblpFacts:
        hits = data.get("hits", [])
        if not isinstance(data.get("query", ""), str) or not isinstance(hits, list):
            raise ValueError("dblp must have a string query and a list of hits")
        if not all(isinstance(h, dict) for h in hits):
            raise ValueError("dblp hits must be tables")
        return cls(str(data.get("query", "")), tuple(DblpHit.from_json(h) for h in hits))


@dataclass(frozen=True)
class OpenReviewFacts(Facts):
    """An OpenReview note: venue string, venue id and the decision they encode."""

    source: ClassVar[str] = "openreview"
    found: bool = True
    id: str = ""
    title: str = ""
    venue: str = ""
    venueid: str = ""
    #: ``accepted``, ``rejected``, ``withdrawn``, ``desk-rejected`` or ``submitted``.
    decision: str = ""


@dataclass(frozen=True)
class CrossrefFacts(Facts):
    """Crossref ``/works/{doi}``: where the DOI's work appeared."""

    source: ClassVar[str] = "crossref"
    found: bool = True
    type: str = ""
    title: str = ""
    container: str = ""
    event: str = ""
    year: int = 0


@dataclass(frozen=True)
class GithubFacts(Facts):
    """GitHub ``/repos/{owner}/{repo}``: the repository's health."""

    source: ClassVar[str] = "github"
    found: bool = True
    #: The canonical ``owner/repo`` (differs from the link's after a rename or transfer).
    full_name: str = ""
    archived: bool = False
    #: ``size`` is 0: nothing was ever pushed.
    empty: bool = False
    #: ``parent.full_name`` when the repository is a fork.
    fork_of: str = ""


AnyFacts = Facts | DblpFacts

#: Lock record readers per source name.
READERS: Mapping[str, Any] = {
    "arxiv": ArxivFacts.from_json,
    "s2": S2Facts.from_json,
    "openreview": OpenReviewFacts.from_json,
    "crossref": CrossrefFacts.from_json,
    "dblp": DblpFacts.from_json,
    "github": GithubFacts.from_json,
}
