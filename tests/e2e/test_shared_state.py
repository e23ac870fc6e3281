"""Scale out without changing answers: replicas and workers on one real redis-server.

The replicas are the container's own command line (the Dockerfile's ENTRYPOINT + CMD, with its
ENV), run as two local processes on two ports; requests alternate between them as a load balancer
would. Every state a request can change is checked from the other side.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from mock_server.check.session import MockProcess, free_port, wait_until_healthy
from tests.fixtures.redis_server import RedisServer, start_redis
from tests.fixtures.server import BUNDLED, ROOT, TEST_CONTRACTS, RunningServer, start_server

pytestmark = pytest.mark.e2e

ADMIN_TOKEN = "e2e-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CONTRACTS = (BUNDLED, TEST_CONTRACTS / "control", TEST_CONTRACTS / "crud" / "openapi.yaml")
RULES = """
rules:
  - name: flaky
    match: {operationId: createItem, params: {kind: flaky}}
    sequence: [503, 503, ok]
"""
QUOTA_INPUT_TOKENS = 10  # a few requests of "a red bicycle" cross it
TEXTS_BODY = {"prompt": "a red bicycle"}
TOKEN_FORM = {"grant_type": "client_credentials", "client_id": "e2e", "client_secret": "x"}


# -- the container's command line ------------------------------------------------------------------

def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    instructions, pending = [], ""
    for line in path.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip().removesuffix("\\") + " " if line.rstrip().endswith("\\") else line
        if not line.rstrip().endswith("\\"):
            keyword, _, arguments = pending.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
            pending = ""
    return instructions


def container_command() -> tuple[list[str], dict[str, str]]:
    """The Dockerfile's ENTRYPOINT + CMD (exec form) and its ENV, with `mock-server` from this venv."""
    found = dict(dockerfile_instructions(ROOT / "Dockerfile"))
    command = json.loads(found["ENTRYPOINT"]) + json.loads(found["CMD"])
    env = {}
    for keyword, arguments in dockerfile_instructions(ROOT / "Dockerfile"):
        if keyword == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(arguments))
    assert command[0] == "mock-server"
    return [str(Path(sys.executable).with_name("mock-server")), *command[1:]], env


def test_the_container_recipe() -> None:
    command, env = container_command()
    assert command[1:] == ["serve", "--host", "0.0.0.0"]
    assert env["MOCK_SERVER_CONTRACTS"] == "/contracts"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.12-slim" in dockerfile and "\nUSER mock" in dockerfile and "/__mock/health" in dockerfile
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    mocks = [name for name, service in compose["services"].items() if service.get("build")]
    assert len(mocks) == 2 and "redis" in compose["services"]
    assert compose["services"][mocks[0]]["environment"]["MOCK_SERVER_STATE"].startswith("redis://redis:")
    balancer = (ROOT / "deploy" / "nginx.conf").read_text()
    assert all(f"server {name}:8000" in balancer for name in mocks)


def launch_replicas(count: int, redis_url: str, prefix: str, rules: Path) -> list[MockProcess]:
    """`count` container command lines at once, each on its own port, all on one Redis and prefix."""
    command, image_env = container_command()
    replicas = []
    for _ in range(count):
        port = free_port()
        env = {**os.environ, **image_env, "MOCK_SERVER_PORT": str(port),
               "MOCK_SERVER_CONTRACTS": os.pathsep.join(str(c) for c in CONTRACTS),  # the image's /contracts, here
               "MOCK_SERVER_STATE": redis_url, "MOCK_SERVER_STATE_PREFIX": prefix, "MOCK_SERVER_ADMIN_TOKEN": ADMIN_TOKEN,
               "MOCK_SERVER_AUTH": "strict", "MOCK_SERVER_RULES": str(rules), "MOCK_SERVER_QUIET": "1",
               "MOCK_SERVER_QUOTA_INPUT_TOKENS": str(QUOTA_INPUT_TOKENS)}
        log = Path(tempfile.mkstemp(prefix="mock-replica-", suffix=".log")[1])
        with log.open("wb") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        replicas.append(MockProcess(process, f"http://127.0.0.1:{port}", log))
    for replica in replicas:
        if not wait_until_healthy(f"{replica.url}/__mock/health", 60, replica.process):
            tails = "\n".join(r.tail() for r in replicas)
            for r in replicas:
                r.stop()
            raise RuntimeError(f"a replica did not start:\n{tails}")
    return replicas


class Pair:
    """Two replicas and a client for each; `a` and `b` name them."""

    def __init__(self, replicas: list[MockProcess], redis: RedisServer) -> None:
        self.replicas, self.redis = replicas, redis
        self.a, self.b = (httpx.Client(base_url=r.url, timeout=10) for r in replicas)

    def mint(self, client: httpx.Client) -> str:
        answer = client.post("/oauth/token", data=TOKEN_FORM)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    def close(self) -> None:
        self.a.close()
        self.b.close()
        for replica in self.replicas:
            replica.stop()
        self.redis.stop()


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    rules = tmp_path_factory.mktemp("rules") / "rules.yaml"
    rules.write_text(RULES)
    redis = start_redis()  # this module's own: one test stops and restarts it
    try:
        replicas = launch_replicas(2, redis.url, f"e2e-{uuid.uuid4().hex[:8]}", rules)
    except BaseException:
        redis.stop()
        raise
    running = Pair(replicas, redis)
    yield running
    running.close()


def item(client: httpx.Client, kind: str, token: str) -> int:
    return client.post(f"/control/items/{kind}", json={"name": "n"}, headers={"Authorization": f"Bearer {token}"}).status_code


# -- answers do not depend on the replica ------------------------------------------------------------

def test_a_token_minted_on_one_replica_is_accepted_by_the_other(pair: Pair) -> None:
    token = pair.mint(pair.a)
    assert [item(pair.b, "plain", token) for _ in range(100)].count(201) == 100
    assert item(pair.a, "plain", pair.mint(pair.b)) == 201
    assert item(pair.b, "plain", "never-minted-here") == 401


def test_a_sequence_keeps_its_order_across_replicas(pair: Pair) -> None:
    pair.a.post("/__mock/reset", headers=ADMIN)  # the sequence starts from its first step
    token = pair.mint(pair.a)
    assert [item(client, "flaky", token) for client in (pair.a, pair.b, pair.a, pair.b)] == [503, 503, 201, 201]


def test_a_quota_crosses_its_limit_at_the_same_request_whichever_replica_counts(pair: Pair) -> None:
    token = pair.mint(pair.a)
    headers = {"Authorization": f"Bearer {token}"}

    def statuses(tenant: str, clients: list[httpx.Client]) -> list[int]:
        return [c.post(f"/ai-service/{tenant}/texts", json=TEXTS_BODY, headers=headers).status_code for c in clients]

    alternating = statuses(f"alt-{uuid.uuid4().hex[:6]}", [pair.a, pair.b] * 3)
    one_replica = statuses(f"one-{uuid.uuid4().hex[:6]}", [pair.a] * 6)
    assert alternating == one_replica  # the same request crosses the limit
    assert alternating[0] == 200 and alternating[-1] == 403 and alternating == sorted(alternating)


def test_runtime_rules_deletions_and_the_journal_are_shared(pair: Pair) -> None:
    token = pair.mint(pair.b)
    rule = {"name": f"down-{uuid.uuid4().hex[:6]}", "match": {"operationId": "createItem", "params": {"kind": "ruled"}},
            "status": 503}
    assert pair.a.post("/__mock/rules", json=rule, headers=ADMIN).status_code == 201
    assert item(pair.b, "ruled", token) == 503
    assert pair.b.delete(f"/__mock/rules/{rule['name']}", headers=ADMIN).status_code == 200
    assert item(pair.a, "ruled", token) == 201

    book = f"/books/{uuid.uuid4()}"
    assert pair.b.get(book).status_code == 200
    assert pair.a.delete(book).status_code == 204
    assert pair.b.get(book).status_code == 404

    marker = f"/books/{uuid.uuid4()}"
    pair.a.get(marker)
    deadline = time.monotonic() + 2  # written behind the answer, in batches
    while time.monotonic() < deadline:
        paths = [e["path"] for e in pair.b.get("/__mock/requests", headers=ADMIN).json()["requests"]]
        if marker in paths:
            break
        time.sleep(0.02)
    assert marker in paths


def test_reset_on_one_replica_clears_everything_for_both(pair: Pair) -> None:
    pair.a.post("/__mock/reset", headers=ADMIN)
    token = pair.mint(pair.a)
    assert item(pair.a, "flaky", token) == 503  # the sequence has started
    book = f"/books/{uuid.uuid4()}"
    pair.a.delete(book)
    pair.a.post("/__mock/rules", json={"name": "extra", "match": {"operationId": "listBooks"}, "status": 400}, headers=ADMIN)
    answer = pair.b.post("/__mock/reset", headers=ADMIN)
    assert answer.status_code == 200
    assert pair.a.get("/__mock/requests", headers=ADMIN).json()["requests"] == []
    assert item(pair.a, "plain", token) == 401  # the token is forgotten
    token = pair.mint(pair.b)
    assert item(pair.a, "flaky", token) == 503 and item(pair.b, "flaky", token) == 503  # the sequence starts over
    assert pair.a.get(book).status_code == 200
    assert [r["origin"] for r in pair.a.get("/__mock/rules", headers=ADMIN).json()["rules"]] == ["file"]


def test_admin_endpoints_refuse_without_the_token(pair: Pair) -> None:
    for method, path in [("GET", "/__mock/requests"), ("POST", "/__mock/reset"), ("GET", "/__mock/rules")]:
        assert pair.a.request(method, path).status_code == 401
    assert pair.a.get("/__mock/health").status_code == 200  # load balancers ask without credentials


def test_redis_gone_gives_quick_declared_errors_and_the_replicas_recover(pair: Pair) -> None:
    token = pair.mint(pair.a)
    pair.redis.stop()
    started = time.monotonic()
    texts = pair.b.post("/ai-service/t/texts", json=TEXTS_BODY, headers={"Authorization": f"Bearer {token}"})
    created = item(pair.a, "plain", token)
    assert time.monotonic() - started < 3
    assert (texts.status_code, created) == (500, 503)  # each operation's declared status
    assert "shared state" in texts.json()["message"]
    health = pair.b.get("/__mock/health")
    assert health.status_code == 503 and health.json()["state"]["status"] == "down"

    pair.redis.start()  # the same port, empty
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(
            c.get("/__mock/health").status_code == 200 for c in (pair.a, pair.b)):
        time.sleep(0.1)
    assert [c.get("/__mock/health").json()["state"]["status"] for c in (pair.a, pair.b)] == ["up", "up"]
    token = pair.mint(pair.a)
    assert [item(client, "plain", token) for client in (pair.a, pair.b) * 10] == [201] * 20


# -- workers --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workers(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    rules = tmp_path_factory.mktemp("rules") / "rules.yaml"
    rules.write_text(RULES)
    arguments = [f"--contracts={c}" for c in CONTRACTS]
    server = start_server(*arguments, "--workers", "2", "--state", redis_server.url, "--state-prefix",
                          f"workers-{uuid.uuid4().hex[:8]}", "--auth", "strict", "--rules", str(rules), "--quiet",
                          timeout=60)
    yield server
    server.stop()


def test_two_workers_answer_as_one(workers: RunningServer) -> None:
    fresh = httpx.Client(base_url=workers.url, limits=httpx.Limits(max_keepalive_connections=0))  # a new connection
    with fresh:                                                                                  # per request
        pids: set[int] = set()
        deadline = time.monotonic() + 30  # the second worker may still be starting on a busy machine
        while len(pids) < 2 and time.monotonic() < deadline:
            pids.add(fresh.get("/__mock/health").json()["pid"])
        assert len(pids) == 2  # both workers serve
        token = fresh.post("/oauth/token", data=TOKEN_FORM).json()["access_token"]
        uses = [item(fresh, "plain", token) for _ in range(100)]
        assert uses.count(201) == 100
        assert [item(fresh, "flaky", token) for _ in range(4)] == [503, 503, 201, 201]


def test_the_dashboard_feed_of_one_worker_shows_every_worker_s_requests(workers: RunningServer) -> None:
    """The page follows the feed through one connection, so one worker; the store brings it the
    entries of both (an entry's id starts with the hex pid of the worker that recorded it)."""
    seen: set[str] = set()
    opened = threading.Event()

    def follow() -> None:
        with httpx.stream("GET", f"{workers.url}/__mock/feed", timeout=30) as feed:
            for line in feed.iter_lines():
                if line == "event: open":
                    opened.set()
                if line.startswith("data: {") and '"path":"/__mock-feed-probe"' in line:
                    seen.add(json.loads(line[len("data: "):])["id"].split("-")[0])
                    if len(seen) == 2:
                        return

    reader = threading.Thread(target=follow, daemon=True)
    reader.start()
    assert opened.wait(10)
    fresh = httpx.Client(base_url=workers.url, limits=httpx.Limits(max_keepalive_connections=0))
    with fresh:
        deadline = time.monotonic() + 30
        while reader.is_alive() and time.monotonic() < deadline:
            assert fresh.get("/__mock-feed-probe").status_code == 404  # journaled, whichever worker answers
            reader.join(0.05)
    assert len(seen) == 2, f"the feed showed the requests of {len(seen)} worker(s)"


def test_workers_without_shared_state_refuse_to_start() -> None:
    result = subprocess.run([sys.executable, "-m", "mock_server", "serve", "--workers", "2"], capture_output=True,
                            text=True, timeout=60, cwd=ROOT, check=False)
    assert result.returncode == 2 and "--state redis://" in result.stderr


def test_a_public_address_without_an_admin_token_refuses_to_start() -> None:
    result = subprocess.run([sys.executable, "-m", "mock_server", "serve", "--host", "0.0.0.0"], capture_output=True,
                            text=True, timeout=60, cwd=ROOT, check=False)
    assert result.returncode == 2 and "--admin-token" in result.stderr and "--admin-open" in result.stderr


def test_workers_check_the_rules_file_before_they_start(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("- match: {operationId: createChatCompletion}\n  status: 418\n")
    result = subprocess.run([sys.executable, "-m", "mock_server", "serve", "--workers", "2", "--state", "redis://127.0.0.1:1/0",
                             "--rules", str(rules)], capture_output=True, text=True, timeout=60, cwd=ROOT, check=False)
    assert result.returncode == 2 and "rule 0" in result.stderr and "418" in result.stderr
