"""`serve --engine connexion` against `serve`: the same answers from the same engine, and where
connexion's routing and loading differ (README: "The connexion engine")."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from tests.fixtures.server import ROOT, TEST_CONTRACTS, RunningServer

pytestmark = pytest.mark.e2e

TEXTS = "/ai-service/acme/texts"
CHAT = f"/api/organizations/{uuid.UUID(int=7)}/ai/chat/completions"
BEARER = {"Authorization": "Bearer t"}
KEY = {"x-api-key": "k"}
MESSAGES = [{"role": "user", "content": "Tell me about solar panels."}]


@pytest.mark.parametrize(("path", "headers", "body"), [
    (TEXTS, BEARER, {"prompt": "a red bicycle", "maxTokens": 60}),
    (CHAT, KEY, {"model": "m", "messages": MESSAGES, "n": 2}),
    (CHAT, KEY, {"model": "m", "messages": MESSAGES, "stream": True, "stream_options": {"include_usage": True}}),
    (CHAT, {**KEY, "Prefer": "code=429"}, {"model": "m", "messages": MESSAGES}),
], ids=["texts", "chat", "chat-stream", "prefer-429"])
def test_the_same_request_gets_the_same_bytes_from_either_engine(
    mock_server: RunningServer, connexion_server: RunningServer, path: str, headers: dict[str, str], body: object
) -> None:
    """The connexion engine answers with the mock's engine: same compiled generation, behaviours,
    Prefer and seed, so every byte is the one `serve` sends."""
    answers = [httpx.post(server.url + path, json=body, headers=headers) for server in (mock_server, connexion_server)]
    assert answers[0].status_code == answers[1].status_code
    assert answers[0].headers["content-type"] == answers[1].headers["content-type"]
    assert answers[0].content == answers[1].content and answers[0].content


def test_every_request_is_journaled(served: RunningServer) -> None:
    """Answered, refused by validation (connexion's, on that engine), or not routed at all."""
    httpx.post(served.url + TEXTS, json={"prompt": "journal me"}, headers=BEARER)
    httpx.post(served.url + TEXTS, json={"prompt": 7}, headers=BEARER)
    httpx.get(served.url + "/no/such/path")
    entries = httpx.get(served.url + "/__mock/requests", params={"limit": 3}).json()["requests"]
    assert [(e["status"], e["operationId"]) for e in entries] == [
        (404, None), (400, "POST-ai-generate-description"), (200, "POST-ai-generate-description")]
    assert entries[1]["validation_errors"] and "prompt" in entries[1]["validation_errors"][0]


def test_a_path_parameter_holding_an_encoded_slash(served: RunningServer) -> None:
    """starlette's router (connexion's) routes the decoded path, where `acme%2Feu` would be two
    segments; the connexion engine hands it the path with encoded slashes kept."""
    answer = httpx.post(served.url + "/ai-service/acme%2Feu/texts", json={"prompt": "x"}, headers=BEARER)
    assert answer.status_code == 200, answer.text


def test_unknown_paths_and_methods_in_the_contracts_shape(served: RunningServer) -> None:
    """connexion's router would answer 405 in problem+json; on either engine the mock's front door
    answers what no operation takes, as `serve` does."""
    wrong = httpx.get(served.url + TEXTS, headers=BEARER)
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert wrong.headers["content-type"] == "application/json" and "GET" in wrong.json()["message"]


def test_a_trailing_slash_is_not_found(served: RunningServer) -> None:
    """connexion's router (starlette's redirect_slashes) would answer a 307 redirect, a status no
    contract declares."""
    assert httpx.post(served.url + TEXTS + "/", json={"prompt": "x"}, headers=BEARER).status_code == 404


def test_an_openapi_31_contract_stops_the_start(tmp_path: Path) -> None:
    """connexion 3 validates documents against the OpenAPI 3.0 schema only: the engine says so and
    exits 2 before it listens (the default engine serves the contract)."""
    result = subprocess.run(
        [sys.executable, "-m", "mock_server", "serve", "--engine", "connexion", "--port", "0",
         "--contracts", str(TEST_CONTRACTS / "openapi31")],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "openapi31/openapi.yaml: connexion cannot load it" in result.stderr
    assert "default engine" in result.stderr
