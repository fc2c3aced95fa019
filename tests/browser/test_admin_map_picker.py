"""The map picker of the cluster form (static/js/admin-map-picker.js), in a real Chromium."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from directory.geo import is_in_france
from directory.models import Cluster, PositionPrecision

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def logged_in_page(page, live_server, django_user_model):
    """`page`, logged in through the login form as a staff member who is not a superuser."""
    # The live server's database is flushed between transactional tests: the migration's group may be gone.
    group, _created = Group.objects.get_or_create(name="Équipe France Clusters")
    group.permissions.set(Permission.objects.filter(content_type__app_label="directory"))
    user = django_user_model.objects.create_user(username="camille", password=PASSWORD, is_staff=True)
    user.groups.add(group)
    page.goto(live_server.url + "/admin/login/?next=/admin/directory/cluster/add/")
    page.fill("#id_username", "camille")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/directory/cluster/add/$"))
    return page


def marker_latlng(page):
    return page.evaluate(
        "() => { const p = document.querySelector('[data-map-picker]').mapPicker.getMarkerLatLng();"
        " return p && [p.lat, p.lng]; }"
    )


def test_clicking_the_map_fills_the_fields_and_typing_moves_the_marker(logged_in_page):
    page = logged_in_page
    the_map = page.locator("[data-map-picker]")
    expect(the_map.locator(".leaflet-tile-pane")).to_be_attached()
    the_map.scroll_into_view_if_needed()
    assert marker_latlng(page) is None

    # Click a little north-west of the centre of France.
    box = the_map.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 - 25, box["y"] + box["height"] / 2 - 15)
    expect(page.locator("#id_latitude")).not_to_have_value("")
    latitude = page.input_value("#id_latitude")
    longitude = page.input_value("#id_longitude")
    assert re.fullmatch(r"-?\d+\.\d{5}", latitude) and re.fullmatch(r"-?\d+\.\d{5}", longitude)
    assert is_in_france(latitude, longitude)
    assert page.input_value("#id_position_precision") == PositionPrecision.EXACT
    assert marker_latlng(page) == pytest.approx([float(latitude), float(longitude)], abs=1e-5)

    marker = page.locator(".leaflet-marker-icon")
    expect(marker).to_have_count(1)
    transform_before = marker.evaluate("element => element.style.transform")

    # Typing coordinates (Marseille) moves the marker.
    page.fill("#id_latitude", "43.29650")
    page.fill("#id_longitude", "5.36978")
    assert marker_latlng(page) == pytest.approx([43.2965, 5.36978], abs=1e-5)
    assert marker.evaluate("element => element.style.transform") != transform_before

    # Dragging the marker moves the fields along.
    marker_box = marker.bounding_box()
    start_x = marker_box["x"] + marker_box["width"] / 2
    start_y = marker_box["y"] + marker_box["height"] - 4
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    page.mouse.move(start_x - 20, start_y - 30, steps=8)
    page.mouse.up()
    expect(page.locator("#id_latitude")).not_to_have_value("43.29650")
    dragged = [float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))]
    assert dragged[0] > 43.2965 and dragged[1] < 5.36978
    assert marker_latlng(page) == pytest.approx(dragged, abs=1e-5)

    assert page.csp_violations == []


def test_a_cluster_placed_on_the_map_is_saved_with_its_position(logged_in_page):
    page = logged_in_page
    page.locator("#id_name").press_sequentially("Pôle placé sur la carte")
    # The admin's prepopulate script (no inline code, so it runs under the CSP) fills the slug.
    expect(page.locator("#id_slug")).to_have_value("pole-place-sur-la-carte")
    page.select_option("#id_kind", "grappe-d-entreprises")
    the_map = page.locator("[data-map-picker]")
    the_map.scroll_into_view_if_needed()
    box = the_map.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#id_latitude")).not_to_have_value("")
    latitude, longitude = page.input_value("#id_latitude"), page.input_value("#id_longitude")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    cluster = Cluster.objects.get(slug="pole-place-sur-la-carte")
    assert (str(cluster.latitude), str(cluster.longitude)) == (latitude, longitude)
    assert cluster.position_precision == PositionPrecision.EXACT
    assert page.csp_violations == []


def test_an_existing_position_shows_its_marker_and_the_jump_buttons_move_the_map(logged_in_page, live_server):
    page = logged_in_page
    from tests import factories

    cluster = factories.ClusterFactory(latitude="-21.11500", longitude="55.53600")
    page.goto(f"{live_server.url}/admin/directory/cluster/{cluster.pk}/change/")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    assert marker_latlng(page) == pytest.approx([-21.115, 55.536], abs=1e-5)
    page.get_by_role("button", name="Guadeloupe").click()
    center = page.evaluate(
        "() => { const c = document.querySelector('[data-map-picker]').mapPicker.map.getCenter(); return [c.lat, c.lng]; }"
    )
    assert is_in_france(*center) and 15.8 < center[0] < 16.6
    assert page.csp_violations == []
