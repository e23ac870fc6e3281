"""Well-known property names get realistic values, but never override the contract's constraints."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mock_server.contracts.schema import compile_validator
from mock_server.generate import Source, compile_schema, new_faker

FAKER = new_faker()


def field(name: str, schema: dict[str, Any], seed: int = 3) -> Any:
    wrapper = {"type": "object", "required": [name], "properties": {name: schema}}
    value = compile_schema(wrapper, {})(Source.from_seed(seed, FAKER))
    assert compile_validator(wrapper, {}).is_valid(value)
    return value[name]


@pytest.mark.parametrize(("name", "check"), [
    ("email", lambda v: "@" in v),
    ("contact_email", lambda v: "@" in v),
    ("firstName", lambda v: v.isalpha()),
    ("country_code", lambda v: re.fullmatch(r"[A-Z]{2}", v)),
    ("Country-Code", lambda v: re.fullmatch(r"[A-Z]{2}", v)),
    ("currency", lambda v: re.fullmatch(r"[A-Z]{3}", v)),
    ("website", lambda v: v.startswith("http")),
    ("avatar", lambda v: v.startswith("https://")),
    ("id", lambda v: re.fullmatch(r"[0-9a-f-]{36}", v)),
    ("userId", lambda v: re.fullmatch(r"[0-9a-f-]{36}", v)),
    ("created_at", lambda v: re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v)),
    ("updatedAt", lambda v: v.endswith("Z")),
    ("description", lambda v: len(v.split()) >= 3),
    ("slug", lambda v: re.fullmatch(r"[a-z]+(-[a-z]+)+", v)),
])
def test_string_names(name: str, check: Any) -> None:
    for seed in range(5):
        assert check(field(name, {"type": "string"}, seed)), name


def test_price_is_a_two_decimal_number() -> None:
    for seed in range(10):
        price = field("price", {"type": "number", "minimum": 0}, seed)
        assert isinstance(price, (int, float)) and round(price, 2) == price and price >= 0


def test_constraints_win_over_names() -> None:
    assert field("email", {"type": "string", "format": "uuid"}).count("-") == 4
    assert field("email", {"type": "string", "enum": ["x"]}) == "x"
    assert len(field("description", {"type": "string", "maxLength": 10})) <= 10
    assert len(field("name", {"type": "string", "minLength": 40})) >= 40
    assert re.fullmatch(r"\d+", field("id", {"type": "string", "pattern": r"^\d+$"}))


def test_non_string_ids_are_left_alone() -> None:
    assert isinstance(field("id", {"type": "integer"}), int)


def test_names_not_matching_stay_generic() -> None:
    assert "@" not in field("paid", {"type": "string"})
