"""The resources of `serve --stateful` on Redis, for `RedisStore`: one hash per collection.

A collection (a concrete route such as `/v2/users/alice/orders`) is the hash `<prefix>:res:<route>`,
field = the resource's key, value = `<order>:<json>`: `order` is taken from a counter the first time
a key is stored and kept when it is replaced, so listing in first-stored order is a sort, and saving
is one Lua call (atomic: two replicas saving the same new key agree on which one created it). Every
read is a round trip: resources are what `--stateful` requests are about, so nothing is cached.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import orjson
import redis.asyncio as redis

SAVE = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
local order
if old then order = string.match(old, '^(%d+):') else order = redis.call('INCR', KEYS[2]) end
redis.call('HSET', KEYS[1], ARGV[1], order .. ':' .. ARGV[2])
if old then return 0 end
return 1
"""


class RedisCollections:
    def __init__(self, client: redis.Redis, prefix: str, call: Callable[[Awaitable[Any]], Awaitable[Any]]) -> None:
        self.redis = client
        self.call = call  # RedisStore._call: bounded, and a failure marks the store down
        self.key_prefix = f"{prefix}:res:"
        self.order_key = f"{prefix}:res-order"
        self.preloaded_key = f"{prefix}:res-preloaded"
        self._save = client.register_script(SAVE)

    def _key(self, collection: str) -> str:
        return self.key_prefix + collection

    async def save(self, collection: str, key: str, resource: Mapping[str, Any]) -> bool:
        keys = [self._key(collection), self.order_key]
        return bool(await self.call(self._save(keys=keys, args=[key, orjson.dumps(resource)])))

    async def find(self, collection: str, key: str) -> dict[str, Any] | None:
        value = await self.call(self.redis.hget(self._key(collection), key))
        return orjson.loads(value.partition(b":")[2]) if value is not None else None

    async def list(self, collection: str) -> list[dict[str, Any]]:
        values = await self.call(self.redis.hvals(self._key(collection)))
        ordered = sorted((int(order), raw) for order, _, raw in (value.partition(b":") for value in values))
        return [orjson.loads(raw) for _, raw in ordered]

    async def delete(self, collection: str, key: str) -> bool:
        return bool(await self.call(self.redis.hdel(self._key(collection), key)))

    async def preload(self, resources: Mapping[str, Sequence[tuple[str, Mapping[str, Any]]]]) -> bool:
        """The first process to preload since the last reset stores them; the others change nothing."""
        if not await self.call(self.redis.set(self.preloaded_key, 1, nx=True)):
            return False
        for collection, items in resources.items():
            for key, resource in items:
                await self.save(collection, key, resource)
        return True
