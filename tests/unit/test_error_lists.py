"""Error shapes that are a list of problems (FastAPI's `detail: [{loc, msg, type}]`, JSON:API's
`errors: [{status, title, detail}]`): each problem of the request is one entry, with its own message
and, where the entry has a location list, where in the request it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mock_server.app import create_app
from mock_server.settings import ServeSettings
from tests.unit.test_app import SyncASGI

FASTAPI_ERROR = {  # as FastAPI writes it into every contract it generates
    "HTTPValidationError": {"type": "object", "title": "HTTPValidationError", "properties": {"detail": {
        "type": "array", "title": "Detail", "items": {"$ref": "#/components/schemas/ValidationError"}}}},
    "ValidationError": {"type": "object", "title": "ValidationError", "required": ["loc", "msg", "type"], "properties": {
        "loc": {"type": "array", "title": "Location", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
        "msg": {"type": "string", "title": "Message"}, "type": {"type": "string", "title": "Error Type"}}},
}
JSON_API_ERROR = {"type": "object", "required": ["errors"], "properties": {"errors": {
    "type": "array", "minItems": 1, "items": {"type": "object", "properties": {
        "status": {"type": "string"}, "title": {"type": "string"}, "detail": {"type": "string"}}}}}}


def _operation(name: str, error: dict[str, Any], status: str) -> dict[str, Any]:
    return {"post": {
        "operationId": name,
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["name"],
            "properties": {"name": {"type": "string"}, "size": {"type": "integer"}}}}}},
        "responses": {"200": {"description": "ok"}, status: {"description": "invalid", "content": {
            "application/json": {"schema": error}}}},
    }}


def _client(tmp_path: Path) -> SyncASGI:
    contract = {"openapi": "3.1.0", "info": {"title": "Lists", "version": "1"},
                "paths": {"/fastapi": _operation("fastapi", {"$ref": "#/components/schemas/HTTPValidationError"}, "422"),
                          "/jsonapi": _operation("jsonapi", JSON_API_ERROR, "400")},
                "components": {"schemas": FASTAPI_ERROR}}
    (tmp_path / "lists.yaml").write_text(yaml.safe_dump(contract))
    return SyncASGI(create_app(ServeSettings(contracts=(tmp_path,), access_log=False)))


def test_fastapi_validation_errors_name_each_field_and_where_it_is(tmp_path: Path) -> None:
    client = _client(tmp_path)
    body = client.request("POST", "/fastapi", json={"size": "large"})
    assert body.status_code == 422
    detail = body.json()["detail"]
    assert [entry["loc"] for entry in detail] == [["body", "name"], ["body", "size"]]
    assert '"name" is a required property' in detail[0]["msg"] and "size" in detail[1]["msg"]
    query = client.request("POST", "/fastapi?limit=50", json={"name": "x"}).json()["detail"]
    assert query == [{"loc": ["query", "limit"], "msg": query[0]["msg"], "type": query[0]["type"]}]
    assert "50" in query[0]["msg"] and "10" in query[0]["msg"]


def test_a_json_api_error_list_carries_one_entry_per_problem(tmp_path: Path) -> None:
    answer = _client(tmp_path).request("POST", "/jsonapi", json={"size": "large"})
    errors = answer.json()["errors"]
    assert len(errors) == 2 and '"name" is a required property' in errors[0]["detail"] and "size" in errors[1]["detail"]
    assert answer.status_code == 400 and [entry["status"] for entry in errors] == ["400", "400"]  # a string, as JSON:API has it
