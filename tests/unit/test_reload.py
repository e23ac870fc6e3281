"""One reload in-process (`watch.reload`): what is swapped in, what stays, what a broken edit does,
and which changed paths `serve --watch` reacts to."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import httpx

from mock_server.app import create_app
from mock_server.settings import ServeSettings
from mock_server.watch import reload
from mock_server.watch.files import Watched

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "tests" / "contracts" / "dashboard" / "shop.yaml"
EXTRA = """
  /extra:
    get:
      operationId: getExtra
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_a_reload_swaps_contracts_and_rules_and_keeps_what_requests_changed(tmp_path: Path) -> None:
    contract = tmp_path / "c" / "shop.yaml"
    contract.parent.mkdir()
    shutil.copy(SHOP, contract)
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules: []\n")
    settings = ServeSettings(contracts=(contract.parent,), rules=rules, access_log=False)
    app = create_app(settings)

    async def scenario() -> list[object]:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")
        seen: list[object] = []
        await client.post("/__mock/rules", json={"name": "news down", "match": {"operationId": "streamNews"}, "status": 503})
        await client.get("/shop/items")
        seen.append((await client.get("/shop/extra")).status_code)
        contract.write_text(contract.read_text().replace("paths:\n", "paths:\n" + EXTRA, 1))
        rules.write_text("rules:\n  - {name: items down, match: {operationId: listItems}, status: 500}\n")
        report = await reload(app, settings, [str(contract), str(rules)])
        seen.append(report.describe())
        seen.append((await client.get("/shop/extra")).status_code)
        seen.append((await client.get("/shop/items")).status_code)
        seen.append((await client.get("/shop/news")).status_code)  # the runtime rule survived
        seen.append(len((await client.get("/__mock/requests")).json()["requests"]))  # and the journal
        rules.write_text("rules:\n  - {name: bad, status: 999}\n")
        broken = await reload(app, settings, [str(rules)])
        seen.append(broken.describe())
        seen.append((await client.get("/shop/items")).status_code)  # the previous rules still decide
        seen.append((await client.get("/__mock/reloads")).json())
        await client.aclose()
        return seen

    before, report, extra, items, news, journal, broken, still, listed = asyncio.run(scenario())
    assert before == 404
    assert report["ok"] and report["operations_added"] == ["GET /shop/extra (getExtra)"]  # type: ignore[index]
    assert report["contracts_changed"] == ["shop.yaml"] and report["rules"] == 1  # type: ignore[index]
    assert (extra, items, news) == (200, 500, 503)
    assert journal == 5
    assert not broken["ok"] and "999" in broken["error"] and "rules.yaml" in broken["error"]  # type: ignore[index]
    assert still == 500
    assert [r["ok"] for r in listed["reloads"]] == [False, True]  # type: ignore[index]


def test_only_the_served_files_trigger_a_reload(tmp_path: Path) -> None:
    (tmp_path / "contracts" / "nested").mkdir(parents=True)
    (tmp_path / "examples").mkdir()
    single = tmp_path / "single.yaml"
    rules = tmp_path / "rules.yaml"
    for path in (single, rules):
        path.write_text("")
    watched = Watched(ServeSettings(contracts=(tmp_path / "contracts", single), rules=rules,
                                    examples=tmp_path / "examples"))
    base = tmp_path.resolve()
    assert watched.relevant(base / "contracts" / "nested" / "api.yml")
    assert watched.relevant(base / "single.yaml") and watched.relevant(base / "rules.yaml")
    assert watched.relevant(base / "examples" / "listItems.200.1.json")
    assert not watched.relevant(base / "contracts" / "notes.txt")
    assert not watched.relevant(base / "other.yaml")  # beside the single contract, but not served
    assert not watched.relevant(base / "examples" / "readme.md")
    assert watched.flat_roots() == [base] and sorted(watched.recursive_roots()) == [base / "contracts", base / "examples"]


def test_a_stream_under_way_ends_whole_when_a_new_version_is_swapped_in(tmp_path: Path) -> None:
    """The swap (MockApp.adopt) happens between two events of a paced stream, at a time the test
    chooses: the stream goes on with the operation it was compiled for and ends with its terminator."""
    contract = tmp_path / "shop.yaml"
    shutil.copy(SHOP, contract)
    settings = ServeSettings(contracts=(contract,), access_log=False, tokens_per_second=20)
    app = create_app(settings)
    chunks: list[bytes] = []
    first = asyncio.Event()
    requested: list[bool] = []

    async def receive() -> dict[str, object]:
        if not requested:
            requested.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)  # the client stays
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))  # type: ignore[arg-type]
            first.set()

    async def scenario() -> int:
        scope = {"type": "http", "method": "GET", "path": "/shop/news", "raw_path": b"/shop/news",
                 "query_string": b"", "headers": [(b"host", b"mock")], "scheme": "http", "http_version": "1.1"}
        stream = asyncio.ensure_future(app(scope, receive, send))
        await asyncio.wait_for(first.wait(), 5)
        contract.write_text(contract.read_text().replace("paths:\n", "paths:\n" + EXTRA, 1))
        before = app.operations
        app.adopt(create_app(settings, behaviours=app.registry, store=app.state))
        assert app.operations is not before and not stream.done()  # swapped while the stream is open
        await asyncio.wait_for(stream, 10)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")
        status = (await client.get("/shop/extra")).status_code
        await client.aclose()
        return status

    assert asyncio.run(scenario()) == 200
    events = [line for line in b"".join(chunks).decode().split("\n") if line.startswith("data: ")]
    assert len(events) >= 4 and events[-1] == "data: [DONE]"
