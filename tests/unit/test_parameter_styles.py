"""Object parameters in every OpenAPI style, read and validated: what each style writes is accepted
with its values typed by the schema, and a malformed or wrongly typed one is a 400 naming it."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from mock_server.app import create_app
from mock_server.media.styles import read_object
from mock_server.settings import ServeSettings
from tests.unit.test_app import SyncASGI

POINT = {"type": "object", "additionalProperties": False,
         "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}}}
FREE = {"type": "object", "unevaluatedProperties": {}}  # as TypeSpec writes a `Record<unknown>` filter
ORDER = {"type": "object", "properties": {"created_at": {"type": "string", "enum": ["asc", "desc"]}}}


def _get(path: str, *parameters: dict[str, Any]) -> dict[str, Any]:
    return {path: {"get": {"operationId": path.strip("/").split("/")[0], "parameters": list(parameters),
                           "responses": {"200": {"description": "ok"}}}}}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> SyncASGI:
    paths = {
        **_get("/leads", {"name": "filter", "in": "query", "explode": False, "schema": FREE},
               {"name": "order", "in": "query", "style": "deepObject", "schema": ORDER},
               {"name": "page", "in": "query", "schema": {"type": "integer"}}),
        **_get("/spread", {"name": "point", "in": "query", "required": True, "schema": POINT}),
        **_get("/points/{point}", {"name": "point", "in": "path", "required": True, "schema": POINT},
               {"name": "X-Size", "in": "header", "explode": True, "schema": {
                   "type": "object", "properties": {"w": {"type": "integer"}, "h": {"type": "integer"}}}}),
    }
    folder = tmp_path_factory.mktemp("styles")
    (folder / "styles.yaml").write_text(yaml.safe_dump({"openapi": "3.1.0", "info": {"title": "S", "version": "1"},
                                                        "paths": paths}))
    return SyncASGI(create_app(ServeSettings(contracts=(folder,), access_log=False)))


def test_each_style_writes_an_object_that_is_read_back_typed() -> None:
    def read(text: str, style: str, explode: bool) -> Any:
        return read_object(text, style, explode, "point", POINT, {})

    assert read("x,1,y,2", "simple", False) == read("x=1,y=2", "simple", True) == {"x": 1, "y": 2}
    assert read("x,1,y,2", "form", False) == read('{"x": 1, "y": 2}', "form", False) == {"x": 1, "y": 2}
    assert read(".x,1,y,2", "label", False) == read(".x=1.y=2", "label", True) == {"x": 1, "y": 2}
    assert read(";point=x,1,y,2", "matrix", False) == read(";x=1;y=2", "matrix", True) == {"x": 1, "y": 2}
    assert read("", "form", False) == {} and read("x,1,y", "form", False) == "x,1,y"  # odd: no object
    assert read("x=1,y", "simple", True) == "x=1,y"


@pytest.mark.parametrize(("url", "headers"), [
    ("/leads?filter=", {}), ("/leads?filter=external_id,74ede2fa&page=2", {}),
    ("/leads?order[created_at]=asc", {}), ("/spread?x=1&y=2", {}), ("/points/x,1,y,2", {"X-Size": "w=3,h=4"}),
])
def test_an_object_written_in_its_style_is_accepted(client: SyncASGI, url: str, headers: dict[str, str]) -> None:
    answer = client.request("GET", url, headers=headers)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(("url", "headers", "named"), [
    ("/leads?filter=a,1,b", {}, "query.filter"), ("/leads?order[created_at]=sideways", {}, "query.order.created_at"),
    ("/spread?x=one&y=2", {}, "query.point.x"), ("/spread?z=1", {}, "'point' is required"),
    ("/points/x,1,y,two", {}, "path.point.y"), ("/points/x,1,y,2", {"X-Size": "w=three"}, "header.X-Size.w"),
])
def test_a_malformed_or_mistyped_object_is_refused_by_name(
    client: SyncASGI, url: str, headers: dict[str, str], named: str,
) -> None:
    answer = client.request("GET", url, headers=headers)
    assert answer.status_code == 400 and named in answer.text, answer.text
