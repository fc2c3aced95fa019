"""Import and export in the admin, as a staff member who is not a superuser (directory/admin/imports.py)."""

import csv
import io

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.imports.members import COLUMNS, plan_import
from directory.models import ImportBatch, Membership, Organisation
from tests import factories
from tests.test_imports import GOOD_ROWS, csv_bytes, row_with

IMPORT_URL = reverse("admin:directory_organisation_import")


@pytest.fixture
def clusters(eure_et_loir, essonne):
    return (
        factories.ClusterFactory(name="Pôle d’essai", slug="pole-essai"),
        factories.ClusterFactory(name="Grappe d’essai", slug="grappe-essai"),
    )


def upload(client, data, name="membres.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def preview_url(batch):
    return reverse("admin:directory_organisation_import_preview", args=[batch.pk])


def confirm_url(batch):
    return reverse("admin:directory_organisation_import_confirm", args=[batch.pk])


def test_staff_member_uploads_previews_confirms_and_sees_the_record(staff_client, staff_user, clusters):
    changelist = staff_client.get(reverse("admin:directory_organisation_changelist"))
    assert IMPORT_URL in changelist.content.decode()
    assert staff_client.get(IMPORT_URL).status_code == 200

    response = upload(staff_client, csv_bytes(GOOD_ROWS, encoding="cp1252"), name="adhérents.csv")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == preview_url(batch)
    assert (batch.status, batch.user, batch.file_name, batch.encoding) == ("previewed", staff_user, "adhérents.csv", "cp1252")
    assert not Organisation.objects.exists(), "nothing is written before the confirmation"

    preview = staff_client.get(preview_url(batch))
    page = preview.content.decode()
    assert preview.status_code == 200
    assert confirm_url(batch) in page
    assert "Ce que l’import écrira" in page
    assert (batch.organisations_created, batch.memberships_created) == (2, 3)

    # The confirmation imports the file kept on the server: no second upload.
    response = staff_client.post(confirm_url(batch))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "imported"
    assert batch.finished_at is not None
    assert Organisation.objects.count() == 2
    assert Membership.objects.count() == 3
    result = staff_client.get(preview_url(batch)).content.decode()
    assert "Ce que l’import a écrit" in result
    assert confirm_url(batch) not in result

    history = staff_client.get(reverse("admin:directory_importbatch_changelist"))
    assert history.status_code == 200
    assert "adhérents.csv" in history.content.decode()
    record = staff_client.get(reverse("admin:directory_importbatch_change", args=[batch.pk]))
    assert record.status_code == 200
    assert "camille" in record.content.decode()


def test_confirming_twice_imports_once(staff_client, clusters):
    upload(staff_client, csv_bytes(GOOD_ROWS))
    batch = ImportBatch.objects.get()
    staff_client.post(confirm_url(batch))
    staff_client.post(confirm_url(batch))
    assert Organisation.objects.count() == 2
    assert Membership.objects.count() == 3


def test_the_same_file_uploaded_again_previews_no_change(staff_client, clusters):
    upload(staff_client, csv_bytes(GOOD_ROWS))
    staff_client.post(confirm_url(ImportBatch.objects.get()))
    upload(staff_client, csv_bytes(GOOD_ROWS))
    second = ImportBatch.objects.order_by("-pk").first()
    staff_client.post(confirm_url(second))
    second.refresh_from_db()
    assert second.status == "imported"
    assert (second.organisations_created, second.organisations_updated) == (0, 0)
    assert (second.memberships_created, second.memberships_updated) == (0, 0)
    assert (second.organisations_unchanged, second.memberships_unchanged) == (2, 3)


def test_a_file_with_errors_shows_each_line_and_cannot_be_confirmed(staff_client, clusters):
    rows = [*GOOD_ROWS, row_with(siren="732829321"), row_with(siren="552100554", cluster="inconnu")]
    upload(staff_client, csv_bytes(rows))
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected"
    assert batch.content == ""
    assert [(error["line"], error["column"]) for error in batch.errors] == [(5, "siren"), (6, "cluster")]

    page = staff_client.get(preview_url(batch)).content.decode()
    assert "2 erreurs : rien n’a été importé" in page
    assert "<td>5</td><td>siren</td>" in page
    assert "Cluster inconnu" in page
    assert confirm_url(batch) not in page
    assert "Ce que l’import écrira" not in page

    staff_client.post(confirm_url(batch))
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier soumis est vide."),
        (bytes(range(256)) * 40, "octets nuls"),
        (b"\xff\xfe\x00n\x00o\x00m", "octets nuls"),
        (b"nom;ville\r\nForge;Chartres\r\n", "Colonnes manquantes"),
        (b'"' + b"a" * 200_000 + b"\r\n", "illisible"),
    ],
    ids=["empty", "binary", "utf-16", "missing-columns", "huge-header"],
)
def test_garbage_uploads_are_refused_without_an_error_page(staff_client, clusters, data, message):
    response = upload(staff_client, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_ten_thousand_character_cell_is_shown_as_a_bad_row(staff_client, clusters):
    response = upload(staff_client, csv_bytes([row_with(nom="A" * 10_000)]))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.errors[0]["line"] == 2
    assert "Trop long" in staff_client.get(preview_url(batch)).content.decode()


def test_staff_without_the_add_permissions_cannot_import(client, django_user_model, clusters):
    reader = django_user_model.objects.create_user(username="lecteur", password="x", is_staff=True)
    client.force_login(reader)
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, csv_bytes(GOOD_ROWS)).status_code == 403
    assert not ImportBatch.objects.exists()


def test_the_import_record_is_read_only(staff_client):
    assert staff_client.get(reverse("admin:directory_importbatch_add")).status_code == 403


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return body, rows


@pytest.fixture
def directory_content(clusters, eure_et_loir):
    pole, grappe = clusters
    grappe.status = "draft"
    grappe.save()
    laboratory = factories.OrganisationFactory(
        name="Laboratoire Factice", kind="laboratoire", department=eure_et_loir, publicly_named=False
    )
    company = factories.OrganisationFactory(name="Société Générale d’Électricité", kind="entreprise", size="grande")
    factories.MembershipFactory(cluster=pole, organisation=laboratory, role="fondateur", year_joined=2012)
    factories.MembershipFactory(cluster=grappe, organisation=company)
    factories.MembershipFactory(cluster=pole, organisation=company, role="conseil")
    return pole, grappe, laboratory, company


def test_organisation_export_keeps_the_filters_and_can_be_imported_again(staff_client, directory_content):
    changelist = staff_client.get(reverse("admin:directory_organisation_changelist"), {"kind__exact": "laboratoire"})
    export_url = reverse("admin:directory_organisation_export") + "?kind__exact=laboratoire"
    assert export_url in changelist.content.decode()

    response = staff_client.get(export_url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body, rows = read_csv(response)
    assert rows[0] == COLUMNS
    assert [row[1] for row in rows[1:]] == ["Laboratoire Factice"]
    assert rows[1][2] == "Laboratoire de recherche"
    assert rows[1][10] == "non"

    plan = plan_import(body)
    assert plan.is_valid, plan.errors
    assert plan.counts()["organisations_unchanged"] == 1
    assert plan.counts()["organisations_created"] == plan.counts()["organisations_updated"] == 0


def test_organisation_export_follows_the_search(staff_client, directory_content):
    response = staff_client.get(reverse("admin:directory_organisation_export"), {"q": "Électricité"})
    _body, rows = read_csv(response)
    assert [row[1] for row in rows[1:]] == ["Société Générale d’Électricité"]


def test_membership_export_of_one_cluster_can_be_imported_again(staff_client, directory_content):
    pole, _grappe, _laboratory, _company = directory_content
    response = staff_client.get(reverse("admin:directory_membership_export"), {"cluster": pole.pk})
    body, rows = read_csv(response)
    assert {(row[1], row[7], row[8], row[9]) for row in rows[1:]} == {
        ("Laboratoire Factice", "pole-essai", "Membre fondateur", "2012"),
        ("Société Générale d’Électricité", "pole-essai", "Membre du conseil d’administration", ""),
    }
    plan = plan_import(body)
    assert plan.is_valid, plan.errors
    assert plan.counts() == {
        "organisations_created": 0,
        "organisations_updated": 0,
        "organisations_unchanged": 2,
        "memberships_created": 0,
        "memberships_updated": 0,
        "memberships_unchanged": 2,
    }


def test_cluster_export_keeps_the_status_filter(staff_client, directory_content):
    changelist_url = reverse("admin:directory_cluster_changelist")
    page = staff_client.get(changelist_url, {"status__exact": "published"}).content.decode()
    assert reverse("admin:directory_cluster_export") + "?status__exact=published" in page

    response = staff_client.get(reverse("admin:directory_cluster_export"), {"status__exact": "published"})
    _body, rows = read_csv(response)
    assert rows[0][:3] == ["slug", "nom", "type"]
    assert [(row[0], row[3], row[11]) for row in rows[1:]] == [("pole-essai", "Publié", "2")]


def test_export_action_writes_the_selected_rows(staff_client, directory_content):
    _pole, _grappe, laboratory, company = directory_content
    response = staff_client.post(
        reverse("admin:directory_organisation_changelist"),
        {"action": "export_csv", "_selected_action": [company.pk], "index": 0},
    )
    assert response.status_code == 200
    _body, rows = read_csv(response)
    assert [row[1] for row in rows[1:]] == ["Société Générale d’Électricité"]


def test_export_action_is_offered_on_the_three_lists(staff_client, directory_content):
    for name in ("cluster", "organisation", "membership"):
        page = staff_client.get(reverse(f"admin:directory_{name}_changelist")).content.decode()
        assert "Exporter la sélection en CSV" in page
        assert reverse(f"admin:directory_{name}_export") in page


def test_export_with_a_bad_filter_goes_back_to_the_list(staff_client, directory_content):
    response = staff_client.get(reverse("admin:directory_organisation_export"), {"nope__exact": "1"})
    assert response.status_code == 302


def test_the_confirmation_checks_the_file_again_against_the_directory(staff_client, clusters):
    pole, _grappe = clusters
    upload(staff_client, csv_bytes(GOOD_ROWS))
    batch = ImportBatch.objects.get()
    pole.delete()  # between the preview and the confirmation

    staff_client.post(confirm_url(batch))

    batch.refresh_from_db()
    assert batch.status == "rejected"
    assert {error["message"] for error in batch.errors} == {"Cluster inconnu : « pole-essai » (slug attendu)."}
    assert not Organisation.objects.exists()


def test_a_failure_while_writing_leaves_nothing_half_written(staff_client, clusters, monkeypatch):
    from django.db import IntegrityError

    import directory.admin.imports

    def apply_then_fail(plan):
        directory.imports.members.apply_plan(plan)
        raise IntegrityError("another import took the same SIREN meanwhile")

    monkeypatch.setattr(directory.admin.imports, "apply_plan", apply_then_fail)
    upload(staff_client, csv_bytes(GOOD_ROWS))
    batch = ImportBatch.objects.get()

    response = staff_client.post(confirm_url(batch), follow=True)

    assert response.status_code == 200
    assert "rien n’a été écrit" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()
