"""security.py: every scheme type, lenient and strict, scopes, and redaction."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.contracts.index import Operation
from mock_server.contracts.loading import load_contracts
from mock_server.errors import Forbidden, Unauthorized
from mock_server.serve.security import AuthPolicy, Credentials, Redactor, authenticate, declared_scopes, scrub
from mock_server.state.tokens import MintedToken, new_token

ROOT = Path(__file__).resolve().parents[2]
CONTROL = load_contracts([ROOT / "tests" / "contracts" / "control"])
BUNDLED = load_contracts([ROOT / "openapi"])


def op(contracts, operation_id: str) -> Operation:
    return next(o for c in contracts for o in c.operations if o.operation_id == operation_id)


def creds(headers=None, query=None, cookies=None) -> Credentials:
    return Credentials({k.lower(): v for k, v in (headers or {}).items()}, query or {}, cookies or {})


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.mark.parametrize(("operation_id", "good"), [
    ("createItem", creds({"Authorization": "Bearer abc.def"})),
    ("getWithBasic", creds(basic("u", "p"))),
    ("getWithQueryKey", creds(query={"api_token": "k"})),
    ("getWithCookieKey", creds(cookies={"session": "k"})),
    ("getWithEither", creds({"X-Control-Key": "k"})),
    ("getWithEither", creds({"Authorization": "Bearer t"})),
])
def test_lenient_accepts_any_well_formed_credential(operation_id: str, good: Credentials) -> None:
    assert authenticate(op(CONTROL, operation_id), good).schemes


@pytest.mark.parametrize(("operation_id", "bad"), [
    ("createItem", creds()),
    ("createItem", creds({"Authorization": "Bearer "})),
    ("createItem", creds({"Authorization": "Token abc"})),
    ("getWithBasic", creds({"Authorization": "Basic not-base64!"})),
    ("getWithQueryKey", creds(query={"other": "k"})),
    ("getWithCookieKey", creds({"Authorization": "Bearer t"})),
])
def test_missing_or_malformed_is_401(operation_id: str, bad: Credentials) -> None:
    with pytest.raises(Unauthorized):
        authenticate(op(CONTROL, operation_id), bad)


@pytest.mark.parametrize("value", ["Bearer expired", "Bearer SCHEMATHESIS-INVALID-VALUE"])
def test_lenient_refuses_credentials_that_say_they_are_bad(value: str) -> None:
    with pytest.raises(Unauthorized, match="lenient"):
        authenticate(op(CONTROL, "createItem"), creds({"Authorization": value}))


def mint_token(tokens: dict[str, MintedToken], scopes: list[str], ttl: int, now: float | None = None) -> str:
    token, minted = new_token(scopes, ttl, now=now)
    tokens[token] = minted
    return token


def test_strict_accepts_only_minted_unexpired_tokens() -> None:
    tokens: dict = {}
    policy = AuthPolicy(strict=True, tokens=tokens)
    token = mint_token(tokens, ["ai.text_manage"], ttl=60)
    texts = op(BUNDLED, "POST-ai-generate-description")
    assert authenticate(texts, creds({"Authorization": f"Bearer {token}"}), policy).scopes == ("ai.text_manage",)
    with pytest.raises(Unauthorized, match="not issued"):
        authenticate(texts, creds({"Authorization": "Bearer made-up"}), policy)
    expired = mint_token(tokens, ["ai.text_manage"], ttl=1, now=0.0)
    with pytest.raises(Unauthorized, match="expired"):
        authenticate(texts, creds({"Authorization": f"Bearer {expired}"}), policy)


def test_strict_missing_scope_is_403_with_a_challenge() -> None:
    tokens: dict = {}
    token = mint_token(tokens, ["ai.text_manage"], ttl=60)
    with pytest.raises(Forbidden) as info:
        authenticate(op(BUNDLED, "POST-ai-completions"), creds({"Authorization": f"Bearer {token}"}),
                     AuthPolicy(strict=True, tokens=tokens))
    assert "ai.completion_manage" in info.value.message
    assert "insufficient_scope" in info.value.headers["WWW-Authenticate"]


def test_strict_keys_and_basic_pairs_come_from_api_keys() -> None:
    policy = AuthPolicy(strict=True, api_keys=frozenset({"k1", "user:pw"}))
    assert authenticate(op(CONTROL, "getWithQueryKey"), creds(query={"api_token": "k1"}), policy)
    assert authenticate(op(CONTROL, "getWithBasic"), creds(basic("user", "pw")), policy)
    with pytest.raises(Unauthorized, match="--api-key"):
        authenticate(op(CONTROL, "getWithBasic"), creds(basic("user", "nope")), policy)
    with pytest.raises(Unauthorized, match="--api-key"):
        authenticate(op(CONTROL, "getWithCookieKey"), creds(cookies={"session": "k2"}), policy)


def test_strict_accepts_an_api_key_as_a_static_bearer_token_with_every_scope() -> None:
    """A contract with bearer auth and no token endpoint can still be called (and checked) in strict mode."""
    policy = AuthPolicy(strict=True, api_keys=frozenset({"k1"}))
    completions = op(BUNDLED, "POST-ai-completions")  # requires the scope ai.completion_manage
    assert authenticate(completions, creds({"Authorization": "Bearer k1"}), policy)
    with pytest.raises(Unauthorized, match="not issued"):
        authenticate(completions, creds({"Authorization": "Bearer k2"}), policy)


def test_any_alternative_suffices_in_strict_mode() -> None:
    policy = AuthPolicy(strict=True, api_keys=frozenset({"k1"}))
    either = op(CONTROL, "getWithEither")
    assert authenticate(either, creds({"X-Control-Key": "k1", "Authorization": "Bearer unknown"}), policy)


def test_declared_scopes_cover_every_contract() -> None:
    scopes = declared_scopes(BUNDLED + CONTROL)
    assert {"ai.text_manage", "ai.completion_manage", "read"} <= set(scopes)


def test_redactor_knows_declared_credential_names() -> None:
    redactor = Redactor.for_contracts(CONTROL)
    headers = redactor.redact_headers({"authorization": "Bearer s3cret", "x-control-key": "k", "accept": "*/*"})
    assert headers == {"authorization": "***", "x-control-key": "***", "accept": "*/*"}
    assert redactor.redact_query({"api_token": "k", "page": "2"}) == {"api_token": "***", "page": "2"}
    assert redactor.redact_body({"client_id": "a", "client_secret": "b"}) == {"client_id": "a", "client_secret": "***"}
    secrets = redactor.secret_values({"authorization": "Bearer s3cret"}, {"api_token": "qk1"}, {"client_secret": "cs9"})
    assert scrub("s3cret qk1 cs9 fine", secrets) == "*** *** *** fine"


def _redacted_then_scrubbed(redactor: Redactor, body: object, secrets: set[str], depth: int = 0) -> object:
    """The journal's rule, step by step: secret fields `***` eight levels deep, then every secret
    value scrubbed from every string at any depth."""
    def redacted(value: object, level: int) -> object:
        if level > 8:
            return value
        if isinstance(value, dict):
            return {k: "***" if str(k).lower() in redactor.fields else redacted(v, level + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [redacted(v, level + 1) for v in value]
        return value

    def scrubbed(value: object) -> object:
        if isinstance(value, str):
            return scrub(value, secrets) if secrets else value
        if isinstance(value, dict):
            return {k: scrubbed(v) for k, v in value.items()}
        if isinstance(value, list):
            return [scrubbed(v) for v in value]
        return value

    return scrubbed(redacted(body, depth))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(["s3cret", "x s3cret y", "qk1", "plain", "***"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["password", "Token", "name", "items", "client_secret", "note"]), inner, max_size=3),
    max_leaves=40,
)


@given(body=JSON, secrets=st.sets(st.sampled_from(["s3cret", "qk1", "s3c", "***"]), max_size=3), deep=st.integers(0, 10))
def test_a_body_is_redacted_and_scrubbed_in_one_walk_as_in_two(body: object, secrets: set[str], deep: int) -> None:
    """Journal entries redact secret fields and scrub credential values in one walk; the result is
    the two steps' (also below the eight levels the field rule reaches)."""
    redactor = Redactor.for_contracts(CONTROL)
    for _ in range(deep):
        body = {"wrapper": [body]}
    assert redactor.redact_body(body, secrets) == _redacted_then_scrubbed(redactor, body, secrets)
