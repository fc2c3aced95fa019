"""The markup of the public maps (directory/templatetags/map_tags.py, static/js/leaflet-map.js).

Every public map is built by our static script from data attributes: no inline script and no
CSP nonce, so a page with a map is cached and compressed like any other. The page's scripts are
deferred and Leaflet's are only loaded by leaflet-map.js when the map comes into view, so only
CSS blocks the first paint.
"""

import re
from html import unescape

import pytest
from django.template import engines
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
DATA_TYPES = ("application/json", "application/ld+json")


@pytest.fixture
def located(eure_et_loir):
    return factories.ClusterFactory(
        name="Cosmetic Valley", slug="cosmetic-valley", hq_city="Chartres", department=eure_et_loir, latitude=48.44, longitude=1.49
    )


def map_pages(cluster):
    return ["/carte/", f"/regions/{cluster.region.slug}/", f"/clusters/{cluster.slug}/"]


def inline_scripts(html):
    """The attributes of every script the browser would run from the page itself."""
    return [attrs for attrs in SCRIPT_TAG.findall(html) if "src=" not in attrs and not any(t in attrs for t in DATA_TYPES)]


def test_map_pages_run_no_inline_script_and_defer_every_script(client, located):
    for url in map_pages(located):
        response = client.get(url)
        html = response.content.decode()
        assert 'data-tiles-url="/tiles-for-tests/{z}/{x}/{y}.png"' in html, url
        assert re.search(r'data-scripts="/static/leaflet/leaflet\.js[ "]', html), url
        assert '<script src="/static/js/leaflet-map.js" defer></script>' in html, url
        assert inline_scripts(html) == [], url
        scripts = [attrs for attrs in SCRIPT_TAG.findall(html) if "src=" in attrs]
        assert scripts and all(re.search(r"\sdefer\b", attrs) for attrs in scripts), (url, scripts)
        # django-leaflet's extras (its inline map script's helpers, its i18n data) are gone.
        assert "leaflet.extras" not in html and "force-img-path" not in html, url


def test_the_big_map_and_the_region_map_need_no_nonce(client, located):
    for url in map_pages(located)[:2]:
        response = client.get(url)
        assert "nonce" not in response.content.decode(), url
        assert "nonce-" not in response["Content-Security-Policy"], url


def test_markercluster_only_where_markers_are_grouped(client, located):
    clustering = "/static/vendor/leaflet.markercluster/leaflet.markercluster.js /static/js/cluster-markers.js"
    for url in map_pages(located)[:2]:
        html = client.get(url).content.decode()
        assert f'data-scripts="/static/leaflet/leaflet.js {clustering}"' in html, url
        assert "vendor/leaflet.markercluster/MarkerCluster.Default.css" in html, url
    html = client.get(map_pages(located)[2]).content.decode()
    assert 'data-scripts="/static/leaflet/leaflet.js"' in html
    assert "markercluster" not in html.lower()


def test_pages_without_a_map_load_no_leaflet(client, located):
    for url in ["/", "/clusters/", "/a-propos/"]:
        assert "leaflet" not in client.get(url).content.decode(), url


def test_map_attributes_come_from_the_settings_escaped_and_localised(settings):
    settings.LEAFLET_CONFIG = {
        **settings.LEAFLET_CONFIG,
        "TILES": [("Plan", "https://tiles.example/{z}/{x}/{y}.png?a=1&b=2", {"attribution": '&copy; <a href="https://osm.example">OSM</a>'})],
        "DEFAULT_CENTER": (45.0, 3.5),
        "MIN_ZOOM": 3,
    }
    template = engines["django"].from_string("{% load map_tags %}<div {% map_attributes %}></div>")
    attributes = dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', template.render({})))
    assert {name: unescape(value) for name, value in attributes.items()} == {
        "data-scripts": "/static/leaflet/leaflet.js",
        "data-tiles-url": "https://tiles.example/{z}/{x}/{y}.png?a=1&b=2",
        "data-tiles-attribution": '&copy; <a href="https://osm.example">OSM</a>',
        "data-attribution-prefix": "Leaflet",
        "data-center": "[45.0, 3.5]",
        "data-zoom": "5",
        "data-min-zoom": "3",
        "data-max-zoom": "18",
        "data-image-path": "/static/leaflet/images/",
        "data-zoom-in": "Zoom avant",
        "data-zoom-out": "Zoom arrière",
    }
    with translation.override("en"):
        assert 'data-zoom-in="Zoom in"' in template.render({})
    clustering = engines["django"].from_string("{% load map_tags %}{% map_attributes clusters=True %}").render({})
    assert "leaflet.js /static/vendor/leaflet.markercluster/leaflet.markercluster.js /static/js/cluster-markers.js" in clustering
