"""The AI behaviours over real HTTP: Emporix texts, completions and quota; raw SSE framing for Kodexa."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import httpx
import orjson
import pytest

from mock_server.contracts.schema import Direction, normalize
from mock_server.contracts.validators import compile_validator
from tests.fixtures.server import (
    BUNDLED,
    RunningServer,
    bundled_operation,
    response_validator,
    start_server,
)

pytestmark = pytest.mark.e2e

BEARER = {"Authorization": "Bearer test-token"}
CHAT = f"/api/organizations/{uuid.UUID(int=7)}/ai/chat/completions"
DOCUMENTED_COMPLETION = {
    "id": "abc-123",
    "messages": [
        {
            "role": "SYSTEM",
            "content": "You are an assistant responsible for creating a configuration based on information provided by user.",
        }
    ],
}


@pytest.fixture(scope="module")
def quota_server() -> Iterator[RunningServer]:
    server = start_server("--contracts", str(BUNDLED), "--seed", "0", "--quota-output-tokens", "200")
    yield server
    server.stop()


def test_texts_and_completions(mock_server: RunningServer) -> None:
    response = httpx.post(
        mock_server.url + "/ai-service/acme/texts",
        json={"prompt": "Write a description for a cast iron skillet", "maxTokens": 40, "id": "t-1"},
        headers=BEARER,
    )
    assert response.status_code == 200, response.text
    response_validator("POST-ai-generate-description", "200").validate(response.json())
    assert response.json()["id"] == "t-1"
    assert "cast iron skillet" in response.json()["result"]

    response = httpx.post(mock_server.url + "/ai-service/acme/completions", json=DOCUMENTED_COMPLETION, headers=BEARER)
    assert response.status_code == 200, response.text
    response_validator("POST-ai-completions", "200").validate(response.json())
    assert response.json()["id"] == "abc-123" and len(response.json()["result"]) > 100


def test_quota_is_enforced_per_tenant_with_403(quota_server: RunningServer) -> None:
    tenant = f"t{uuid.uuid4().hex[:8]}"
    url = f"{quota_server.url}/ai-service/{tenant}/texts"
    statuses = [httpx.post(url, json={"prompt": "red bicycle"}, headers=BEARER).status_code for _ in range(6)]
    assert statuses[0] == 200 and statuses[-1] == 403
    assert statuses == sorted(statuses)  # once refused, always refused
    refused = httpx.post(url, json={"prompt": "red bicycle"}, headers=BEARER)
    response_validator("POST-ai-generate-description", "403").validate(refused.json())
    other = httpx.post(f"{quota_server.url}/ai-service/elsewhere/texts", json={"prompt": "x"}, headers=BEARER)
    assert other.status_code == 200


def test_raw_sse_framing(mock_server: RunningServer) -> None:
    op = bundled_operation("createChatCompletion")
    sse = op.responses["200"].content["text/event-stream"].extensions["x-sse-event-schema"]
    chunk_validator = compile_validator(normalize(sse, oas30=True, direction=Direction.RESPONSE), op.response_defs)
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    with httpx.stream("POST", mock_server.url + CHAT, json=body, headers={"x-api-key": "k"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = response.read().decode()
    blocks = raw.split("\n\n")
    assert blocks[-1] == "" and blocks[-2] == "data: [DONE]"
    for block in blocks[:-2]:
        assert block.startswith("data: ") and "\n" not in block
        chunk_validator.validate(orjson.loads(block[len("data: "):]))


def test_streams_and_completions_agree_across_the_wire(mock_server: RunningServer) -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": "Explain invoices"}], "max_tokens": 9}
    whole = httpx.post(mock_server.url + CHAT, json=body, headers={"x-api-key": "k"}).json()
    raw = httpx.post(mock_server.url + CHAT, json={**body, "stream": True}, headers={"x-api-key": "k"}).text
    chunks = [orjson.loads(b[6:]) for b in raw.split("\n\n") if b.startswith("data: {")]
    streamed = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert streamed == whole["choices"][0]["message"]["content"]
    assert chunks[-1]["choices"][0]["finish_reason"] == "length"


def test_real_clock() -> None:
    server = start_server("--contracts", str(BUNDLED), "--seed", "0", "--clock", "real")
    try:
        before = int(time.time())
        body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
        created = httpx.post(server.url + CHAT, json=body, headers={"x-api-key": "k"}).json()["created"]
        assert before <= created <= int(time.time()) + 1
    finally:
        server.stop()
