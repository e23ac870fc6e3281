"""The state a running mock must keep between requests, in one object owned by the app.

Counters for rule sequences, token quotas, minted tokens and the request journal live here, so
`/__mock/reset` has one thing to clear and nothing else in the code base is mutable at run time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ServerState:
    journal_size: int = 200
    journal: deque[Any] = field(default_factory=deque)  # journal.py's records, redacted when read
    counters: dict[str, int] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    quotas: dict[str, dict[str, int]] = field(default_factory=dict)
    tokens: dict[str, Any] = field(default_factory=dict)  # minted token → security.MintedToken
    declared_scopes: tuple[str, ...] = ()  # every scope of the loaded contracts: a token's default grant

    def record(self, entry: Any) -> None:
        self.journal.append(entry)
        while len(self.journal) > self.journal_size:
            self.journal.popleft()

    def next_count(self, key: str) -> int:
        """How many times `key` has been seen before this call (0 on the first)."""
        count = self.counters.get(key, 0)
        self.counters[key] = count + 1
        return count

    def reset(self) -> None:
        self.journal.clear()
        self.counters.clear()
        self.deleted.clear()
        self.quotas.clear()
        self.tokens.clear()
