"""Every schema of the test contracts in tests/contracts generates values that validate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openapi_spec_validator
import pytest
import yaml  # type: ignore[import-untyped,unused-ignore]

from mock_server.contracts.schema import Direction, normalize
from mock_server.contracts.validators import compile_validator, normalize_defs
from mock_server.generate import Source, compile_schema, new_faker

CONTRACTS = [Path(__file__).parents[1] / "contracts" / name / "openapi.yaml" for name in ("crud", "openapi31", "cycles", "polymorphic")]
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
FAKER = new_faker()


def load(path: Path) -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(path.read_text())
    return spec


def resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/components/"):
        kind, name = node["$ref"].split("/")[2:4]
        node = spec["components"][kind][name]
    return node


def operations(spec: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for item in spec["paths"].values():
        for method in METHODS:
            if method in item:
                yield item, item[method]


def media_schemas(spec: dict[str, Any]) -> Iterator[tuple[str, Any, Direction]]:
    for _, op in operations(spec):
        body = resolve(spec, op.get("requestBody"))
        for media in (body or {}).get("content", {}).values():
            yield f"{op['operationId']} request", media["schema"], Direction.REQUEST
        for status, response in op["responses"].items():
            for media in resolve(spec, response).get("content", {}).values():
                yield f"{op['operationId']} {status}", media["schema"], Direction.RESPONSE


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.parent.name)
def test_contract_is_valid_and_follows_the_house_rules(path: Path) -> None:
    spec = load(path)
    openapi_spec_validator.validate(spec)
    for item, op in operations(spec):
        assert op.get("operationId")
        assert op.get("parameters") or item.get("parameters") or op.get("requestBody"), op["operationId"]
        errors = [resolve(spec, r) for s, r in op["responses"].items() if s.startswith("4")]
        assert any("application/json" in e.get("content", {}) for e in errors), op["operationId"]


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.parent.name)
def test_every_schema_generates_valid_values(path: Path) -> None:
    spec = load(path)
    oas30 = spec["openapi"].startswith("3.0")
    components = spec.get("components", {}).get("schemas", {})
    for where, raw, direction in media_schemas(spec):
        defs = normalize_defs(components, oas30=oas30, direction=direction)
        schema = normalize(raw, oas30=oas30, direction=direction)
        generator = compile_schema(schema, defs)
        check = compile_validator(schema, defs)
        for seed in range(15):
            value = generator(Source.from_seed(seed, FAKER))
            errors = [e.message for e in check.iter_errors(value)]
            assert not errors, (path.parent.name, where, value, errors)


def test_discriminated_pets_carry_their_mapping_key() -> None:
    spec = load(Path(__file__).parents[1] / "contracts" / "polymorphic" / "openapi.yaml")
    defs = normalize_defs(spec["components"]["schemas"], oas30=True, direction=Direction.RESPONSE)
    generator = compile_schema({"$ref": "#/$defs/Pet"}, defs)
    kinds = {generator(Source.from_seed(seed, FAKER))["petType"] for seed in range(30)}
    assert kinds == {"cat", "dog", "lizard"}
    payment = compile_schema({"$ref": "#/$defs/PaymentMethod"}, defs)
    assert {payment(Source.from_seed(seed, FAKER))["kind"] for seed in range(30)} == {"Card", "BankTransfer"}
