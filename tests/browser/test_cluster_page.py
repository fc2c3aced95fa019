"""The cluster page in real Chromium: the map marker, languages, drafts, archives, old addresses."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from directory.models import Cluster
from tests import showcase

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rich(db):
    return showcase.build()


def test_the_page_shows_its_map_marker_with_no_csp_violation(page, live_server, rich):
    page.goto(live_server.url + f"/clusters/{showcase.RICH}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cosmetic Valley")
    marker = page.locator("#cluster-map .leaflet-marker-icon")
    expect(marker).to_be_visible()
    expect(marker).to_have_attribute("alt", "Cosmetic Valley")
    expect(page.get_by_text("Position approximative : centre de la commune.")).to_be_visible()
    expect(page.get_by_role("button", name="Zoom avant")).to_be_visible()
    assert page.csp_violations == []


def test_opening_a_cluster_from_the_home_page(page, live_server, rich):
    page.goto(live_server.url + "/")
    page.get_by_role("main").get_by_role("link", name="Cosmetic Valley", exact=True).first.click()
    expect(page).to_have_url(live_server.url + f"/clusters/{showcase.RICH}/")
    expect(page.locator("#cluster-map .leaflet-marker-icon")).to_be_visible()


def test_opening_a_cluster_from_the_list_of_related_clusters(page, live_server, rich):
    page.goto(live_server.url + "/clusters/medicen-paris-region/")
    page.get_by_role("link", name="Cosmetic Valley").click()
    expect(page).to_have_url(live_server.url + f"/clusters/{showcase.RICH}/")
    expect(page.locator("#cluster-map .leaflet-marker-icon")).to_be_visible()


def test_switching_language_keeps_the_page_and_falls_back_to_french_content(page, live_server, rich):
    page.goto(live_server.url + f"/clusters/{showcase.RICH}/?membres=2")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + f"/en/clusters/{showcase.RICH}/?membres=2")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Members listed in the directory")).to_be_visible()
    expect(page.get_by_text("The competitiveness cluster of perfume and cosmetics.")).to_be_visible()
    # No English description: the French one, marked as French.
    description = page.locator(".cluster__description")
    expect(description).to_have_attribute("lang", "fr")
    expect(description).to_contain_text("Fondé à Chartres en 1994.")
    expect(page.get_by_text("This presentation is only available in French.")).to_be_visible()
    expect(page.get_by_role("button", name="Zoom in")).to_be_visible()
    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(live_server.url + f"/clusters/{showcase.RICH}/?membres=2")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_member_pages_follow_each_other(page, live_server, rich):
    page.goto(live_server.url + f"/clusters/{showcase.RICH}/")
    members = page.locator("#membres")
    expect(members.get_by_role("row")).to_have_count(26)
    members.get_by_role("link", name="Membres suivants").click()
    expect(page).to_have_url(live_server.url + f"/clusters/{showcase.RICH}/?membres=2#membres")
    expect(members.get_by_role("row")).to_have_count(6)
    expect(members).to_contain_text("et 2 membres non nommés")


def test_a_draft_is_a_404_for_visitors(page, live_server, rich):
    response = page.goto(live_server.url + f"/clusters/{showcase.DRAFT}/")
    assert response.status == 404


def test_a_draft_is_a_marked_preview_for_staff(page, live_server, rich, django_user_model):
    staff = django_user_model.objects.create_user(username="camille", password="x" * 20, is_staff=True)
    client = Client()
    client.force_login(staff)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    response = page.goto(live_server.url + f"/clusters/{showcase.DRAFT}/")
    assert response.status == 200
    expect(page.get_by_role("status")).to_contain_text("Aperçu d’un brouillon")


def test_an_archived_cluster_is_marked_and_links_to_its_successor(page, live_server, rich):
    page.goto(live_server.url + f"/clusters/{showcase.ARCHIVED}/")
    notice = page.get_by_role("status")
    expect(notice).to_contain_text("Cluster archivé.")
    notice.get_by_role("link", name="Cosmetic Valley").click()
    expect(page).to_have_url(live_server.url + f"/clusters/{showcase.RICH}/")


def test_an_old_address_leads_to_the_renamed_cluster(page, live_server, rich):
    rich.slug = "cosmetic-valley-france"
    rich.save()
    assert Cluster.objects.get(pk=rich.pk).former_slugs.get().slug == showcase.RICH
    response = page.goto(live_server.url + f"/en/clusters/{showcase.RICH}/")
    assert response.status == 200
    assert response.request.redirected_from.url == live_server.url + f"/en/clusters/{showcase.RICH}/"
    expect(page).to_have_url(live_server.url + "/en/clusters/cosmetic-valley-france/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cosmetic Valley")
