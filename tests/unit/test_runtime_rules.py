"""Runtime rules over HTTP: POST/GET /__mock/rules, DELETE /__mock/rules/{name}, tried before the file's."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server.app import create_app
from mock_server.settings import ServeSettings

ROOT = Path(__file__).resolve().parents[2]
CONTROL = ROOT / "tests" / "contracts" / "control"
ITEM = "/control/items/widget"
BEARER = {"Authorization": "Bearer any-token"}
FILE_RULES = """
rules:
  - name: widgets are unavailable
    match: {operationId: createItem, params: {kind: "^widget$"}}
    status: 503
"""


def session(tmp_path: Path, rules: str | None = None) -> Session:
    path = None
    if rules is not None:
        path = tmp_path / "rules.yaml"
        path.write_text(rules)
    return Session(create_app(ServeSettings(contracts=(CONTROL,), rules=path, access_log=False)))


class Session:
    """One app, one event loop, one client for the whole test."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")

    def __call__(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.request(method, url, **kwargs))

    def create_item(self) -> int:
        return self("POST", ITEM, json={"name": "a"}, headers=BEARER).status_code

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


def test_a_posted_rule_applies_at_once_and_removing_it_restores_the_answer(tmp_path: Path) -> None:
    mock = session(tmp_path)
    assert mock.create_item() == 201
    added = mock("POST", "/__mock/rules", json={"name": "down", "match": {"operationId": "createItem"}, "status": 503})
    assert added.status_code == 201
    assert added.headers["location"] == "/__mock/rules/down"
    assert added.json() == {"name": "down", "origin": "runtime",
                            "rule": {"name": "down", "match": {"operationId": "createItem"}, "status": 503}}
    assert mock.create_item() == 503
    assert mock("DELETE", "/__mock/rules/down").json() == {"removed": "down"}
    assert mock.create_item() == 201
    assert mock("DELETE", "/__mock/rules/down").status_code == 404
    mock.close()


def test_runtime_rules_are_tried_before_the_files_and_listed_in_that_order(tmp_path: Path) -> None:
    mock = session(tmp_path, FILE_RULES)
    assert mock.create_item() == 503
    mock("POST", "/__mock/rules", json={"name": "slow down", "match": {"operationId": "createItem"}, "status": 429})
    assert mock.create_item() == 429
    listed = mock("GET", "/__mock/rules").json()["rules"]
    assert [(r["name"], r["origin"]) for r in listed] == [("slow down", "runtime"), ("widgets are unavailable", "file")]
    removed = mock("DELETE", "/__mock/rules/widgets%20are%20unavailable")
    assert removed.status_code == 409 and "rules file" in removed.json()["detail"]
    mock.close()


@pytest.mark.parametrize(("rule", "status", "words"), [
    ({"match": {"operationId": "createItem"}, "status": 503}, 400, "needs a 'name'"),
    ({"name": "x", "match": {"operationId": "noSuchOperation"}, "status": 503}, 400, "noSuchOperation"),
    ({"name": "x", "match": {"operationId": "createItem"}, "status": 418}, 400, "status 418 is not declared"),
    ({"name": "x", "match": {"operationId": "createItem"}}, 400, "no action"),
    ({"name": "x", "match": {"params": {"kind": "("}}, "status": 503}, 400, "not a regular expression"),
    ({"name": "widgets are unavailable", "status": 503}, 409, "rules file"),
    ([1, 2], 400, "a rule is a mapping"),
])
def test_a_bad_rule_is_refused_naming_the_problem(tmp_path: Path, rule: Any, status: int, words: str) -> None:
    mock = session(tmp_path, FILE_RULES)
    answer = mock("POST", "/__mock/rules", json=rule)
    assert answer.status_code == status
    assert words in answer.json()["detail"]
    assert [r["origin"] for r in mock("GET", "/__mock/rules").json()["rules"]] == ["file"]
    mock.close()


def test_a_name_is_taken_once_and_bad_json_is_a_400(tmp_path: Path) -> None:
    mock = session(tmp_path)
    rule = {"name": "down", "status": 503, "match": {"operationId": "createItem"}}
    assert mock("POST", "/__mock/rules", json=rule).status_code == 201
    assert mock("POST", "/__mock/rules", json=rule).status_code == 409
    broken = mock("POST", "/__mock/rules", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 400 and "not JSON" in broken.json()["detail"]
    assert mock("PUT", "/__mock/rules").headers["allow"] == "GET, POST"
    mock.close()


def test_a_re_added_sequence_starts_over_and_reset_forgets_runtime_rules(tmp_path: Path) -> None:
    mock = session(tmp_path)
    rule = {"name": "flaky", "match": {"operationId": "createItem"}, "sequence": [503, "ok"]}
    mock("POST", "/__mock/rules", json=rule)
    assert [mock.create_item() for _ in range(3)] == [503, 201, 201]
    mock("DELETE", "/__mock/rules/flaky")
    mock("POST", "/__mock/rules", json=rule)
    assert [mock.create_item() for _ in range(2)] == [503, 201]
    assert mock("POST", "/__mock/reset").status_code == 200
    assert mock("GET", "/__mock/rules").json()["rules"] == []
    assert mock.create_item() == 201
    mock.close()


def test_rule_names_in_the_file_are_unique(tmp_path: Path) -> None:
    from mock_server.errors import SettingsError

    twice = FILE_RULES + "  - name: widgets are unavailable\n    status: 429\n"
    with pytest.raises(SettingsError, match="unique"):
        session(tmp_path, twice)
