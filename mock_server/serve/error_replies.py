"""Errors answered in the contract's own shape.

The status is the error's own if the operation declares it, else one saying the same (400 → 422,
401 → 403), else the error's own status answered with the `default` response, else the first
declared status of the same class, else a vaguer one the operation declares (401 → 400). A status the
client asked for (`Prefer: code=`, `example=`) gets the declared example whole. Any other error
builds on a declared example: the one whose name says the failure (`expiredToken` for an expired
token), else the first, so the contract's own codes (`fault.detail.errorcode`, `type`, `code`) come
back; without examples, on a body generated from the schema. The human message is put in the field
meant for it (`message`, `detail`, `error.message`, `fault.faultstring`, ...); a shape that is a list
of problems (FastAPI's `detail: [{loc, msg, type}]`, JSON:API's `errors`) gets one entry per problem,
each with its message and, in a location list such as `loc`, where in the request it is. problem+json
is used only where the operation declares no response that could carry an error at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..behaviours.reply import Reply
from ..contracts.schema import Schema, deref, merged_properties
from ..contracts.validators import dotted
from ..errors import ForcedStatus, RequestError
from ..generate.entities import words_of
from ..generate.responses import CompiledMedia, CompiledResponse, OperationResponses
from ..generate.source import Source

MESSAGE_FIELDS = (
    "message", "detail", "error_description", "faultstring", "errorMessage", "error_message",
    "description", "title", "msg", "reason", "error",
)
STATUS_FIELDS = ("status", "code", "statusCode", "status_code", "httpStatus")
PARAM_FIELDS = ("param", "parameter", "field")
LOCATION_FIELDS = ("loc", "location", "path")  # as a list: ["body", "messages", 0, "role"] (FastAPI's `loc`)
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
# A string `code` where the response's example gives none: what the status means, as APIs spell it.
STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
    422: "unprocessable_entity", 429: "rate_limit_exceeded", 500: "internal_error", 502: "bad_gateway",
    503: "service_unavailable", 504: "gateway_timeout",
}
# Fields that link to documentation, and the page of it an error of each status points to.
DOCS_FIELDS = ("moreInfo", "more_info", "documentation", "documentation_url", "documentationUrl", "docs_url",
               "docsUrl", "help_url", "helpUrl", "error_uri")
DOCS_TOPICS = {400: "validation", 401: "authentication", 403: "permissions", 404: "not-found", 405: "methods",
               406: "content-negotiation", 409: "conflicts", 415: "content-types", 422: "validation", 429: "rate-limits"}
# Words in a declared example's name that say which failure it shows (`expiredToken`, `missing_key`).
REASON_WORDS = {
    "missing": frozenset({"missing", "absent", "unresolved", "resolve", "none", "no", "required"}),
    "expired": frozenset({"expired", "expire", "expiry", "expiration"}),
    "invalid": frozenset({"invalid", "bad", "wrong", "unknown", "malformed", "incorrect"}),
    "scope": frozenset({"scope", "scopes", "insufficient", "permission", "permissions"}),
}
MAX_DEPTH = 4


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the request: its message, the field it is about, where that is."""

    message: str
    param: str | None
    location: tuple[str | int, ...]


def problems_of(exc: RequestError) -> tuple[Problem, ...]:
    """Each detail of `exc` with its location when the validator knew it; no location is guessed."""
    if len(exc.locations) != len(exc.details):
        return tuple(Problem(detail, exc.param, ()) for detail in exc.details)
    return tuple(Problem(detail, _param_of(location) or exc.param, location)
                 for detail, location in zip(exc.details, exc.locations))


def _param_of(location: tuple[str | int, ...]) -> str | None:
    """The field a location names, as a `param` field says it: `messages[0].role`, `limit`."""
    if location[:1] == ("body",):
        return dotted(location[1:]) or None
    return str(location[1]) if len(location) > 1 else None


def choose_error_response(exc: RequestError, responses: OperationResponses) -> tuple[int, CompiledResponse | None]:
    """The status to answer with and the declared response that describes it."""
    declared = responses.operation
    for status in (exc.status, *exc.fallbacks):
        if declared.declares(status):
            return status, responses.for_status(status)
    if "default" in responses.responses:
        return exc.status, responses.responses["default"]
    same_class = sorted(s for s in responses.responses if s[:1] == str(exc.status)[0] and s.isdigit())
    if same_class:
        return int(same_class[0]), responses.responses[same_class[0]]
    for status in exc.last_resorts:
        if declared.declares(status):
            return status, responses.for_status(status)
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
    example = chosen_example(media, exc)
    if isinstance(exc, ForcedStatus) and example is not None:  # what the client asked to see
        return Reply(status, _deep_copy(example), media.wire_type, headers, codec=media.codec)
    body = error_body(media, source, exc.message, status, exc.param, responses.operation.response_defs, example,
                      kind=exc.kind, problems=problems_of(exc))
    return Reply(status, body, media.wire_type, headers, codec=media.codec)


def chosen_example(media: CompiledMedia, exc: RequestError) -> Any:
    """The declared example this error starts from: the one `Prefer: example=` names, else one whose
    name says the failure (`expiredToken` for an expired token), else the first; None without any."""
    examples = media.examples
    if not examples:
        return None
    if exc.example is not None and exc.example in examples:
        return examples[exc.example]
    words = REASON_WORDS.get(exc.reason or "")
    if words:
        for name, value in examples.items():
            if words.intersection(words_of(name)):
                return value
    return next(iter(examples.values()))


def _pick_media(response: CompiledResponse, accept: str | None) -> CompiledMedia:
    """What Accept prefers (an XML client gets its errors in XML), JSON when Accept allows nothing
    declared (a 406 itself), else the first declared."""
    try:
        chosen = response.negotiate(accept)
    except RequestError:
        chosen = response.negotiate(None)
    return chosen or next(iter(response.media.values()))


def error_body(
    media: CompiledMedia, source: Source, message: str, status: int, param: str | None, defs: Mapping[str, Schema],
    example: Any = None, *, kind: str | None = None, problems: tuple[Problem, ...] = (),
) -> Any:
    """A body valid for the declared schema, carrying the message where the schema expects one: the
    chosen example as the base (the contract's wording of `type`, `code`...), else a generated body.
    `problems`: the message's parts, for a shape that lists them one by one."""
    example = example if isinstance(example, dict) else {}
    whole = Problem(message, param, problems[0].location if len(problems) == 1 else ())
    generated = _deep_copy(example) if example else media.body(source, use_examples=False)
    if generated is None:
        generated = media.body(source)
    if not isinstance(generated, dict) or media.schema is None:
        return message if isinstance(generated, str) else generated
    candidates = [
        _filled(generated, media.schema, defs, example, message=message, status=status, param=param, details=True,
                kind=kind, problems=problems or (whole,)),
        _filled(generated, media.schema, defs, example, message=message, status=status, param=param, details=False,
                kind=kind, problems=(whole,)),
        _filled(generated, media.schema, defs, example, message=message, status=None, param=None, details=False,
                kind=kind, problems=(Problem(message, None, ()),)),
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
    *, message: str, status: int | None, param: str | None, details: bool, kind: str | None = None,
    problems: tuple[Problem, ...] = (),
) -> bool:
    """Put the error into the first object that declares a message field (see `_put`), or into the
    first list of objects that do, one entry per problem."""
    properties = merged_properties(schema, defs)
    name = _message_field(properties, defs)
    if name is not None:
        _put(value, properties, defs, example, name, message=message, status=status, param=param, details=details,
             required=_required(schema, defs), kind=kind)
        return True
    listed = _message_list(properties, defs)
    if listed is not None:
        _put_list(value, *listed, defs, example, problems, status=status, kind=kind)
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
                     details=details, kind=kind, problems=problems):
                value[name] = child
                return True
    return False


def _message_list(properties: Mapping[str, Schema], defs: Mapping[str, Schema]) -> tuple[str, Schema] | None:
    """(name, items schema) of the first array property whose items declare a message field."""
    for name, schema in properties.items():
        items = _as_object(schema, defs).get("items")
        if items is not None and _allows(schema, defs, "array") and _message_field(merged_properties(items, defs), defs):
            return name, items
    return None


def _put_list(
    value: dict[str, Any], name: str, items: Schema, defs: Mapping[str, Schema], example: dict[str, Any],
    problems: tuple[Problem, ...], *, status: int | None, kind: str | None,
) -> None:
    """`value[name]` as one entry per problem, each built on the first declared or generated entry."""
    properties = merged_properties(items, defs)
    message_field = _message_field(properties, defs) or MESSAGE_FIELDS[0]  # found by `_message_list`
    declared, generated = example.get(name), value.get(name)
    item_example = declared[0] if isinstance(declared, list) and declared and isinstance(declared[0], dict) else {}
    base = generated[0] if isinstance(generated, list) and generated and isinstance(generated[0], dict) else {}
    entries = []
    for problem in problems:
        entry = _deep_copy(item_example or base)
        _put(entry, properties, defs, item_example, message_field, message=problem.message, status=status,
             param=problem.param, details=False, required=_required(items, defs), in_list=True, kind=kind)
        for field in LOCATION_FIELDS:
            if field in properties and _allows(properties[field], defs, "array"):
                element = _as_object(properties[field], defs).get("items", {})
                numbers = _allows(element, defs, "integer")
                entry[field] = [part if numbers or isinstance(part, str) else str(part) for part in problem.location]
        entries.append(entry)
    value[name] = entries


def _message_field(properties: Mapping[str, Schema], defs: Mapping[str, Schema]) -> str | None:
    return next((name for name in MESSAGE_FIELDS if name in properties and _allows(properties[name], defs, "string")), None)


def _required(schema: Schema, defs: Mapping[str, Schema]) -> frozenset[str]:
    resolved = _as_object(schema, defs)
    names = set(resolved.get("required") or [])
    for member in resolved.get("allOf") or []:
        names |= _required(member, defs)
    return frozenset(names)


def _put(
    value: dict[str, Any], properties: Mapping[str, Schema], defs: Mapping[str, Schema], example: dict[str, Any],
    name: str, *, message: str, status: int | None, param: str | None, details: bool, required: frozenset[str],
    in_list: bool = False, docs: str | None = None, kind: str | None = None,
) -> None:
    """The message, and beside it: the status in an integer status field (and in a list entry's
    `status`, a string one too, as JSON:API writes it), the field in a param
    field (none where the error names no field), the kind (OpenAI `type`, OAuth `error`; the
    error's own `kind` if it has one), a string `code` from the example, else the status's
    conventional one, and a list of detail objects (Emporix's `details`) as one detail about this error."""
    limit = _as_object(properties[name], defs).get("maxLength")
    value[name] = message if limit is None else message[: int(limit)]
    for status_name in STATUS_FIELDS:
        if status is None or status_name not in properties or (in_list and status_name != "status"):
            continue  # in a list's entries only `status` is the HTTP one; their `code` is the API's own
        if _allows(properties[status_name], defs, "integer"):
            value[status_name] = status
        elif in_list and _allows(properties[status_name], defs, "string"):
            value[status_name] = str(status)  # JSON:API's `errors[].status`: the HTTP status as a string
    for param_name in PARAM_FIELDS:
        if param_name not in properties:
            continue
        if param is not None and _allows(properties[param_name], defs, "string"):
            value[param_name] = param
        elif param is None and param_name in value:  # the example's or a generated field: this error names none
            if _allows(properties[param_name], defs, "null"):
                value[param_name] = None
            elif param_name not in required:
                del value[param_name]
    for kind_name, kinds in KIND_FIELDS.items():
        chosen = kind or (kinds.get(status) if status is not None else None)
        if chosen and kind_name != name and kind_name in properties and _allows(properties[kind_name], defs, "string"):
            value[kind_name] = chosen
    code = properties.get(CODE_FIELD)
    if code is not None and name != CODE_FIELD and not _allows(code, defs, "integer") and _allows(code, defs, "string"):
        if CODE_FIELD in example:
            value[CODE_FIELD] = example[CODE_FIELD]
        elif status is not None and not in_list:
            value[CODE_FIELD] = STATUS_CODES.get(status, f"http_{status}")
        elif _allows(code, defs, "null"):
            value[CODE_FIELD] = None
    docs = _point_docs(value, status, docs)
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
        _put(item, item_properties, defs, item_example, item_message, message=message, status=status, param=param,
             details=False, required=_required(items, defs), in_list=True, docs=docs)
        value[list_name] = [item]


def _point_docs(value: dict[str, Any], status: int | None, docs: str | None) -> str | None:
    """A generated documentation link points at the page for this error (`.../errors/validation` for
    a 400), on one site for the whole body; returns that link."""
    if status is None:
        return docs
    for field in DOCS_FIELDS:
        link = value.get(field)
        if isinstance(link, str) and link.startswith("https://docs.") and "/errors/" in link:
            topic = DOCS_TOPICS.get(status, "server-errors" if status >= 500 else "requests")
            value[field] = docs or f"{link.split('/errors/')[0]}/errors/{topic}"
            docs = value[field]
    return docs


def problem_reply(exc: RequestError, status: int) -> Reply:
    """RFC 9457 problem details: only for contracts that declare no error response at all."""
    body = {"type": "about:blank", "title": exc.title, "status": status, "detail": exc.message}
    return Reply(status, body, "application/problem+json", tuple(exc.headers.items()))
