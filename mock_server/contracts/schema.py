"""OpenAPI schema objects → plain JSON Schema 2020-12 (compiled by `validators`).

Validation (jsonschema-rs), generation (`generate/`) and the checks all read one representation,
so OpenAPI 3.0's dialect is translated here and nowhere else:
`nullable` becomes a "null" type, boolean `exclusiveMinimum` becomes numeric, `int32`/`int64` become
bounds, component refs point into `$defs`. The direction matters: a request schema does not require
`readOnly` properties, a response schema has no `writeOnly` ones (OpenAPI's rule for both).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

COMPONENT_PREFIX = "#/components/schemas/"
DISCRIMINATED = "x-mock-discriminated"  # marks a union branch wrapped with its discriminator values
DEFS_PREFIX = "#/$defs/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

INTEGER_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}

SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_VALUES = (
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
        elif key in SCHEMA_MAPS and isinstance(value, Mapping):
            out[key] = {k: normalize(v, oas30=oas30, direction=direction, components=components) for k, v in value.items()}
        elif key in SCHEMA_LISTS and isinstance(value, list):
            out[key] = [normalize(v, oas30=oas30, direction=direction, components=components) for v in value]
        elif key in SCHEMA_VALUES and isinstance(value, (Mapping, bool)):
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
