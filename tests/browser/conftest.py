"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Chromium is never downloaded: it is /usr/bin/chromium (`apt-get install chromium`), or
CHROMIUM_PATH. Where it is missing the browser tests are skipped with a plain message,
except under CI=true, where a missing browser fails the run.
"""

import base64
import os
import shutil
from urllib.parse import urlsplit

import pytest

from tests.browser.axe import AXE_PATH, describe_axe_violations

# Playwright's sync API runs its own event loop; Django refuses ORM calls from such a thread otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A 1×1 transparent PNG answers every map tile request: tests never load real tiles.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def chromium_available():
    return os.path.exists(CHROMIUM_PATH) or shutil.which(CHROMIUM_PATH) is not None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        message = (
            f"Chromium est introuvable ({CHROMIUM_PATH}) : les tests dans un navigateur ne tournent pas. "
            "Installez-le avec « apt-get install chromium »."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " En CI, c’est une erreur.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page that can only reach the live server; map tiles get a blank image."""
    yield from _live_server_page(browser, live_server)




@pytest.fixture
def axe_page(browser, live_server):
    """Like `page`, with the CSP bypassed so the vendored axe-core can be injected.

    `page.axe_violations()` runs axe on the current page and returns its violations;
    `page.assert_accessible(url, lang)` opens a page and fails with axe's findings, readably.
    """
    for page in _live_server_page(browser, live_server, bypass_csp=True):

        def axe_violations():
            page.add_script_tag(path=AXE_PATH)
            return page.evaluate("async () => (await axe.run(document)).violations")

        def assert_accessible(url, lang):
            response = page.goto(url)
            assert response.status == 200
            page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("lang") == lang
            violations = axe_violations()
            assert violations == [], describe_axe_violations(violations)

        page.axe_violations = axe_violations
        page.assert_accessible = assert_accessible
        yield page


def _live_server_page(browser, live_server, **context_options):
    server_host = urlsplit(live_server.url).netloc
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, **context_options)

    def only_the_live_server(route):
        url = urlsplit(route.request.url)
        if "/tiles-for-tests/" in url.path:
            return route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        if url.scheme in ("http", "https") and url.netloc != server_host:
            return route.abort()
        return route.continue_()

    context.route("**/*", only_the_live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.csp_violations = []
    page.on(
        "console",
        lambda message: page.csp_violations.append(message.text)
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
        else None,
    )
    yield page
    context.close()
