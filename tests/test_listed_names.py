"""`Membership.listed_name`, the copy of the organisation's public name a cluster's page reads:
kept true on every write path (directory/signals.py and the bulk writers), and never trusted alone."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from directory.imports.members import COLUMNS, apply_plan, plan_import
from directory.models import Membership, MembershipRole, Organisation
from directory.seed import FIXTURES_DIR
from tests import factories
from tests.test_admin_members import organisation_form_data


def listed_names(**filters):
    return dict(Membership.objects.filter(**filters).values_list("organisation__name", "listed_name"))


def members_section(client, cluster, query=""):
    response = client.get(f"/clusters/{cluster.slug}/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="members-title"') :]


@pytest.fixture
def cluster(db):
    return factories.ClusterFactory(name="Pôle d’essai", slug="pole-essai")


def test_a_new_membership_copies_its_organisation_s_public_name(cluster):
    named = factories.MembershipFactory(cluster=cluster, organisation__name="Forge Imaginaire")
    hidden = factories.MembershipFactory(cluster=cluster, organisation__publicly_named=False)
    named.refresh_from_db()
    hidden.refresh_from_db()
    assert (named.listed_name, hidden.listed_name) == ("Forge Imaginaire", None)


def test_a_membership_moved_to_another_organisation_takes_its_name(cluster):
    membership = factories.MembershipFactory(cluster=cluster, organisation__name="Ancienne")
    membership.organisation = factories.OrganisationFactory(name="Nouvelle")
    membership.save()
    membership.refresh_from_db()
    assert membership.listed_name == "Nouvelle"


def test_saving_a_membership_again_does_not_write_back_a_stale_copy(cluster):
    membership = factories.MembershipFactory(cluster=cluster, organisation__name="Forge Imaginaire")
    assert membership.listed_name is None  # the UPDATE of the signal, not this instance
    membership.role = MembershipRole.BOARD
    membership.save()
    assert listed_names() == {"Forge Imaginaire": "Forge Imaginaire"}


def test_renaming_or_hiding_an_organisation_rewrites_all_its_memberships(cluster):
    organisation = factories.OrganisationFactory(name="Forge Imaginaire")
    factories.MembershipFactory(cluster=cluster, organisation=organisation)
    factories.MembershipFactory(organisation=organisation)
    factories.MembershipFactory(cluster=cluster, organisation__name="Autre")

    organisation.name = "Forge Réelle"
    organisation.save()
    assert sorted(Membership.objects.values_list("listed_name", flat=True)) == ["Autre", "Forge Réelle", "Forge Réelle"]

    organisation.publicly_named = False
    organisation.save()
    assert sorted(Membership.objects.values_list("listed_name", flat=True), key=str) == ["Autre", None, None]

    organisation.publicly_named = True
    organisation.save()
    assert list(organisation.memberships.values_list("listed_name", flat=True)) == ["Forge Réelle"] * 2


def test_refresh_listed_names_is_the_one_path_after_bulk_writes(cluster):
    membership = factories.MembershipFactory(cluster=cluster, organisation__name="Forge Imaginaire")
    Organisation.objects.update(name="Renommée en masse")  # no signal
    assert listed_names() == {"Renommée en masse": "Forge Imaginaire"}
    Membership.objects.filter(pk=membership.pk).refresh_listed_names()
    assert listed_names() == {"Renommée en masse": "Renommée en masse"}


STAMPS = {"created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}


def test_loaddata_fills_the_copy_whatever_the_order_of_the_rows(cluster, tmp_path):
    fixture = tmp_path / "members.json"
    fixture.write_text(
        json.dumps(
            [
                # The membership first, with a stale copy: the organisation's save rewrites it.
                {
                    "model": "directory.membership",
                    "pk": 900,
                    "fields": {"cluster": cluster.pk, "organisation": 901, "role": "membre", "listed_name": "Périmé"},
                },
                {
                    "model": "directory.organisation",
                    "pk": 901,
                    "fields": {"name": "Forge Chargée", "slug": "forge-chargee", "publicly_named": True, **STAMPS},
                },
                {
                    "model": "directory.organisation",
                    "pk": 902,
                    "fields": {"name": "Atelier Discret", "slug": "atelier-discret", "publicly_named": False, **STAMPS},
                },
                # Then a membership of an organisation loaded before it, also stale.
                {
                    "model": "directory.membership",
                    "pk": 903,
                    "fields": {"cluster": cluster.pk, "organisation": 902, "role": "membre", "listed_name": "Révélé"},
                },
            ]
        )
    )
    call_command("loaddata", str(fixture), verbosity=0)
    assert listed_names() == {"Forge Chargée": "Forge Chargée", "Atelier Discret": None}


HEADER = ";".join(COLUMNS)


def import_rows(*rows):
    plan = plan_import(("\r\n".join([HEADER, *rows]) + "\r\n").encode())
    assert plan.is_valid, plan.errors
    return apply_plan(plan)


def test_the_member_import_fills_and_rewrites_the_copy(eure_et_loir, cluster):
    other = factories.ClusterFactory(name="Grappe d’essai", slug="grappe-essai")
    import_rows(
        "732829320;Forge Imaginaire;Entreprise;PME;Chartres;28;;pole-essai;membre;;oui",
        "552100554;Atelier Discret;Entreprise;PME;Chartres;28;;pole-essai;membre;;non",
    )
    assert listed_names() == {"Forge Imaginaire": "Forge Imaginaire", "Atelier Discret": None}

    # A renamed organisation, its consent changed, and a new membership of a known organisation.
    import_rows(
        "732829320;Forge Renommée;Entreprise;PME;Chartres;28;;pole-essai;membre;;oui",
        "552100554;Atelier Discret;Entreprise;PME;Chartres;28;;pole-essai;membre;;oui",
        "552100554;Atelier Discret;Entreprise;PME;Chartres;28;;grappe-essai;membre;;oui",
    )
    assert sorted(Membership.objects.values_list("cluster__slug", "listed_name")) == [
        ("grappe-essai", "Atelier Discret"),
        ("pole-essai", "Atelier Discret"),
        ("pole-essai", "Forge Renommée"),
    ]
    assert other.memberships.count() == 1


def test_the_demo_generator_fills_the_copy(db, settings):
    settings.DEBUG = True
    call_command("loaddata", FIXTURES_DIR / "geography.json", FIXTURES_DIR / "sectors.json", verbosity=0)
    call_command("generate_demo_data", "--clusters", "5", "--members", "60", "--seed", "3", stdout=StringIO())
    rows = list(Membership.objects.values_list("listed_name", "organisation__name", "organisation__publicly_named"))
    assert len(rows) >= 60
    assert all(listed == (name if named else None) for listed, name, named in rows)


def test_the_admin_keeps_the_copy_true(staff_client, cluster):
    data = organisation_form_data(
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-cluster": str(cluster.pk),
            "memberships-0-role": MembershipRole.MEMBER,
        }
    )
    response = staff_client.post(reverse("admin:directory_organisation_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert listed_names() == {"Maison Dupont": "Maison Dupont"}

    organisation = Organisation.objects.get()
    membership = organisation.memberships.get()
    change = {
        **data,
        "name": "Maison Durand",
        "publicly_named": "",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": str(membership.pk),
        "memberships-0-organisation": str(organisation.pk),
    }
    del change["publicly_named"]  # an unchecked box is not sent
    response = staff_client.post(reverse("admin:directory_organisation_change", args=[organisation.pk]), change)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert listed_names() == {"Maison Durand": None}

    other = factories.OrganisationFactory(name="Forge Imaginaire")
    response = staff_client.post(
        reverse("admin:directory_membership_add"),
        {"cluster": str(cluster.pk), "organisation": str(other.pk), "role": MembershipRole.MEMBER, "year_joined": ""},
    )
    assert response.status_code == 302
    assert listed_names(organisation=other) == {"Forge Imaginaire": "Forge Imaginaire"}


def test_deletes_leave_the_page_s_counts_true(client, cluster):
    kept = factories.MembershipFactory(cluster=cluster, organisation__name="Gardée")
    factories.MembershipFactory(cluster=cluster, organisation__name="Partie").organisation.delete()
    factories.MembershipFactory(cluster=cluster, organisation__name="Quittée").delete()
    factories.MembershipFactory(cluster=cluster, organisation__publicly_named=False).delete()
    members = members_section(client, cluster)
    assert "1 organisation membre listée dans l’annuaire." in members
    assert kept.organisation.name in members
    assert "non nommé" not in members


def test_a_stale_copy_never_reveals_a_hidden_name(client, cluster):
    """The rows shown are filtered on the organisation's own `publicly_named`: a copy left stale
    (an update that sent no signal) could misplace a name, never show one that is hidden."""
    factories.MembershipFactory(cluster=cluster, organisation__name="Forge Visible")
    hidden = factories.MembershipFactory(cluster=cluster, organisation__name="Atelier Secret").organisation
    Organisation.objects.filter(pk=hidden.pk).update(publicly_named=False)  # no signal
    assert listed_names()["Atelier Secret"] == "Atelier Secret"

    members = members_section(client, cluster)
    assert "Forge Visible" in members
    assert "Atelier Secret" not in members


def test_the_member_table_is_ordered_by_the_copy_then_id_and_its_last_page_answers_past_the_end(client, cluster):
    for index in (3, 1, 2):
        factories.MembershipFactory(cluster=cluster, organisation__name=f"Membre {index}")
    factories.MembershipFactory(cluster=cluster, organisation__publicly_named=False)
    members = members_section(client, cluster, "?membres=7")
    assert members.index("Membre 1") < members.index("Membre 2") < members.index("Membre 3")
    assert "3 organisations membres listées dans l’annuaire, et 1 membre non nommé." in members
