"""`application/x-www-form-urlencoded`: fields read into the schema's shape, by the Encoding Object.

Decoding reads every common way a client writes structure into a form, so a browser form, jQuery,
PHP-style and OpenAPI-style clients are all understood:

- arrays: a repeated field (`tag=a&tag=b`, `explode`, the default), `tag[]=a`, indexed
  `tag[0]=a`, or one delimited field where the encoding says `explode: false`
  (`style: spaceDelimited` / `pipeDelimited` change the delimiter);
- objects: `deepObject` brackets (`owner[name]=Ann&owner[address][city]=Oslo`), JSON text (the
  default `contentType` of an object property), `style: form, explode: false` pairs
  (`owner=name,Ann`), or `style: form, explode: true`, where its properties are fields of their own;
- a property with another `contentType` (XML, say) is read by that media type's codec;
- every leaf is coerced to its schema's type (`age=7` is the integer 7 where `age` is an integer).

Encoding writes what decoding reads back (with OpenAPI's defaults), so decode(encode(x)) == x for
any value but those a form cannot tell apart: an empty array or object is no field at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson

from ..contracts.index import Encoding
from ..errors import RequestInvalid
from .shapes import coerce, extra_property, items, kinds, properties, resolve, scalar_text
from .text import decode_text
from .types import is_json, media_type_of

BRACKETS = re.compile(r"\[([^\[\]]*)\]")
MAX_DEPTH = 32  # brackets in one field name: deeper is no real client's form
DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}
NO_ENCODING = Encoding()
Tree = dict[str, Any]  # field name → list of texts, or a nested Tree for bracketed names


def _split_name(name: str) -> tuple[str, list[str]]:
    """`a[b][]` → ('a', ['b', '']); a name without brackets has no path."""
    start = name.find("[")
    if start <= 0 or not name.endswith("]"):
        return name, []
    path = BRACKETS.findall(name[start:])
    if "".join(f"[{segment}]" for segment in path) != name[start:]:
        return name, []
    if len(path) > MAX_DEPTH:
        raise RequestInvalid(f"form field {name[:start]!r} nests {len(path)} brackets deep; at most {MAX_DEPTH} are read")
    return name[:start], path


def _insert(tree: Tree, base: str, path: list[str], text: str) -> None:
    """Put `text` at `base[path...]`; a plain repeated field and `[]` both append."""
    node: Tree = tree
    keys = [base, *path]
    for index, key in enumerate(keys):
        last = index == len(keys) - 1
        current = node.get(key)
        if last:
            if isinstance(current, dict):
                current.setdefault("", []).append(text)
            else:
                node.setdefault(key, []).append(text)
            return
        if not isinstance(current, dict):
            node[key] = {"": current} if isinstance(current, list) else {}
        node = node[key]


class Codec:
    holds_bytes = False
    reads_empty = True  # an empty body with this Content-Type is a form without fields

    def __init__(
        self, media_type: str, schema: Any, defs: Mapping[str, Any], encoding: Mapping[str, Encoding],
        codecs: Callable[[str, Any], Any],
    ) -> None:
        self.media_type = media_type
        self.schema, self.defs, self.encoding = schema or {}, defs, encoding
        self.properties = properties(self.schema, defs)
        self.spread = {  # objects whose properties are fields of their own (style form, explode true)
            name: set(properties(sub, defs))
            for name, sub in self.properties.items()
            if "object" in kinds(sub, defs) and _spreads(encoding.get(name, NO_ENCODING))
        }
        self.objects = {name: set(properties(sub, defs)) for name, sub in self.properties.items()
                        if "object" in kinds(sub, defs)}
        self.closed = resolve(self.schema, defs).get("additionalProperties") is False
        self.field_codecs = {}  # properties carried in another media type, decoded by its codec
        for name, spec in encoding.items():
            bare = media_type_of(spec.content_type) if spec.content_type else None
            if bare and not bare.startswith("text/plain") and not is_json(bare) and spec.style is None:
                self.field_codecs[name] = codecs(bare, self.properties.get(name, {}))

    def _encoding(self, name: str) -> Encoding:
        return self.encoding.get(name, NO_ENCODING)

    def decode(self, body: bytes, content_type: str | None) -> dict[str, Any]:
        text = decode_text(body, content_type, "form body")
        tree: Tree = {}
        for name, value in parse_qsl(text, keep_blank_values=True):
            base, path = _split_name(name)
            owner = next((o for o, names in self.spread.items() if base in names and base not in self.properties), None)
            if owner is not None:
                path, base = [base, *path], owner
            _insert(tree, base, path, value)
        if self.closed:
            self._adopt_spread_fields(tree)
        return {name: self._field(name, node) for name, node in tree.items()}

    def _adopt_spread_fields(self, tree: Tree) -> None:
        """Fields the form may not have that are properties of an object property the client did not
        send: that object written `style: form, explode: true` (OpenAPI's literal default, which some
        clients use even where the object's default contentType is JSON)."""
        given = set(tree)
        for key in [key for key in tree if key not in self.properties]:
            owner = next((name for name, names in self.objects.items() if key in names and name not in given), None)
            if owner is not None:
                child = tree.setdefault(owner, {})
                if isinstance(child, dict):
                    child[key] = tree.pop(key)

    def _field(self, name: str, node: Any) -> Any:
        schema = self.properties.get(name, extra_property(self.schema, self.defs))
        field_codec = self.field_codecs.get(name)
        if field_codec is not None and isinstance(node, list):
            return field_codec.decode(node[-1].encode("utf-8"), field_codec.media_type)
        return self._shape(node, schema, self._encoding(name))

    def _shape(self, node: Any, schema: Any, encoding: Encoding) -> Any:
        allowed = kinds(schema, self.defs)
        if isinstance(node, dict):
            return self._shape_tree(node, schema, allowed)
        if "array" in allowed and ("string" not in allowed or len(node) > 1):
            texts = node
            style, explode = _style(encoding, "array")
            if not explode and len(node) == 1 and style in DELIMITERS:
                texts = node[0].split(DELIMITERS[style]) if node[0] else []
            item_schema = items(schema, self.defs)
            return [self._leaf(text, item_schema, NO_ENCODING) for text in texts]
        return self._leaf(node[-1], schema, encoding)

    def _leaf(self, text: str, schema: Any, encoding: Encoding) -> Any:
        allowed = kinds(schema, self.defs)
        if "object" in allowed or "array" in allowed:
            style, explode = _style(encoding, "object")
            if style == "form" and not explode and "object" in allowed and not text.lstrip().startswith("{"):
                pieces = text.split(",")
                pairs = dict(zip(pieces[::2], pieces[1::2]))
                return {k: coerce(v, properties(schema, self.defs).get(k, {}), self.defs) for k, v in pairs.items()}
            if text.lstrip()[:1] in ("{", "["):
                try:
                    return orjson.loads(text)
                except orjson.JSONDecodeError:
                    return text
        return coerce(text, schema, self.defs)

    def _shape_tree(self, tree: Tree, schema: Any, allowed: tuple[str, ...]) -> Any:
        if "array" in allowed and all(key == "" or key.isdigit() for key in tree):
            item_schema = items(schema, self.defs)
            ordered = sorted((int(k), v) for k, v in tree.items() if k)
            result = [self._shape(child, item_schema, NO_ENCODING) for _, child in ordered]
            for text in tree.get("", []):
                result.append(self._leaf(text, item_schema, NO_ENCODING))
            return result
        own = properties(schema, self.defs)
        extra = extra_property(schema, self.defs)
        return {key: self._shape(child, own.get(key, extra), NO_ENCODING) for key, child in tree.items()}

    def encode(self, value: Any) -> bytes:
        if not isinstance(value, dict):
            return scalar_text(value).encode("utf-8") if not isinstance(value, bytes) else value
        pairs: list[tuple[str, str]] = []
        for name, item in value.items():
            self._encode_field(pairs, name, item, self.properties.get(name, {}), self._encoding(name))
        return urlencode(pairs).encode("ascii")

    def _encode_field(self, pairs: list[tuple[str, str]], name: str, value: Any, schema: Any, encoding: Encoding) -> None:
        field_codec = self.field_codecs.get(name)
        if field_codec is not None:
            pairs.append((name, field_codec.encode(value).decode("utf-8")))
            return
        if isinstance(value, list):
            style, explode = _style(encoding, "array")
            if style == "deepObject":
                _brackets(pairs, name, value)
            elif explode or style not in DELIMITERS:
                pairs.extend((name, _text(item)) for item in value)
            else:
                pairs.append((name, DELIMITERS[style].join(_text(item) for item in value)))
        elif isinstance(value, dict):
            style, explode = _style(encoding, "object")
            if style == "deepObject":
                _brackets(pairs, name, value)
            elif _spreads(encoding):
                pairs.extend((key, _text(item)) for key, item in value.items())
            elif style == "form" and not explode:
                pairs.append((name, ",".join(f"{key},{_text(item)}" for key, item in value.items())))
            else:
                pairs.append((name, _text(value)))
        else:
            pairs.append((name, _text(value)))


def _style(encoding: Encoding, kind: str) -> tuple[str, bool]:
    """The style and explode in force: OpenAPI's defaults (form, explode) where not given; an object
    without a style is JSON text (its default contentType), marked by the style ''."""
    if encoding.style is None and kind == "object" and encoding.explode is None:
        return "", True
    style = encoding.style or "form"
    explode = encoding.explode if encoding.explode is not None else style == "form"
    return style, explode


def _spreads(encoding: Encoding) -> bool:
    """`style: form, explode: true` on an object: its properties are fields of their own."""
    return encoding.style == "form" and encoding.explode is not False


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode("utf-8")
    return scalar_text(value)


def _brackets(pairs: list[tuple[str, str]], prefix: str, value: Any) -> None:
    """`deepObject` names, nested: `owner[address][city]`; lists by index (`tags[0]`)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _brackets(pairs, f"{prefix}[{key}]", item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _brackets(pairs, f"{prefix}[{index}]", item)
    else:
        pairs.append((prefix, scalar_text(value)))
