"""Authentication over the wire: lenient and strict, token expiry, scopes, and schemathesis."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fixtures.server import BUNDLED, ROOT, RunningServer, start_server

pytestmark = pytest.mark.e2e

TEXTS = "/ai-service/acme/texts"
COMPLETIONS = "/ai-service/acme/completions"
CHAT = f"/api/organizations/{uuid.UUID(int=7)}/ai/chat/completions"
CHAT_BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello"}]}
CLIENT = {"grant_type": "client_credentials", "client_id": "my-client", "client_secret": "s3cret-client-secret"}


@pytest.fixture(scope="module")
def strict() -> Iterator[RunningServer]:
    server = start_server("--contracts", str(BUNDLED), "--auth", "strict", "--api-key", "good-key", "--token-ttl", "1",
                          "--api-key", f"{CLIENT['client_id']}:{CLIENT['client_secret']}")  # a registered client
    yield server
    server.stop()


def mint(server: RunningServer, scope: str | None = None) -> dict:
    form = {**CLIENT, **({"scope": scope} if scope else {})}
    response = httpx.post(server.url + "/oauth/token", data=form)
    assert response.status_code == 200, response.text
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_lenient_accepts_any_well_formed_credential(mock_server: RunningServer) -> None:
    assert httpx.post(mock_server.url + TEXTS, json={"prompt": "x"}, headers=bearer("anything")).status_code == 200
    assert httpx.post(mock_server.url + CHAT, json=CHAT_BODY, headers={"x-api-key": "whatever"}).status_code == 200
    missing = httpx.post(mock_server.url + TEXTS, json={"prompt": "x"})
    assert missing.status_code == 401 and "faultstring" in missing.json()["fault"]


def test_token_endpoint_answers_the_declared_shape(mock_server: RunningServer) -> None:
    token = mint(mock_server)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    assert {"ai.text_manage", "ai.completion_manage"} <= set(token["scope"].split())
    assert mint(mock_server)["access_token"] != token["access_token"]
    wrong = httpx.post(mock_server.url + "/oauth/token", data={**CLIENT, "grant_type": "password"})
    assert wrong.status_code == 400 and set(wrong.json()) == {"error", "error_description"}


def test_token_endpoint_authenticates_the_client_as_rfc_6749_says(mock_server: RunningServer) -> None:
    """Client credentials in the form or by HTTP basic; missing or wrong → 401 invalid_client;
    another grant → 400 unsupported_grant_type; each in the contract's shape."""
    url = mock_server.url + "/oauth/token"
    grant = {"grant_type": "client_credentials"}
    by_basic = httpx.post(url, data=grant, auth=(CLIENT["client_id"], CLIENT["client_secret"]))
    assert by_basic.status_code == 200 and by_basic.json()["token_type"] == "Bearer"
    for form, headers in [(grant, {}), ({**grant, "client_id": "a", "client_secret": ""}, {}),
                          ({**grant, "client_id": "a", "client_secret": "invalid-secret"}, {}),
                          (grant, {"Authorization": "Basic not-base64!"})]:
        refused = httpx.post(url, data=form, headers=headers)
        assert refused.status_code == 401, (form, headers, refused.text)
        assert refused.json()["error"] == "invalid_client" and set(refused.json()) == {"error", "error_description"}
    challenged = httpx.post(url, data=grant, headers={"Authorization": "Basic not-base64!"})
    assert challenged.headers["www-authenticate"].startswith("Basic")
    unsupported = httpx.post(url, data={**CLIENT, "grant_type": "password"})
    assert unsupported.json()["error"] == "unsupported_grant_type"
    twice = httpx.post(url, data=CLIENT, auth=(CLIENT["client_id"], CLIENT["client_secret"]))
    assert twice.status_code == 400 and twice.json()["error"] == "invalid_request"


def test_strict_mode_knows_its_registered_clients(strict: RunningServer) -> None:
    url = strict.url + "/oauth/token"
    assert httpx.post(url, data={**CLIENT, "client_secret": "another-secret"}).status_code == 401
    assert httpx.post(url, data={**CLIENT, "client_id": "stranger"}).status_code == 401
    assert httpx.post(url, data={"grant_type": "client_credentials"},
                      auth=(CLIENT["client_id"], CLIENT["client_secret"])).status_code == 200


def test_strict_accepts_minted_tokens_until_they_expire(strict: RunningServer) -> None:
    token = mint(strict, "ai.text_manage")
    assert token["expires_in"] == 1
    assert httpx.post(strict.url + TEXTS, json={"prompt": "x"}, headers=bearer(token["access_token"])).status_code == 200
    unknown = httpx.post(strict.url + TEXTS, json={"prompt": "x"}, headers=bearer("not-minted"))
    assert unknown.status_code == 401 and "not issued" in unknown.json()["fault"]["faultstring"]
    time.sleep(1.2)
    expired = httpx.post(strict.url + TEXTS, json={"prompt": "x"}, headers=bearer(token["access_token"]))
    assert expired.status_code == 401 and "expired" in expired.json()["fault"]["faultstring"]


def test_strict_missing_scope_is_403_in_the_contracts_shape(strict: RunningServer) -> None:
    token = mint(strict, "ai.text_manage")["access_token"]
    response = httpx.post(strict.url + COMPLETIONS, json={"messages": [{"role": "user", "content": "hi"}]},
                          headers=bearer(token))
    assert response.status_code == 403, response.text
    assert "ai.completion_manage" in response.json()["message"]  # ErrorMessage: {code, message, ...}
    assert "insufficient_scope" in response.headers["www-authenticate"]


def test_strict_api_keys(strict: RunningServer) -> None:
    assert httpx.post(strict.url + CHAT, json=CHAT_BODY, headers={"x-api-key": "good-key"}).status_code == 200
    bad = httpx.post(strict.url + CHAT, json=CHAT_BODY, headers={"x-api-key": "bad-key"})
    assert bad.status_code == 401 and "--api-key" in bad.json()["error"]["message"]


def test_every_scheme_type_of_the_test_contract() -> None:
    server = start_server("--contracts", str(ROOT / "tests" / "contracts" / "control"), "--auth", "strict",
                          "--api-key", "k1", "--api-key", "user:pw")
    try:
        base = server.url + "/control"
        assert httpx.get(base + "/basic", auth=("user", "pw")).status_code == 200
        assert httpx.get(base + "/basic", auth=("user", "nope")).status_code == 401
        assert httpx.get(base + "/query-key", params={"api_token": "k1"}).status_code == 200
        assert httpx.get(base + "/query-key", params={"api_token": "k2"}).status_code == 401
        assert httpx.get(base + "/cookie-key", headers={"Cookie": "session=k1"}).status_code == 200
        assert httpx.get(base + "/cookie-key").status_code == 401
        assert httpx.get(base + "/either", headers={"X-Control-Key": "k1"}).status_code == 200
        assert "k1" not in server.log() and "user:pw" not in server.log()
    finally:
        server.stop()


def schemathesis(contract: Path, base_url: str, *headers: str) -> subprocess.CompletedProcess[str]:
    st = Path(sys.executable).with_name("st")
    command = [str(st), "run", str(contract), "--url", base_url, "--checks", "all", "--max-examples", "15",
               "--seed", "1", "--no-color"]
    for header in headers:
        command += ["-H", header]
    return subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=ROOT)


CONTRACTS = [BUNDLED / "emporix" / "ai-service.yaml", BUNDLED / "emporix" / "oauth.yaml",
             BUNDLED / "kodexa" / "chat-completions.yaml"]


@pytest.mark.parametrize("mode", ["lenient", "strict"])
def test_schemathesis_finds_nothing_in_either_mode(mode: str) -> None:
    server = start_server("--contracts", str(BUNDLED), "--auth", mode, "--api-key", "st-key")
    try:
        token = mint(server)["access_token"]
        failures = []
        for contract in CONTRACTS:
            result = schemathesis(contract, server.url, f"Authorization: Bearer {token}", "x-api-key: st-key")
            if result.returncode != 0:
                failures.append(f"{contract.name} ({mode}):\n{result.stdout[-4000:]}\n{result.stderr[-1000:]}")
        assert not failures, "\n\n".join(failures)
        assert token not in server.log() and "st-key" not in server.log()
    finally:
        server.stop()
