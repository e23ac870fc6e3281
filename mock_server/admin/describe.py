"""What the dashboard shows of the contracts: each operation with its statuses and named examples,
and a sample request to start "try it" from.

The sample is deterministic (seed 0) and valid for its contract as far as the generator can make
it: path and required query parameters from their schemas, the body from its first declared
example else generated, and a credential of the shape the operation's security asks for (lenient
mode accepts any well-formed one). It is built when the page asks for it, never at start-up.
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import orjson

from ..contracts.index import Operation
from ..generate import Source, compile_schema
from ..media.codecs import BodyShape, codec_for
from ..media.types import media_type_of

if TYPE_CHECKING:
    from ..serve.pipeline import MockApp

TRY_IT_CREDENTIAL = "try-it"
MAX_SAMPLE_BODY = 64 * 1024


def describe_contracts(app: MockApp) -> list[dict[str, Any]]:
    return [
        {
            "name": contract.name,
            "title": contract.title,
            "version": contract.version,
            "openapi": contract.openapi,
            "base_path": contract.base_path,
            "operations": [describe_operation(app, op) for op in contract.operations],
        }
        for contract in app.contracts
    ]


def describe_operation(app: MockApp, op: Operation) -> dict[str, Any]:
    return {
        "key": op.key,
        "operationId": op.operation_id,
        "method": op.method,
        "path": op.route,
        "summary": op.summary,
        "statuses": list(op.statuses),
        "examples": {status: names for status, names in op.example_names().items() if names},
        "streams": streams(op),
        "behaviour": "custom" if op.operation_id in app.registry else "generic",
        **_resource(app, op.key),
    }


def _resource(app: MockApp, key: str) -> dict[str, Any]:
    """What the operation does to which collection (contracts/collections.py), where it does."""
    binding = app.bindings.get(key)
    if binding is None:
        return {}
    collection = binding.collection
    return {"collection": {"route": collection.route, "role": binding.role.value, "id_field": collection.id_field}}


def streams(op: Operation) -> bool:
    return any(
        media_type.lower().startswith("text/event-stream")
        for response in op.responses.values()
        for media_type in response.content
    )


def sample_request(app: MockApp, op: Operation) -> dict[str, Any]:
    """`{"method", "path", "headers", "body", "media_type"}`: a request the page can send as it is."""
    source = app.source(0)
    path = op.route
    query: dict[str, str] = {}
    headers: dict[str, str] = {}
    for parameter in op.parameters:
        if parameter.location == "path":
            value = _text(compile_schema(parameter.schema, op.request_defs, name=parameter.name)(source))
            path = path.replace("{" + parameter.name + "}", quote(value or "x", safe=""))
        elif parameter.required and parameter.location in ("query", "header"):
            value = _text(compile_schema(parameter.schema, op.request_defs, name=parameter.name)(source))
            (query if parameter.location == "query" else headers)[parameter.name] = value
    _credentials(op, headers, query)
    media_type, body = _body(op, source)
    if media_type is not None:
        headers["Content-Type"] = media_type
    if streams(op):
        headers["Accept"] = "application/json, text/event-stream"
    if query:
        path += "?" + urlencode(query)
    return {"method": op.method, "path": path, "headers": headers, "body": body, "media_type": media_type}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return "" if value is None else str(value)


def _credentials(op: Operation, headers: dict[str, str], query: dict[str, str]) -> None:
    """A well-formed credential for the operation's first security alternative."""
    if not op.security:
        return
    for name, _ in op.security[0]:
        scheme = op.security_schemes.get(name)
        if scheme is None:
            continue
        if scheme.type == "apiKey" and scheme.location == "header":
            headers[scheme.parameter] = TRY_IT_CREDENTIAL
        elif scheme.type == "apiKey" and scheme.location == "query":
            query[scheme.parameter] = TRY_IT_CREDENTIAL
        elif scheme.type == "http" and scheme.scheme.lower() == "basic":
            headers["Authorization"] = "Basic " + base64.b64encode(b"try-it:try-it").decode()
        elif scheme.type in ("http", "oauth2", "openIdConnect"):
            headers["Authorization"] = f"Bearer {TRY_IT_CREDENTIAL}"


def _body(op: Operation, source: Source) -> tuple[str | None, str | None]:
    """The first declared media type and a body for it, as text (None: no body, or not text)."""
    if op.request_body is None or not op.request_body.content:
        return None, None
    declared, media = next(iter(op.request_body.content.items()))
    media_type = media_type_of(declared) or declared
    if "*" in media_type:
        media_type = "application/octet-stream"
    value = media.examples[0][1] if media.examples else None
    if value is None and media.schema is not None:
        value = compile_schema(media.schema, op.request_defs)(source)
    if value is None:
        return media_type, None
    codec = codec_for(BodyShape(media_type, media.schema, op.request_defs, media.encoding))
    try:
        encoded = codec.encode(value)
    except (TypeError, ValueError):
        return codec.media_type, None
    if "json" in media_type:  # indented: the page shows it in a text area to edit
        encoded = orjson.dumps(orjson.loads(encoded), option=orjson.OPT_INDENT_2)
    try:
        text = encoded.decode("utf-8")
    except UnicodeDecodeError:
        return codec.media_type, None
    return codec.media_type, text if len(text) <= MAX_SAMPLE_BODY and re.search(r"[\x00-\x08]", text) is None else None
