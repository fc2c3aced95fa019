"""Cluster search (directory/search.py): what each database guarantees, and that the
stored search document stays true whatever the write path."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from directory.models import Cluster, Programme, Sector, Status
from directory.search import fold, query_words
from tests import factories

pytestmark = pytest.mark.django_db
ON_POSTGRESQL = connection.vendor == "postgresql"


def found(query):
    return [cluster.name for cluster in Cluster.objects.published().search(query).order_by("name_match", "search_rank")[::-1]]


def search_names(query):
    from directory.search import pertinence_ordering

    return [cluster.name for cluster in Cluster.objects.published().search(query).order_by(*pertinence_ordering())]


@pytest.fixture
def clusters(eure_et_loir):
    cosmetique = factories.SectorFactory(name="Cosmétique", name_en="Cosmetics", slug="cosmetique")
    biotech = factories.SectorFactory(name="Biotechnologies", name_en="Biotechnology", slug="biotechnologies")
    valley = factories.ClusterFactory(
        name="Cosmetic Valley", summary="Le pôle de la filière parfumerie-cosmétique", hq_city="Chartres",
        department=eure_et_loir, sectors=[cosmetique],
    )
    genopole = factories.ClusterFactory(
        name="Genopole", summary="Biocluster français", description="Recherche en génomique et économie de la santé",
        hq_city="Évry-Courcouronnes", sectors=[biotech],
    )
    factories.ParticipationFactory(cluster=genopole, programme=factories.ProgrammeFactory(name="Euroclusters for Health", acronym="EU4HEALTH"))
    factories.ClusterFactory(name="Santé Innovation", summary="Un réseau régional")
    factories.ClusterFactory(name="Atlantic Robotics", summary="Robotique, santé et numérique")
    return {"valley": valley, "genopole": genopole}


def test_fold_lowercases_and_strips_accents_and_ligatures():
    assert fold("Cœur d’ÉCONOMIE Île") == "coeur d’economie ile"
    assert query_words("  Éco-système, « santé » !") == ["eco", "systeme", "sante"]


def test_case_and_accent_insensitive_both_ways(clusters):
    assert found("ECONOMIE") == ["Genopole"]
    assert found("génopole") == ["Genopole"]
    assert found("evry") == ["Genopole"]
    assert found("COSMÉTIQUE") == ["Cosmetic Valley"]


def test_every_word_must_match(clusters):
    assert set(found("santé")) == {"Genopole", "Santé Innovation", "Atlantic Robotics"}
    assert found("santé robotique") == ["Atlantic Robotics"]
    if not ON_POSTGRESQL:
        # PostgreSQL reads a query no cluster fully matches as a misspelt name (see the typo test).
        assert found("santé parfumerie") == []


def test_name_matches_rank_first(clusters):
    assert search_names("santé")[0] == "Santé Innovation"


def test_sector_programme_and_city_names_are_searched(clusters):
    assert found("biotechnologies") == ["Genopole"]
    assert found("biotechnology") == ["Genopole"]
    assert found("euroclusters") == ["Genopole"]
    assert found("eu4health") == ["Genopole"]
    assert found("chartres") == ["Cosmetic Valley"]


def test_stemming_and_typo_tolerance_where_the_database_offers_them(clusters):
    # Both databases: a word cut short, or a name missing its last letter, still finds.
    assert found("parfum") == ["Cosmetic Valley"]
    assert found("Genopol") == ["Genopole"]
    if ON_POSTGRESQL:
        # French stemming: the plural finds the singular, accents ignored after stemming.
        assert found("cosmétiques") == ["Cosmetic Valley"]
        assert found("economies") == ["Genopole"]
        # pg_trgm: a misspelt name finds the cluster when nothing matches every word.
        assert found("Cosmetic Valey") == ["Cosmetic Valley"]
        assert found("Genoppole") == ["Genopole"]
    else:
        # SQLite: substrings of the folded text, no stemming and no typo tolerance.
        assert found("cosmétiques") == []
        assert found("Cosmetic Valey") == []


def test_typo_tolerance_asks_only_the_searched_clusters_whether_a_word_matches(clusters):
    # A draft holding the misspelt word must not stop the public search from reading it as a
    # misspelt name: « no cluster has every word » is about the clusters searched.
    factories.ClusterFactory(name="Genoppole brouillon", status=Status.DRAFT)
    if ON_POSTGRESQL:
        assert found("Genoppole") == ["Genopole"]
    else:
        assert found("Genoppole") == []
    assert [cluster.name for cluster in Cluster.objects.search("Genoppole")] == ["Genoppole brouillon"]


def test_empty_or_punctuation_only_query_keeps_everything(clusters):
    assert len(found("")) == 4
    assert len(found(" ,;« » ")) == 4


def test_sql_special_characters_are_plain_text(clusters):
    assert found("100%") == []
    # LIKE wildcards and tsquery operators never reach the database: words are [0-9a-z]+.
    assert query_words("a_b%c & d:* | !e") == ["a", "b", "c", "d", "e"]
    assert found("sant' OR 1=1 --") == []


def test_search_document_follows_every_single_row_write(clusters):
    genopole = clusters["genopole"]
    sector = Sector.objects.get(slug="biotechnologies")
    sector.name = "Sciences du vivant"
    sector.save()
    assert found("vivant") == ["Genopole"]

    extra = factories.SectorFactory(name="Thalassothérapie", slug="thalasso")
    genopole.sectors.add(extra)
    assert found("thalassotherapie") == ["Genopole"]
    extra.clusters.clear()
    assert found("thalassotherapie") == []
    genopole.sectors.add(extra)
    extra.delete()
    assert found("thalassotherapie") == []

    programme = Programme.objects.get(acronym="EU4HEALTH")
    programme.name = "Partenariat Méditerranée"
    programme.save()
    assert found("mediterranee") == ["Genopole"]
    programme.delete()
    assert found("mediterranee") == []

    participation = factories.ParticipationFactory(cluster=clusters["valley"], programme=factories.ProgrammeFactory(name="Scent Route"))
    assert found("scent") == ["Cosmetic Valley"]
    participation.delete()
    assert found("scent") == []

    genopole.name = "Genopole Évry"
    genopole.save()
    assert found("genopole evry") == ["Genopole Évry"]


def test_bulk_writes_are_caught_up_by_the_documented_refresh(clusters):
    Cluster.objects.filter(pk=clusters["valley"].pk).update(summary="Parfums et arômes")
    assert found("aromes") == []
    assert Cluster.objects.all().refresh_search_text() == 4
    assert found("aromes") == ["Cosmetic Valley"]


def test_loaddata_fixtures_are_found_by_search(db):
    call_command("loaddata", Path(__file__).parent / "fixtures" / "search_clusters.json", verbosity=0)
    assert found("oceanographie") == ["Pôle Mer Bretagne Atlantique"]
    assert found("blue growth") == ["Pôle Mer Bretagne Atlantique"]
    assert found("economie brest") == ["Pôle Mer Bretagne Atlantique"]


def test_postgresql_answers_searches_from_the_migrations_indexes(clusters):
    if not ON_POSTGRESQL:
        # SQLite has no such index types: the migration leaves it alone and search still works.
        assert found("genopole") == ["Genopole"]
        return
    with connection.cursor() as cursor:
        # Tiny tables are cheaper to scan: forbid that, to see which index the planner can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
    full_text = Cluster.objects.search("cosmétique").explain()
    assert "directory_cluster_search_vector_gin" in full_text
    typo = Cluster.objects.search("Genoppole").explain()
    assert "directory_cluster_search_name_trgm" in typo
