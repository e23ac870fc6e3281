"""The generic event stream: any contract declaring text/event-stream gets real, valid events."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import yaml

from mock_server.app import create_app
from mock_server.behaviours.events import paced
from mock_server.behaviours.reply import LastChunk
from mock_server.contracts.loading import load_contracts
from mock_server.contracts.validators import compile_validator
from mock_server.settings import ServeSettings
from tests.unit.test_app import SyncASGI

TICK = {"type": "object", "required": ["seq", "price"],
        "properties": {"seq": {"type": "integer", "minimum": 0}, "price": {"type": "number"}}}
CONTRACT: dict[str, Any] = {
    "openapi": "3.0.3", "info": {"title": "Ticks", "version": "1"},
    "paths": {
        "/ticks": {"get": {"operationId": "streamTicks", "responses": {"200": {"description": "ticks", "content": {
            "text/event-stream": {"schema": {"type": "string"}, "x-sse-event-schema": {"$ref": "#/components/schemas/Tick"},
                                  "x-sse-terminator": "[END]"}}}}}},
        "/news": {"get": {"operationId": "streamNews", "responses": {"200": {"description": "news", "content": {
            "application/json": {"schema": {"type": "array", "items": {"type": "string"}}},
            "text/event-stream": {"schema": {"type": "object", "required": ["data", "event"], "properties": {
                "data": {"type": "string", "minLength": 1}, "event": {"type": "string", "enum": ["headline"]},
                "id": {"type": "string", "pattern": "^[0-9]+$"}}}}}}}}},
    },
    "components": {"schemas": {"Tick": TICK}},
}


def parse(body: str) -> list[dict[str, str]]:
    events = []
    for block in body.strip().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            name, _, value = line.partition(": ")
            fields[name] = fields[name] + "\n" + value if name in fields else value
        events.append(fields)
    return events


def client(tmp_path: Path) -> SyncASGI:
    (tmp_path / "ticks.yaml").write_text(yaml.safe_dump(CONTRACT))
    return SyncASGI(create_app(ServeSettings(contracts=(tmp_path,), access_log=False)))


def test_payloads_follow_the_event_schema_and_the_terminator_ends_the_stream(tmp_path: Path) -> None:
    answer = client(tmp_path).request("GET", "/ticks")
    assert answer.headers["content-type"].startswith("text/event-stream")
    assert answer.headers["cache-control"] == "no-cache"
    events = parse(answer.text)
    assert events[-1] == {"data": "[END]"}
    validator = compile_validator(TICK, {})
    assert len(events) >= 4 and all(validator.is_valid(json.loads(e["data"])) for e in events[:-1])


def test_without_an_event_schema_the_media_schema_describes_one_event(tmp_path: Path) -> None:
    mock = client(tmp_path)
    streamed = mock.request("GET", "/news", headers={"Accept": "text/event-stream"})
    events = parse(streamed.text)
    (contract,) = load_contracts([tmp_path])
    news = next(op for op in contract.operations if op.operation_id == "streamNews")
    validator = compile_validator(news.responses["200"].content["text/event-stream"].schema, news.response_defs)
    assert events and all(validator.is_valid(event) for event in events)
    assert mock.request("GET", "/news", headers={"Accept": "text/event-stream"}).content == streamed.content
    assert mock.request("GET", "/news").headers["content-type"] == "application/json"


def test_only_the_last_planned_event_is_marked_as_last() -> None:
    async def sent() -> list[bytes]:
        return [chunk async for chunk in paced([b"data: 1\n\n", b"data: 2\n\n", b"data: [END]\n\n"], 0, 0)]

    chunks = asyncio.run(sent())
    assert chunks == [b"data: 1\n\n", b"data: 2\n\n", b"data: [END]\n\n"]
    assert [isinstance(chunk, LastChunk) for chunk in chunks] == [False, False, True]
