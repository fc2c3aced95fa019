"""The map in Chromium: markers from the GeoJSON, clustering, popups, zones, no CSP violation."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories


@pytest.fixture
def clusters(transactional_db):
    factories.ClusterFactory(name="Cosmetic Valley", hq_city="Chartres", latitude=48.44, longitude=1.49)
    factories.ClusterFactory(name="Polepharma", hq_city="Dreux", latitude=48.73, longitude=1.37)
    factories.ClusterFactory(name="Qualitropic", hq_city="Saint-Pierre", latitude=-21.34, longitude=55.48)
    factories.ClusterFactory(name="Sans position <script>", hq_city="Paris")


def test_markers_clusters_popup_and_zones(page, live_server, clusters):
    page.goto(live_server.url + "/carte/")
    expect(page.locator("#carte")).to_have_attribute("data-loaded", "3")
    expect(page.get_by_text("3 clusters sur la carte.")).to_be_visible()
    expect(page.get_by_role("link", name="1 cluster n’a pas de position : le voir dans la liste.")).to_be_visible()
    # Chartres and Dreux are grouped at the national zoom: a marker-cluster icon shows 2.
    expect(page.locator(".marker-cluster", has_text="2")).to_be_visible()
    page.locator(".marker-cluster", has_text="2").click()
    marker = page.get_by_role("button", name="Polepharma")
    expect(marker).to_be_visible()
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.get_by_role("link", name="Polepharma")).to_have_attribute("href", "/clusters/polepharma/")
    expect(popup).to_contain_text("Dreux")
    page.get_by_role("button", name="La Réunion").click()
    expect(page.get_by_role("button", name="Qualitropic")).to_be_in_viewport()
    assert page.csp_violations == []


def test_filters_reach_the_map_data(page, live_server, clusters):
    page.goto(live_server.url + "/carte/?q=qualitropic")
    expect(page.locator("#carte")).to_have_attribute("data-loaded", "1")
    expect(page.get_by_role("button", name="Qualitropic")).to_be_attached()
    expect(page.get_by_role("link", name=re.compile("sous forme de liste"))).to_have_attribute("href", "/clusters/?q=qualitropic")
    assert page.csp_violations == []


def test_a_failed_data_request_says_so_and_points_to_the_list(page, live_server, clusters):
    page.route("**/carte/clusters.geojson*", lambda route: route.fulfill(status=503, body="indisponible"))
    page.goto(live_server.url + "/carte/")
    expect(page.locator("#carte")).to_have_attribute("data-loaded", "error")
    expect(page.get_by_role("alert")).to_have_text("Les positions n’ont pas pu être chargées. La liste des clusters reste disponible.")
    expect(page.get_by_role("link", name=re.compile("sous forme de liste"))).to_be_visible()


def test_on_a_phone_leaflet_waits_until_the_map_is_scrolled_to(page, live_server, clusters):
    """Below the filters on a phone, the map costs nothing until the visitor scrolls to it."""
    page.set_viewport_size({"width": 412, "height": 823})
    scripts = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    page.goto(live_server.url + "/carte/")
    page.wait_for_load_state("networkidle")
    assert [url for url in scripts if "leaflet" in url] == [live_server.url + "/static/js/leaflet-map.js"]
    assert page.locator("#carte").get_attribute("data-loaded") is None
    page.locator("#carte").scroll_into_view_if_needed()
    expect(page.locator("#carte")).to_have_attribute("data-loaded", "3")
    expect(page.locator(".marker-cluster", has_text="2")).to_be_visible()
    assert live_server.url + "/static/leaflet/leaflet.js" in scripts
    assert page.csp_violations == []
