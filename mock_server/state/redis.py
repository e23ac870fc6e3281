"""`RedisStore`: the shared `Store` for several workers and replicas (`serve --state redis://…`).

Every worker and replica that names the same Redis and prefix gives the same answers: counters are
`HINCRBY` (atomic), runtime rules change in Lua scripts that bump a version and publish it, tokens
are keys that expire with the token (plus `TOKEN_GRACE_S`, so strict auth can still say "expired"),
deleted paths are a set, the journal is a capped stream with coverage counts beside it
(`redis_journal.py`), the resources of `--stateful` a hash per collection (`redis_collections.py`).

What most requests read (the runtime rules' version, the deleted paths, tokens seen before) is kept
in the process and invalidated by a pub/sub message that the change publishes, so a request pays no
round trip for it (a round trip costs ~40 µs of this process's CPU with redis-py, a third of a whole
request). The invalidation reaches every process before the answer to the change reaches its client:
before using a cached value, a request yields once to the event loop, so an invalidation that
arrived with (or before) the request is applied first (`_settle`).

Redis gone: every call fails within `COMMAND_TIMEOUT_S` (or at once, while the store knows it is
down) with `StateUnavailable`; a listener task reconnects, re-reads what was cached and marks the
store up again. The journal is written behind the answers in batches, and dropped while Redis is down.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import AsyncGenerator, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson
import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from ..errors import StateUnavailable
from .redis_collections import RedisCollections
from .redis_journal import RedisJournal
from .redis_scripts import ADD_RULE, REMOVE_RULE, RESET
from .store import Journaled
from .tokens import MintedToken

logger = logging.getLogger("mock_server")

DEFAULT_PREFIX = "mock-server"
# Bounds on every wait: a stopped Redis refuses at once; these are for one that stopped answering.
CONNECT_TIMEOUT_S = 2.0
COMMAND_TIMEOUT_S = 2.0
POOL_SIZE = 64
HEARTBEAT_S = 1.0  # the listener checks the connection this often when nothing happens
RECONNECT_DELAY_S = (0.1, 1.0)  # first and longest pause between reconnection attempts
TOKEN_GRACE_S = 3600  # an expired token is kept this long so strict auth can say "expired"
TOKEN_CACHE_SIZE = 4096

FAILURES = (RedisError, OSError, asyncio.TimeoutError)


def redacted_url(url: str) -> str:
    """The URL with its password replaced, for banners and health answers."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class RedisStore:
    """The `Store` on Redis, keys under `prefix:` so several mocks can share one Redis."""

    def __init__(self, url: str, prefix: str = DEFAULT_PREFIX, journal_size: int = 200) -> None:
        self.url = url
        self.prefix = prefix
        self.journal_size = journal_size
        pool = redis.BlockingConnectionPool.from_url(  # waits (bounded) for a free connection under load
            url, max_connections=POOL_SIZE, timeout=COMMAND_TIMEOUT_S, socket_connect_timeout=CONNECT_TIMEOUT_S,
            socket_timeout=COMMAND_TIMEOUT_S, retry_on_timeout=False,
            # once, at once, on a new connection: a pooled one may have died with a Redis that restarted
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        )
        self.redis = redis.Redis.from_pool(pool)
        key = f"{prefix}:".__add__
        self.counters_key, self.deleted_key, self.rules_key = key("counters"), key("deleted"), key("rules")
        self.version_key, self.journal_key, self.channel = key("rules:version"), key("journal"), key("events")
        self.epoch_key = key("epoch")  # counts resets: journal entries recorded before one are dropped
        self.token_prefix = key("token:")
        self._add_rule = self.redis.register_script(ADD_RULE)
        self._remove_rule = self.redis.register_script(REMOVE_RULE)
        self._reset = self.redis.register_script(RESET)
        self.collections = RedisCollections(self.redis, prefix, self._call)
        self._up = False
        self._error = "not connected yet"
        self._listener: asyncio.Task[None] | None = None
        self._first_attempt = asyncio.Event()  # set once the listener has tried to connect
        # Cached from Redis, kept fresh by the listener; None: not known, read it from Redis.
        self._version: int | None = None
        self._deleted: frozenset[str] | None = None
        self._generation = 0  # bumped by every invalidation, so a read that raced one is not cached
        self._tokens: dict[str, MintedToken] = {}
        # The journal and coverage, written behind the answers.
        self.journal = RedisJournal(self.redis, prefix, journal_size, self._call)
        self._flusher: asyncio.Task[None] | None = None

    # -- life cycle and health --------------------------------------------------------------

    async def open(self) -> None:
        """Start the listener and wait (bounded) for the first connection; a Redis that is not
        there yet is not an error: the store answers 503 until the listener reaches it."""
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="mock-server state listener")
            self._flusher = asyncio.create_task(self.journal.write_forever(StateUnavailable),
                                                name="mock-server journal writer")
        try:
            await asyncio.wait_for(self._first_attempt.wait(), CONNECT_TIMEOUT_S + COMMAND_TIMEOUT_S)
        except asyncio.TimeoutError:
            pass
        if not self._up:
            logger.warning("state: %s is not reachable (%s); answering 503 until it is", redacted_url(self.url), self._error)

    async def close(self) -> None:
        for task in (self._listener, self._flusher):
            if task is not None:
                task.cancel()
        for task in (self._listener, self._flusher):
            if task is not None:
                try:
                    await task
                except (asyncio.CancelledError, *FAILURES):
                    pass
        self._listener = self._flusher = None
        if self._up:
            try:
                await self.journal.flush()
            except StateUnavailable:
                pass
        await self.redis.aclose()

    async def health(self) -> dict[str, Any]:
        about = {"backend": "redis"}
        if self._up:
            try:
                await self.redis.ping()
            except FAILURES as exc:
                self._went_down(exc)
        if not self._up:
            return {**about, "status": "down", "error": self._error}
        return {**about, "status": "up"}

    def _went_down(self, exc: BaseException) -> None:
        if self._up:
            logger.warning("state: lost %s (%s); answering 503 until it is back", redacted_url(self.url), exc)
        self._up = False
        self._error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__

    def _unavailable(self) -> StateUnavailable:
        return StateUnavailable(f"the shared state (Redis at {redacted_url(self.url)}) is unavailable: {self._error}")

    async def _call(self, awaitable: Any) -> Any:
        """One command, bounded by the client's timeouts; a failure marks the store down."""
        if not self._up:
            await self._ensure_open()
            if not self._up:
                awaitable.close()
                raise self._unavailable()
        try:
            return await awaitable
        except FAILURES as exc:
            self._went_down(exc)
            raise self._unavailable() from None

    async def _ensure_open(self) -> None:
        if self._listener is None:
            await self.open()

    async def _settle(self) -> None:
        """Let an invalidation that reached this process with the request be applied first."""
        if not self._up:
            await self._ensure_open()
            if not self._up:
                raise self._unavailable()
        await asyncio.sleep(0)

    # -- the listener: invalidations, and the way back up -----------------------------------

    async def _listen(self) -> None:
        delay = RECONNECT_DELAY_S[0]
        while True:
            await self.redis.connection_pool.disconnect()  # no connection from before survives a reconnection
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self.journal.epoch = await self.redis.get(self.epoch_key) or b"0"
                self._invalidate_all()  # whatever changed while we were away
                self._up, self._error, delay = True, "", RECONNECT_DELAY_S[0]
                self._first_attempt.set()
                logger.info("state: connected to %s, prefix %r", redacted_url(self.url), self.prefix)
                while self._up:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=HEARTBEAT_S)
                    if message is not None:
                        self._apply(message["data"])
                    else:
                        await self.redis.ping()  # a Redis that stopped answering is noticed within a beat
            except asyncio.CancelledError:
                await _quietly(pubsub.aclose())
                raise
            except FAILURES as exc:
                self._went_down(exc)
            self._first_attempt.set()
            await _quietly(pubsub.aclose())
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_DELAY_S[1])

    def _apply(self, data: bytes | str) -> None:
        kind, _, value = (data.decode() if isinstance(data, bytes) else data).partition(" ")
        self._generation += 1
        if kind == "rules":
            self._version = int(value)
        elif kind == "deleted":
            self._deleted = None
        elif kind == "reset":
            version, _, epoch = value.partition(" ")
            self._invalidate_all()
            self.journal.forget()
            self._version, self.journal.epoch = int(version), epoch.encode()

    def _invalidate_all(self) -> None:
        self._generation += 1
        self._version = None
        self._deleted = None
        self._tokens.clear()

    # -- counters ------------------------------------------------------------------------------

    async def increment(self, key: str, amount: int = 1) -> int:
        return int(await self._call(self.redis.hincrby(self.counters_key, key, amount)))

    async def count(self, key: str) -> int:
        value = await self._call(self.redis.hget(self.counters_key, key))
        return int(value) if value is not None else 0

    async def forget_count(self, key: str) -> None:
        await self._call(self.redis.hdel(self.counters_key, key))

    # -- tokens --------------------------------------------------------------------------------

    def _token_key(self, token: str) -> str:
        """Tokens are credentials: Redis sees their hash, never the token itself."""
        return self.token_prefix + hashlib.sha256(token.encode()).hexdigest()

    async def save_token(self, token: str, minted: MintedToken) -> None:
        value = orjson.dumps({"scopes": minted.scopes, "expires_at": minted.expires_at, "client_id": minted.client_id})
        ttl = max(1, int(minted.expires_at - time.time()) + TOKEN_GRACE_S)
        await self._call(self.redis.set(self._token_key(token), value, ex=ttl))

    async def find_token(self, token: str) -> MintedToken | None:
        await self._settle()
        cached = self._tokens.get(token)
        if cached is not None:
            return cached
        generation = self._generation
        value = await self._call(self.redis.get(self._token_key(token)))
        if value is None:
            return None  # not cached: it may be minted elsewhere any moment
        data = orjson.loads(value)
        minted = MintedToken(tuple(data["scopes"]), float(data["expires_at"]), data.get("client_id", ""))
        if generation == self._generation:
            if len(self._tokens) >= TOKEN_CACHE_SIZE:
                self._tokens.clear()
            self._tokens[token] = minted
        return minted

    # -- deleted resources ---------------------------------------------------------------------

    async def _deleted_paths(self) -> frozenset[str]:
        await self._settle()
        deleted = self._deleted
        if deleted is not None:
            return deleted
        generation = self._generation
        deleted = frozenset(p.decode() for p in await self._call(self.redis.smembers(self.deleted_key)))
        if generation == self._generation:
            self._deleted = deleted
        return deleted

    async def _change_deleted(self, command: Any) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            command(pipe)
            pipe.publish(self.channel, "deleted")
            await self._call(pipe.execute())
        self._generation += 1
        self._deleted = None

    async def mark_deleted(self, path: str) -> None:
        await self._change_deleted(lambda pipe: pipe.sadd(self.deleted_key, path))

    async def is_deleted(self, path: str) -> bool:
        return path in await self._deleted_paths()

    async def any_deleted(self) -> bool:
        return bool(await self._deleted_paths())

    async def restore(self, paths: Iterable[str]) -> None:
        paths = list(paths)
        if paths:
            await self._change_deleted(lambda pipe: pipe.srem(self.deleted_key, *paths))

    # -- resources of --stateful (redis_collections.py) ----------------------------------------

    async def save_resource(self, collection: str, key: str, resource: Mapping[str, Any]) -> bool:
        return await self.collections.save(collection, key, resource)

    async def find_resource(self, collection: str, key: str) -> dict[str, Any] | None:
        return await self.collections.find(collection, key)

    async def list_resources(self, collection: str) -> list[dict[str, Any]]:
        return await self.collections.list(collection)

    async def delete_resource(self, collection: str, key: str) -> bool:
        return await self.collections.delete(collection, key)

    async def preload_resources(self, resources: Mapping[str, Sequence[tuple[str, Mapping[str, Any]]]]) -> bool:
        return await self.collections.preload(resources)

    # -- runtime rules -------------------------------------------------------------------------

    async def add_rule(self, rule: Mapping[str, Any]) -> bool:
        keys = [self.rules_key, self.version_key, self.channel]
        version = await self._call(self._add_rule(keys=keys, args=[str(rule["name"]), orjson.dumps(dict(rule))]))
        return bool(version)

    async def remove_rule(self, name: str) -> bool:
        return bool(await self._call(self._remove_rule(keys=[self.rules_key, self.version_key, self.channel], args=[name])))

    async def runtime_rules(self) -> list[dict[str, Any]]:
        stored = await self._call(self.redis.hvals(self.rules_key))
        ordered = sorted((int(seq), raw) for seq, _, raw in (value.partition(b":") for value in stored))
        return [orjson.loads(raw) for _, raw in ordered]

    async def rules_version(self) -> int:
        await self._settle()
        if self._version is None:
            generation = self._generation
            version = int(await self._call(self.redis.get(self.version_key)) or 0)
            if generation != self._generation:
                return version
            self._version = version
        return self._version

    # -- the journal ---------------------------------------------------------------------------

    async def record(self, item: Journaled) -> None:
        if self._up:
            self.journal.record(item)

    async def recent(self, limit: int) -> list[dict[str, Any]]:
        return await self.journal.recent(limit)

    def follow(self) -> AsyncGenerator[dict[str, Any], None]:
        return self.journal.follow(StateUnavailable)

    async def coverage(self) -> dict[tuple[str, int], int]:
        return await self.journal.coverage()

    # -- reset ---------------------------------------------------------------------------------

    async def reset(self) -> None:
        """Forget everything, for every process: tokens first, then the rest and the invalidation."""
        self.journal.forget()
        for prefix in (self.token_prefix, self.collections.key_prefix):
            await self._unlink_all(prefix)
        keys = [self.counters_key, self.deleted_key, self.rules_key, self.journal_key, self.collections.order_key,
                self.collections.preloaded_key, self.version_key, self.channel, self.epoch_key, self.journal.coverage_key]
        version, epoch = await self._call(self._reset(keys=keys))
        self._invalidate_all()
        self.journal.forget()
        self._version, self.journal.epoch = int(version), str(epoch).encode()

    async def _unlink_all(self, prefix: str) -> None:
        """Every key under `prefix` (tokens, collections), a batch of SCAN at a time."""
        cursor: int | str = 0
        match = prefix.replace("[", "\\[").replace("*", "\\*").replace("?", "\\?") + "*"
        while True:
            cursor, keys = await self._call(self.redis.scan(cursor, match=match, count=1000))
            if keys:
                await self._call(self.redis.unlink(*keys))
            if not cursor:
                break


async def _quietly(awaitable: Any) -> None:
    try:
        await awaitable
    except (asyncio.CancelledError, *FAILURES):
        pass
