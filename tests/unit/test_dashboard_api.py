"""What the dashboard reads and does, in-process: its page and files, the operations it lists, the
sample requests of "try it", the journal's entries (what decided, every validation problem, the
stream's events, cut bodies, the curl line), contract coverage, the live feed, forcing states."""

from __future__ import annotations

import asyncio
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import orjson
import pytest

from mock_server.admin.feed import OPENING, feed_events
from mock_server.app import create_app
from mock_server.settings import ServeSettings

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "tests" / "contracts" / "dashboard"
CONTROL = ROOT / "tests" / "contracts" / "control"
BUNDLED = ROOT / "openapi"
KEY = {"X-Shop-Key": "shop-secret-key"}


class Session:
    """One app, one event loop, one client for the whole test."""

    def __init__(self, *contracts: Path, **settings: Any) -> None:
        self.app = create_app(ServeSettings(contracts=contracts or (SHOP,), access_log=False, **settings))
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://mock")

    def __call__(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.request(method, url, **kwargs))

    def journal(self) -> list[dict[str, Any]]:
        return self("GET", "/__mock/requests?limit=100").json()["requests"]

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


@pytest.fixture
def mock() -> Any:
    session = Session()
    yield session
    session.close()


def test_the_page_and_its_files_come_from_the_package_with_a_policy_that_forbids_other_origins(mock: Session) -> None:
    page = mock("GET", "/__mock/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "script-src 'self'" in policy
    referenced = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert referenced and all(ref.startswith(("/__mock/assets/", "data:", "#")) for ref in referenced)
    for ref in referenced:
        if ref.startswith("/__mock/assets/"):
            asset = mock("GET", ref)
            assert asset.status_code == 200 and asset.content, ref
    scripts = sorted((ROOT / "mock_server" / "admin" / "static").glob("*.js"))
    assert len(scripts) > 1
    for path in scripts:  # the page's modules, each served, none calling outside the mock
        script = mock("GET", f"/__mock/assets/{path.name}").text
        assert script == path.read_text()
        assert "http://" not in script and "https://" not in script  # nothing outside the mock is ever called
        assert "innerHTML" not in script and "insertAdjacentHTML" not in script  # request data only ever as text
        for imported in re.findall(r'from "\./([\w.]+)"', script):
            assert mock("GET", f"/__mock/assets/{imported}").status_code == 200
    for outside in ("/__mock/assets/../endpoints.py", "/__mock/assets/.hidden.js", "/__mock/assets/nothing.js"):
        assert mock("GET", outside).status_code == 404


def test_operations_list_their_statuses_named_examples_and_streams(mock: Session) -> None:
    operations = {op["operationId"]: op for op in mock("GET", "/__mock/contracts").json()["contracts"][0]["operations"]}
    assert operations["listItems"]["examples"] == {"200": ["full", "empty"]}
    assert operations["listItems"]["statuses"] == ["200", "500", "503"]
    assert operations["streamNews"]["streams"] and not operations["listItems"]["streams"]
    assert operations["createItem"]["key"] == "shop.yaml:createItem"


@pytest.mark.parametrize("contracts", [BUNDLED, SHOP, CONTROL], ids=lambda p: p.name)
def test_every_sample_request_is_answered_with_success(contracts: Path) -> None:
    """"Try it" starts from a request the contract accepts: path parameters, credential, body."""
    session = Session(contracts)
    try:
        for contract in session("GET", "/__mock/contracts").json()["contracts"]:
            for op in contract["operations"]:
                if op["operationId"] == "getWithCookieKey":
                    continue  # a browser cannot set a Cookie header: the page leaves it to the user
                sample = session("GET", "/__mock/samples/" + quote(op["key"], safe="")).json()
                answer = session(sample["method"], sample["path"], headers=sample["headers"],
                                 content=(sample["body"] or "").encode())
                assert 200 <= answer.status_code < 300, (op["key"], sample, answer.text)
        assert session("GET", "/__mock/samples/nothing").status_code == 404
    finally:
        session.close()


def test_a_journal_entry_says_what_decided_and_replays_as_curl_without_its_secrets(mock: Session) -> None:
    forced = {"name": "items down", "match": {"operationId": "createItem"}, "status": 503, "times": 1}
    assert mock("POST", "/__mock/rules", json=forced).status_code == 201
    body = {"name": "bicycle", "price": 120, "password": "hunter2-secret"}
    assert mock("POST", "/shop/items", json=body, headers=KEY).status_code == 503
    assert mock("POST", "/shop/items", json=body, headers=KEY).status_code == 201  # times: 1 is used up
    assert mock("GET", "/shop/items", headers={"Prefer": "code=500"}).status_code == 500
    preferred, created, by_rule = mock.journal()[:3]
    assert by_rule["decided_by"] == ["rule 'items down'"] and by_rule["rule"] == "items down"
    assert created["decided_by"] == [] and created["rule"] is None
    assert preferred["decided_by"] == ["Prefer: code=500"]
    curl = created["curl"]
    assert "shop-secret-key" not in curl and "hunter2-secret" not in curl
    words = shlex.split(curl)
    assert words[:4] == ["curl", "-X", "POST", "http://mock/shop/items"]
    assert "x-shop-key: ***" in words
    assert orjson.loads(words[words.index("--data-raw") + 1]) == {"name": "bicycle", "price": 120, "password": "***"}


def test_every_validation_problem_is_in_the_journal_on_its_own(mock: Session) -> None:
    answer = mock("POST", "/shop/items", json={"name": "x" * 50, "price": -1}, headers=KEY)
    assert answer.status_code == 400
    errors = mock.journal()[0]["validation_errors"]
    assert len(errors) == 2 and any("price" in e for e in errors) and any("name" in e for e in errors)


def test_a_stream_is_journaled_event_by_event_and_a_large_body_is_cut_with_a_marker(mock: Session) -> None:
    stream = mock("GET", "/shop/news")
    sent = [line[len("data: "):] for line in stream.text.split("\n") if line.startswith("data: ")]
    recorded = mock.journal()[0]["response"]
    assert recorded["stream"] and recorded["media_type"] == "text/event-stream"
    assert [event["data"] for event in recorded["events"]] == sent and sent[-1] == "[DONE]"
    assert recorded["marker"] is None
    mock("POST", "/shop/items", json={"name": "big", "price": 1, "notes": "n" * 10_000}, headers=KEY)
    body = mock.journal()[0]["body"]
    assert isinstance(body, str) and re.search(r"\[… \d+ more characters not kept\]$", body)


def test_coverage_counts_declared_statuses_and_outlives_the_journal_cap() -> None:
    session = Session(journal_size=2)
    try:
        for _ in range(3):
            session("GET", "/shop/items")
        session("GET", "/shop/items", headers={"Prefer": "code=503"})
        session("POST", "/shop/items", json={}, headers=KEY)  # 400
        session("GET", "/nowhere")  # routed nowhere: no operation's coverage
        report = session("GET", "/__mock/coverage").json()
        by_id = {op["operationId"]: op for op in report["operations"]}
        assert {s["status"]: s["count"] for s in by_id["listItems"]["statuses"]} == {"200": 3, "500": 0, "503": 1}
        assert {s["status"]: s["count"] for s in by_id["createItem"]["statuses"]}["400"] == 1
        assert by_id["streamNews"]["requests"] == 0
        assert report["summary"] == {"operations": 3, "operations_exercised": 2, "statuses": 9, "statuses_exercised": 3}
        assert len(session.journal()) == 2
        assert "coverage" in session("POST", "/__mock/reset").json()["reset"]
        assert session("GET", "/__mock/coverage").json()["summary"]["statuses_exercised"] == 0
    finally:
        session.close()


def test_the_feed_sends_each_request_as_it_is_recorded_and_stops_following_when_closed(mock: Session) -> None:
    async def scenario() -> tuple[bytes, dict[str, Any]]:
        feed = feed_events(mock.app, heartbeat=5)
        opening = await feed.__anext__()
        await mock.client.get("/shop/items")
        chunk = await asyncio.wait_for(feed.__anext__(), 2)
        await feed.aclose()
        return opening, orjson.loads(chunk.split(b"data: ", 1)[1])

    opening, entry = mock.loop.run_until_complete(scenario())
    assert opening == OPENING
    assert entry["path"] == "/shop/items" and entry["status"] == 200 and entry["operationId"] == "listItems"
    assert mock.app.state._followers == []  # nobody follows any more: recording costs nothing extra again


def test_forced_states_from_the_page_next_n_answers_and_a_named_example(mock: Session) -> None:
    rule = {"name": "two empty lists", "match": {"operationId": "listItems"}, "example": "empty", "times": 2}
    assert mock("POST", "/__mock/rules", json=rule).status_code == 201
    assert [mock("GET", "/shop/items").json() for _ in range(3)] == [[], [], [{"id": 1, "name": "bicycle"},
                                                                             {"id": 2, "name": "helmet"}]]
    listed = mock("GET", "/__mock/rules").json()["rules"]
    assert listed == [{"name": "two empty lists", "origin": "runtime", "rule": rule, "used": 3}]


@pytest.mark.parametrize(("rule", "problem"), [
    ({"match": {"operationId": "listItems"}, "example": "missing"}, "declares no example named 'missing' (it declares: empty, full)"),
    ({"example": "empty"}, "'example' needs 'match.operationId'"),
    ({"match": {"operationId": "listItems"}, "status": 503, "times": 0}, "'times' must be a positive number"),
    ({"match": {"operationId": "listItems"}, "sequence": [503], "times": 2}, "either 'sequence' or 'times'"),
])
def test_a_forced_state_that_cannot_be_served_is_refused_naming_the_problem(
    mock: Session, rule: dict[str, Any], problem: str
) -> None:
    refused = mock("POST", "/__mock/rules", json={"name": "bad", **rule})
    assert refused.status_code == 400 and problem in refused.json()["detail"]


def test_the_journal_ids_are_unique_so_the_page_can_merge_the_feed_and_the_history(mock: Session) -> None:
    for _ in range(3):
        mock("GET", "/shop/items")
    ids = [entry["id"] for entry in mock.journal()]
    assert len(set(ids)) == 3


def test_reloads_are_empty_and_say_whether_files_are_watched(mock: Session) -> None:
    assert mock("GET", "/__mock/reloads").json() == {"watching": False, "reloads": []}
