"""What a contract is once indexed, and the indexing (finding and loading files: `loading.py`).

Everything a request needs from a contract is computed here once, at start-up: operations with
their parameters, bodies, responses and security, every schema normalised (see `schema.py`).
Nothing downstream reads the raw document again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ContractLoadError
from . import spec_check
from .schema import Direction, Schema, normalize
from .validators import normalize_defs

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ADMIN_PREFIX = "/__mock"


@dataclass(frozen=True, slots=True)
class Encoding:
    """How one property of a form or multipart body is written (the Encoding Object); None: not given."""

    content_type: str | None = None
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False


@dataclass(frozen=True, slots=True)
class MediaContent:
    """One media type of a body: its schema and its named examples, in declaration order."""

    media_type: str
    schema: Schema | None
    examples: tuple[tuple[str, Any], ...] = ()
    extensions: Mapping[str, Any] = field(default_factory=dict)
    # Event streams: the schema of each event's JSON `data` (`x-sse-event-schema`) and the last event
    # (`x-sse-terminator`, e.g. "[DONE]"), where the contract names them.
    event_schema: Schema | None = None
    terminator: str | None = None
    # Event streams recorded by `mock-server proxy --record`: (name, each event's `data`), replayed.
    recorded_streams: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Form and multipart bodies: how each property is written, by property name.
    encoding: Mapping[str, Encoding] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    schema: Schema
    required: bool
    examples: tuple[Any, ...] = ()  # the header's `example`/`examples`, then its schema's, in that order


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    """A declared response: `status` is as written ('200', '4XX' or 'default')."""

    status: str
    description: str
    headers: tuple[Header, ...]
    content: Mapping[str, MediaContent]


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: str  # path, query, header, cookie
    required: bool
    schema: Schema
    style: str
    explode: bool


@dataclass(frozen=True, slots=True)
class RequestBody:
    required: bool
    content: Mapping[str, MediaContent]


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """A declared scheme, reduced to what a check needs."""

    name: str
    type: str  # http, apiKey, oauth2, openIdConnect, mutualTLS
    scheme: str = ""  # for http: bearer, basic, ...
    location: str = ""  # for apiKey: header, query, cookie
    parameter: str = ""  # for apiKey: the header, query or cookie name
    token_url: str = ""  # for oauth2 client credentials
    scopes: tuple[str, ...] = ()


# Alternatives (any one suffices) of requirements (all must hold): ((scheme, scopes), ...)
SecurityRequirement = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Operation:
    key: str  # unique across contracts: "<contract>:<operationId>"
    operation_id: str
    contract: str
    method: str  # upper case
    path: str  # as declared, without the base path
    route: str  # base path + path: what a client calls
    summary: str
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: Mapping[str, ResponseSpec]
    security: tuple[SecurityRequirement, ...]
    security_schemes: Mapping[str, SecurityScheme]
    request_defs: Mapping[str, Schema]
    response_defs: Mapping[str, Schema]
    extensions: Mapping[str, Any]

    def response_for(self, status: int) -> ResponseSpec | None:
        """The declared response that covers `status`: exact, then range (4XX), then default."""
        return (
            self.responses.get(str(status))
            or self.responses.get(f"{str(status)[0]}XX")
            or self.responses.get("default")
        )

    def declares(self, status: int) -> bool:
        return str(status) in self.responses or f"{str(status)[0]}XX" in self.responses

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(self.responses)

    def example_names(self) -> dict[str, list[str]]:
        """The named examples of each declared status (recorded ones included), in declaration order:
        what `Prefer: example=NAME` and a rule's `example` may pick."""
        names: dict[str, list[str]] = {}
        for status, response in self.responses.items():
            found = names.setdefault(status, [])
            for media in response.content.values():
                for name in [*(name for name, _ in media.recorded_streams), *(name for name, _ in media.examples)]:
                    if name not in found:
                        found.append(name)
        return names

    @property
    def declares_errors(self) -> bool:
        return any(s[0] in "45" or s == "default" for s in self.responses)


@dataclass(frozen=True, slots=True)
class Contract:
    name: str  # path relative to the folder it was found in
    path: Path
    title: str
    version: str
    openapi: str
    base_path: str
    operations: tuple[Operation, ...]
    document: Mapping[str, Any]

    @property
    def declares_errors(self) -> bool:
        return any(op.declares_errors for op in self.operations)


def index_contract(document: Mapping[str, Any], path: Path, name: str) -> Contract:
    oas30 = str(document["openapi"]).startswith("3.0")
    resolver = _LocalResolver(document, path)
    components = document.get("components") or {}
    component_schemas = components.get("schemas") or {}
    request_defs = normalize_defs(component_schemas, oas30=oas30, direction=Direction.REQUEST)
    response_defs = normalize_defs(component_schemas, oas30=oas30, direction=Direction.RESPONSE)
    schemes = {
        scheme_name: _security_scheme(scheme_name, resolver.resolve(raw))
        for scheme_name, raw in (components.get("securitySchemes") or {}).items()
    }
    base_path = _base_path(document)
    builder = _OperationBuilder(name, base_path, oas30, resolver, schemes, request_defs, response_defs, component_schemas)
    operations = tuple(builder.build_all(document))
    info = document.get("info") or {}
    return Contract(
        name=name,
        path=path,
        title=str(info.get("title", name)),
        version=str(info.get("version", "")),
        openapi=str(document["openapi"]),
        base_path=base_path,
        operations=operations,
        document=document,
    )


def _base_path(document: Mapping[str, Any]) -> str:
    """The path part of the first server URL, variables at their defaults: where the API is mounted."""
    servers = document.get("servers") or []
    if not servers:
        return ""
    url = str(servers[0].get("url", ""))
    for var, spec in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + var + "}", str(spec.get("default", "")))
    return urlsplit(url).path.rstrip("/")


class _LocalResolver:
    """Resolves `$ref`s of parameters, responses, bodies, headers and examples (not schemas)."""

    def __init__(self, document: Mapping[str, Any], path: Path) -> None:
        self.document = document
        self.path = path
        self._files: dict[Path, Any] = {}

    def resolve(self, node: Any, depth: int = 0) -> Any:
        if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)) or depth > 32:
            return node
        ref = node["$ref"]
        location, _, pointer = ref.partition("#")
        target: Any = self.document if not location else self._file(location)
        for token in filter(None, pointer.split("/")):
            token = token.replace("~1", "/").replace("~0", "~")
            try:
                target = target[int(token)] if isinstance(target, list) else target[token]
            except (KeyError, IndexError, ValueError, TypeError):
                raise ContractLoadError(f"{self.path}: unresolvable $ref {ref!r}") from None
        return self.resolve(target, depth + 1)

    def _file(self, location: str) -> Any:
        path = (self.path.parent / location).resolve()
        if path not in self._files:
            self._files[path] = read_document_any(path)
        return self._files[path]


def read_document_any(path: Path) -> Any:
    try:
        return spec_check.read(path)
    except ValueError as exc:
        raise ContractLoadError(str(exc)) from None


def _security_scheme(name: str, raw: Mapping[str, Any]) -> SecurityScheme:
    flows = raw.get("flows") or {}
    scopes: list[str] = []
    token_url = ""
    for flow in flows.values():
        scopes.extend(s for s in (flow.get("scopes") or {}) if s not in scopes)
        token_url = token_url or str(flow.get("tokenUrl", ""))
    return SecurityScheme(
        name=name,
        type=str(raw.get("type", "")),
        scheme=str(raw.get("scheme", "")).lower(),
        location=str(raw.get("in", "")),
        parameter=str(raw.get("name", "")),
        token_url=token_url,
        scopes=tuple(scopes),
    )


@dataclass
class _OperationBuilder:
    contract: str
    base_path: str
    oas30: bool
    resolver: _LocalResolver
    schemes: Mapping[str, SecurityScheme]
    request_defs: Mapping[str, Schema]
    response_defs: Mapping[str, Schema]
    components: Mapping[str, Any]

    def build_all(self, document: Mapping[str, Any]) -> Iterator[Operation]:
        default_security = document.get("security") or []
        for path, raw_item in (document.get("paths") or {}).items():
            item = self.resolver.resolve(raw_item) or {}
            shared = item.get("parameters") or []
            for method in HTTP_METHODS:
                if method in item:
                    yield self.build(path, method, item[method], shared, default_security)

    def build(
        self, path: str, method: str, raw: Mapping[str, Any], shared: list[Any], default_security: list[Any]
    ) -> Operation:
        operation_id = str(raw.get("operationId") or _synthetic_operation_id(method, path))
        security = raw["security"] if "security" in raw else default_security
        return Operation(
            key=f"{self.contract}:{operation_id}",
            operation_id=operation_id,
            contract=self.contract,
            method=method.upper(),
            path=path,
            route=self.base_path + path,
            summary=str(raw.get("summary") or raw.get("description") or "").strip().split("\n")[0],
            parameters=self._parameters(shared, raw.get("parameters") or []),
            request_body=self._request_body(raw.get("requestBody")),
            responses={str(k): self._response(str(k), v) for k, v in (raw.get("responses") or {}).items()},
            security=tuple(
                tuple((name, tuple(scopes or ())) for name, scopes in requirement.items())
                for requirement in security
            ),
            security_schemes=self.schemes,
            request_defs=self.request_defs,
            response_defs=self.response_defs,
            extensions={k: v for k, v in raw.items() if k.startswith("x-")},
        )

    def _schema(self, raw: Any, direction: Direction) -> Schema:
        return normalize(raw if raw is not None else {}, oas30=self.oas30, direction=direction, components=self.components)

    def _parameters(self, shared: list[Any], own: list[Any]) -> tuple[Parameter, ...]:
        merged: dict[tuple[str, str], Mapping[str, Any]] = {}
        for raw in [*shared, *own]:  # operation-level parameters override path-level ones
            param = self.resolver.resolve(raw)
            merged[(param["name"], param["in"])] = param
        result = []
        for (name, location), param in merged.items():
            style = param.get("style") or ("form" if location in ("query", "cookie") else "simple")
            schema_source = param.get("schema")
            if schema_source is None and param.get("content"):
                schema_source = next(iter(param["content"].values())).get("schema")
            result.append(
                Parameter(
                    name=name,
                    location=location,
                    required=bool(param.get("required", location == "path")),
                    schema=self._schema(schema_source, Direction.REQUEST),
                    style=style,
                    explode=bool(param.get("explode", style == "form")),
                )
            )
        return tuple(result)

    def _content(self, raw: Mapping[str, Any] | None, direction: Direction) -> dict[str, MediaContent]:
        content = {}
        for media_type, media in (raw or {}).items():
            media = self.resolver.resolve(media) or {}
            content[media_type] = MediaContent(
                media_type=media_type,
                schema=self._schema(media["schema"], direction) if "schema" in media else None,
                examples=self._examples(media),
                extensions={k: v for k, v in media.items() if k.startswith("x-")},
                event_schema=self._schema(media["x-sse-event-schema"], direction) if "x-sse-event-schema" in media else None,
                terminator=str(media["x-sse-terminator"]) if "x-sse-terminator" in media else None,
                encoding=self._encoding(media.get("encoding")),
            )
        return content

    def _encoding(self, raw: Any) -> dict[str, Encoding]:
        if not isinstance(raw, Mapping):
            return {}
        found = {}
        for name, spec in raw.items():
            spec = self.resolver.resolve(spec) or {}
            found[str(name)] = Encoding(
                content_type=str(spec["contentType"]) if spec.get("contentType") else None,
                style=str(spec["style"]) if spec.get("style") else None,
                explode=bool(spec["explode"]) if "explode" in spec else None,
                allow_reserved=bool(spec.get("allowReserved", False)),
            )
        return found

    def _examples(self, media: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
        named = []
        for example_name, example in (media.get("examples") or {}).items():
            example = self.resolver.resolve(example) or {}
            if "value" in example:
                named.append((str(example_name), example["value"]))
        if "example" in media:
            named.insert(0, ("example", media["example"]))
        return tuple(named)

    def _header_examples(self, header: Mapping[str, Any]) -> tuple[Any, ...]:
        found = [value for _, value in self._examples(header)]
        schema = self.resolver.resolve(header.get("schema")) or {}
        if isinstance(schema, Mapping):
            if "example" in schema:
                found.append(schema["example"])
            if isinstance(schema.get("examples"), list):
                found.extend(schema["examples"])
        return tuple(found)

    def _request_body(self, raw: Any) -> RequestBody | None:
        if raw is None:
            return None
        body = self.resolver.resolve(raw)
        return RequestBody(
            required=bool(body.get("required", False)),
            content=self._content(body.get("content"), Direction.REQUEST),
        )

    def _response(self, status: str, raw: Any) -> ResponseSpec:
        response = self.resolver.resolve(raw) or {}
        headers = []
        for header_name, header in (response.get("headers") or {}).items():
            header = self.resolver.resolve(header) or {}
            if header_name.lower() == "content-type":
                continue  # OpenAPI says a declared Content-Type header is ignored
            headers.append(Header(
                header_name, self._schema(header.get("schema"), Direction.RESPONSE), bool(header.get("required")),
                self._header_examples(header),
            ))
        return ResponseSpec(
            status=status,
            description=str(response.get("description", "")),
            headers=tuple(headers),
            content=self._content(response.get("content"), Direction.RESPONSE),
        )


def _synthetic_operation_id(method: str, path: str) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")
    return f"{method}_{words}" if words else method
