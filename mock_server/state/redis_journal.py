"""The journal and contract coverage of `RedisStore`: written behind the answers, read by everyone.

Entries are queued in the process and sent in one Lua call per batch (`APPEND_JOURNAL`: a capped
stream, `XADD MAXLEN`), with the batch's coverage counts (`HINCRBY` on a hash), unless a reset came
since they were recorded. Coverage is counted apart from the queue, so a burst that overflows the
queue (whose entries the capped journal would drop anyway) still counts every request.

`follow` reads the stream with `XREAD BLOCK` from the last entry there when it starts: every
worker's and replica's entries, as each batch lands (a few ms behind the answers).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

import orjson
import redis.asyncio as redis

from .redis_scripts import APPEND_JOURNAL
from .store import Journaled

# The journal is sent this long after its first unsent entry, with every entry gathered meanwhile:
# one entry per round trip cost ~65 µs of CPU a request, a batch costs a few per entry.
JOURNAL_BATCH_S = 0.005
FOLLOW_BLOCK_MS = 1000  # under the client's socket timeout (2 s): a blocked read is not a dead Redis
FOLLOW_RETRY_S = 1.0  # a follower's pause when Redis is gone, before it reads again
FOLLOW_BATCH = 100


class RedisJournal:
    def __init__(self, client: redis.Redis, prefix: str, size: int, call: Callable[[Any], Awaitable[Any]]) -> None:
        self.redis = client
        self.size = size
        self.journal_key, self.epoch_key, self.coverage_key = f"{prefix}:journal", f"{prefix}:epoch", f"{prefix}:coverage"
        self.epoch = b"0"  # resets so far, as this process last heard: a batch of an older epoch is dropped
        self._call = call
        self._append = client.register_script(APPEND_JOURNAL)
        self._pending: deque[Journaled] = deque(maxlen=size)
        self._covered: dict[tuple[str, int], int] = {}
        self._flush_wanted = asyncio.Event()
        self._flush_lock = asyncio.Lock()

    def record(self, item: Journaled) -> None:
        """Queue the entry; `write_forever` sends the queue in one round trip soon after."""
        self._pending.append(item)
        covers = item.covers
        if covers is not None:
            self._covered[covers] = self._covered.get(covers, 0) + 1
        self._flush_wanted.set()

    def forget(self) -> None:
        """What is queued was recorded before a reset: it is not sent."""
        self._pending.clear()
        self._covered.clear()

    async def write_forever(self, unavailable: type[Exception]) -> None:
        while True:
            await self._flush_wanted.wait()
            await asyncio.sleep(JOURNAL_BATCH_S)
            self._flush_wanted.clear()
            try:
                await self.flush()
            except unavailable:
                self.forget()  # Redis is down: the journal misses these

    async def flush(self) -> None:
        async with self._flush_lock:
            if not self._pending and not self._covered:
                return
            items, covered = list(self._pending), self._covered
            self._pending.clear()
            self._covered = {}
            # serialised (and redacted) here, behind the answers
            entries = [orjson.dumps(item.entry(), default=str, option=orjson.OPT_NON_STR_KEYS) for item in items]
            counts: list[Any] = []
            for (key, status), count in covered.items():
                counts += [orjson.dumps([key, status]), count]
            keys = [self.journal_key, self.epoch_key, self.coverage_key]
            await self._call(self._append(keys=keys, args=[self.size, self.epoch, len(covered), *counts, *entries]))

    async def recent(self, limit: int) -> list[dict[str, Any]]:
        if limit <= 0:
            return []
        await self.flush()
        entries = await self._call(self.redis.xrevrange(self.journal_key, count=min(limit, self.size)))
        return [orjson.loads(fields[b"e"]) for _, fields in entries]

    async def coverage(self) -> dict[tuple[str, int], int]:
        await self.flush()
        counts = await self._call(self.redis.hgetall(self.coverage_key))
        found: dict[tuple[str, int], int] = {}
        for field, count in counts.items():
            key, status = orjson.loads(field)
            found[(key, int(status))] = int(count)
        return found

    async def follow(self, unavailable: type[Exception]) -> AsyncGenerator[dict[str, Any], None]:
        await self.flush()  # what this process recorded before following is not new
        newest = await self._call(self.redis.xrevrange(self.journal_key, count=1))
        last: bytes | str = newest[0][0] if newest else "0-0"
        while True:
            try:
                found = await self._call(self.redis.xread({self.journal_key: last}, count=FOLLOW_BATCH,
                                                          block=FOLLOW_BLOCK_MS))
            except unavailable:
                await asyncio.sleep(FOLLOW_RETRY_S)
                continue
            for _, messages in found or []:
                for message_id, fields in messages:
                    last = message_id
                    yield orjson.loads(fields[b"e"])
