"""The /carte/ page and its GeoJSON: the same FilterSet as the list, counts, overseas buttons."""

import re

import pytest
from django.http import QueryDict

from directory.filters import ClusterFilterSet
from directory.models import ClusterKind, Status
from tests import factories

pytestmark = pytest.mark.django_db
GEOJSON = "/carte/clusters.geojson"


@pytest.fixture
def clusters(eure_et_loir):
    reunion = factories.RegionFactory(insee_code="04", name="La Réunion", slug="la-reunion")
    sante = factories.SectorFactory(name="Santé", slug="sante")
    factories.ClusterFactory(name="Cosmetic Valley", hq_city="Chartres", department=eure_et_loir, latitude=48.44, longitude=1.49)
    factories.ClusterFactory(name="Qualitropic", kind=ClusterKind.POLE, hq_city="Saint-Pierre", region=reunion, sectors=[sante], latitude=-21.34, longitude=55.48)
    factories.ClusterFactory(name="Sans adresse", region=eure_et_loir.region, sectors=[sante])
    factories.ClusterFactory(name="Archivé <b>", status=Status.ARCHIVED, latitude=48.0, longitude=2.0)
    factories.ClusterFactory(name="Brouillon", status=Status.DRAFT, latitude=48.1, longitude=2.1)


def list_names(query):
    return {cluster.name for cluster in ClusterFilterSet(QueryDict(query)).qs}


@pytest.mark.parametrize("query", ["", "secteur=sante", "region=centre-val-de-loire", "q=qualitropic", "type=spl", "q=chartres&secteur=sante"])
def test_geojson_holds_exactly_the_lists_clusters_that_have_a_position(client, clusters, query):
    data = client.get(f"{GEOJSON}?{query}").json()
    names = {feature["properties"]["name"] for feature in data["features"]}
    expected = list_names(query)
    assert names == {name for name in expected if name != "Sans adresse"}
    assert data["count"] == len(expected)
    assert data["located"] == len(names)
    assert data["missing_position"] == (1 if "Sans adresse" in expected else 0)


def test_geojson_feature_shape(client, clusters):
    response = client.get(GEOJSON, {"q": "qualitropic"})
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert data["features"] == [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [55.48, -21.34]},
            "properties": {"name": "Qualitropic", "kind": "Pôle de compétitivité", "city": "Saint-Pierre", "url": "/clusters/qualitropic/"},
        }
    ]
    english = client.get("/en" + GEOJSON, {"q": "qualitropic"}).json()
    assert english["features"][0]["properties"]["url"] == "/en/clusters/qualitropic/"


def test_geojson_never_fails_on_bad_input(client, clusters):
    for query in ["page=abc", "q=%00", "q=%FF", "region=x&region=y", "secteur=zz", "q=" + "a" * 10_000, "tri=x"]:
        assert client.get(f"{GEOJSON}?{query}").status_code == 200


def test_map_page_counts_links_and_zone_buttons(client, clusters):
    html = client.get("/carte/").content.decode()
    assert "2 clusters sur la carte." in html
    assert '<a href="/clusters/?position=absente">1 cluster n’a pas de position : le voir dans la liste.</a>' in html
    assert 'href="/clusters/">La même sélection sous forme de liste' in html
    buttons = re.findall(r'data-zone-bounds="[^"]+">([^<]+)</button>', html)
    assert buttons == ["France métropolitaine et Corse", "La Réunion"]
    assert 'data-geojson-url="/carte/clusters.geojson"' in html


def test_map_page_with_filters_passes_them_on(client, clusters):
    html = client.get("/carte/", {"secteur": "sante"}).content.decode()
    assert 'data-geojson-url="/carte/clusters.geojson?secteur=sante"' in html
    assert 'href="/clusters/?secteur=sante&amp;position=absente"' in html
    assert "1 cluster sur la carte." in html
    # Only metropolitan France has no cluster in this selection: no zone buttons at all.
    html = client.get("/carte/", {"q": "chartres"}).content.decode()
    assert "data-zone-bounds" not in html


def test_map_page_loads_leaflet_markercluster_and_builds_its_map_from_data_attributes(client, clusters):
    html = client.get("/carte/").content.decode()
    assert "vendor/leaflet.markercluster/leaflet.markercluster.js" in html
    assert "vendor/leaflet.markercluster/MarkerCluster.Default.css" in html
    assert "js/cluster-map.js" in html
    # tests/test_map_markup.py: no inline script, no nonce.
    assert re.search(r'<div id="carte"[^>]* data-tiles-url="[^"]+"', html)


def test_map_data_query_count_does_not_grow_with_the_data(client, eure_et_loir, django_assert_max_num_queries):
    sectors = [factories.SectorFactory(name=f"Secteur {n}", slug=f"secteur-{n}") for n in range(3)]
    counted = []
    for start in (0, 30):
        for n in range(start, start + 30):
            factories.ClusterFactory(name=f"Cluster {n:03d}", department=eure_et_loir, sectors=sectors[: n % 3 + 1], latitude=48 + n / 100, longitude=1.5)
        for params in ({}, {"q": "cluster", "secteur": "secteur-2"}):
            with django_assert_max_num_queries(4) as captured:
                data = client.get(GEOJSON, params).json()
            assert data["located"] >= 10
            counted.append(len(captured))
        assert client.get(GEOJSON).json()["located"] == start + 30
    assert counted[0] == counted[2] and counted[1] == counted[3]
