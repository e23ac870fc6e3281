"""load_contracts: the validator's verdict, in this process or in a child, and in file order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mock_server.contracts import spec_check
from mock_server.contracts.loading import discover, load_contracts, load_discovered
from mock_server.errors import ContractLoadError

VALID = (
    "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /ping:\n    get:\n      operationId: ping\n"
    "      responses:\n        '200': {description: ok}\n"
)
NO_VERSION = "openapi: 3.0.3\ninfo: {title: T}\npaths: {}\n"
# Invalid in a way that also breaks indexing (a path item that is a list): the validator's
# message must win over whatever the indexer trips on.
BROKEN_PATHS = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /ping: [1, 2]\n"


def load(folder: Path, *, in_child: bool) -> tuple:
    found = discover([folder])
    return load_discovered(found, verdicts=spec_check.in_a_child([path for path, _ in found]) if in_child else None)


@pytest.mark.parametrize("in_child", [False, True], ids=["here", "child"])
def test_a_valid_folder_loads(tmp_path: Path, in_child: bool) -> None:
    (tmp_path / "a.yaml").write_text(VALID)
    (contract,) = load(tmp_path, in_child=in_child)
    assert [op.operation_id for op in contract.operations] == ["ping"]


@pytest.mark.parametrize("in_child", [False, True], ids=["here", "child"])
def test_the_first_invalid_file_is_reported_with_the_validators_message(tmp_path: Path, in_child: bool) -> None:
    (tmp_path / "a.yaml").write_text(VALID)
    (tmp_path / "b.yaml").write_text(BROKEN_PATHS)
    (tmp_path / "c.yaml").write_text(NO_VERSION)
    with pytest.raises(ContractLoadError) as raised:
        load(tmp_path, in_child=in_child)
    message = str(raised.value)
    assert "b.yaml: invalid OpenAPI document" in message and "c.yaml" not in message


@pytest.mark.parametrize("in_child", [False, True], ids=["here", "child"])
def test_unreadable_yaml_is_reported_before_validation(tmp_path: Path, in_child: bool) -> None:
    (tmp_path / "a.yaml").write_text("openapi: [unclosed\n")
    with pytest.raises(ContractLoadError, match="a.yaml: cannot be read"):
        load(tmp_path, in_child=in_child)


# YAML written by hand, as many public contracts are: unquoted status codes (integers to YAML) and
# unquoted dates in examples (datetime.date to YAML). Both are JSON strings in the contract's data model.
PLAIN_YAML = """openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /visits:
    get:
      operationId: listVisits
      parameters:
        - {name: since, in: query, schema: {type: string, format: date, example: 2024-05-01}}
      responses:
        200:
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {day: {type: string, format: date}}}
              example: {day: 2024-05-01}
"""


@pytest.mark.parametrize("in_child", [False, True], ids=["here", "child"])
def test_yaml_dates_and_integer_keys_read_as_json_strings(tmp_path: Path, in_child: bool) -> None:
    (tmp_path / "a.yaml").write_text(PLAIN_YAML)
    (contract,) = load(tmp_path, in_child=in_child)
    (operation,) = contract.operations
    assert list(operation.responses) == ["200"]
    assert operation.parameters[0].schema["example"] == "2024-05-01"
    assert operation.responses["200"].content["application/json"].examples == (("example", {"day": "2024-05-01"}),)


def test_files_of_one_name_in_two_folders_get_names_of_their_own(tmp_path: Path) -> None:
    """Operation keys are `<contract name>:<operationId>`: two `openapi.yaml` folders must not share them."""
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/{p}": {"get": {
        "operationId": "get", "parameters": [{"name": "p", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok"}}}}}}
    for folder, prefix in (("shop", "/shop"), ("crm", "/crm")):
        (tmp_path / folder).mkdir()
        document["servers"] = [{"url": prefix}]
        (tmp_path / folder / "openapi.yaml").write_text(json.dumps(document))
    contracts = load_contracts([tmp_path / "shop", tmp_path / "crm"])
    assert sorted(c.name for c in contracts) == ["crm/openapi.yaml", "shop/openapi.yaml"]
    assert len({op.key for c in contracts for op in c.operations}) == 2
