"""What a source client returns: facts per key, and the keys that could not be looked up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


class LookupFailed(Exception):
    """A request that could not be answered (network, quota, budget); ``reason`` says why.

    ``fatal`` means the whole source is unreachable (refused by the address policy, no such
    host, budget gone): the caller stops asking it.
    """

    def __init__(self, reason: str, fatal: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fatal = fatal


@dataclass
class Results(Generic[T]):
    """``found`` holds a record for every key the source answered (a "not found" answer is a
    record too); ``failed`` the keys it could not answer, with the reason. A failed key keeps
    its old facts in the lock."""

    found: dict[str, T] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def fail_all(self, keys: list[str], reason: str) -> None:
        for key in keys:
            if key not in self.found:
                self.failed.setdefault(key, reason)
