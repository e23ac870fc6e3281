"""The shop's tests, against the mock_server fixture: its URL, rules for a block, the journal."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from shop import FALLBACK, DescriptionService

from mock_server.integrations import MockServer, RuleRejected

TEXTS = "POST-ai-generate-description"
CHAT = "/api/organizations/6f1c1f0e-3c1e-4d3b-9b1a-2f7f9e1d2c3b/ai/chat/completions"


@pytest.fixture
def service(mock_server: MockServer) -> Iterator[DescriptionService]:
    shop = DescriptionService(mock_server.url, "shop-backend", "s3cret-of-the-shop")
    yield shop
    shop.close()


def test_a_description_comes_from_the_ai_service(service: DescriptionService, mock_server: MockServer) -> None:
    text = service.describe("acme", "a red bicycle")
    assert "bicycle" in text.lower()
    mock_server.assert_called("createAccessToken", times=1)
    [call] = mock_server.assert_called(TEXTS, times=1, status=200)
    assert call.path == "/ai-service/acme/texts" and call.body == {"prompt": "Describe a red bicycle"}
    assert call.response_body["result"] == text
    assert call.headers["authorization"] == "***"  # credentials never reach the journal
    [token] = mock_server.requests(operation_id="createAccessToken")
    assert token.body["client_secret"] == "***" and token.response_body["access_token"] == "***"


def test_an_outage_shows_the_fallback(service: DescriptionService, mock_server: MockServer) -> None:
    with mock_server.rule(match={"operationId": TEXTS}, status=500):
        assert service.describe("acme", "a lamp") == FALLBACK
    assert len(mock_server.requests(operation_id=TEXTS, status="5xx")) == 2  # the call and its retry
    assert service.describe("acme", "a lamp") != FALLBACK  # the rule ended with the block


def test_one_server_error_is_retried(service: DescriptionService, mock_server: MockServer) -> None:
    with mock_server.rule({"match": {"operationId": TEXTS}, "sequence": [500, "ok"]}):
        assert service.describe("acme", "a kettle") != FALLBACK
    assert [call.status for call in mock_server.requests(operation_id=TEXTS)] == [500, 200]


def test_prefer_forces_a_state_for_a_request_the_test_sends(mock_server: MockServer) -> None:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
    answer = httpx.post(mock_server.url + CHAT, json=body, headers={"x-api-key": "k", **mock_server.prefer(code=429)})
    assert answer.status_code == 429 and answer.json()["error"]["type"] == "rate_limit_error"


def test_a_rule_the_mock_cannot_use_is_refused(mock_server: MockServer) -> None:
    with pytest.raises(RuleRejected, match="no-such-operation"):
        with mock_server.rule(match={"operationId": "no-such-operation"}, status=500):
            pass


def test_each_test_starts_with_an_empty_journal(mock_server: MockServer) -> None:
    assert mock_server.requests() == []


def test_must_fail_an_operation_never_called(service: DescriptionService, mock_server: MockServer) -> None:
    """Fails on purpose: the shop never asks for completions. The failure lists what it did call."""
    service.describe("acme", "a chair")
    mock_server.assert_called("POST-ai-completions")
