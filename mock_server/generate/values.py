"""Schema → generator, compiled once at start-up so a request only calls the compiled tree.

`compile_schema` walks a normalised JSON Schema 2020-12 document (refs into `defs`) and returns
a `Generator`; calling it with a `Source` gives a value valid for the schema, the same value for
the same seed on every run and machine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..contracts.schema import Schema, merged_properties, undiscriminated
from ..contracts.validators import compile_validator
from . import dates, people
from .containers import ArrayNode, ExtraKeys, ObjectNode
from .entities import NO_ENTITY, Entity, singular_name
from .merge import canon, flatten, merge, needs_merge
from .nodes import (
    CheckedNode,
    ChoiceNode,
    ConstNode,
    DefaultNode,
    EnumNode,
    LabelNode,
    Node,
    RefNode,
    TypeNode,
    VerifiedNode,
    boolean_node,
    null_node,
)
from .quantities import number_hint
from .refs import recursive_refs, ref_name, refs_in, resolve_ref
from .regex import compile_regex
from .scalars import Bounds, IntegerNode, NumberNode, StringNode
from .schema_facts import (
    ANY_TYPES,
    SCALARS,
    discriminator_label,
    infer_types,
    is_meaningful,
    item_properties,
    top_union,
    with_discriminator,
)
from .source import Source

# Keywords the typed nodes honour only approximately: their values are verified against the schema.
APPROXIMATED = ("dependentSchemas", "unevaluatedProperties", "unevaluatedItems", "maxContains")
OPTIONAL = ("all", "random")  # every optional property present (what a real API returns), or each at random
OPTIONAL_RATE = {"all": 1.0, "random": 0.5}
LIST_KEYS = ("id", "uuid", "_id", "ID", "Id", "key")  # the field a UI keys a list's rows by
DISTINCT = ("name", "username", "email", "slug")  # fields two rows of one list rarely share


@dataclass(frozen=True, slots=True)
class Generator:
    """A compiled schema; `max_depth` recursive `$ref` hops are expanded before values shrink."""

    root: Node
    max_depth: int

    def __call__(self, source: Source) -> Any:
        return self.root(source, self.max_depth)


def compile_schema(
    schema: Schema, defs: Mapping[str, Schema], *, name: str | None = None, max_depth: int = 3,
    optional: str = "all", avoid: Callable[[Schema], bool] | None = None,
) -> Generator:
    """Walk `schema` once and return its generator; `name` is the property name, used as a hint.
    `optional`: "all" fills every declared property, "random" leaves each optional one out half the time.
    `avoid`: branches of the top-level union never generated while another remains (see `success.py`)."""
    compiler = _Compiler(defs=defs, recursive=recursive_refs(schema, defs), optional_rate=OPTIONAL_RATE[optional])
    return Generator(compiler.compile(schema, name) if avoid is None else compiler.root(schema, name, avoid), max_depth)


@dataclass(frozen=True, slots=True)
class SafeCheck:
    """A validator that answers False, not raises, for values YAML made non-JSON (dates)."""

    validator: Any

    def is_valid(self, instance: Any) -> bool:
        try:
            return bool(self.validator.is_valid(instance))
        except ValueError:
            return False


@dataclass(slots=True)
class _Compiler:
    """Compile-time state for one schema: lazily compiled refs and cached validators."""

    defs: Mapping[str, Schema]
    recursive: frozenset[str]
    optional_rate: float = 1.0
    refs: dict[tuple[str, str | None], RefNode] = field(default_factory=dict)
    merges: dict[bytes, RefNode] = field(default_factory=dict)
    checks: dict[bytes, SafeCheck | None] = field(default_factory=dict)
    inlining: tuple[str, ...] = ()
    entity: Entity = NO_ENTITY  # the object whose properties are being compiled (names by context)

    def compile(self, schema: Schema, name: str | None = None) -> Node:
        if schema is False:
            return null_node
        if schema is True or not isinstance(schema, dict) or not any(is_meaningful(k) for k in schema):
            return self._any()
        if needs_merge(schema):
            return self._merged(schema, name)
        if isinstance(schema.get("$ref"), str):
            return self._ref(schema["$ref"])
        if "const" in schema:
            return ConstNode(schema["const"])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self._enum(schema)
        if isinstance(schema.get("oneOf"), list) or isinstance(schema.get("anyOf"), list):
            return self._choice(schema, name)
        if "not" in schema or "if" in schema:
            return self._checked(schema, name)
        node = self._typed(schema, name)
        if any(k in schema for k in APPROXIMATED):
            check = self.check(schema)
            node = VerifiedNode(node, check) if check is not None else node
        return node

    def root(self, schema: Schema, name: str | None, avoid: Callable[[Schema], bool]) -> Node:
        """`schema`, its top-level union without the branches `avoid` marks, unless all would go. The
        whole union still judges a oneOf's values, so they fit the schema as declared."""
        union = top_union(schema, self.defs)
        if union is None:
            return self.compile(schema, name)
        branches = union["oneOf" if isinstance(union.get("oneOf"), list) else "anyOf"]
        keep = tuple(i for i, branch in enumerate(branches) if not avoid(branch))
        if not keep or len(keep) == len(branches):
            return self.compile(schema, name)
        return self._choice(union, name, keep)

    def check(self, schema: Schema) -> SafeCheck | None:
        """A validator for `schema` (with the defs), or None when jsonschema-rs rejects it."""
        key = canon(schema)
        if key not in self.checks:
            try:
                self.checks[key] = SafeCheck(compile_validator(schema, self.defs))
            except Exception:  # noqa: BLE001 - an unbuildable validator only disables a check
                self.checks[key] = None
        return self.checks[key]

    def child(self, schema: Schema, name: str | None = None) -> Node:
        """A nested schema (property, item...): refs inlined by the parent's merge apply again."""
        return self._inlined((), lambda: self.compile(schema, name))

    def _merged(self, schema: dict[str, Any], name: str | None) -> Node:
        """Memoised by content, so `parent: allOf[$ref Node]` inside Node compiles finitely."""
        entity = self.entity
        key = canon([schema, name, list(self.inlining), [entity.noun, entity.kind, entity.domain, entity.person]])
        node = self.merges.get(key)
        if node is not None:
            node.recursive = node.recursive or node.target is None
            return node
        node = self.merges[key] = RefNode(recursive=False)
        merged, inlined = flatten(schema, self.defs, self.inlining)
        node.target = self._inlined(inlined, lambda: self.compile(merged, name))
        return node

    def _inlined(self, inlined: tuple[str, ...], build: Callable[[], Node]) -> Node:
        outer, self.inlining = self.inlining, inlined
        try:
            return build()
        finally:
            self.inlining = outer

    def _within(self, entity: Entity, build: Callable[[], Node]) -> Node:
        outer, self.entity = self.entity, entity
        try:
            return build()
        finally:
            self.entity = outer

    def _any(self) -> Node:
        nodes = tuple(self._typed({"type": kind}, None) for kind in ANY_TYPES)
        return TypeNode(ANY_TYPES, nodes)

    def _ref(self, ref: str) -> Node:
        """Compiled once per ref (and per domain: a `Category` under a `Pet` is a pet category); the
        ref's own name says what it is (`Pet`, `Email`), whatever property holds it."""
        domain = self.entity.domain
        node = self.refs.get((ref, domain))
        if node is not None:
            return node
        node = self.refs[(ref, domain)] = RefNode(recursive=ref in self.recursive)
        target = resolve_ref(ref, self.defs)
        if target is None:
            node.target = self._any()
            return node
        name = ref_name(ref)
        built = self._inlined((ref,), lambda: self._within(Entity.named(name, domain), lambda: self.compile(target, name)))
        node.target = self._label_inherited(ref, target, built)
        return node

    def _label_inherited(self, ref: str, target: Schema, built: Node) -> Node:
        """`Cat: allOf[Pet]` where Pet has a discriminator: a Cat carries its own label."""
        if not needs_merge(target):
            return built
        merged, _ = flatten(target, self.defs, (ref,))
        if not isinstance(merged, dict) or "oneOf" in merged or "anyOf" in merged:
            return built
        disc = merged.get("discriminator")
        if not isinstance(disc, dict):
            return built
        prop = disc.get("propertyName")
        label = discriminator_label({"$ref": ref}, disc)
        if not isinstance(prop, str) or label is None:
            return built
        check = self.check(merged.get("properties", {}).get(prop, True))
        return LabelNode(built, prop, label) if check is None or check.is_valid(label) else built

    def _enum(self, schema: dict[str, Any]) -> Node:
        values = list(schema["enum"])
        if any(is_meaningful(k) for k in schema if k != "enum"):
            check = self.check(schema)
            valid = [v for v in values if check is None or check.is_valid(v)]
            values = valid or values
        return EnumNode(tuple(values))

    def _choice(self, schema: dict[str, Any], name: str | None, keep: tuple[int, ...] | None = None) -> Node:
        """`keep`: the indices of the branches generated (all by default); the whole schema still judges."""
        key = "oneOf" if isinstance(schema.get("oneOf"), list) else "anyOf"
        branches: list[Schema] = schema[key]
        base = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
        if not branches:
            return self.compile(base, name)
        structural = any(is_meaningful(k) for k in base)
        found = schema.get("discriminator")
        disc: dict[str, Any] = found if isinstance(found, dict) else {}
        prop = disc.get("propertyName") if isinstance(disc.get("propertyName"), str) else None
        if prop:  # nullable 3.0 unions arrive as anyOf[{oneOf...}, null] with the discriminator outside
            branches = [with_discriminator(b, disc) for b in branches]
        generated = branches if keep is None else [branches[i] for i in keep]
        nodes = tuple(self.compile({"allOf": [base, b]} if structural else b, name) for b in generated)
        return ChoiceNode(
            nodes=nodes,
            labels=tuple(self._label(b, disc, prop) for b in generated),
            weights=tuple(self._weight(b) for b in generated),
            prop=prop,
            # A oneOf value must fit exactly one branch, and constraints beside the branches all of them:
            # the whole schema judges. A plain anyOf value fits the branch it came from.
            check=self.check(schema) if key == "oneOf" or structural else None,
            strict=self._strict(schema, key, branches),
        )

    def _strict(self, schema: dict[str, Any], key: str, branches: list[Schema]) -> SafeCheck | None:
        """For a discriminated oneOf: the schema as plain JSON Schema sees it (which cannot tell branches
        apart by the discriminator), so values fitting exactly one branch even there come first."""
        plain = [undiscriminated(b) for b in branches]
        if key != "oneOf" or plain == branches:
            return None
        return self.check({**schema, key: plain})

    def _label(self, branch: Schema, disc: Mapping[str, Any], prop: str | None) -> str | None:
        """The value a branch's discriminator property carries: its mapping key, else its schema name,
        unless the branch's own schema for that property forbids it (Spotify's `type: enum [track]`
        under an implicit `TrackObject`): then the branch's own value stands."""
        label = discriminator_label(branch, disc) if prop else None
        if label is None or prop is None:
            return None
        own = merged_properties(branch, self.defs).get(prop)
        check = self.check(own) if own is not None else None
        return label if check is None or check.is_valid(label) else None

    def _weight(self, branch: Schema) -> tuple[int, int]:
        """Branches that recurse least come first when the depth budget is spent."""
        refs = list(refs_in(branch))
        return sum(1 for r in refs if r in self.recursive), len(refs)

    def _checked(self, schema: dict[str, Any], name: str | None) -> Node:
        base = {k: v for k, v in schema.items() if k not in ("not", "if", "then", "else")}
        has_if = "if" in schema
        then_node = self.compile({"allOf": [base, schema.get("then", True)]} if has_if else base, name)
        else_node = self.compile({"allOf": [base, schema.get("else", True)]}, name) if has_if else then_node
        return CheckedNode(
            then_node=then_node,
            else_node=else_node,
            condition=self.check(schema["if"]) if has_if else None,
            forbidden=self.check(schema["not"]) if "not" in schema else None,
            whole=self.check(schema),
        )

    def _typed(self, schema: dict[str, Any], name: str | None) -> Node:
        types = infer_types(schema)
        nodes = tuple(self._of_type(kind, schema, name) for kind in types)
        node: Node = TypeNode(types, nodes) if nodes else null_node
        if set(types) <= SCALARS:
            defaults = self._defaults(schema)
            if defaults:
                node = DefaultNode(node, defaults)
        return node

    def _of_type(self, kind: str, schema: dict[str, Any], name: str | None) -> Node:
        if kind == "null":
            return null_node
        if kind == "boolean":
            return boolean_node
        if kind == "integer":
            return IntegerNode(Bounds.of(schema), number_hint(name, integer=True))
        if kind == "number":
            return NumberNode(Bounds.of(schema), number_hint(name))
        if kind == "string":
            return StringNode.of(schema, name, self.entity)
        if kind == "array":
            return self._array(schema, name)
        if kind == "object":
            return self._object_in_context(schema, name)
        return null_node

    def _defaults(self, schema: dict[str, Any]) -> tuple[Any, ...]:
        """A field's declared `default` is a value real answers carry; its `example` is not blended in:
        an example is a whole answer, served whole or not at all (responses.py)."""
        if "default" not in schema:
            return ()
        check = self.check({k: v for k, v in schema.items() if k not in ("example", "examples", "default")})
        return (schema["default"],) if check is not None and check.is_valid(schema["default"]) else ()

    def _array(self, schema: dict[str, Any], name: str | None) -> Node:
        item_name = singular_name(name)
        prefix = tuple(self.child(s, item_name) for s in schema.get("prefixItems", []))
        # Items no other keyword evaluates are `unevaluatedItems`' (an approximation: `contains` too
        # evaluates the items it matches; the whole schema verifies the result).
        items = schema.get("items", schema.get("unevaluatedItems", None if prefix else True))
        contains = schema.get("contains")
        min_contains = int(schema.get("minContains", 1))
        if "maxContains" in schema:
            min_contains = min(min_contains, int(schema["maxContains"]))
        contains_node = None
        if contains is not None and min_contains > 0:
            contains_node = self.child({"allOf": [items, contains]} if isinstance(items, dict) else contains, item_name)
        keys = self._list_keys(items, item_name)
        if contains is not None and "maxContains" in schema and items not in (None, False):
            items = {"allOf": [items, {"not": contains}]}  # only the `contains` items may match it
        return ArrayNode(
            prefix=prefix,
            items=None if items is None or items is False else self.child(items, item_name),
            min_items=int(schema.get("minItems", 0)),
            max_items=int(schema["maxItems"]) if "maxItems" in schema else None,
            unique=bool(schema.get("uniqueItems", False)),
            contains=contains_node,
            min_contains=min_contains,
            keys=keys,
        )

    def _list_keys(self, items: Schema | None, item_name: str | None) -> tuple[tuple[str, Node], ...]:
        """The fields that tell a list's items apart (`id`, and a `name` unless the items are people,
        whose names come with their emails), so no two rows of one list share them: a UI keys its rows
        by them. Each compiled as its property, to be drawn again."""
        if not isinstance(items, dict):
            return ()
        properties = item_properties(items, self.defs)
        ref = items.get("$ref")
        entity = Entity.named(ref_name(ref) if isinstance(ref, str) else item_name, self.entity.domain)
        key = next((k for k in LIST_KEYS if k in properties), None)
        distinct = () if people.describes_person(properties, entity) else DISTINCT
        wanted = [k for k in (key, *distinct) if k is not None and isinstance(properties.get(k), dict)]
        return tuple((k, self._within(entity, lambda k=k: self.child(properties[k], k))) for k in wanted)

    def _object_in_context(self, schema: dict[str, Any], name: str | None) -> Node:
        """An object's fields are named for what it is: its title, else the name it is held under
        (a property, a list's property, a ref); a user-like object gets one persona."""
        domain = self.entity.domain
        if isinstance(schema.get("title"), str):
            entity = Entity.named(schema["title"], domain)
        elif name:
            entity = Entity.named(name, domain)
        else:
            entity = Entity(domain=domain)
        declared = schema.get("properties") or {}
        if people.describes_person(declared, entity):
            entity = replace(entity, person=True)
        return self._within(entity, lambda: self._object(schema))

    def _object(self, schema: dict[str, Any]) -> Node:
        declared: dict[str, Schema] = schema.get("properties") or {}
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        patterns = [(compile_regex(p), s) for p, s in (schema.get("patternProperties") or {}).items()]
        regexes = [(rx, s) for rx, s in patterns if rx is not None]
        extras = [ExtraKeys(value=self.child(s), pattern=rx) for rx, s in regexes]
        # Keys nothing else evaluates are `unevaluatedProperties`' (the compiler has folded allOf in).
        additional = schema.get("additionalProperties", schema.get("unevaluatedProperties"))
        dependent = {k: list(v) for k, v in (schema.get("dependentRequired") or {}).items()}
        for key, extra in (schema.get("dependentSchemas") or {}).items():
            if isinstance(extra, dict):  # what a dependent schema requires comes along with its key
                merged_extra = flatten(extra, self.defs, ())[0] if needs_merge(extra) else extra
                if isinstance(merged_extra, dict):
                    dependent.setdefault(key, []).extend(r for r in merged_extra.get("required", []) if isinstance(r, str))
                    for prop, sub in (merged_extra.get("properties") or {}).items():
                        declared = {**declared, prop: {"allOf": [declared[prop], sub]} if prop in declared else sub}
        if isinstance(additional, dict) and needs_merge(additional):
            additional = flatten(additional, self.defs, ())[0]
        if additional is not False:
            names = schema.get("propertyNames")
            name_node = self.child(merge({"type": "string"}, names)) if isinstance(names, dict) else None
            extras.append(ExtraKeys(value=self.child(True if additional is None else additional),
                                    names=name_node, avoid=tuple(rx for rx, _ in regexes)))
        lookup: dict[str, Node] = {}
        wanted = [p for p in declared if declared[p] is not False or p in required]
        for prop in [*wanted, *(r for r in required if r not in declared)]:
            matching = [s for rx, s in regexes if rx.matches(prop)]
            own = declared.get(prop, True if additional is None or prop not in required else additional)
            lookup[prop] = self.child({"allOf": [own, *matching]} if matching else own, prop)
        explicit = additional is True or isinstance(additional, dict) or bool(regexes)
        return ObjectNode(
            optional_rate=self.optional_rate,
            persona=self.entity.person,
            ordered=dates.ordered_pairs(declared),
            properties=tuple(lookup.items()),
            required=frozenset(required),
            extras=tuple(extras),
            add_extras=explicit and not declared,
            min_properties=int(schema.get("minProperties", 0)),
            max_properties=int(schema["maxProperties"]) if "maxProperties" in schema else None,
            dependent=tuple((k, tuple(v)) for k, v in dependent.items()),
            lookup=lookup,
        )

