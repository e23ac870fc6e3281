"""The pipeline in-process: routing, validation, examples, negotiation and error shapes."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from mock_server.app import create_app
from mock_server.settings import ServeSettings

ERROR = {"type": "object", "required": ["code", "message"],
         "properties": {"code": {"type": "integer"}, "message": {"type": "string", "maxLength": 200}}}

CONTRACT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Things", "version": "1"},
    "servers": [{"url": "https://api.example.com/v2"}],
    "paths": {
        "/things": {
            "get": {
                "operationId": "listThings",
                "parameters": [
                    {"name": "limit", "in": "query", "required": True, "schema": {"type": "integer", "maximum": 50}},
                    {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "X-Trace", "in": "header", "required": True, "schema": {"type": "string", "format": "uuid"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {"X-Total-Count": {"required": True, "schema": {"type": "integer", "minimum": 0}}},
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                                "examples": {"one": {"value": [{"id": 1, "name": "a"}]},
                                             "broken": {"value": [{"id": "not an int"}]},
                                             "two": {"value": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]}},
                            },
                            "text/csv": {"schema": {"type": "string"}, "example": "id,name\n1,a\n"},
                        },
                    },
                    "400": {"description": "bad", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                },
            },
            "post": {
                "operationId": "createThing",
                "requestBody": {"required": True, "content": {
                    "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "responses": {
                    "201": {"description": "made", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                    "406": {"description": "no", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                    "422": {"description": "invalid", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                },
            },
        },
        "/ping": {"get": {"operationId": "ping", "responses": {"200": {"description": "pong", "content": {
            "application/json": {"schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}}}}}}}},
    },
    "components": {"schemas": {
        "Thing": {"type": "object", "required": ["id", "name"], "properties": {
            "id": {"type": "integer", "readOnly": True}, "name": {"type": "string", "minLength": 1}}},
        "Error": ERROR,
    }},
}
TRACE = {"X-Trace": "5f0c6f3e-8a4f-4e3a-9c39-2b1d8f0b6d11"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> httpx.Client:
    folder = tmp_path_factory.mktemp("contracts")
    (folder / "things.yaml").write_text(yaml.safe_dump(CONTRACT))
    app = create_app(ServeSettings(contracts=(folder,), access_log=False))
    return SyncASGI(app)


class SyncASGI:
    """A tiny synchronous facade over httpx's ASGI transport."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://mock") as c:
                return await c.request(method, url, **kwargs)
        return asyncio.run(call())


def test_mounted_under_the_servers_base_path(client: SyncASGI) -> None:
    assert client.request("GET", "/v2/ping").status_code == 200
    assert client.request("GET", "/ping").status_code == 404
    trailing = client.request("GET", "/v2/ping/")
    assert trailing.status_code == 404 and "location" not in trailing.headers  # no undeclared redirect
    assert client.request("HEAD", "/v2/ping").status_code == 200


def test_parameters_are_coerced_and_validated(client: SyncASGI) -> None:
    ok = client.request("GET", "/v2/things?limit=5&tags=a&tags=b", headers=TRACE)
    assert ok.status_code == 200
    assert int(ok.headers["x-total-count"]) >= 0
    too_big = client.request("GET", "/v2/things?limit=500", headers=TRACE)
    assert too_big.status_code == 400
    assert too_big.json()["code"] == 400 and "query.limit" in too_big.json()["message"]
    missing = client.request("GET", "/v2/things", headers=TRACE)
    assert "'limit' is required" in missing.json()["message"]
    bad_header = client.request("GET", "/v2/things?limit=1", headers={"X-Trace": "nope"})
    assert bad_header.status_code == 400 and "header.X-Trace" in bad_header.json()["message"]


def test_examples_first_by_name_and_invalid_ones_never_served(client: SyncASGI) -> None:
    first = client.request("GET", "/v2/things?limit=1", headers=TRACE)
    assert first.json() == [{"id": 1, "name": "a"}]
    named = client.request("GET", "/v2/things?limit=1", headers={**TRACE, "Prefer": "example=two"})
    assert len(named.json()) == 2
    broken = client.request("GET", "/v2/things?limit=1", headers={**TRACE, "Prefer": "example=broken"})
    assert broken.status_code == 400 and "one, two" in broken.json()["message"]


def test_accept_negotiation_without_a_declared_406(client: SyncASGI) -> None:
    csv = client.request("GET", "/v2/things?limit=1", headers={**TRACE, "Accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("id,name")
    # Nothing acceptable is declared and 406 is not: the declared fallback (400) in the contract's shape.
    refused = client.request("GET", "/v2/things?limit=1", headers={**TRACE, "Accept": "application/xml"})
    assert refused.status_code == 400 and refused.headers["content-type"] == "application/json"
    assert refused.json()["code"] == 400 and "Accept: application/xml" in refused.json()["message"]


def test_form_body_validation_prefers_declared_422_and_read_only_is_not_required(client: SyncASGI) -> None:
    made = client.request("POST", "/v2/things", data={"name": "x"})
    assert made.status_code == 201
    assert isinstance(made.json()["id"], int)
    invalid = client.request("POST", "/v2/things", data={"name": ""})
    assert invalid.status_code == 422 and "body.name" in invalid.json()["message"]
    missing = client.request("POST", "/v2/things")
    assert missing.status_code == 422 and "required" in missing.json()["message"]


def test_accept_with_a_declared_406(client: SyncASGI) -> None:
    refused = client.request("POST", "/v2/things", data={"name": "x"}, headers={"Accept": "text/html"})
    assert refused.status_code == 406 and "Accept" in refused.json()["message"]


def test_no_declared_error_falls_back_to_problem_json(client: SyncASGI) -> None:
    wrong = client.request("DELETE", "/v2/ping")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET"
    assert wrong.headers["content-type"] == "application/problem+json"


def test_same_request_same_bytes_and_dynamic_varies(client: SyncASGI) -> None:
    first = client.request("POST", "/v2/things", data={"name": "x"})
    again = client.request("POST", "/v2/things", data={"name": "x"})
    assert first.content == again.content
    dynamic = {client.request("POST", "/v2/things", data={"name": "x"}, headers={"Prefer": "dynamic=true"}).content
               for _ in range(5)}
    assert len(dynamic) > 1


def test_a_deleted_resource_answers_its_declared_404_until_reset(tmp_path: Path) -> None:
    contract = {
        "openapi": "3.0.3", "info": {"title": "Docs", "version": "1"},
        "paths": {"/docs/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": "getDoc", "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
                "404": {"description": "gone", "content": {"application/json": {"schema": ERROR}}}}},
            "delete": {"operationId": "deleteDoc", "responses": {"204": {"description": "deleted"}}},
            "put": {"operationId": "putDoc", "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                    "responses": {"200": {"description": "ok"}}},
        }},
    }
    (tmp_path / "docs.yaml").write_text(yaml.safe_dump(contract))
    client = SyncASGI(create_app(ServeSettings(contracts=(tmp_path,), access_log=False)))
    assert client.request("GET", "/docs/1").status_code == 200
    assert client.request("DELETE", "/docs/1").status_code == 204
    gone = client.request("GET", "/docs/1")
    assert gone.status_code == 404 and "deleted" in gone.json()["message"]
    assert client.request("GET", "/docs/2").status_code == 200
    assert client.request("PUT", "/docs/1", json={}).status_code == 200
    assert client.request("GET", "/docs/1").status_code == 200
    client.request("DELETE", "/docs/1")
    assert client.request("POST", "/__mock/reset").status_code in (200, 204)
    assert client.request("GET", "/docs/1").status_code == 200


def test_a_post_handing_out_a_deleted_id_recreates_it(tmp_path: Path) -> None:
    contract = {
        "openapi": "3.0.3", "info": {"title": "Docs", "version": "1"},
        "paths": {
            "/docs": {"post": {"operationId": "createDoc", "responses": {"201": {"description": "made", "content": {
                "application/json": {"schema": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string", "format": "uuid"}}}}}}}}},
            "/docs/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {"operationId": "getDoc", "responses": {
                    "200": {"description": "ok"},
                    "404": {"description": "gone", "content": {"application/json": {"schema": ERROR}}}}},
                "delete": {"operationId": "deleteDoc", "responses": {"204": {"description": "deleted"}}}},
        },
    }
    (tmp_path / "docs.yaml").write_text(yaml.safe_dump(contract))
    client = SyncASGI(create_app(ServeSettings(contracts=(tmp_path,), access_log=False)))
    created = client.request("POST", "/docs").json()["id"]
    client.request("DELETE", f"/docs/{created}")
    assert client.request("GET", f"/docs/{created}").status_code == 404
    assert client.request("POST", "/docs").json()["id"] == created  # deterministic: the same id again
    assert client.request("GET", f"/docs/{created}").status_code == 200


def test_latency_applies_to_rejected_requests_too(tmp_path: Path) -> None:
    (tmp_path / "things.yaml").write_text(yaml.safe_dump(CONTRACT))
    slow = SyncASGI(create_app(ServeSettings(contracts=(tmp_path,), access_log=False, latency_ms=(150, 150))))
    started = time.perf_counter()
    rejected = slow.request("GET", "/v2/things", headers=TRACE)  # no limit: a validation error
    assert rejected.status_code == 400
    assert time.perf_counter() - started >= 0.15


def test_errors_carry_a_machine_readable_kind_where_the_shape_has_one(tmp_path: Path) -> None:
    openai_error = {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["message", "type"],
        "properties": {"message": {"type": "string"}, "type": {"type": "string"}, "param": {"type": "string", "nullable": True}}}}}
    oauth_error = {"type": "object", "required": ["error"], "properties": {
        "error": {"type": "string"}, "error_description": {"type": "string"}}}
    contract = {"openapi": "3.0.3", "info": {"title": "E", "version": "1"}, "paths": {
        "/chat": {"post": {"operationId": "chat", "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"type": "object", "required": ["model"], "properties": {"model": {"type": "string"}}}}}},
            "responses": {"200": {"description": "ok"}, "400": {"description": "bad", "content": {
                "application/json": {"schema": openai_error}}}}}},
        "/token": {"post": {"operationId": "token", "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"type": "object", "required": ["grant_type"], "properties": {"grant_type": {"type": "string"}}}}}},
            "responses": {"200": {"description": "ok"}, "400": {"description": "bad", "content": {
                "application/json": {"schema": oauth_error}}}}}}}}
    (tmp_path / "e.yaml").write_text(yaml.safe_dump(contract))
    client = SyncASGI(create_app(ServeSettings(contracts=(tmp_path,), access_log=False)))
    chat = client.request("POST", "/chat", json={}).json()["error"]
    assert chat["type"] == "invalid_request_error" and "model" in chat["message"] and chat["param"] == "model"
    token = client.request("POST", "/token", json={}).json()
    assert token["error"] == "invalid_request" and "grant_type" in token["error_description"]


def test_a_string_code_comes_from_the_responses_example_else_from_the_status(tmp_path: Path) -> None:
    """Generated words are no code a client could branch on: the contract's example gives it, else the
    status's conventional code."""
    error = {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["message", "code"],
        "properties": {"message": {"type": "string"}, "code": {"type": "string", "nullable": True}}}}}

    def bad(example: dict[str, Any] | None) -> dict[str, Any]:
        media: dict[str, Any] = {"schema": error}
        if example is not None:
            media["example"] = example
        return {"description": "bad", "content": {"application/json": media}}

    def operation(name: str, example: dict[str, Any] | None) -> dict[str, Any]:
        return {"post": {"operationId": name, "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"type": "object", "required": ["model"], "properties": {"model": {"type": "string"}}}}}},
            "responses": {"200": {"description": "ok"}, "400": bad(example)}}}

    contract = {"openapi": "3.0.3", "info": {"title": "E", "version": "1"}, "paths": {
        "/with": operation("withExample", {"error": {"message": "Bad model.", "code": "model_invalid"}}),
        "/without": operation("withoutExample", None)}}
    (tmp_path / "e.yaml").write_text(yaml.safe_dump(contract))
    client = SyncASGI(create_app(ServeSettings(contracts=(tmp_path,), access_log=False)))
    with_example = client.request("POST", "/with", json={}).json()["error"]
    assert with_example["code"] == "model_invalid" and "model" in with_example["message"]
    assert with_example["message"] != "Bad model."  # the message is still the request's own
    assert client.request("POST", "/without", json={}).json()["error"]["code"] == "bad_request"


def test_a_list_of_details_holds_one_detail_about_the_error(tmp_path: Path) -> None:
    """Emporix-style `details`: generated entries would send a form's field errors to made-up fields.
    Where the schema wants more than one detail, the body stays valid (generated details)."""
    detail = {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}

    def operation(name: str, min_items: int) -> dict[str, Any]:
        error = {"type": "object", "properties": {"code": {"type": "integer"}, "message": {"type": "string"}, "details": {
            "type": "array", "minItems": min_items, "items": detail}}}
        return {"post": {"operationId": name, "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"type": "object", "required": ["prompt"], "properties": {"prompt": {"type": "string"}}}}}},
            "responses": {"200": {"description": "ok"}, "400": {"description": "bad", "content": {
                "application/json": {"schema": error}}}}}}

    contract = {"openapi": "3.0.3", "info": {"title": "E", "version": "1"},
                "paths": {"/one": operation("one", 0), "/two": operation("two", 2)}}
    (tmp_path / "e.yaml").write_text(yaml.safe_dump(contract))
    client = SyncASGI(create_app(ServeSettings(contracts=(tmp_path,), access_log=False)))
    body = client.request("POST", "/one", json={}).json()
    assert body["code"] == 400 and "prompt" in body["message"]
    assert body["details"] == [{"field": "prompt", "message": body["message"]}]
    two = client.request("POST", "/two", json={})
    assert two.status_code == 400 and len(two.json()["details"]) >= 2 and two.json()["message"] == body["message"]


def test_a_recorded_stream_is_replayed_and_one_that_breaks_the_contract_is_not(tmp_path: Path) -> None:
    """`mock-server proxy --record` saves a stream's event `data`s; `serve --examples` replays them."""
    chunk = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
    events = {"schema": {"type": "string"}, "x-sse-event-schema": chunk, "x-sse-terminator": "[DONE]"}
    contract = {"openapi": "3.0.3", "info": {"title": "S", "version": "1"}, "paths": {
        "/stream": {"get": {"operationId": "streamThings", "responses": {"200": {"description": "events", "content": {
            "text/event-stream": events}}}}},
        "/either": {"get": {"operationId": "jsonOrStream", "responses": {"200": {"description": "either", "content": {
            "application/json": {"schema": chunk}, "text/event-stream": events}}}}}}}
    contracts, recorded = tmp_path / "contracts", tmp_path / "recorded"
    contracts.mkdir()
    recorded.mkdir()
    (contracts / "s.yaml").write_text(yaml.safe_dump(contract))

    def record(name: str, datas: list[str]) -> None:
        (recorded / f"{name}.json").write_text(json.dumps(
            {"operationId": name.split(".")[0], "status": 200, "media_type": "text/event-stream", "body": datas}))

    record("streamThings.200.1", ['{"text": "Hello"}', '{"text": " world"}', "[DONE]"])
    record("streamThings.200.2", ['{"text": "no terminator"}'])  # the upstream's defect
    record("streamThings.200.3", ['{"words": 3}', "[DONE]"])  # breaks the event schema
    record("streamThings.200.4", [])  # no event at all
    record("streamThings.200.5", ["[DONE]", '{"text": "late"}', "[DONE]"])  # events after the terminator
    record("jsonOrStream.200.1", ['{"text": "Hello"}', "[DONE]"])
    client = SyncASGI(create_app(ServeSettings(contracts=(contracts,), examples=recorded, access_log=False)))
    replayed = client.request("GET", "/stream")
    assert replayed.headers["content-type"].startswith("text/event-stream")
    assert replayed.text == 'data: {"text": "Hello"}\n\ndata: {"text": " world"}\n\ndata: [DONE]\n\n'
    named = client.request("GET", "/stream", headers={"Prefer": "example=streamThings.200.1"})
    assert named.text == replayed.text
    generated = client.request("GET", "/stream", headers={"Prefer": "dynamic=true"})  # the schema's, not the recording
    assert generated.text.startswith('data: {"text":') and "Hello" not in generated.text
    assert generated.text.endswith("data: [DONE]\n\n")
    for broken in ("streamThings.200.2", "streamThings.200.3", "streamThings.200.4", "streamThings.200.5"):
        refused = client.request("GET", "/stream", headers={"Prefer": f"example={broken}"})
        assert refused.status_code == 400 and "streamThings.200.1" in refused.text
    either = client.request("GET", "/either", headers={"Prefer": "example=jsonOrStream.200.1"})  # no Accept: JSON first
    assert either.headers["content-type"].startswith("text/event-stream")
    assert either.text == 'data: {"text": "Hello"}\n\ndata: [DONE]\n\n'
