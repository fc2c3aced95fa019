"""Benchmark of the member import at national scale: 80,000 rows, validated then imported twice.

Usage (the database in DATABASE_URL is migrated first; the issue's figure is on PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5433/imports_bench \\
        .venv/bin/python benchmarks/import_members.py [--rows 80000] [--seed 7] [--keep-csv PATH]

It generates a CSV as a French office would send it (`;`, Windows-1252, French labels, plainly
fictional names, SIRENs with a valid check digit, memberships of a few benchmark clusters),
then times, first through the service: the preview (validation), the import (validation again
and writing, in one transaction), and a second import of the same file, which must change
nothing; then through the admin, as a staff member (Django's test client, in this process):
the upload request that answers with the preview, and the confirmation request, each of which
must fit inside gunicorn's 30-second timeout. Benchmark clusters and organisations it created
before are deleted first, so each run starts from the same state.
"""

import argparse
import csv
import io
import os
import random
import sys
import time
import warnings
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusters_site.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
# whitenoise warns when static files were never collected: the benchmark serves none.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from stdnum import luhn  # noqa: E402

from django.db import transaction  # noqa: E402

from directory.caching import bump_site_version  # noqa: E402
from directory.imports.members import COLUMNS, apply_plan, plan_import  # noqa: E402
from directory.models import Cluster, ClusterKind, Department, Membership, Organisation, Region, Status  # noqa: E402

BENCH_PREFIX = "banc-essai"
# Used only when the database holds no geography yet (the seed loader normally brings it).
FALLBACK_DEPARTMENTS = [("75", "Paris"), ("69", "Rhône"), ("13", "Bouches-du-Rhône"), ("33", "Gironde"),
                        ("31", "Haute-Garonne"), ("44", "Loire-Atlantique"), ("59", "Nord"),
                        ("67", "Bas-Rhin"), ("2A", "Corse-du-Sud"), ("971", "Guadeloupe")]  # fmt: skip
FIRST = ["Atelier", "Forge", "Laboratoire", "Comptoir", "Manufacture", "Fabrique", "Bureau", "Studio",
         "Maison", "Société"]  # fmt: skip
SECOND = ["Imaginaire", "Fictif", "des Essais", "de l’Exemple", "Démo", "Pour de faux", "Inventé",
          "Chimérique", "Factice", "d’Illustration"]  # fmt: skip
KINDS = ["Entreprise"] * 8 + ["Laboratoire de recherche", "Association", "Organisme public", "Université ou école"]
SIZES = ["Micro-entreprise"] * 6 + ["PME"] * 3 + ["ETI", "Grande entreprise", ""]
ROLES = ["Membre"] * 17 + ["Membre fondateur", "Membre du conseil d’administration", "membre"]
CITIES = ["Paris", "Lyon", "Marseille", "Bordeaux", "Toulouse", "Nantes", "Lille", "Strasbourg", "Ajaccio", "Pointe-à-Pitre"]


def delete_previous_run():
    """The last run's organisations and clusters, link rows first, each in one statement.

    Through the collector, 80,000 organisations took 95 s (a DELETE per batch of links and a
    signal per row); raw deletes send no signal, so the page cache is told once at the end.
    """
    organisations = Organisation.objects.filter(slug__startswith=f"{BENCH_PREFIX}-")
    clusters = Cluster.objects.filter(slug__startswith=f"{BENCH_PREFIX}-")
    with transaction.atomic():
        for links in (
            Membership.objects.filter(organisation__in=organisations),
            Membership.objects.filter(cluster__in=clusters),
            Organisation.sectors.through.objects.filter(organisation__in=organisations),
        ):
            links._raw_delete(links.db)
        organisations._raw_delete(organisations.db)
        clusters.delete()
        bump_site_version()


def ensure_fixtures(cluster_count):
    if not Department.objects.exists():
        region, _ = Region.objects.get_or_create(
            insee_code="99", defaults={"name": "Région du banc d’essai", "slug": f"{BENCH_PREFIX}-region"}
        )
        for code, name in FALLBACK_DEPARTMENTS:
            Department.objects.get_or_create(
                insee_code=code, defaults={"name": name, "slug": f"{BENCH_PREFIX}-{code.lower()}", "region": region}
            )
    delete_previous_run()
    Cluster.objects.bulk_create(
        Cluster(name=f"Cluster du banc d’essai {n}", slug=f"{BENCH_PREFIX}-cluster-{n}",
                kind=ClusterKind.GRAPPE, status=Status.DRAFT)
        for n in range(1, cluster_count + 1)
    )  # fmt: skip
    return list(Department.objects.values_list("insee_code", flat=True)), [
        f"{BENCH_PREFIX}-cluster-{n}" for n in range(1, cluster_count + 1)
    ]


def siren_for(number):
    base = f"{number + 30_000_000:08d}"
    return base + luhn.calc_check_digit(base)


def generate_csv(rows, departments, clusters, seed):
    """About 1.25 memberships per organisation; one organisation in twenty has no SIREN."""
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    written, number = 0, 0
    while written < rows:
        number += 1
        department = rng.choice(departments)
        name = f"{BENCH_PREFIX} {rng.choice(FIRST)} {rng.choice(SECOND)} n° {number}"
        siren = "" if number % 20 == 0 else siren_for(number)
        organisation = [siren, name, rng.choice(KINDS), rng.choice(SIZES), rng.choice(CITIES), department,
                        f"www.exemple-{number}.fr" if number % 3 else "", ]  # fmt: skip
        for cluster in rng.sample(clusters, 2 if number % 4 == 0 else 1):
            if written == rows:
                break
            year = str(rng.randint(1990, 2025)) if rng.random() < 0.7 else ""
            writer.writerow([*organisation, cluster, rng.choice(ROLES), year, "non" if number % 50 == 0 else "oui"])
            written += 1
    # Excel on a French Windows: Windows-1252, `;`. Names use only characters it can encode.
    return out.getvalue().encode("cp1252")


def admin_requests(data):
    """The two requests of the admin import, timed from the client's side (gunicorn's timeout)."""
    from django.contrib.auth.models import Group, User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from directory.models import ImportBatch

    user, _ = User.objects.get_or_create(username=f"{BENCH_PREFIX}-staff", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Équipe France Clusters"))
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    timings = []
    upload = SimpleUploadedFile("banc-essai.csv", data, content_type="text/csv")
    response, elapsed = timed(
        "admin: upload + preview request",
        lambda: client.post(reverse("admin:directory_organisation_import"), {"file": upload}, secure=True),
    )
    assert response.status_code == 302, response.status_code
    timings.append(elapsed)
    batch = ImportBatch.objects.filter(user=user).latest("pk")
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors[:5]
    confirm_url = reverse("admin:directory_organisation_import_confirm", args=[batch.pk])
    response, elapsed = timed("admin: confirm request", lambda: client.post(confirm_url, secure=True))
    assert response.status_code == 302, response.status_code
    timings.append(elapsed)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED, batch.status
    print("  written:", {name: getattr(batch, name) for name in ImportBatch.COUNT_FIELDS})
    return timings


def backend_cpu():
    """(PostgreSQL backend pid, its CPU seconds) when the server runs on this machine, else None.

    On a machine shared with other work, wall-clock time mostly measures the queue for the CPU:
    the CPU time of this process plus that of its database backend is what the import costs.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label, function):
    """Wall-clock time, this process's CPU time and its PostgreSQL backend's (when local)."""
    backend_before = backend_cpu()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = function()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    backend_after = backend_cpu()
    database = ""
    if backend_before and backend_after and backend_before[0] == backend_after[0]:
        database = f", PostgreSQL CPU {backend_after[1] - backend_before[1]:6.2f} s"
    print(f"{label:<38} {elapsed:7.2f} s  (Python CPU {cpu:6.2f} s{database})")
    return result, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=80_000)
    parser.add_argument("--clusters", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep-csv", type=Path, help="also write the generated CSV there")
    args = parser.parse_args()

    from django.db import connection

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    departments, clusters = ensure_fixtures(args.clusters)
    data, _ = timed(f"generate {args.rows:,} rows".replace(",", " "), lambda: generate_csv(args.rows, departments, clusters, args.seed))
    if args.keep_csv:
        args.keep_csv.write_bytes(data)
    print(f"CSV: {len(data) / 1e6:.1f} MB, cp1252, ';'")

    plan, validate_time = timed("validate (preview)", lambda: plan_import(data))
    assert plan.is_valid, plan.errors[:5]
    print("  planned:", plan.counts())
    counts, import_time = timed("validate + import (confirm)", lambda: apply_plan(plan_import(data)))
    print("  written:", counts)
    counts_again, again_time = timed("second import, same file", lambda: apply_plan(plan_import(data)))
    print("  written:", counts_again)
    assert counts_again["organisations_created"] == counts_again["organisations_updated"] == 0, counts_again
    assert counts_again["memberships_created"] == counts_again["memberships_updated"] == 0, counts_again
    print(f"Service total, preview + confirm: {validate_time + import_time:.2f} s (budget 60 s)")

    timed("delete the benchmark organisations", lambda: ensure_fixtures(args.clusters))
    timings = admin_requests(data)
    print(f"Admin, longest request: {max(timings):.2f} s (gunicorn's timeout: 30 s)")


if __name__ == "__main__":
    main()
