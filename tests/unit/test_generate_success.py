"""A success answer looks like a success: where a 2xx body is declared as a union that includes the
contract's error shape (`200: anyOf [Item, Problem]`), the generated body is the resource, never
the error; error answers and all-error unions are left as declared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mock_server.contracts.index import Operation, index_contract
from mock_server.contracts.loading import load_contracts
from mock_server.contracts.validators import compile_validator
from mock_server.generate import Source, new_faker
from mock_server.generate.responses import OperationResponses

FAKER = new_faker()
SEEDS = range(50)
AMOCRM = Path(__file__).parents[1] / "contracts" / "corpus" / "amocrm" / "openapi.yaml"

ITEM = {
    "type": "object", "required": ["id", "name"], "additionalProperties": False,
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}
PROBLEM = {
    "type": "object", "required": ["type", "title", "status"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                   "detail": {"type": "string"}},
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}, "description": "answer"}


def _operation(responses: dict[str, Any], schemas: dict[str, Any], path: str = "/items/{id}") -> Operation:
    document = {
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {path: {"get": {"operationId": "getItem", "responses": responses,
                                 "parameters": [{"name": "id", "in": "path", "required": True,
                                                 "schema": {"type": "integer"}}]}}},
        "components": {"schemas": schemas},
    }
    (operation,) = index_contract(document, Path("t.yaml"), "t").operations
    return operation


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _bodies(operation: Operation, status: int) -> list[Any]:
    media = OperationResponses(operation).for_status(status).media["application/json"]
    return [media.body(Source.from_seed(seed, FAKER), use_examples=False) for seed in SEEDS]


@pytest.mark.parametrize("union", ["anyOf", "oneOf"])
def test_success_body_is_never_the_error_shape_the_contract_uses(union: str) -> None:
    operation = _operation(
        {"200": _json({union: [_ref("Item"), _ref("Problem")]}), "400": _json(_ref("Problem"))},
        {"Item": ITEM, "Problem": PROBLEM},
    )
    item, problem = compile_validator(ITEM, {}), compile_validator(PROBLEM, {})
    bodies = _bodies(operation, 200)
    assert all(item.is_valid(body) and not problem.is_valid(body) for body in bodies), bodies
    assert bodies == _bodies(operation, 200)  # same seed, same body


@pytest.mark.parametrize("name, schema", [("ApiError", {"type": "object", "properties": {"message": {"type": "string"}}}),
                                          ("Oops", PROBLEM)])
def test_without_error_responses_a_branch_that_looks_like_an_error_is_left_out(name: str, schema: dict) -> None:
    """No 4xx/5xx to learn the shape from: the name (`*Error`) or RFC 9457 fields tell."""
    operation = _operation({"200": _json({"anyOf": [{"allOf": [_ref("Item")]}, _ref(name)]})}, {"Item": ITEM, name: schema})
    item = compile_validator(ITEM, {})
    assert all(item.is_valid(body) for body in _bodies(operation, 200))


def test_error_answers_and_all_error_unions_keep_every_branch() -> None:
    operation = _operation(
        {"200": _json({"anyOf": [_ref("Problem"), _ref("Fault")]}),
         "400": _json({"anyOf": [_ref("Item"), _ref("Problem")]}), "500": _json(_ref("Problem"))},
        {"Item": ITEM, "Problem": PROBLEM, "Fault": PROBLEM},
    )
    item = compile_validator(ITEM, {})
    assert not all(item.is_valid(body) for body in _bodies(operation, 400))  # the error answer still varies
    problem = compile_validator(PROBLEM, {})
    assert all(problem.is_valid(body) for body in _bodies(operation, 200))  # nothing else to answer with


def test_amocrm_success_answers_are_resources_not_problems() -> None:
    """amoCRM declares every 200 as `anyOf: [<resource>, Problem]` and no error response at all."""
    (contract,) = load_contracts([AMOCRM])
    problem_fields = set(contract.operations[0].response_defs["Problem"]["properties"])
    checked = 0
    for operation in contract.operations:
        if operation.method.upper() != "GET" or checked >= 8:
            continue
        spec = operation.responses.get("200")
        schema = spec.content.get("application/json").schema if spec and "application/json" in spec.content else None
        if not (isinstance(schema, dict) and isinstance(schema.get("anyOf"), list)):
            continue
        resource = next(b for b in schema["anyOf"] if not str(b.get("$ref", "")).endswith("/Problem"))
        validator = compile_validator(resource, operation.response_defs)
        media = OperationResponses(operation).for_status(200).media["application/json"]
        for seed in range(5):
            body = media.body(Source.from_seed(seed, FAKER), use_examples=False)
            assert validator.is_valid(body), (operation.operation_id, body)
            assert not (isinstance(body, dict) and body and set(body) <= problem_fields), (operation.operation_id, body)
        checked += 1
    assert checked == 8
