"""Is each contract a valid OpenAPI document? openapi-spec-validator decides, here or in a child.

The validator and what it imports (pydantic, requests, the Python jsonschema) cost ~250 ms and
~18 MB that a running server never needs again once its contracts are known to be valid. `serve`
therefore asks a short-lived child process, which works on the other core while the server indexes
and compiles the same contracts; other callers validate in their own process. The child runs this
file as a script (`python spec_check.py FILE...`), so it imports neither the package nor anything
the server needs: keep this module's imports to the standard library.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Verdicts = Callable[[], list[str | None]]  # one message per file, None where it is valid


def read(path: Path) -> Any:
    """The document in a YAML or JSON file; ValueError saying why it cannot be read. Shared by the
    child and the parent (contracts.read_document_any), so both read a file the same way."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_json_loader())
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot be read: {exc}") from None


_LOADER: list[Any] = []


def _json_loader() -> Any:
    """A safe YAML loader that reads what JSON can hold: an OpenAPI document's data model is JSON's.
    Hand-written YAML has unquoted dates (`example: 2024-05-01`, a date object to plain YAML) and
    unquoted status codes (`200:`, an integer key); both stay strings, as they are in JSON."""
    if _LOADER:
        return _LOADER[0]
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: big contracts load faster

    class JsonLoader(base):  # type: ignore[misc,valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[str, Any]:
            mapping = super().construct_mapping(node, deep=deep)
            return {_json_key(key): value for key, value in mapping.items()}

    JsonLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    _LOADER.append(JsonLoader)
    return JsonLoader


def _json_key(key: Any) -> Any:
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    return str(key) if isinstance(key, (int, float)) else key


def problem(document: Any, path: Path) -> str | None:
    """Why `document` is not a valid OpenAPI document, or None."""
    from openapi_spec_validator import validate as validate_openapi

    try:
        validate_openapi(document, base_uri=path.resolve().as_uri())
    except Exception as exc:  # the validator raises several unrelated types; all mean "invalid"
        return f"{path}: invalid OpenAPI document: {str(exc).split(chr(10) * 2)[0]}"
    return None


def in_a_child(paths: Sequence[Path]) -> Verdicts:
    """Start validating at once; the returned function waits for the verdicts."""
    child = subprocess.Popen(
        [sys.executable, __file__, *map(str, paths)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )

    def verdicts() -> list[str | None]:
        from ..errors import ContractLoadError

        out, err = child.communicate()
        if child.returncode != 0:
            raise ContractLoadError(f"the contract check failed: {err.decode(errors='replace').strip()}")
        return list(json.loads(out))

    return verdicts


def main(arguments: Sequence[str]) -> None:
    """The child: one verdict per file (the parent reads and parses each file too)."""
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
