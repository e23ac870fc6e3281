"""Checks of the bundled OpenAPI contracts under ``openapi/``.

(a) every contract file is a valid OpenAPI document;
(b) every operation has an operationId (unique across contracts) and declares a 4xx response;
(c) every example declared on a request or response media type validates against its schema;
(d) facts the Emporix and Kodexa contracts must state (scopes, error schemas, auth, bounds).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator, OAS31Validator
from openapi_spec_validator import validate as validate_spec

REPO = Path(__file__).resolve().parents[2]
OPENAPI_DIR = REPO / "openapi"
SUFFIXES = {".yaml", ".yml", ".json"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

EMPORIX_AI = "emporix/ai-service.yaml"
EMPORIX_OAUTH = "emporix/oauth.yaml"
KODEXA = "kodexa/chat-completions.yaml"
BUNDLED = (EMPORIX_AI, EMPORIX_OAUTH, KODEXA)


def _contract_files() -> list[Path]:
    return sorted(p for p in OPENAPI_DIR.rglob("*") if p.is_file() and p.suffix in SUFFIXES)


CONTRACT_FILES = _contract_files()
CONTRACT_IDS = [str(p.relative_to(OPENAPI_DIR)) for p in CONTRACT_FILES]


@cache
def _load_cached(path: str) -> Any:
    with open(path, encoding="utf-8") as fh:
        if path.endswith(".json"):
            return json.load(fh)
        return yaml.safe_load(fh)


def load(path: Path | str) -> dict[str, Any]:
    """A fresh copy of the parsed contract (tests may mutate it)."""
    path = Path(path)
    if not path.is_absolute():
        path = OPENAPI_DIR / path
    return copy.deepcopy(_load_cached(str(path)))


def resolve(doc: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref`` chains (``#/a/b``) until a non-reference node."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local references are used in bundled contracts: {ref}"
        assert ref not in seen, f"reference cycle at {ref}"
        seen.add(ref)
        target: Any = doc
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in (doc.get("paths") or {}).items():
        item = resolve(doc, item)
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield path, method, op


def media_types(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (location, media type object) of request bodies and responses."""
    for path, method, op in operations(doc):
        where = f"{method.upper()} {path}"
        if "requestBody" in op:
            body = resolve(doc, op["requestBody"])
            for mt, obj in (body.get("content") or {}).items():
                yield f"{where} request {mt}", obj
        for status, resp in (op.get("responses") or {}).items():
            resp = resolve(doc, resp)
            for mt, obj in (resp.get("content") or {}).items():
                yield f"{where} {status} {mt}", obj
    components = doc.get("components") or {}
    for kind in ("requestBodies", "responses"):
        for name, obj in (components.get(kind) or {}).items():
            obj = resolve(doc, obj)
            for mt, media in (obj.get("content") or {}).items():
                yield f"components/{kind}/{name} {mt}", media


def declared_examples(doc: dict[str, Any], media: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    if "example" in media:
        yield "example", media["example"]
    for name, ex in (media.get("examples") or {}).items():
        ex = resolve(doc, ex)
        if "value" in ex:
            yield f"examples/{name}", ex["value"]


def schema_validator(doc: dict[str, Any], schema: dict[str, Any]):
    """A validator for ``schema`` whose ``#/components/...`` references resolve in ``doc``."""
    cls = OAS31Validator if str(doc.get("openapi", "")).startswith("3.1") else OAS30Validator
    root = {"allOf": [schema], "components": doc.get("components") or {}}
    return cls(root, format_checker=cls.FORMAT_CHECKER)


def example_errors(doc: dict[str, Any]) -> tuple[int, list[str]]:
    """(number of examples checked, messages of those that do not match their schema)."""
    checked, errors = 0, []
    for where, media in media_types(doc):
        examples = list(declared_examples(doc, media))
        if not examples:
            continue
        assert "schema" in media, f"{where}: example without a schema"
        validator = schema_validator(doc, media["schema"])
        for name, value in examples:
            checked += 1
            for err in validator.iter_errors(value):
                path = "/".join(map(str, err.absolute_path))
                errors.append(f"{where} {name} at '{path}': {err.message}")
    return checked, errors


def op_by_id(doc: dict[str, Any], operation_id: str) -> dict[str, Any]:
    for _, _, op in operations(doc):
        if op.get("operationId") == operation_id:
            return op
    raise AssertionError(f"no operation {operation_id}")


def response_schema(doc: dict[str, Any], op: dict[str, Any], status: str, mt: str = "application/json") -> dict:
    resp = resolve(doc, op["responses"][status])
    return resp["content"][mt]["schema"]


# --- (a) validity ---------------------------------------------------------------------------


def test_bundled_contracts_are_present():
    for rel in BUNDLED:
        assert (OPENAPI_DIR / rel).is_file(), f"missing bundled contract openapi/{rel}"


@pytest.mark.parametrize("path", CONTRACT_FILES, ids=CONTRACT_IDS)
def test_contract_is_valid_openapi(path: Path):
    validate_spec(load(path))


def test_spec_validation_can_fail():
    doc = load(EMPORIX_AI)
    for item in doc["paths"].values():
        item.pop("parameters")  # {tenant} used but no longer declared, as in the raw seeds
    with pytest.raises(Exception):
        validate_spec(doc)


# --- (b) operations -------------------------------------------------------------------------


@pytest.mark.parametrize("path", CONTRACT_FILES, ids=CONTRACT_IDS)
def test_operations_have_id_and_4xx(path: Path):
    doc = load(path)
    ops = list(operations(doc))
    assert ops, "contract declares no operation"
    for p, method, op in ops:
        assert op.get("operationId"), f"{method.upper()} {p}: no operationId"
        statuses = [str(s) for s in op.get("responses", {})]
        assert any(s.startswith("4") for s in statuses), f"{method.upper()} {p}: no 4xx response ({statuses})"


def test_operation_ids_are_unique_across_contracts():
    seen: dict[str, str] = {}
    for path, rel in zip(CONTRACT_FILES, CONTRACT_IDS):
        for p, method, op in operations(load(path)):
            oid = op.get("operationId")
            assert oid not in seen, f"operationId {oid} in {rel} and {seen[oid]}"
            seen[oid] = rel


# --- (c) examples ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", CONTRACT_FILES, ids=CONTRACT_IDS)
def test_examples_match_their_schema(path: Path):
    _, errors = example_errors(load(path))
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("rel", BUNDLED)
def test_bundled_contracts_carry_examples(rel: str):
    checked, _ = example_errors(load(rel))
    assert checked >= 1


def test_example_check_can_fail():
    doc = load(KODEXA)
    op = op_by_id(doc, "createChatCompletion")
    op["requestBody"]["content"]["application/json"]["example"]["temperature"] = 3
    ok = resolve(doc, op["responses"]["200"])["content"]["application/json"]["example"]
    ok["object"] = "chat.completion.chunk"
    del ok["choices"][0]["message"]["role"]
    _, errors = example_errors(doc)
    joined = "\n".join(errors)
    assert "temperature" in joined
    assert "object" in joined
    assert "role" in joined


# --- (d) facts: Emporix AI Service ------------------------------------------------------------

EMPORIX_SCOPES = {
    "POST-ai-generate-description": ("/ai-service/{tenant}/texts", "ai.text_manage"),
    "POST-ai-completions": ("/ai-service/{tenant}/completions", "ai.completion_manage"),
}


@pytest.mark.parametrize("operation_id", sorted(EMPORIX_SCOPES))
def test_emporix_operation_scope(operation_id: str):
    doc = load(EMPORIX_AI)
    path, scope = EMPORIX_SCOPES[operation_id]
    op = doc["paths"][path]["post"]
    assert op["operationId"] == operation_id
    assert op["security"] == [{"OAuth2": [scope]}]


def test_emporix_oauth2_scheme():
    doc = load(EMPORIX_AI)
    assert doc["servers"] == [{"url": "https://api.emporix.io"}]
    flow = doc["components"]["securitySchemes"]["OAuth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "https://api.emporix.io/oauth/token"
    assert {"ai.text_manage", "ai.completion_manage"} <= set(flow["scopes"])


@pytest.mark.parametrize("operation_id", sorted(EMPORIX_SCOPES))
def test_emporix_error_schemas(operation_id: str):
    doc = load(EMPORIX_AI)
    op = op_by_id(doc, operation_id)
    assert sorted(op["responses"]) == ["200", "400", "401", "403", "500"]
    assert response_schema(doc, op, "401") == {"$ref": "#/components/schemas/ErrorMessageFault"}
    for status in ("400", "403", "500"):
        assert response_schema(doc, op, status) == {"$ref": "#/components/schemas/ErrorMessage"}
    assert response_schema(doc, op, "200") == {"$ref": "#/components/schemas/GenerationResponse"}


def test_emporix_tenant_declared():
    doc = load(EMPORIX_AI)
    for path in ("/ai-service/{tenant}/texts", "/ai-service/{tenant}/completions"):
        params = [resolve(doc, p) for p in doc["paths"][path].get("parameters", [])]
        tenant = [p for p in params if p["name"] == "tenant"]
        assert tenant and tenant[0]["in"] == "path" and tenant[0]["required"] is True
        assert tenant[0]["schema"] == {"type": "string"}


def test_emporix_error_shapes():
    schemas = load(EMPORIX_AI)["components"]["schemas"]
    assert set(schemas["ErrorMessage"]["properties"]) == {"code", "type", "message", "moreInfo", "details"}
    fault = schemas["ErrorMessageFault"]["properties"]["fault"]["properties"]
    assert "faultstring" in fault
    assert "errorcode" in fault["detail"]["properties"]


def test_emporix_texts_defaults_and_prose_facts():
    doc = load(EMPORIX_AI)
    schemas = doc["components"]["schemas"]
    assert schemas["TextGenerationRequest"]["properties"]["maxTokens"]["default"] == 4097
    assert "only if the ID was provided" in schemas["GenerationResponse"]["properties"]["id"]["description"]
    for operation_id in EMPORIX_SCOPES:
        text = op_by_id(doc, operation_id)["description"]
        assert "gpt-4o-mini" in text
        assert "3 mln input tokens and 1 mln output tokens" in text
        assert "openAiApiToken" in text


# --- (d) facts: Emporix OAuth ---------------------------------------------------------------


def test_emporix_oauth_token():
    doc = load(EMPORIX_OAUTH)
    op = doc["paths"]["/oauth/token"]["post"]
    assert op["operationId"] == "createAccessToken"
    assert op["security"] == []
    form = resolve(doc, op["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"])
    # the client may authenticate in the form or by HTTP basic (RFC 6749 §2.3.1): only grant_type is required
    assert set(form["required"]) == {"grant_type"} and {"client_id", "client_secret"} <= set(form["properties"])
    assert form["properties"]["grant_type"]["enum"] == ["client_credentials"]
    token = resolve(doc, response_schema(doc, op, "200"))
    assert token["properties"]["token_type"]["enum"] == ["Bearer"]
    assert token["properties"]["expires_in"]["type"] == "integer"
    for status in ("400", "401"):
        err = resolve(doc, response_schema(doc, op, status))
        assert {"error", "error_description"} <= set(err["properties"])
    examples = op["responses"]["400"]["content"]["application/json"]["examples"]
    assert {e["value"]["error"] for e in examples.values()} == {"invalid_request", "unsupported_grant_type"}
    assert op["responses"]["401"]["content"]["application/json"]["example"]["error"] == "invalid_client"


# --- (d) facts: Kodexa ----------------------------------------------------------------------


def _kodexa() -> tuple[dict[str, Any], dict[str, Any]]:
    doc = load(KODEXA)
    return doc, doc["paths"]["/api/organizations/{orgId}/ai/chat/completions"]["post"]


def test_kodexa_api_key_required():
    doc, op = _kodexa()
    schemes = doc["components"]["securitySchemes"]
    names = [name for req in op["security"] for name in req]
    assert names, "operation declares no security requirement"
    for name in names:
        assert schemes[name] == {**schemes[name], "type": "apiKey", "in": "header", "name": "x-api-key"}


def test_kodexa_request_bounds():
    doc, op = _kodexa()
    assert op["operationId"] == "createChatCompletion"
    req = resolve(doc, op["requestBody"]["content"]["application/json"]["schema"])
    props = req["properties"]
    assert (props["temperature"]["minimum"], props["temperature"]["maximum"]) == (0, 2)
    assert (props["top_p"]["minimum"], props["top_p"]["maximum"]) == (0, 1)
    assert (props["n"]["minimum"], props["n"]["maximum"]) == (1, 128)
    assert set(req["required"]) == {"model", "messages"}
    assert req["additionalProperties"] is True
    validator = schema_validator(doc, op["requestBody"]["content"]["application/json"]["schema"])
    base = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    assert validator.is_valid({**base, "temperature": 2, "stop": None, "extra_field": 1})
    assert not validator.is_valid({**base, "temperature": 2.5})
    assert not validator.is_valid({**base, "temperature": -0.1})
    assert not validator.is_valid({**base, "stop": ["a", "b", "c", "d", "e"]})
    assert not validator.is_valid({"model": "m", "messages": []})


def test_kodexa_org_id_uuid():
    doc, _ = _kodexa()
    params = [resolve(doc, p) for p in doc["paths"]["/api/organizations/{orgId}/ai/chat/completions"]["parameters"]]
    (org,) = [p for p in params if p["name"] == "orgId"]
    assert org["in"] == "path" and org["required"] is True and org["schema"]["format"] == "uuid"


def test_kodexa_responses_and_stream():
    doc, op = _kodexa()
    assert {"200", "400", "401", "403", "404", "429", "500"} <= set(op["responses"])
    ok = resolve(doc, op["responses"]["200"])["content"]
    assert resolve(doc, ok["application/json"]["schema"])["properties"]["object"]["enum"] == ["chat.completion"]
    sse = ok["text/event-stream"]
    assert sse["schema"]["type"] == "object" and sse["schema"]["required"] == ["data"]  # one parsed event
    assert sse["x-sse-terminator"] == "[DONE]"
    chunk = resolve(doc, sse["x-sse-event-schema"])
    assert chunk["properties"]["object"]["enum"] == ["chat.completion.chunk"]
    chunk_validator = schema_validator(doc, sse["x-sse-event-schema"])
    usage_chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [],
                   "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}}
    assert chunk_validator.is_valid(usage_chunk)
    assert chunk_validator.is_valid({**usage_chunk, "usage": None})
    assert not chunk_validator.is_valid({**usage_chunk, "usage": {"prompt_tokens": 1}})


def test_kodexa_errors_use_openai_body():
    doc, op = _kodexa()
    for status in ("400", "401", "403", "404", "429", "500"):
        assert response_schema(doc, op, status) == {"$ref": "#/components/schemas/ErrorResponse"}
    err = doc["components"]["schemas"]["ErrorResponse"]
    assert err["required"] == ["error"]
    assert set(err["properties"]["error"]["required"]) == {"message", "type"}
    headers = resolve(doc, op["responses"]["429"])["headers"]
    assert resolve(doc, headers["Retry-After"])["schema"]["type"] == "integer"
