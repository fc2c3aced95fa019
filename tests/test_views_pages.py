"""The home page, the information pages, the 404 and 500 pages, header and footer (directory/views/pages.py)."""

import pytest
from django.db import connection
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext

from django.db.models import F
from django.db.models.functions import Round

from directory.views.pages import _project, mini_map
from directory.models import Cluster
from tests import browse_data, factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return browse_data.build()


def test_home_has_a_search_box_that_sends_to_the_cluster_list(client, world):
    html = client.get("/").content.decode()
    assert '<form class="home-search" method="get" action="/clusters/" role="search">' in html
    assert '<input type="search" id="home-q" name="q"' in html


def test_home_figures_are_computed_from_published_clusters_only(client, world):
    response = client.get("/")
    figures = response.context["figures"]
    assert figures["total"] == 4
    # 3 × 10 + 5 declared members; the draft's 1,000 and the archive's 2,000 do not count.
    assert figures["members_total"] == 35
    assert figures["declaring"] == 4
    assert {kind["value"]: kind["count"] for kind in figures["kinds"]} == {
        "pole-de-competitivite": 1,
        "grappe-d-entreprises": 3,
    }
    # Centre-Val de Loire and Île-de-France; Corse only has the draft and the archive.
    assert response.context["regions_covered"] == 2
    html = response.content.decode()
    assert "Brouillon secret" not in html and "Ancien cluster archivé" not in html
    assert "Système productif local" not in html


def test_home_browses_by_region_and_sector_with_counts(client, world):
    response = client.get("/")
    html = response.content.decode()
    assert '<a href="/regions/centre-val-de-loire/">Centre-Val de Loire</a> <span class="count-list__count">(4)</span>' in html
    assert '<a href="/secteurs/cosmetique/">Cosmétique</a> <span class="count-list__count">(3)</span>' in html
    # A sector with hidden clusters only is not offered.
    assert "/secteurs/energie/" not in html


def test_home_of_an_empty_directory(client, db):
    factories.ClusterFactory(status="draft", declared_members=3)
    html = client.get("/").content.decode()
    assert '<li><span class="figures__value">0</span> cluster publié</li>' in html
    assert '<li><span class="figures__value">0</span> membres déclarés (par 0 cluster)</li>' in html
    assert '<li><span class="figures__value">0</span> région couverte</li>' in html
    assert "<li>Aucun cluster publié pour l’instant.</li>" in html


def test_home_figures_in_english(client, world):
    html = client.get("/en/").content.decode()
    assert '<li><span class="figures__value">4</span> published clusters</li>' in html
    assert '<li><span class="figures__value">35</span> declared members (by 4 clusters)</li>' in html
    assert '<li><span class="figures__value">2</span> regions covered</li>' in html
    assert '<span class="figures__value">3</span> <a href="/en/clusters/?type=grappe-d-entreprises">' in html


def test_home_lists_escape_names(client, world):
    sector = factories.SectorFactory(name="Chimie <b>&</b> co", name_en="Chemistry", slug="chimie")
    factories.ClusterFactory(region=world["idf"], sectors=[sector])
    world["idf"].name = "Île-de-<i>France</i>"
    world["idf"].save()
    html = client.get("/").content.decode()
    assert '<a href="/secteurs/chimie/">Chimie &lt;b&gt;&amp;&lt;/b&gt; co</a> <span class="count-list__count">(1)</span>' in html
    assert '<a href="/regions/ile-de-france/">Île-de-&lt;i&gt;France&lt;/i&gt;</a> <span class="count-list__count">(2)</span>' in html
    assert "<b>" not in html and "<i>" not in html


def test_home_lists_recently_updated_clusters_first(client, world):
    newest = world["published"][1]
    newest.summary = "Mis à jour."
    newest.save()
    recent = client.get("/").context["recent_clusters"]
    assert recent[0] == newest
    assert all(cluster.status == "published" for cluster in recent)


def test_home_mini_map_links_to_the_map_with_one_dot_per_located_place(client, world):
    html = client.get("/").content.decode()
    assert '<a class="mini-map" href="/carte/">' in html
    assert html.count('<circle class="mini-map__dot"') == 1  # two clusters at the same place in Chartres
    assert "<title id=\"mini-map-label\">" in html


def positions():
    return Cluster.objects.published().values_list("latitude", "longitude")


def test_mini_map_dots_are_bounded_by_rounding_positions(db):
    for n in range(5):
        factories.ClusterFactory(latitude=f"48.44{n}", longitude="1.49")
    factories.ClusterFactory(latitude="45.76", longitude="4.83")
    factories.ClusterFactory(latitude="-21.1", longitude="55.5")  # La Réunion is off this small map
    factories.ClusterFactory()  # no position
    drawing = mini_map(positions())
    assert len(drawing["dots"]) == 2
    x, y = drawing["dots"][0]
    assert 0 <= x <= drawing["width"] and 0 <= y <= drawing["height"]


def test_mini_map_cells_round_halves_away_from_zero_as_the_database_did(db):
    # Half-way positions (round() would take 96.5 to 96 and -2.5 to -2), near-halves, La Réunion off the map.
    places = [
        ("48.25000", "1.25000"), ("47.75000", "-1.25000"), ("46.24999", "-0.25000"), ("45.00001", "-0.75001"),
        ("41.30000", "-5.25000"), ("51.15000", "9.60000"), ("43.74999", "7.25001"), ("-21.10000", "55.50000"),
    ]
    for latitude, longitude in places:
        factories.ClusterFactory(latitude=latitude, longitude=longitude)
    # What the database's ROUND gives for the same positions, inside the same bounds.
    cells = (
        Cluster.objects.filter(latitude__range=(41.2, 51.2), longitude__range=(-5.3, 9.7))
        .annotate(cell_lat=Round(F("latitude") * 2) / 2, cell_lng=Round(F("longitude") * 2) / 2)
        .values_list("cell_lat", "cell_lng")
        .distinct()
    )
    expected = sorted(_project(float(latitude), float(longitude)) for latitude, longitude in cells)
    assert len(expected) == 7
    assert mini_map(positions())["dots"] == expected
    assert _project(48.5, 1.5) in expected and _project(48.0, -1.5) in expected and _project(46.0, -0.5) in expected


def test_hidden_clusters_change_no_figure_list_dot_or_recent_cluster(client, world):
    def seen():
        context = client.get("/").context
        return (
            context["figures"],
            context["regions_covered"],
            str(context["regions_html"]),
            str(context["sectors_html"]),
            context["mini_map"]["dots"],
            [cluster.slug for cluster in context["recent_clusters"]],
        )

    before = seen()
    region = factories.RegionFactory(insee_code="53", name="Bretagne", slug="bretagne")
    sector = factories.SectorFactory(name="Mer", name_en="Sea", slug="mer")
    for status in ("draft", "archived"):
        hidden = factories.ClusterFactory(
            status=status, region=region, kind="spl", sectors=[sector, world["cosmetics"]], declared_members=7,
            latitude="48.1", longitude="-1.7",
        )
        hidden.regions_covered.set([world["centre"], world["idf"]])
    after = seen()
    # Bretagne is listed, at 0, as every region; nothing else moves.
    bretagne = '<li><a href="/regions/bretagne/">Bretagne</a> <span class="count-list__count">(0)</span></li>\n          '
    assert after[2] == bretagne + before[2]
    assert after[:2] + after[3:] == before[:2] + before[3:]


def test_home_counts_a_cluster_covering_its_own_region_once(client, world):
    world["covering"].regions_covered.add(world["idf"])
    html = client.get("/").content.decode()
    assert '<a href="/regions/ile-de-france/">Île-de-France</a> <span class="count-list__count">(1)</span>' in html
    assert '<a href="/regions/centre-val-de-loire/">Centre-Val de Loire</a> <span class="count-list__count">(4)</span>' in html


def test_home_in_english(client, world):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Search for a cluster" in html
    assert '<a href="/en/secteurs/cosmetique/">Cosmetics</a>' in html


def test_home_queries_do_not_grow_with_the_data(client, db, django_assert_max_num_queries):
    browse_data.build(size=1)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    with django_assert_max_num_queries(2):
        small = count()
    browse_data_more()
    assert count() == small


def browse_data_more():
    from directory.models import Region, Sector

    region = Region.objects.get(slug="ile-de-france")
    sectors = list(Sector.objects.all())
    for n in range(15):
        factories.ClusterFactory(
            name=f"Cluster en plus {n}", region=region, sectors=sectors, latitude=f"48.{n:02d}", longitude="2.3"
        )


# --- Information pages. ---

PAGES = {
    "/a-propos/": ("À propos de l’annuaire", "About the directory", "Licence Ouverte / Etalab 2.0"),
    "/mentions-legales/": ("Mentions légales", "Legal notice", "France Clusters"),
    "/donnees-personnelles/": ("Données personnelles", "Personal data", "CNIL"),
    "/accessibilite/": ("Déclaration d’accessibilité", "Accessibility statement", "Défenseur des droits"),
}


@pytest.mark.parametrize("path", PAGES)
def test_information_pages_in_both_languages(client, db, path):
    french, english, must_mention = PAGES[path]
    html = client.get(path).content.decode()
    assert f"<h1>{french}</h1>" in html
    assert must_mention in html
    html = client.get("/en" + path).content.decode()
    assert f"<h1>{english}</h1>" in html
    assert '<html lang="en">' in html


def test_about_page_gives_sources_date_confidence_and_how_to_report(client, db):
    html = client.get("/a-propos/").content.decode()
    assert "novembre 2026" in html
    assert "Élevée" in html and "Moyenne" in html and "Faible" in html
    assert 'href="mailto:annuaire@franceclusters.fr"' in html
    assert "Les sources gardent leurs propres droits" in html


def test_accessibility_statement_says_partially_compliant_with_recourse(client, db):
    html = client.get("/accessibilite/").content.decode()
    assert "partiellement conforme" in html
    assert "RGAA" in html
    assert "Libre réponse 71120" in html


def test_header_and_footer_link_every_section_and_legal_page(client, db):
    html = client.get("/a-propos/").content.decode()
    for url in ["/regions/", "/secteurs/", "/programmes/", "/membres/", "/clusters/", "/carte/"]:
        assert f'href="{url}"' in html
    for url in ["/a-propos/", "/mentions-legales/", "/donnees-personnelles/", "/accessibilite/"]:
        assert f'href="{url}"' in html
    html = client.get("/en/a-propos/").content.decode()
    assert 'href="/en/mentions-legales/"' in html and 'href="/en/regions/"' in html


def test_pages_have_canonical_and_hreflang_links(client, db):
    html = client.get("/en/accessibilite/").content.decode()
    assert '<link rel="canonical" href="http://testserver/en/accessibilite/">' in html
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/accessibilite/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/accessibilite/">' in html


# --- Error pages (DEBUG is off in the test settings). ---


def test_404_page_in_french(client, db, settings):
    assert settings.DEBUG is False
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page introuvable</h1>" in html
    assert '<html lang="fr">' in html
    assert 'action="/clusters/"' in html
    assert '<meta name="robots" content="noindex">' in html


def test_404_page_in_english(client, db):
    response = client.get("/en/nowhere/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert '<html lang="en">' in html
    assert 'href="/en/"' in html


def test_a_missing_object_gives_the_friendly_404(client, db):
    response = client.get("/en/regions/atlantide/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_500_page_renders_without_context_or_database(db):
    html = loader.get_template("500.html").render()
    assert "Une erreur s’est produite" in html
    assert "Something went wrong" in html
    assert "{%" not in html and "{{" not in html


def test_500_page_is_served_when_a_view_fails(db, monkeypatch):
    def broken():
        raise RuntimeError("la base ne répond plus")

    monkeypatch.setattr("directory.views.browse.regions_with_counts", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/regions/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur s’est produite" in html and "Something went wrong" in html
