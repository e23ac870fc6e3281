"""The control plane over the wire, on each engine: rules, faults seen by a real httpx client, CORS, journal, admin."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fixtures.server import BUNDLED, ENGINES, ROOT, RunningServer, start_server

pytestmark = pytest.mark.e2e

CONTROL = ROOT / "tests" / "contracts" / "control"
CHAT = f"/api/organizations/{uuid.UUID(int=7)}/ai/chat/completions"
KEY = {"x-api-key": "k"}
RULES = """
rules:
  - name: reset
    match: {operationId: createChatCompletion, body: {path: "$.messages[-1].content", regex: "^reset"}}
    fault: reset
  - name: hang
    match: {operationId: createChatCompletion, body: {path: "$.messages[-1].content", regex: "^hang"}}
    fault: {hang: 5000}
  - name: truncate
    match: {operationId: createChatCompletion, body: {path: "$.messages[-1].content", regex: "^truncate"}}
    fault: {truncate: 20}
  - name: cut
    match: {operationId: createChatCompletion, body: {path: "$.messages[-1].content", regex: "^cut"}}
    fault: {cut_stream: 2}
  - name: malformed
    match: {operationId: createChatCompletion, body: {path: "$.messages[-1].content", regex: "^malformed"}}
    fault: malformed_json
  - name: refund
    match: {operationId: createChatCompletion, body: {path: "$.messages[-1].content", regex: "refund"}}
    reply: Your refund is on its way.
  - name: flaky
    match: {operationId: createItem, params: {kind: flaky}}
    sequence: [503, 503, ok]
  - name: slow
    match: {operationId: createItem, params: {kind: slow}}
    delay: 300
"""


@pytest.fixture(scope="module", params=ENGINES)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    rules = tmp_path_factory.mktemp("rules") / "rules.yaml"
    rules.write_text(RULES)
    running = start_server("--contracts", str(BUNDLED), "--contracts", str(CONTROL), "--rules", str(rules),
                           "--engine", request.param)
    yield running
    running.stop()


def chat(content: str, **extra: object) -> dict:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}], **extra}


def test_canned_reply(server: RunningServer) -> None:
    response = httpx.post(server.url + CHAT, json=chat("I want a refund"), headers=KEY)
    assert response.json()["choices"][0]["message"]["content"] == "Your refund is on its way."


def test_reset_is_a_transport_error(server: RunningServer) -> None:
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        httpx.post(server.url + CHAT, json=chat("reset please"), headers=KEY)
    assert httpx.get(server.url + "/__mock/health").status_code == 200  # the server lives on


def test_hang_is_bounded_by_the_clients_timeout(server: RunningServer) -> None:
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(server.url + CHAT, json=chat("hang please"), headers=KEY, timeout=0.5)
    assert time.monotonic() - started < 3


def test_truncate_gives_an_incomplete_body(server: RunningServer) -> None:
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        httpx.post(server.url + CHAT, json=chat("truncate please"), headers=KEY)


def test_cut_stream_gives_fewer_events_and_no_done(server: RunningServer) -> None:
    whole = httpx.post(server.url + CHAT, json=chat("a normal stream", stream=True), headers=KEY)
    cut = httpx.post(server.url + CHAT, json=chat("cut the stream", stream=True), headers=KEY)
    events = [line for line in cut.text.splitlines() if line.startswith("data:")]
    assert "data: [DONE]" in whole.text
    assert len(events) == 2 and "[DONE]" not in cut.text


def test_malformed_json(server: RunningServer) -> None:
    response = httpx.post(server.url + CHAT, json=chat("malformed please"), headers=KEY)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_sequence_then_normal_and_reset(server: RunningServer) -> None:
    url = server.url + "/control/items/flaky"
    auth = {"Authorization": "Bearer t"}
    httpx.post(server.url + "/__mock/reset")
    statuses = [httpx.post(url, json={"name": "a"}, headers=auth).status_code for _ in range(4)]
    assert statuses == [503, 503, 201, 201]
    assert "sequences" in httpx.post(server.url + "/__mock/reset").json()["reset"]
    assert httpx.post(url, json={"name": "a"}, headers=auth).status_code == 503


def test_rule_delay(server: RunningServer) -> None:
    started = time.monotonic()
    response = httpx.post(server.url + "/control/items/slow", json={"name": "a"}, headers={"Authorization": "Bearer t"})
    assert response.status_code == 201 and time.monotonic() - started >= 0.3


def test_prefer_429_carries_a_short_retry_after(server: RunningServer) -> None:
    response = httpx.post(server.url + "/control/items/x", json={"name": "a"},
                          headers={"Authorization": "Bearer t", "Prefer": "code=429"})
    assert response.status_code == 429 and response.headers["retry-after"] == "1"


def test_cors_preflight_and_headers_on_every_answer(server: RunningServer) -> None:
    origin = {"Origin": "http://localhost:5173"}
    preflight = httpx.options(server.url + CHAT, headers={
        **origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key,content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "x-api-key" in allowed and "content-type" in allowed and "authorization" in allowed
    error = httpx.post(server.url + CHAT, json={}, headers={**origin, **KEY})
    assert error.status_code == 400 and error.headers["access-control-allow-origin"] == "http://localhost:5173"
    stream = httpx.post(server.url + CHAT, json=chat("hi", stream=True), headers={**origin, **KEY})
    assert stream.headers["access-control-allow-origin"] == "http://localhost:5173"
    foreign = httpx.post(server.url + CHAT, json=chat("hi"), headers={"Origin": "https://evil.example", **KEY})
    assert "access-control-allow-origin" not in foreign.headers
    assert httpx.options(server.url + CHAT, headers={"Origin": "https://evil.example",
                                                     "Access-Control-Request-Method": "POST"}).status_code == 403


def test_journal_records_and_redacts(server: RunningServer) -> None:
    secret = "sk-very-secret-" + uuid.uuid4().hex
    httpx.post(server.url + CHAT, json=chat("journal me"), headers={"x-api-key": secret})
    httpx.post(server.url + "/control/items/x", json={"name": 5}, headers={"Authorization": f"Bearer {secret}"})
    httpx.post(server.url + "/oauth/token", data={"grant_type": "client_credentials", "client_id": "c",
                                                  "client_secret": secret})
    httpx.get(server.url + "/control/items/x", params={"api_token": secret})
    journal = httpx.get(server.url + "/__mock/requests", params={"limit": 4})
    assert journal.status_code == 200
    entries = journal.json()["requests"]
    assert len(entries) == 4
    invalid = next(e for e in entries if e["path"] == "/control/items/x" and e["method"] == "POST")
    assert invalid["status"] == 400 and invalid["validation_errors"] and invalid["operationId"] == "createItem"
    assert {"time", "method", "path", "operationId", "status", "latency_ms"} <= set(invalid)
    assert secret not in journal.text
    assert secret not in server.log()


def test_journal_keeps_response_bodies_redacted_and_bounded(server: RunningServer) -> None:
    answer = httpx.post(server.url + CHAT, json=chat("record my answer"), headers=KEY).json()
    token = httpx.post(server.url + "/oauth/token", data={"grant_type": "client_credentials", "client_id": "c",
                                                          "client_secret": "s3cret"}).json()["access_token"]
    with httpx.stream("POST", server.url + CHAT, json=chat("stream me", stream=True), headers=KEY) as stream:
        stream.read()
    long_text = "x" * 10_000
    httpx.post(server.url + CHAT, json=chat(long_text), headers=KEY)
    entries = httpx.get(server.url + "/__mock/requests", params={"limit": 4}).json()["requests"]
    # a stream is journaled when it ends, so the order of the last two may vary: pick by content
    minted = next(e for e in entries if e["operationId"] == "createAccessToken")
    streamed = next(e for e in entries if e["response"]["stream"])
    plain, longest = (e for e in reversed(entries) if e["operationId"] == "createChatCompletion" and e is not streamed)
    assert plain["response"] == {"media_type": "application/json", "body": answer, "stream": False}
    assert minted["response"]["body"]["access_token"] == "***" and token not in str(entries)
    assert minted["response"]["body"]["token_type"] == "Bearer"
    assert streamed["response"]["media_type"] == "text/event-stream" and streamed["response"]["stream"]
    assert streamed["response"]["body"] is None and streamed["response"]["events"][-1] == {"data": "[DONE]"}
    # request bodies are clipped too, with a marker saying how much was left out
    assert isinstance(longest["body"], str) and re.search(r"\[… \d+ more characters not kept\]$", longest["body"])
    assert len(longest["body"]) <= 4096 + len(" [… 10000 more characters not kept]")


def test_bad_rules_file_stops_the_start(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("- match: {operationId: createChatCompletion}\n  status: 418\n")
    with pytest.raises(RuntimeError) as info:
        start_server("--contracts", str(BUNDLED), "--rules", str(rules), timeout=15)
    assert "rule 0" in str(info.value) and str(rules) in str(info.value)


def test_error_rate_answers_declared_statuses() -> None:
    """The default engine only: `--error-rate` is decided by the same control step as the rules, which
    the `server` fixture's tests cover on both engines; a server of its own per engine costs more."""
    server = start_server("--contracts", str(BUNDLED), "--error-rate", "1")
    try:
        statuses = {httpx.post(server.url + CHAT, json=chat(f"m{i}"), headers=KEY).status_code for i in range(10)}
        assert statuses <= {429, 500} and statuses
        assert httpx.post(server.url + "/oauth/token", data={"grant_type": "client_credentials", "client_id": "c",
                                                             "client_secret": "s"}).status_code == 200
    finally:
        server.stop()
