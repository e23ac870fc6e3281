"""Contracts of a chosen size, synthesised from a real one: the bench's contract-size curve.

A real contract (bench/contracts/ory-kratos/api.json, 60 operations, 191 component schemas; source
in bench/README.md) is repeated under path prefixes until it has about the asked number of
operations. Each copy gets its own components (renamed `<name>_<copy>`, every `$ref` rewritten) and
its own operationIds, so a 5,000-operation file has ~16,000 component schemas: components grow with
operations, as they do in real large APIs (payment and code-hosting APIs have 1-3 per operation).

    .venv/bin/python bench/contract_sizes.py 500     # writes bench/.cache/sizes/ops-500/api.json

The files are generated at bench time under bench/.cache/ and never committed.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
SOURCE = BENCH / "contracts" / "ory-kratos" / "api.json"
OUT = BENCH / ".cache" / "sizes"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operation_count(document: dict[str, Any]) -> int:
    return sum(1 for item in document["paths"].values() for method in item if method in HTTP_METHODS)


def _renamed(node: Any, suffix: str) -> Any:
    """A deep copy with every local component `$ref` pointing at the copy's own components."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            component_ref = key == "$ref" and isinstance(value, str) and value.startswith("#/components/")
            if component_ref or (key == "operationId" and isinstance(value, str)):
                out[key] = value + suffix
            else:
                out[key] = _renamed(value, suffix)
        return out
    if isinstance(node, list):
        return [_renamed(item, suffix) for item in node]
    return node


def synthesise(operations: int, source: Path = SOURCE) -> dict[str, Any]:
    """The source contract repeated ceil(operations / its operations) times, each copy under `/c<n>`."""
    base = json.loads(source.read_text(encoding="utf-8"))
    copies = max(1, math.ceil(operations / operation_count(base)))
    document = {k: v for k, v in base.items() if k not in ("paths", "components")}
    document["paths"] = {}
    document["components"] = {}
    for copy in range(copies):
        suffix = f"_{copy}" if copy else ""
        prefix = f"/c{copy}" if copy else ""
        for path, item in base["paths"].items():
            document["paths"][prefix + path] = _renamed(item, suffix)
        for kind, members in base.get("components", {}).items():
            target = document["components"].setdefault(kind, {})
            if kind == "securitySchemes":  # referenced by name, not by $ref: shared by every copy
                target.update(members)
                continue
            for name, value in members.items():
                target[name + suffix] = _renamed(value, suffix)
    title = document.get("info", {}).get("title", "contract")
    document["info"] = {**document.get("info", {}), "title": f"{title} x{copies}"}
    return document


def write(operations: int, out: Path = OUT) -> Path:
    """bench/.cache/sizes/ops-<N>/api.json (kept between runs: generated once per size)."""
    path = out / f"ops-{operations}" / "api.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(synthesise(operations), indent=1), encoding="utf-8")
        tmp.rename(path)
    return path


def write_invalid(out: Path = OUT) -> Path:
    """The 500-operation contract with one operation broken (a response without its `description`):
    every server must refuse to start on it."""
    path = out / "invalid" / "api.json"
    if not path.exists():
        document = json.loads(write(500, out).read_text(encoding="utf-8"))
        last_path = list(document["paths"])[-1]
        operation = next(v for k, v in document["paths"][last_path].items() if k in HTTP_METHODS)
        next(iter(operation["responses"].values())).pop("description", None)
        operation["responses"] = {"200": {"content": {}}}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path


if __name__ == "__main__":
    for argument in sys.argv[1:] or ["50", "500", "5000"]:
        written = write(int(argument))
        print(written, operation_count(json.loads(written.read_text())), "operations")
