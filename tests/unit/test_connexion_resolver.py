"""`mock_server.connexion.MockResolver` in a connexion app of the test tree (tests/connexion_app),
FlaskApp and AsyncApp alike, through connexion's own test client (its whole ASGI stack in-process):
the implemented operation answers from its handler, the others from the mock's engine, and what
connexion refuses comes back in the contract's error shape."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from mock_server.settings import ServeSettings
from tests.connexion_app.shop import HANDWRITTEN, build
from tests.fixtures.server import response_validator

TEXTS = "/ai-service/acme/texts"
COMPLETIONS = "/ai-service/acme/completions"
CHAT_PATH = f"/api/organizations/{uuid.UUID(int=7)}/ai/chat/completions"
AUTH = {"Authorization": "Bearer valid-token"}
KEY = {"x-api-key": "any"}
ASK = {"messages": [{"role": "USER", "content": "Which lamp suits a reading corner?"}]}
KINDS = ["flask", "async"]


@pytest.fixture(params=KINDS)
def client(request: pytest.FixtureRequest) -> Iterator[Any]:
    app, _ = build(request.param)
    with app.test_client() as test_client:
        yield test_client


def test_the_implemented_operation_answers_from_its_handler(client: Any) -> None:
    answer = client.post(TEXTS, json={"prompt": "A lamp"}, headers=AUTH)
    assert answer.status_code == 200
    assert answer.json() == {"result": f"A lamp for acme: {HANDWRITTEN}"}


def test_the_other_operations_are_answered_by_the_mock(client: Any) -> None:
    answer = client.post(COMPLETIONS, json=ASK, headers=AUTH)
    assert answer.status_code == 200, answer.text
    response_validator("POST-ai-completions", "200").validate(answer.json())
    assert "lamp" in answer.json()["result"].lower()  # the Emporix behaviour: prose about what was asked
    assert HANDWRITTEN not in answer.text
    assert client.post(COMPLETIONS, json=ASK, headers=AUTH).content == answer.content  # same request, same bytes


def test_the_mock_follows_prefer(client: Any) -> None:
    forced = client.post(COMPLETIONS, json=ASK, headers={**AUTH, "Prefer": "code=403"})
    assert forced.status_code == 403
    response_validator("POST-ai-completions", "403").validate(forced.json())


def test_a_mocked_stream_is_server_sent_events(client: Any) -> None:
    body = {"model": "m", "stream": True, "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}
    with client.stream("POST", CHAT_PATH, json=body, headers=KEY) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        events = [line[len("data: "):] for line in answer.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [orjson.loads(event) for event in events[:-1]]
    assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
    assert chunks[-1]["choices"][0]["finish_reason"] == "length"


@pytest.mark.parametrize(("path", "body", "operation_id", "field"), [
    (TEXTS, {"prompt": 42}, "POST-ai-generate-description", "prompt"),  # the implemented one: connexion refuses first
    (COMPLETIONS, {"messages": [{"role": "nobody", "content": "x"}]}, "POST-ai-completions", "messages[0].role"),
])
def test_a_validation_error_comes_back_in_the_contracts_shape(client: Any, path: str, body: Any,
                                                              operation_id: str, field: str) -> None:
    refused = client.post(path, json=body, headers=AUTH)
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/json"  # not connexion's problem+json
    response_validator(operation_id, "400").validate(refused.json())  # Emporix's ErrorMessage
    assert refused.json()["code"] == 400 and refused.json()["message"]
    assert refused.json()["details"][0]["field"] == field  # the field connexion's message names


def test_an_error_the_handler_raises_comes_back_in_the_contracts_shape(client: Any) -> None:
    refused = client.post("/ai-service/blocked/texts", json={"prompt": "A lamp"}, headers=AUTH)
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/json"
    response_validator("POST-ai-generate-description", "403").validate(refused.json())
    assert refused.json()["message"] == "this tenant is blocked"


def test_connexions_security_refusals_come_back_in_the_contracts_shape(client: Any) -> None:
    for headers in ({"Authorization": "Bearer unknown"}, {}):
        refused = client.post(COMPLETIONS, json=ASK, headers=headers)
        assert refused.status_code == 401
        response_validator("POST-ai-completions", "401").validate(refused.json())
        assert refused.json()["fault"]["faultstring"]  # connexion's own reason, in Emporix's Fault shape
    revoked = client.post(CHAT_PATH, json={"model": "m", "messages": [{"role": "user", "content": "x"}]},
                          headers={"x-api-key": "revoked"})
    assert revoked.status_code == 401 and revoked.json()["error"]["message"]  # Kodexa's (OpenAI's) error shape


@pytest.mark.parametrize("kind", KINDS)
def test_mock_all_answers_the_implemented_operation_too(kind: str) -> None:
    app, _ = build(kind, mock_all=True)
    with app.test_client() as client:
        answer = client.post(TEXTS, json={"prompt": "A lamp"}, headers=AUTH)
    assert answer.status_code == 200 and HANDWRITTEN not in answer.text
    response_validator("POST-ai-generate-description", "200").validate(answer.json())


def test_the_mocks_settings_apply(tmp_path: Path) -> None:
    """Rules (and every other option of `serve`) come with `settings`: here a canned reply."""
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: canned\n    match: {operationId: POST-ai-completions}\n"
                     "    reply: Try the brass one.\n")
    app, _ = build(settings=ServeSettings(rules=rules, access_log=False))
    with app.test_client() as client:
        assert client.post(COMPLETIONS, json=ASK, headers=AUTH).json()["result"] == "Try the brass one."


def test_the_seed_decides_the_data() -> None:
    def texts_with(seed: int) -> bytes:
        app, _ = build(mock_all=True, settings=ServeSettings(seed=seed, access_log=False))
        with app.test_client() as client:
            hello = {"messages": [{"role": "USER", "content": "Hi"}]}
            return client.post(COMPLETIONS, json=hello, headers=AUTH).content

    assert texts_with(1) == texts_with(1) != texts_with(2)


def test_without_install_the_app_refuses_to_start() -> None:
    app, _ = build(install=False)
    with pytest.raises(RuntimeError, match=r"install\(app\)"), app.test_client():
        pass


def test_the_apps_security_decides_not_the_mocks_auth() -> None:
    """connexion authenticated the request as the app configured it; the mock's `--auth strict`,
    which would know no token it did not mint, is not applied on top."""
    app, _ = build(settings=ServeSettings(auth="strict", access_log=False))
    with app.test_client() as client:
        assert client.post(COMPLETIONS, json=ASK, headers=AUTH).status_code == 200
