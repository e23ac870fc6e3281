"""The reflection invariants, as properties, on every operation of the bundled and test contracts
where they apply: the path's id is echoed, sent fields come back, filters hold, pages are bounded,
ids in a list are unique, every declared property is there, every answer conforms, and the same
request gives the same bytes.

Requests are drawn by hypothesis (through the contracts' own parameter and body schemas, generated
by a seed it draws), written and read in the operation's own media types by its codecs (JSON, XML,
forms, multipart) and sent to the app in this process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import orjson
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mock_server.behaviours.bundled import default_behaviours
from mock_server.behaviours.reflect import Plan
from mock_server.contracts.index import Operation
from mock_server.contracts.loading import discover, load_contracts
from mock_server.contracts.shapes import required_fields
from mock_server.generate.refs import recursive_refs
from mock_server.generate.source import Source, new_faker
from mock_server.generate.values import compile_schema
from mock_server.media.codecs import BodyShape, codec_for, validatable
from tests.fixtures.corpus import header_credentials
from tests.fixtures.server import BUNDLED, HAND_WRITTEN
from tests.unit.reflecting import Client
from tests.unit.test_generate_realism import missing_properties, repeated_ids

FOLDERS = [BUNDLED, *HAND_WRITTEN]
FAKER = new_faker()
OWN = default_behaviours()


def operations() -> list[tuple[Path, Operation]]:
    found = []
    for path, _ in discover(FOLDERS):
        for contract in load_contracts([path]):
            found += [(path, op) for op in contract.operations if op.operation_id not in OWN]
    return found


OPERATIONS = operations()
CLIENTS: dict[Path, Client] = {}


@pytest.fixture(scope="module", autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    for client in CLIENTS.values():
        client.close()
    CLIENTS.clear()


def client_for(path: Path) -> Client:
    if path not in CLIENTS:
        CLIENTS[path] = Client(path)
    return CLIENTS[path]


def value_of(schema: Any, op: Operation, seed: int, name: str | None = None) -> Any:
    return compile_schema(schema, op.request_defs, name=name)(Source.from_seed(seed, FAKER))


def text_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def build(op: Operation, seed: int, include: list[bool]) -> tuple[str, dict[str, Any], dict[str, Any], Any]:
    """(url, path values, query values, body) of a request the contract allows."""
    path_values: dict[str, Any] = {}
    query: dict[str, Any] = dict(header_credentials(op)[1])
    url = op.route
    flags = iter(include)
    for index, param in enumerate(op.parameters):
        if param.location == "path":
            path_values[param.name] = value = value_of(param.schema, op, seed + index, param.name)
            url = url.replace("{" + param.name + "}", quote(text_of(value), safe=""))
        elif param.location == "query" and (param.required or next(flags, False)):
            query[param.name] = value_of(param.schema, op, seed + index, param.name)
    codec = body_codec(op)
    body = value_of(op.request_body.content[codec_media(op, codec)].schema, op, seed, None) if codec else None
    pairs = [(k, text_of(item)) for k, v in query.items() for item in (v if isinstance(v, list) else [v])]
    return (url + ("?" + urlencode(pairs) if pairs else "")), path_values, query, body


def without_some_optional(op: Operation, body: Any, leave_out: list[bool]) -> Any:
    """The body with some optional top-level fields left out, as clients send them."""
    codec = body_codec(op)
    if not isinstance(body, dict) or codec is None:
        return body
    required = required_fields(op.request_body.content[codec_media(op, codec)].schema, op.request_defs)
    optional = [name for name in body if name not in required]
    return {k: v for k, v in body.items() if k not in {n for n, out in zip(optional, leave_out) if out}}


def body_codec(op: Operation) -> Any:
    """The codec of the body's first declared media type, JSON first (not JSON Patch, whose body is
    a list of operations)."""
    declared = op.request_body.content if op.request_body is not None else {}
    usable = [t for t in declared if "json-patch" not in t and declared[t].schema is not None]
    chosen = next((t for t in usable if t.endswith("json")), usable[0] if usable else None)
    if chosen is None:
        return None
    media = declared[chosen]
    return codec_for(BodyShape(chosen, media.schema, op.request_defs, media.encoding))


def codec_media(op: Operation, codec: Any) -> str:
    """The declared media type a codec was made for (a multipart codec's carries its boundary)."""
    declared = op.request_body.content if op.request_body is not None else {}
    bare = codec.media_type.split(";")[0].strip()
    return next(t for t in declared if t.split(";")[0].strip() == bare or t == codec.media_type)


def plan_for(client: Client, op: Operation, status: int, media_type: str) -> Plan | None:
    compiled = client.app.operations[op.key]
    response = compiled.responses.for_status(status)
    if compiled.reflection is None or response is None or media_type not in response.media:
        return None
    return compiled.reflection.plan(response.status, response.media[media_type])


def dig(body: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        body = body.get(key) if isinstance(body, dict) else None
    return body


@pytest.mark.parametrize(("path", "op"), OPERATIONS, ids=[f"{p.parent.name}:{o.operation_id}" for p, o in OPERATIONS])
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(seed=st.integers(0, 2**31), include=st.lists(st.booleans(), min_size=8, max_size=8),
       leave_out=st.lists(st.booleans(), min_size=8, max_size=8))
def test_reflection_invariants(path: Path, op: Operation, seed: int, include: list[bool], leave_out: list[bool]) -> None:
    client = client_for(path)
    url, path_values, query, body = build(op, seed, include)
    body = without_some_optional(op, body, leave_out)
    kwargs: dict[str, Any] = {"headers": header_credentials(op)[0]}
    codec = body_codec(op)
    if body is not None and codec is not None:
        kwargs = {"content": codec.encode(body), "headers": {**kwargs["headers"], "content-type": codec.media_type}}
        body = codec.decode(kwargs["content"], codec.media_type)  # as the server reads it
    answer = client.request(op.method, url, **kwargs)
    assume(200 <= answer.status_code < 300)  # a drawn request the contract refuses says nothing here
    media_type = answer.headers.get("content-type", "").split(";")[0]
    compiled = client.app.operations[op.key]
    media = compiled.responses.for_status(answer.status_code).media.get(media_type) if answer.content else None
    if media is None or media.validator is None or media.codec is None:
        return
    payload = media.codec.decode(answer.content, answer.headers.get("content-type"))
    errors = [e.message for e in media.validator.iter_errors(validatable(payload))]
    assert not errors, errors  # every reflected answer conforms
    if not media.examples:  # generated (a declared example is served whole, as written)
        stop = recursive_refs(media.schema, op.response_defs)
        missing = list(missing_properties(payload, media.schema, op.response_defs, stop))
        assert not missing, f"every declared property is there: {missing}"
    assert not [found for found in repeated_ids(payload) if found[0] == "id"], "ids within a list are unique"
    assert client.request(op.method, url, **kwargs).content == answer.content  # same request, same bytes
    plan = plan_for(client, op, answer.status_code, media_type)
    if plan is None or plan.fit is None:
        return
    if plan.list_path is not None:
        check_list(plan, dig(payload, plan.list_path), query)
    else:
        check_item(plan, dig(payload, plan.item_path or ()), path_values, body)


def check_item(plan: Plan, item: Any, path_values: dict[str, Any], body: Any) -> None:
    assert plan.fit is not None
    if not isinstance(item, dict):
        return
    if plan.id_param is not None and plan.id_field is not None:
        ok, expected = plan.fit.fields[plan.id_field].fitted(path_values[plan.id_param])
        if ok:
            assert item.get(plan.id_field) == expected, "the path's id names the resource"
    if plan.echo and isinstance(body, dict) and not plan.fit.polymorphic:
        for name, value in body.items():
            field = plan.fit.field(name)
            if field is None or field.read_only or value is None or name == plan.id_field:
                continue
            ok, expected = field.fitted(value)
            if ok:
                assert item.get(name) == expected, f"the sent {name} comes back"


def check_list(plan: Plan, items: Any, query: dict[str, Any]) -> None:
    assert isinstance(items, list)
    for found in plan.filters:
        if found.values(query):
            assert all(found.holds(item, query) for item in items), f"every item passes {found.param}"
    if plan.paging is not None and plan.paging.size in query:
        assert len(items) <= max(query[plan.paging.size], plan.min_items), "the page size bounds the items"
    if plan.id_field is not None:
        ids = [orjson.dumps(item.get(plan.id_field)) for item in items if isinstance(item, dict)]
        assert len(ids) == len(set(ids)), "ids within a list are unique"


def test_the_invariants_are_exercised() -> None:
    """The property above checks something: these operations of the test contracts have links."""
    by_name: dict[str, set[str]] = {"id": set(), "echo": set(), "filter": set(), "paging": set()}
    for path, op in OPERATIONS:
        client = client_for(path)
        status = client.app.operations[op.key].responses.success_status()
        plan = plan_for(client, op, status, "application/json")
        if plan is None:
            continue
        if plan.id_param and plan.id_field:
            by_name["id"].add(op.operation_id)
        if plan.echo:
            by_name["echo"].add(op.operation_id)
        if plan.filters:
            by_name["filter"].add(op.operation_id)
        if plan.paging:
            by_name["paging"].add(op.operation_id)
    assert {"getBook", "getSensor", "getCustomer", "getOrder", "getTree", "updateBook"} <= by_name["id"]
    assert {"createBook", "replaceBook", "registerSensor", "createCustomer", "createPet"} <= by_name["echo"]
    assert {"listBooks", "listSensors", "listCustomers", "listOrders"} <= by_name["filter"]
    assert {"listBooks", "listSensors", "listCustomers", "listOrders"} <= by_name["paging"]
