"""XML (`application/xml`, `text/xml`, `+xml`), read and written by the Schema Object's `xml` hints.

- `name` renames an element or attribute (on the schema a `$ref` leads to, as on the property);
- `attribute: true` makes a scalar property an attribute of its object's element;
- `wrapped: true` puts an array's items inside one element named after the array; unwrapped, the
  items are repeated elements named after the items' `name` (else the property's);
- `namespace` and `prefix` qualify the element (`<p:pet xmlns:p="...">`); reading matches local
  names, so a client may use any prefix or none.

The root element is the schema's `xml.name`, else the name of the component it refers to, else
`data`; a top-level array is always wrapped (one root element), by default in the plural of its
items' name. `null` is `xsi:nil="true"`. Scalars are coerced to their schema's type. Parsing goes
through defusedxml: entity expansion, external entities and DTDs are refused with a 400.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree

import defusedxml
import defusedxml.ElementTree as SafeElementTree

from ..contracts.schema import deref
from ..errors import RequestInvalid
from .shapes import coerce, extra_property, items, kinds, properties, resolve, scalar_text
from .text import decode_text
from .types import content_type_params

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
INVALID_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ENTRY = "entry"  # an object key that is no XML name: <entry key="...">
MAX_DEPTH = 32


def _hints(schema: Any, defs: Mapping[str, Any]) -> dict[str, Any]:
    """The `xml` object in force: the referenced schema's, overridden by one beside the `$ref` (3.1)."""
    own = schema.get("xml") if isinstance(schema, dict) else None
    target = resolve(schema, defs).get("xml")
    merged = {**(target if isinstance(target, dict) else {}), **(own if isinstance(own, dict) else {})}
    return merged


def _ref_name(schema: Any, defs: Mapping[str, Any]) -> str | None:
    for _ in range(16):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            return None
        ref = schema["$ref"]
        target = deref({"$ref": ref}, defs)
        if not (isinstance(target, dict) and isinstance(target.get("$ref"), str)):
            return ref.rsplit("/", 1)[-1]
        schema = target
    return None


def _name(hints: Mapping[str, Any], fallback: str) -> str:
    name = hints.get("name")
    return str(name) if isinstance(name, str) and NAME.match(name) else fallback


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _is_nil(element: ElementTree.Element) -> bool:
    return any(_local(key) == "nil" and value in ("true", "1") for key, value in element.attrib.items())


def _attribute(element: ElementTree.Element, name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


class Codec:
    holds_bytes = False
    reads_empty = False

    def __init__(self, media_type: str, schema: Any, defs: Mapping[str, Any], encoding: Any, codecs: Any) -> None:
        self.media_type = media_type
        self.schema, self.defs = schema if schema is not None else {}, defs
        hints = _hints(self.schema, defs)
        fallback = _ref_name(self.schema, defs) or "data"
        if "array" in kinds(self.schema, defs) and "object" not in kinds(self.schema, defs):
            item_name = _name(_hints(items(self.schema, defs), defs), _ref_name(items(self.schema, defs), defs) or "item")
            fallback = item_name + "s"
        self.root = _name(hints, fallback)

    # Reading -------------------------------------------------------------------------------------

    def decode(self, body: bytes, content_type: str | None) -> Any:
        source: bytes | str = body
        charset = content_type_params(content_type).get("charset", "utf-8").lower() if content_type else "utf-8"
        if charset not in ("utf-8", "utf8"):
            source = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_text(body, content_type, "XML body"))
        try:
            root = SafeElementTree.fromstring(source, forbid_dtd=True)
        except defusedxml.DefusedXmlException as exc:
            raise RequestInvalid(f"the XML body is refused: {type(exc).__name__} (DTDs and entities are not accepted)") from None
        except (ElementTree.ParseError, ValueError) as exc:
            raise RequestInvalid(f"the request body is not well-formed XML: {exc}") from None
        if "array" in kinds(self.schema, self.defs) and "object" not in kinds(self.schema, self.defs):
            return [self._read(child, items(self.schema, self.defs), 1) for child in root]
        return self._read(root, self.schema, 0)

    def _read(self, element: ElementTree.Element, schema: Any, depth: int) -> Any:
        if _is_nil(element):
            return None
        allowed = kinds(schema, self.defs)
        declared = properties(schema, self.defs)
        if depth < MAX_DEPTH and ("object" in allowed or declared or (not allowed and len(element))):
            text = (element.text or "").strip()
            if text and not len(element) and not element.attrib:  # `<order>true</order>`: text, not an object
                return coerce(text, {}, self.defs)
            return self._read_object(element, schema, declared, depth)
        if depth < MAX_DEPTH and "array" in allowed and "string" not in allowed:
            return [self._read(child, items(schema, self.defs), depth + 1) for child in element]
        text = "".join(element.itertext())
        if text == "" and "string" in allowed:
            return ""
        return coerce(text if "string" in allowed else text.strip(), schema, self.defs)

    def _read_object(self, element: ElementTree.Element, schema: Any, declared: dict[str, Any], depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        children = list(element)
        used: set[int] = set()
        for prop, sub in declared.items():
            hints = _hints(sub, self.defs)
            name = _name(hints, prop)
            if hints.get("attribute"):
                text = _attribute(element, name)
                if text is not None:
                    result[prop] = self._scalar(text, sub)
                continue
            if "array" in kinds(sub, self.defs) and "object" not in kinds(sub, self.defs):
                item_schema = items(sub, self.defs)
                item_name = _name(_hints(item_schema, self.defs), name)
                if hints.get("wrapped"):
                    wrapper = next((i for i, c in enumerate(children) if i not in used and _local(c.tag) == name), None)
                    if wrapper is not None:
                        used.add(wrapper)
                        result[prop] = [self._read(c, item_schema, depth + 2) for c in children[wrapper]]
                    continue
                found = [i for i, c in enumerate(children) if i not in used and _local(c.tag) == item_name]
                if found:
                    used.update(found)
                    result[prop] = [self._read(children[i], item_schema, depth + 1) for i in found]
                continue
            index = next((i for i, c in enumerate(children) if i not in used and _local(c.tag) == name), None)
            if index is not None:
                used.add(index)
                result[prop] = self._read(children[index], sub, depth + 1)
        extra = extra_property(schema, self.defs)
        for index, child in enumerate(children):
            if index in used:
                continue
            key = _attribute(child, "key") if _local(child.tag) == ENTRY and _attribute(child, "key") is not None else _local(child.tag)
            value = self._read(child, extra, depth + 1)
            if key in result and key not in declared:
                previous = result[key]
                result[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                result.setdefault(key, value)
        return result

    def _scalar(self, text: str, schema: Any) -> Any:
        allowed = kinds(schema, self.defs)
        return text if text == "" and "string" in allowed else coerce(text, schema, self.defs)

    # Writing -------------------------------------------------------------------------------------

    def encode(self, value: Any) -> bytes:
        if isinstance(value, bytes):
            return value
        if isinstance(value, str) and _is_document(value):
            return value.encode("utf-8")  # an example (or a recording) written as XML text: served as it is
        hints = _hints(self.schema, self.defs)
        if isinstance(value, list):
            root = self._element(self.root, hints)
            item_schema = items(self.schema, self.defs)
            item_name = _name(_hints(item_schema, self.defs), _ref_name(item_schema, self.defs) or "item")
            for item in value:
                root.append(self._write(item_name, item, item_schema, 1))
        else:
            root = self._write(self.root, value, self.schema, 0)
        return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)

    def _element(self, name: str, hints: Mapping[str, Any]) -> ElementTree.Element:
        prefix = hints.get("prefix") if isinstance(hints.get("prefix"), str) and NAME.match(hints["prefix"]) else None
        element = ElementTree.Element(f"{prefix}:{name}" if prefix else name)
        namespace = hints.get("namespace")
        if isinstance(namespace, str):
            element.set(f"xmlns:{prefix}" if prefix else "xmlns", namespace)
        return element

    def _write(self, name: str, value: Any, schema: Any, depth: int) -> ElementTree.Element:
        element = self._element(name, _hints(schema, self.defs))
        if value is None:
            element.set("xmlns:xsi", XSI)
            element.set("xsi:nil", "true")
        elif isinstance(value, dict) and depth < MAX_DEPTH:
            self._write_object(element, value, schema, depth)
        elif isinstance(value, list) and depth < MAX_DEPTH:
            item_schema = items(schema, self.defs)
            item_name = _name(_hints(item_schema, self.defs), "item")
            for item in value:
                element.append(self._write(item_name, item, item_schema, depth + 1))
        else:
            element.text = _clean(value)
        return element

    def _write_object(self, element: ElementTree.Element, value: dict[str, Any], schema: Any, depth: int) -> None:
        declared = properties(schema, self.defs)
        extra = extra_property(schema, self.defs)
        for prop, item in value.items():
            sub = declared.get(prop)
            if sub is None:
                child = self._write(str(prop) if NAME.match(str(prop)) and prop != ENTRY else ENTRY, item, extra, depth + 1)
                if child.tag == ENTRY:
                    child.set("key", _clean(prop))
                element.append(child)
                continue
            hints = _hints(sub, self.defs)
            name = _name(hints, prop)
            if hints.get("attribute") and not isinstance(item, (dict, list)):
                if item is not None:
                    prefix = hints.get("prefix")
                    element.set(f"{prefix}:{name}" if isinstance(prefix, str) else name, _clean(item))
                    if isinstance(prefix, str) and isinstance(hints.get("namespace"), str):
                        element.set(f"xmlns:{prefix}", hints["namespace"])
                continue
            if isinstance(item, list) and "array" in kinds(sub, self.defs) and "object" not in kinds(sub, self.defs):
                item_schema = items(sub, self.defs)
                item_name = _name(_hints(item_schema, self.defs), name)
                holder = element
                if hints.get("wrapped"):
                    holder = self._element(name, hints)
                    element.append(holder)
                for entry in item:
                    holder.append(self._write(item_name, entry, item_schema, depth + 2))
                continue
            element.append(self._write(name, item, sub, depth + 1))


def _is_document(text: str) -> bool:
    if not text.lstrip().startswith("<"):
        return False
    try:
        SafeElementTree.fromstring(text.encode("utf-8"), forbid_dtd=True)
    except (ElementTree.ParseError, ValueError, defusedxml.DefusedXmlException):
        return False
    return True


def _clean(value: Any) -> str:
    """Text XML 1.0 can carry: characters it cannot (NUL, most control characters) are dropped."""
    return INVALID_CHARS.sub("", scalar_text(value))
