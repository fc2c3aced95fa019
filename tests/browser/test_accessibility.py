"""axe-core (vendored in tests/vendor/axe-core) finds no violation on the public pages, in both languages."""

import pytest

from tests import showcase
from tests.browser.axe import describe_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "accueil": "/",
    "cluster": f"/clusters/{showcase.RICH}/",
    "cluster-page-2-des-membres": f"/clusters/{showcase.RICH}/?membres=2",
    "cluster-archive": f"/clusters/{showcase.ARCHIVED}/",
    "recherche": "/clusters/",
    "recherche-filtree": "/clusters/?secteur=cosmetique&tri=nom",
    "recherche-sans-resultat": "/clusters/?q=zzzxqwv",
    "carte": "/carte/",
}


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["fr", "en"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_axe_finds_no_violation(axe_page, live_server, path, prefix):
    showcase.build()
    axe_page.assert_accessible(live_server.url + prefix + path, lang=prefix.strip("/") or "fr")


def test_the_skip_link_is_first_and_leads_to_the_content(axe_page, live_server):
    showcase.build()
    axe_page.goto(live_server.url + f"/clusters/{showcase.RICH}/")
    axe_page.keyboard.press("Tab")
    skip = axe_page.locator(":focus")
    assert skip.inner_text() == "Aller au contenu"
    assert skip.is_visible()
    axe_page.keyboard.press("Enter")
    assert axe_page.evaluate("document.activeElement.id") == "contenu"


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["fr", "en"])
def test_on_a_phone_the_cluster_page_fits_and_axe_finds_no_violation(axe_page, live_server, prefix):
    showcase.build()
    axe_page.set_viewport_size({"width": 390, "height": 844})
    axe_page.goto(live_server.url + prefix + f"/clusters/{showcase.RICH}/")
    axe_page.wait_for_load_state("networkidle")
    assert axe_page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = axe_page.axe_violations()
    assert violations == [], describe_axe_violations(violations)
