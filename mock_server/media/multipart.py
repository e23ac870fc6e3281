"""`multipart/form-data` and `multipart/mixed`: parts parsed by python-multipart (starlette's parser),
each read into its property's shape by its own content type.

A part's content type is the one it carries, else the property's `encoding.contentType`, else
OpenAPI's default for its schema: a file (`format: binary`, `contentMediaType`) is
`application/octet-stream` and stays bytes; an object is JSON; a scalar is `text/plain`, coerced to
its type. Parts of one name make an array. A `multipart/mixed` part without a name is the next
declared property not yet given. Answers are written the same way with a fixed boundary (the
Content-Type carries it), so the same value gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from python_multipart.multipart import MultipartParseError, MultipartParser, parse_options_header

from ..contracts.index import Encoding
from ..errors import RequestInvalid
from .shapes import is_binary, items, kinds, properties
from .types import content_type_params, media_type_of

BOUNDARY = "mock-server-7c1e0f5a2b9d4c3e8f6a1b0d"
MAX_PARTS = 1000


def default_part_type(schema: Any, defs: Mapping[str, Any]) -> str:
    """OpenAPI's default `contentType` of a part whose encoding says none."""
    if is_binary(schema, defs):
        resolved_type = schema.get("contentMediaType") if isinstance(schema, dict) else None
        return str(resolved_type or "application/octet-stream")
    allowed = kinds(schema, defs)
    if "object" in allowed or ("array" in allowed and "object" in kinds(items(schema, defs), defs)):
        return "application/json"
    return "text/plain"


class _Part:
    __slots__ = ("data", "headers", "name")

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.data = bytearray()
        self.name: str | None = None


def parse_parts(body: bytes, boundary: str) -> list[_Part]:
    """The parts of a multipart body; a 400 naming the problem when it is not one."""
    parts: list[_Part] = []
    header: list[bytes] = [b"", b""]
    ended = [False]

    def begin() -> None:
        if len(parts) >= MAX_PARTS:
            raise RequestInvalid(f"the multipart body has more than {MAX_PARTS} parts")
        parts.append(_Part())

    def header_end() -> None:
        parts[-1].headers[header[0].decode("latin-1").lower()] = header[1].decode("latin-1")
        header[0] = header[1] = b""

    callbacks = {
        "on_part_begin": begin,
        "on_part_data": lambda data, start, end: parts[-1].data.extend(data[start:end]),
        "on_header_field": lambda data, start, end: header.__setitem__(0, header[0] + data[start:end]),
        "on_header_value": lambda data, start, end: header.__setitem__(1, header[1] + data[start:end]),
        "on_header_end": header_end,
        "on_end": lambda: ended.__setitem__(0, True),
    }
    try:
        parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
        parser.write(body)
        parser.finalize()
    except MultipartParseError as exc:
        raise RequestInvalid(f"the multipart body is malformed: {exc}") from None
    if not ended[0]:
        raise RequestInvalid(f"the multipart body does not end with its closing boundary --{boundary}--")
    return parts


class Codec:
    holds_bytes = True
    reads_empty = False

    def __init__(
        self, media_type: str, schema: Any, defs: Mapping[str, Any], encoding: Mapping[str, Encoding],
        codecs: Callable[[str, Any], Any],
    ) -> None:
        self.subtype = media_type
        self.media_type = f"{media_type}; boundary={BOUNDARY}"
        self.schema, self.defs, self.encoding, self.codecs = schema or {}, defs, encoding, codecs
        self.properties = properties(self.schema, defs)
        self._part_codecs: dict[tuple[str, str], Any] = {}

    def _declared_type(self, name: str, schema: Any) -> str:
        spec = self.encoding.get(name)
        if spec is not None and spec.content_type:
            return spec.content_type.split(",")[0].strip()  # a list of types: the first one is the default
        return default_part_type(schema, self.defs)

    def _codec(self, media_type: str, name: str, schema: Any) -> Any:
        key = (media_type, name)
        if key not in self._part_codecs:  # bounded: one per declared property and media type seen
            if len(self._part_codecs) > 256:
                return self.codecs(media_type, schema)
            self._part_codecs[key] = self.codecs(media_type, schema)
        return self._part_codecs[key]

    def decode(self, body: bytes, content_type: str | None) -> dict[str, Any]:
        boundary = content_type_params(content_type).get("boundary")
        if not boundary:
            raise RequestInvalid(f"Content-Type {content_type!r} names no boundary: the multipart body cannot be read")
        found: dict[str, list[Any]] = {}
        unnamed = [name for name in self.properties]
        for part in parse_parts(body, boundary):
            disposition = part.headers.get("content-disposition", "")
            _, options = parse_options_header(disposition)
            if b"name" in options:
                name = options[b"name"].decode("utf-8", "replace")
            else:  # multipart/mixed: parts without a name take the declared properties in order
                name = next((n for n in unnamed if n not in found), f"part{len(found) + 1}")
            found.setdefault(name, []).append(self._part(name, part, b"filename" in options))
        return {name: self._collect(name, values) for name, values in found.items()}

    def _part(self, name: str, part: _Part, is_file: bool) -> Any:
        schema = self.properties.get(name, {})
        data = bytes(part.data)
        sent = part.headers.get("content-type")
        whole_array = media_type_of(sent) == "application/json" and data.lstrip()[:1] == b"["
        if self._is_array(schema) and not whole_array:
            schema = items(schema, self.defs)  # one part per item
        allowed = kinds(schema, self.defs)
        if is_binary(schema, self.defs) or (is_file and set(allowed) <= {"string"}):
            return data
        declared = self._declared_type(name, schema)
        sent_type = media_type_of(sent)
        if sent_type is None or sent_type.startswith("multipart/"):  # no multipart within multipart
            sent, sent_type = declared, media_type_of(declared) or declared
        return self._codec(sent_type, name, schema).decode(data, sent)

    def _is_array(self, schema: Any) -> bool:
        return "array" in kinds(schema, self.defs) and not is_binary(schema, self.defs)

    def _collect(self, name: str, values: list[Any]) -> Any:
        if self._is_array(self.properties.get(name, {})):
            if len(values) == 1 and isinstance(values[0], list):
                return values[0]
            return values
        return values[-1] if len(values) == 1 else values

    def encode(self, value: Any) -> bytes:
        if not isinstance(value, dict):
            value = {"value": value}
        out = bytearray()
        for name, item in value.items():
            schema = self.properties.get(name, {})
            array = isinstance(item, list) and self._is_array(schema)
            declared = self._declared_type(name, schema)
            if array and declared != "application/json":
                item_schema = items(schema, self.defs)
                for element in item:
                    self._write(out, name, element, item_schema, self._declared_type(name, item_schema))
            else:
                self._write(out, name, item, schema, declared)
        out += f"--{BOUNDARY}--\r\n".encode("ascii")
        return bytes(out)

    def _write(self, out: bytearray, name: str, value: Any, schema: Any, media_type: str) -> None:
        binary = is_binary(schema, self.defs) or isinstance(value, bytes)
        data = value if isinstance(value, bytes) else self._codec(media_type, name, schema).encode(value)
        if binary and not isinstance(value, bytes):
            media_type = media_type if media_type != "text/plain" else "application/octet-stream"
        filename = f'; filename="{name}"' if binary else ""
        header_name = name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        out += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{header_name}"{filename}\r\n'.encode()
        out += f"Content-Type: {media_type}\r\n\r\n".encode("latin-1", "replace")
        out += data + b"\r\n"

