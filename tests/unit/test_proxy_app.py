"""The proxy app in process, upstream replaced by an httpx MockTransport: what needs no wire."""

from __future__ import annotations

import asyncio
import warnings

import httpx

from mock_server.contracts.loading import load_contracts
from mock_server.proxy.forward import ProxyApp, ProxySettings
from tests.fixtures.server import BUNDLED


def test_an_oauth2_operation_is_validated_without_a_library_warning() -> None:
    """openapi-core cannot check OAuth2 credentials and warned on every such request."""
    contracts = load_contracts([BUNDLED / "emporix" / "ai-service.yaml"])
    app = ProxyApp(ProxySettings(upstream="http://upstream.invalid", quiet=True), contracts)
    app.client = httpx.AsyncClient(base_url="http://upstream.invalid", transport=httpx.MockTransport(
        lambda request: httpx.Response(200, json={"result": "A red bicycle."})))

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://proxy") as client:
            return await client.post("/ai-service/acme/texts", json={"prompt": "a red bicycle"},
                                     headers={"Authorization": "Bearer some-token"})

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = asyncio.run(call())
    assert response.status_code == 200
    assert not [w for w in caught if "scheme" in str(w.message)], [str(w.message) for w in caught]
    assert app.journal[-1]["operationId"] == "POST-ai-generate-description"
