"""What hot reload (`serve --watch`) did, kept for the dashboard and told to whoever follows.

The reloading itself (watching files, building the new contracts, swapping them in) lives in
`mock_server/watch/`, above the app; this is only its record, which the admin endpoints read.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

HISTORY = 50
FOLLOW_BACKLOG = 64


@dataclass(frozen=True, slots=True)
class ReloadReport:
    files: tuple[str, ...]  # what changed on disk
    ok: bool
    error: str | None = None  # a broken edit: the previous version goes on serving
    added: tuple[str, ...] = ()  # operations (METHOD path (operationId)) now served
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()  # contracts whose document differs
    rules: int | None = None  # rules in the rules file after the reload
    examples: int | None = None  # recorded examples served after the reload
    seconds: float = 0.0
    time: float = field(default_factory=time.time)

    def describe(self) -> dict[str, Any]:
        return {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.time)),
            "files": list(self.files),
            "ok": self.ok,
            "error": self.error,
            "operations_added": list(self.added),
            "operations_removed": list(self.removed),
            "contracts_changed": list(self.changed),
            "rules": self.rules,
            "examples": self.examples,
            "seconds": round(self.seconds, 3),
        }


class Reloads:
    """The last reloads, newest last; followers get each new one as it happens."""

    def __init__(self) -> None:
        self.history: deque[ReloadReport] = deque(maxlen=HISTORY)
        self._followers: list[asyncio.Queue[ReloadReport]] = []

    def add(self, report: ReloadReport) -> None:
        self.history.append(report)
        for queue in self._followers:
            if not queue.full():
                queue.put_nowait(report)

    def recent(self) -> list[dict[str, Any]]:
        return [report.describe() for report in reversed(self.history)]

    async def follow(self) -> AsyncGenerator[dict[str, Any], None]:
        queue: asyncio.Queue[ReloadReport] = asyncio.Queue(FOLLOW_BACKLOG)
        self._followers.append(queue)
        try:
            while True:
                yield (await queue.get()).describe()
        finally:
            self._followers.remove(queue)
