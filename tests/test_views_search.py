"""The /clusters/ page: facets, active filters, pagination, bad input, htmx, query counts."""

import pytest

from directory.models import ClusterKind, Status
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/clusters/"


def build_clusters(count, region, sectors, programmes, start=0):
    """`count` published clusters with sectors, a region and programmes, like real data."""
    for n in range(start, start + count):
        cluster = factories.ClusterFactory(
            name=f"Cluster {n:03d}",
            kind=ClusterKind.GRAPPE if n % 2 else ClusterKind.POLE,
            region=region,
            sectors=[sectors[n % len(sectors)], sectors[(n + 1) % len(sectors)]],
            declared_members=n,
        )
        factories.ParticipationFactory(cluster=cluster, programme=programmes[n % len(programmes)])


@pytest.fixture
def catalogue(centre_val_de_loire):
    sectors = [factories.SectorFactory(name=f"Secteur {n}", slug=f"secteur-{n}") for n in range(4)]
    programmes = [factories.ProgrammeFactory(acronym=f"PROG{n}", slug=f"prog{n}") for n in range(3)]
    build_clusters(25, centre_val_de_loire, sectors, programmes)
    return {"sectors": sectors, "programmes": programmes}


def test_list_shows_count_first_page_and_pagination(client, catalogue):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "25 clusters trouvés" in html
    assert html.count('class="result-card"') == 20
    assert "Cluster 000" in html and "Cluster 020" not in html
    assert 'href="?page=2"' in html or "page=2" in html


def test_page_past_the_end_shows_the_last_page_and_says_so(client, catalogue):
    response = client.get(URL, {"page": "99999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "La page 99999 n’existe pas : voici la dernière page (2)." in html
    assert html.count('class="result-card"') == 5
    assert response.context["page"].number == 2


@pytest.mark.parametrize(
    "query, note",
    [
        ("page=abc", "n’est pas un nombre"),
        ("page=0", "La page 0 n’existe pas"),
        ("page=-3", "La page -3 n’existe pas"),
        ("tri=whatever", "« whatever » n’est pas une valeur connue pour « tri »"),
        ("region=atlantide", "« atlantide » n’est pas une valeur connue pour « region »"),
        ("secteur=inconnu&secteur=secteur-1", "« inconnu » n’est pas une valeur connue pour « secteur »"),
        ("type=soviet", "« soviet » n’est pas une valeur connue pour « type »"),
        ("programme=nope", "« nope » n’est pas une valeur connue pour « programme »"),
        ("pays=XX", "« XX » n’est pas une valeur connue pour « pays »"),
        ("q=" + "x" * 10_000, "seuls ses 200 premiers caractères"),
        ("q=clu%00ster", "Un caractère nul a été retiré de « q »"),
        ("q=%FF%FE", "Des caractères illisibles ont été retirés de « q »"),
        ("region=%FF", "Des caractères illisibles ont été retirés de « region »"),
        ("page=1&page=2", "« page » était répété"),
        ("utm_source=newsletter", "Le paramètre « utm_source » n’est pas reconnu"),
        ("%00=1", "n’est pas reconnu"),
    ],
)
def test_bad_input_gives_the_page_with_a_note(client, catalogue, query, note):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert note in response.content.decode()


def test_unknown_secteur_is_dropped_alone(client, catalogue):
    response = client.get(URL, {"secteur": ["inconnu", "secteur-1"]})
    assert response.context["filterset"].params() == [("secteur", "secteur-1")]
    # Clusters n have sectors n%4 and (n+1)%4: secteur-1 is on n%4 in {0, 1}.
    assert response.context["page"].paginator.count == 13


def test_facet_counts_and_checked_options_are_shown(client, catalogue):
    html = client.get(URL, {"type": "biocluster", "secteur": "secteur-0"}).content.decode()
    # Type counts keep the sector filter, not the type one: secteur-0 is on n%4 in {3, 0}, odd n are grappes.
    assert "Grappe d’entreprises <span class=\"facet__count\">(6 clusters)</span>" in html
    assert "Pôle de compétitivité <span class=\"facet__count\">(7 clusters)</span>" in html
    assert 'id="type-biocluster" name="type" value="biocluster" checked' in html
    assert 'id="secteur-secteur-0" name="secteur" value="secteur-0" checked' in html
    assert "Aucun cluster trouvé" in html


def test_departement_and_country_options_are_counted_given_the_other_filters(client, eure_et_loir, essonne):
    cosmetics = factories.SectorFactory(name="Cosmétique", slug="cosmetique")
    genomics = factories.SectorFactory(name="Génomique", slug="genomique")
    ukraine = factories.ProgrammeFactory(acronym="UA1", slug="ua1", partner_countries=["FR", "UA"])
    italy = factories.ProgrammeFactory(acronym="IT1", slug="it1", partner_countries=["FR", "IT"])
    for n in range(3):
        cluster = factories.ClusterFactory(department=eure_et_loir, sectors=[cosmetics])
        factories.ParticipationFactory(cluster=cluster, programme=ukraine if n else italy)
    factories.ClusterFactory(department=essonne, sectors=[genomics])
    factories.ClusterFactory(department=essonne, sectors=[cosmetics], status=Status.ARCHIVED)

    facets = client.get(URL, {"secteur": "cosmetique"}).context["facets"]
    assert [(o["value"], o["count"]) for o in facets["departement"]] == [("eure-et-loir", 3)]
    assert {o["value"]: o["count"] for o in facets["pays"]} == {"FR": 3, "UA": 2, "IT": 1}

    # A chosen country does not narrow its own options; a chosen département stays listed at 0.
    facets = client.get(URL, {"pays": "IT", "departement": "essonne"}).context["facets"]
    assert [(o["value"], o["count"], o["checked"]) for o in facets["pays"]] == [("IT", 0, True)]
    assert [(o["value"], o["count"]) for o in facets["departement"]] == [("eure-et-loir", 1), ("essonne", 0)]
    html = client.get(URL, {"pays": "IT"}).content.decode()
    assert "Ukraine (2 clusters)" in html and "Italie (1 cluster)" in html
    assert "Eure-et-Loir (28) (1 cluster)" in html


def test_active_filters_are_links_removing_one_each(client, catalogue):
    html = client.get(URL, {"q": "cluster", "secteur": ["secteur-0", "secteur-1"], "type": "pole-de-competitivite"}).content.decode()
    assert 'href="/clusters/?q=cluster&amp;secteur=secteur-1&amp;type=pole-de-competitivite"' in html
    assert 'href="/clusters/?secteur=secteur-0&amp;secteur=secteur-1&amp;type=pole-de-competitivite"' in html
    assert 'href="/clusters/?q=cluster&amp;secteur=secteur-0&amp;secteur=secteur-1"' in html
    assert "Retirer tous les filtres" in html


def test_search_and_state_are_in_the_url(client, catalogue):
    response = client.get(URL, {"q": "Cluster", "tri": "membres", "page": "2"})
    assert [c.name for c in response.context["page"].object_list][:2] == ["Cluster 004", "Cluster 003"]
    html = response.content.decode()
    assert 'value="Cluster"' in html
    assert 'href="?q=Cluster&amp;tri=membres&amp;page=1"' in html


def test_archived_and_draft_are_not_listed_nor_counted(client, catalogue, centre_val_de_loire):
    factories.ClusterFactory(name="Archivé", status=Status.ARCHIVED, region=centre_val_de_loire)
    factories.ClusterFactory(name="Brouillon", status=Status.DRAFT, region=centre_val_de_loire)
    html = client.get(URL, {"q": "archivé brouillon"}).content.decode()
    assert "Aucun cluster trouvé" in html
    assert "Centre-Val de Loire (25 clusters)" in client.get(URL).content.decode()


def test_htmx_gets_a_partial_and_responses_vary_on_hx_request(client, catalogue):
    full = client.get(URL, {"secteur": "secteur-2"})
    partial = client.get(URL, {"secteur": "secteur-2"}, headers={"HX-Request": "true"})
    assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]
    assert "<html" in full.content.decode()
    body = partial.content.decode()
    assert "<html" not in body and 'class="result-card"' in body
    assert '<div id="facettes" data-hx-swap-oob="innerHTML">' in body
    assert '<span id="result-count" data-hx-swap-oob="innerHTML">' in body
    # The address bar gets the clean state, without the form's empty fields or the default sort.
    typed = client.get(URL + "?q=cluster&region=&type=&tri=&page=2", headers={"HX-Request": "true"})
    assert typed["HX-Push-Url"] == "/clusters/?q=cluster&page=2"
    restore = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


def test_page_works_without_javascript_and_has_htmx_with_its_config(client, catalogue):
    html = client.get(URL).content.decode()
    assert '<form class="filters" method="get" action="/clusters/"' in html
    assert 'data-hx-push-url="true"' in html
    assert "vendor/htmx/htmx.min.js" in html
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false}\'>' in html
    assert "<script>" not in html


def test_english_list(client, catalogue):
    response = client.get("/en/clusters/", {"page": "abc"})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert '<html lang="en">' in response.content.decode()


def test_header_links_to_the_list_and_the_map(client, db):
    html = client.get("/").content.decode()
    assert 'href="/clusters/"' in html and 'href="/carte/"' in html


def test_query_count_of_the_list_does_not_grow_with_the_data(client, centre_val_de_loire, django_assert_max_num_queries):
    sectors = [factories.SectorFactory(name=f"Secteur {n}", slug=f"secteur-{n}") for n in range(3)]
    programmes = [factories.ProgrammeFactory(acronym=f"PROG{n}", slug=f"prog{n}") for n in range(3)]
    counted = []
    for start in (0, 30):
        build_clusters(30, centre_val_de_loire, sectors, programmes, start=start)
        for params in ({}, {"q": "cluster", "secteur": "secteur-1", "region": "centre-val-de-loire"}):
            # The searched clusters' ids in order, one UNION of the link tables and the labels
            # (which the chosen region and sector are checked against), and the page's cards.
            with django_assert_max_num_queries(3) as captured:
                response = client.get(URL, params)
            assert response.context["page"].paginator.count >= 20
            counted.append(len(captured))
    assert counted[0] == counted[2] and counted[1] == counted[3]


def test_options_and_cards_escape_what_the_data_holds(client, eure_et_loir):
    sector = factories.SectorFactory(name='<b>"Bio" & co</b>', slug="bio-co")
    programme = factories.ProgrammeFactory(acronym="<script>P1</script>", slug="p1")
    cluster = factories.ClusterFactory(
        name="<i>Nom</i> & fils", slug="nom-et-fils", department=eure_et_loir, sectors=[sector], hq_city="L’Isle-<Adam>",
        summary='Résumé "cité" <em>ici</em>', founded_year=1994, declared_members=1,
    )
    factories.ParticipationFactory(cluster=cluster, programme=programme)
    html = client.get(URL, {"secteur": "bio-co"}).content.decode()
    assert "<script>P1" not in html and "<b>" not in html and "<i>Nom" not in html and "<em>ici" not in html
    assert '<option value="p1">&lt;script&gt;P1&lt;/script&gt; (1 cluster)</option>' in html
    assert (
        '<input type="checkbox" id="secteur-bio-co" name="secteur" value="bio-co" checked>\n'
        '      <label for="secteur-bio-co">&lt;b&gt;&quot;Bio&quot; &amp; co&lt;/b&gt; '
        '<span class="facet__count">(1 cluster)</span></label>'
    ) in html
    assert '<a href="/clusters/nom-et-fils/">&lt;i&gt;Nom&lt;/i&gt; &amp; fils</a>' in html
    assert "Grappe d’entreprises · L’Isle-&lt;Adam&gt; · Centre-Val de Loire · créé en 1994 · 1 membre déclaré</p>" in html
    assert '<p class="result-card__summary">Résumé &quot;cité&quot; &lt;em&gt;ici&lt;/em&gt;</p>' in html
    assert '<ul class="result-card__sectors" aria-label="Secteurs"><li>&lt;b&gt;&quot;Bio&quot; &amp; co&lt;/b&gt;</li></ul>' in html


def test_english_options_and_cards(client, eure_et_loir):
    sector = factories.SectorFactory(name="Santé", name_en="Health", slug="sante")
    factories.ClusterFactory(
        name="Genopole", department=eure_et_loir, sectors=[sector], founded_year=1998, declared_members=120,
        summary="Résumé", summary_en="Summary",
    )
    factories.ClusterFactory(name="Demo", department=eure_et_loir, is_demo=True)
    html = client.get("/en/clusters/").content.decode()
    assert '<a href="/en/clusters/genopole/">Genopole</a>' in html
    assert "founded in 1998 · 120 declared members</p>" in html
    assert '<p class="result-card__summary">Summary</p>' in html
    assert '<ul class="result-card__sectors" aria-label="Sectors"><li>Health</li></ul>' in html
    assert '<span class="demo-badge">Demo data</span> ' in html
    assert '<option value="eure-et-loir">Eure-et-Loir (28) (2 clusters)</option>' in html
    assert 'Health <span class="facet__count">(1 cluster)</span>' in html


def test_options_escaped_together_stay_apart_even_with_a_nul_byte():
    from directory.templatetags.search_tags import _escaped

    assert _escaped(['<b>"x"', "a & b", ""]) == ["&lt;b&gt;&quot;x&quot;", "a &amp; b", ""]
    assert _escaped(["a\x00<b>", "c"]) == ["a\x00&lt;b&gt;", "c"]


def test_position_and_sort_selects_show_the_choice_and_offer_relevance_only_to_a_search(client, catalogue):
    html = client.get(URL, {"position": "absente", "tri": "membres"}).content.decode()
    assert '<option value="absente" selected>Sans position</option>' in html
    assert '<option value="presente">Avec une position</option>' in html
    assert '<option value="membres" selected>Nombre de membres déclaré</option>' in html
    assert 'value="pertinence"' not in html
    searched = client.get(URL, {"q": "cluster"}).content.decode()
    assert '<option value="pertinence">Pertinence</option>' in searched
    english = client.get("/en" + URL, {"tri": "creation"}).content.decode()
    assert '<option value="creation" selected>Founded</option>' in english
    assert '<label for="id_position">Position on the map</label>' in english
