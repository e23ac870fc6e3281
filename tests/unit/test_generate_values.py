"""Property tests: whatever schema hypothesis draws, the generated value validates and is reproducible."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_server.contracts.validators import OPENAPI_FORMATS
from mock_server.generate import Source, compile_schema, new_faker

FAKER = new_faker()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FIXED_DEFS: dict[str, Any] = {
    "Tree": {"type": "object", "required": ["value", "children"], "properties": {
        "value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}}},
    "List": {"type": "object", "required": ["head", "next"], "properties": {
        "head": {"type": "string"}, "next": {"anyOf": [{"$ref": "#/$defs/List"}, {"type": "null"}]}}},
    "A": {"type": "object", "required": ["b"], "properties": {"b": {"$ref": "#/$defs/B"}}},
    "B": {"type": "object", "properties": {"c": {"$ref": "#/$defs/C"}, "name": {"type": "string"}}},
    "C": {"type": ["object", "null"], "required": ["a"], "properties": {"a": {"$ref": "#/$defs/A"}}},
    "Pet": {"type": "object", "required": ["petType", "name"], "discriminator": {"propertyName": "petType"},
            "properties": {"petType": {"type": "string"}, "name": {"type": "string"}}},
    "Cat": {"allOf": [{"$ref": "#/$defs/Pet"}, {"type": "object", "required": ["lives"],
                                                 "properties": {"lives": {"type": "integer", "minimum": 1}}}]},
    "Dog": {"allOf": [{"$ref": "#/$defs/Pet"}, {"type": "object", "required": ["bark"],
                                                 "properties": {"bark": {"type": "boolean"}}}]},
    "PetUnion": {"oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}],
                 "discriminator": {"propertyName": "petType", "mapping": {"cat": "#/$defs/Cat"}}},
    "Odd~Name/x": {"type": "string", "pattern": "^[A-Z]{2}$"},
}
SPECIALS: list[Any] = [
    {"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["x", "y"]}},
     "if": {"properties": {"kind": {"const": "x"}}}, "then": {"required": ["xv"]}, "else": {"required": ["yv"]}},
    {"type": "array", "items": {"type": "integer"}, "contains": {"type": "integer", "minimum": 100}, "minItems": 2},
    {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
     "dependentRequired": {"a": ["b"]}},
    {"type": "integer", "not": {"multipleOf": 2}},
    {"type": "string", "format": "uuid", "maxLength": 36},
    {"type": "number", "format": "float", "exclusiveMinimum": -1.5, "exclusiveMaximum": -1.25},
    {"type": "string", "pattern": "^(?<area>[0-9]{3})-[0-9]{4}$"},
]
REFS = [f"#/$defs/{name.replace('~', '~0').replace('/', '~1')}" for name in FIXED_DEFS] + ["#/$defs/Gen"]
FORMATS = ["uuid", "date", "date-time", "time", "email", "uri", "hostname", "ipv4", "ipv6", "byte",
           "binary", "password"]
PATTERNS = [r"^[a-z]{2,6}$", r"^\d{3}-\d{4}$", r"^[A-Z][a-z]+( [A-Z][a-z]+)?$", r"^(foo|bar|baz)\d?$",
            r"^[a-f0-9]{8}$", r"ab+c", r"^[^\s]{3}$", r"^\w+@\w+\.(com|org)$"]
NAMES = ["id", "name", "email", "price", "createdAt", "description", "country_code", "url", "count",
         "items", "userId", "phone", "title", "currency", "zip", "tags", "value", "avatar"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-50, 50), st.text(max_size=5))


def _pair(draw: st.DrawFn, low: int, high: int) -> tuple[int, int]:
    a, b = draw(st.integers(low, high)), draw(st.integers(low, high))
    return min(a, b), max(a, b)


@st.composite
def integers(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer"}
    low, high = _pair(draw, -10**6, 10**6)
    step = draw(st.sampled_from([None, 1, 2, 5, 7]))
    if draw(st.booleans()):
        schema["exclusiveMinimum" if draw(st.booleans()) else "minimum"] = low
    if draw(st.booleans()):
        schema["maximum"] = high + 20
    if step:
        schema["multipleOf"] = step
    if draw(st.booleans()):
        schema["format"] = draw(st.sampled_from(["int32", "int64"]))
        schema.setdefault("minimum", -(2**31))
    return schema


@st.composite
def numbers(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "number"}
    low = draw(st.floats(-1e6, 1e6, allow_nan=False))
    if draw(st.booleans()):
        schema["exclusiveMinimum" if draw(st.booleans()) else "minimum"] = low
    if draw(st.booleans()):
        schema["exclusiveMaximum" if draw(st.booleans()) else "maximum"] = low + draw(st.floats(5, 1e4))
    step = draw(st.sampled_from([None, 0.5, 0.25, 0.1, 2, 0.01]))
    if step:
        schema["multipleOf"] = step
    if draw(st.booleans()):
        schema["format"] = draw(st.sampled_from(["float", "double"]))
    return schema


@st.composite
def strings(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["plain", "format", "pattern"]))
    schema: dict[str, Any] = {"type": "string"}
    if kind == "format":
        schema["format"] = draw(st.sampled_from(FORMATS))
    elif kind == "pattern":
        schema["pattern"] = draw(st.sampled_from(PATTERNS))
    else:
        low, high = _pair(draw, 0, 40)
        if draw(st.booleans()):
            schema["minLength"] = low
        if draw(st.booleans()):
            schema["maxLength"] = high
    return schema


def leaves() -> st.SearchStrategy[Any]:
    return st.one_of(
        integers(), numbers(), strings(),
        st.sampled_from([{"type": "boolean"}, {"type": "null"}, True, {}, {"type": "string", "not": {"const": ""}}]),
        st.lists(SCALARS, min_size=1, max_size=4, unique_by=orjson.dumps).map(lambda v: {"enum": v}),
        SCALARS.map(lambda v: {"const": v}),
        st.sampled_from(REFS).map(lambda r: {"$ref": r}),
        st.sampled_from(SPECIALS),
    )


def _nullable(schema: Any) -> Any:
    if isinstance(schema, dict) and schema.get("type") == "null":
        return schema
    if isinstance(schema, dict) and isinstance(schema.get("type"), str):
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


@st.composite
def objects(draw: st.DrawFn, children: st.SearchStrategy[Any], prefix: str = "") -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(NAMES), max_size=4, unique=True))
    schema: dict[str, Any] = {"type": "object", "properties": {prefix + n: draw(children) for n in names}}
    schema["required"] = [prefix + n for n in names if draw(st.booleans())]
    if not names and not prefix:
        schema["additionalProperties"] = draw(st.one_of(st.booleans(), children))
        if schema["additionalProperties"] is not False and draw(st.booleans()):
            schema["minProperties"] = draw(st.integers(0, 2))
    elif not prefix and draw(st.booleans()):
        schema["additionalProperties"] = False
    return schema


@st.composite
def arrays(draw: st.DrawFn, children: st.SearchStrategy[Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": draw(children)}
    low, high = _pair(draw, 0, 4)
    schema["minItems"], schema["maxItems"] = low, high
    if low <= 1 and draw(st.booleans()):
        schema["uniqueItems"] = True
    if draw(st.booleans()):
        schema["prefixItems"] = [draw(children)]
    return schema


@st.composite
def tagged_union(draw: st.DrawFn, children: st.SearchStrategy[Any]) -> dict[str, Any]:
    branches = []
    for tag in draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=2, unique=True)):
        body = draw(objects(children, prefix=f"{tag}_"))
        body["properties"]["kind"] = {"const": tag}
        body["required"] = ["kind", *body["required"]]
        body.pop("additionalProperties", None)
        branches.append(body)
    return {"oneOf": branches}


def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        objects(children),
        arrays(children),
        tagged_union(children),
        st.lists(children, min_size=1, max_size=3).map(lambda b: {"anyOf": b}),
        st.tuples(objects(children, "l_"), objects(children, "r_")).map(lambda p: {"allOf": list(p)}),
        st.tuples(strings(), integers()).map(lambda p: {"oneOf": list(p)}),
        children.map(_nullable),
        st.tuples(children, st.integers(0, 2)).map(lambda p: {
            "type": "object", "patternProperties": {"^x_[a-z]+$": p[0]}, "additionalProperties": False,
            "minProperties": p[1]}),
    )


SCHEMAS = st.recursive(leaves(), extend, max_leaves=8)


def with_defs(schema: Any, defs: dict[str, Any]) -> dict[str, Any]:
    body = schema if isinstance(schema, dict) else {"allOf": [schema]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **body, "$defs": defs}


def validator(schema: Any, defs: dict[str, Any]) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(with_defs(schema, defs), validate_formats=True,
                                       formats=OPENAPI_FORMATS)


def generate(schema: Any, defs: dict[str, Any], seed: int) -> Any:
    return compile_schema(schema, defs)(Source.from_seed(seed, FAKER))


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


@SETTINGS
@given(schema=SCHEMAS, gen=SCHEMAS.filter(lambda s: "#/$defs/Gen" not in str(s)), seed=st.integers(0, 2**32))
def test_generated_values_validate(schema: Any, gen: Any, seed: int) -> None:
    defs = {**FIXED_DEFS, "Gen": gen}
    value = generate(schema, defs, seed)
    errors = [e.message for e in validator(schema, defs).iter_errors(value)]
    assert not errors, (value, errors)


@settings(max_examples=60, deadline=None)
@given(schema=SCHEMAS, seed=st.integers(0, 2**32))
def test_same_seed_gives_the_same_value(schema: Any, seed: int) -> None:
    defs = {**FIXED_DEFS, "Gen": {"type": "string"}}
    first = compile_schema(schema, defs)
    again = compile_schema(schema, defs)
    other = new_faker()
    assert dumps(first(Source.from_seed(seed, FAKER))) == dumps(again(Source.from_seed(seed, other)))
    assert dumps(first(Source.from_seed(seed, FAKER))) == dumps(first(Source.from_seed(seed, FAKER)))


def test_different_seeds_usually_differ() -> None:
    schema = {"type": "object", "required": ["id", "name", "n"], "properties": {
        "id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}, "n": {"type": "integer"}}}
    values = {dumps(generate(schema, {}, seed)) for seed in range(20)}
    assert len(values) == 20


def test_recursive_defs_terminate_and_validate() -> None:
    for name in ("Tree", "List", "A", "C"):
        schema = {"$ref": f"#/$defs/{name}"}
        for seed in range(30):
            value = generate(schema, FIXED_DEFS, seed)
            assert validator(schema, FIXED_DEFS).is_valid(value), (name, value)


DETERMINISM_SCRIPT = """
import orjson, sys
from mock_server.generate import Source, compile_schema, new_faker
from tests.unit.test_generate_values import FIXED_DEFS
schema = {"type": "object", "properties": {
    "pets": {"type": "array", "items": {"$ref": "#/$defs/PetUnion"}},
    "tree": {"$ref": "#/$defs/Tree"}, "email": {"type": "string"}, "when": {"type": "string", "format": "date-time"},
    "tags": {"type": "array", "uniqueItems": True, "items": {"type": "string", "pattern": "^[a-z]{2,4}$"}},
    "extra": {"type": "object", "additionalProperties": {"type": ["integer", "null"]}}}}
generator = compile_schema(schema, FIXED_DEFS)
faker = new_faker()
sys.stdout.buffer.write(orjson.dumps([generator(Source.from_seed(s, faker)) for s in range(5)], option=orjson.OPT_SORT_KEYS))
"""


def test_output_does_not_depend_on_hash_seed() -> None:
    root = Path(__file__).parents[2]
    outputs = {
        subprocess.run([sys.executable, "-c", DETERMINISM_SCRIPT], cwd=root, check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
