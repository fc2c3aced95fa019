"""CSV exports of the admin lists, for Excel in French: UTF-8 with a BOM, `;` between cells.

Organisations and memberships are written with the import's own columns and readable French
values, so an export, edited in a spreadsheet, can be imported again.
"""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone, translation

from directory.imports.members import COLUMNS
from directory.models import (
    Cluster,
    ClusterKind,
    Confidence,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    Status,
)

BOM = "\ufeff"
CHUNK_SIZE = 2000


class _Echo:
    """A file-like object whose write() returns the line, for a streaming csv.writer."""

    def write(self, value):
        return value


def french_labels(choices):
    with translation.override("fr"):
        return {value: str(label) for value, label in choices.choices}


def yes_no(value):
    return "oui" if value else "non"


def organisation_rows(queryset):
    kinds, sizes = french_labels(OrganisationKind), french_labels(OrganisationSize)
    rows = (
        Organisation.objects.filter(pk__in=queryset.order_by().values("pk"))
        .order_by("name", "pk")
        .values_list("siren", "name", "kind", "size", "city", "department__insee_code", "website", "publicly_named")
    )
    for siren, name, kind, size, city, department, website, publicly_named in rows.iterator(chunk_size=CHUNK_SIZE):
        # One row per organisation; its memberships are the membership list's export.
        yield [siren, name, kinds.get(kind, kind), sizes.get(size, size), city, department or "", website,
               "", "", "", yes_no(publicly_named)]  # fmt: skip


def membership_rows(queryset):
    kinds, sizes = french_labels(OrganisationKind), french_labels(OrganisationSize)
    roles = french_labels(MembershipRole)
    rows = (
        Membership.objects.filter(pk__in=queryset.order_by().values("pk"))
        .order_by("cluster__slug", "organisation__name", "pk")
        .values_list(
            "organisation__siren", "organisation__name", "organisation__kind", "organisation__size",
            "organisation__city", "organisation__department__insee_code", "organisation__website",
            "cluster__slug", "role", "year_joined", "organisation__publicly_named",
        )
    )  # fmt: skip
    for siren, name, kind, size, city, department, website, cluster, role, year, named in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield [siren, name, kinds.get(kind, kind), sizes.get(size, size), city, department or "", website,
               cluster, roles.get(role, role), year or "", yes_no(named)]  # fmt: skip


CLUSTER_COLUMNS = [
    "slug",
    "nom",
    "type",
    "statut",
    "fiabilite",
    "region",
    "code_departement",
    "ville",
    "site_web",
    "annee_creation",
    "membres_declares",
    "membres_listes",
    "derniere_verification",
    "modifie_le",
]


def cluster_rows(queryset):
    kinds, statuses, confidences = french_labels(ClusterKind), french_labels(Status), french_labels(Confidence)
    rows = (
        Cluster.objects.filter(pk__in=queryset.order_by().values("pk"))
        .with_listed_members_count()
        .order_by("name", "pk")
        .values_list(
            "slug", "name", "kind", "status", "confidence", "region__name", "department__insee_code", "hq_city",
            "website", "founded_year", "declared_members", "listed_members_count", "last_verified_on", "updated_at",
        )
    )  # fmt: skip
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        (slug, name, kind, status, confidence, region, department, city, website, founded, declared, listed,
         verified, updated) = row  # fmt: skip
        yield [slug, name, kinds.get(kind, kind), statuses.get(status, status), confidences.get(confidence, confidence),
               region or "", department or "", city, website, founded or "", "" if declared is None else declared,
               listed, verified.isoformat() if verified else "",
               timezone.localtime(updated).strftime("%Y-%m-%d %H:%M") if updated else ""]  # fmt: skip


EXPORTS = {
    Organisation: (COLUMNS, organisation_rows),
    Membership: (COLUMNS, membership_rows),
    Cluster: (CLUSTER_COLUMNS, cluster_rows),
}


def csv_response(queryset, filename_stem):
    """Stream `queryset` (a changelist's, filters and search applied) as an Excel-friendly CSV."""
    columns, rows = EXPORTS[queryset.model]
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines():
        yield BOM + writer.writerow(columns)
        for row in rows(queryset):
            yield writer.writerow(row)

    filename = f"{filename_stem}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
