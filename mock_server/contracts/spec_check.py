"""Is each contract a valid OpenAPI document? openapi-spec-validator decides, here or in a child.

The validator and what it imports (pydantic, requests, the Python jsonschema) cost ~250 ms and
~18 MB that a running server never needs again once its contracts are known to be valid. `serve`
therefore asks a short-lived child process, which works on the other core while the server indexes
and compiles the same contracts; other callers validate in their own process. The child runs this
file as a script (`python spec_check.py FILE...`), so it imports neither the package nor anything
the server needs: keep this module's imports to the standard library.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

Verdicts = Callable[[], list[str | None]]  # one message per file, None where it is valid


def read(path: Path) -> Any:
    """The document in a YAML or JSON file; ValueError saying why it cannot be read. Shared by the
    child and the parent (contracts.read_document_any), so both read a file the same way.

    YAML is read by PyYAML's safe loader with libyaml's parser where PyYAML was built with it (the
    wheels are): the parsing in C, into JSON's data model (`json_loader`). A 540-operation contract in
    YAML took 3.9 s to read with the pure-Python parser, in the server and in its checking child
    alike; 1.0 s with libyaml's."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=json_loader())
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot be read: {exc}") from None


_LOADERS: dict[str, Any] = {}


def json_loader(parser: str = "libyaml") -> Any:
    """A safe YAML loader that reads what JSON can hold: an OpenAPI document's data model is JSON's.
    Hand-written YAML has unquoted dates (`example: 2024-05-01`, a date object to plain YAML) and
    unquoted status codes (`200:`, an integer key); both stay strings, as they are in JSON.
    `parser`: "libyaml" (C, where PyYAML has it) or "python"."""
    if parser in _LOADERS:
        return _LOADERS[parser]
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if parser == "libyaml" else yaml.SafeLoader

    class JsonLoader(base):  # type: ignore[misc,valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[str, Any]:
            mapping = super().construct_mapping(node, deep=deep)
            return {_json_key(key): value for key, value in mapping.items()}

    JsonLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    _LOADERS[parser] = JsonLoader
    return JsonLoader


def _json_key(key: Any) -> Any:
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    return str(key) if isinstance(key, (int, float)) else key


def problem(document: Any, path: Path) -> str | None:
    """Why `document` is not a valid OpenAPI document, or None."""
    from openapi_spec_validator import validate as validate_openapi

    base_uri = path.resolve().as_uri()
    try:
        cls = linear_validator(document)
        if cls is None:  # not an OpenAPI document: the library's own detection says so
            validate_openapi(document, base_uri=base_uri)
        else:
            cls(schema_path(document, base_uri)).validate()
    except Exception as exc:  # noqa: BLE001 - the validator raises several unrelated types; all mean "invalid"
        return f"{path}: invalid OpenAPI document: {str(exc).split(chr(10) * 2)[0]}"
    return None


def schema_path(document: Any, base_uri: str) -> Any:
    """The document as the validator walks it (jsonschema-path's SchemaPath), each location resolved
    once. The library resolves every read from the nearest of its last 128 locations, through its
    typed caches, and follows the same `$ref` anew each time: ~117,000 reads of ~25,000 locations at
    540 operations, half of the check's time. Here a location is its parent's resolution plus one
    step, kept for the check's lifetime, and a `$ref` is looked up once per base URI and registry:
    the same nodes, with the same resolvers, as the library's walk from the root."""
    from jsonschema_path import SchemaPath

    return SchemaPath(_memo_accessor_class().from_schema(document, base_uri=base_uri))


@functools.cache
def _memo_accessor_class() -> Any:
    from jsonschema_path.accessors import SchemaAccessor
    from referencing._core import Resolved

    class MemoAccessor(SchemaAccessor):  # type: ignore[misc]
        def __init__(self, *arguments: Any, **options: Any) -> None:
            super().__init__(*arguments, **options)
            self._locations: dict[tuple[Any, ...], Any] = {}
            self._lookups: dict[tuple[str, int, str], tuple[Any, Any]] = {}

        def get_resolved(self, parts: Any) -> Any:
            key = tuple(parts)
            resolved = self._locations.get(key)
            if resolved is None:
                if not key:
                    resolved = super().get_resolved(key)
                else:
                    parent = self.get_resolved(key[:-1])
                    resolved = self._resolve(self._get_subnode(parent.contents, key[-1]), parent.resolver)
                self._locations[key] = resolved
            return resolved

        def _resolve(self, node: Any, resolver: Any) -> Any:
            """jsonschema-path's SchemaNode._resolve_node, with each lookup remembered (the
            registry is kept with its answer, so its id is not reused while the key lives). A
            `referencing` whose resolvers do not show their base URI and registry as this one's
            do gets every lookup made anew, as the library makes them."""
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                registry = getattr(resolver, "_registry", None)
                base_uri = getattr(resolver, "_base_uri", None)
                if registry is None or not isinstance(base_uri, str):
                    found = resolver.lookup(node["$ref"])
                else:
                    key = (base_uri, id(registry), node["$ref"])
                    if key not in self._lookups:
                        self._lookups[key] = (registry, resolver.lookup(node["$ref"]))
                    found = self._lookups[key][1]
                return self._resolve(found.contents, found.resolver)
            return Resolved(node, resolver)

    return MemoAccessor


def linear_validator(document: Any) -> Any:
    """openapi-spec-validator's own validator class for `document`, with every check it makes and
    two costs that grew with the square of the document made linear:

    - it remembers the schemas it visited and meta-checked, and the operationIds it saw, in lists,
      so each new one was looked up in all the others: 5,040 operations took 307 s (540: 1.7 s of
      CPU); sets here, 10 s;
    - each schema's meta-check built a new validator for the meta-schema; one per meta-schema here.
    The errors are the same: the same checks run on the same values in the same order."""
    from openapi_spec_validator.shortcuts import get_validator_cls

    try:
        base = get_validator_cls(document)
    except Exception:  # noqa: BLE001 - not an OpenAPI document: the validator's own error says so
        return None
    keywords = dict(base.keyword_validators)
    for name, mixin in (("schema", _LinearSchemaValidator), ("operation", _LinearOperationValidator)):
        if name in keywords:
            keywords[name] = type(f"Linear{keywords[name].__name__}", (mixin, keywords[name]), {})
    return type(f"Linear{base.__name__}", (base,), {"keyword_validators": keywords})


class _Seen(set):
    """A set that takes `append`: the validator's lists of ids, looked up in O(1)."""

    append = set.add


class _LinearOperationValidator:
    def __init__(self, registry: Any) -> None:
        super().__init__(registry)  # type: ignore[call-arg]
        self.operation_ids_registry = _Seen()


class _LinearSchemaValidator:
    _meta_validators: ClassVar[dict[tuple[Any, int], Any]] = {}

    def __init__(self, registry: Any) -> None:
        super().__init__(registry)  # type: ignore[call-arg]
        self.visited_schema_ids = _Seen()
        self.meta_checked_schema_ids = _Seen()

    def _get_schema_checker(self, schema: Any, schema_value: Any) -> Callable[[Any], None]:
        """The library's checker, with its meta-schema validator built once instead of per schema."""
        from jsonschema.exceptions import SchemaError
        from jsonschema.validators import validator_for
        from openapi_schema_validator import validators as oas

        checker = super()._get_schema_checker(schema, schema_value)  # type: ignore[misc]
        bound, options = (checker.func, checker.keywords) if isinstance(checker, functools.partial) else (checker, {})
        cls = getattr(bound, "__self__", None)
        if getattr(bound, "__func__", None) is not oas.check_openapi_schema or set(options) - {"format_checker"}:
            return checker  # not the checker this was measured on: use it as it is
        format_checker = options.get("format_checker", cls.FORMAT_CHECKER)
        key = (cls, id(format_checker))
        meta = self._meta_validators.get(key)
        if meta is None:  # exactly what check_openapi_schema builds for each call
            meta = self._meta_validators[key] = validator_for(cls.META_SCHEMA, default=cls)(
                cls.META_SCHEMA, format_checker=format_checker, registry=oas.OPENAPI_SPECIFICATIONS
            )

        fast = _fast_meta_validator(cls.META_SCHEMA, format_checker)

        def check(value: Any) -> None:
            if fast is not None:
                try:
                    if fast.is_valid(value):
                        return  # valid to jsonschema-rs: no error for the library's checker to report
                except (ValueError, TypeError):  # a value jsonschema-rs cannot read (a YAML date)
                    pass
            for error in meta.iter_errors(value):  # the library's own check says what is wrong
                raise SchemaError.create_from(error)

        return check


DRAFT4 = "http://json-schema.org/draft-04/schema#"
DRAFT202012 = "https://json-schema.org/draft/2020-12/schema"
_FAST_META: dict[tuple[int, int], Any] = {}


def _fast_meta_validator(meta_schema: Any, format_checker: Any) -> Any:
    """The library's meta-check of each schema object compiled by jsonschema-rs: OpenAPI 3.0's
    (JSON Schema draft 4) and 3.1's (the OpenAPI dialect of 2020-12, with its vocabulary resolved
    from the library's own registry). A schema jsonschema-rs finds valid skips the Python check;
    one it finds invalid gets the Python check and its exact error. Every format the library's
    checker knows is checked by the checker's own function (a `regex` as Python's `re` or ECMA's
    regress decides, as installed); jsonschema-rs's own formats only add refusals, which send the
    schema to the Python check. At 540 operations of 3.0 a third of the check's time; on a
    140-operation 3.1 contract, 95% of it. None for other meta-schemas, which keep the library's
    check alone."""
    if not isinstance(meta_schema, dict) or meta_schema.get("$schema") not in (DRAFT4, DRAFT202012):
        return None
    key = (id(meta_schema), id(format_checker))
    if key not in _FAST_META:
        import jsonschema_rs

        checkers = getattr(format_checker, "checkers", {})
        formats = {name: functools.partial(format_checker.conforms, format=name) for name in checkers}
        try:
            if meta_schema["$schema"] == DRAFT4:
                fast = jsonschema_rs.Draft4Validator(meta_schema, validate_formats=True, formats=formats)
            else:
                fast = jsonschema_rs.Draft202012Validator(
                    meta_schema, validate_formats=True, formats=formats, registry=_openapi_meta_schemas(meta_schema)
                )
        except Exception:  # noqa: BLE001 - a meta-schema it cannot compile: the library's check alone, slower
            fast = None
        _FAST_META[key] = fast
    return _FAST_META[key]


def _openapi_meta_schemas(meta_schema: Any) -> Any:
    """The OpenAPI meta-schemas from openapi-schema-validator's registry (the 3.1 dialect refers to
    its vocabulary's); JSON Schema's own are built into jsonschema-rs."""
    import jsonschema_rs
    from openapi_schema_validator import validators as oas

    resources = [(uri, resource.contents) for uri, resource in oas.OPENAPI_SPECIFICATIONS.items()
                 if uri.startswith("https://spec.openapis.org/") and resource.contents is not meta_schema]
    return jsonschema_rs.Registry(resources)


# Runs a script without its folder on sys.path: `python contracts/spec_check.py` would put
# contracts/ first, where collections.py hides the standard library's `collections` from json, re
# and everything after (an installed, non-editable package failed that way; an editable one had
# imported `collections` at start-up, from its .pth file, before the script's folder counted).
RUN_SCRIPT = "import sys; del sys.path[0]; sys.argv = sys.argv[1:]; import runpy; runpy.run_path(sys.argv[0], run_name='__main__')"


def child_command(script: str, arguments: Sequence[str]) -> list[str]:
    return [sys.executable, "-c", RUN_SCRIPT, script, *arguments]


def in_a_child(paths: Sequence[Path]) -> Verdicts:
    """Start validating at once; the returned function waits for the verdicts."""
    child = subprocess.Popen(child_command(__file__, [str(path) for path in paths]),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def verdicts() -> list[str | None]:
        from ..errors import ContractLoadError

        out, err = child.communicate()
        if child.returncode != 0:
            raise ContractLoadError(f"the contract check failed: {err.decode(errors='replace').strip()}")
        return list(json.loads(out))

    return verdicts


def _plain_containers_first() -> None:
    """In the child only: jsonschema-path reads every node of the document through pathable, which
    asks `isinstance(node, Subscriptable)` of each, a Protocol check that costs ~10 us on Python 3.11
    (a third of the check's time at 540 operations). A parsed document's nodes are dicts and lists,
    which that protocol admits: they are read as the library reads them, without asking."""
    try:
        from pathable.accessors import SubscriptableAccessor
    except ImportError:
        return
    library = SubscriptableAccessor.__dict__.get("_get_subnode")
    if not isinstance(library, classmethod):
        return  # not the pathable this was measured on: leave it as it is

    def _get_subnode(cls: Any, node: Any, part: Any) -> Any:
        if type(node) is dict or type(node) is list:
            try:
                return node[part]
            except (KeyError, IndexError, TypeError) as exc:
                raise KeyError(part) from exc
        return library.__func__(cls, node, part)

    SubscriptableAccessor._get_subnode = classmethod(_get_subnode)


def main(arguments: Sequence[str]) -> None:
    """The child: one verdict per file (the parent reads and parses each file too)."""
    _plain_containers_first()
    verdicts: list[str | None] = []
    for argument in arguments:
        path = Path(argument)
        try:
            verdicts.append(problem(read(path), path))
        except ValueError as exc:
            verdicts.append(str(exc))
    sys.stdout.write(json.dumps(verdicts))


if __name__ == "__main__":
    main(sys.argv[1:])
