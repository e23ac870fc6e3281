"""The dashboard in a real headless Chromium (Playwright driving the system's /usr/bin/chromium, never
a downloaded browser), against a real `mock-server serve --watch --admin-token …` process: every
page but the one that types the token in finds it in the tab's sessionStorage, as after a first visit.

Each view's screenshot is saved under tests/artifacts/ (git-ignored), at 1280 px and on a narrow
window; with MOCK_SERVER_UPDATE_DOCS=1 the journal's is also copied to docs/dashboard.png, the
README's picture.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fixtures.server import ROOT, TEST_CONTRACTS, RunningServer, start_server
from tests.fixtures.system import require_program

pytestmark = pytest.mark.e2e

ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS_PICTURE = ROOT / "docs" / "dashboard.png"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
KEY = {"X-Shop-Key": "shop-secret-key"}
TOKEN = "dashboard-admin-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
REMEMBERED_TOKEN = f"sessionStorage.setItem('mock-server admin token', {TOKEN!r})"
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 420, "height": 860}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    contracts = tmp_path_factory.mktemp("contracts")
    shutil.copy(TEST_CONTRACTS / "dashboard" / "shop.yaml", contracts / "shop.yaml")
    running = start_server("--contracts", str(contracts), "--watch", "--seed", "0", "--quiet", "--admin-token", TOKEN)
    running.contracts = contracts  # type: ignore[attr-defined]
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium = require_program("chromium", "chromium-browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Dashboard:
    """One page on the dashboard, recording every request it makes and every script error."""

    def __init__(self, browser: object, server: RunningServer, viewport: dict[str, int] = WIDE) -> None:
        self.server = server
        self.context = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
        self.context.add_init_script(REMEMBERED_TOKEN)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.goto(f"{server.url}/__mock/")
        self.page.get_by_text("live", exact=True).wait_for()

    def view(self, name: str) -> None:
        self.page.click(f"#tab-{name}")
        self.page.wait_for_selector(f"#view-{name}", state="visible")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"dashboard-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def dashboard(server: RunningServer, browser: object) -> Iterator[Dashboard]:
    httpx.post(f"{server.url}/__mock/reset", headers=ADMIN).raise_for_status()
    opened = Dashboard(browser, server)
    yield opened
    assert opened.errors == []
    opened.close()


def test_the_page_loads_with_no_request_outside_the_mock(dashboard: Dashboard) -> None:
    dashboard.page.wait_for_selector(".op")
    assert dashboard.page.locator(".op").count() == 3
    dashboard.page.wait_for_function("document.getElementById('reloads-watching').textContent.length > 0")  # loaded last
    outside = [url for url in dashboard.requests if not url.startswith(dashboard.server.url + "/") and not url.startswith("data:")]
    assert dashboard.requests and outside == []
    assert any(url.endswith("/__mock/feed") for url in dashboard.requests)
    dashboard.screenshot("operations")


def test_a_request_appears_in_the_journal_within_a_second_with_its_status_and_body(dashboard: Dashboard) -> None:
    from playwright.sync_api import expect

    dashboard.view("journal")
    base = dashboard.server.url
    assert httpx.get(f"{base}/shop/news").status_code == 200  # a stream, shown event by event
    assert httpx.post(f"{base}/shop/items", json={"name": "x", "price": -5}, headers=KEY).status_code == 400
    assert httpx.get(f"{base}/shop/items", headers={"Prefer": "code=503"}).status_code == 503
    answer = httpx.post(f"{dashboard.server.url}/shop/items", json={"name": "tandem", "price": 999}, headers=KEY)
    assert answer.status_code == 201
    row = dashboard.page.locator("#journal-rows tr", has_text="POST /shop/items").filter(has_text="201")
    expect(row).to_be_visible(timeout=1000)
    expect(row.locator("td").nth(3)).to_have_text("201")
    row.locator("button").click()
    expect(dashboard.page.locator("#entry-request-body")).to_contain_text('"tandem"')
    expect(dashboard.page.locator("#entry-response-body")).to_contain_text(f'"id": {answer.json()["id"]}')
    expect(dashboard.page.locator(".curl pre")).to_contain_text("x-shop-key: ***")
    dashboard.screenshot("journal")
    if os.environ.get("MOCK_SERVER_UPDATE_DOCS") == "1":
        DOCS_PICTURE.parent.mkdir(exist_ok=True)
        dashboard.page.screenshot(path=str(DOCS_PICTURE))


def test_forcing_503_from_the_page_answers_503_until_the_rule_is_removed(dashboard: Dashboard) -> None:
    from playwright.sync_api import expect

    url = f"{dashboard.server.url}/shop/items"
    page = dashboard.page
    page.click(".op[data-key='shop.yaml:listItems']")
    page.select_option("#force-status", "503")
    page.click("#force-submit")
    active = page.locator("#operation-rules li", has_text="listItems: 503")
    expect(active).to_be_visible()
    assert httpx.get(url).status_code == 503
    dashboard.view("rules")
    expect(page.locator("#rule-rows tr", has_text="listItems: 503")).to_be_visible()
    dashboard.screenshot("forced-states")
    dashboard.view("operations")
    active.get_by_role("button", name="Remove").click()
    expect(active).to_have_count(0)
    assert httpx.get(url).status_code == 200


def test_the_coverage_view_marks_the_exercised_statuses(dashboard: Dashboard) -> None:
    from playwright.sync_api import expect

    url = f"{dashboard.server.url}/shop/items"
    assert httpx.get(url).status_code == 200
    assert httpx.get(url, headers={"Prefer": "code=503"}).status_code == 503
    dashboard.view("coverage")
    chips = dashboard.page.locator(".coverage-op[data-key='shop.yaml:listItems'] .chip")
    expect(chips.and_(dashboard.page.locator("[data-status='200']"))).to_have_class("chip s2 hit")
    expect(chips.and_(dashboard.page.locator("[data-status='503']"))).to_have_class("chip s5 hit")
    expect(chips.and_(dashboard.page.locator("[data-status='500']"))).to_have_class("chip missed")
    dashboard.screenshot("coverage")


def test_a_reload_and_a_broken_edit_are_shown_on_the_page(dashboard: Dashboard) -> None:
    from playwright.sync_api import expect

    contract = dashboard.server.contracts / "shop.yaml"  # type: ignore[attr-defined]
    original = contract.read_text()
    try:
        contract.write_text(original + "\nbroken: [\n")
        banner = dashboard.page.locator("#reload-banner")
        expect(banner).to_contain_text("Reload failed", timeout=15_000)
        expect(banner).to_contain_text("still serving the previous version")
        assert httpx.get(f"{dashboard.server.url}/shop/items").status_code == 200
        dashboard.view("reloads")
        expect(dashboard.page.locator("#reload-list li").first).to_contain_text("Reload failed")
        dashboard.screenshot("reloads")
    finally:
        contract.write_text(original)
        expect(dashboard.page.locator("#reload-list li").first).to_contain_text("Reloaded", timeout=15_000)


def test_keyboard_only_use_and_a_narrow_window(server: RunningServer, browser: object) -> None:
    from playwright.sync_api import expect

    narrow = Dashboard(browser, server, NARROW)
    page = narrow.page
    try:
        page.keyboard.press("Tab")
        expect(page.locator(".skip")).to_be_focused()
        page.focus("#tab-operations")
        page.keyboard.press("ArrowRight")
        expect(page.locator("#tab-journal")).to_be_focused()
        expect(page.locator("#view-journal")).to_be_visible()
        page.keyboard.press("End")
        expect(page.locator("#tab-reloads")).to_have_attribute("aria-selected", "true")
        page.keyboard.press("Home")
        expect(page.locator("#view-operations")).to_be_visible()
        page.focus("#operation-filter")
        page.keyboard.type("listItems")
        page.keyboard.press("Tab")
        expect(page.locator(".op[data-key='shop.yaml:listItems']")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#operation-title")).to_be_focused()
        expect(page.locator("#try-path")).to_have_value("/shop/items")
        page.focus("#try-send")
        page.keyboard.press("Enter")
        expect(page.locator("#try-status")).to_contain_text("200")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than a {NARROW['width']}px window"
        narrow.screenshot("operations-narrow")
        assert narrow.errors == []
        low = page.evaluate(CONTRAST_CHECK)
        assert low == [], f"text below a 4.5:1 contrast: {low}"
    finally:
        narrow.close()


def test_with_an_admin_token_the_page_asks_once_and_sends_it(server: RunningServer, browser: object) -> None:
    from playwright.sync_api import expect

    guarded, token = server, TOKEN
    context = browser.new_context(viewport=WIDE)  # type: ignore[attr-defined]  # nothing remembered yet
    try:
        assert httpx.get(f"{guarded.url}/__mock/contracts").status_code == 401
        assert httpx.get(f"{guarded.url}/__mock/").status_code == 200  # the page itself holds no data
        page = context.new_page()
        page.goto(f"{guarded.url}/__mock/")
        dialog = page.locator("#token-dialog")
        expect(dialog).to_be_visible()
        expect(page.locator("#token-input")).to_be_focused()
        page.keyboard.type("wrong")
        page.keyboard.press("Enter")
        expect(page.locator("#token-error")).to_contain_text("refused")
        page.fill("#token-input", token)
        page.keyboard.press("Enter")
        expect(page.get_by_text("live", exact=True)).to_be_visible()
        expect(page.locator(".op")).to_have_count(3)
        page.reload()  # kept for the tab: not asked again
        expect(page.get_by_text("live", exact=True)).to_be_visible()
        expect(dialog).to_be_hidden()
        assert page.evaluate("Object.values(sessionStorage)") == [token]
    finally:
        context.close()


# WCAG 2 contrast of each visible text element against the first opaque background behind it.
CONTRAST_CHECK = """
() => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (node) => {
    for (; node; node = node.parentElement) {
      const parts = rgb(getComputedStyle(node).backgroundColor);
      if (parts.length === 3 || parts[3] === 1) return parts.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const node of document.querySelectorAll("body *")) {
    const own = Array.from(node.childNodes).some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!own || !node.offsetParent) continue;
    const fg = lum(rgb(getComputedStyle(node).color).slice(0, 3));
    const bg = lum(background(node));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) low.push(`${node.tagName}.${node.className}: ${ratio.toFixed(2)}`);
  }
  return low;
}
"""
