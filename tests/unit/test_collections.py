"""Collections inferred from routes and schemas alone: which operation creates, reads, lists,
replaces, merges or deletes which resources, and by which field a resource is known."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_server.contracts.collections import id_field_for, infer_collections
from mock_server.contracts.loading import load_contracts
from mock_server.contracts.shapes import find_item, find_list
from tests.unit.reflecting import PETS, write_contract

TEST_CONTRACTS = Path(__file__).resolve().parents[1] / "contracts"


def bindings_of(folder: Path) -> dict[str, tuple[str, str, str | None, str | None]]:
    (contract,) = load_contracts([folder])
    return {key.split(":", 1)[1]: (b.role.value, b.collection.route, b.collection.id_field, b.collection.id_param)
            for key, b in infer_collections(contract).items()}


def test_a_petstore_shaped_contract(tmp_path: Path) -> None:
    found = bindings_of(write_contract(tmp_path, PETS))
    assert found["addPet"] == ("create", "/api/v3/pet", "id", "petId")
    assert found["updatePet"] == ("replace", "/api/v3/pet", "id", "petId")  # PUT /pet: the body names the pet
    assert found["getPetById"] == ("read", "/api/v3/pet", "id", "petId")
    assert found["findPetsByStatus"] == ("list", "/api/v3/pet", "id", "petId")  # same component, under /pet
    assert found["updatePetWithForm"][0] == "update" and found["deletePet"][0] == "delete"
    assert found["getUserByName"] == ("read", "/api/v3/user", "username", "username")
    assert "getInventory" not in found  # a map of counts is no collection


def test_nested_and_tenant_routes_make_one_collection_per_parent() -> None:
    found = bindings_of(TEST_CONTRACTS / "shop")
    assert found["listCustomers"] == ("list", "/shop/{tenant}/customers", "id", "customerId")
    assert found["getOrder"] == ("read", "/shop/{tenant}/customers/{customerId}/orders", "id", "orderId")
    assert found["createOrder"][:2] == ("create", "/shop/{tenant}/customers/{customerId}/orders")
    (contract,) = load_contracts([TEST_CONTRACTS / "shop"])
    orders = next(b.collection for k, b in infer_collections(contract).items() if k.endswith(":getOrder"))
    assert orders.key({"tenant": "acme", "customerId": 7, "orderId": "x"}) == "/shop/acme/customers/7/orders"
    assert orders.key({"tenant": "beta", "customerId": 7}) != orders.key({"tenant": "acme", "customerId": 7})
    assert orders.key({"customerId": 7}) is None  # a parent missing: no collection


def test_crud_roles() -> None:
    found = bindings_of(TEST_CONTRACTS / "crud")
    assert {name: role for name, (role, *_rest) in found.items()} == {
        "listBooks": "list", "createBook": "create", "getBook": "read", "replaceBook": "replace",
        "updateBook": "update", "deleteBook": "delete"}
    assert {route for _, route, _, _ in found.values()} == {"/books"}


@pytest.mark.parametrize(("param", "fields", "expected"), [
    ("petId", ["id", "name"], "id"),
    ("username", ["id", "username"], "username"),
    ("user_id", ["userId", "id"], "userId"),
    ("orderId", ["id", "petId"], "id"),
    ("id", ["id"], "id"),
    ("slug", ["id", "title"], None),
    ("petId", ["name"], None),
])
def test_the_field_a_path_parameter_names(param: str, fields: list[str], expected: str | None) -> None:
    assert id_field_for(param, fields) == expected


def test_lists_and_items_are_found_in_envelopes_but_a_resource_is_no_list() -> None:
    item = {"type": "object", "properties": {"id": {"type": "integer"}, "tags": {
        "type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}}}
    assert find_list({"type": "array", "items": item}, {}) == ()
    assert find_list({"type": "object", "properties": {"data": {"type": "array", "items": item}}}, {}) == ("data",)
    paged = {"type": "object", "properties": {"pets": {"type": "array", "items": item}, "total": {"type": "integer"}}}
    assert find_list(paged, {}) == ("pets",)
    assert find_list(item, {}) is None  # its tags do not make a pet a list
    assert find_item({"type": "object", "properties": {"data": item}}, {}, "id") == ("data",)
    assert find_item(item, {}, "id") == ()
    two = {"type": "object", "properties": {"a": item, "b": item}}
    assert find_item(two, {}, "id") is None  # ambiguous: no link
