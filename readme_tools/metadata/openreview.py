"""OpenReview: ``GET <api2>/notes?id=<forum id>`` (API v2), then API v1 for older venues.

A v2 note's content fields are wrapped (``{"title": {"value": "…"}}``); v1's are plain
strings. ``venue`` reads "ICLR 2024 poster" for an accepted paper and "Submitted to ICLR
2024" otherwise; ``venueid`` is the bare venue (``ICLR.cc/2024/Conference``) when accepted
and carries a suffix (``/Rejected_Submission``, ``/Withdrawn_Submission``, …) when not —
the decision is read from those two fields
(:func:`~readme_tools.metadata.venuemap.openreview_decision`) without fetching the decision
note. A note that is not public answers 403 and counts as not
found.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from readme_tools.metadata.facts import OpenReviewFacts
from readme_tools.metadata.results import LookupFailed, Results
from readme_tools.metadata.venuemap import openreview_decision

if TYPE_CHECKING:
    from readme_tools.metadata.client import Answer, ApiClient


def _value(content: Mapping[str, Any], name: str) -> str:
    field = content.get(name)
    if isinstance(field, Mapping):
        field = field.get("value")
    return str(field) if isinstance(field, (str, int)) else ""


def parse_notes(data: Any, note_id: str) -> OpenReviewFacts | None:
    """The note ``note_id`` of a ``/notes`` answer (``None`` if it is not there)."""
    notes = data.get("notes") if isinstance(data, Mapping) else None
    if not isinstance(notes, list):
        return None
    for note in notes:
        if not isinstance(note, Mapping) or note.get("id") not in (note_id, None):
            continue
        content = note.get("content")
        if not isinstance(content, Mapping):
            continue
        venue, venueid = _value(content, "venue"), _value(content, "venueid")
        return OpenReviewFacts(
            id=str(note.get("id") or note_id),
            title=_value(content, "title"),
            venue=venue,
            venueid=venueid,
            decision=openreview_decision(venue, venueid),
        )
    return None


async def _ask(client: ApiClient, base: str, note_id: str) -> Answer:
    return await client.request(
        "openreview", "GET", f"{base.rstrip('/')}/notes?id={quote(note_id)}"
    )


async def fetch_openreview(client: ApiClient, ids: Mapping[str, str]) -> Results[OpenReviewFacts]:
    """``ids`` maps lock keys to forum ids."""
    results: Results[OpenReviewFacts] = Results()
    keys = list(ids)
    bases = (client.settings.endpoint("openreview"), client.settings.openreview_v1)
    for i, key in enumerate(keys):
        note_id = ids[key]
        found: OpenReviewFacts | None = None
        try:
            for base in bases:
                answer = await _ask(client, base, note_id)
                if answer.status == 200:
                    found = parse_notes(answer.data, note_id)
                elif answer.status not in (400, 403, 404):
                    raise LookupFailed(f"openreview: HTTP {answer.status}")
                if found is not None:
                    break
        except LookupFailed as exc:
            results.fail_all(keys[i:] if exc.fatal else [key], exc.reason)
            if exc.fatal:
                break
            continue
        results.found[key] = found or OpenReviewFacts(found=False, id=note_id)
    return results
