"""OpenAPI schema objects → plain JSON Schema 2020-12, compiled once.

Validation (jsonschema-rs), generation (`generate/`) and the checks all read one representation,
so OpenAPI 3.0's dialect is translated here and nowhere else:
`nullable` becomes a "null" type, boolean `exclusiveMinimum` becomes numeric, `int32`/`int64` become
bounds, component refs point into `$defs`. The direction matters: a request schema does not require
`readOnly` properties, a response schema has no `writeOnly` ones (OpenAPI's rule for both).
"""

from __future__ import annotations

import base64
import binascii
import enum
import functools
import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote

import jsonschema_rs
import orjson

COMPONENT_PREFIX = "#/components/schemas/"
DISCRIMINATED = "x-mock-discriminated"  # marks a union branch wrapped with its discriminator values
DEFS_PREFIX = "#/$defs/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

INTEGER_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_VALUES = (
    "items", "additionalProperties", "not", "if", "then", "else", "contains",
    "propertyNames", "unevaluatedProperties", "unevaluatedItems", "additionalItems",
)


class Direction(enum.Enum):
    REQUEST = "request"
    RESPONSE = "response"


Schema = dict[str, Any] | bool


def normalize(
    schema: Any, *, oas30: bool, direction: Direction, components: Mapping[str, Any] | None = None
) -> Schema:
    """Translate one OpenAPI schema object (and everything nested in it) to JSON Schema.
    `components` (the contract's raw component schemas) lets a discriminator see its branches."""
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, Mapping):
        return {}
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = _rewrite_ref(value)
        elif key in _SCHEMA_MAPS and isinstance(value, Mapping):
            out[key] = {k: normalize(v, oas30=oas30, direction=direction, components=components) for k, v in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [normalize(v, oas30=oas30, direction=direction, components=components) for v in value]
        elif key in _SCHEMA_VALUES and isinstance(value, (Mapping, bool)):
            out[key] = normalize(value, oas30=oas30, direction=direction, components=components)
        elif key == "discriminator" and isinstance(value, Mapping):
            out[key] = _rewrite_discriminator(value)
        else:
            out[key] = value
    if "$ref" in out and oas30:
        # OpenAPI 3.0 ignores siblings of $ref; JSON Schema would apply them.
        return {"$ref": out["$ref"]}
    if oas30:
        _translate_oas30(out)
    _apply_integer_format(out)
    _apply_direction(out, schema, direction, components or {})
    _apply_discriminator(out, components or {})
    return out


def _apply_discriminator(out: dict[str, Any], components: Mapping[str, Any]) -> None:
    """OpenAPI's discriminator selects the branch by its property's value; JSON Schema knows nothing of
    it. Each `$ref` branch of the oneOf/anyOf gets an enum of the values that select it (mapping keys,
    else the schema's name), so `{"kind": "nonsense", ...}` is rejected as OpenAPI says it must be, in
    requests, and generated answers carry the value that selects their branch (`DISCRIMINATED` marks
    such a wrapped branch, for `undiscriminated`).
    Where the branch itself fixes the property to other values (`type: enum [track]` under the
    implicit name `TrackObject`), those values select it: the contract says so twice."""
    discriminator = out.get("discriminator")
    key = "oneOf" if "oneOf" in out else "anyOf" if "anyOf" in out else None
    if not isinstance(discriminator, dict) or key is None or not isinstance(discriminator.get("propertyName"), str):
        return
    prop = discriminator["propertyName"]
    mapping = discriminator.get("mapping") or {}
    branches = []
    for branch in out[key]:
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        if not isinstance(ref, str):
            branches.append(branch)
            continue
        values = [value for value, target in mapping.items() if target == ref] or [ref.rsplit("/", 1)[-1]]
        own = _declared_values(ref, prop, components)
        if own is not None and not set(values) & set(own):
            values = own
        branches.append({"allOf": [branch, {"properties": {prop: {"enum": values}}}], DISCRIMINATED: True})
    out[key] = branches


def undiscriminated(branch: Schema) -> Schema:
    """A union branch without the discriminator's constraint: what plain JSON Schema sees."""
    if isinstance(branch, dict) and branch.get(DISCRIMINATED) is True:
        return branch["allOf"][0]
    return branch


def _declared_values(ref: str, prop: str, components: Mapping[str, Any], depth: int = 0) -> list[Any] | None:
    """The values a component (its allOf members included) allows for `prop` by enum or const."""
    if not ref.startswith(DEFS_PREFIX) or depth > MAX_REF_HOPS:
        return None
    target = components.get(ref_tokens(ref)[0])
    if not isinstance(target, Mapping):
        return None
    for part in [target, *(m for m in target.get("allOf") or [] if isinstance(m, Mapping))]:
        if isinstance(part.get("$ref"), str) and part is not target:
            found = _declared_values(_rewrite_ref(part["$ref"]), prop, components, depth + 1)
            if found is not None:
                return found
        sub = (part.get("properties") or {}).get(prop)
        sub_ref = sub.get("$ref") if isinstance(sub, Mapping) else None
        if isinstance(sub_ref, str):
            sub = components.get(sub_ref[len(COMPONENT_PREFIX):]) if sub_ref.startswith(COMPONENT_PREFIX) else None
        if isinstance(sub, Mapping):
            if "const" in sub:
                return [sub["const"]]
            if isinstance(sub.get("enum"), list):
                return [v for v in sub["enum"] if v is not None]
    return None


def _rewrite_ref(ref: str) -> str:
    if ref.startswith(COMPONENT_PREFIX):
        return DEFS_PREFIX + ref[len(COMPONENT_PREFIX):]
    return ref


def _rewrite_discriminator(discriminator: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(discriminator)
    mapping = discriminator.get("mapping")
    if isinstance(mapping, Mapping):
        result["mapping"] = {k: _rewrite_ref(v) for k, v in mapping.items()}
    return result


def _translate_oas30(out: dict[str, Any]) -> None:
    """Apply 3.0's `nullable` and boolean exclusive bounds in place."""
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        flag = out.get(exclusive)
        if isinstance(flag, bool):
            if flag and bound in out:
                out[exclusive] = out.pop(bound)
            else:
                del out[exclusive]
    if out.pop("nullable", False) is not True:
        return
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
    elif kind is None and any(k in out for k in ("allOf", "anyOf", "oneOf", "$ref")):
        inner = {k: out.pop(k) for k in ("allOf", "anyOf", "oneOf", "$ref") if k in out}
        out["anyOf"] = [inner, {"type": "null"}]


def _apply_integer_format(out: dict[str, Any]) -> None:
    bounds = INTEGER_BOUNDS.get(out.get("format", ""))
    if bounds is None:
        return
    low, high = bounds
    if "minimum" not in out and "exclusiveMinimum" not in out:
        out["minimum"] = low
    if "maximum" not in out and "exclusiveMaximum" not in out:
        out["maximum"] = high


def _apply_direction(out: dict[str, Any], raw: Mapping[str, Any], direction: Direction,
                     components: Mapping[str, Any]) -> None:
    """readOnly properties are not required in requests; writeOnly ones are neither required nor
    present in responses. The flag may sit in another allOf member than the `required` naming it
    (`Pet: allOf[Base, {required: [id]}]` with `id` readOnly in Base)."""
    flag = "readOnly" if direction is Direction.REQUEST else "writeOnly"
    properties = out.get("properties")
    own = {name for name, sub in properties.items() if isinstance(sub, dict) and sub.get(flag) is True} \
        if isinstance(properties, dict) else set()
    hidden = own | (_flagged_in_members(raw, flag, components, 0) if "allOf" in raw else set())
    if hidden:
        for holder in [out, *(m for m in out.get("allOf") or [] if isinstance(m, dict))]:
            if isinstance(holder.get("required"), list):
                holder["required"] = [name for name in holder["required"] if name not in hidden]
    if own and direction is Direction.RESPONSE and isinstance(properties, dict):
        out["properties"] = {k: v for k, v in properties.items() if k not in own}


def _flagged_in_members(schema: Mapping[str, Any], flag: str, components: Mapping[str, Any], depth: int) -> set[str]:
    """Property names flagged `flag` in the schema's allOf members and the components they refer to."""
    found: set[str] = set()
    if depth > MAX_REF_HOPS:
        return found
    for member in schema.get("allOf") or []:
        if not isinstance(member, Mapping):
            continue
        ref = member.get("$ref")
        if isinstance(ref, str):
            name = ref[len(COMPONENT_PREFIX):] if ref.startswith(COMPONENT_PREFIX) else ref[len(DEFS_PREFIX):]
            target = components.get(name) if ref.startswith((COMPONENT_PREFIX, DEFS_PREFIX)) else None
            member = target if isinstance(target, Mapping) else member
        properties = member.get("properties")
        if isinstance(properties, Mapping):
            found.update(n for n, sub in properties.items() if isinstance(sub, Mapping) and sub.get(flag) is True)
        found |= _flagged_in_members(member, flag, components, depth + 1)
    return found


def ref_tokens(ref: str) -> list[str]:
    """`#/$defs/A/properties/b` → ['A', 'properties', 'b'] (JSON-pointer and URL escapes undone)."""
    return [unquote(t).replace("~1", "/").replace("~0", "~") for t in ref[len(DEFS_PREFIX):].split("/")]


def resolve_ref(ref: str, defs: Mapping[str, Schema]) -> Schema | None:
    """The schema a local `#/$defs/...` or `#anchor` ref points to; None for refs that lead nowhere."""
    if ref.startswith("#") and "/" not in ref and len(ref) > 1:
        return _anchors(defs).get(ref[1:])
    if not ref.startswith(DEFS_PREFIX):
        return None
    target: Any = defs
    for key in ref_tokens(ref):
        if isinstance(target, Mapping) and key in target:
            target = target[key]
        elif isinstance(target, list) and key.isdigit() and int(key) < len(target):
            target = target[int(key)]
        else:
            return None
    return target if isinstance(target, (dict, bool)) else None


MAX_REF_HOPS = 16
_ANCHORS: dict[int, tuple[Mapping[str, Schema], dict[str, Schema]]] = {}


def _anchors(defs: Mapping[str, Schema]) -> dict[str, Schema]:
    """Every `$anchor` in a contract's defs, found once per defs mapping (they live as long as the app)."""
    known = _ANCHORS.get(id(defs))
    if known is not None and known[0] is defs:
        return known[1]
    found: dict[str, Schema] = {}
    stack: list[Any] = [defs]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$anchor"), str):
                found.setdefault(node["$anchor"], node)
            stack.extend(v for k, v in node.items() if k not in ("enum", "const", "example", "examples", "default"))
        elif isinstance(node, list):
            stack.extend(node)
    if len(_ANCHORS) > 256:
        _ANCHORS.clear()
    _ANCHORS[id(defs)] = (defs, found)
    return found


def deref(schema: Any, defs: Mapping[str, Schema]) -> Any:
    """`schema` with top-level `$ref`s followed (bounded, for ref-to-ref chains); {} where one leads nowhere."""
    for _ in range(MAX_REF_HOPS):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            break
        target = resolve_ref(schema["$ref"], defs)
        schema = target if target is not None else {}
    return schema


def merged_properties(schema: Any, defs: Mapping[str, Schema]) -> dict[str, Any]:
    """Declared properties, those of allOf members merged in: where an object's fields are declared."""
    resolved = deref(schema, defs)
    if not isinstance(resolved, dict):
        return {}
    properties = dict(resolved.get("properties") or {})
    for member in resolved.get("allOf") or []:
        properties.update(merged_properties(member, defs))
    return properties


def normalize_defs(components: Mapping[str, Any], *, oas30: bool, direction: Direction) -> Definitions:
    """Normalise every component schema once; `$defs` for all schemas of one contract."""
    return Definitions(
        (name, normalize(schema, oas30=oas30, direction=direction, components=components))
        for name, schema in components.items()
    )


REGISTRY_PREFIX = "urn:mock-server:def:"  # a component's URI in its contract's registry
_NOT_REGISTRY_SAFE = frozenset({"$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor"})


class Definitions(dict):
    """The normalised component schemas of one contract, in one direction (`$defs`), and the one
    jsonschema-rs registry every validator of that contract reads them from.

    Before the registry, each validator was built from a document carrying every component, so
    start-up grew with operations x components (9,080 builds: 6.4 s at 570 operations). Now a
    component is a resource of its own (`urn:mock-server:def:<name>`, its refs pointed at its
    siblings' resources), translated for jsonschema-rs the first time a validator reaches it and
    kept: a validator costs what its schema reaches, and nothing is done for unused components.
    A schema met again (a shared error response, an enum of a component every operation uses) gets
    the validator already built, as jsonschema-rs validators are immutable: at 540 operations the
    compiled responses took 67 MB instead of 210."""

    @functools.cached_property
    def registry(self) -> jsonschema_rs.Registry:
        return jsonschema_rs.Registry([], retriever=self._resource)

    @functools.cached_property
    def _resources(self) -> dict[str, Schema]:
        return {}

    @functools.cached_property
    def validators(self) -> dict[bytes, jsonschema_rs.Validator]:
        """Validators built so far, by the schema's canonical JSON (see `compile_validator`)."""
        return {}

    def _resource(self, uri: str) -> Schema:
        """The registry's retriever: one component as a resource of its own."""
        found = self._resources.get(uri)
        if found is None:
            name = unquote(uri[len(REGISTRY_PREFIX):]) if uri.startswith(REGISTRY_PREFIX) else None
            schema = self.get(name) if name is not None else None
            pointed = _pointed(schema) if schema is not None else None
            if pointed is None:
                raise ValueError(f"{uri} is not a component the registry can serve")
            found = self._resources[uri] = {"$schema": DIALECT, **pointed} if isinstance(pointed, dict) else pointed
        return found

    def pointed(self, schema: Schema) -> Schema | None:
        """`schema` as a root document whose component refs point into the registry; None when the
        registry cannot serve it (then the validator is built with every component inline)."""
        pointed = _pointed(schema)
        if isinstance(pointed, dict):
            pointed = {"$schema": DIALECT, **pointed}
            pointed.pop("$defs", None)  # as in `with_defs`, the contract's components win
        return pointed


def _pointed(schema: Any) -> Any:
    """A copy of `schema` with `#/$defs/Name/...` refs as `urn:mock-server:def:Name#/...`, walking only
    schema positions (an `enum` value holding a "$ref" key is data); None for what a registry of
    components cannot resolve alike (anchors, `$id`, refs elsewhere)."""
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, dict):
        return None
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _NOT_REGISTRY_SAFE:
            return None
        if key == "$ref":
            if not (isinstance(value, str) and value.startswith(DEFS_PREFIX)):
                return None
            name, _, rest = value[len(DEFS_PREFIX):].partition("/")
            out[key] = f"{REGISTRY_PREFIX}{name}#/{rest}" if rest else REGISTRY_PREFIX + name
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            inner = {}
            for name, sub in value.items():
                inner[name] = _pointed(sub)
                if inner[name] is None:
                    return None
            out[key] = inner
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            items = [_pointed(sub) for sub in value]
            if any(item is None for item in items):
                return None
            out[key] = items
        elif key in _SCHEMA_VALUES and isinstance(value, (dict, bool)):
            out[key] = _pointed(value)
            if out[key] is None:
                return None
        else:
            out[key] = value
    return out


def with_defs(schema: Schema, defs: Mapping[str, Schema]) -> Schema:
    """A self-contained document: the schema plus the definitions its refs point to."""
    if isinstance(schema, bool):
        return schema
    return {"$schema": DIALECT, **schema, "$defs": dict(defs)}


def _is_base64(value: str) -> bool:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


OPENAPI_FORMATS = {"byte": _is_base64}


def compile_validator(schema: Schema, defs: Mapping[str, Schema]) -> jsonschema_rs.Validator:
    """A validator for one schema; formats are checked, unknown ones ignored.

    Its `#/$defs/...` refs are read from the contract's shared registry (`Definitions.registry`), so
    building it costs what the schema reaches, not every component of the contract. A schema the
    registry cannot serve (anchors, `$id`, refs outside `$defs`) is built the self-contained way."""
    definitions = defs if isinstance(defs, Definitions) else Definitions(defs)
    key = _identity(schema)
    validator = definitions.validators.get(key) if key is not None else None
    if validator is None:
        validator = _build_validator(schema, definitions)
        if key is not None:
            definitions.validators[key] = validator
    return validator


def _build_validator(schema: Schema, definitions: Definitions) -> jsonschema_rs.Validator:
    pointed = definitions.pointed(schema)
    if pointed is not None:
        try:
            return jsonschema_rs.validator_for(
                pointed, validate_formats=True, formats=OPENAPI_FORMATS, registry=definitions.registry
            )
        except (ValueError, jsonschema_rs.ReferencingError):
            pass  # the self-contained document says what is wrong, as it always did
    return jsonschema_rs.validator_for(
        with_defs(schema, definitions), validate_formats=True, formats=OPENAPI_FORMATS
    )


MAX_QUOTED = 80  # characters of a long value quoted in a message (a file, a raw body)
def _identity(schema: Schema) -> bytes | None:
    """The schema's canonical JSON: the same schema in two operations gets one validator."""
    try:
        return orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return None


def describe_error(error: jsonschema_rs.ValidationError, where: str) -> str:
    """One line a person can act on: where in the request, and what is wrong. A long value (a file,
    a raw body) is quoted by its start and its length, not in full."""
    message = error.message
    instance = error.instance
    if isinstance(instance, str) and len(instance) > MAX_QUOTED:
        for quoted in (json.dumps(instance, ensure_ascii=False), json.dumps(instance)):
            if message.startswith(quoted):
                message = quoted[:MAX_QUOTED] + f'…" ({len(instance)} characters)' + message[len(quoted):]
                break
    return f"{where}{_dotted(error.instance_path)}: {message}"


def error_path(error: jsonschema_rs.ValidationError) -> tuple[str | int, ...]:
    """Where in the instance an error is, a missing property included: `("messages", 0, "role")`."""
    missing = getattr(error.kind, "property", None) if type(error.kind).__name__ == "Required" else None
    return (*error.instance_path, *((missing,) if isinstance(missing, str) else ()))


def error_field(error: jsonschema_rs.ValidationError) -> str | None:
    """The body field an error is about (`messages[0].role`), a missing one included: what
    error shapes with a `param` field report (OpenAI's does). None for the body as a whole."""
    return dotted(error_path(error)) or None


def dotted(path: Iterable[str | int]) -> str:
    """A path as people write it: `messages[0].role`."""
    return _dotted(path).removeprefix(".")


def _dotted(path: Iterable[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
