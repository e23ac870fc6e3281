"""Every declared media type through the app in-process: bodies read and checked, answers written
in the negotiated type, errors in the contract's shape (never a 5xx), 405s with the exact Allow."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from PIL import Image

from mock_server.app import create_app
from mock_server.settings import ServeSettings
from tests.unit.test_app import SyncASGI

CONTRACTS = Path(__file__).parents[1] / "contracts"
PETS = "/v3/pets"
DOCS = "/api/documents"


def app_client(seed: int = 0) -> SyncASGI:
    """The app on the petstore and uploads test contracts, in-process."""
    settings = ServeSettings(contracts=(CONTRACTS / "petstore_xml", CONTRACTS / "uploads"), seed=seed, access_log=False)
    return SyncASGI(create_app(settings))


@pytest.fixture(scope="module")
def client() -> SyncASGI:
    return app_client()


PET_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<pet xmlns="https://petstore.example.com/schema" id="7">
  <name>Rex</name><weight>4.5</weight><vaccinated>true</vaccinated>
  <category><id>2</id><name>Dogs</name></category>
  <own:owner xmlns:own="https://petstore.example.com/owners"><own:name>Ann</own:name></own:owner>
  <photoUrls><photoUrl>https://img.example.com/rex.png</photoUrl></photoUrls>
  <tags><tag id="1"><name>good</name></tag></tags>
  <nickname>rexy</nickname>
</pet>"""


def test_an_xml_body_is_read_by_its_hints_and_answered_in_xml(client: SyncASGI) -> None:
    answer = client.request("POST", PETS, content=PET_XML,
                            headers={"Content-Type": "application/xml", "Accept": "application/xml"})
    assert answer.status_code == 201 and answer.headers["content-type"] == "application/xml"
    root = ElementTree.fromstring(answer.content)
    assert root.tag == "{https://petstore.example.com/schema}pet" and root.find("{*}photoUrls/{*}photoUrl") is not None
    journal = client.request("GET", "/__mock/requests?limit=1").json()["requests"][0]
    assert journal["body"]["owner"] == {"name": "Ann"} and journal["body"]["tags"] == [{"id": 1, "name": "good"}]


@pytest.mark.parametrize(("body", "field"), [
    (PET_XML.replace(b'id="7"', b'id="seven"'), "body.id"),
    (PET_XML.replace(b"<weight>4.5</weight>", b"<weight>heavy</weight>"), "body.weight"),
    (PET_XML.replace(b"<photoUrls><photoUrl>https://img.example.com/rex.png</photoUrl></photoUrls>", b""), "photoUrls"),
])
def test_an_invalid_xml_body_gets_the_declared_400_naming_the_field(client: SyncASGI, body: bytes, field: str) -> None:
    answer = client.request("POST", PETS, content=body, headers={"Content-Type": "application/xml"})
    assert answer.status_code == 400 and answer.json()["code"] == 400 and field in answer.json()["message"]


def test_malformed_xml_and_xml_bombs_are_400s_in_the_callers_media_type(client: SyncASGI) -> None:
    bomb = b'<!DOCTYPE p [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><pet><name>&b;</name></pet>'
    for body in (b"<pet><name>Rex</name>", bomb):
        answer = client.request("POST", PETS, content=body,
                                headers={"Content-Type": "application/xml", "Accept": "application/xml"})
        assert answer.status_code == 400 and answer.headers["content-type"] == "application/xml"
        error = ElementTree.fromstring(answer.content)
        assert error.tag == "error" and error.get("code") == "400" and "XML" in error.findtext("message")


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/x-www-form-urlencoded", b"owner" + b"[a]" * 5000 + b"=1"),
    ("application/x-www-form-urlencoded", b"photoUrls" + b"[0]" * 5000 + b"=1"),
    ("application/xml", b"<pet>" + b"<owner>" * 3000 + b"</owner>" * 3000 + b"</pet>"),
    ("application/json", b"[" * 5000 + b"]" * 5000),
    ("application/json", b"[" * 300 + b"]" * 300),  # parsed, but too deep for the validator to describe
])
def test_bodies_nested_without_end_are_a_400_not_a_crash(client: SyncASGI, content_type: str, body: bytes) -> None:
    answer = client.request("POST", PETS, content=body, headers={"Content-Type": content_type})
    assert answer.status_code == 400 and answer.json()["code"] == 400


def test_a_form_body_with_arrays_and_nested_objects(client: SyncASGI) -> None:
    fields = [("name", "Rex"), ("photoUrls", "https://a.example.com/1.png"), ("photoUrls", "https://a.example.com/2.png"),
              ("ranks", "3,1"), ("owner[name]", "Ann"), ("owner[address][city]", "Oslo"), ("category", '{"id": 2}'),
              ("weight", "4.5"), ("vaccinated", "false")]
    answer = client.request("POST", PETS, content=urlencode(fields),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 201
    body = client.request("GET", "/__mock/requests?limit=1").json()["requests"][0]["body"]
    assert body == {"name": "Rex", "photoUrls": ["https://a.example.com/1.png", "https://a.example.com/2.png"],
                    "ranks": [3, 1], "owner": {"name": "Ann", "address": {"city": "Oslo"}}, "category": {"id": 2},
                    "weight": 4.5, "vaccinated": False}
    put = client.request("PUT", f"{PETS}/4", data={"name": "Rex", "photoUrls": ["https://a.example.com/1.png"]})
    assert put.status_code == 200 and put.headers["content-type"] == "application/xml"  # the one type declared


def test_an_invalid_form_body_names_the_field(client: SyncASGI) -> None:
    answer = client.request("POST", PETS, data={"name": "Rex", "photoUrls": "https://a.example.com/1.png",
                                                "ranks": "1,x"})
    assert answer.status_code == 400 and "body.ranks[1]" in answer.json()["message"]
    extra = client.request("POST", PETS, data={"name": "Rex", "photoUrls": "https://a.example.com/1.png", "colour": "red"})
    assert extra.status_code == 400 and "colour" in extra.json()["message"]


def test_a_multipart_upload_with_a_file_and_json_metadata(client: SyncASGI) -> None:
    answer = client.request("POST", DOCS, files={"file": ("report.pdf", b"%PDF-1.4 \x00\xff", "application/pdf")},
                            data={"title": "Report", "tags": ["q3", "draft"], "pages": "3",
                                  "metadata": '{"author": "Ann", "year": 2024}'})
    assert answer.status_code == 201 and answer.headers["content-type"] == "application/json"
    body = client.request("GET", "/__mock/requests?limit=1").json()["requests"][0]["body"]
    assert body == {"file": "<11 bytes>", "title": "Report", "tags": ["q3", "draft"], "pages": 3,
                    "metadata": {"author": "Ann", "year": 2024}}


@pytest.mark.parametrize(("content", "content_type", "problem"), [
    (b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nx', "multipart/form-data; boundary=b", "closing boundary"),
    (b"title=x", "multipart/form-data", "no boundary"),
    (b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--b--\r\n', "multipart/form-data; boundary=b",
     '"file" is a required property'),
])
def test_a_broken_or_incomplete_multipart_upload_is_a_problem_json_400(
    client: SyncASGI, content: bytes, content_type: str, problem: str,
) -> None:
    answer = client.request("POST", DOCS, content=content, headers={"Content-Type": content_type})
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
    assert problem in answer.json()["detail"]


def test_multipart_mixed_parts_in_order(client: SyncASGI) -> None:
    body = (b'--m\r\nContent-Type: application/json\r\n\r\n{"count": 2}\r\n--m\r\nContent-Type: text/plain\r\n\r\nhi\r\n'
            b"--m\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--m--\r\n")
    answer = client.request("POST", f"{DOCS}/batch", content=body, headers={"Content-Type": "multipart/mixed; boundary=m"})
    assert answer.status_code == 202
    bad = body.replace(b'{"count": 2}', b'{"count": 0}')
    refused = client.request("POST", f"{DOCS}/batch", content=bad, headers={"Content-Type": "multipart/mixed; boundary=m"})
    assert refused.status_code == 400 and "body.manifest.count" in refused.json()["detail"]


def test_raw_and_text_bodies(client: SyncASGI) -> None:
    path = f"{DOCS}/doc-0001/content"
    assert client.request("PUT", path, content=b"\x00\xff" * 8, headers={"Content-Type": "application/octet-stream"}).status_code == 204
    assert client.request("PUT", path, content=b"\x89PNG", headers={"Content-Type": "image/png"}).status_code == 204
    assert client.request("PUT", path, content="Zoë".encode(), headers={"Content-Type": "text/plain"}).status_code == 204
    too_long = client.request("PUT", path, content=b"x" * 65, headers={"Content-Type": "application/octet-stream"})
    assert too_long.status_code == 400 and "longer than 64" in too_long.json()["detail"]
    assert client.request("PUT", path, content=b"", headers={"Content-Type": "text/plain"}).status_code == 204  # ""
    assert client.request("PUT", path, content=b"").status_code == 400  # no Content-Type, no body: none sent
    wrong_charset = client.request("PUT", path, content=b"\xff\xfe", headers={"Content-Type": "text/plain"})
    assert wrong_charset.status_code == 400 and "not valid utf-8" in wrong_charset.json()["detail"]
    undeclared = client.request("PUT", path, content=b"{}", headers={"Content-Type": "application/json"})
    assert undeclared.status_code == 415 and "application/octet-stream" in undeclared.json()["detail"]


def test_an_undeclared_media_type_falls_back_to_the_declared_400_where_415_is_not_declared(client: SyncASGI) -> None:
    answer = client.request("PUT", f"{PETS}/4", content=b"{}", headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and "send one of: application/xml, application/x-www-form-urlencoded" in \
        answer.json()["message"]


def test_downloads_in_the_negotiated_type(client: SyncASGI) -> None:
    path = f"{DOCS}/doc-0001/content"
    pdf = client.request("GET", path, headers={"Accept": "application/pdf"})
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    png = client.request("GET", path, headers={"Accept": "image/*;q=0.9, application/pdf;q=0.1"})
    assert png.headers["content-type"] == "image/png" and Image.open(io.BytesIO(png.content)).format == "PNG"
    text = client.request("GET", path, headers={"Accept": "text/plain"})
    assert text.headers["content-type"] == "text/plain; charset=utf-8" and len(text.text) <= 300
    thumbnail = client.request("GET", f"{DOCS}/doc-0001/thumbnail")
    assert thumbnail.headers["content-type"] == "image/png" and thumbnail.content.startswith(b"\x89PNG")
    pages = client.request("GET", f"{DOCS}/doc-0001/pages")
    assert pages.headers["content-type"].startswith("text/plain") and 1 <= int(pages.text) <= 500


def test_a_multipart_answer_carries_its_boundary(client: SyncASGI) -> None:
    answer = client.request("GET", f"{DOCS}/doc-0001/bundle")
    content_type = answer.headers["content-type"]
    assert content_type.startswith("multipart/mixed; boundary=")
    boundary = content_type.split("boundary=")[1].encode()
    assert answer.content.endswith(b"--" + boundary + b"--\r\n") and b"Content-Type: application/pdf" in answer.content


def test_without_accept_json_is_preferred_and_an_unacceptable_accept_is_a_406_in_the_contracts_shape(client: SyncASGI) -> None:
    assert client.request("GET", f"{PETS}/1").headers["content-type"] == "application/json"
    assert client.request("GET", f"{PETS}/1", headers={"Accept": "*/*"}).headers["content-type"] == "application/json"
    xml = client.request("GET", f"{PETS}/1", headers={"Accept": "application/json;q=0.1, application/xml"})
    assert xml.headers["content-type"] == "application/xml" and ElementTree.fromstring(xml.content).tag.endswith("pet")
    refused = client.request("GET", PETS, headers={"Accept": "text/html"})
    assert refused.status_code == 406 and refused.json()["code"] == 406 and "text/html" in refused.json()["message"]
    problem = client.request("GET", f"{DOCS}/doc-0001/content", headers={"Accept": "application/json"})
    assert problem.status_code == 406 and problem.headers["content-type"] == "application/problem+json"


def test_the_same_request_and_seed_give_the_same_bytes_in_every_media_type() -> None:
    requests = [("GET", PETS, {"Accept": "application/xml"}), ("GET", f"{DOCS}/doc-0001/content", {"Accept": "image/png"}),
                ("GET", f"{DOCS}/doc-0001/content", {"Accept": "application/pdf"}), ("GET", f"{DOCS}/doc-0001/bundle", {}),
                ("GET", f"{DOCS}/doc-0001/pages", {})]
    first, second, other = app_client(seed=3), app_client(seed=3), app_client(seed=4)
    for method, path, headers in requests:
        one = first.request(method, path, headers=headers).content
        assert one == second.request(method, path, headers=headers).content, path
        assert one != other.request(method, path, headers=headers).content, path


def test_405_lists_only_the_methods_of_the_path_matched(client: SyncASGI) -> None:
    literal = client.request("DELETE", f"{PETS}/findByTags")  # not /pets/{petId}, which has GET and PUT
    assert literal.status_code == 405 and literal.headers["allow"] == "GET"
    templated = client.request("DELETE", f"{PETS}/4")
    assert templated.status_code == 405 and templated.headers["allow"] == "GET, PUT"


def test_a_behaviour_of_its_own_still_refuses_an_accept_nothing_declared_fits() -> None:
    bundled = SyncASGI(create_app(ServeSettings(contracts=(CONTRACTS.parents[1] / "openapi",), access_log=False)))
    chat = "/api/organizations/3fa85f64-5717-4562-b3fc-2c963f66afa6/ai/chat/completions"
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}
    refused = bundled.request("POST", chat, json=body, headers={"x-api-key": "k", "Accept": "application/xml"})
    assert refused.status_code in (400, 406) and "application/xml" in refused.json()["error"]["message"]
    for accept in ("application/json", "*/*", "text/event-stream, application/json;q=0.5"):
        served = bundled.request("POST", chat, json=body, headers={"x-api-key": "k", "Accept": accept})
        assert served.status_code == 200 and served.json()["object"] == "chat.completion"
