"""Response headers: the contract's example, else what the header means, else generated from its
schema with its name as the hint; a meaning the schema does not accept gives way to the schema."""

from __future__ import annotations

import email.utils
import re
from typing import Any

from mock_server.contracts.validators import compile_validator
from mock_server.generate import Source, compile_schema, new_faker
from mock_server.generate.headers import Exchange, HeaderSet, compile_header

FAKER = new_faker()


def headers(declared: dict[str, dict[str, Any]], seed: int = 1, exchange: Exchange | None = None) -> dict[str, str]:
    compiled = HeaderSet(tuple(
        compile_header(name, False, compile_schema(h["schema"], {}, name=name), tuple(h.get("examples", ())),
                       compile_validator(h["schema"], {}))
        for name, h in declared.items()))
    return dict(compiled.values(Source.from_seed(seed, FAKER), exchange))


def test_a_declared_example_is_the_value() -> None:
    found = headers({"X-Rate-Limit": {"schema": {"type": "integer"}, "examples": (5000,)},
                     "Cache-Control": {"schema": {"type": "string"}, "examples": ("no-store",)}})
    assert found == {"X-Rate-Limit": "5000", "Cache-Control": "no-store"}


def test_an_example_that_breaks_the_schema_is_not_used() -> None:
    assert headers({"X-Count": {"schema": {"type": "integer"}, "examples": ("many",)}})["X-Count"].isdigit()


def test_headers_mean_what_their_names_say() -> None:
    for seed in range(10):
        found = headers({
            "Cache-Control": {"schema": {"type": "string"}}, "ETag": {"schema": {"type": "string"}},
            "Retry-After": {"schema": {"type": "string"}}, "Last-Modified": {"schema": {"type": "string"}},
            "X-RateLimit-Limit": {"schema": {"type": "integer"}},
            "X-RateLimit-Remaining": {"schema": {"type": "integer"}},
            "X-Request-ID": {"schema": {"type": "string"}},
        }, seed)
        assert re.fullmatch(r"(no-cache|no-store|private|public|max-age)[\w=, -]*", found["Cache-Control"])
        assert re.fullmatch(r'"[0-9a-f]{16}"', found["ETag"])
        assert found["Retry-After"].isdigit() and 1 <= int(found["Retry-After"]) <= 120
        assert email.utils.parsedate_to_datetime(found["Last-Modified"])
        assert 0 <= int(found["X-RateLimit-Remaining"]) < int(found["X-RateLimit-Limit"])
        assert re.fullmatch(r"[0-9a-f-]{36}", found["X-Request-ID"])


def test_location_names_the_created_resource() -> None:
    declared = {"Location": {"schema": {"type": "string", "format": "uri-reference"}}}
    found = headers(declared, exchange=Exchange("/api/v3/pet", "127.0.0.1:8000", {"id": 77, "name": "Rex"}))
    assert found["Location"] == "http://127.0.0.1:8000/api/v3/pet/77"
    assert headers(declared, exchange=Exchange("/books/9", None, {"id": 9}))["Location"] == "/books/9"


def test_the_schema_wins_over_a_meaning() -> None:
    found = headers({"Retry-After": {"schema": {"type": "string", "format": "date-time"}},
                     "ETag": {"schema": {"type": "string", "enum": ["v1", "v2"]}}})
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", found["Retry-After"])
    assert found["ETag"] in ("v1", "v2")


def test_an_unknown_header_is_generated_with_its_name_as_hint() -> None:
    found = headers({"X-Expires-After": {"schema": {"type": "string", "format": "date-time"}}})
    assert found["X-Expires-After"] > "2025-01-01"  # after the fixed clock's now
