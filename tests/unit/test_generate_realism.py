"""Property tests over every response of the bundled and test contracts: what a generated answer
holds is complete (every declared property), keyed (ids unique within a list), valid, and
reproducible; `--optional random` leaves optional properties out; field examples are not blended in."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_server.contracts.loading import load_contracts
from mock_server.contracts.schema import deref, merged_properties
from mock_server.contracts.validators import compile_validator
from mock_server.generate import Source, compile_schema, new_faker
from mock_server.generate.refs import recursive_refs
from mock_server.generate.responses import OperationResponses
from tests.fixtures.server import BUNDLED, HAND_WRITTEN

FAKER = new_faker()
OTHER_FAKER = new_faker()


def _bodies() -> list[tuple[str, Any, Mapping[str, Any], Any, Any]]:
    """(where, schema, defs, generator, validator) of every JSON response body declared."""
    found = []
    for contract in load_contracts([BUNDLED, *HAND_WRITTEN]):
        for operation in contract.operations:
            compiled = OperationResponses(operation)
            for status, response in compiled.responses.items():
                for media_type, media in response.media.items():
                    if media.generator is None or "json" not in media_type:
                        continue
                    where = f"{contract.name} {operation.operation_id} {status}"
                    found.append((where, media.schema, operation.response_defs, media.generator, media.validator))
    return found


BODIES = _bodies()


def missing_properties(value: Any, schema: Any, defs: Mapping[str, Any], stop: frozenset[str], path: str = "$") -> Iterator[str]:
    """Paths of declared properties absent from `value`, walking objects and lists; recursive refs
    are not followed (the depth budget ends them with their required fields only)."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"] in stop:
        return
    resolved = deref(schema, defs)
    if not isinstance(resolved, dict):
        return
    for key in ("oneOf", "anyOf"):
        branches = resolved.get(key)
        if isinstance(branches, list):  # the branch the value was drawn from: valid, and complete if any is
            found = [list(missing_properties(value, branch, defs, stop, path))
                     for branch in branches if compile_validator(branch, defs).is_valid(value)]
            yield from min(found, key=len, default=[])
            return
    if isinstance(value, dict):
        for name, sub in merged_properties(resolved, defs).items():
            if sub is False:
                continue
            if name not in value:
                yield f"{path}.{name}"
            else:
                yield from missing_properties(value[name], sub, defs, stop, f"{path}.{name}")
    if isinstance(value, list) and isinstance(resolved.get("items"), (dict, bool)):
        for index, item in enumerate(value):
            yield from missing_properties(item, resolved["items"], defs, stop, f"{path}[{index}]")


def repeated_ids(value: Any) -> Iterator[Any]:
    """Ids (and names) that two items of one list share."""
    if isinstance(value, dict):
        for child in value.values():
            yield from repeated_ids(child)
    elif isinstance(value, list):
        for key in ("id", "name"):
            seen: set[bytes] = set()
            for item in value:
                if isinstance(item, dict) and key in item:
                    mark = orjson.dumps(item[key])
                    if mark in seen:
                        yield key, item[key]
                    seen.add(mark)
        for item in value:
            yield from repeated_ids(item)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(BODIES) - 1), seed=st.integers(0, 2**32))
def test_answers_are_complete_keyed_and_valid(index: int, seed: int) -> None:
    where, schema, defs, generator, validator = BODIES[index]
    value = generator(Source.from_seed(seed, FAKER))
    assert validator.is_valid(value), (where, value)
    stop = recursive_refs(schema, defs)
    assert not list(missing_properties(value, schema, defs, stop)), (where, value)
    assert not list(repeated_ids(value)), (where, value)


@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, len(BODIES) - 1), seed=st.integers(0, 2**32))
def test_same_seed_same_bytes_whatever_faker_instance(index: int, seed: int) -> None:
    generator = BODIES[index][3]
    first = orjson.dumps(generator(Source.from_seed(seed, FAKER)), option=orjson.OPT_SORT_KEYS)
    again = orjson.dumps(generator(Source.from_seed(seed, OTHER_FAKER)), option=orjson.OPT_SORT_KEYS)
    assert first == again


def test_the_check_can_fail() -> None:
    """The walkers above see what they look for."""
    schema = {"type": "object", "properties": {"a": {"type": "integer"}, "items": {"type": "array", "items": {
        "type": "object", "properties": {"id": {"type": "integer"}, "b": {"type": "string"}}}}}}
    assert list(missing_properties({"items": [{"id": 1}]}, schema, {}, frozenset())) == ["$.a", "$.items[0].b"]
    assert list(repeated_ids({"items": [{"id": 1}, {"id": 1}]})) == [("id", 1)]


OBJECT = {"type": "object", "required": ["id"], "properties": {
    "id": {"type": "integer"}, **{f"field{i}": {"type": "string"} for i in range(8)}}}


def test_optional_properties_are_all_there_by_default_and_vary_with_optional_random() -> None:
    every = compile_schema(OBJECT, {})
    assert all(len(every(Source.from_seed(seed, FAKER))) == 9 for seed in range(20))
    some = compile_schema(OBJECT, {}, optional="random")
    sizes = [len(some(Source.from_seed(seed, FAKER))) for seed in range(20)]
    assert all("id" in some(Source.from_seed(seed, FAKER)) for seed in range(20))
    assert min(sizes) < 9 and max(sizes) > 1


def test_list_ids_are_unique_even_in_a_tiny_id_space() -> None:
    schema = {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "object", "required": ["id"],
              "properties": {"id": {"type": "integer", "minimum": 1, "maximum": 5}}}}
    generator = compile_schema(schema, {})
    for seed in range(30):
        ids = [item["id"] for item in generator(Source.from_seed(seed, FAKER))]
        assert len(set(ids)) == 4, ids


def test_field_examples_are_not_blended_into_generated_objects() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string", "example": "doggie"},
                                               "id": {"type": "integer", "example": 10}}}
    generator = compile_schema(schema, {})
    values = [generator(Source.from_seed(seed, FAKER)) for seed in range(60)]
    assert all(v["name"] != "doggie" and v["id"] != 10 for v in values)


@pytest.mark.parametrize("optional", ["all", "random"])
def test_every_operation_compiles_with_both_optional_modes(optional: str) -> None:
    for contract in load_contracts([BUNDLED]):
        for operation in contract.operations:
            assert OperationResponses(operation, optional=optional).responses


def test_names_stay_distinct_in_a_list_of_a_union() -> None:
    pet = {"type": "object", "required": ["name", "kind"], "properties": {
        "name": {"type": "string"}, "kind": {"type": "string"}}}
    defs = {"Cat": pet, "Dog": pet, "Pet": {"oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}]}}
    schema = {"type": "array", "minItems": 30, "maxItems": 30, "items": {"$ref": "#/$defs/Pet"}}
    names = [p["name"] for p in compile_schema(schema, defs)(Source.from_seed(1, FAKER))]
    assert len(set(names)) == 30, names  # 50 pet names: 30 drawn blindly would repeat
