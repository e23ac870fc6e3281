"""Examples and statuses as the contract gives them: `Prefer: code=` through `default`, named
examples of error responses, errors built on the example that shows them, `Prefer: dynamic=true`
generating past examples, and a warning for every example that does not fit its schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from mock_server.app import create_app
from mock_server.cli import main
from mock_server.contracts.loading import load_contracts
from mock_server.contracts.summary import contract_warnings
from mock_server.settings import ServeSettings
from tests.fixtures.server import BUNDLED
from tests.unit.test_app import SyncASGI

ERROR = {"type": "object", "required": ["message"], "properties": {
    "message": {"type": "string"}, "code": {"type": "string"}, "field": {"type": "string"}}}
PET = {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}

CONTRACT: dict[str, Any] = {
    "openapi": "3.0.3", "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {
                "operationId": "getPet",
                "security": [{"key": []}],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": PET, "examples": {
                        "rex": {"value": {"id": 1, "name": "Rex"}},
                        "broken": {"value": {"id": "one"}}}}}},
                    "401": {"description": "no", "content": {"application/json": {"schema": ERROR, "examples": {
                        "invalidKey": {"value": {"message": "Invalid key.", "code": "key_invalid"}},
                        "missingKey": {"value": {"message": "No key.", "code": "key_missing"}}}}}},
                    "default": {"description": "other", "content": {"application/json": {"schema": ERROR, "examples": {
                        "teapot": {"value": {"message": "I'm a teapot.", "code": "teapot"}}}}},
                        "headers": {"X-Trace": {"schema": {"type": "string", "maxLength": 3}, "example": "far too long"}}},
                },
            },
        },
    },
    "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "x-key"}}},
}
KEY = {"x-key": "k"}


@pytest.fixture(scope="module")
def contract_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pets")
    (folder / "pets.yaml").write_text(yaml.safe_dump(CONTRACT))
    return folder


@pytest.fixture(scope="module")
def client(contract_dir: Path) -> SyncASGI:
    return SyncASGI(create_app(ServeSettings(contracts=(contract_dir,), access_log=False)))


def test_a_status_only_default_covers_is_answered_from_default(client: SyncASGI) -> None:
    teapot = client.request("GET", "/pets/1", headers={**KEY, "Prefer": "code=418"})
    assert teapot.status_code == 418 and teapot.json() == {"message": "I'm a teapot.", "code": "teapot"}
    assert client.request("GET", "/pets/1", headers={**KEY, "Prefer": "code=99"}).status_code == 400


def test_prefer_code_and_example_picks_that_example_of_that_status(client: SyncASGI) -> None:
    missing = client.request("GET", "/pets/1", headers={**KEY, "Prefer": "code=401, example=missingKey"})
    assert missing.status_code == 401 and missing.json() == {"message": "No key.", "code": "key_missing"}
    first = client.request("GET", "/pets/1", headers={**KEY, "Prefer": "code=401"})
    assert first.json() == {"message": "Invalid key.", "code": "key_invalid"}  # a forced status: the example whole
    unknown = client.request("GET", "/pets/1", headers={**KEY, "Prefer": "code=401, example=nope"})
    assert unknown.status_code == 400 and "invalidKey, missingKey" in unknown.json()["message"]


def test_an_error_builds_on_the_example_named_for_its_failure(client: SyncASGI) -> None:
    missing = client.request("GET", "/pets/1")
    assert missing.status_code == 401
    assert missing.json()["code"] == "key_missing" and "x-key" in missing.json()["message"]  # the mock's reason
    invalid = client.request("GET", "/pets/1", headers={"x-key": "invalid-key"})
    assert invalid.json()["code"] == "key_invalid" and "invalid" in invalid.json()["message"]
    assert "field" not in invalid.json()  # no field to name: not a generated one either


def test_dynamic_generates_even_where_examples_exist(client: SyncASGI) -> None:
    assert client.request("GET", "/pets/1", headers=KEY).json() == {"id": 1, "name": "Rex"}
    dynamic = [client.request("GET", "/pets/1", headers={**KEY, "Prefer": "dynamic=true"}).json() for _ in range(3)]
    assert all(set(pet) == {"id", "name"} and pet["name"] != "Rex" for pet in dynamic)
    named = client.request("GET", "/pets/1", headers={**KEY, "Prefer": "dynamic=true, example=rex"})
    assert named.json() == {"id": 1, "name": "Rex"}  # a named example still wins


def test_examples_that_do_not_fit_are_warned_about(contract_dir: Path) -> None:
    warnings = contract_warnings(load_contracts([contract_dir]))
    body = [w for w in warnings if "'broken'" in w]
    assert len(body) == 1 and "pets.yaml" in body[0] and "getPet 200 application/json" in body[0]
    assert '"name" is a required property' in body[0] and "not served" in body[0]
    header = [w for w in warnings if "X-Trace" in w]
    assert len(header) == 1 and "getPet default header X-Trace" in header[0] and "too long" in header[0]
    assert not [w for w in contract_warnings(load_contracts([BUNDLED])) if "example" in w]


def test_emporix_401_answers_with_the_gateways_fault_codes() -> None:
    client = SyncASGI(create_app(ServeSettings(contracts=(BUNDLED,), access_log=False)))
    texts = "/ai-service/acme/texts"
    codes = {
        client.request("POST", texts, json={"prompt": "x"}, headers=headers).json()["fault"]["detail"]["errorcode"]
        for headers in ({}, {"Authorization": "Bearer invalid"}, {"Authorization": "Bearer expired"})
    }
    assert codes == {"steps.oauth.v2.FailedToResolveAccessToken", "oauth.v2.InvalidAccessToken",
                     "keymanagement.service.access_token_expired"}
    forced = client.request("POST", texts, json={"prompt": "x"}, headers={"Authorization": "Bearer t", "Prefer": "code=401"})
    assert forced.json() == {"fault": {"faultstring": "Invalid access token", "detail": {"errorcode": "oauth.v2.InvalidAccessToken"}}}
    bad = client.request("POST", texts, json={}, headers={"Authorization": "Bearer t"}).json()
    assert set(bad) == {"code", "type", "message", "moreInfo", "details"}  # every property of ErrorMessage
    assert bad["moreInfo"].startswith("https://docs.") and bad["moreInfo"].endswith("/errors/validation")
    assert bad["details"][0]["field"] == "prompt" and bad["details"][0]["moreInfo"] == bad["moreInfo"]


def test_mock_server_contracts_prints_the_warnings(contract_dir: Path) -> None:
    result = CliRunner().invoke(main, ["contracts", "--contracts", str(contract_dir)])
    assert result.exit_code == 0
    assert "warning: " in result.output and "example 'broken' does not fit its schema" in result.output
