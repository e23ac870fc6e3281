import pytest

from mock_server.contracts.schema import Direction, normalize
from mock_server.contracts.validators import compile_validator, error_field, normalize_defs


def test_nullable_becomes_a_null_type_and_enum_member() -> None:
    schema = normalize({"type": "string", "enum": ["a"], "nullable": True}, oas30=True, direction=Direction.RESPONSE)
    assert schema == {"type": ["string", "null"], "enum": ["a", None]}
    assert compile_validator(schema, {}).is_valid(None)


def test_nullable_ref_is_wrapped_in_any_of() -> None:
    schema = normalize({"allOf": [{"$ref": "#/components/schemas/Pet"}], "nullable": True}, oas30=True,
                       direction=Direction.REQUEST)
    assert schema == {"anyOf": [{"allOf": [{"$ref": "#/$defs/Pet"}]}, {"type": "null"}]}


def test_boolean_exclusive_bounds_become_numeric() -> None:
    schema = normalize({"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 2,
                        "exclusiveMaximum": False}, oas30=True, direction=Direction.REQUEST)
    assert schema == {"type": "number", "exclusiveMinimum": 0, "maximum": 2}


def test_int32_gets_bounds_and_oas31_is_left_alone() -> None:
    assert normalize({"type": "integer", "format": "int32"}, oas30=False, direction=Direction.REQUEST)["maximum"] == 2**31 - 1
    assert normalize({"type": ["string", "null"], "const": "x"}, oas30=False, direction=Direction.REQUEST) == {
        "type": ["string", "null"], "const": "x"}


def test_read_only_is_not_required_in_requests_and_write_only_absent_from_responses() -> None:
    raw = {"type": "object", "required": ["id", "secret", "name"], "properties": {
        "id": {"type": "string", "readOnly": True}, "secret": {"type": "string", "writeOnly": True},
        "name": {"type": "string"}}}
    request = normalize(raw, oas30=True, direction=Direction.REQUEST)
    response = normalize(raw, oas30=True, direction=Direction.RESPONSE)
    assert request["required"] == ["secret", "name"]
    assert response["required"] == ["id", "name"] and "secret" not in response["properties"]


def test_ref_siblings_are_ignored_in_oas30_and_refs_point_into_defs() -> None:
    schema = normalize({"$ref": "#/components/schemas/A", "description": "x"}, oas30=True, direction=Direction.REQUEST)
    assert schema == {"$ref": "#/$defs/A"}
    validator = compile_validator(schema, {"A": {"type": "integer"}})
    assert validator.is_valid(3) and not validator.is_valid("3")


def test_byte_format_is_checked() -> None:
    validator = compile_validator({"type": "string", "format": "byte"}, {})
    assert validator.is_valid("aGVsbG8=") and not validator.is_valid("not base64!")


def test_a_discriminator_value_must_select_a_branch_in_requests() -> None:
    raw = {"oneOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Bank"}],
           "discriminator": {"propertyName": "kind", "mapping": {"card": "#/components/schemas/Card"}}}
    defs = {"Card": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "Bank": {"type": "object", "required": ["kind", "iban"], "properties": {"kind": {"type": "string"}, "iban": {"type": "string"}}}}
    validator = compile_validator(normalize(raw, oas30=True, direction=Direction.REQUEST), defs)
    assert validator.is_valid({"kind": "card"}) and validator.is_valid({"kind": "Bank", "iban": "x"})
    assert not validator.is_valid({"kind": "nonsense", "iban": "x"})
    assert not validator.is_valid({"kind": "Card"})  # mapped: only the mapping key selects it


def test_deref_follows_deep_pointers_and_chains_and_gives_up_safely() -> None:
    from mock_server.contracts.schema import deref, merged_properties

    defs = {"A": {"type": "object", "properties": {"b": {"type": "integer"}}},
            "B": {"$ref": "#/$defs/A"}, "Loop": {"$ref": "#/$defs/Loop"},
            "C": {"allOf": [{"$ref": "#/$defs/A"}, {"properties": {"c": {"type": "string"}}}]}}
    assert deref({"$ref": "#/$defs/A/properties/b"}, defs) == {"type": "integer"}
    assert deref({"$ref": "#/$defs/B"}, defs) == defs["A"]
    assert deref({"$ref": "#/$defs/Missing"}, defs) == {}
    assert deref({"$ref": "#/$defs/Loop"}, defs) == {"$ref": "#/$defs/Loop"}  # bounded, no hang
    assert set(merged_properties({"$ref": "#/$defs/C"}, defs)) == {"b", "c"}


CHAT = {"type": "object", "required": ["messages"], "properties": {
    "messages": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["role"]}}}}


@pytest.mark.parametrize("body, field", [
    ({}, "messages"),  # a missing property is the field it is about
    ({"messages": []}, "messages"),
    ({"messages": [{}]}, "messages[0].role"),
    ([], None),  # the body as a whole
])
def test_an_error_names_the_body_field_it_is_about(body: object, field: str | None) -> None:
    (error,) = compile_validator(CHAT, {}).iter_errors(body)
    assert error_field(error) == field


def test_a_branch_that_fixes_its_discriminator_value_is_selected_by_it() -> None:
    """No mapping, and each branch's own `type` enum excludes the implicit schema name (Spotify): the
    branch's own value selects it, so a well-formed request is not rejected for its `type`."""
    raw = {"oneOf": [{"$ref": "#/components/schemas/Track"}, {"$ref": "#/components/schemas/Episode"}],
           "discriminator": {"propertyName": "type"}}
    components = {
        "Track": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["track"]}}},
        "Episode": {"allOf": [{"type": "object", "required": ["type", "show"], "properties": {
            "type": {"type": "string", "enum": ["episode"]}, "show": {"type": "string"}}}]},
    }
    defs = normalize_defs(components, oas30=True, direction=Direction.REQUEST)
    validator = compile_validator(normalize(raw, oas30=True, direction=Direction.REQUEST, components=components), defs)
    assert validator.is_valid({"type": "track"}) and validator.is_valid({"type": "episode", "show": "s"})
    assert not validator.is_valid({"type": "Track"}) and not validator.is_valid({"type": "podcast"})


def test_read_only_and_write_only_declared_in_another_all_of_member_follow_the_direction() -> None:
    components = {
        "Base": {"type": "object", "properties": {"id": {"type": "integer", "readOnly": True},
                                                  "secret": {"type": "string", "writeOnly": True}}},
        "Pet": {"allOf": [{"$ref": "#/components/schemas/Base"},
                          {"required": ["id", "name", "secret"], "properties": {"name": {"type": "string"}}}]},
    }
    request = compile_validator({"$ref": "#/$defs/Pet"}, normalize_defs(components, oas30=True, direction=Direction.REQUEST))
    response = compile_validator({"$ref": "#/$defs/Pet"}, normalize_defs(components, oas30=True, direction=Direction.RESPONSE))
    assert request.is_valid({"name": "x", "secret": "s"}) and not request.is_valid({"name": "x"})
    assert response.is_valid({"name": "x", "id": 1}) and not response.is_valid({"name": "x"})
