"""The committed fixtures load with plain `manage.py loaddata` on an empty migrated database."""

import io

from django.core.management import call_command

from directory.models import Cluster, Label, Participation, Programme, Region, SeedRecord, Status
from directory.seed import FIXTURE_FILES, FIXTURES_DIR


def test_plain_loaddata_on_an_empty_database_then_the_loader_adopts_it(db):
    assert not Cluster.objects.exists()
    call_command("loaddata", *[FIXTURES_DIR / name for name in FIXTURE_FILES], verbosity=0)

    assert Region.objects.count() == 18
    assert Cluster.objects.count() == 188
    assert Programme.objects.count() == 28
    assert Participation.objects.filter(cluster__name="Cosmetic Valley").count() == 4
    assert Label.objects.exists()
    cemater = Cluster.objects.get(slug="cemater")
    assert (cemater.status, cemater.successor.name) == (Status.ARCHIVED, "DERBI")
    # The fixed timestamps of the fixture, not the time of loading.
    assert cemater.updated_at.isoformat() == "2026-11-01T00:00:00+00:00"

    out = io.StringIO()
    call_command("load_seed_data", stdout=out)
    output = out.getvalue()
    # Rows loaded by loaddata are recognised: nothing created, nothing rewritten.
    assert "Clusters : 0 créés, 0 mis à jour, 188 inchangés" in output
    for line in output.splitlines():
        assert " 0 créés, 0 mis à jour," in line, line
    assert SeedRecord.objects.filter(model="directory.cluster").count() == 188
