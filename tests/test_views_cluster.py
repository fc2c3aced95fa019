"""The cluster page: every section, drafts, archives, old addresses, JSON-LD and languages."""

import json
import re

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from directory.models import MembershipRole, PositionPrecision, Status
from tests import factories, showcase

pytestmark = pytest.mark.django_db


@pytest.fixture
def cosmetics(db):
    return factories.SectorFactory(name="Cosmétique", name_en="Cosmetics", slug="cosmetique")


@pytest.fixture
def health(db):
    return factories.SectorFactory(name="Santé", name_en="Health", slug="sante")


@pytest.fixture
def cluster(eure_et_loir, ile_de_france, cosmetics, health):
    """The showcase's rich published cluster (tests/showcase.py): every section of the page has something to show."""
    return showcase.build_rich(eure_et_loir, ile_de_france, [cosmetics, health])


def page_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def section(html, heading_id):
    """The HTML of the <section> (or <aside>) labelled by `heading_id`."""
    match = re.search(rf'<(section|aside)[^>]*aria-labelledby="{heading_id}".*?</\1>', html, re.S)
    assert match, f"no section labelled {heading_id}"
    return match.group(0)


def test_identity_summary_and_description_in_french(client, cluster):
    html = page_of(client, "/clusters/cosmetic-valley/")
    assert "<title>Cosmetic Valley · France Clusters</title>" in html
    assert '<h1 id="cluster-title">Cosmetic Valley</h1>' in html
    assert "Pôle de compétitivité" in html
    assert "Le pôle de compétitivité de la parfumerie et de la cosmétique." in html
    assert "<p>Fondé à Chartres en 1994.</p>\n\n<p>Il fédère entreprises, laboratoires et écoles de la filière.</p>" in html


def test_english_page_uses_english_summary_and_falls_back_to_french_description(client, cluster):
    html = page_of(client, "/en/clusters/cosmetic-valley/")
    assert '<html lang="en">' in html
    assert "The competitiveness cluster of perfume and cosmetics." in html
    assert "Le pôle de compétitivité de la parfumerie" not in html
    # No English description: the French one, marked as French for screen readers.
    assert '<div class="cluster__description" lang="fr"><p>Fondé à Chartres en 1994.</p>' in html
    assert "This presentation is only available in French." in html
    assert "Members listed in the directory" in html


def test_facts_show_founding_headquarters_regions_contacts_and_declared_figures(client, cluster):
    facts = section(page_of(client, "/clusters/cosmetic-valley/"), "facts-title")
    assert "<dd>1994</dd>" in facts
    assert "<span>Chartres</span>" in facts
    assert "<span>Eure-et-Loir (28)</span>" in facts
    assert "<span>Centre-Val de Loire</span>" in facts
    assert "<li>Île-de-France</li>" in facts
    assert '<a href="https://www.cosmetic-valley.com" rel="external noopener">' in facts
    assert '<a href="mailto:contact@cosmetic-valley.com">' in facts
    assert '<a href="tel:0237211222">02 37 21 12 22</a>' in facts
    assert "1 place de la Cathédrale<br>28000 Chartres" in facts
    assert "600 membres déclarés par le cluster en 2023" in facts
    assert "12 salariés déclarés par le cluster en 2023" in facts
    assert "Dernière vérification par l’équipe : 14 mars 2026" in facts


def test_last_verification_is_not_shown_when_never_verified(client, cluster):
    cluster.last_verified_on = None
    cluster.save()
    assert "Dernière vérification" not in page_of(client, "/clusters/cosmetic-valley/")


def test_map_has_the_position_and_says_when_it_is_the_commune_centre(client, cluster):
    html = page_of(client, "/clusters/cosmetic-valley/")
    map_section = section(html, "map-title")
    assert 'data-latitude="48.44685" data-longitude="1.48925"' in map_section
    assert 'id="cluster-map"' in map_section
    assert "Position approximative : centre de la commune." in map_section
    assert "/static/js/cluster-page-map.js" in html
    # Built by static/js/leaflet-map.js from data attributes (tests/test_map_markup.py): no inline script.
    assert re.search(r'<div id="cluster-map"[^>]* data-tiles-url="[^"]+"', map_section)


def test_exact_position_has_no_commune_note_and_no_position_means_no_map(client, cluster):
    cluster.position_precision = PositionPrecision.EXACT
    cluster.save()
    html = page_of(client, "/clusters/cosmetic-valley/")
    assert 'id="cluster-map"' in html
    assert "centre de la commune" not in html
    cluster.latitude = cluster.longitude = None
    cluster.position_precision = ""
    cluster.save()
    html = page_of(client, "/clusters/cosmetic-valley/")
    assert 'id="cluster-map"' not in html
    assert "leaflet" not in html


def test_sectors_are_shown_with_their_localized_name(client, cluster):
    assert "<li>Cosmétique</li>" in section(page_of(client, "/clusters/cosmetic-valley/"), "sectors-title")
    assert "<li>Cosmetics</li>" in section(page_of(client, "/en/clusters/cosmetic-valley/"), "sectors-title")


def test_labels_show_dates_at_their_precision_and_expired_ones_as_history(client, cluster):
    labels = section(page_of(client, "/clusters/cosmetic-valley/"), "labels-title")
    current, history = labels.split("Historique des labels")
    assert "Pôle de compétitivité, phase V" in current
    assert "Attribué : 2023" in current
    assert "Valable jusqu’à : 31 décembre 2099" in current
    assert "ECEI Silver Label" in history
    assert "Attribué : mars 2016" in history
    assert "Expiré : mars 2018" in history
    assert "Attribué sous le nom « Cosmetic Valley France »" in history
    assert "ECEI Silver Label" not in current


def test_labels_in_english_use_english_month_names(client, cluster):
    labels = section(page_of(client, "/en/clusters/cosmetic-valley/"), "labels-title")
    assert "Label history" in labels
    assert "March 2016" in labels


def test_programmes_show_role_years_and_partner_countries_in_the_page_language(client, cluster):
    programmes = section(page_of(client, "/clusters/cosmetic-valley/"), "programmes-title")
    assert '<abbr title="Euroclusters for beauty">BEAUTY</abbr>' in programmes
    assert "Coordinateur" in programmes
    assert "2022–2025" in programmes
    assert "Allemagne, Italie" in programmes
    programmes_en = section(page_of(client, "/en/clusters/cosmetic-valley/"), "programmes-title")
    assert "Coordinator" in programmes_en
    assert "Germany, Italy" in programmes_en


def test_listed_members_show_kind_size_city_and_unnamed_ones_are_only_counted(client, cluster):
    members = section(page_of(client, "/clusters/cosmetic-valley/"), "members-title")
    assert "30 organisations membres listées dans l’annuaire, et 2 membres non nommés." in members
    assert "Laboratoire des arômes <span class=\"members__role\">(Membre fondateur)</span>" in members
    assert "<td>Laboratoire de recherche</td>" in members
    assert "<td>Orléans</td>" in members
    assert "<td>PME</td>" in members
    assert "Jeanne Martin" not in members
    assert "Paul Petit" not in members
    # Declared and listed figures are told apart.
    assert "Le nombre de membres déclaré par le cluster peut être plus élevé." in members


def test_a_cluster_without_members_says_so(client, eure_et_loir):
    factories.ClusterFactory(slug="sans-membres", department=eure_et_loir)
    members = section(page_of(client, "/clusters/sans-membres/"), "members-title")
    assert "Aucun membre n’est encore listé dans l’annuaire." in members
    assert "<table" not in members


def test_a_single_unnamed_member_is_counted_in_the_singular(client, eure_et_loir):
    lonely = factories.ClusterFactory(slug="seul", department=eure_et_loir)
    factories.MembershipFactory(cluster=lonely, organisation=factories.OrganisationFactory(publicly_named=False))
    members = section(page_of(client, "/clusters/seul/"), "members-title")
    assert "1 membre listé dans l’annuaire, non nommé." in members
    assert "<table" not in members


@pytest.fixture
def crowded(eure_et_loir):
    crowded = factories.ClusterFactory(name="Grappe nombreuse", slug="grappe-nombreuse", department=eure_et_loir)
    for index in range(60):
        factories.MembershipFactory(
            cluster=crowded, organisation=factories.OrganisationFactory(name=f"Membre {index:02d}")
        )
    return crowded


@pytest.mark.parametrize(
    ("query", "expected_page", "first_member"),
    [
        ("", 1, "Membre 00"),
        ("?membres=2", 2, "Membre 25"),
        ("?membres=3", 3, "Membre 50"),
        ("?membres=abc", 1, "Membre 00"),
        ("?membres=999", 3, "Membre 50"),
        ("?membres=-1", 3, "Membre 50"),
        ("?membres=0", 3, "Membre 50"),
        ("?membres=", 1, "Membre 00"),
        ("?membres=2&membres=3", 3, "Membre 50"),
        ("?membres=%00", 1, "Membre 00"),
        ("?membres=99999999999999999999999", 3, "Membre 50"),
        ("?membres=2.0", 1, "Membre 00"),
    ],
)
def test_member_pagination_never_fails(client, crowded, query, expected_page, first_member):
    members = section(page_of(client, f"/clusters/grappe-nombreuse/{query}"), "members-title")
    assert f"page {expected_page} sur 3" in members
    assert f'<span aria-current="page">{expected_page}</span>' in members
    rows = re.findall(r'<th scope="row">(Membre \d+)', members)
    assert rows[0] == first_member
    assert len(rows) == (10 if expected_page == 3 else 25)


def test_member_pagination_links(client, crowded):
    members = section(page_of(client, "/clusters/grappe-nombreuse/?membres=2"), "members-title")
    assert '<a href="?membres=1#membres" rel="prev">' in members
    assert '<a href="?membres=3#membres" rel="next">' in members
    assert '<a href="?membres=3#membres">3</a>' in members


def test_member_pagination_links_the_ends_and_the_pages_around_only(client, crowded, monkeypatch):
    """The largest clusters list 60 pages of members: not 60 links."""
    monkeypatch.setattr("directory.views.clusters.MEMBERS_PER_PAGE", 5)
    members = section(page_of(client, "/clusters/grappe-nombreuse/?membres=6"), "members-title")
    links = re.findall(r'<li>(?:<a href="\?membres=(\d+)#membres">\d+</a>|<span[^>]*>([^<]+)</span>)</li>', members)
    assert [number or text for number, text in links] == ["1", "…", "4", "5", "6", "7", "8", "…", "12"]


def test_sources_show_the_date_they_were_read(client, cluster):
    sources = section(page_of(client, "/clusters/cosmetic-valley/"), "sources-title")
    assert 'href="https://www.cosmetic-valley.com/a-propos"' in sources
    assert "lue le 3 février 2026" in sources


def test_related_clusters_same_sector_first_then_same_region_never_drafts_or_archived(
    client, cluster, cosmetics, eure_et_loir, essonne
):
    factories.ClusterFactory(name="A même région", department=eure_et_loir)
    factories.ClusterFactory(name="B même secteur", department=essonne, sectors=[cosmetics])
    factories.ClusterFactory(name="C région couverte", department=essonne).regions_covered.set(
        [eure_et_loir.region]
    )
    factories.ClusterFactory(name="D sans rapport", department=essonne)
    factories.ClusterFactory(name="E brouillon", department=eure_et_loir, sectors=[cosmetics], status=Status.DRAFT)
    factories.ClusterFactory(
        name="F archivé", department=eure_et_loir, sectors=[cosmetics], status=Status.ARCHIVED
    )
    related = section(page_of(client, "/clusters/cosmetic-valley/"), "related-title")
    names = re.findall(r'<a href="/clusters/[^"]+/">([^<]+)</a>', related)
    assert names == ["B même secteur", "A même région", "C région couverte"]


def test_clusters_without_a_region_nor_a_shared_sector_never_crowd_out_the_related_ones(
    client, cluster, eure_et_loir
):
    for index in range(8):
        factories.ClusterFactory(name=f"0 sans région {index}", department=None, region=None)
    factories.ClusterFactory(name="Z même région", department=eure_et_loir)
    related = section(page_of(client, "/clusters/cosmetic-valley/"), "related-title")
    assert re.findall(r'<a href="/clusters/[^"]+/">([^<]+)</a>', related) == ["Z même région"]


def test_related_clusters_are_limited_to_six(client, cluster, cosmetics):
    for index in range(8):
        factories.ClusterFactory(name=f"Voisin {index}", sectors=[cosmetics])
    related = section(page_of(client, "/clusters/cosmetic-valley/"), "related-title")
    assert related.count("<li>") == 6


def test_a_draft_is_a_404_for_visitors(client, cluster):
    cluster.status = Status.DRAFT
    cluster.save()
    page_of(client, "/clusters/cosmetic-valley/", status=404)
    page_of(client, "/en/clusters/cosmetic-valley/", status=404)


def test_a_draft_is_a_marked_preview_for_staff(staff_client, cluster):
    cluster.status = Status.DRAFT
    cluster.save()
    html = page_of(staff_client, "/clusters/cosmetic-valley/")
    assert "Aperçu d’un brouillon : cette fiche n’est pas publiée" in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_published_page_is_not_marked_as_preview_or_archive(staff_client, cluster):
    html = page_of(staff_client, "/clusters/cosmetic-valley/")
    assert "Aperçu d’un brouillon" not in html
    assert "Cluster archivé" not in html
    assert "noindex" not in html


def test_an_unknown_slug_is_a_404(client, db):
    page_of(client, "/clusters/nexiste-pas/", status=404)


def test_an_archived_cluster_links_to_its_published_successor(client, cluster, eure_et_loir):
    old = factories.ClusterFactory(
        name="Ancien pôle", slug="ancien-pole", status=Status.ARCHIVED, successor=cluster, department=eure_et_loir
    )
    html = page_of(client, "/clusters/ancien-pole/")
    assert "Cluster archivé." in html
    assert 'Il est devenu <a href="/clusters/cosmetic-valley/">Cosmetic Valley</a>.' in html
    html_en = page_of(client, "/en/clusters/ancien-pole/")
    assert 'It became <a href="/en/clusters/cosmetic-valley/">Cosmetic Valley</a>.' in html_en
    assert old.name in html_en


def test_an_archived_cluster_names_a_successor_that_is_not_public(client, cluster, eure_et_loir):
    cluster.status = Status.DRAFT
    cluster.save()
    factories.ClusterFactory(name="Ancien pôle", slug="ancien-pole", status=Status.ARCHIVED, successor=cluster)
    html = page_of(client, "/clusters/ancien-pole/")
    assert "Il est devenu Cosmetic Valley." in html
    assert 'href="/clusters/cosmetic-valley/"' not in html


def test_an_archived_cluster_without_successor_is_still_marked(client, db):
    factories.ClusterFactory(name="Disparu", slug="disparu", status=Status.ARCHIVED)
    html = page_of(client, "/clusters/disparu/")
    assert "Cluster archivé." in html
    assert "Il est devenu" not in html


def jsonld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_json_ld_describes_the_organisation(client, cluster):
    data = jsonld(page_of(client, "/clusters/cosmetic-valley/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["@id"] == "http://testserver/clusters/cosmetic-valley/"
    assert data["name"] == "Cosmetic Valley"
    assert data["description"] == "Le pôle de compétitivité de la parfumerie et de la cosmétique."
    assert data["url"] == "https://www.cosmetic-valley.com"
    assert data["email"] == "contact@cosmetic-valley.com"
    assert data["telephone"] == "02 37 21 12 22"
    assert data["foundingDate"] == "1994"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "1 place de la Cathédrale",
        "postalCode": "28000",
        "addressLocality": "Chartres",
        "addressRegion": "Centre-Val de Loire",
        "addressCountry": "FR",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 48.44685, "longitude": 1.48925}
    assert data["numberOfEmployees"] == {"@type": "QuantitativeValue", "value": 12}
    assert data["knowsAbout"] == ["Cosmétique", "Santé"]
    assert data["award"] == ["Pôle de compétitivité, phase V"]
    assert [area["name"] for area in data["areaServed"]] == ["Centre-Val de Loire", "Île-de-France"]


def test_json_ld_needs_no_nonce_so_the_page_asks_for_none(client, cluster):
    # A data block is not executed: without a nonce the page cache stores the page compressed.
    response = client.get("/clusters/cosmetic-valley/")
    assert "nonce-" not in response["Content-Security-Policy"]
    assert "nonce=" not in response.content.decode()


def test_json_ld_in_english_uses_the_english_page_and_text(client, cluster):
    data = jsonld(page_of(client, "/en/clusters/cosmetic-valley/"))
    assert data["@id"] == "http://testserver/en/clusters/cosmetic-valley/"
    assert data["description"] == "The competitiveness cluster of perfume and cosmetics."
    assert data["knowsAbout"] == ["Cosmetics", "Health"]


def test_json_ld_cannot_close_its_script_element(client, db):
    factories.ClusterFactory(slug="piege", name="</script><script>alert(1)</script> & co")
    html = page_of(client, "/clusters/piege/")
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E \\u0026 co" in html
    assert jsonld(html)["name"] == "</script><script>alert(1)</script> & co"
    assert escape("</script><script>alert(1)</script> & co") in html


def test_canonical_and_hreflang_links(client, cluster):
    html = page_of(client, "/clusters/cosmetic-valley/")
    assert '<link rel="canonical" href="http://testserver/clusters/cosmetic-valley/">' in html
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/clusters/cosmetic-valley/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/clusters/cosmetic-valley/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/clusters/cosmetic-valley/">' in html
    html_en = page_of(client, "/en/clusters/cosmetic-valley/")
    assert '<link rel="canonical" href="http://testserver/en/clusters/cosmetic-valley/">' in html_en
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/clusters/cosmetic-valley/">' in html_en


def test_language_switcher_keeps_the_page_and_its_query_string(client, crowded):
    html = page_of(client, "/clusters/grappe-nombreuse/?membres=2")
    assert '<a href="http://testserver/en/clusters/grappe-nombreuse/?membres=2" hreflang="en" lang="en">English</a>' in html
    html_en = page_of(client, "/en/clusters/grappe-nombreuse/?membres=2")
    assert '<a href="http://testserver/clusters/grappe-nombreuse/?membres=2" hreflang="fr" lang="fr">Français</a>' in html_en
    assert '<span aria-current="true" lang="en">English</span>' in html_en


def test_the_root_is_french_whatever_the_browser_asks(client, cluster):
    response = client.get("/clusters/cosmetic-valley/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_query_count_is_fixed_whatever_the_number_of_members(client, cluster, django_assert_max_num_queries):
    """10 or 50 listed members, labels, programmes, sectors, sources, related clusters: 2 queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for index in range(3):
        factories.LabelFactory(cluster=cluster, name=f"Label {index}")
        factories.ParticipationFactory(cluster=cluster)
        cluster.sectors.add(factories.SectorFactory())
        cluster.sources.create(url=f"https://example.org/source-{index}", read_on=timezone.localdate())
    for index in range(8):
        factories.ClusterFactory(name=f"Voisin {index}", sectors=list(cluster.sectors.all()))
    counts = []
    for members in (10, 50):
        while cluster.memberships.count() < members:
            factories.MembershipFactory(cluster=cluster)
        with django_assert_max_num_queries(2), CaptureQueriesContext(connection) as queries:
            response = client.get("/clusters/cosmetic-valley/?membres=2")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_staff_preview_of_a_draft_costs_only_the_session_and_user_queries(
    staff_client, cluster, django_assert_max_num_queries
):
    cluster.status = Status.DRAFT
    cluster.save()
    with django_assert_max_num_queries(11):
        assert staff_client.get("/clusters/cosmetic-valley/").status_code == 200


def test_an_old_slug_redirects_permanently_to_the_new_one(client, cluster):
    cluster.slug = "cosmetic-valley-france"
    cluster.save()
    response = client.get("/clusters/cosmetic-valley/")
    assert response.status_code == 301
    assert response.headers["Location"] == "/clusters/cosmetic-valley-france/"
    response = client.get("/en/clusters/cosmetic-valley/?membres=2")
    assert response.status_code == 301
    assert response.headers["Location"] == "/en/clusters/cosmetic-valley-france/?membres=2"
    page_of(client, "/clusters/cosmetic-valley-france/")


def test_every_old_slug_redirects_and_taking_one_back_makes_it_current(client, cluster):
    cluster.slug = "deuxieme"
    cluster.save()
    cluster.slug = "troisieme"
    cluster.save()
    assert client.get("/clusters/cosmetic-valley/").headers["Location"] == "/clusters/troisieme/"
    assert client.get("/clusters/deuxieme/").headers["Location"] == "/clusters/troisieme/"
    cluster.slug = "cosmetic-valley"
    cluster.save()
    assert sorted(cluster.former_slugs.values_list("slug", flat=True)) == ["deuxieme", "troisieme"]
    page_of(client, "/clusters/cosmetic-valley/")
    assert client.get("/clusters/troisieme/").headers["Location"] == "/clusters/cosmetic-valley/"


def test_saving_without_changing_the_slug_records_nothing(cluster):
    cluster.name = "Cosmetic Valley, pôle"
    cluster.save()
    assert not cluster.former_slugs.exists()


def test_a_current_slug_wins_over_another_cluster_s_old_one(client, cluster):
    cluster.slug = "nouveau"
    cluster.save()
    factories.ClusterFactory(name="Autre", slug="cosmetic-valley")
    assert "<h1 id=\"cluster-title\">Autre</h1>" in page_of(client, "/clusters/cosmetic-valley/")


def test_the_old_slug_of_a_draft_is_a_404_for_visitors_and_redirects_for_staff(staff_user, cluster):
    cluster.slug = "brouillon"
    cluster.status = Status.DRAFT
    cluster.save()
    page_of(Client(), "/clusters/cosmetic-valley/", status=404)
    staff = Client()
    staff.force_login(staff_user)
    assert staff.get("/clusters/cosmetic-valley/").status_code == 301


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("?membres=2", "/clusters/grappe-nombreuse/?membres=2"),
        ("?membres=1", "/clusters/grappe-nombreuse/"),
        ("?membres=abc&utm_source=lettre", "/clusters/grappe-nombreuse/"),
        ("?membres=999", "/clusters/grappe-nombreuse/?membres=3"),
    ],
)
def test_canonical_and_hreflang_name_the_real_page_of_members(client, crowded, query, canonical):
    html = page_of(client, f"/clusters/grappe-nombreuse/{query}")
    assert f'<link rel="canonical" href="http://testserver{canonical}">' in html
    assert f'<link rel="alternate" hreflang="en" href="http://testserver/en{canonical}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{canonical}">' in html
    # The switcher still keeps the query string as it was.
    switch = query.replace("&", "&amp;")
    assert f'<a href="http://testserver/en/clusters/grappe-nombreuse/{switch}" hreflang="en"' in html


def test_a_slug_changed_by_loaddata_also_redirects(client, cluster, tmp_path):
    from django.core import serializers
    from django.core.management import call_command

    from directory.models import Cluster

    data = json.loads(serializers.serialize("json", [Cluster.objects.get(pk=cluster.pk)]))
    data[0]["fields"]["slug"] = "cosmetic-valley-charge"
    fixture = tmp_path / "renamed.json"
    fixture.write_text(json.dumps(data))
    call_command("loaddata", str(fixture), verbosity=0)
    response = client.get("/clusters/cosmetic-valley/")
    assert response.status_code == 301
    assert response.headers["Location"] == "/clusters/cosmetic-valley-charge/"


def test_language_switcher_keeps_the_filters_of_the_search_page(client, cluster):
    html = page_of(client, "/clusters/?secteur=cosmetique&type=pole-de-competitivite&tri=nom")
    assert (
        '<a href="http://testserver/en/clusters/?secteur=cosmetique&amp;type=pole-de-competitivite&amp;tri=nom"'
        ' hreflang="en" lang="en">English</a>'
    ) in html


def test_member_table_escapes_names_and_cities(client, eure_et_loir):
    cluster = factories.ClusterFactory(name="Grappe échappée", slug="grappe-echappee")
    factories.MembershipFactory(
        cluster=cluster,
        organisation=factories.OrganisationFactory(name="<b>Forge</b> & fils", city='"Chartres"', size=""),
        role=MembershipRole.BOARD,
    )
    members = section(page_of(client, "/clusters/grappe-echappee/"), "members-title")
    assert "&lt;b&gt;Forge&lt;/b&gt; &amp; fils" in members
    assert "<b>Forge" not in members
    assert "<td>&quot;Chartres&quot;</td>" in members
    assert '<span class="members__role">(' in members
    assert "<td>—</td>" in members
