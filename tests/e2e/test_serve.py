"""`mock-server serve` as a user runs it: a real process, real HTTP."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from mock_server.contracts.loading import load_contracts
from tests.fixtures.server import (
    BUNDLED,
    ROOT,
    RunningServer,
    response_validator,
    start_server,
)

pytestmark = pytest.mark.e2e

TENANT_TEXTS = "/ai-service/acme/texts"
BEARER = {"Authorization": "Bearer test-token"}
ORG = str(uuid.UUID(int=7))
CHAT = f"/api/organizations/{ORG}/ai/chat/completions"
API_KEY = {"x-api-key": "test-key"}


def test_texts_answer_conforms_to_the_contract(mock_server: RunningServer) -> None:
    response = httpx.post(mock_server.url + TENANT_TEXTS, json={"prompt": "a red bicycle"}, headers=BEARER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    response_validator("POST-ai-generate-description", "200").validate(response.json())


def test_same_request_same_bytes_across_restarts(mock_server: RunningServer) -> None:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello"}]}
    first = httpx.post(mock_server.url + CHAT, json=body, headers=API_KEY)
    again = httpx.post(mock_server.url + CHAT, json=body, headers=API_KEY)
    other = start_server("--contracts", str(BUNDLED), "--seed", "0")
    try:
        restarted = httpx.post(other.url + CHAT, json=body, headers=API_KEY)
    finally:
        other.stop()
    assert first.status_code == 200, first.text
    assert first.content == again.content == restarted.content
    drop = {"date", "server"}
    assert [(k, v) for k, v in first.headers.items() if k not in drop] == [
        (k, v) for k, v in restarted.headers.items() if k not in drop
    ]


def test_another_seed_gives_other_data(mock_server: RunningServer) -> None:
    other = start_server("--contracts", str(ROOT / "tests" / "contracts" / "crud"), "--seed", "1")
    same = start_server("--contracts", str(ROOT / "tests" / "contracts" / "crud"), "--seed", "0")
    try:
        paths = [op.route for c in load_contracts([ROOT / "tests" / "contracts" / "crud"]) for op in c.operations
                 if op.method == "GET" and "{" not in op.route]
        assert paths, "the CRUD test contract needs a GET list operation"
        seed1 = httpx.get(other.url + paths[0])
        seed0 = httpx.get(same.url + paths[0])
    finally:
        other.stop()
        same.stop()
    assert seed1.status_code == seed0.status_code == 200
    assert seed1.content != seed0.content


def test_invalid_body_gets_the_contracts_error_shape(mock_server: RunningServer) -> None:
    emporix = httpx.post(mock_server.url + TENANT_TEXTS, json={"prompt": 42}, headers=BEARER)
    assert emporix.status_code == 400
    response_validator("POST-ai-generate-description", "400").validate(emporix.json())
    assert "prompt" in emporix.json()["message"]

    kodexa = httpx.post(mock_server.url + CHAT, json={"model": "m", "messages": [], "temperature": 3}, headers=API_KEY)
    assert kodexa.status_code == 400
    error = kodexa.json()["error"]
    assert "messages" in error["message"] or "temperature" in error["message"]
    response_validator("createChatCompletion", "400").validate(kodexa.json())


def test_malformed_json_and_wrong_content_type(mock_server: RunningServer) -> None:
    malformed = httpx.post(
        mock_server.url + CHAT, content=b"{not json", headers={**API_KEY, "content-type": "application/json"}
    )
    assert malformed.status_code == 400
    assert "not valid JSON" in malformed.json()["error"]["message"]

    wrong_type = httpx.post(mock_server.url + CHAT, content=b"hello", headers={**API_KEY, "content-type": "text/plain"})
    assert wrong_type.status_code == 400  # 415 is not declared: the declared fallback
    assert "Content-Type" in wrong_type.json()["error"]["message"]


def test_missing_credentials_get_401_in_shape(mock_server: RunningServer) -> None:
    emporix = httpx.post(mock_server.url + TENANT_TEXTS, json={"prompt": "x"})
    assert emporix.status_code == 401
    response_validator("POST-ai-generate-description", "401").validate(emporix.json())
    assert emporix.json()["fault"]["faultstring"]
    kodexa = httpx.post(mock_server.url + CHAT, json={"model": "m", "messages": [{"role": "user", "content": "x"}]})
    assert kodexa.status_code == 401
    assert "x-api-key" in kodexa.json()["error"]["message"]


def test_unknown_path_is_404_json_and_wrong_method_is_405(mock_server: RunningServer) -> None:
    missing = httpx.get(mock_server.url + "/no/such/path")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/json")
    assert "/no/such/path" in missing.json()["detail"]

    wrong = httpx.get(mock_server.url + TENANT_TEXTS, headers=BEARER)
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "POST"
    assert "GET" in wrong.json()["message"]


def test_prefer_code_forces_a_declared_error(mock_server: RunningServer) -> None:
    forced = httpx.post(
        mock_server.url + CHAT,
        json={"model": "m", "messages": [{"role": "user", "content": "x"}]},
        headers={**API_KEY, "Prefer": "code=429"},
    )
    assert forced.status_code == 429
    response_validator("createChatCompletion", "429").validate(forced.json())
    undeclared = httpx.post(
        mock_server.url + TENANT_TEXTS, json={"prompt": "x"}, headers={**BEARER, "Prefer": "code=418"}
    )
    assert undeclared.status_code == 400
    assert "200, 400, 401, 403, 500" in undeclared.json()["message"]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mock_server", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_contracts_command_lists_operations_and_warns(tmp_path: Path) -> None:
    bare = tmp_path / "bare.yaml"
    bare.write_text(
        "openapi: 3.0.3\ninfo: {title: Bare, version: '1'}\npaths:\n  /ping:\n    get:\n      operationId: ping\n"
        "      responses:\n        '200': {description: ok}\n"
    )
    result = run_cli("contracts", "--contracts", str(BUNDLED), "--contracts", str(bare))
    assert result.returncode == 0, result.stderr
    assert "createChatCompletion" in result.stdout and "/ai-service/{tenant}/texts" in result.stdout
    assert "bare.yaml: declares no error responses" in result.stderr


def test_clashing_contracts_stop_the_start(tmp_path: Path) -> None:
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text(
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /items/{id}:\n    get:\n"
            f"      operationId: get_{name[:3]}\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n"
            "      responses:\n        '200': {description: ok}\n"
        )
    result = run_cli("serve", "--contracts", str(tmp_path), "--port", "0")
    assert result.returncode == 2
    assert "one.yaml" in result.stderr and "two.yaml" in result.stderr and "/items/{id}" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_document_stops_the_start_with_the_validators_message(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.3\ninfo: {title: T}\npaths: {}\n")
    result = run_cli("serve", "--contracts", str(broken), "--port", "0")
    assert result.returncode == 2
    assert "broken.yaml" in result.stderr and "version" in result.stderr
    assert "Traceback" not in result.stderr


def test_start_banner_lists_contracts_and_url(mock_server: RunningServer) -> None:
    log = mock_server.log()
    assert "POST-ai-completions" in log
    assert f"http://127.0.0.1:{mock_server.port}" in log


def test_seed_random_says_which_seed_so_the_run_can_be_replayed() -> None:
    """`--seed random` draws one seed, prints it at start and puts it in the journal; an app built
    with that seed answers the same request with the same bytes."""
    import asyncio
    import re

    from mock_server.app import create_app
    from mock_server.settings import ServeSettings

    server = start_server("--contracts", str(BUNDLED), "--seed", "random", "--quiet")
    try:
        served = httpx.post(server.url + CHAT, json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
                            headers=API_KEY)
        journal = httpx.get(server.url + "/__mock/requests").json()
        log = server.log()
    finally:
        server.stop()
    drawn = re.search(r"--seed random drew seed (\d+); --seed \1 replays this run", log)
    assert drawn, log
    seed = int(drawn.group(1))
    assert f"seed {seed})" in log and journal["seed"] == seed

    async def replay() -> httpx.Response:
        app = create_app(ServeSettings(contracts=(BUNDLED,), seed=seed, access_log=False))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as client:
            return await client.post(CHAT, json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
                                     headers=API_KEY)

    assert asyncio.run(replay()).content == served.content
