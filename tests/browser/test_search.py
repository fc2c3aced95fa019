"""The cluster list in Chromium: live results with htmx, the URL in step, no CSP violation."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories


@pytest.fixture
def clusters(transactional_db):
    region = factories.RegionFactory(insee_code="24", name="Centre-Val de Loire", slug="centre-val-de-loire")
    sante = factories.SectorFactory(name="Santé", slug="sante")
    cosmetique = factories.SectorFactory(name="Cosmétique", slug="cosmetique")
    factories.ClusterFactory(name="Genopole", summary="Biotechnologies", region=region, sectors=[sante])
    factories.ClusterFactory(name="Cosmetic Valley", summary="Parfumerie", region=region, sectors=[cosmetique])
    factories.ClusterFactory(name="Eurobiomed", summary="Santé en Méditerranée", sectors=[sante])


def result_names(page):
    return page.locator(".result-card__name")


def test_typing_updates_results_without_reload_and_keeps_the_url_in_step(page, live_server, clusters):
    page.goto(live_server.url + "/clusters/")
    expect(result_names(page)).to_have_count(3)
    # A full reload would lose this flag.
    page.evaluate("window.__sameDocument = true")
    search = page.get_by_label("Rechercher par mots")
    search.press_sequentially("génopol", delay=30)
    expect(result_names(page)).to_have_text(["Genopole"])
    expect(page).to_have_url(re.compile(r"/clusters/\?q=g%C3%A9nopol$"))
    expect(page.locator("#result-count")).to_have_text("1 cluster trouvé")
    assert page.evaluate("window.__sameDocument") is True
    expect(search).to_be_focused()
    assert page.csp_violations == []


def test_ticking_a_filter_updates_results_facets_and_url(page, live_server, clusters):
    page.goto(live_server.url + "/clusters/")
    page.evaluate("window.__sameDocument = true")
    checkbox = page.get_by_label(re.compile(r"^Santé"))
    checkbox.check()
    expect(result_names(page)).to_have_text(["Eurobiomed", "Genopole"])
    expect(page).to_have_url(re.compile(r"/clusters/\?(.*&)?secteur=sante"))
    expect(page.get_by_role("link", name=re.compile("Secteur : Santé"))).to_be_visible()
    # Facet counts follow the other filters; focus comes back to the ticked box after the swap.
    expect(page.locator('label[for="region-centre-val-de-loire"], #id_region option[value="centre-val-de-loire"]')).to_have_text(
        re.compile(r"Centre-Val de Loire \(1 cluster\)")
    )
    expect(page.locator("#secteur-sante")).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True
    # Back to the full list with the browser's back button.
    page.go_back()
    expect(result_names(page)).to_have_count(3)
    assert page.csp_violations == []


def test_the_form_works_without_javascript(browser, live_server, clusters):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/clusters/")
    page.get_by_label("Rechercher par mots").fill("parfumerie")
    page.get_by_role("button", name="Afficher les résultats").click()
    expect(page).to_have_url(re.compile(r"q=parfumerie"))
    expect(page.locator(".result-card__name")).to_have_text(["Cosmetic Valley"])
    context.close()
