"""Member organisations (directory/views/members.py): search by name or SIREN, pages, privacy, bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import browse_data, factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return browse_data.build()


def found(client, **params):
    response = client.get("/membres/", params)
    assert response.status_code == 200
    return [organisation.name for organisation in response.context["page"].object_list]


def test_without_a_query_every_public_organisation_is_listed(client, world):
    names = found(client)
    assert names == [f"Laboratoires Martin {n:03d}" for n in range(5)]


def test_search_by_name_is_case_insensitive_and_needs_every_word(client, world):
    assert found(client, q="martin 003") == ["Laboratoires Martin 003"]
    assert found(client, q="LABORATOIRES") == [f"Laboratoires Martin {n:03d}" for n in range(5)]
    assert found(client, q="laboratoires dupont") == []


def test_search_by_siren_with_or_without_spaces_and_by_its_start(client, world):
    siren = world["member"].siren
    spaced = f"{siren[:3]} {siren[3:6]} {siren[6:]}"
    assert found(client, q=siren) == ["Laboratoires Martin 000"]
    assert found(client, q=spaced) == ["Laboratoires Martin 000"]
    assert "Laboratoires Martin 000" in found(client, q=siren[:5])


def test_an_unnamed_organisation_is_found_neither_by_name_nor_by_siren(client, world):
    assert found(client, q="Dupont") == []
    assert found(client, q="732829320") == []
    assert found(client, q="732 829 320") == []
    html = client.get("/membres/").content.decode()
    assert "Jeanne Dupont" not in html and "732829320" not in html


def test_an_unnamed_organisation_has_no_page(client, world):
    assert client.get("/membres/jeanne-dupont-ei/").status_code == 404
    assert client.get("/en/membres/jeanne-dupont-ei/").status_code == 404


def test_an_organisation_only_in_a_draft_cluster_has_no_page_and_is_not_listed(client, world):
    assert client.get("/membres/membre-du-brouillon/").status_code == 404
    assert found(client, q="brouillon") == []


def test_member_page_lists_its_published_clusters_with_roles_and_year(client, world):
    response = client.get("/membres/laboratoires-martin-000/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Laboratoires Martin 000</h1>" in html
    assert "Membre de 2 clusters" in html
    assert [membership.cluster.name for membership in response.context["memberships"]] == [
        "Cluster publié 000",
        "Cluster publié 001",
    ]
    assert "Membre fondateur" in html and "2020" in html
    assert world["member"].siren in html
    assert "Cosmétique" in html
    assert "Brouillon secret" not in html and "Ancien cluster archivé" not in html


def test_member_page_in_english(client, world):
    html = client.get("/en/membres/laboratoires-martin-000/").content.decode()
    assert '<html lang="en">' in html
    assert "Founding member" in html
    assert "Cosmetics" in html
    assert 'href="/en/clusters/cluster-publie-000/"' in html


def test_unknown_member_is_a_404(client, world):
    assert client.get("/membres/personne/").status_code == 404


def test_results_are_paginated(client, world, monkeypatch):
    monkeypatch.setattr("directory.views.members.PER_PAGE", 2)
    response = client.get("/membres/", {"q": "martin", "page": "3"})
    assert response.context["page"].number == 3
    assert [organisation.name for organisation in response.context["page"].object_list] == ["Laboratoires Martin 004"]
    html = response.content.decode()
    assert 'href="?q=martin&amp;page=2"' in html


def test_a_first_page_holding_every_match_costs_one_query(client, world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert found(client, q="martin 003") == ["Laboratoires Martin 003"]


def test_past_the_maximum_counted_the_pages_stop_and_say_so(client, world, monkeypatch):
    monkeypatch.setattr("directory.views.members.PER_PAGE", 1)
    monkeypatch.setattr("directory.views.members.MAX_COUNTED", 3)
    response = client.get("/membres/", {"q": "martin", "page": "5"})
    assert response.context["page"].number == 3
    assert [organisation.name for organisation in response.context["page"].object_list] == ["Laboratoires Martin 002"]
    html = response.content.decode()
    assert "Plus de 3 organisations trouvées pour « martin »" in html
    assert "Les 3 premières sont listées par ordre alphabétique" in html
    assert "Plus de 3 organisations membres" in client.get("/membres/").content.decode()
    assert "Plus de" not in client.get("/membres/", {"q": "martin 001"}).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "mar\x00tin"},
        {"q": "\ufffd\ufffd"},
        {"q": "   "},
        {"q": "---"},
        {"q": "%"},
        {"q": "_"},
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-2"},
        {"q": ["a", "b"], "page": ["1", "2"]},
    ],
)
def test_bad_input_never_fails(client, world, params):
    response = client.get("/membres/", params)
    assert response.status_code == 200


def test_percent_and_underscore_are_searched_literally(client, world):
    assert found(client, q="%") == []
    assert found(client, q="_") == []


def test_a_nul_byte_and_a_long_query_are_cleaned_with_a_note(client, world):
    html = client.get("/membres/", {"q": "mar\x00tin 001"}).content.decode()
    assert "Des caractères illisibles ont été retirés de la recherche." in html
    assert found(client, q="mar\x00tin 001") == ["Laboratoires Martin 001"]
    html = client.get("/membres/", {"q": "x" * 10_000}).content.decode()
    assert "seuls ses 200 premiers caractères" in html


def test_invalid_utf8_never_fails(client, world):
    response = client.get("/membres/?q=%FF%FEmartin")
    assert response.status_code == 200


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url, maximum",
    [("/membres/laboratoires-martin-000/", 4), ("/membres/?q=martin", 1), ("/membres/", 1)],
)
def test_queries_per_member_page_do_not_grow_with_the_data(client, db, url, maximum, django_assert_max_num_queries):
    world = browse_data.build()
    with django_assert_max_num_queries(maximum):
        small = count_queries(client, url)
    sector = factories.SectorFactory(name="Chimie", slug="chimie")
    world["member"].sectors.add(sector)
    for n in range(12):
        cluster = factories.ClusterFactory(name=f"Autre cluster {n}", region=world["idf"])
        factories.MembershipFactory(organisation=world["member"], cluster=cluster)
        factories.MembershipFactory(cluster=cluster, organisation=factories.OrganisationFactory(name=f"Martin bis {n}"))
    assert count_queries(client, url) == small
