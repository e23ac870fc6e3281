"""Example-based tests: one per keyword the generator honours."""

from __future__ import annotations

import base64
import re
import uuid
from datetime import date, datetime
from typing import Any

import pytest

from mock_server.contracts.validators import compile_validator
from mock_server.generate import Source, compile_schema, new_faker

FAKER = new_faker()
SEEDS = range(25)


def values(schema: Any, defs: dict[str, Any] | None = None, **kwargs: Any) -> list[Any]:
    generator = compile_schema(schema, defs or {}, **kwargs)
    out = [generator(Source.from_seed(seed, FAKER)) for seed in SEEDS]
    check = compile_validator(schema, defs or {})
    assert all(check.is_valid(v) for v in out), [v for v in out if not check.is_valid(v)]
    return out


def test_type_array_is_mostly_not_null_and_deterministic() -> None:
    out = values({"type": ["string", "null"]})
    assert sum(v is None for v in out) < len(out) / 2
    assert any(isinstance(v, str) for v in out)


@pytest.mark.parametrize(("fmt", "parse"), [
    ("uuid", uuid.UUID),
    ("date", date.fromisoformat),
    ("date-time", lambda v: datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ")),
    ("time", lambda v: datetime.strptime(v, "%H:%M:%SZ")),
    ("byte", lambda v: base64.b64decode(v, validate=True)),
    ("email", lambda v: v.index("@")),
    ("uri", lambda v: re.match(r"^https?://", v).group()),  # type: ignore[union-attr]
    ("ipv4", lambda v: [int(p) for p in v.split(".")]),
])
def test_formats(fmt: str, parse: Any) -> None:
    for value in values({"type": "string", "format": fmt}):
        parse(value)


def test_dates_stay_in_the_fixed_window() -> None:
    years = {int(v[:4]) for v in values({"type": "string", "format": "date-time"})}
    assert years <= set(range(2020, 2027))


def test_integer_formats_bounds_and_multiple_of() -> None:
    for value in values({"type": "integer", "minimum": 10, "exclusiveMaximum": 100, "multipleOf": 7}):
        assert 10 <= value < 100 and value % 7 == 0
    for value in values({"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}):
        assert -(2**31) <= value < 2**31


def test_number_exclusive_bounds_and_fractional_multiple() -> None:
    for value in values({"type": "number", "exclusiveMinimum": 0, "maximum": 1}):
        assert 0 < value <= 1
    out = values({"type": "number", "multipleOf": 0.25, "minimum": 1, "maximum": 3})
    assert all(1 <= v <= 3 and (v * 4) == int(v * 4) for v in out)


def test_string_lengths_and_patterns() -> None:
    assert all(3 <= len(v) <= 5 for v in values({"type": "string", "minLength": 3, "maxLength": 5}))
    assert all(re.fullmatch(r"[A-Z]{3}-\d{2}", v) for v in values({"type": "string", "pattern": r"^[A-Z]{3}-\d{2}$"}))


def test_enum_const_and_examples() -> None:
    assert set(values({"enum": ["a", "b", None], "type": ["string", "null"]})) <= {"a", "b", None}
    assert values({"const": {"k": [1]}})[0] == {"k": [1]}
    out = values({"type": "string", "examples": ["from-the-contract"], "example": "also", "default": "dflt"})
    assert {"from-the-contract", "also", "dflt"} & set(out)


def test_invalid_examples_are_never_used() -> None:
    assert "nope" not in values({"type": "string", "minLength": 5, "examples": ["nope"]})


def test_required_always_optional_mostly() -> None:
    schema = {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}
    out = values(schema)
    assert all("a" in v for v in out)
    assert sum("b" in v for v in out) > len(out) / 2


def test_additional_properties_only_without_declared_properties() -> None:
    out = values({"type": "object", "additionalProperties": {"type": "integer"}})
    assert any(v for v in out) and all(all(isinstance(x, int) for x in v.values()) for v in out)
    declared = values({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": True})
    assert all(set(v) <= {"a"} for v in declared)


def test_pattern_properties_property_names_and_counts() -> None:
    out = values({"type": "object", "patternProperties": {"^x_[a-z]+$": {"type": "boolean"}},
                  "additionalProperties": False, "minProperties": 1})
    assert all(v and all(re.match(r"^x_[a-z]+$", k) for k in v) for v in out)
    out = values({"type": "object", "additionalProperties": True, "propertyNames": {"pattern": "^[A-Z]{2}$"},
                  "minProperties": 2, "maxProperties": 3})
    assert all(2 <= len(v) <= 3 for v in out)


def test_dependent_required() -> None:
    schema = {"type": "object", "required": ["card"], "properties": {"card": {"type": "string"},
              "billing": {"type": "string"}}, "dependentRequired": {"card": ["billing"]}}
    assert all("billing" in v for v in values(schema))


def test_arrays_items_prefix_contains_unique() -> None:
    out = values({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 5}, "uniqueItems": True,
                  "minItems": 4, "maxItems": 6})
    assert all(len(set(v)) == len(v) >= 4 for v in out)
    out = values({"type": "array", "prefixItems": [{"const": "head"}], "items": {"type": "integer"}, "minItems": 1,
                  "contains": {"type": "integer", "minimum": 100}})
    assert all(v[0] == "head" and any(isinstance(x, int) and x >= 100 for x in v) for v in out)
    assert all(v == [] for v in values({"type": "array", "items": False}))


def test_one_of_discriminator_uses_the_mapping_key() -> None:
    defs = {
        "Cat": {"type": "object", "required": ["kind", "meow"], "properties": {
            "kind": {"type": "string"}, "meow": {"type": "boolean"}}, "additionalProperties": False},
        "Dog": {"type": "object", "required": ["kind", "bark"], "properties": {
            "kind": {"type": "string"}, "bark": {"type": "boolean"}}, "additionalProperties": False},
    }
    schema = {"oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}],
              "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/$defs/Cat"}}}
    out = values(schema, defs)
    assert {v["kind"] for v in out} == {"cat", "Dog"}
    assert all(("meow" in v) == (v["kind"] == "cat") for v in out)


def test_one_of_avoids_values_valid_for_two_branches() -> None:
    out = values({"oneOf": [{"type": "integer"}, {"type": "number", "multipleOf": 1}, {"type": "string"}]})
    assert all(isinstance(v, str) for v in out)


def test_all_of_merges_inheritance_and_bounds() -> None:
    defs = {"Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 5}}}}
    schema = {"allOf": [{"$ref": "#/$defs/Base"}, {"required": ["name"], "properties": {
        "name": {"type": "string"}, "id": {"maximum": 6}}}]}
    assert all(v["id"] in (5, 6) and "name" in v for v in values(schema, defs))


def test_all_of_inherited_discriminator_labels_the_subtype() -> None:
    defs = {"Pet": {"type": "object", "required": ["petType"], "discriminator": {"propertyName": "petType"},
                    "properties": {"petType": {"type": "string"}}},
            "Cat": {"allOf": [{"$ref": "#/$defs/Pet"}, {"properties": {"lives": {"type": "integer"}}}]}}
    assert all(v["petType"] == "Cat" for v in values({"$ref": "#/$defs/Cat"}, defs))


def test_any_of_not_and_if_then_else() -> None:
    assert all(v not in ("a", "b") for v in values({"enum": ["a", "b", "c"], "not": {"enum": ["a", "b"]}}))
    schema = {"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["x", "y"]}},
              "if": {"properties": {"kind": {"const": "x"}}}, "then": {"required": ["xv"]}, "else": {"required": ["yv"]}}
    assert all(("xv" in v) if v["kind"] == "x" else ("yv" in v) for v in values(schema))
    assert values({"anyOf": [{"type": "integer"}, {"type": "boolean"}]})


def test_boolean_schemas() -> None:
    values(True)
    assert compile_schema(False, {})(Source.from_seed(1, FAKER)) is None


def test_self_referencing_tree_with_required_children_terminates() -> None:
    defs = {"Node": {"type": "object", "required": ["id", "children"], "properties": {
        "id": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}}

    def depth(node: dict[str, Any]) -> int:
        return 1 + max((depth(c) for c in node["children"]), default=0)

    for max_depth in (0, 2, 4):
        assert all(depth(v) <= max_depth + 1 for v in values({"$ref": "#/$defs/Node"}, defs, max_depth=max_depth))


def test_cycle_through_three_defs_picks_the_non_recursive_option() -> None:
    defs = {"A": {"type": "object", "required": ["b"], "properties": {"b": {"$ref": "#/$defs/B"}}},
            "B": {"type": "object", "required": ["c"], "properties": {"c": {"$ref": "#/$defs/C"}}},
            "C": {"oneOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]}}
    values({"$ref": "#/$defs/A"}, defs)


def test_compile_is_reusable_and_cheap_per_call() -> None:
    generator = compile_schema({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}, {})
    first = generator(Source.from_seed(7, FAKER))
    generator(Source.from_seed(8, FAKER))
    assert generator(Source.from_seed(7, FAKER)) == first


def test_discriminator_outside_a_nullable_union_still_labels_members() -> None:
    defs = {"Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "Dog": {"type": "object", "required": ["kind", "bark"], "properties": {"kind": {"type": "string"},
                                                                                  "bark": {"type": "boolean"}}}}
    schema = {"discriminator": {"propertyName": "kind"}, "anyOf": [
        {"oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}]}, {"type": "null"}]}
    assert {v["kind"] for v in values(schema, defs) if v is not None} <= {"Cat", "Dog"}


def test_false_properties_are_left_out() -> None:
    schema = {"type": "object", "properties": {"gone": False, "kept": {"type": "integer"}}}
    assert all("gone" not in v for v in values(schema))


SPOTIFY_LIKE = {  # Spotify's `item`: a discriminator without mapping whose branches fix `type` themselves
    "Track": {"type": "object", "properties": {"type": {"type": "string", "enum": ["track"]},
                                               "name": {"type": "string"}}},
    "Episode": {"type": "object", "required": ["type", "show"], "properties": {
        "type": {"type": "string", "enum": ["episode"]}, "show": {"type": "string"}}},
}
SPOTIFY_ITEM = {"oneOf": [{"$ref": "#/$defs/Track"}, {"$ref": "#/$defs/Episode"}], "discriminator": {"propertyName": "type"}}


def test_an_implicit_discriminator_value_the_branch_forbids_is_not_written() -> None:
    out = values(SPOTIFY_ITEM, SPOTIFY_LIKE)
    assert {v.get("type") for v in out} <= {"track", "episode", None} and {"track", "episode"} <= {v.get("type") for v in out}


def test_dependent_schemas_apply_when_their_key_is_present() -> None:
    schema = {"type": "object", "required": ["card"], "properties": {"card": {"type": "string"}},
              "dependentSchemas": {"card": {"required": ["billing"], "properties": {"billing": {"type": "integer"}}}}}
    assert all(isinstance(v["billing"], int) for v in values(schema))


def test_max_contains_limits_how_many_items_match() -> None:
    schema = {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 3}, "minItems": 3,
              "contains": {"const": 1}, "minContains": 1, "maxContains": 1}
    assert all(v.count(1) == 1 and len(v) >= 3 for v in values(schema))


@pytest.mark.parametrize("schema", [
    {"type": "array", "unevaluatedItems": False},
    {"type": "array", "unevaluatedItems": {"type": "integer"}, "minItems": 2},
    {"type": "array", "prefixItems": [{"type": "string"}], "unevaluatedItems": {"type": "boolean"}, "minItems": 3},
], ids=["false", "schema", "after-prefix"])
def test_unevaluated_items_govern_the_items_nothing_else_evaluates(schema: dict[str, Any]) -> None:
    out = values(schema)
    assert any(out) or schema["unevaluatedItems"] is False


def test_unevaluated_properties_govern_the_keys_nothing_else_evaluates() -> None:
    out = values({"type": "object", "unevaluatedProperties": {"type": "integer"}, "minProperties": 1})
    assert all(v and all(isinstance(x, int) for x in v.values()) for v in out)


def test_anchor_refs_resolve() -> None:
    defs = {"Pet": {"$anchor": "pet", "type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 5}}}}
    assert all(v["id"] >= 5 for v in values({"$ref": "#pet"}, defs))


def test_not_can_exclude_every_scalar() -> None:
    assert all(v is None or isinstance(v, (list, dict)) for v in values({"not": {"type": ["string", "integer", "number", "boolean"]}}))


def test_one_of_prefers_a_minimal_value_to_one_valid_under_two_branches() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
              "oneOf": [{"required": ["a"]}, {"required": ["b"]}]}
    assert all(("a" in v) != ("b" in v) for v in values(schema))


def test_all_of_with_one_of_and_not_honours_both() -> None:
    assert all(isinstance(v, int) for v in values({"allOf": [{"oneOf": [{"type": "integer"}, {"type": "string"}]},
                                                              {"not": {"type": "string"}}]}))


def test_an_unknown_format_is_ignored_and_the_name_hint_kept() -> None:
    assert all("@" in v for v in values({"type": "string", "format": "x-unheard-of"}, name="email"))


def test_format_and_pattern_together() -> None:
    assert all(v.startswith("2021-") for v in values({"type": "string", "format": "date", "pattern": "^2021-"}))


def test_base64_content_encoding_gives_base64() -> None:
    for value in values({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"}):
        base64.b64decode(value, validate=True)
