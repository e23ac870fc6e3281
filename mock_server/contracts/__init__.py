"""Contracts: find OpenAPI files, validate them, and index them into `Contract` / `Operation` records.

Owns: `loading` (discover files, load, refuse clashes), `spec_check` (openapi-spec-validator, in a
child process for `serve`), `index` (documents → operations, parameters, responses, security),
`schema` (OpenAPI schemas → JSON Schema 2020-12, compiled validators), `shapes` (where the item
or the list sits in a body schema), `collections` (which operation creates, reads, lists, changes
or deletes which resources), `summary` (what the `contracts` command prints).

The bottom of the package: may not import anything of mock_server but `errors` and `settings`.
"""

from .index import ADMIN_PREFIX, Contract, MediaContent, Operation
from .loading import load_contracts

__all__ = ["ADMIN_PREFIX", "Contract", "MediaContent", "Operation", "load_contracts"]
