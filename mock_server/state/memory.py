"""The in-process `Store`: the default for one server process, with no dependency and no wait."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Iterable, Mapping, Sequence
from typing import Any

import orjson

from .store import Journaled
from .tokens import MintedToken

FOLLOW_BACKLOG = 1024  # entries a follower may fall behind by; past that it misses the newest


class MemoryStore:
    """Plain dicts and a bounded deque; every method finishes without suspending (but `follow`)."""

    def __init__(self, journal_size: int = 200) -> None:
        self.journal_size = journal_size
        self._journal: deque[Journaled] = deque(maxlen=journal_size)
        self._counters: dict[str, int] = {}
        self._tokens: dict[str, MintedToken] = {}
        self._deleted: set[str] = set()
        self._rules: dict[str, dict[str, Any]] = {}
        self._rules_version = 0
        self._coverage: dict[tuple[str, int], int] = {}
        self._followers: list[asyncio.Queue[Journaled]] = []
        self._resources: dict[str, dict[str, dict[str, Any]]] = {}  # collection → key → resource, in order
        self._preloaded = False

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def health(self) -> dict[str, Any]:
        return {"backend": "memory", "status": "up"}

    async def increment(self, key: str, amount: int = 1) -> int:
        value = self._counters.get(key, 0) + amount
        self._counters[key] = value
        return value

    async def count(self, key: str) -> int:
        return self._counters.get(key, 0)

    async def forget_count(self, key: str) -> None:
        self._counters.pop(key, None)

    async def save_token(self, token: str, minted: MintedToken) -> None:
        self._tokens[token] = minted

    async def find_token(self, token: str) -> MintedToken | None:
        return self._tokens.get(token)

    async def mark_deleted(self, path: str) -> None:
        self._deleted.add(path)

    async def is_deleted(self, path: str) -> bool:
        return bool(self._deleted) and path in self._deleted

    async def any_deleted(self) -> bool:
        return bool(self._deleted)

    async def restore(self, paths: Iterable[str]) -> None:
        self._deleted.difference_update(paths)

    async def save_resource(self, collection: str, key: str, resource: Mapping[str, Any]) -> bool:
        stored = self._resources.setdefault(collection, {})
        new = key not in stored
        stored[key] = _copy(resource)
        return new

    async def find_resource(self, collection: str, key: str) -> dict[str, Any] | None:
        found = self._resources.get(collection, {}).get(key)
        return _copy(found) if found is not None else None

    async def list_resources(self, collection: str) -> list[dict[str, Any]]:
        return _copy(list(self._resources.get(collection, {}).values()))

    async def delete_resource(self, collection: str, key: str) -> bool:
        return self._resources.get(collection, {}).pop(key, None) is not None

    async def preload_resources(self, resources: Mapping[str, Sequence[tuple[str, Mapping[str, Any]]]]) -> bool:
        if self._preloaded:
            return False
        self._preloaded = True
        for collection, items in resources.items():
            for key, resource in items:
                await self.save_resource(collection, key, resource)
        return True

    async def add_rule(self, rule: Mapping[str, Any]) -> bool:
        name = str(rule["name"])
        if name in self._rules:
            return False
        self._rules[name] = dict(rule)
        self._rules_version += 1
        return True

    async def remove_rule(self, name: str) -> bool:
        if self._rules.pop(name, None) is None:
            return False
        self._rules_version += 1
        return True

    async def runtime_rules(self) -> list[dict[str, Any]]:
        return list(self._rules.values())

    async def rules_version(self) -> int:
        return self._rules_version

    async def record(self, item: Journaled) -> None:
        self._journal.append(item)
        covers = item.covers
        if covers is not None:
            self._coverage[covers] = self._coverage.get(covers, 0) + 1
        if self._followers:  # nobody watching costs this test and nothing else
            for queue in self._followers:
                if not queue.full():
                    queue.put_nowait(item)

    async def follow(self) -> AsyncGenerator[dict[str, Any], None]:
        queue: asyncio.Queue[Journaled] = asyncio.Queue(FOLLOW_BACKLOG)
        self._followers.append(queue)
        try:
            while True:
                item = await queue.get()
                yield item.entry()
        finally:
            self._followers.remove(queue)

    async def coverage(self) -> dict[tuple[str, int], int]:
        return dict(self._coverage)

    async def recent(self, limit: int) -> list[dict[str, Any]]:
        items = list(self._journal)[-limit:] if limit > 0 else []
        return [item.entry() for item in reversed(items)]

    async def reset(self) -> None:
        self._journal.clear()
        self._coverage.clear()
        self._counters.clear()
        self._tokens.clear()
        self._deleted.clear()
        self._resources.clear()
        self._preloaded = False
        if self._rules:
            self._rules.clear()
            self._rules_version += 1


def _copy(value: Any) -> Any:
    """A deep copy of JSON data: what a shared store hands out (a fifth of `copy.deepcopy`'s time)."""
    return orjson.loads(orjson.dumps(value))
