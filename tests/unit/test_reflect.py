"""Stateless answers reflect the request: the path's id, the sent fields, filters and pages, and
one resource looks the same in every answer that shows it."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from mock_server.behaviours.registry import Registry
from mock_server.behaviours.reply import Reply
from mock_server.contracts.loading import load_contracts
from mock_server.contracts.validators import compile_validator
from tests.unit.reflecting import PETS, Client, write_contract

TEST_CONTRACTS = Path(__file__).resolve().parents[1] / "contracts"


@pytest.fixture(scope="module")
def pets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    client = Client(write_contract(tmp_path_factory.mktemp("pets"), PETS))
    yield client
    client.close()


@pytest.fixture(scope="module")
def shop() -> Iterator[Client]:
    client = Client(TEST_CONTRACTS / "shop", TEST_CONTRACTS / "crud")
    yield client
    client.close()


def conforms(response: Any, folder: Path, operation_id: str, status: str = "200") -> None:
    for contract in load_contracts([folder]):
        for op in contract.operations:
            if op.operation_id == operation_id:
                schema = op.responses[status].content["application/json"].schema
                errors = [e.message for e in compile_validator(schema, op.response_defs).iter_errors(response.json())]
                assert not errors, errors
                return
    raise LookupError(operation_id)


def test_the_path_id_fills_the_field_it_names(pets: Client, shop: Client) -> None:
    assert pets.get("/api/v3/pet/42").json()["id"] == 42
    assert pets.get("/api/v3/user/alice").json()["username"] == "alice"
    customer = shop.get("/shop/acme/customers/3").json()
    assert (customer["id"], customer["tenant"]) == (3, "acme")  # the tenant too: the parent names it
    order = shop.get("/shop/acme/customers/7/orders/0b8e2c66-1f0e-4a57-9d1c-2f45c6a1e0a1").json()
    assert (order["id"], order["customerId"]) == ("0b8e2c66-1f0e-4a57-9d1c-2f45c6a1e0a1", 7)


def test_a_created_resource_is_what_was_sent_plus_what_the_server_makes(pets: Client, shop: Client) -> None:
    rex = pets.request("POST", "/api/v3/pet", json={"id": 77, "name": "Rex", "photoUrls": ["https://x.test/rex.jpg"]})
    assert rex.json()["id"] == 77 and rex.json()["name"] == "Rex" and rex.json()["photoUrls"] == ["https://x.test/rex.jpg"]
    assert rex.json()["tags"] == []  # not sent: empty, not made up
    assert rex.json()["status"] in ("available", "pending", "sold")  # cannot be empty: a server's default
    sent = {"id": 99, "name": "Alice Liddell", "status": "active", "password": "wonderland", "createdAt": "1999-01-01T00:00:00Z"}
    alice = shop.request("POST", "/shop/acme/customers", json=sent)
    assert alice.status_code == 201
    body = alice.json()
    assert body["name"] == "Alice Liddell" and body["status"] == "active" and body["tenant"] == "acme"
    assert body["id"] != 99 and body["createdAt"] != "1999-01-01T00:00:00Z"  # readOnly: the server's
    assert "password" not in body  # writeOnly: never shown
    conforms(alice, TEST_CONTRACTS / "shop", "createCustomer", "201")


def test_a_form_post_and_a_patch_change_only_what_they_name(pets: Client, shop: Client) -> None:
    before = pets.get("/api/v3/pet/5").json()
    after = pets.request("POST", "/api/v3/pet/5?name=Fido&status=sold").json()
    assert after == {**before, "name": "Fido", "status": "sold"}
    patched = shop.request("PATCH", "/shop/acme/customers/3", json={"name": "Bill"},
                           headers={"content-type": "application/merge-patch+json"}).json()
    assert patched == {**shop.get("/shop/acme/customers/3").json(), "name": "Bill"}
    json_patched = shop.request("PATCH", "/shop/acme/customers/3", json=[{"op": "replace", "path": "/status", "value": "blocked"}],
                                headers={"content-type": "application/json-patch+json"}).json()
    assert json_patched["status"] == "blocked"


def test_a_value_that_would_break_the_answer_is_not_written(tmp_path: Path) -> None:
    thing = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string", "maxLength": 5}}}
    contract = {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {
        "/things": {"post": {"operationId": "make", "requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "properties": {"name": {"type": "string"}}}}}},
            "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": thing}}}}}},
        "/things/{thingId}": {"get": {"operationId": "read", "parameters": [
            {"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": thing}}}}}}}}
    client = Client(write_contract(tmp_path, contract))
    try:
        assert client.request("POST", "/things", json={"name": "Al"}).json()["name"] == "Al"
        long = client.request("POST", "/things", json={"name": "Bartholomew"}).json()
        assert long.get("name") != "Bartholomew" and len(long.get("name", "")) <= 5
        assert client.get("/things/17").json()["id"] == 17  # "17" read as the integer the field wants
        assert isinstance(client.get("/things/seventeen").json().get("id", 0), int)
    finally:
        client.close()


def test_numbers_json_cannot_carry_are_not_written_back() -> None:
    """A body may hold integers past 64 bits (JSON allows any); written back they would be floats."""
    client = Client(TEST_CONTRACTS / "cycles")
    try:
        big = 408914001012035158016
        tree = {"id": 1, "label": "root", "children": [], "parent": {"id": big, "label": "up", "children": []}}
        answer = client.request("PUT", "/trees/7", json=tree)
        parent = answer.json()["parent"]
        assert answer.status_code == 200 and (parent is None or parent["id"] != big)
        conforms(answer, TEST_CONTRACTS / "cycles", "putTree")
        assert client.get(f"/trees/{big}").json()["id"] != big
    finally:
        client.close()


def test_a_query_that_names_a_field_filters_the_items(pets: Client, shop: Client) -> None:
    sold = pets.get("/api/v3/pet/findByStatus?status=sold").json()
    assert sold and {pet["status"] for pet in sold} == {"sold"}
    tagged = pets.get("/api/v3/pet/findByTags?tags=puppy&tags=calm").json()
    assert tagged and all({"puppy", "calm"} & {tag.get("name") for tag in pet["tags"]} for pet in tagged)
    blocked = shop.get("/shop/acme/customers?status=blocked").json()["data"]
    assert blocked and {c["status"] for c in blocked} == {"blocked"}
    found = shop.get("/shop/acme/customers?q=Ali").json()["data"]
    assert found and all("ali" in c["name"].lower() for c in found)


def test_the_page_size_bounds_the_items_and_the_paging_fields_agree(shop: Client) -> None:
    assert len(shop.get("/books?limit=2").json()) == 2
    first, second = shop.get("/books?limit=3&offset=0"), shop.get("/books?limit=3&offset=3")
    assert not {b["id"] for b in first.json()} & {b["id"] for b in second.json()}
    assert first.headers["x-total-count"] == second.headers["x-total-count"]
    page = shop.get("/shop/acme/customers?pageSize=2&page=2")
    body = page.json()
    meta = body["meta"]
    assert len(body["data"]) == 2 and (meta["page"], meta["pageSize"]) == (2, 2)
    assert meta["totalPages"] == -(-meta["total"] // 2) and page.headers["x-total-count"] == str(meta["total"])
    follow = shop.get(body["links"]["next"].removeprefix("http://mock"))
    assert follow.json()["meta"]["page"] == 3
    assert shop.get(body["links"]["prev"].removeprefix("http://mock")).json()["meta"]["page"] == 1
    conforms(page, TEST_CONTRACTS / "shop", "listCustomers")


def test_cursors_walk_the_whole_collection_once(shop: Client) -> None:
    seen: list[str] = []
    url: str | None = "/shop/acme/customers/1/orders?limit=4"
    while url is not None and len(seen) < 200:
        body = shop.get(url).json()
        assert len(body["items"]) <= 4
        seen += [order["id"] for order in body["items"]]
        cursor = body.get("nextCursor")
        assert (cursor is not None) == body["hasMore"]
        url = f"/shop/acme/customers/1/orders?limit=4&cursor={cursor}" if cursor else None
    assert len(seen) == len(set(seen)) > 4


def test_one_resource_looks_the_same_in_lists_and_item_answers(pets: Client, shop: Client) -> None:
    for pet in pets.get("/api/v3/pet/findByStatus?status=pending").json():
        assert pets.get(f"/api/v3/pet/{pet['id']}").json() == pet
    for book in shop.get("/books?limit=4&genre=poetry").json():
        assert shop.get(f"/books/{book['id']}").json() == book
    listed = shop.get("/shop/acme/customers?pageSize=3").json()["data"]
    assert [shop.get(f"/shop/acme/customers/{c['id']}").json() for c in listed] == listed
    other_tenant = shop.get("/shop/beta/customers?pageSize=3").json()["data"]
    assert [c["name"] for c in other_tenant] != [c["name"] for c in listed]  # tenants apart


def test_same_request_same_bytes_and_the_seed_matters(tmp_path: Path) -> None:
    folder = write_contract(tmp_path, PETS)
    seeded = [Client(folder, seed=seed) for seed in (3, 3, 4)]
    try:
        answers = [[c.get(url).content for url in ("/api/v3/pet/42", "/api/v3/pet/findByStatus?status=sold")]
                   for c in seeded]
        assert answers[0] == answers[1] and answers[0] != answers[2]
        dynamic = seeded[0].get("/api/v3/pet/42", headers={"Prefer": "dynamic=true"}).json()
        assert dynamic["id"] == 42  # variety, still about pet 42
    finally:
        for client in seeded:
            client.close()


def test_examples_are_reflected_unless_named(tmp_path: Path) -> None:
    contract = copy.deepcopy(PETS)
    content = contract["paths"]["/pet/{petId}"]["get"]["responses"]["200"]["content"]["application/json"]
    content["examples"] = {"rex": {"value": {"id": 1, "name": "Rex", "photoUrls": []}}}
    client = Client(write_contract(tmp_path, contract))
    try:
        assert client.get("/api/v3/pet/42").json() == {"id": 42, "name": "Rex", "photoUrls": []}
        named = client.get("/api/v3/pet/42", headers={"Prefer": "example=rex"}).json()
        assert named == {"id": 1, "name": "Rex", "photoUrls": []}  # asked for by name: served as declared
    finally:
        client.close()


def test_a_behaviour_of_its_own_keeps_the_last_word(tmp_path: Path) -> None:
    registry = Registry()
    registry.register("getPetById", lambda context: Reply(200, {"id": 1, "name": "Always", "photoUrls": []}))
    client = Client(write_contract(tmp_path, PETS), behaviours=registry)
    try:
        assert client.get("/api/v3/pet/42").json() == {"id": 1, "name": "Always", "photoUrls": []}
    finally:
        client.close()


def test_links_are_absolute_urls_of_this_server(shop: Client) -> None:
    links = shop.get("/shop/acme/customers?pageSize=2").json()["links"]
    parts = urlsplit(links["next"])
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "mock", "/shop/acme/customers")
    assert "page=2" in parts.query and links["prev"] is None
