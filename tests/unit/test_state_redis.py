"""What only the shared store does: one process sees another's changes, Redis going away is a
quick `StateUnavailable`, and the store comes back by itself. Against a real redis-server."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mock_server.errors import StateUnavailable
from mock_server.state import new_token
from mock_server.state.redis import RedisStore
from tests.fixtures.redis_server import RedisServer, start_redis

Run = Callable[[Any], Any]


@pytest.fixture
def run() -> Iterator[Run]:
    with asyncio.Runner() as runner:
        yield runner.run


def two_stores(url: str, run: Run) -> tuple[RedisStore, RedisStore]:
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    first, second = RedisStore(url, prefix=prefix), RedisStore(url, prefix=prefix)
    run(first.open())
    run(second.open())
    return first, second


async def eventually(check: Callable[[], Any], seconds: float = 2.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = await check()
        if value or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.01)


def test_one_process_sees_what_another_changed(redis_server: RedisServer, run: Run) -> None:
    first, second = two_stores(redis_server.url, run)
    try:
        assert not run(second.any_deleted()) and run(second.rules_version()) == 0  # now cached in `second`
        token, minted = new_token(["read"], ttl=60)
        run(first.save_token(token, minted))
        run(first.mark_deleted("/pets/1"))
        run(first.add_rule({"name": "down", "status": 503}))
        assert run(second.find_token(token)) == minted
        assert run(eventually(lambda: second.is_deleted("/pets/1")))
        assert run(eventually(lambda: _not(second.rules_version(), 0)))
        run(first.reset())
        assert run(eventually(lambda: _none(second.find_token(token))))  # its cached copy is forgotten too
        assert run(eventually(lambda: _not(second.any_deleted(), True)))
    finally:
        run(first.close())
        run(second.close())


async def _not(awaitable: Any, value: Any) -> bool:
    return await awaitable != value


async def _none(awaitable: Any) -> bool:
    return await awaitable is None


def test_redis_gone_is_a_quick_error_and_the_store_recovers(run: Run) -> None:
    server = start_redis()
    store = RedisStore(server.url, prefix="gone")
    try:
        run(store.open())
        assert run(many_increments(store)) == list(range(1, 11))  # the pool now holds several connections
        server.stop()
        started = time.monotonic()
        with pytest.raises(StateUnavailable, match="unavailable"):
            run(store.increment("rule:a"))
        with pytest.raises(StateUnavailable):
            run(store.rules_version())  # fails at once: the store knows it is down
        assert time.monotonic() - started < 1.5
        health = run(store.health())
        assert health["status"] == "down" and health["error"]
        server.start()
        assert run(eventually(lambda: _up(store), seconds=5))
        assert run(many_increments(store)) == list(range(1, 11))  # a new, empty Redis; no connection from before
    finally:
        run(store.close())
        server.stop()


async def many_increments(store: RedisStore) -> list[int]:
    return sorted(await asyncio.gather(*(store.increment("rule:a") for _ in range(10))))


async def _up(store: RedisStore) -> bool:
    return (await store.health())["status"] == "up"


def test_an_unreachable_redis_at_start_is_not_fatal(run: Run) -> None:
    server = RedisServer(program="redis-server")  # a free port, nothing started on it
    store = RedisStore(server.url)
    try:
        started = time.monotonic()
        run(store.open())
        assert time.monotonic() - started < 3
        with pytest.raises(StateUnavailable):
            run(store.count("x"))
    finally:
        run(store.close())


def test_the_password_never_leaves_the_store() -> None:
    from mock_server.state.redis import redacted_url

    assert redacted_url("redis://user:s3cret@db:6380/1") == "redis://user:***@db:6380/1"
    assert redacted_url("redis://db:6379/0") == "redis://db:6379/0"


def test_stateful_resources_are_shared_preloaded_once_and_reset(redis_server: RedisServer, run: Run) -> None:
    first, second = two_stores(redis_server.url, run)
    try:
        data = {"/pets": [("1", {"id": 1, "name": "Rex"}), ("2", {"id": 2, "name": "Tom"})]}
        assert run(first.preload_resources(data)) and not run(second.preload_resources(data))  # the first one wins
        assert run(second.save_resource("/pets", "3", {"id": 3, "name": "Kit"}))
        assert not run(first.save_resource("/pets", "1", {"id": 1, "name": "Rex II"}))  # replaced, in its place
        assert [p["name"] for p in run(second.list_resources("/pets"))] == ["Rex II", "Tom", "Kit"]
        assert run(second.delete_resource("/pets", "2")) and not run(first.delete_resource("/pets", "2"))
        assert run(first.find_resource("/pets", "2")) is None and run(first.find_resource("/pets", "3"))["name"] == "Kit"
        run(second.reset())
        assert run(first.list_resources("/pets")) == [] and run(first.preload_resources(data))
    finally:
        run(first.close())
        run(second.close())


class Entry:
    covers = None  # (operation key, status) a journal record counts for coverage; none here

    def __init__(self, number: int) -> None:
        self.number = number

    def entry(self) -> dict[str, Any]:
        return {"n": self.number}


def test_a_reset_drops_what_other_processes_recorded_before_it(redis_server: RedisServer, run: Run) -> None:
    first, second = two_stores(redis_server.url, run)
    try:
        run(first.record(Entry(1)))  # still waiting in `first` to be written
        run(second.reset())
        assert run(first.recent(10)) == [] and run(second.recent(10)) == []

        async def recorded_after() -> bool:
            await first.record(Entry(2))
            return await second.recent(10) != []

        assert run(eventually(recorded_after))  # once `first` knows of the reset, it records again
    finally:
        run(first.close())
        run(second.close())


def test_a_follower_sees_every_process_requests_and_coverage_adds_them_up(redis_server: RedisServer, run: Run) -> None:
    """What the dashboard relies on with workers or replicas: one page follows one process, and sees
    the entries the others record; coverage counts are the sum of all of them."""
    first, second = two_stores(redis_server.url, run)

    class Covered(Entry):
        def __init__(self, number: int, covers: tuple[str, int]) -> None:
            super().__init__(number)
            self.covers = covers

    async def scenario() -> list[dict[str, Any]]:
        feed = first.follow()
        pending = asyncio.ensure_future(feed.__anext__())
        await asyncio.sleep(0.2)  # following from here on
        await second.record(Covered(1, ("c:op", 200)))
        seen = [await asyncio.wait_for(pending, 5)]
        await first.record(Covered(2, ("c:op", 503)))
        await second.record(Covered(3, ("c:op", 200)))
        seen += [await asyncio.wait_for(feed.__anext__(), 5), await asyncio.wait_for(feed.__anext__(), 5)]
        await feed.aclose()
        return seen

    try:
        seen = run(scenario())
        assert sorted(entry["n"] for entry in seen) == [1, 2, 3]
        assert run(first.coverage()) == run(second.coverage()) == {("c:op", 200): 2, ("c:op", 503): 1}
        run(second.reset())
        assert run(first.coverage()) == {}
    finally:
        run(first.close())
        run(second.close())
