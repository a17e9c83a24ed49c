"""Real Chromium (Debian's package) driven by Playwright, with axe-core checks.

Without /usr/bin/chromium or axe-core these tests skip with the reason, unless
NEWSROOM_REQUIRE_BROWSER=1 or NEWSROOM_REQUIRE_ALL=1 (CI) makes that a failure.
"""

import json
import os
import threading
import time
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db import OperationalError
from django.test import TransactionTestCase

from tests.conftest import unavailable

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _flush_when_unlocked(teardown):
    """The test database is emptied after each browser test. On SQLite the
    live server's threads share it (one in-memory database, shared cache),
    and a statement one of them is still finishing locks a table for a
    moment: the flush (one transaction, rolled back whole when it fails) is
    tried again until the lock is gone, for up to five seconds."""

    def fixture_teardown(self):
        for attempt in range(20):
            try:
                return teardown(self)
            except (OperationalError, CommandError) as error:
                reason = f"{error} {error.__cause__}"
                if "locked" not in reason or attempt == 19:
                    raise
                time.sleep(0.25)

    return fixture_teardown


TransactionTestCase._fixture_teardown = _flush_when_unlocked(
    TransactionTestCase._fixture_teardown
)


def sign_in(page, base, username, password):
    """Sign in through the admin's login form and land on the desk home."""
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def missing(what):
    if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what} is required for the browser tests in CI", pytrace=False)
    unavailable(f"{what} is not installed")


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module of browser tests.

    Playwright's sync API keeps its event loop marked as running in this
    thread until it stops, and with a loop running Django refuses database
    calls and its test client cannot run async views (``/healthz``). So the
    loop lives only for the browser tests: it stops at the end of each module,
    before any other test runs, whatever the order.
    """
    if not CHROMIUM.exists():
        missing(f"Chromium ({CHROMIUM})")
    # The test's own database calls are synchronous, in the loop's thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
    # The desk's pages send a last request as they close (a presence "leave"
    # beacon, an autosave under way): let the live server answer it before the
    # test's database is flushed, or SQLite reports the table locked.
    settle_live_server()


def settle_live_server(timeout=10.0):
    """Wait until the live server answers no request: each request runs in
    a thread of its own (socketserver's ``process_request_thread``), and on
    SQLite it shares the test's in-memory database, which the test's
    teardown then empties."""
    time.sleep(0.2)  # a request the closing page has just sent gets a thread
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = [
            thread
            for thread in threading.enumerate()
            if "process_request_thread" in thread.name and thread.is_alive()
        ]
        if not busy:
            return
        time.sleep(0.05)


@pytest.fixture
def screenshot(request):
    """Save a screenshot under test-artifacts/, named after the test."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, label):
        path = ARTIFACTS / f"{request.node.name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe_violations():
    """Serious and critical WCAG 2.2 AA violations axe-core finds on the page."""
    if not AXE.exists():
        missing("axe-core (npm install)")
    script = AXE.read_text()

    def check(page):
        # Evaluated through the DevTools protocol: an inline <script> (what
        # add_script_tag makes) is blocked by the Content-Security-Policy.
        page.evaluate(script)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        serious = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "nodes": len(v["nodes"]),
                # Where: the first few elements, to find them in the page.
                "targets": [node["target"] for node in v["nodes"][:5]],
            }
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        return json.loads(json.dumps(serious))

    return check


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    page: location.href,
  });
});
"""


@pytest.fixture
def csp_violations(page):
    """Every Content-Security-Policy violation Chromium reports in ``page``'s
    context (pop-up windows included): the page's own ``securitypolicyviolation``
    events and the console's "Content Security Policy" errors."""
    found = []
    context = page.context
    context.expose_function("reportCspViolation", lambda report: found.append(report))
    context.add_init_script(CSP_LISTENER)

    def on_console(message):
        if "Content Security Policy" in message.text:
            where = message.page.url if message.page else ""
            found.append({"console": message.text, "page": where})

    context.on("console", on_console)
    return found
