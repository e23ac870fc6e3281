"""Dates read right for their field and are drawn around the clock `serve` runs on: the fixed one
(deterministic) unless `--clock real`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mock_server.generate import Source, compile_schema, new_faker
from mock_server.generate.dates import date_kind
from mock_server.generate.source import FIXED_NOW

FAKER = new_faker()
YEAR = 365 * 86_400


def when(name: str, fmt: str = "date-time", now: int = FIXED_NOW, seed: int = 1) -> float:
    schema = {"type": "object", "required": [name], "properties": {name: {"type": "string", "format": fmt}}}
    text = compile_schema(schema, {})(Source.from_seed(seed, FAKER, now))[name]
    if fmt == "date":
        return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc).timestamp()
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


@pytest.mark.parametrize(("name", "kind"), [
    ("createdAt", "past"), ("updated_at", "past"), ("lastLogin", "past"), ("timestamp", "past"),
    ("expiresAt", "future"), ("expiry_date", "future"), ("due", "future"), ("valid_until", "future"),
    ("validTo", "future"), ("nextBillingDate", "future"), ("x-expires-after", "future"),
    ("birthDate", "birth"), ("dob", "birth"), ("shipDate", "near"), ("startsAt", "near"),
])
def test_a_fields_name_says_which_way_its_date_points(name: str, kind: str) -> None:
    assert date_kind(name) == kind


@pytest.mark.parametrize("seed", range(10))
def test_dates_fall_on_the_right_side_of_now(seed: int) -> None:
    assert when("createdAt", seed=seed) < FIXED_NOW
    assert when("expiresAt", seed=seed) > FIXED_NOW
    assert FIXED_NOW - 81 * YEAR < when("birthDate", "date", seed=seed) < FIXED_NOW - 17 * YEAR
    assert abs(when("shipDate", seed=seed) - FIXED_NOW) <= 61 * 86_400


def test_dates_follow_the_clock_they_are_given() -> None:
    later = FIXED_NOW + 3 * YEAR  # what `--clock real` passes some day
    assert when("createdAt", now=later) - when("createdAt") == 3 * YEAR  # same seed, same offset from now
    assert when("expiresAt", now=later) > later


def test_updated_never_precedes_created() -> None:
    stamp = {"type": "string", "format": "date-time"}
    schema: dict[str, Any] = {"type": "object", "properties": {"createdAt": stamp, "updatedAt": stamp}}
    generator = compile_schema(schema, {})
    for seed in range(40):
        value = generator(Source.from_seed(seed, FAKER))
        assert value["createdAt"] <= value["updatedAt"], value


def test_updated_never_precedes_created_when_it_is_nullable_and_described() -> None:
    """Real contracts describe each stamp in its own words and make `updatedAt` nullable (no update
    yet): the two are still drawn in order, and a null `updatedAt` stays null."""
    created = {"type": "string", "format": "date-time", "readOnly": True, "description": "When it was created"}
    updated = {"type": ["string", "null"], "format": "date-time", "readOnly": True, "description": "Last change"}
    schema: dict[str, Any] = {"type": "object", "properties": {"createdAt": created, "updatedAt": updated}}
    generator = compile_schema(schema, {})
    values = [generator(Source.from_seed(seed, FAKER)) for seed in range(60)]
    assert all(v["createdAt"] <= v["updatedAt"] for v in values if v["updatedAt"] is not None), values
    assert sum(v["updatedAt"] is not None for v in values) >= 20


def test_stamps_of_different_shapes_are_not_swapped() -> None:
    """A swap must leave each value valid for its own field: a date and a date-time stay apart."""
    schema: dict[str, Any] = {"type": "object", "properties": {
        "createdOn": {"type": "string", "format": "date"}, "updatedAt": {"type": "string", "format": "date-time"}}}
    generator = compile_schema(schema, {})
    for seed in range(20):
        value = generator(Source.from_seed(seed, FAKER))
        assert len(value["createdOn"]) == 10 and "T" in value["updatedAt"], value


def test_a_pets_birth_date_is_a_pets() -> None:
    schema = {"title": "Pet", "type": "object", "required": ["birthDate"],
              "properties": {"birthDate": {"type": "string", "format": "date"}}}
    generator = compile_schema(schema, {})
    for seed in range(10):
        born = dt.datetime.fromisoformat(generator(Source.from_seed(seed, FAKER))["birthDate"])
        assert FIXED_NOW - 16 * YEAR < born.replace(tzinfo=dt.timezone.utc).timestamp() < FIXED_NOW
