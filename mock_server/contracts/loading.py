"""Find, validate and load the contracts to serve, and refuse clashes between them.

Validation is openapi-spec-validator's (`spec_check.py`); indexing a valid document into a
`Contract` is `contracts.py`'s.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import ContractLoadError
from . import spec_check
from .index import ADMIN_PREFIX, Contract, index_contract, read_document_any

CONTRACT_SUFFIXES = (".yaml", ".yml", ".json")


def discover(sources: Iterable[Path]) -> list[tuple[Path, str]]:
    """Every contract file under the given files or folders, with a display name, sorted."""
    found: list[tuple[Path, str]] = []
    for source in sources:
        if source.is_file():
            found.append((source, source.name))
        elif source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.suffix in CONTRACT_SUFFIXES and path.is_file() and not _hidden(path, source):
                    found.append((path, path.relative_to(source).as_posix()))
        else:
            raise ContractLoadError(f"{source}: no such file or folder")
    if not found:
        raise ContractLoadError(
            "no contracts found in " + ", ".join(str(s) for s in sources) + f" (looked for {', '.join(CONTRACT_SUFFIXES)})"
        )
    return _unique_names(found)


def _unique_names(found: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """Names are keys (of operations, journal entries, the admin API): two files found under the same
    name in different sources (`crud/openapi.yaml`, `shop/openapi.yaml` given as two folders) are
    named by their paths from the folder the clashing files share."""
    names = [name for _, name in found]
    clashing = {name for name in names if names.count(name) > 1}
    if not clashing:
        return found
    paths = [path.resolve() for path, name in found if name in clashing]
    shared = Path(os.path.commonpath(paths))
    return [(path, path.resolve().relative_to(shared).as_posix() if name in clashing else name) for path, name in found]


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def load_contracts(sources: Iterable[Path]) -> tuple[Contract, ...]:
    """Load, validate and index every contract; refuse clashes between them."""
    return load_discovered(discover(sources))


def load_discovered(
    found: Sequence[tuple[Path, str]], *, verdicts: spec_check.Verdicts | None = None
) -> tuple[Contract, ...]:
    """Load and index the files `discover` found; refuse clashes between them.

    `verdicts`: openapi-spec-validator's answers for exactly these files, already under way in a
    child process (`spec_check.in_a_child`, what `serve` does); None: validate here. Either way the
    first file, in order, that cannot be served is the error.
    """
    loaded = [_load(path, name, validate_here=verdicts is None) for path, name in found]
    problems = verdicts() if verdicts is not None else [None] * len(loaded)
    contracts: list[Contract] = []
    for result, problem in zip(loaded, problems):
        if problem is not None:
            raise ContractLoadError(problem)
        if isinstance(result, Exception):
            raise result
        contracts.append(result)
    check_clashes(tuple(contracts))
    return tuple(contracts)


def _load(path: Path, name: str, *, validate_here: bool) -> Contract | Exception:
    """One contract, or why it cannot be served: kept until the validator's verdicts are in, since
    an invalid document may also break indexing, and the validator says best what is wrong."""
    try:
        document = read_document(path)
        problem = spec_check.problem(document, path) if validate_here else None
        return ContractLoadError(problem) if problem else index_contract(document, path, name)
    except Exception as exc:
        return exc


def read_document(path: Path) -> dict[str, Any]:
    document = read_document_any(path)
    if not isinstance(document, dict) or "openapi" not in document:
        raise ContractLoadError(f"{path}: not an OpenAPI 3 document (no 'openapi' field)")
    return document


def _template(route: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", route)


def check_clashes(contracts: Iterable[Contract]) -> None:
    """Two contracts may not claim one method and path, and none may use the admin prefix."""
    seen: dict[tuple[str, str], Contract] = {}
    for contract in contracts:
        for operation in contract.operations:
            if operation.route == ADMIN_PREFIX or operation.route.startswith(ADMIN_PREFIX + "/"):
                raise ContractLoadError(
                    f"{contract.path}: {operation.method} {operation.route} uses the prefix {ADMIN_PREFIX}, "
                    "which the mock keeps for its admin endpoints"
                )
            key = (operation.method, _template(operation.route))
            other = seen.get(key)
            if other is not None and other is not contract:
                raise ContractLoadError(
                    f"{other.path} and {contract.path} both declare {operation.method} {operation.route}: "
                    "serve them on separate ports or remove one"
                )
            seen[key] = contract
