"""ClusterFilterSet: what each filter keeps, how they combine, what never gets through."""

from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from directory.filters import ClusterFilterSet, clean_params
from directory.models import ClusterKind, Status
from tests import factories

pytestmark = pytest.mark.django_db


def names(query):
    data, _notes = clean_params(QueryDict(query))
    return sorted(cluster.name for cluster in ClusterFilterSet(data).qs)


@pytest.fixture
def directory(eure_et_loir, essonne):
    centre, idf = eure_et_loir.region, essonne.region
    bretagne = factories.RegionFactory(insee_code="53", name="Bretagne", slug="bretagne")
    sante = factories.SectorFactory(name="Santé", slug="sante")
    cosmetique = factories.SectorFactory(name="Cosmétique", slug="cosmetique")
    numerique = factories.SectorFactory(name="Numérique", slug="numerique")
    horizon = factories.ProgrammeFactory(acronym="CLUSTERS4HEALTH", slug="clusters4health", partner_countries=["IT", "DE"])
    interreg = factories.ProgrammeFactory(acronym="MED-COSMETICS", slug="med-cosmetics", partner_countries=["ES"])
    valley = factories.ClusterFactory(
        name="Cosmetic Valley", kind=ClusterKind.POLE, department=eure_et_loir, sectors=[cosmetique],
        latitude=48.44, longitude=1.49,
    )
    genopole = factories.ClusterFactory(
        name="Genopole", kind=ClusterKind.BIOCLUSTER, department=essonne, sectors=[sante]
    )
    breizh = factories.ClusterFactory(name="Breizh Numérique", kind=ClusterKind.GRAPPE, region=bretagne, sectors=[numerique, sante])
    breizh.regions_covered.add(centre)
    factories.ParticipationFactory(programme=horizon, cluster=genopole)
    factories.ParticipationFactory(programme=horizon, cluster=valley)
    factories.ParticipationFactory(programme=interreg, cluster=valley)
    factories.ClusterFactory(name="Ancien pôle santé", status=Status.ARCHIVED, region=centre, sectors=[sante], latitude=48.0, longitude=1.0)
    factories.ClusterFactory(name="Brouillon santé", status=Status.DRAFT, region=centre, sectors=[sante])
    return locals()


def test_no_parameter_lists_every_published_cluster_by_name(directory):
    assert names("") == ["Breizh Numérique", "Cosmetic Valley", "Genopole"]


def test_archived_and_draft_clusters_never_get_through_whatever_the_queryset(directory):
    from directory.models import Cluster

    filterset = ClusterFilterSet(QueryDict("secteur=sante"), queryset=Cluster.objects.all())
    assert sorted(c.name for c in filterset.qs) == ["Breizh Numérique", "Genopole"]
    assert all(option["count"] <= 2 for option in filterset.sector_facet())
    assert names("q=sante") == ["Breizh Numérique", "Genopole"]


def test_region_keeps_headquartered_and_covering_clusters_once(directory):
    assert names("region=centre-val-de-loire") == ["Breizh Numérique", "Cosmetic Valley"]
    assert names("region=bretagne") == ["Breizh Numérique"]


def test_departement(directory):
    assert names("departement=essonne") == ["Genopole"]


def test_secteur_several_values_keep_any_of_them_without_duplicates(directory):
    assert names("secteur=sante") == ["Breizh Numérique", "Genopole"]
    assert names("secteur=sante&secteur=numerique") == ["Breizh Numérique", "Genopole"]
    assert names("secteur=sante&secteur=cosmetique") == ["Breizh Numérique", "Cosmetic Valley", "Genopole"]


def test_type_several_values_keep_any_of_them(directory):
    assert names("type=biocluster") == ["Genopole"]
    assert names("type=biocluster&type=pole-de-competitivite") == ["Cosmetic Valley", "Genopole"]


def test_programme_and_partner_country(directory):
    assert names("programme=clusters4health") == ["Cosmetic Valley", "Genopole"]
    assert names("programme=med-cosmetics") == ["Cosmetic Valley"]
    assert names("pays=DE") == ["Cosmetic Valley", "Genopole"]
    assert names("pays=es") == ["Cosmetic Valley"]
    assert names("pays=JP") == []


def test_different_parameters_combine_with_and(directory):
    assert names("secteur=sante&region=centre-val-de-loire") == ["Breizh Numérique"]
    assert names("pays=DE&type=biocluster") == ["Genopole"]
    assert names("secteur=sante&type=pole-de-competitivite") == []


def test_position_filter(directory):
    assert names("position=presente") == ["Cosmetic Valley"]
    assert names("position=absente") == ["Breizh Numérique", "Genopole"]


def test_unknown_values_are_ignored_and_reported(directory):
    data, notes = clean_params(QueryDict("secteur=sante&secteur=inconnu&type=zz&region=atlantide&tri=hasard&foo=1"))
    filterset = ClusterFilterSet(data)
    assert sorted(c.name for c in filterset.qs) == ["Breizh Numérique", "Genopole"]
    ignored = " ".join(filterset.ignored + notes)
    for value in ("inconnu", "zz", "atlantide", "hasard", "foo"):
        assert value in ignored
    assert filterset.params() == [("secteur", "sante")]


def test_clean_params_handles_repeats_nul_bytes_and_length():
    data, notes = clean_params(QueryDict("q=a%00b&q=second&region=x&region=y&q2=1"))
    assert data.getlist("q") == ["ab"]
    assert data.getlist("region") == ["x"]
    assert "q2" not in data
    assert len(notes) == 4
    data, notes = clean_params(QueryDict("q=" + "é" * 10_000))
    assert len(data["q"]) == 200 and notes


def test_sort_orders(directory):
    from directory.models import Cluster

    Cluster.objects.filter(name="Genopole").update(declared_members=90, founded_year=1998)
    Cluster.objects.filter(name="Cosmetic Valley").update(declared_members=300, founded_year=1994)
    assert [c.name for c in ClusterFilterSet(QueryDict("tri=membres")).qs] == ["Cosmetic Valley", "Genopole", "Breizh Numérique"]
    assert [c.name for c in ClusterFilterSet(QueryDict("tri=creation")).qs] == ["Cosmetic Valley", "Genopole", "Breizh Numérique"]
    filterset = ClusterFilterSet(QueryDict("tri=pertinence"))
    assert filterset.sort == "nom"
    assert ClusterFilterSet(QueryDict("q=sante")).sort == "pertinence"


def test_facet_counts_use_the_other_active_filters(directory):
    filterset = ClusterFilterSet(QueryDict("secteur=sante&type=biocluster"))
    kinds = {option["value"]: option["count"] for option in filterset.kind_facet()}
    # Type counts ignore the type filter but keep the sector one.
    assert kinds["biocluster"] == 1 and kinds["grappe-d-entreprises"] == 1 and kinds["pole-de-competitivite"] == 0
    sectors = {option["value"]: option["count"] for option in filterset.sector_facet()}
    # Sector counts ignore the sector filter but keep the type one.
    assert sectors == {"sante": 1}
    regions = {option["value"]: option["count"] for option in filterset.region_facet()}
    assert regions == {"ile-de-france": 1}
    programmes = {option["value"]: option["count"] for option in ClusterFilterSet(QueryDict("")).programme_facet()}
    assert programmes == {"clusters4health": 2, "med-cosmetics": 1}
    regions = {option["value"]: option["count"] for option in ClusterFilterSet(QueryDict("")).region_facet()}
    assert regions == {"centre-val-de-loire": 2, "ile-de-france": 1, "bretagne": 1}


def test_active_filters_remove_one_value_at_a_time(directory):
    filterset = ClusterFilterSet(QueryDict("q=santé&secteur=sante&secteur=numerique&region=bretagne"))
    removals = {item["label"]: item["querystring"] for item in filterset.active_filters()}
    assert removals["Secteur : Santé"] == "q=sant%C3%A9&region=bretagne&secteur=numerique"
    assert removals["Recherche : « santé »"] == "region=bretagne&secteur=numerique&secteur=sante"


def test_clean_params_sums_up_a_flood_of_unknown_parameters():
    data, notes = clean_params(QueryDict("&".join(f"p{n}=1" for n in range(200)) + "&q=mer"))
    assert data.getlist("q") == ["mer"]
    assert len(notes) == 6
    assert notes[-1] == "195 autres paramètres non reconnus sont ignorés."


def facet(filterset, name):
    return {option["value"]: option["count"] for option in filterset.facets[name]}


def test_a_cluster_counts_in_every_region_it_covers_under_other_filters(directory):
    filterset = ClusterFilterSet(QueryDict("secteur=numerique"))
    # Breizh Numérique is headquartered in Bretagne and covers Centre-Val de Loire.
    assert facet(filterset, "region") == {"bretagne": 1, "centre-val-de-loire": 1}


def test_each_facet_counts_under_every_other_active_filter_at_once(directory):
    filterset = ClusterFilterSet(QueryDict("secteur=sante&region=centre-val-de-loire&type=grappe-d-entreprises"))
    assert [cluster.name for cluster in filterset.qs] == ["Breizh Numérique"]
    assert filterset.matching_count == 1
    # Region: sector and type apply, not region. Santé grappes: Breizh only, in its two regions.
    assert facet(filterset, "region") == {"bretagne": 1, "centre-val-de-loire": 1}
    # Sector: region and type apply. Type: region and sector apply (Genopole is in Île-de-France).
    assert facet(filterset, "secteur") == {"numerique": 1, "sante": 1}
    assert facet(filterset, "type")["grappe-d-entreprises"] == 1 and facet(filterset, "type")["biocluster"] == 0
    assert facet(filterset, "programme") == {} and facet(filterset, "pays") == {}
    assert facet(filterset, "departement") == {}
    checked = {name: [o["value"] for o in options if o["checked"]] for name, options in filterset.facets.items()}
    assert checked["region"] == ["centre-val-de-loire"] and checked["secteur"] == ["sante"]
    assert checked["type"] == ["grappe-d-entreprises"]


def test_chosen_options_stay_listed_at_zero(directory):
    filterset = ClusterFilterSet(QueryDict("programme=med-cosmetics&pays=DE&departement=essonne&region=bretagne"))
    assert list(filterset.qs) == []
    assert filterset.matching_count == 0
    assert facet(filterset, "programme") == {"med-cosmetics": 0}
    assert facet(filterset, "pays") == {"DE": 0}
    assert facet(filterset, "departement") == {"essonne": 0}
    assert facet(filterset, "region") == {"bretagne": 0}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=sante",
        "region=centre-val-de-loire",
        "region=bretagne&tri=membres",
        "secteur=sante&type=biocluster",
        "secteur=sante&secteur=cosmetique",
        "pays=DE&position=absente",
        "position=presente",
        "programme=clusters4health&departement=eure-et-loir",
        "pays=ES",
        "q=zzz",
    ],
)
def test_matching_is_the_lists_clusters_in_its_order(directory, query):
    # The list pages through `matching`, worked out with the facets' data; the map and any
    # export read `qs`, through the filter methods: both must keep the same clusters.
    data, _notes = clean_params(QueryDict(query))
    filterset = ClusterFilterSet(data)
    assert [row[0] for row in filterset.matching] == [cluster.pk for cluster in filterset.qs]
    assert filterset.matching_count == filterset.qs.count()


def test_programme_options_are_by_label_whatever_the_case(directory):
    factories.ParticipationFactory(
        programme=factories.ProgrammeFactory(acronym="agroBRIDGES", slug="agrobridges"), cluster=directory["genopole"]
    )
    labels = [option["label"] for option in ClusterFilterSet(QueryDict("")).facets["programme"]]
    assert labels == ["agroBRIDGES", "CLUSTERS4HEALTH", "MED-COSMETICS"]


def test_each_filterset_has_its_own_filters_and_slug_lookups(directory):
    # The class's form and filters are copied cheaply (CheaplyCopiedFilter, get_form_class):
    # each FilterSet's filter methods and slug lookups must still be its own.
    first, second = (ClusterFilterSet(clean_params(QueryDict(query))[0]) for query in ("region=bretagne", "secteur=sante"))
    assert first.filters["region"] is not second.filters["region"]
    assert first.filters["region"].extra is not second.filters["region"].extra
    assert all(filter_.parent is first for filter_ in first.filters.values())
    assert first.filters["position"].filter.f is first.filters["position"]
    assert first.cleaned["region"].slug == "bretagne" and second.cleaned["secteur"][0].slug == "sante"
    assert first.form.fields["region"].lookup.func.__self__ is first
    assert second.form.fields["region"].lookup.func.__self__ is second
    assert sorted(cluster.name for cluster in first.qs) == ["Breizh Numérique"]
    assert sorted(cluster.name for cluster in second.qs) == ["Breizh Numérique", "Genopole"]


@pytest.mark.parametrize("sort", ["", "nom", "membres", "creation", "pertinence"])
def test_the_unsearched_list_compiled_once_reads_what_the_orm_query_reads(directory, sort):
    # Without a search, _clusters runs SQL compiled once per order (_listing_sql).
    filterset = ClusterFilterSet(clean_params(QueryDict(f"tri={sort}"))[0])
    expected = list(filterset.order(filterset.searched).values_list("pk", "kind", "region_id", "department_id"))
    assert [tuple(row) for row in filterset._clusters] == expected
    assert len(expected) == 3


@pytest.mark.parametrize(
    "query",
    ["cosmetic", "Cosmétique valley", "genoppole", "santé zqxj0jxqz", "rien du tout", " ".join(["a"] * 30), "%_"],
)
def test_the_searched_list_compiled_once_reads_what_the_orm_query_reads(directory, query):
    # With a search too, _clusters runs SQL compiled once per order and number of words.
    for sort in ("", "nom", "membres"):
        filterset = ClusterFilterSet(clean_params(QueryDict(urlencode({"q": query, "tri": sort})))[0])
        expected = list(filterset.order(filterset.searched).values_list("pk", "kind", "region_id", "department_id"))
        assert [tuple(row) for row in filterset._clusters] == expected
