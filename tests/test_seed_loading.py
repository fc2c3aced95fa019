"""load_seed_data: the seed in the database, the rules of the sources, and staff work never undone.

The seed is loaded once for the module (about 900 rows); each test runs in a transaction rolled
back at its end, so edits made by one test never leak into the next.
"""

import io
import json
import shutil

import pytest
from django.core.management import call_command

from directory.models import (
    Cluster,
    ClusterKind,
    ClusterSource,
    Department,
    Label,
    Participation,
    Programme,
    Region,
    Sector,
    SeedRecord,
    Status,
)
from directory.seed import FIXTURE_FILES, FIXTURES_DIR
from directory.seed.loading import load_seed_data


def delete_seed():
    Label.objects.all().delete()
    Participation.objects.all().delete()
    Programme.objects.all().delete()
    ClusterSource.objects.all().delete()
    Cluster.objects.update(successor=None)
    Cluster.objects.all().delete()
    Sector.objects.all().delete()
    Department.objects.all().delete()
    Region.objects.all().delete()
    SeedRecord.objects.all().delete()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        report = load_seed_data()
    yield report
    with django_db_blocker.unblock():
        delete_seed()


def run_loader(fixtures_dir=FIXTURES_DIR):
    out = io.StringIO()
    call_command("load_seed_data", fixtures=fixtures_dir, stdout=out)
    return out.getvalue()


def test_first_load_creates_everything(seeded, db):
    assert seeded.total("created") == 18 + 101 + Sector.objects.count() + 188 + ClusterSource.objects.count() + 28 + (
        Participation.objects.count() + Label.objects.count()
    )
    assert seeded.total("skipped") == 0


def test_counts(seeded, db):
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert 20 <= Sector.objects.count() <= 30
    assert Cluster.objects.count() == 188
    assert Programme.objects.count() == 28
    assert 60 <= Label.objects.count() <= 80
    assert Cluster.objects.filter(sectors__isnull=True).count() == 0


def test_every_department_belongs_to_its_region(seeded, db):
    assert Department.objects.get(insee_code="2A").region.name == "Corse"
    assert Department.objects.get(insee_code="976").region.insee_code == "06"
    for cluster in Cluster.objects.filter(department__isnull=False).select_related("department"):
        assert cluster.region_id == cluster.department.region_id


def test_cosmetic_valley(seeded, db):
    cluster = Cluster.objects.get(name="Cosmetic Valley")
    assert cluster.kind == ClusterKind.POLE
    assert cluster.status == Status.PUBLISHED
    assert (cluster.hq_city, cluster.hq_commune_code, cluster.postcode) == ("Chartres", "28085", "28000")
    assert cluster.region.name == "Centre-Val de Loire"
    assert cluster.department.insee_code == "28"
    assert cluster.founded_year == 1994
    assert cluster.position_precision == "commune"
    assert cluster.has_position
    assert cluster.declared_members == 1500 and cluster.declared_year is None
    actt = Participation.objects.get(programme__acronym="ACTT4Cosmetics")
    assert (actt.cluster, actt.role) == (cluster, "coordinateur")
    assert cluster.sources.filter(url="https://actt4cosmetics.eu/mission").exists()
    assert cluster.labels.filter(name__contains="phase V").count() == 1


def test_genopole(seeded, db):
    (cluster,) = Cluster.objects.filter(name="Genopole")
    assert cluster.kind == ClusterKind.BIOCLUSTER
    assert cluster.status == Status.PUBLISHED
    assert cluster.hq_city == "Évry-Courcouronnes"
    assert cluster.region.name == "Île-de-France"
    assert cluster.founded_year == 1998
    # Its sources come from both files it appears in.
    notes = set(cluster.sources.values_list("note", flat=True))
    assert any("seed_clusters.csv" in note for note in notes)
    assert any("clusters_regionaux.csv" in note for note in notes)


def test_britinov_is_a_published_business_cluster_with_no_invented_place(seeded, db):
    cluster = Cluster.objects.get(name="Brit'Inov")
    assert (cluster.kind, cluster.status) == (ClusterKind.BUSINESS, Status.PUBLISHED)
    assert cluster.region.insee_code == "53"
    assert cluster.hq_city == "" and cluster.latitude is None and cluster.department is None


def test_mergers_point_to_the_last_successor(seeded, db):
    cemater = Cluster.objects.get(name="Cemater")
    assert cemater.status == Status.ARCHIVED
    assert cemater.successor.name == "DERBI"
    # EDIT → Clust'R Numérique → Digital League.
    assert Cluster.objects.get(name="EDIT").successor.name == "Digital League"
    assert Cluster.objects.get(name="Clust'R Numérique").successor.name == "Digital League"
    mont_blanc = Cluster.objects.get(name="Mont-Blanc Industries")
    assert (mont_blanc.status, mont_blanc.successor) == (Status.ARCHIVED, None)


def test_publication_rules(seeded, db):
    # Pôles: high and medium published, low draft.
    assert Cluster.objects.get(name="Axelera").status == Status.PUBLISHED  # high
    assert Cluster.objects.get(name="Nuclear Valley").status == Status.PUBLISHED  # medium
    assert Cluster.objects.get(name="S2E2").status == Status.DRAFT  # low
    # Regional: actif + high/medium published; inconnu or low draft.
    assert Cluster.objects.get(name="Euralogistic").status == Status.PUBLISHED  # actif, high
    assert Cluster.objects.get(name="Neopolia").status == Status.PUBLISHED  # actif, medium
    assert Cluster.objects.get(name="Nekoé").status == Status.DRAFT  # inconnu, high
    assert Cluster.objects.get(name="Coboteam").status == Status.DRAFT  # inconnu, low
    counts = {status: Cluster.objects.filter(status=status).count() for status in Status}
    assert counts == {Status.PUBLISHED: 80, Status.DRAFT: 82, Status.ARCHIVED: 26}


def test_nothing_invented(seeded, db):
    assert not Cluster.objects.filter(last_verified_on__isnull=False).exists()
    no_city = Cluster.objects.filter(hq_city="")
    assert no_city.count() == 188 - 81
    assert not no_city.filter(latitude__isnull=False).exists()
    assert not no_city.exclude(hq_commune_code="").exists()
    assert Cluster.objects.located().count() == 81
    assert not Cluster.objects.located().exclude(position_precision="commune").exists()
    systematic = Cluster.objects.get(name="Systematic Paris-Region")
    assert systematic.hq_city == "" and systematic.department is None and systematic.region.insee_code == "11"


def test_label_under_former_name_stays_with_its_cluster(seeded, db):
    label = Label.objects.get(awarded_under_name="iD4CAR", level="gold")
    assert label.cluster.name == "ID4Mobility"
    assert (label.awarded_display, label.awarded_precision) == ("2016", "year")
    phase_iv = Label.objects.get(cluster__name="Fibres-Energivie", name__contains="phase IV")
    assert phase_iv.valid_until_display == "2019"


def test_second_run_changes_nothing(seeded, db):
    output = run_loader()
    assert "Clusters : 0 créés, 0 mis à jour, 188 inchangés" in output
    assert " 0 créés, 0 mis à jour" in output and "1 créés" not in output
    for line in output.splitlines():
        assert " 0 créés, 0 mis à jour," in line, line


def test_staff_edits_survive_a_reload(seeded, db):
    genopole = Cluster.objects.get(name="Genopole")
    genopole.website = "https://www.genopole.com"
    genopole.status = Status.ARCHIVED
    genopole.save()
    axelera = Cluster.objects.get(name="Axelera")
    axelera.status = Status.DRAFT
    axelera.save()
    Label.objects.filter(cluster__name="Vitagora").delete()

    output = run_loader()

    genopole.refresh_from_db()
    assert (genopole.website, genopole.status) == ("https://www.genopole.com", Status.ARCHIVED)
    assert Cluster.objects.get(name="Axelera").status == Status.DRAFT
    assert not Label.objects.filter(cluster__name="Vitagora").exists()
    assert "3 champs modifiés par l’équipe conservés" in output


def test_untouched_fields_follow_the_source_but_staff_fields_do_not(seeded, db, tmp_path):
    for name in FIXTURE_FILES:
        shutil.copy(FIXTURES_DIR / name, tmp_path / name)
    objects = json.loads((tmp_path / "clusters.json").read_text(encoding="utf-8"))
    for obj in objects:
        if obj["model"] == "directory.cluster" and obj["fields"]["name"] in ("Genopole", "Minalogic"):
            obj["fields"]["website"] = "https://source-corrigee.example.org"
            obj["fields"]["founded_year"] = 2001
    (tmp_path / "clusters.json").write_text(json.dumps(objects), encoding="utf-8")
    genopole = Cluster.objects.get(name="Genopole")
    genopole.website = "https://www.genopole.com"
    genopole.save()

    output = run_loader(tmp_path)

    genopole.refresh_from_db()
    minalogic = Cluster.objects.get(name="Minalogic")
    assert genopole.website == "https://www.genopole.com"
    assert genopole.founded_year == 2001
    assert (minalogic.website, minalogic.founded_year) == ("https://source-corrigee.example.org", 2001)
    assert "Clusters : 0 créés, 2 mis à jour" in output


def test_quiet_with_verbosity_zero(seeded, db):
    out = io.StringIO()
    call_command("load_seed_data", verbosity=0, stdout=out)
    assert out.getvalue() == ""
