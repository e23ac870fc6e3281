"""The media codecs one by one: what each reads from the ways clients really write a body, what
it refuses (with a 4xx naming the problem, never an exception of another kind), and what it writes."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.etree import ElementTree

import pytest
from PIL import Image
from pypdf import PdfReader

from mock_server.contracts.index import Encoding
from mock_server.contracts.validators import compile_validator, describe_error
from mock_server.errors import RequestInvalid, UnsupportedMediaType
from mock_server.media.codecs import BodyShape, codec_for, validatable
from mock_server.media.negotiation import choose_media_type

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
TAG = {"type": "object", "properties": {"id": {"type": "integer", "xml": {"attribute": True}}, "name": STRING},
       "xml": {"name": "tag"}}
DEFS = {"Tag": TAG}
PET = {
    "type": "object",
    "xml": {"name": "pet", "namespace": "urn:pets", "prefix": "p"},
    "properties": {
        "id": {"type": "integer", "xml": {"attribute": True}},
        "name": STRING,
        "weight": {"type": "number"},
        "vaccinated": {"type": "boolean"},
        "nick": {"type": ["string", "null"]},
        "photoUrls": {"type": "array", "xml": {"wrapped": True}, "items": {"type": "string", "xml": {"name": "url"}}},
        "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}},
        "labels": {"type": "object", "additionalProperties": STRING},
    },
}


def xml_codec(schema: Any = PET) -> Any:
    return codec_for(BodyShape("application/xml", schema, DEFS))


# XML -------------------------------------------------------------------------------------------


def test_xml_is_read_by_its_hints_whatever_prefix_the_client_uses() -> None:
    body = b"""<?xml version="1.0"?>
        <x:pet xmlns:x="urn:pets" id="7">
          <x:name>Rex</x:name><x:weight>4.5</x:weight><x:vaccinated>true</x:vaccinated>
          <x:nick xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>
          <x:photoUrls><x:url>a.png</x:url><x:url>b.png</x:url></x:photoUrls>
          <x:tag id="1"><x:name>good</x:name></x:tag><x:tag id="2"/>
          <x:labels><colour>brown</colour><entry key="two words">yes</entry></x:labels>
        </x:pet>"""
    assert xml_codec().decode(body, "application/xml") == {
        "id": 7, "name": "Rex", "weight": 4.5, "vaccinated": True, "nick": None,
        "photoUrls": ["a.png", "b.png"], "tags": [{"id": 1, "name": "good"}, {"id": 2}],
        "labels": {"colour": "brown", "two words": "yes"},
    }


def test_text_where_an_object_belongs_is_read_as_text_so_validation_refuses_it() -> None:
    """Swagger Petstore's `<order>true</order>` (schemathesis' boolean body) is no empty order."""
    codec = xml_codec()
    assert codec.decode(b"<pet>true</pet>", "application/xml") == "true"
    assert not compile_validator(PET, DEFS).is_valid(codec.decode(b"<pet>true</pet>", "application/xml"))
    assert codec.decode(b"<pet id='3'/>", "application/xml") == {"id": 3}
    assert codec.decode(b"<pet>\n  </pet>", "application/xml") == {}


def test_xml_is_written_by_its_hints() -> None:
    value = {"id": 7, "name": "Rex & co", "photoUrls": ["a.png"], "tags": [{"id": 1, "name": "good"}],
             "nick": None, "labels": {"two words": "yes"}}
    root = ElementTree.fromstring(xml_codec().encode(value))
    assert root.tag == "{urn:pets}pet" and root.get("id") == "7"
    assert root.find("{urn:pets}name") is None and root.find("name").text == "Rex & co"  # unprefixed children
    assert [u.text for u in root.find("photoUrls")] == ["a.png"]
    assert root.find("tag").get("id") == "1" and root.find("tag/name").text == "good"
    assert root.find("nick").get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
    assert root.find("labels/entry").get("key") == "two words"


def test_an_example_written_as_xml_text_is_served_as_it_is() -> None:
    assert xml_codec().encode('<pet id="1"><name>Rex</name></pet>') == b'<pet id="1"><name>Rex</name></pet>'
    assert ElementTree.fromstring(xml_codec(STRING).encode("<not xml")).text == "<not xml"


def test_a_top_level_array_is_one_root_element() -> None:
    codec = codec_for(BodyShape("application/xml", {"type": "array", "items": {"$ref": "#/$defs/Tag"}}, DEFS))
    encoded = codec.encode([{"id": 1}, {"id": 2}])
    assert ElementTree.fromstring(encoded).tag == "tags"
    assert codec.decode(encoded, None) == [{"id": 1}, {"id": 2}]


@pytest.mark.parametrize("body", [
    b'<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><pet><name>&b;</name></pet>',
    b'<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><pet><name>&x;</name></pet>',
    b"<pet><name>Rex</name>",
    b"\xff\xfe<pet/>",
    b"",
])
def test_xml_bombs_external_entities_and_broken_xml_are_a_400(body: bytes) -> None:
    with pytest.raises(RequestInvalid) as refused:
        xml_codec().decode(body, "application/xml")
    assert "XML" in refused.value.message


def test_xml_in_another_charset_is_read_in_it() -> None:
    body = "<pet><name>Zoë</name></pet>".encode("latin-1")
    assert xml_codec().decode(body, "application/xml; charset=iso-8859-1") == {"name": "Zoë"}


# Forms -----------------------------------------------------------------------------------------

OWNER = {"type": "object", "properties": {"name": STRING, "age": INTEGER,
                                          "address": {"type": "object", "properties": {"zip": STRING}}}}
FORM = {
    "type": "object",
    "properties": {
        "name": STRING, "age": INTEGER, "good": {"type": "boolean"},
        "tags": {"type": "array", "items": STRING},
        "ranks": {"type": "array", "items": INTEGER},
        "pipes": {"type": "array", "items": INTEGER},
        "owner": OWNER, "deep": OWNER, "pairs": OWNER, "spread": {"type": "object", "properties": {"colour": STRING}},
        "photo": {"type": "object", "properties": {"id": INTEGER}, "xml": {"name": "photo"}},
        "items": {"type": "array", "items": {"type": "object", "properties": {"id": INTEGER}}},
    },
}
ENCODING = {
    "ranks": Encoding(style="form", explode=False), "pipes": Encoding(style="pipeDelimited", explode=False),
    "deep": Encoding(style="deepObject"), "pairs": Encoding(style="form", explode=False),
    "spread": Encoding(style="form", explode=True), "photo": Encoding(content_type="application/xml"),
}


def form(body: str, content_type: str = "application/x-www-form-urlencoded") -> Any:
    return codec_for(BodyShape("application/x-www-form-urlencoded", FORM, {}, ENCODING)).decode(body.encode(), content_type)


def test_form_fields_are_coerced_to_their_schema_types() -> None:
    assert form("name=Rex&age=7&good=true&unknown=x") == {"name": "Rex", "age": 7, "good": True, "unknown": "x"}


def test_an_integer_written_with_a_zero_fraction_is_an_integer_as_json_schema_counts() -> None:
    """`7.0` is an integer to JSON Schema (a number whose fraction is zero), so a client's `age=7.0` or
    `/statuses/659122.0` is valid; `7.5`, `7.0x` and exponents (`1e3`, which schemathesis sends as the
    wrong type) stay text for the validator to refuse by name."""
    assert form("age=7.0") == {"age": 7.0} and compile_validator(INTEGER, {}).is_valid(form("age=7.0")["age"])
    assert form("age=1e3") == {"age": "1e3"} and form("age=-3.402823466e%2B38") == {"age": "-3.402823466e+38"}
    assert form("age=7.5") == {"age": "7.5"} and form("age=7.0x") == {"age": "7.0x"} and form("age=inf") == {"age": "inf"}


@pytest.mark.parametrize("body", ["tags=a&tags=b", "tags[]=a&tags[]=b", "tags[1]=b&tags[0]=a"])
def test_form_arrays_in_every_common_spelling(body: str) -> None:
    assert form(body) == {"tags": ["a", "b"]}


def test_form_arrays_delimited_where_the_encoding_says_explode_false() -> None:
    assert form("ranks=1,2,3&pipes=4|5") == {"ranks": [1, 2, 3], "pipes": [4, 5]}


def test_form_objects_by_their_encoding() -> None:
    assert form('owner={"name":"Ann","age":3}') == {"owner": {"name": "Ann", "age": 3}}  # JSON, the default
    assert form("deep[name]=Ann&deep[age]=3&deep[address][zip]=0150") == {
        "deep": {"name": "Ann", "age": 3, "address": {"zip": "0150"}}}
    assert form("pairs=name,Ann,age,3") == {"pairs": {"name": "Ann", "age": 3}}
    assert form("colour=red&name=Rex") == {"spread": {"colour": "red"}, "name": "Rex"}
    assert form("items[0][id]=1&items[1][id]=2") == {"items": [{"id": 1}, {"id": 2}]}


def test_a_closed_form_takes_an_absent_objects_properties_written_as_fields_of_their_own() -> None:
    closed = {"type": "object", "additionalProperties": False,
              "properties": {"name": STRING, "category": {"type": "object", "properties": {"id": INTEGER}}}}
    codec = codec_for(BodyShape("application/x-www-form-urlencoded", closed, {}))
    assert codec.decode(b"name=Rex&id=4", None) == {"name": "Rex", "category": {"id": 4}}
    assert codec.decode(b'category={"id":5}&id=4', None) == {"category": {"id": 5}, "id": "4"}  # sent: left alone


def test_a_form_field_in_another_media_type_is_read_by_its_codec() -> None:
    assert form("photo=%3Cphoto%3E%3Cid%3E5%3C%2Fid%3E%3C%2Fphoto%3E") == {"photo": {"id": 5}}


def test_a_form_in_a_wrong_or_unknown_charset_is_a_4xx() -> None:
    codec = codec_for(BodyShape("application/x-www-form-urlencoded", FORM, {}, ENCODING))
    with pytest.raises(RequestInvalid, match="not valid utf-8"):
        codec.decode(b"name=%FF\xff", "application/x-www-form-urlencoded")
    with pytest.raises(UnsupportedMediaType, match="klingon"):
        codec.decode(b"name=x", "application/x-www-form-urlencoded; charset=klingon")
    assert codec.decode("name=Zoë".encode("latin-1"), "application/x-www-form-urlencoded; charset=latin-1") == {
        "name": "Zoë"}


# Multipart -------------------------------------------------------------------------------------

UPLOAD = {"type": "object", "properties": {
    "file": {"type": "string", "format": "binary"}, "title": STRING, "pages": INTEGER,
    "tags": {"type": "array", "items": STRING}, "meta": {"type": "object", "properties": {"author": STRING}},
}}


def multipart(body: bytes, content_type: str = "multipart/form-data; boundary=XyZ", media: str = "multipart/form-data") -> Any:
    return codec_for(BodyShape(media, UPLOAD, {})).decode(body, content_type)


def test_multipart_parts_are_read_by_their_own_content_types() -> None:
    body = (b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n'
            b"\x89PNG\r\n\x00\xff\r\n"
            b'--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nReport\r\n'
            b'--XyZ\r\nContent-Disposition: form-data; name="pages"\r\n\r\n12\r\n'
            b'--XyZ\r\nContent-Disposition: form-data; name="tags"\r\n\r\na\r\n'
            b'--XyZ\r\nContent-Disposition: form-data; name="tags"\r\n\r\nb\r\n'
            b'--XyZ\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"author":"Ann"}\r\n'
            b"--XyZ--\r\n")
    decoded = multipart(body)
    assert decoded == {"file": b"\x89PNG\r\n\x00\xff", "title": "Report", "pages": 12, "tags": ["a", "b"],
                       "meta": {"author": "Ann"}}
    assert validatable(decoded)["file"] == "\x89PNG\r\n\x00\xff"  # a string of one character per byte


def test_multipart_mixed_parts_without_names_follow_the_declared_order() -> None:
    body = b"--XyZ\r\nContent-Type: application/octet-stream\r\n\r\nraw\r\n--XyZ\r\n\r\nReport\r\n--XyZ--\r\n"
    assert multipart(body, "multipart/mixed; boundary=XyZ", "multipart/mixed") == {"file": b"raw", "title": "Report"}
    named = b'--XyZ\r\nContent-Disposition: form-data; name=""\r\n\r\nx\r\n--XyZ\r\n\r\nReport\r\n--XyZ--\r\n'
    assert multipart(named, "multipart/mixed; boundary=XyZ", "multipart/mixed") == {"": "x", "file": b"Report"}


@pytest.mark.parametrize(("body", "content_type", "problem"), [
    (b"--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nRep", "multipart/form-data; boundary=XyZ",
     "closing boundary"),
    (b"title=x", "multipart/form-data", "no boundary"),
    (b"--other\r\n\r\nx\r\n--other--\r\n", "multipart/form-data; boundary=XyZ", "malformed"),
    (b'--XyZ\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{oops\r\n--XyZ--\r\n',
     "multipart/form-data; boundary=XyZ", "not valid JSON"),
])
def test_a_broken_multipart_body_is_a_400_naming_the_problem(body: bytes, content_type: str, problem: str) -> None:
    with pytest.raises(RequestInvalid, match=problem):
        multipart(body, content_type)


# Raw bodies, text, and files written for their types --------------------------------------------


def binary(media_type: str) -> Any:
    return codec_for(BodyShape(media_type, {"type": "string", "format": "binary"}, {}))


def test_raw_bodies_stay_bytes_and_validate_as_strings_of_their_bytes() -> None:
    data = bytes(range(256))
    assert binary("application/octet-stream").decode(data, None) == data
    validator = compile_validator({"type": "string", "format": "binary", "maxLength": 255}, {})
    error = next(validator.iter_errors(validatable(data)))
    assert "(256 characters) is longer than 255 characters" in describe_error(error, "body")


@pytest.mark.parametrize(("media_type", "image_format"), [("image/png", "PNG"), ("image/gif", "GIF"),
                                                         ("image/jpeg", "JPEG"), ("image/*", "PNG")])
def test_image_answers_are_real_images(media_type: str, image_format: str) -> None:
    codec = binary(media_type)
    one, other = codec.encode("8f3a"), codec.encode("c0ffee")
    image = Image.open(io.BytesIO(one))
    image.load()
    assert image.format == image_format and codec.media_type.startswith("image/") and "*" not in codec.media_type
    assert one == codec.encode("8f3a") and one != other  # from the value: same value, same bytes


def test_pdf_zip_and_wav_answers_are_real_files() -> None:
    assert PdfReader(io.BytesIO(binary("application/pdf").encode("Invoice (draft) 42"))).pages[0].extract_text() == \
        "Invoice (draft) 42"
    assert zipfile.ZipFile(io.BytesIO(binary("application/zip").encode("hello"))).read("content.txt") == b"hello"
    assert binary("audio/wav").encode("x").startswith(b"RIFF")


def test_bytes_already_of_the_type_and_opaque_types_are_sent_as_they_are() -> None:
    png = binary("image/png").encode("x")
    assert binary("image/png").encode(png) == png
    assert binary("application/octet-stream").encode("abc") == b"abc"
    assert binary("*/*").media_type == "application/octet-stream"


def test_a_range_with_a_structured_schema_is_json() -> None:
    codec = codec_for(BodyShape("*/*", {"type": "object", "properties": {"a": INTEGER}}, {}))
    assert codec.media_type == "application/json" and codec.encode({"a": 1}) == b'{"a":1}'


def test_text_is_read_in_its_charset_and_coerced_where_the_schema_wants_a_scalar() -> None:
    assert codec_for(BodyShape("text/plain", INTEGER, {})).decode(b"42", None) == 42
    assert codec_for(BodyShape("text/plain", STRING, {})).decode("Zoë".encode("utf-16"), "text/plain; charset=utf-16") == "Zoë"
    with pytest.raises(RequestInvalid, match="not valid utf-8"):
        codec_for(BodyShape("text/plain", STRING, {})).decode(b"\xff", "text/plain")


def test_json_in_any_json_type_and_charset() -> None:
    for media_type in ("application/json", "application/vnd.api+json", "application/merge-patch+json",
                       "application/problem+json"):
        codec = codec_for(BodyShape(media_type, {}, {}))
        assert codec.decode(b'{"a": [1]}', media_type) == {"a": [1]} and codec.encode({"b": 1, "a": 2}) == b'{"a":2,"b":1}'
    assert codec.decode('{"a": "é"}'.encode("utf-16"), "application/json; charset=utf-16") == {"a": "é"}
    with pytest.raises(RequestInvalid, match="not valid JSON"):
        codec.decode(b"{", None)


# Accept ----------------------------------------------------------------------------------------


def test_accept_q_values_wildcards_and_json_first() -> None:
    declared = ["application/xml", "application/json", "text/plain"]
    assert choose_media_type(None, declared) == "application/json"  # no Accept: JSON over the first declared
    assert choose_media_type("*/*", declared) == "application/json"
    assert choose_media_type("application/xml", declared) == "application/xml"
    assert choose_media_type("application/json;q=0.5, application/xml", declared) == "application/xml"
    assert choose_media_type("text/*, application/*;q=0.2", declared) == "text/plain"
    assert choose_media_type("application/json;q=0, */*", declared) == "application/xml"  # q=0 refuses JSON
    assert choose_media_type("image/png, text/html", declared) is None
    assert choose_media_type("application/xml;q=0", ["application/xml"]) is None
