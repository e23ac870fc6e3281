"""Every media codec reads back what it writes: decode(encode(x)) == x, for values the generator
makes from the schemas of the test contracts (XML hints, form encodings, multipart parts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_server.contracts.index import MediaContent, Operation
from mock_server.contracts.loading import load_contracts
from mock_server.generate import Source, compile_schema, new_faker
from mock_server.media.codecs import BodyShape, codec_for, family_of
from mock_server.media.shapes import is_binary, properties

CONTRACTS = Path(__file__).parents[1] / "contracts"
OPERATIONS = {op.operation_id: op for c in load_contracts([CONTRACTS / "petstore_xml", CONTRACTS / "uploads"])
              for op in c.operations}
FAKER = new_faker()
SEEDS = st.integers(min_value=0, max_value=2**63 - 1)


def request_body(operation_id: str, media_type: str) -> tuple[MediaContent, Operation]:
    operation = OPERATIONS[operation_id]
    assert operation.request_body is not None
    return operation.request_body.content[media_type], operation


def response_body(operation_id: str, status: str, media_type: str) -> tuple[MediaContent, Operation]:
    operation = OPERATIONS[operation_id]
    return operation.responses[status].content[media_type], operation


def files_as_bytes(value: Any, schema: Any, defs: Any) -> Any:
    """A generated value as a client holds it: a file (`format: binary`) is bytes, not text."""
    if is_binary(schema, defs):
        return value.encode("utf-8") if isinstance(value, str) else value
    if isinstance(value, dict):
        declared = properties(schema, defs)
        return {key: files_as_bytes(item, declared.get(key, {}), defs) for key, item in value.items()}
    return value


# (operation, where, media type): request bodies, then answers; every family of codec is here.
CASES = [
    ("addPet", "request", "application/json"),
    ("addPet", "request", "application/xml"),
    ("addPet", "request", "application/x-www-form-urlencoded"),
    ("updatePet", "request", "application/x-www-form-urlencoded"),
    ("uploadDocument", "request", "multipart/form-data"),
    ("uploadBatch", "request", "multipart/mixed"),
    ("replaceContent", "request", "application/octet-stream"),
    ("replaceContent", "request", "text/plain"),
    ("listPets", "200", "application/xml"),
    ("getPet", "200", "application/xml"),
    ("countPages", "200", "text/plain"),
    ("downloadContent", "200", "text/plain"),
]


def case_codec(operation_id: str, where: str, media_type: str) -> tuple[Callable[[Source], Any], Any, Any]:
    if where == "request":
        content, operation = request_body(operation_id, media_type)
        defs = operation.request_defs
    else:
        content, operation = response_body(operation_id, where, media_type)
        defs = operation.response_defs
    codec = codec_for(BodyShape(media_type, content.schema, defs, content.encoding))
    generate = compile_schema(content.schema, defs)
    return (lambda source: files_as_bytes(generate(source), content.schema, defs)), codec, defs


def test_the_cases_cover_every_family() -> None:
    assert {family_of(media_type) for _, _, media_type in CASES} == {"json", "xml", "form", "multipart", "binary", "text"}


@pytest.mark.parametrize(("operation_id", "where", "media_type"), CASES, ids=lambda v: str(v))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=SEEDS)
def test_decode_reads_back_what_encode_writes(operation_id: str, where: str, media_type: str, seed: int) -> None:
    generate, codec, _ = CACHE.setdefault((operation_id, where, media_type), case_codec(operation_id, where, media_type))
    value = generate(Source.from_seed(seed, FAKER))
    encoded = codec.encode(value)
    assert isinstance(encoded, bytes)
    assert codec.decode(encoded, codec.media_type) == value
    assert codec.encode(value) == encoded  # same value, same bytes


CACHE: dict[tuple[str, str, str], Any] = {}
