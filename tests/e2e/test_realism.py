"""Over a real server: `--clock real` puts generated dates around today, `MOCK_SERVER_OPTIONAL=random`
leaves optional properties out, `Location` names the created resource on the server's own address,
and `serve` warns about a declared example that does not fit its schema."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from tests.fixtures.server import RunningServer, start_server

PERSON = {"type": "object", "required": ["id"], "properties": {
    "id": {"type": "integer"}, "firstName": {"type": "string"}, "lastName": {"type": "string"},
    "email": {"type": "string", "format": "email"}, "createdAt": {"type": "string", "format": "date-time"},
    "expiresAt": {"type": "string", "format": "date-time"}, "city": {"type": "string"}, "phone": {"type": "string"}}}
CONTRACT: dict[str, Any] = {
    "openapi": "3.0.3", "info": {"title": "People", "version": "1"},
    "paths": {"/people": {
        "get": {"operationId": "listPeople",
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}}}}}}},
        "post": {"operationId": "createPerson",
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
                 "responses": {"201": {"description": "made",
                                       "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}},
                                       "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Person"},
                                                                        "examples": {"broken": {"value": {"id": "x"}}}}}},
                               "400": {"description": "bad", "content": {"application/json": {"schema": {
                                   "type": "object", "properties": {"message": {"type": "string"}}}}}}}}}},
    "components": {"schemas": {"Person": PERSON}},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder = tmp_path_factory.mktemp("people")
    (folder / "people.yaml").write_text(yaml.safe_dump(CONTRACT))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOCK_SERVER_OPTIONAL", "random")
        running = start_server("--contracts", str(folder), "--clock", "real")
    yield running
    running.stop()


def stamp(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def test_dates_are_around_the_real_clock_and_optional_fields_vary(server: RunningServer) -> None:
    now = time.time()
    people = [p for q in range(6) for p in httpx.get(f"{server.url}/people", params={"q": q}).json()]
    assert people and all("id" in p for p in people)
    assert any(len(p) < len(PERSON["properties"]) for p in people)  # some optional ones left out
    assert all(now - 3 * 365 * 86_400 < stamp(p["createdAt"]) < now + 5 for p in people if "createdAt" in p)
    assert all(now < stamp(p["expiresAt"]) < now + 2 * 365 * 86_400 for p in people if "expiresAt" in p)


def test_location_names_the_created_person_and_the_broken_example_is_warned_about(server: RunningServer) -> None:
    created = httpx.post(f"{server.url}/people", json={})
    assert created.status_code == 201 and created.json()["id"] != "x"  # the broken example is never served
    assert created.headers["location"] == f"{server.url}/people/{created.json()['id']}"
    log = server.log()
    assert "createPerson 201 application/json: example 'broken' does not fit its schema" in log
