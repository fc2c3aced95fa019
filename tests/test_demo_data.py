"""The national-scale demo data generator (directory/demo/, generate_demo_data), at small counts."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from stdnum.fr import siren as siren_number

from directory.seed import FIXTURES_DIR
from directory.demo.generator import MAX_CLUSTER_MEMBERS, MIN_CLUSTER_MEMBERS, cluster_sizes
from directory.models import Cluster, Department, Membership, Organisation, Region, Sector, Status
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, ProgrammeFactory

CLUSTERS, MEMBERS = 30, 500


@pytest.fixture
def reference_data(db):
    """The real geography and sectors, a few programmes, and real rows staff made."""
    call_command("loaddata", FIXTURES_DIR / "geography.json", FIXTURES_DIR / "sectors.json", verbosity=0)
    for _ in range(3):
        ProgrammeFactory()
    real_cluster = ClusterFactory(name="Cosmetic Valley", region=Region.objects.get(insee_code="24"))
    draft = ClusterFactory(name="Brouillon réel", status=Status.DRAFT)
    real_member = OrganisationFactory(name="Société réelle", siren="732829320")
    MembershipFactory(cluster=real_cluster, organisation=real_member)
    return {"cluster": real_cluster, "draft": draft, "member": real_member}


def generate(*args, **options):
    out, err = StringIO(), StringIO()
    call_command(
        "generate_demo_data", "--clusters", str(CLUSTERS), "--members", str(MEMBERS), *args,
        stdout=out, stderr=err, **options,
    )
    return out.getvalue(), err.getvalue()


def snapshot():
    return {
        "clusters": sorted(Cluster.objects.filter(is_demo=True).values_list("name", "slug", "region__insee_code")),
        "organisations": sorted(Organisation.objects.filter(is_demo=True).values_list("name", "siren", "city")),
        "memberships": sorted(
            Membership.objects.filter(organisation__is_demo=True).values_list(
                "cluster__name", "organisation__name", "role", "year_joined"
            )
        ),
    }


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_counts(reference_data, debug):
    out, err = generate("--seed", "7")
    assert Cluster.objects.published().count() == CLUSTERS
    assert Cluster.objects.filter(is_demo=True).count() == CLUSTERS - 1  # one real published cluster
    assert Cluster.objects.filter(is_demo=True, status=Status.PUBLISHED).count() == CLUSTERS - 1
    assert Organisation.objects.filter(is_demo=True).count() == MEMBERS
    assert Membership.objects.filter(organisation__is_demo=True).count() == round(MEMBERS * 1.25)
    assert "Créé : organisations 500" in out
    assert "Organisations" in err and "100 %" in err  # the progress bar


def test_same_seed_same_data_other_seed_other_data(reference_data, debug):
    generate("--seed", "3")
    first = snapshot()
    generate("--seed", "3")  # replaces the previous demo data
    assert snapshot() == first
    generate("--seed", "4")
    assert snapshot()["organisations"] != first["organisations"]


def test_names_are_plainly_fictional_and_sirens_valid_and_unique(reference_data, debug):
    generate()
    organisations = Organisation.objects.filter(is_demo=True)
    names = list(organisations.values_list("name", flat=True))
    names += Cluster.objects.filter(is_demo=True).values_list("name", flat=True)
    assert all(" fictif " in name or " fictive " in name for name in names)
    sirens = [siren for siren in organisations.values_list("siren", flat=True) if siren]
    assert len(sirens) > MEMBERS * 0.8
    assert all(siren_number.is_valid(siren) for siren in sirens)
    assert len(set(sirens)) == len(sirens)
    assert reference_data["member"].siren not in sirens


def test_demo_members_join_demo_clusters_only(reference_data, debug):
    generate()
    assert not Membership.objects.filter(organisation__is_demo=True, cluster__is_demo=False).exists()
    # The real cluster keeps exactly its real member.
    assert list(reference_data["cluster"].memberships.values_list("organisation__name", flat=True)) == [
        "Société réelle"
    ]
    # Every demo organisation belongs to at least one cluster.
    assert not Organisation.objects.filter(is_demo=True, memberships__isnull=True).exists()


def test_spreads(reference_data, debug):
    generate("--seed", "11")
    sizes = Counter(Membership.objects.filter(cluster__is_demo=True).values_list("cluster_id", flat=True))
    assert len(sizes) == CLUSTERS - 1
    assert min(sizes.values()) >= MIN_CLUSTER_MEMBERS
    # Every region has a demo cluster; every département has demo members.
    assert set(Cluster.objects.filter(is_demo=True).values_list("region_id", flat=True)) == set(
        Region.objects.values_list("pk", flat=True)
    )
    assert set(Organisation.objects.filter(is_demo=True).values_list("department_id", flat=True)) == set(
        Department.objects.values_list("pk", flat=True)
    )
    # Mostly micro and small companies.
    companies = Organisation.objects.filter(is_demo=True, kind="entreprise")
    small = companies.filter(size__in=["micro", "pme"]).count()
    assert small / companies.count() > 0.8
    # Sectors on clusters and organisations; clusters are placed on the map and searchable.
    assert not Cluster.objects.filter(is_demo=True, sectors__isnull=True).exists()
    assert Sector.objects.filter(organisations__is_demo=True).exists()
    assert not Cluster.objects.filter(is_demo=True, latitude__isnull=True).exists()
    demo = Cluster.objects.filter(is_demo=True).first()
    assert demo in Cluster.objects.search(demo.name)


def test_cluster_sizes_at_national_scale():
    import random

    sizes = cluster_sizes(random.Random(1), 212, 100_000)
    assert sum(sizes) == 100_000
    assert min(sizes) >= MIN_CLUSTER_MEMBERS and max(sizes) == MAX_CLUSTER_MEMBERS
    # A long tail: most clusters are well under the largest.
    assert sorted(sizes)[len(sizes) // 2] < 600


def test_delete_removes_demo_rows_and_nothing_else(reference_data, debug):
    generate()
    # Staff attach a real organisation to a real cluster after the generation.
    staff_member = OrganisationFactory(name="Ajoutée par l’équipe")
    MembershipFactory(cluster=reference_data["cluster"], organisation=staff_member)
    out = StringIO()
    call_command("generate_demo_data", "--delete", stdout=out)
    assert not Cluster.objects.filter(is_demo=True).exists()
    assert not Organisation.objects.filter(is_demo=True).exists()
    assert set(Cluster.objects.values_list("name", flat=True)) == {"Cosmetic Valley", "Brouillon réel"}
    assert set(Organisation.objects.values_list("name", flat=True)) == {"Société réelle", "Ajoutée par l’équipe"}
    assert Membership.objects.count() == 2
    assert "500 organisations" in out.getvalue()


def test_refuses_without_debug_unless_forced(reference_data, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        generate()
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_demo_data", "--delete")
    assert not Organisation.objects.filter(is_demo=True).exists()
    generate("--force")
    assert Organisation.objects.filter(is_demo=True).count() == MEMBERS


def test_no_room_for_demo_clusters_is_a_clear_error(reference_data, debug):
    with pytest.raises(CommandError, match="aucun cluster de démonstration"):
        call_command("generate_demo_data", "--clusters", "1", "--members", "10", stdout=StringIO(), stderr=StringIO())


def test_demo_rows_are_shown_as_such(reference_data, debug, client, staff_client):
    generate()
    demo = Cluster.objects.filter(is_demo=True).order_by("name").first()
    page = client.get(demo.get_absolute_url())
    assert "Donnée de démonstration" in page.content.decode()
    real_page = client.get(reference_data["cluster"].get_absolute_url())
    assert "Donnée de démonstration" not in real_page.content.decode()
    results = client.get("/clusters/", {"q": demo.name})
    assert "Donnée de démonstration" in results.content.decode()
    admin_list = staff_client.get("/admin/directory/organisation/", {"is_demo__exact": "1"})
    assert admin_list.status_code == 200
    assert "Société réelle" not in admin_list.content.decode()


def test_delete_costs_a_few_statements_whatever_the_size(reference_data, debug, django_assert_max_num_queries):
    """No row-by-row deletion: no signal per row, one page-cache version bump, no search rewrites."""
    from directory.models import Participation
    from tests.factories import ParticipationFactory

    generate()
    real = ParticipationFactory(cluster=reference_data["cluster"])
    assert Participation.objects.filter(cluster__is_demo=True).exists()
    with django_assert_max_num_queries(30) as queries:
        call_command("generate_demo_data", "--delete", stdout=StringIO())
    bumps = [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "directory_siteversion"')]
    assert len(bumps) <= 1
    assert list(Participation.objects.all()) == [real]
