"""`mock-server serve --stateful --data FILE` over the wire: a client's whole session with a
collection (create, read, list, patch, delete, 404), then `/__mock/reset` back to the preload; and
the same collections shared by two workers on Redis."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx
import pytest
import yaml

from tests.fixtures.redis_server import RedisServer
from tests.fixtures.server import TEST_CONTRACTS, start_server

pytestmark = pytest.mark.e2e

CUSTOMERS = "/shop/acme/customers"


def test_a_stateful_session(tmp_path: Path) -> None:
    data = tmp_path / "data.yaml"
    data.write_text(yaml.safe_dump({CUSTOMERS: [{"id": 1, "name": "Preloaded Paula", "status": "active"}]}))
    server = start_server("--contracts", str(TEST_CONTRACTS / "shop"), "--stateful", "--data", str(data), "--quiet")
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            assert [c["name"] for c in client.get(CUSTOMERS).json()["data"]] == ["Preloaded Paula"]

            made = client.post(CUSTOMERS, json={"name": "Alice Liddell", "status": "active", "password": "wonderland"})
            assert made.status_code == 201
            alice = made.json()
            assert alice["name"] == "Alice Liddell" and alice["id"] == 2 and "password" not in alice
            assert client.get(f"{CUSTOMERS}/2").json() == alice
            listed = client.get(f"{CUSTOMERS}?status=active&pageSize=1&page=2").json()
            assert [c["name"] for c in listed["data"]] == ["Alice Liddell"] and listed["meta"]["total"] == 2

            patched = client.patch(f"{CUSTOMERS}/2", json={"status": "blocked"},
                                   headers={"content-type": "application/merge-patch+json"})
            assert patched.json() == {**alice, "status": "blocked"}
            assert client.get(f"{CUSTOMERS}/2").json()["status"] == "blocked"

            assert client.delete(f"{CUSTOMERS}/2").status_code == 204
            gone = client.get(f"{CUSTOMERS}/2")
            assert gone.status_code == 404 and set(gone.json()) == {"code", "message"}
            client.delete(f"{CUSTOMERS}/1")
            assert client.get(CUSTOMERS).json()["data"] == []

            assert client.post("/__mock/reset").status_code == 200
            assert [c["name"] for c in client.get(CUSTOMERS).json()["data"]] == ["Preloaded Paula"]
            assert client.get(f"{CUSTOMERS}/2").status_code == 404
    finally:
        server.stop()


def test_two_workers_share_the_collections_on_redis(redis_server: RedisServer, tmp_path: Path) -> None:
    data = tmp_path / "data.yaml"
    data.write_text(yaml.safe_dump({CUSTOMERS: [{"id": 1, "name": "Preloaded Paula", "status": "active"}]}))
    server = start_server("--contracts", str(TEST_CONTRACTS / "shop"), "--stateful", "--data", str(data), "--quiet",
                          "--workers", "2", "--state", redis_server.url, "--state-prefix", f"stateful-{uuid.uuid4().hex[:8]}",
                          timeout=60)
    fresh = httpx.Client(base_url=server.url, timeout=10, limits=httpx.Limits(max_keepalive_connections=0))
    try:  # a new connection per request: the two workers take turns at random
        pids: set[int] = set()
        deadline = time.monotonic() + 30
        while len(pids) < 2 and time.monotonic() < deadline:
            pids.add(fresh.get("/__mock/health").json()["pid"])
        assert len(pids) == 2
        made = [fresh.post(CUSTOMERS, json={"name": f"Customer {n}", "status": "active"}).json()["id"] for n in range(8)]
        assert sorted(made) == list(range(2, 10))  # one id counter for both workers, no id handed out twice
        for _ in range(10):  # whichever worker answers, it knows every customer, the preloaded one once
            names = [c["name"] for c in fresh.get(f"{CUSTOMERS}?pageSize=50").json()["data"]]
            assert names == ["Preloaded Paula", *(f"Customer {n}" for n in range(8))]
        fresh.delete(f"{CUSTOMERS}/1")
        assert {fresh.get(f"{CUSTOMERS}/1").status_code for _ in range(6)} == {404}
        assert fresh.post("/__mock/reset").status_code == 200
        assert {len(fresh.get(CUSTOMERS).json()["data"]) for _ in range(6)} == {1}  # back to the preload, for both
    finally:
        fresh.close()
        server.stop()
