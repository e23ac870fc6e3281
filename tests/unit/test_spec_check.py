"""The contract check runs openapi-spec-validator's own checks, in linear time and with each location
of the document resolved once: on broken documents it reports exactly what the library's own
validator reports."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from mock_server.contracts import spec_check

ROOT = Path(__file__).resolve().parents[2]
BASE = yaml.safe_load((ROOT / "tests" / "contracts" / "crud" / "openapi.yaml").read_text())


def first_schema(document: dict[str, Any]) -> dict[str, Any]:
    return next(iter(document["components"]["schemas"].values()))


def first_operation(document: dict[str, Any]) -> dict[str, Any]:
    item = next(iter(document["paths"].values()))
    return next(v for k, v in item.items() if k in ("get", "post", "put", "delete", "patch"))


BREAKAGES = {
    "valid": lambda d: None,
    "response without description": lambda d: next(iter(first_operation(d)["responses"].values())).pop("description"),
    "unknown type": lambda d: first_schema(d).__setitem__("type", "strin"),
    "default of the wrong type": lambda d: first_schema(d).__setitem__("properties", {"n": {"type": "integer", "default": "x"}}),
    "pattern that is no regex": lambda d: first_schema(d).__setitem__("properties", {"s": {"type": "string", "pattern": "(["}}),
    "duplicate operationId": lambda d: [op.__setitem__("operationId", "same") for item in d["paths"].values()
                                        for k, op in item.items() if k in ("get", "post", "put", "delete")],
    "path parameter not declared": lambda d: d["paths"].__setitem__("/x/{undeclared}", {"get": {
        "operationId": "x", "responses": {"200": {"description": "ok"}}}}),
    # Reached through $refs, which the check resolves once per location and once per reference:
    "reference to nothing": lambda d: d["components"]["schemas"]["Book"]["allOf"][0].__setitem__(
        "$ref", "#/components/schemas/Nothing"),
    "broken schema behind two references": lambda d: d["components"]["schemas"]["Genre"].__setitem__("default", 7),
    "broken response behind a reference": lambda d: d["components"]["responses"]["NotFound"].pop("description"),
    "broken parameter behind a reference": lambda d: d["components"]["parameters"]["BookId"].pop("in"),
    "reference to a reference to nothing": lambda d: d["components"]["schemas"].__setitem__(
        "Genre", {"$ref": "#/components/schemas/Gone"}),
}


def library_verdict(document: dict[str, Any], path: Path | None = None) -> str | None:
    try:
        validate(document, base_uri=path.resolve().as_uri() if path else "")
    except Exception as exc:  # noqa: BLE001 - as spec_check.problem: every exception means invalid
        return str(exc).split("\n\n")[0]
    return None


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_the_linear_check_reports_what_the_library_reports(breakage: str) -> None:
    document = copy.deepcopy(BASE)
    BREAKAGES[breakage](document)
    expected = library_verdict(document)
    found = spec_check.problem(document, Path("api.yaml"))
    assert (found is None) == (expected is None)
    if expected is not None:
        assert found == f"api.yaml: invalid OpenAPI document: {expected}"
    assert (expected is None) == (breakage == "valid")


CORPUS = sorted((ROOT / "tests" / "contracts" / "corpus").glob("*/openapi.*"))


@pytest.mark.parametrize("path", CORPUS, ids=[path.parent.name for path in CORPUS])
def test_on_real_contracts_the_check_reports_what_the_library_reports(path: Path) -> None:
    """Public contracts nobody here wrote (deep `$ref` graphs, shared responses, recursive schemas),
    as they are and with one component broken where many operations reach it."""
    document = spec_check.read(path)
    assert spec_check.problem(document, path) is None
    assert library_verdict(document) is None
    for name, schema in list(document.get("components", {}).get("schemas", {}).items())[:2]:
        broken = copy.deepcopy(document)
        broken["components"]["schemas"][name] = {**schema, "type": "strin"} if isinstance(schema, dict) else 7
        expected = library_verdict(broken, path)
        assert expected is not None, name
        assert spec_check.problem(broken, path) == f"{path}: invalid OpenAPI document: {expected}", name


OPENAPI_31 = ROOT / "tests" / "contracts" / "openapi31" / "openapi.yaml"
SCHEMA_BREAKAGES = {  # what only the meta-check of each schema object finds
    "unknown type": {"type": "strin"},
    "pattern that is no regex": {"type": "string", "pattern": "(["},
    "pattern in ECMA's syntax, not Python's": {"type": "string", "pattern": "(?<name>a)"},
    "minimum that is no number": {"type": "integer", "minimum": "x"},
    "required that is no list": {"type": "object", "required": "name"},
    "empty type list": {"type": []},
}


@pytest.mark.parametrize("version", ["3.0", "3.1"])
@pytest.mark.parametrize("breakage", list(SCHEMA_BREAKAGES))
def test_the_meta_check_of_each_schema_reports_what_the_library_reports(version: str, breakage: str) -> None:
    """jsonschema-rs checks each schema object against 3.0's draft 4 or 3.1's dialect first; what it
    refuses goes to the library's own check, so the verdict is the library's."""
    path = Path("api.yaml") if version == "3.0" else OPENAPI_31
    document = copy.deepcopy(BASE) if version == "3.0" else spec_check.read(OPENAPI_31)
    name = next(iter(document["components"]["schemas"]))
    document["components"]["schemas"][name] = dict(SCHEMA_BREAKAGES[breakage])
    expected = library_verdict(document, path if version == "3.1" else None)
    assert expected is not None
    assert spec_check.problem(document, path) == f"{path}: invalid OpenAPI document: {expected}"


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_both_meta_checks_have_a_compiled_first_pass(version: str) -> None:
    """The first pass is what keeps a 3.1 contract's check from taking seconds (amoCRM's 140
    operations: 0.82 -> 0.21 s); without it the verdicts would be the same, only slow."""
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    cls = OAS30Validator if version == "3.0" else OAS31Validator
    fast = spec_check._fast_meta_validator(cls.META_SCHEMA, cls.FORMAT_CHECKER)
    assert fast is not None
    assert fast.is_valid({"type": "string", "pattern": "^a"}) and not fast.is_valid({"type": "strin"})
    assert not fast.is_valid({"type": "string", "pattern": "(["})


def test_the_linear_check_is_the_librarys_class_with_its_lists_as_sets() -> None:
    cls = spec_check.linear_validator(BASE)
    registry = cls(BASE).keyword_validators_registry
    assert isinstance(registry["schema"].visited_schema_ids, set)
    assert isinstance(registry["operation"].operation_ids_registry, set)


def test_the_child_process_reports_what_the_library_reports(tmp_path: Path) -> None:
    """`serve` validates in a child, which also reads the document's dicts and lists without
    pathable's Protocol check: the same verdict for every breakage, in one child for all files."""
    files, expected = [], []
    for number, breakage in enumerate(BREAKAGES):
        document = copy.deepcopy(BASE)
        BREAKAGES[breakage](document)
        path = tmp_path / f"{number}.yaml"
        path.write_text(yaml.safe_dump(document))
        files.append(path)
        verdict = library_verdict(yaml.safe_load(path.read_text()))
        expected.append(None if verdict is None else f"{path}: invalid OpenAPI document: {verdict}")
    assert spec_check.in_a_child(files)() == expected
    assert sum(verdict is not None for verdict in expected) == len(BREAKAGES) - 1


def test_yaml_is_read_into_the_same_documents_as_pyyamls_safe_load() -> None:
    """`read` parses YAML with libyaml's parser where PyYAML has it (4x faster on large contracts),
    into the same documents as PyYAML's pure-Python safe loader (dates and integer keys as JSON has them)."""
    files = [*sorted((ROOT / "openapi").rglob("*.yaml")), *sorted((ROOT / "tests" / "contracts").rglob("*.yaml"))]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert spec_check.read(path) == yaml.load(text, Loader=spec_check.json_loader("python")), path
        plain = yaml.safe_load(text)
        if _json_data(plain):  # no unquoted dates or integer keys: the plain safe loader's document too
            assert spec_check.read(path) == plain, path


def _json_data(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_data(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_data(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def test_the_child_does_not_see_its_own_folder_on_the_path(tmp_path: Path) -> None:
    """contracts/ holds collections.py: run as a plain script, the child imported it in place of the
    standard library's (json → re → functools → collections) wherever nothing had imported the real
    one before, as in a non-editable install. `-S` starts the child without site's imports."""
    import subprocess

    (tmp_path / "collections.py").write_text("raise ImportError('the script folder shadowed the standard library')\n")
    probe = tmp_path / "probe.py"
    probe.write_text("import json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    python, *rest = spec_check.child_command(str(probe), ["a.yaml", "b.json"])
    result = subprocess.run([python, "-S", *rest], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '["a.yaml", "b.json"]'


def test_a_resolver_without_the_known_internals_gets_every_lookup_made_anew() -> None:
    """The resolve-once accessor remembers lookups by the resolver's base URI and registry, which
    `referencing` keeps in private attributes; a resolver without them is asked each time."""
    from referencing._core import Resolved

    class Resolver:
        def __init__(self) -> None:
            self.asked: list[str] = []

        def lookup(self, ref: str) -> Resolved:  # type: ignore[type-arg]
            self.asked.append(ref)
            return Resolved({"type": "string"}, self)  # type: ignore[arg-type]

    accessor = spec_check.schema_path({"openapi": "3.0.3"}, "").accessor
    resolver = Resolver()
    for _ in range(2):
        resolved = accessor._resolve({"$ref": "#/components/schemas/A"}, resolver)
        assert resolved.contents == {"type": "string"} and resolved.resolver is resolver
    assert resolver.asked == ["#/components/schemas/A"] * 2
