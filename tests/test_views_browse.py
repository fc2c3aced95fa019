"""Browsing by region, sector and programme (directory/views/browse.py): counts, lists, maps, query counts."""


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import browse_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return browse_data.build()


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def assert_no_hidden_cluster(html):
    assert "Brouillon secret" not in html
    assert "Ancien cluster archivé" not in html
    assert "brouillon-secret" not in html
    assert "ancien-cluster-archive" not in html


# --- Regions. ---


def test_region_list_counts_published_clusters_headquartered_or_covering(client, world):
    response = client.get("/regions/")
    counts = {region.slug: region.count for region in response.context["regions"]}
    # 3 headquartered in Centre-Val de Loire + the Île-de-France cluster covering it; not the draft or archive.
    assert counts["centre-val-de-loire"] == 4
    assert counts["ile-de-france"] == 1
    assert not counts["corse"]
    html = response.content.decode()
    assert '<a href="/regions/centre-val-de-loire/">Centre-Val de Loire</a>' in html
    assert "(4 clusters)" in html


def test_region_list_sorts_names_ignoring_accents(client, world):
    names = [region.name for region in client.get("/regions/").context["regions"]]
    assert names == ["Centre-Val de Loire", "Corse", "Île-de-France"]


def test_region_page_lists_its_clusters_with_counts_by_sector_and_kind(client, world):
    response = client.get("/regions/centre-val-de-loire/")
    html = response.content.decode()
    assert "4 clusters publiés ont leur siège dans la région ou la couvrent." in html
    for name in ["Cluster publié 000", "Cluster publié 001", "Cluster publié 002", "Cluster francilien"]:
        assert name in html
    assert_no_hidden_cluster(html)
    sectors = {sector.slug: sector.count for sector in response.context["sectors"]}
    assert sectors == {"cosmetique": 3, "agroalimentaire": 3}
    kinds = {kind["value"]: kind["count"] for kind in response.context["kinds"]}
    assert kinds == {"pole-de-competitivite": 1, "grappe-d-entreprises": 3}
    assert "/clusters/?region=centre-val-de-loire&amp;secteur=cosmetique" in html


def test_region_page_lists_escape_names(client, world):
    from tests import factories

    sector = factories.SectorFactory(name="Chimie <b>&</b> co", name_en="Chemistry", slug="chimie")
    factories.ClusterFactory(region=world["centre"], sectors=[sector])
    html = html_of(client, "/regions/centre-val-de-loire/")
    assert (
        '<a href="/clusters/?region=centre-val-de-loire&amp;secteur=chimie">Chimie &lt;b&gt;&amp;&lt;/b&gt; co</a>'
        ' <span class="count-list__count">(1)</span>' in html
    )
    assert '<a href="/clusters/?region=centre-val-de-loire&amp;type=grappe-d-entreprises">Grappe d’entreprises</a>' in html
    assert "<b>" not in html


def test_region_map_loads_its_markers_from_the_shared_geojson(client, world):
    html = html_of(client, "/regions/centre-val-de-loire/")
    assert 'data-geojson-url="/carte/clusters.geojson?region=centre-val-de-loire"' in html
    assert "js/region-map.js" in html
    assert " nonce=" not in html  # an attribute, not the word in some fake summary (« prononcer »)
    # The same FilterSet as the list: the region's located, published clusters, those covering it too.
    data = client.get("/carte/clusters.geojson?region=centre-val-de-loire").json()
    assert sorted(feature["properties"]["name"] for feature in data["features"]) == [
        "Cluster publié 000",
        "Cluster publié 002",
    ]
    assert data["count"] == 4


def test_a_region_without_located_clusters_has_no_map(client, world):
    html = html_of(client, "/regions/corse/")
    assert "region-map" not in html
    assert "Aucun cluster publié pour l’instant." in html
    assert_no_hidden_cluster(html)


def test_region_pages_paginate_and_never_fail_on_bad_page_numbers(client, world, monkeypatch):
    monkeypatch.setattr("directory.views.browse.CLUSTERS_PER_PAGE", 2)
    assert client.get("/regions/centre-val-de-loire/").context["page"].paginator.num_pages == 2
    for raw, expected in [("abc", 1), ("99999", 2), ("-1", 2), ("0", 2), ("2\x00", 1)]:
        response = client.get("/regions/centre-val-de-loire/", {"page": raw})
        assert response.status_code == 200
        assert response.context["page"].number == expected


def test_region_page_cards_come_in_name_order_with_their_region_and_sectors(client, world, monkeypatch):
    monkeypatch.setattr("directory.views.browse.CLUSTERS_PER_PAGE", 3)
    response = client.get("/regions/centre-val-de-loire/", {"page": "2"})
    # Page 1: « Cluster francilien », « Cluster publié 000 », « … 001 ».
    assert [cluster.name for cluster in response.context["page"]] == ["Cluster publié 002"]
    html = response.content.decode()
    assert '<ol class="result-list" start="4">' in html
    assert "Chartres · Centre-Val de Loire" in html
    assert '<ul class="result-card__sectors" aria-label="Secteurs"><li>Agroalimentaire</li><li>Cosmétique</li></ul>' in html
    # The covering cluster's card names its own headquarters region; sectors by French name in English too.
    html = html_of(client, "/en/regions/centre-val-de-loire/")
    assert "Île-de-France" in html
    assert '<ul class="result-card__sectors" aria-label="Sectors"><li>Food</li><li>Cosmetics</li></ul>' in html


def test_a_cluster_covering_its_own_region_is_listed_and_counted_once(client, world):
    world["covering"].regions_covered.add(world["idf"])
    response = client.get("/regions/ile-de-france/")
    assert [cluster.name for cluster in response.context["page"]] == ["Cluster francilien"]
    assert "1 cluster publié a son siège dans la région ou la couvre." in response.content.decode()
    assert {sector.slug: sector.count for sector in response.context["sectors"]} == {"agroalimentaire": 1}
    counts = {region.slug: region.count for region in client.get("/regions/").context["regions"]}
    assert counts["ile-de-france"] == 1 and counts["centre-val-de-loire"] == 4


def test_unknown_region_is_a_404(client, world):
    html_of(client, "/regions/atlantide/", status=404)


# --- Sectors. ---


def test_sector_list_counts_published_clusters_only(client, world):
    counts = {sector.slug: sector.count for sector in client.get("/secteurs/").context["sectors"]}
    assert counts == {"agroalimentaire": 3, "cosmetique": 3, "energie": 0}


def test_sector_list_in_english_uses_english_names(client, world):
    html = html_of(client, "/en/secteurs/")
    assert '<a href="/en/secteurs/cosmetique/">Cosmetics</a>' in html
    assert "(3 clusters)" in html


def test_sector_page_groups_its_clusters_by_region(client, world):
    response = client.get("/secteurs/agroalimentaire/")
    groups = [
        (group["region"].name, [cluster.name for cluster in group["clusters"]]) for group in response.context["by_region"]
    ]
    assert groups == [
        ("Centre-Val de Loire", ["Cluster publié 000", "Cluster publié 002"]),
        ("Île-de-France", ["Cluster francilien"]),
    ]
    html = response.content.decode()
    assert '<h3><a href="/regions/ile-de-france/">Île-de-France</a></h3>' in html
    assert_no_hidden_cluster(html)


def response_count(client, url):
    return client.get(url).context["page"].paginator.count


def test_a_sector_of_hidden_clusters_only_is_empty(client, world):
    html = html_of(client, "/secteurs/energie/")
    assert response_count(client, "/secteurs/energie/") == 0
    assert_no_hidden_cluster(html)


def test_clusters_without_region_come_last_under_their_own_heading(client, world):
    from tests import factories

    factories.ClusterFactory(name="AAA sans région", slug="aaa-sans-region", sectors=[world["food"]])
    groups = client.get("/secteurs/agroalimentaire/").context["by_region"]
    assert groups[-1]["region"] is None
    assert [cluster.name for cluster in groups[-1]["clusters"]] == ["AAA sans région"]
    assert "Région du siège non renseignée" in html_of(client, "/secteurs/agroalimentaire/")


def test_unknown_sector_is_a_404(client, world):
    html_of(client, "/secteurs/inconnu/", status=404)


# --- Programmes. ---


def test_programme_list_groups_by_framework_and_counts_published_participants(client, world):
    response = client.get("/programmes/")
    frameworks = response.context["frameworks"]
    assert [framework["label"] for framework in frameworks] == ["Horizon Europe"]
    programme = frameworks[0]["programmes"][0]
    assert programme.count == 4 - 1  # the three Centre-Val de Loire clusters; not the draft or the archive
    assert "3 clusters français" in response.content.decode()


def test_programme_page_shows_dates_countries_and_published_participants_with_roles(client, world):
    html = html_of(client, "/programmes/cosmeu/")
    assert "De 2023 à 2027" in html
    assert "<li>Allemagne</li><li>Italie</li>" in html
    assert "Cluster publié 000" in html and "Coordinateur" in html and "Partenaire" in html
    assert_no_hidden_cluster(html)


def test_programme_page_in_english_has_english_country_names_and_roles(client, world):
    html = html_of(client, "/en/programmes/cosmeu/")
    assert "<li>Germany</li><li>Italy</li>" in html
    assert "Coordinator" in html
    assert "From 2023 to 2027" in html


def test_programme_sources_only_link_web_addresses(client, world):
    programme = world["programme"]
    programme.source_urls = "https://ec.europa.eu/cosmeu\njavascript:alert(1)\n"
    programme.save()
    html = html_of(client, "/programmes/cosmeu/")
    assert 'href="https://ec.europa.eu/cosmeu"' in html
    assert "javascript:" not in html


def test_unknown_programme_is_a_404(client, world):
    html_of(client, "/programmes/inconnu/", status=404)


# --- Queries per page do not grow with the data. ---

PAGES_AND_MAXIMA = [
    ("/regions/", 2),
    ("/regions/centre-val-de-loire/", 2),
    ("/secteurs/", 1),
    ("/secteurs/cosmetique/", 3),
    ("/programmes/", 1),
    ("/programmes/cosmeu/", 2),
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url, maximum", PAGES_AND_MAXIMA, ids=[url for url, _ in PAGES_AND_MAXIMA])
def test_queries_per_page_are_bounded_and_do_not_grow_with_the_data(
    client, db, url, maximum, django_assert_max_num_queries
):
    browse_data.build(size=1)
    with django_assert_max_num_queries(maximum):
        small = count_queries(client, url)
    from tests import factories
    from directory.models import Region, Sector

    centre = Region.objects.get(slug="centre-val-de-loire")
    cosmetics = Sector.objects.get(slug="cosmetique")
    for n in range(15):
        cluster = factories.ClusterFactory(
            name=f"Cluster ajouté {n}", region=centre, sectors=[cosmetics], latitude="47.9", longitude="1.9"
        )
        factories.ParticipationFactory(programme=factories.ProgrammeFactory(), cluster=cluster)
    assert count_queries(client, url) == small
