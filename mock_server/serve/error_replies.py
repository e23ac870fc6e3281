"""Errors answered in the contract's own shape.

The status is the error's own if the operation declares it, else one saying the same (400 → 422,
401 → 403), else the error's own status answered with the `default` response, else a vaguer one the
operation declares (401 → 400), else the first declared status of the same class. The body is generated from that response's schema and the human
message is put in the field meant for it (`message`, `detail`, `error.message`,
`fault.faultstring`, ...). problem+json is used only where the operation declares no response
that could carry an error at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..behaviours.reply import Reply
from ..contracts.schema import Schema, deref, merged_properties
from ..errors import RequestError
from ..generate.responses import CompiledMedia, CompiledResponse, OperationResponses
from ..generate.source import Source

MESSAGE_FIELDS = (
    "message", "detail", "error_description", "faultstring", "errorMessage", "error_message",
    "description", "title", "msg", "reason", "error",
)
STATUS_FIELDS = ("status", "code", "statusCode", "status_code", "httpStatus")
PARAM_FIELDS = ("param", "parameter", "field")
CODE_FIELD = "code"  # a machine-readable code when the schema makes it a string
# A machine-readable kind next to the message, as clients branch on it: OpenAI-style `type`,
# OAuth-style `error` (RFC 6749 codes). Only written where the schema allows a free string.
KIND_FIELDS: dict[str, dict[int, str]] = {
    "type": {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
             404: "not_found_error", 405: "invalid_request_error", 406: "invalid_request_error",
             409: "conflict_error", 415: "invalid_request_error", 422: "invalid_request_error",
             429: "rate_limit_error", 500: "server_error", 502: "server_error", 503: "service_unavailable_error"},
    "error": {400: "invalid_request", 401: "invalid_client", 403: "access_denied", 429: "temporarily_unavailable",
              500: "server_error", 503: "temporarily_unavailable"},
}
MAX_DEPTH = 4


def choose_error_response(exc: RequestError, responses: OperationResponses) -> tuple[int, CompiledResponse | None]:
    """The status to answer with and the declared response that describes it."""
    declared = responses.operation
    for status in (exc.status, *exc.fallbacks):
        if declared.declares(status):
            return status, responses.for_status(status)
    if "default" in responses.responses:
        return exc.status, responses.responses["default"]
    for status in exc.last_resorts:
        if declared.declares(status):
            return status, responses.for_status(status)
    same_class = sorted(s for s in responses.responses if s[:1] == str(exc.status)[0] and s.isdigit())
    if same_class:
        return int(same_class[0]), responses.responses[same_class[0]]
    return exc.status, None


def shape_response(responses: OperationResponses) -> CompiledResponse | None:
    """A declared error response whose shape can carry a routing error (404/405) for this path."""
    for status in ("400", "4XX", "default", *sorted(responses.responses)):
        response = responses.responses.get(status)
        if response is not None and (status[0] in "4" or status == "default") and response.media:
            return response
    return None


def render_error(
    exc: RequestError,
    responses: OperationResponses | None,
    source: Source,
    *,
    accept: str | None = None,
    keep_status: bool = False,
) -> Reply:
    """The reply for `exc`: declared status and shape; `keep_status` for routing errors (404/405)."""
    if responses is None:
        return problem_reply(exc, exc.status)
    if keep_status:
        status, response = exc.status, shape_response(responses)
    else:
        status, response = choose_error_response(exc, responses)
    if response is None:
        return problem_reply(exc, status)
    headers = tuple(response.header_values(source)) + tuple(exc.headers.items())
    if not response.media:
        return Reply(status, None, None, headers)
    media = _pick_media(response, accept)
    body = error_body(media, source, exc.message, status, exc.param, responses.operation.response_defs)
    return Reply(status, body, media.wire_type, headers, codec=media.codec)


def _pick_media(response: CompiledResponse, accept: str | None) -> CompiledMedia:
    """What Accept prefers (an XML client gets its errors in XML), JSON when Accept allows nothing
    declared (a 406 itself), else the first declared."""
    try:
        chosen = response.negotiate(accept)
    except RequestError:
        chosen = response.negotiate(None)
    return chosen or next(iter(response.media.values()))


def error_body(
    media: CompiledMedia, source: Source, message: str, status: int, param: str | None, defs: Mapping[str, Schema]
) -> Any:
    """A body valid for the declared schema, carrying the message where the schema expects one."""
    generated = media.body(source, use_examples=False)
    if generated is None:
        generated = media.body(source)
    if not isinstance(generated, dict) or media.schema is None:
        return message if isinstance(generated, str) else generated
    example = next(iter(media.examples.values()), None)  # the response's first example, if any
    example = example if isinstance(example, dict) else {}
    candidates = [
        _filled(generated, media.schema, defs, example, message=message, status=status, param=param, details=True),
        _filled(generated, media.schema, defs, example, message=message, status=status, param=param, details=False),
        _filled(generated, media.schema, defs, example, message=message, status=None, param=None, details=False),
    ]
    for candidate in candidates:
        if media.is_valid(candidate):
            return candidate
    return generated


def _filled(
    value: dict[str, Any], schema: Schema, defs: Mapping[str, Schema], example: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    copy = _deep_copy(value)
    _fill(copy, schema, defs, example, 0, **fields)
    return copy


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value


def _as_object(schema: Schema, defs: Mapping[str, Schema]) -> dict[str, Any]:
    """The dereferenced schema as a mapping: a boolean schema has no keywords to read."""
    resolved = deref(schema, defs)
    return resolved if isinstance(resolved, dict) else {}


def _allows(schema: Schema, defs: Mapping[str, Schema], kind: str) -> bool:
    resolved = _as_object(schema, defs)
    declared = resolved.get("type")
    if declared is None:
        return "enum" not in resolved and "const" not in resolved and "properties" not in resolved
    return kind in (declared if isinstance(declared, list) else [declared]) and "enum" not in resolved


def _fill(
    value: dict[str, Any], schema: Schema, defs: Mapping[str, Schema], example: dict[str, Any], depth: int,
    *, message: str, status: int | None, param: str | None, details: bool,
) -> bool:
    """Put the error into the first object that declares a message field (see `_put`)."""
    properties = merged_properties(schema, defs)
    name = _message_field(properties, defs)
    if name is not None:
        _put(value, properties, defs, example, name, message=message, status=status, param=param, details=details)
        return True
    if depth >= MAX_DEPTH:
        return False
    for name, sub_schema in properties.items():
        if merged_properties(sub_schema, defs):
            child = value.get(name)
            child = child if isinstance(child, dict) else {}  # an optional wrapper the generator left out
            child_example = example.get(name)
            child_example = child_example if isinstance(child_example, dict) else {}
            if _fill(child, sub_schema, defs, child_example, depth + 1, message=message, status=status, param=param,
                     details=details):
                value[name] = child
                return True
    return False


def _message_field(properties: Mapping[str, Schema], defs: Mapping[str, Schema]) -> str | None:
    return next((name for name in MESSAGE_FIELDS if name in properties and _allows(properties[name], defs, "string")), None)


def _put(
    value: dict[str, Any], properties: Mapping[str, Schema], defs: Mapping[str, Schema], example: dict[str, Any],
    name: str, *, message: str, status: int | None, param: str | None, details: bool,
) -> None:
    """The message, and beside it: the status in an integer status field, the field in a param
    field, the kind (OpenAI `type`, OAuth `error`), a string `code` from the response's example
    (OpenAI's `invalid_api_key`; else null where allowed: generated words are no code a client could
    branch on), and a list of detail objects (Emporix's `details`) as one detail about this error."""
    limit = _as_object(properties[name], defs).get("maxLength")
    value[name] = message if limit is None else message[: int(limit)]
    for status_name in STATUS_FIELDS:
        if status is not None and status_name in properties and _allows(properties[status_name], defs, "integer"):
            value[status_name] = status
    for param_name in PARAM_FIELDS:
        if param is not None and param_name in properties and _allows(properties[param_name], defs, "string"):
            value[param_name] = param
    for kind_name, kinds in KIND_FIELDS.items():
        kind = kinds.get(status) if status is not None else None
        if kind and kind_name != name and kind_name in properties and _allows(properties[kind_name], defs, "string"):
            value[kind_name] = kind
    code = properties.get(CODE_FIELD)
    if code is not None and name != CODE_FIELD and not _allows(code, defs, "integer") and _allows(code, defs, "string"):
        if CODE_FIELD in example:
            value[CODE_FIELD] = example[CODE_FIELD]
        elif _allows(code, defs, "null"):
            value[CODE_FIELD] = None
    if not details:
        return
    for list_name, list_schema in properties.items():
        items = _as_object(list_schema, defs).get("items")
        item_properties = merged_properties(items, defs) if items is not None and _allows(list_schema, defs, "array") else {}
        item_message = _message_field(item_properties, defs)
        if list_name == name or item_message is None:
            continue
        generated, declared = value.get(list_name), example.get(list_name)
        item = dict(generated[0]) if isinstance(generated, list) and generated and isinstance(generated[0], dict) else {}
        item_example = declared[0] if isinstance(declared, list) and declared and isinstance(declared[0], dict) else {}
        _put(item, item_properties, defs, item_example, item_message, message=message, status=None, param=param,
             details=False)
        value[list_name] = [item]


def problem_reply(exc: RequestError, status: int) -> Reply:
    """RFC 9457 problem details: only for contracts that declare no error response at all."""
    body = {"type": "about:blank", "title": exc.title, "status": status, "detail": exc.message}
    return Reply(status, body, "application/problem+json", tuple(exc.headers.items()))
