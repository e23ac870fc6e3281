"""The `Store` contract, run against every implementation: what the pipeline relies on.

`memory` is the in-process default; `redis` runs against a real redis-server (fixture
`redis_server`), each test under a key prefix of its own, all calls of a test in one event loop.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mock_server.state import MemoryStore, Store, new_token

Run = Callable[[Any], Any]


class Item:
    def __init__(self, number: int, covers: tuple[str, int] | None = None) -> None:
        self.number = number
        self.covers = covers

    def entry(self) -> dict[str, Any]:
        return {"n": self.number}


@pytest.fixture(params=["memory", "redis"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def run() -> Iterator[Run]:
    with asyncio.Runner() as runner:
        yield runner.run


@pytest.fixture
def store(kind: str, run: Run, request: pytest.FixtureRequest) -> Iterator[Store]:
    if kind == "memory":
        yield MemoryStore(journal_size=3)
        return
    from mock_server.state.redis import RedisStore

    server = request.getfixturevalue("redis_server")
    redis_store = RedisStore(server.url, prefix=f"test-{uuid.uuid4().hex[:8]}", journal_size=3)
    run(redis_store.open())
    yield redis_store
    run(redis_store.close())


def test_counters_add_and_forget(store: Store, run: Run) -> None:
    assert run(store.count("rule:a")) == 0
    assert [run(store.increment("rule:a")) for _ in range(3)] == [1, 2, 3]
    assert run(store.increment("quota:t:input", 40)) == 40
    run(store.forget_count("rule:a"))
    assert (run(store.count("rule:a")), run(store.count("quota:t:input"))) == (0, 40)


def test_concurrent_increments_are_atomic(store: Store, run: Run) -> None:
    async def many() -> list[int]:
        return list(await asyncio.gather(*(store.increment("rule:c") for _ in range(20))))

    assert sorted(run(many())) == list(range(1, 21))


def test_tokens_are_found_with_their_grant(store: Store, run: Run) -> None:
    token, minted = new_token(["read", "write", "read"], ttl=60, client_id="me")
    run(store.save_token(token, minted))
    found = run(store.find_token(token))
    assert found is not None and found.scopes == ("read", "write") and found.client_id == "me" and not found.expired()
    assert run(store.find_token("never-minted")) is None


def test_an_expired_token_is_still_recognised_as_expired(store: Store, run: Run) -> None:
    token, minted = new_token(["read"], ttl=1, now=0.0)  # expired long ago
    run(store.save_token(token, minted))
    found = run(store.find_token(token))
    assert found is not None and found.expired()


def test_deleted_paths_until_restored(store: Store, run: Run) -> None:
    assert not run(store.any_deleted())
    run(store.mark_deleted("/pets/1"))
    assert run(store.is_deleted("/pets/1")) and not run(store.is_deleted("/pets/2")) and run(store.any_deleted())
    run(store.restore(["/pets/1", "/pets/3"]))
    assert not run(store.is_deleted("/pets/1")) and not run(store.any_deleted())


def test_runtime_rules_keep_their_order_and_names_are_unique(store: Store, run: Run) -> None:
    version = run(store.rules_version())
    assert run(store.add_rule({"name": "b", "status": 503}))
    assert run(store.add_rule({"name": "a", "status": 429}))
    assert not run(store.add_rule({"name": "b", "status": 500}))
    assert [r["name"] for r in run(store.runtime_rules())] == ["b", "a"]
    assert run(store.rules_version()) != version
    assert run(store.remove_rule("b")) and not run(store.remove_rule("b"))
    assert run(store.runtime_rules()) == [{"name": "a", "status": 429}]


def test_the_journal_is_capped_and_newest_first(store: Store, run: Run) -> None:
    for number in range(5):
        run(store.record(Item(number)))
    assert run(store.recent(10)) == [{"n": 4}, {"n": 3}, {"n": 2}]
    assert run(store.recent(1)) == [{"n": 4}]
    assert run(store.recent(0)) == []


def test_resources_by_collection_and_key_in_the_order_first_stored(store: Store, run: Run) -> None:
    assert run(store.list_resources("/pets")) == [] and run(store.find_resource("/pets", "1")) is None
    assert run(store.save_resource("/pets", "1", {"id": 1, "name": "Rex"}))
    assert run(store.save_resource("/pets", "2", {"id": 2, "name": "Tom"}))
    assert not run(store.save_resource("/pets", "1", {"id": 1, "name": "Rex II"}))  # replaced, in its place
    run(store.save_resource("/other/pets", "1", {"id": 1, "name": "Elsewhere"}))
    assert run(store.list_resources("/pets")) == [{"id": 1, "name": "Rex II"}, {"id": 2, "name": "Tom"}]
    assert run(store.find_resource("/other/pets", "1")) == {"id": 1, "name": "Elsewhere"}
    assert run(store.delete_resource("/pets", "1")) and not run(store.delete_resource("/pets", "1"))
    assert run(store.list_resources("/pets")) == [{"id": 2, "name": "Tom"}]


def test_resources_handed_out_are_copies(store: Store, run: Run) -> None:
    resource = {"id": 1, "tags": ["a"]}
    run(store.save_resource("/pets", "1", resource))
    resource["tags"].append("changed after saving")
    found = run(store.find_resource("/pets", "1"))
    assert found == {"id": 1, "tags": ["a"]}
    found["tags"].append("changed after reading")
    run(store.list_resources("/pets"))[0]["tags"].append("changed in a list")
    assert run(store.find_resource("/pets", "1")) == {"id": 1, "tags": ["a"]}


def test_a_preload_happens_once_until_a_reset(store: Store, run: Run) -> None:
    data = {"/pets": [("1", {"id": 1, "name": "Rex"})]}
    assert run(store.preload_resources(data))
    run(store.delete_resource("/pets", "1"))
    assert not run(store.preload_resources(data))  # a second worker's preload changes nothing
    assert run(store.find_resource("/pets", "1")) is None
    run(store.reset())
    assert run(store.find_resource("/pets", "1")) is None  # reset forgets; the app preloads again
    assert run(store.preload_resources(data))
    assert run(store.find_resource("/pets", "1")) == {"id": 1, "name": "Rex"}


def test_reset_forgets_everything(store: Store, run: Run) -> None:
    token, minted = new_token(["read"], ttl=60)
    run(store.save_token(token, minted))
    run(store.increment("rule:a"))
    run(store.mark_deleted("/pets/1"))
    run(store.add_rule({"name": "a", "status": 503}))
    run(store.record(Item(1, ("c:op", 200))))
    run(store.save_resource("/pets", "1", {"id": 1}))
    version = run(store.rules_version())
    run(store.reset())
    assert run(store.coverage()) == {}
    assert run(store.list_resources("/pets")) == []
    assert run(store.find_token(token)) is None
    assert run(store.count("rule:a")) == 0
    assert not run(store.is_deleted("/pets/1"))
    assert run(store.runtime_rules()) == [] and run(store.rules_version()) != version
    assert run(store.recent(10)) == []


def test_health_says_what_backs_the_store(store: Store, run: Run, kind: str) -> None:
    assert run(store.health())["backend"] == kind and run(store.health())["status"] == "up"


def test_coverage_counts_outlive_the_journal_cap(store: Store, run: Run) -> None:
    for number in range(5):
        run(store.record(Item(number, ("c:list", 200))))
    run(store.record(Item(5, ("c:list", 503))))
    run(store.record(Item(6, None)))  # routed nowhere: counted by no operation
    assert run(store.coverage()) == {("c:list", 200): 5, ("c:list", 503): 1}
    assert len(run(store.recent(10))) == 3  # the journal kept only its capacity


def test_a_follower_sees_each_entry_recorded_after_it_started(store: Store, run: Run) -> None:
    async def scenario() -> list[dict[str, Any]]:
        await store.record(Item(0))  # before following: not seen
        seen: list[dict[str, Any]] = []
        feed = store.follow()
        first = asyncio.ensure_future(feed.__anext__())
        await asyncio.sleep(0.05)  # the follower is waiting
        await store.record(Item(1))
        seen.append(await asyncio.wait_for(first, 2))
        await store.record(Item(2))
        await store.record(Item(3))
        seen.append(await asyncio.wait_for(feed.__anext__(), 2))
        seen.append(await asyncio.wait_for(feed.__anext__(), 2))
        await feed.aclose()
        await store.record(Item(4))  # after it stopped: nothing kept for it
        return seen

    assert run(scenario()) == [{"n": 1}, {"n": 2}, {"n": 3}]
