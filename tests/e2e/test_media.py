"""Every media type over the wire: a real `mock-server serve` process, real HTTP, the test contracts
with XML hints, form encodings and multipart uploads."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree

import httpx
import pytest

from tests.fixtures.server import TEST_CONTRACTS, RunningServer, start_server

pytestmark = pytest.mark.e2e

NS = "{https://petstore.example.com/schema}"


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    running = start_server("--contracts", str(TEST_CONTRACTS / "petstore_xml"), "--contracts",
                           str(TEST_CONTRACTS / "uploads"), "--seed", "0", "--quiet")
    yield running
    running.stop()


def test_an_xml_body_round_trip(server: RunningServer) -> None:
    """The mock's own XML answer, sent back as a body, is read and accepted: it writes what it reads."""
    first = httpx.get(f"{server.url}/v3/pets/7", headers={"Accept": "application/xml"})
    assert first.status_code == 200 and first.headers["content-type"] == "application/xml"
    assert ElementTree.fromstring(first.content).tag == f"{NS}pet"
    again = httpx.post(f"{server.url}/v3/pets", content=first.content,
                       headers={"Content-Type": "application/xml", "Accept": "application/xml"})
    assert again.status_code == 201, again.text
    assert ElementTree.fromstring(again.content).tag == f"{NS}pet"


def test_a_multipart_upload_with_a_file(server: RunningServer) -> None:
    answer = httpx.post(f"{server.url}/api/documents",
                        files={"file": ("scan.pdf", b"%PDF-1.4\n\x00\x01\x02", "application/pdf")},
                        data={"title": "Scan", "tags": ["inbox", "paper"], "metadata": '{"author": "Ann"}'})
    assert answer.status_code == 201, answer.text
    assert answer.json()["id"].startswith("doc-")
    no_file = httpx.post(f"{server.url}/api/documents", files={"title": (None, "Scan")})
    assert no_file.status_code == 400 and no_file.headers["content-type"] == "application/problem+json"
    assert '"file" is a required property' in no_file.json()["detail"]


def test_a_form_body_with_an_array(server: RunningServer) -> None:
    answer = httpx.post(f"{server.url}/v3/pets", data={
        "name": "Rex", "photoUrls": ["https://img.example.com/1.png", "https://img.example.com/2.png"], "ranks": "2,9"})
    assert answer.status_code == 201, answer.text
    entry = httpx.get(f"{server.url}/__mock/requests?limit=1").json()["requests"][0]
    assert entry["body"]["photoUrls"] == ["https://img.example.com/1.png", "https://img.example.com/2.png"]
    assert entry["body"]["ranks"] == [2, 9]


def test_accept_xml_gives_parseable_xml(server: RunningServer) -> None:
    answer = httpx.get(f"{server.url}/v3/pets", headers={"Accept": "application/xml"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/xml"
    root = ElementTree.fromstring(answer.content)
    assert root.tag == "pets" and all(child.tag == f"{NS}pet" for child in root)


def test_an_unacceptable_accept_is_a_406_in_the_contracts_shape(server: RunningServer) -> None:
    answer = httpx.get(f"{server.url}/v3/pets", headers={"Accept": "text/html"})
    assert answer.status_code == 406 and answer.headers["content-type"] == "application/json"
    assert answer.json()["code"] == 406 and "text/html" in answer.json()["message"]
