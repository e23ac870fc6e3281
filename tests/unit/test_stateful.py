"""`serve --stateful`: collections remember what clients create, change and delete; `--data`
preloads them and `/__mock/reset` restores that; every stored answer still conforms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mock_server.errors import SettingsError
from mock_server.settings import ServeSettings
from tests.unit.reflecting import PETS, Client, write_contract

SHOP = Path(__file__).resolve().parents[1] / "contracts" / "shop"
CUSTOMERS = "/shop/acme/customers"
MERGE = {"content-type": "application/merge-patch+json"}
JSON_PATCH = {"content-type": "application/json-patch+json"}


@pytest.fixture
def shop() -> Iterator[Client]:
    client = Client(SHOP, stateful=True)
    yield client
    client.close()


def conforming(client: Client, response: Any) -> Any:
    """The body, after checking it against the schema of the answer it is."""
    request = response.request
    found = client.app.paths.match(request.method, request.url.path)
    assert found is not None
    media = client.app.operations[found[0].key].responses.for_status(response.status_code).media["application/json"]
    errors = [e.message for e in media.validator.iter_errors(response.json())]
    assert not errors, errors
    return response.json()


def test_create_read_list_replace_patch_delete(shop: Client) -> None:
    made = shop.request("POST", CUSTOMERS, json={"name": "Alice Liddell", "status": "active", "password": "wonderland"})
    assert made.status_code == 201
    alice = conforming(shop, made)
    assert alice["name"] == "Alice Liddell" and alice["id"] == 1 and "password" not in alice
    assert conforming(shop, shop.get(f"{CUSTOMERS}/1")) == alice
    shop.request("POST", CUSTOMERS, json={"name": "Bob", "status": "blocked"})
    assert [c["name"] for c in conforming(shop, shop.get(CUSTOMERS))["data"]] == ["Alice Liddell", "Bob"]

    replaced = conforming(shop, shop.request("PUT", f"{CUSTOMERS}/1", json={"name": "Alice", "status": "invited"}))
    assert replaced["name"] == "Alice" and replaced["createdAt"] == alice["createdAt"]  # readOnly: the server's own
    merged = conforming(shop, shop.request("PATCH", f"{CUSTOMERS}/1", json={"tags": ["vip"]}, headers=MERGE))
    assert merged == {**replaced, "tags": ["vip"]}
    patched = conforming(shop, shop.request("PATCH", f"{CUSTOMERS}/1", headers=JSON_PATCH, json=[
        {"op": "test", "path": "/name", "value": "Alice"}, {"op": "add", "path": "/tags/-", "value": "early"}]))
    assert patched["tags"] == ["vip", "early"]
    assert shop.get(f"{CUSTOMERS}/1").json() == patched

    assert shop.request("DELETE", f"{CUSTOMERS}/1").status_code == 204
    gone = shop.get(f"{CUSTOMERS}/1")
    assert gone.status_code == 404 and "no resource with id 1" in gone.json()["message"]
    assert shop.request("DELETE", f"{CUSTOMERS}/1").status_code == 404
    assert [c["name"] for c in shop.get(CUSTOMERS).json()["data"]] == ["Bob"]


def test_changes_that_cannot_apply_are_refused(shop: Client) -> None:
    shop.request("POST", CUSTOMERS, json={"name": "Alice", "status": "active"})
    failed_test = shop.request("PATCH", f"{CUSTOMERS}/1", headers=JSON_PATCH,
                               json=[{"op": "test", "path": "/name", "value": "Someone else"}])
    assert failed_test.status_code == 409
    breaking = shop.request("PATCH", f"{CUSTOMERS}/1", headers=JSON_PATCH,
                            json=[{"op": "replace", "path": "/status", "value": "deleted"}])
    assert breaking.status_code == 409 and "status" in breaking.json()["message"]  # 422 is not declared here
    assert shop.request("PATCH", f"{CUSTOMERS}/9", json={"name": "x"}, headers=MERGE).status_code == 404
    assert shop.get(f"{CUSTOMERS}/1").json()["status"] == "active"  # nothing changed


def test_put_to_a_new_id_stores_it(shop: Client) -> None:
    created = shop.request("PUT", f"{CUSTOMERS}/42", json={"name": "Carol", "status": "active"})
    assert created.status_code == 201 and created.json()["id"] == 42
    assert shop.request("PUT", f"{CUSTOMERS}/42", json={"name": "Carol", "status": "blocked"}).status_code == 200
    assert shop.get(f"{CUSTOMERS}/42").json()["status"] == "blocked"


def test_tenants_and_parents_keep_their_resources_apart(shop: Client) -> None:
    shop.request("POST", CUSTOMERS, json={"name": "Alice", "status": "active"})
    assert shop.get("/shop/beta/customers").json()["data"] == []
    assert shop.get("/shop/beta/customers/1").status_code == 404
    order = shop.request("POST", f"{CUSTOMERS}/1/orders", json={"state": "open", "total": 12.5}).json()
    assert order["customerId"] == 1
    assert shop.get(f"{CUSTOMERS}/1/orders/{order['id']}").json() == order
    assert shop.get(f"{CUSTOMERS}/2/orders/{order['id']}").status_code == 404
    shop.request("POST", CUSTOMERS, json={"name": "Bob", "status": "active"})
    assert shop.get(f"{CUSTOMERS}/2/orders").json()["items"] == []
    shop.request("DELETE", f"{CUSTOMERS}/1")  # a deleted customer's orders are gone with it
    orphaned = shop.get(f"{CUSTOMERS}/1/orders")
    assert orphaned.status_code == 404 and "/shop/acme/customers" in orphaned.json()["message"]
    assert shop.request("POST", f"{CUSTOMERS}/1/orders", json={"state": "open", "total": 1}).status_code == 404


def test_stored_lists_filter_and_page(shop: Client) -> None:
    for index in range(7):
        shop.request("POST", CUSTOMERS, json={"name": f"Customer {index}", "status": ["active", "blocked"][index % 2]})
    last = shop.get(f"{CUSTOMERS}?pageSize=3&page=3")
    body = conforming(shop, last)
    assert [c["name"] for c in body["data"]] == ["Customer 6"]
    assert body["meta"] == {"page": 3, "pageSize": 3, "total": 7, "totalPages": 3}
    assert body["links"]["next"] is None and "page=2" in body["links"]["prev"] and last.headers["x-total-count"] == "7"
    blocked = shop.get(f"{CUSTOMERS}?status=blocked").json()
    assert [c["name"] for c in blocked["data"]] == ["Customer 1", "Customer 3", "Customer 5"]
    assert blocked["meta"]["total"] == 3
    assert [c["name"] for c in shop.get(f"{CUSTOMERS}?q=mer 4").json()["data"]] == ["Customer 4"]


def test_a_petstore_shaped_contract(tmp_path: Path) -> None:
    client = Client(write_contract(tmp_path, PETS), stateful=True)
    try:
        assert client.get("/api/v3/pet/77").status_code == 404
        made = client.request("POST", "/api/v3/pet", json={"id": 77, "name": "Rex", "photoUrls": [], "status": "sold"})
        assert made.json()["id"] == 77
        assert client.get("/api/v3/pet/findByStatus?status=sold").json() == [made.json()]
        assert client.get("/api/v3/pet/findByStatus?status=pending").json() == []
        assert client.request("PUT", "/api/v3/pet", json={"id": 5, "name": "Nobody", "photoUrls": []}).status_code == 404
        updated = client.request("PUT", "/api/v3/pet", json={"id": 77, "name": "Rex", "photoUrls": ["a"]}).json()
        assert updated["photoUrls"] == ["a"] and updated["tags"] == []  # replaced: what was sent
        form = client.request("POST", "/api/v3/pet/77?status=pending").json()
        assert form["status"] == "pending" and form["photoUrls"] == ["a"]  # merged
        assert client.request("DELETE", "/api/v3/pet/77").status_code == 200
        assert client.get("/api/v3/pet/77").status_code == 404
        client.request("POST", "/api/v3/user", json={"username": "alice", "password": "secret", "firstName": "Alice"})
        alice = client.get("/api/v3/user/alice").json()
        assert alice.pop("username") == "alice" and alice.pop("firstName") == "Alice"
        assert isinstance(alice.pop("id"), int) and "password" not in alice  # the server's id; writeOnly never shown
        assert alice == {"lastName": "", "email": ""}  # not sent: empty
    finally:
        client.close()


def test_the_admin_api_names_each_operations_collection(shop: Client) -> None:
    (contract,) = shop.get("/__mock/contracts").json()["contracts"]
    found = {op["operationId"]: op.get("collection") for op in contract["operations"]}
    assert found["getOrder"] == {"route": "/shop/{tenant}/customers/{customerId}/orders", "role": "read", "id_field": "id"}
    assert found["listCustomers"]["role"] == "list" and found["updateCustomer"]["role"] == "update"


def test_the_location_of_a_created_resource_answers_it() -> None:
    client = Client(SHOP.parent / "crud", stateful=True)
    try:
        made = client.request("POST", "/books", json={"title": "Alice", "author": "Lewis Carroll", "isbn": "978-0000000000"})
        location = made.headers["location"].removeprefix("http://mock")
        assert location == f"/books/{made.json()['id']}"
        assert client.get(location).json() == made.json()
    finally:
        client.close()


def test_forced_states_stay_stateless(shop: Client) -> None:
    shop.request("POST", CUSTOMERS, json={"name": "Alice", "status": "active"})
    assert shop.get(f"{CUSTOMERS}/1", headers={"Prefer": "code=404"}).status_code == 404
    assert shop.get(f"{CUSTOMERS}/1").status_code == 200


def test_without_stateful_nothing_is_kept() -> None:
    client = Client(SHOP)
    try:
        made = client.request("POST", CUSTOMERS, json={"name": "Alice Liddell", "status": "active"}).json()
        assert client.get(f"{CUSTOMERS}/{made['id']}").json()["name"] != "Alice Liddell"
    finally:
        client.close()


def write_data(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_data_preloads_and_reset_restores_it(tmp_path: Path) -> None:
    data = write_data(tmp_path, {CUSTOMERS: [{"id": 3, "name": "Preloaded", "status": "active"},
                                             {"name": "No id given", "status": "invited"}],
                                 f"{CUSTOMERS}/3/orders": [{"state": "paid", "total": 9.5}]})
    client = Client(SHOP, stateful=True, data=data)
    try:
        listed = client.get(CUSTOMERS).json()["data"]
        assert [(c["id"], c["name"]) for c in listed] == [(3, "Preloaded"), (1, "No id given")]
        assert all("createdAt" in c for c in listed)  # required, not given: drawn from the resource's seed
        (order,) = client.get(f"{CUSTOMERS}/3/orders").json()["items"]
        assert order["customerId"] == 3 and order["state"] == "paid"
        client.request("DELETE", f"{CUSTOMERS}/3")
        client.request("POST", CUSTOMERS, json={"name": "New", "status": "active"})
        assert client.request("POST", "/__mock/reset").status_code == 200
        assert [c["name"] for c in client.get(CUSTOMERS).json()["data"]] == ["Preloaded", "No id given"]
    finally:
        client.close()


@pytest.mark.parametrize(("data", "message"), [
    ({"/shop/acme/nothing": []}, "is no collection of the loaded contracts"),
    ({CUSTOMERS: [{"name": "x", "nickname": "y"}]}, "customers[0].nickname is not a field"),
    ({CUSTOMERS: [{"name": "x", "status": "gone"}]}, "customers[0].status: 'gone' does not match"),
    ({CUSTOMERS: {"name": "x"}}, "expected a list of resources"),
])
def test_a_bad_data_file_stops_the_start_with_where_it_is_wrong(tmp_path: Path, data: Any, message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)):
        Client(SHOP, stateful=True, data=write_data(tmp_path, data))


def test_preloaded_collections_are_keyed_as_requests_name_them(tmp_path: Path) -> None:
    data = write_data(tmp_path, {"/shop/acme-corp/customers/": [{"id": 1, "name": "A", "status": "active"}],
                                 "/shop/acme-corp/customers": [{"id": 2, "name": "B", "status": "active"}]})
    client = Client(SHOP, stateful=True, data=data)
    try:
        assert sorted(c["name"] for c in client.get("/shop/acme-corp/customers").json()["data"]) == ["A", "B"]
    finally:
        client.close()


def test_data_needs_stateful(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="--stateful"):
        ServeSettings(data=write_data(tmp_path, {}))
