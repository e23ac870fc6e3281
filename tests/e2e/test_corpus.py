"""Public real-world contracts, each served alone, pass schemathesis: every check; the examples,
coverage, fuzzing and stateful phases.

The corpus is `tests/contracts/corpus/<name>/` (the contract, `source.yaml` with where it came
from, `LICENSE`). A failure the contract itself makes unavoidable is listed, with the reason, in
`tests/contracts/corpus/UNAVOIDABLE.yaml`; anything else fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.fixtures.corpus import CORPUS, Failure, check_contract, corpus_contracts
from tests.fixtures.server import start_server

pytestmark = pytest.mark.e2e

PERMISSIVE = {"Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause", "CC0-1.0", "CC-BY-4.0", "ISC"}
UNAVOIDABLE = CORPUS / "UNAVOIDABLE.yaml"
STYLES = {  # what the corpus must cover, and one contract showing each
    "XML bodies": "petstore3", "form bodies": "kratos", "OpenAPI 3.1 with webhooks": "museum",
    "discriminated oneOf": "kratos", "50+ operations": "kratos", "server-sent events": "agent-protocol",
    "problem+json errors": "eshop-catalog", "binary downloads": "eshop-catalog",
    "multipart uploads": "private-gpt", "OpenAPI 3.1 with unevaluatedProperties": "amocrm",
}


def unavoidable() -> dict[str, list[dict[str, Any]]]:
    loaded: dict[str, list[dict[str, Any]]] = yaml.safe_load(UNAVOIDABLE.read_text()) or {}
    return loaded


def excused(failure: Failure, entries: list[dict[str, Any]]) -> bool:
    for entry in entries:
        operations = entry["operations"]
        if (entry["check"] == failure.check and (operations == "*" or failure.operation in operations)
                and entry.get("title", failure.title) == failure.title
                and entry.get("detail", "") in failure.detail):
            return True
    return False


def _resolve(document: dict[str, Any], node: Any) -> Any:
    """`node`, or what its local `$ref` points at."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = document
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _binary_multipart_parts(document: dict[str, Any]) -> list[str]:
    """`METHOD path: property` for each multipart/form-data request property that is a file."""
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            body = _resolve(document, operation.get("requestBody")) if isinstance(operation, dict) else None
            media = (body or {}).get("content", {}).get("multipart/form-data") or {}
            schema = _resolve(document, media.get("schema")) or {}
            for name, prop in schema.get("properties", {}).items():
                prop = _resolve(document, prop)
                items = _resolve(document, prop.get("items")) or {}
                if "binary" in (prop.get("format"), items.get("format")):
                    found.append(f"{method.upper()} {path}: {name}")
    return found


def _schemas_with(node: Any, keyword: str) -> int:
    """How many objects anywhere in `node` carry `keyword`."""
    if isinstance(node, dict):
        return (keyword in node) + sum(_schemas_with(value, keyword) for value in node.values())
    return sum(_schemas_with(value, keyword) for value in node) if isinstance(node, list) else 0


def test_the_corpus_has_ten_contracts_of_the_styles_asked_for() -> None:
    contracts = corpus_contracts()
    assert len(contracts) >= 10
    text = {path.parent.name: path.read_text() for path in contracts}
    assert 'xml:' in text[STYLES["XML bodies"]] and "application/xml" in text[STYLES["XML bodies"]]
    assert "application/x-www-form-urlencoded" in text[STYLES["form bodies"]]
    assert "webhooks:" in text[STYLES["OpenAPI 3.1 with webhooks"]] and "openapi: 3.1" in text["museum"]
    assert text[STYLES["discriminated oneOf"]].count('"discriminator"') >= 5
    assert text[STYLES["server-sent events"]].count("text/event-stream") >= 2
    assert "application/problem+json" in text[STYLES["problem+json errors"]]
    assert "image/png" in text[STYLES["binary downloads"]]
    document = yaml.safe_load(text[STYLES["50+ operations"]])
    assert sum(1 for item in document["paths"].values() for method in item if method != "parameters") >= 50
    assert _binary_multipart_parts(yaml.safe_load(text[STYLES["multipart uploads"]]))
    unevaluated = yaml.safe_load(text[STYLES["OpenAPI 3.1 with unevaluatedProperties"]])
    assert unevaluated["openapi"].startswith("3.1") and _schemas_with(unevaluated, "unevaluatedProperties")


@pytest.mark.parametrize("contract", corpus_contracts(), ids=lambda p: p.parent.name)
def test_each_contract_says_where_it_came_from(contract: Path) -> None:
    source = yaml.safe_load((contract.parent / "source.yaml").read_text())
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", source["repository"])
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"]) and source["path"]
    assert source["licence"] in PERMISSIVE
    assert (contract.parent / source["licence_file"]).stat().st_size > 500


def test_every_unavoidable_entry_names_a_corpus_contract_and_a_reason() -> None:
    names = {path.parent.name for path in corpus_contracts()}
    for name, entries in unavoidable().items():
        assert name in names
        for entry in entries:
            assert entry["check"] and entry["operations"] and len(entry["reason"]) > 40, entry


@pytest.mark.timeout(900)  # ~20 s of CPU for the 60-100 operation contracts; a shared machine stretches it
@pytest.mark.parametrize("contract", corpus_contracts(), ids=lambda p: p.parent.name)
def test_schemathesis_finds_nothing_the_contract_does_not_make_unavoidable(contract: Path) -> None:
    entries = unavoidable().get(contract.parent.name, [])
    failures = check_contract(contract)
    unexpected = [f for f in failures if not excused(f, entries)]
    assert not unexpected, "\n\n".join(f"{f.operation} [{f.check}] {f.title}\n{f.detail}" for f in unexpected)


def test_a_file_uploaded_to_the_multipart_contract_is_ingested_and_one_without_it_named() -> None:
    """Beyond schemathesis, a real upload over the wire: PrivateGPT ingests a file sent as
    multipart/form-data, and a form without the file gets the contract's 422 in FastAPI's own shape,
    its entry locating the missing field (`loc: ["body", "file"]`) as FastAPI would."""
    server = start_server("--contracts", str(CORPUS / STYLES["multipart uploads"] / "openapi.json"), "--seed", "0",
                          "--quiet")
    try:
        upload = httpx.post(f"{server.url}/v1/ingest/file",
                            files={"file": ("q3-report.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "application/pdf")})
        assert upload.status_code == 200, upload.text
        ingested = upload.json()
        assert ingested["object"] == "list" and ingested["model"] == "private-gpt"
        assert all(doc["object"] == "ingest.document" and doc["doc_id"] for doc in ingested["data"])
        no_file = httpx.post(f"{server.url}/v1/ingest/file", files={"name": (None, "q3-report.pdf")})
        assert no_file.status_code == 422 and no_file.headers["content-type"] == "application/json"
        (entry,) = no_file.json()["detail"]
        assert entry["loc"] == ["body", "file"] and '"file" is a required property' in entry["msg"]
    finally:
        server.stop()
