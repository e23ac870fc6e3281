"""behaviours/emporix_ai.py over the in-process app: product texts, completions and the token quota."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server.app import create_app
from mock_server.behaviours import text
from mock_server.settings import ServeSettings

ROOT = Path(__file__).resolve().parents[2]
BEARER = {"Authorization": "Bearer test-token"}
DOCUMENTED_COMPLETION = {  # the request shown on the Emporix "AI Completions" reference page
    "id": "abc-123",
    "messages": [
        {
            "role": "SYSTEM",
            "content": "You are an assistant responsible for creating a configuration based on information provided by user.",
        }
    ],
}


def make_app(**settings: Any):
    return create_app(ServeSettings(contracts=(ROOT / "openapi",), **settings))


APP = make_app()


def compiled(operation_id: str):
    return next(c for c in APP.operations.values() if c.operation.operation_id == operation_id)


def validator(operation_id: str, status: int):
    return compiled(operation_id).responses.for_status(status).media["application/json"].validator


def post(path: str, body: dict[str, Any], app=APP) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as client:
            return await client.post(path, json=body, headers=BEARER)

    return asyncio.run(go())


def texts(body: dict[str, Any], tenant: str = "acme", app=APP) -> httpx.Response:
    return post(f"/ai-service/{tenant}/texts", body, app)


def completions(body: dict[str, Any], tenant: str = "acme", app=APP) -> httpx.Response:
    return post(f"/ai-service/{tenant}/completions", body, app)


def result(response: httpx.Response, operation_id: str = "POST-ai-generate-description") -> dict[str, Any]:
    assert response.status_code == 200, response.text
    value = response.json()
    validator(operation_id, 200).validate(value)
    return value


def test_a_text_is_about_the_prompt_and_deterministic() -> None:
    body = {"prompt": "Write a product description for a stainless steel water bottle"}
    first = result(texts(body))
    assert "stainless steel water bottle" in first["result"]
    assert len(first["result"].split(". ")) >= 5
    assert texts(body).content == texts(body).content
    other = result(texts({"prompt": "Write a product description for a leather wallet"}))
    assert other["result"] != first["result"]


def test_id_only_when_the_request_gave_one() -> None:
    assert "id" not in result(texts({"prompt": "red bicycle"}))
    assert result(texts({"prompt": "red bicycle", "id": "req-1"}))["id"] == "req-1"


def test_max_tokens_cuts_the_same_text() -> None:
    full = result(texts({"prompt": "red bicycle"}))["result"]
    short = result(texts({"prompt": "red bicycle", "maxTokens": 7}))["result"]
    assert full.startswith(short)
    assert text.count_tokens(short) == 7
    assert text.count_tokens(full) <= 4097


@pytest.mark.parametrize("limit", [0, -5])
def test_max_tokens_below_one_gives_an_empty_text(limit: int) -> None:
    """The contract allows any integer, so such a request is valid; no token fits in the limit."""
    assert result(texts({"prompt": "red bicycle", "maxTokens": limit}))["result"] == ""


def test_the_documented_completion_request_gets_a_documented_kind_of_reply() -> None:
    value = result(completions(DOCUMENTED_COMPLETION), "POST-ai-completions")
    assert value["id"] == "abc-123"
    assert len(value["result"].split(". ")) >= 4  # prose, like the documented pipe-cutter text
    assert "configuration" in value["result"]


def test_a_completion_answers_the_last_user_message() -> None:
    body = {
        "messages": [
            {"role": "SYSTEM", "content": "You write product copy."},
            {"role": "USER", "content": "Describe a cordless drill"},
            {"role": "ASSISTANT", "content": "Sure."},
            {"role": "USER", "content": "Now describe a garden hose"},
        ]
    }
    value = result(completions(body), "POST-ai-completions")
    assert "garden hose" in value["result"] and "id" not in value


def test_no_quota_by_default() -> None:
    app = make_app()
    for _ in range(3):
        result(texts({"prompt": "red bicycle"}, app=app))
    counted = [asyncio.run(app.state.count(f"quota:acme:{kind}")) for kind in ("input", "output")]
    assert counted == [0, 0]


@pytest.mark.parametrize("limit", [{"quota_output_tokens": 150}, {"quota_input_tokens": 10}])
def test_a_spent_quota_is_refused_with_403_and_error_message(limit: dict[str, int]) -> None:
    app = make_app(**limit)
    served = 0
    while (response := texts({"prompt": "Write a description for a red bicycle"}, app=app)).status_code == 200:
        served += 1
        assert served < 20
    assert served >= 1  # the request that crosses the limit is still served
    assert response.status_code == 403
    body = response.json()
    validator("POST-ai-generate-description", 403).validate(body)
    assert "acme" in body["message"] and "tokens" in body["message"]
    # completions count against the same tenant; other tenants have their own counters
    assert completions(DOCUMENTED_COMPLETION, app=app).status_code == 403
    assert texts({"prompt": "red bicycle"}, tenant="other", app=app).status_code == 200


def test_quota_counts_input_and_output_tokens() -> None:
    app = make_app(quota_input_tokens=10**6, quota_output_tokens=10**6)
    prompt = "Write a description for a red bicycle"
    value = result(texts({"prompt": prompt}, app=app))
    messages = DOCUMENTED_COMPLETION["messages"]
    reply = result(completions(DOCUMENTED_COMPLETION, app=app), "POST-ai-completions")
    assert {kind: asyncio.run(app.state.count(f"quota:acme:{kind}")) for kind in ("input", "output")} == {
        "input": text.count_tokens(prompt) + text.prompt_tokens(messages),
        "output": text.count_tokens(value["result"]) + text.count_tokens(reply["result"]),
    }


def test_prefer_code_still_works() -> None:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=APP), base_url="http://mock") as client:
            return await client.post(
                "/ai-service/acme/texts", json={"prompt": "x"}, headers={**BEARER, "Prefer": "code=500"}
            )

    response = asyncio.run(go())
    assert response.status_code == 500
    validator("POST-ai-generate-description", 500).validate(response.json())


@pytest.mark.parametrize("operation", ["texts", "completions"])
def test_an_absent_body_is_answered(operation: str) -> None:
    """The contract does not require the request body, so a request without one is valid."""

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=APP), base_url="http://mock") as client:
            return await client.post(f"/ai-service/acme/{operation}", headers=BEARER)

    response = asyncio.run(go())
    value = result(response, "POST-ai-generate-description" if operation == "texts" else "POST-ai-completions")
    assert "this product" in value["result"] and "id" not in value


def test_a_text_fits_the_kind_of_prompt() -> None:
    hello = result(texts({"prompt": "Hello"}))["result"]
    assert hello.split("!")[0] in ("Hello", "Hi", "Hi there", "Hey") and "warranty" not in hello
    name = result(texts({"prompt": "Suggest a name for a coffee shop"}))["result"]
    assert "**" in name and "warranty" not in name and "a coffee shop" in name
    title = result(texts({"prompt": "Generate a product title for a leather wallet"}))["result"]
    assert "Leather Wallet" in title and "\n" not in title
    meta = result(texts({"prompt": "Write a meta description for a leather wallet"}))["result"]
    assert len(meta) <= 160


def test_max_tokens_cuts_any_kind_of_text_at_exactly_that_many_tokens() -> None:
    body = {"prompt": "Write an SEO text for a leather wallet"}
    full = result(texts(body))["result"]
    app = make_app(quota_output_tokens=10**6)
    for limit in (1, 13, 40):
        cut = result(texts({**body, "maxTokens": limit}, app=app))["result"]
        assert full.startswith(cut) and text.count_tokens(cut) == limit
    assert asyncio.run(app.state.count("quota:acme:output")) == 1 + 13 + 40


def test_a_completion_answers_the_question_asked() -> None:
    body = {"messages": [{"role": "SYSTEM", "content": "You are a helpful assistant."},
                         {"role": "USER", "content": "What is the capital of Spain?"}]}
    assert result(completions(body), "POST-ai-completions")["result"].startswith("The capital of Spain is Madrid.")
