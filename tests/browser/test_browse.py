"""Browsing in Chromium: home → region → sector → cluster → member and back, each page in both languages."""

import re

import pytest
from playwright.sync_api import expect

from tests import browse_data


@pytest.fixture
def world(transactional_db):
    return browse_data.build()


def switch_language(page, to):
    """Follows the language switcher and checks the page came back in that language."""
    names = {"en": "English", "fr": "Français"}
    page.locator(".language-switcher").get_by_role("link", name=names[to]).click()
    expect(page.locator("html")).to_have_attribute("lang", to)


def test_browse_from_home_to_region_sector_cluster_member_and_back(page, live_server, world):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des clusters français")

    # Home → region.
    page.locator(".count-list").first.get_by_role("link", name="Centre-Val de Loire").click()
    expect(page).to_have_url(live_server.url + "/regions/centre-val-de-loire/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre-Val de Loire : les clusters de la région")
    # Its map shows a marker group for the located clusters (two at the same place: one cluster icon).
    expect(page.locator("#region-map")).to_have_attribute("data-loaded", "2")
    expect(page.locator("#region-map .leaflet-marker-icon").first).to_be_visible()
    switch_language(page, "en")
    expect(page).to_have_url(live_server.url + "/en/regions/centre-val-de-loire/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre-Val de Loire: the region’s clusters")
    switch_language(page, "fr")

    # Region → sector (through the sector list in the header).
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Secteurs").click()
    page.get_by_role("link", name="Agroalimentaire").click()
    expect(page).to_have_url(live_server.url + "/secteurs/agroalimentaire/")
    expect(page.get_by_role("heading", level=3)).to_have_text(["Centre-Val de Loire", "Île-de-France"])
    switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Food: the sector’s clusters")
    switch_language(page, "fr")

    # Sector → cluster.
    page.get_by_role("link", name="Cluster publié 000").click()
    expect(page).to_have_url(live_server.url + "/clusters/cluster-publie-000/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cluster publié 000")
    switch_language(page, "en")
    expect(page).to_have_url(live_server.url + "/en/clusters/cluster-publie-000/")
    switch_language(page, "fr")

    # Cluster → member, found by the member search.
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Membres").click()
    page.get_by_label("Nom ou SIREN").fill("martin 000")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/membres/\?q=martin\+000$"))
    page.get_by_role("link", name="Laboratoires Martin 000").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Laboratoires Martin 000")
    expect(page.get_by_role("heading", name="Membre de 2 clusters")).to_be_visible()
    switch_language(page, "en")
    expect(page.get_by_role("heading", name="Member of 2 clusters")).to_be_visible()
    switch_language(page, "fr")

    # Member → its cluster, then back through history to the member and the home page.
    page.get_by_role("link", name="Cluster publié 001").click()
    expect(page).to_have_url(live_server.url + "/clusters/cluster-publie-001/")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Laboratoires Martin 000")
    page.get_by_role("link", name="Annuaire des clusters français").first.click()
    expect(page).to_have_url(live_server.url + "/")
    assert page.csp_violations == []


@pytest.mark.parametrize(
    "path, french, english",
    [
        ("/programmes/cosmeu/", "COSMEU — Euroclusters cosmétiques", "COSMEU — Euroclusters cosmétiques"),
        ("/a-propos/", "À propos de l’annuaire", "About the directory"),
        ("/accessibilite/", "Déclaration d’accessibilité", "Accessibility statement"),
        ("/regions/", "Les clusters par région", "Clusters by region"),
    ],
)
def test_other_pages_switch_language_without_csp_violations(page, live_server, world, path, french, english):
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text(french)
    switch_language(page, "en")
    expect(page).to_have_url(live_server.url + "/en" + path)
    expect(page.get_by_role("heading", level=1)).to_have_text(english)
    assert page.csp_violations == []


def test_home_search_box_leads_to_the_cluster_list(page, live_server, world):
    page.goto(live_server.url + "/en/")
    page.get_by_label("Search for a cluster").fill("francilien")
    page.get_by_label("Search for a cluster").press("Enter")
    expect(page).to_have_url(re.compile(r"/en/clusters/\?q=francilien$"))
    expect(page.locator(".result-card__name")).to_have_text(["Cluster francilien"])
    assert page.csp_violations == []


def test_the_mini_map_links_to_the_map(page, live_server, world):
    page.goto(live_server.url + "/")
    expect(page.locator(".mini-map__dot")).to_have_count(1)
    page.get_by_role("link", name=re.compile("Ouvrir la carte des clusters")).click()
    expect(page).to_have_url(live_server.url + "/carte/")
    assert page.csp_violations == []
