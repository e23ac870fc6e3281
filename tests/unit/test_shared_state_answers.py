"""In-process: what a request gets while the shared state is unreachable (a declared status in the
contract's shape, quickly), the health check, and the admin token."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server.app import create_app
from mock_server.check.session import free_port
from mock_server.settings import ServeSettings
from tests.fixtures.server import BUNDLED, TEST_CONTRACTS

CONTRACTS = (BUNDLED, TEST_CONTRACTS / "control", TEST_CONTRACTS / "crud" / "openapi.yaml")
BEARER = {"Authorization": "Bearer any-token"}
TEXTS = {"prompt": "a red bicycle"}


def call(app: Any, requests: list[tuple[str, str, dict[str, Any]]]) -> list[httpx.Response]:
    async def go() -> list[httpx.Response]:
        await app.state.open()
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as client:
                return [await client.request(method, url, **kwargs) for method, url, kwargs in requests]
        finally:
            await app.state.close()

    return asyncio.run(go())


@pytest.fixture(scope="module")
def unreachable() -> Any:
    """The mock with `--state` naming a port nothing listens on."""
    return create_app(ServeSettings(contracts=CONTRACTS, state=f"redis://127.0.0.1:{free_port()}/0", access_log=False))


def test_requests_get_a_declared_error_quickly_when_the_state_is_unreachable(unreachable: Any) -> None:
    started = time.monotonic()
    texts, item, books, token, health = call(unreachable, [
        ("POST", "/ai-service/t/texts", {"json": TEXTS, "headers": BEARER}),  # declares 500, not 503
        ("POST", "/control/items/a", {"json": {"name": "a"}, "headers": BEARER}),  # declares 503
        ("GET", "/books", {}),  # declares no 5xx, no 429: its 400
        ("POST", "/oauth/token", {"data": {"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"}}),
        ("GET", "/__mock/health", {}),
    ])
    assert time.monotonic() - started < 5  # includes the first, bounded, connection attempt
    assert (texts.status_code, item.status_code, books.status_code, token.status_code) == (500, 503, 400, 400)
    for answer in (texts, item, books):
        assert answer.headers["retry-after"] == "1"
    assert "shared state" in texts.json()["message"]  # Emporix's ErrorMessage shape
    assert health.status_code == 503
    assert health.json()["status"] == "unavailable" and health.json()["state"]["status"] == "down"


def test_the_memory_store_is_always_up() -> None:
    (health,) = call(create_app(ServeSettings(contracts=CONTRACTS, access_log=False)), [("GET", "/__mock/health", {})])
    assert health.status_code == 200 and health.json()["state"] == {"backend": "memory", "status": "up"}


def test_admin_endpoints_need_the_token_but_health_does_not() -> None:
    app = create_app(ServeSettings(contracts=CONTRACTS, admin_token="s3cret-token", access_log=False))
    admin = {"Authorization": "Bearer s3cret-token"}
    answers = call(app, [
        ("GET", "/__mock/requests", {}),
        ("POST", "/__mock/reset", {}),
        ("POST", "/__mock/rules", {"json": {"name": "x", "status": 500}}),
        ("GET", "/__mock/rules", {"headers": {"Authorization": "Bearer wrong"}}),
        ("GET", "/__mock/contracts", {"headers": {"Authorization": "Basic czNjcmV0LXRva2Vu"}}),
        ("GET", "/__mock/health", {}),
        ("GET", "/__mock/requests", {"headers": admin}),
        ("POST", "/__mock/reset", {"headers": admin}),
    ])
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 401, 200, 200, 200]
    assert answers[0].headers["www-authenticate"].startswith("Bearer")
    assert "--admin-token" in answers[0].json()["detail"]


@pytest.mark.parametrize("settings", [ServeSettings(), ServeSettings(host="0.0.0.0", admin_open=True)])
def test_without_a_token_the_admin_endpoints_stay_open(settings: ServeSettings) -> None:
    app = create_app(settings.replace(contracts=(Path(BUNDLED),), access_log=False))
    (answer,) = call(app, [("GET", "/__mock/requests", {})])
    assert answer.status_code == 200
