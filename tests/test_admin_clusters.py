"""The cluster admin (directory/admin/clusters.py), used as a staff member who is not a superuser."""

import datetime

import pytest
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from directory.models import (
    Cluster,
    ClusterKind,
    Confidence,
    Label,
    LabelKind,
    ParticipationRole,
    PositionPrecision,
    Status,
)
from tests import factories

pytestmark = pytest.mark.django_db


CHANGELIST = "admin:directory_cluster_changelist"
ADD = "admin:directory_cluster_add"


def change_url(cluster):
    return reverse("admin:directory_cluster_change", args=[cluster.pk])


def cluster_form_data(**overrides):
    """What the add or change form posts for a cluster with no inline rows."""
    data = {
        "name": "Pôle Végétal Innovation",
        "slug": "pole-vegetal-innovation",
        "kind": ClusterKind.POLE,
        "status": Status.DRAFT,
        "confidence": Confidence.HIGH,
        "summary": "Le pôle du végétal spécialisé.",
        "hq_city": "Angers",
        "declared_members": "420",
        "declared_year": "2024",
        "founded_year": "2005",
    }
    for prefix in ("participations", "labels", "sources"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def form_errors(response):
    assert response.status_code == 200, "an invalid form is shown again, not saved"
    return response.context["adminform"].form.errors


# --- Access ---------------------------------------------------------------------------------


def test_staff_member_sees_the_directory_in_the_french_admin(staff_client):
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Annuaire des clusters — administration" in content
    for model in ("cluster", "organisation", "membership", "programme", "label"):
        assert reverse(f"admin:directory_{model}_changelist") in content


def test_the_admin_is_english_under_en(staff_client):
    factories.ClusterFactory()
    response = staff_client.get("/en/admin/directory/cluster/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en"' in content
    assert "Cluster directory — administration" in content
    assert "Publish the selected clusters" in content


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- Create and edit --------------------------------------------------------------------------


def test_staff_creates_a_cluster_with_participations_labels_and_sources(staff_client, eure_et_loir):
    programme = factories.ProgrammeFactory(acronym="EUROCLU")
    sector = factories.SectorFactory(name="Agriculture")
    data = cluster_form_data(
        region=str(eure_et_loir.region.pk),
        department=str(eure_et_loir.pk),
        sectors=[str(sector.pk)],
        latitude="48.44685",
        longitude="1.48925",
        **{
            "participations-TOTAL_FORMS": "1",
            "participations-0-programme": str(programme.pk),
            "participations-0-role": ParticipationRole.COORDINATOR,
            "labels-TOTAL_FORMS": "1",
            "labels-0-kind": LabelKind.CLUSTER_EXCELLENCE,
            "labels-0-name": "Label Or ESCA",
            "labels-0-level": "gold",
            "labels-0-awarded_on": "01/03/2023",
            "labels-0-awarded_precision": "month",
            "sources-TOTAL_FORMS": "1",
            "sources-0-url": "https://www.example.org/pole",
            "sources-0-read_on": "15/01/2026",
        },
    )
    response = staff_client.post(reverse(ADD), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    cluster = Cluster.objects.get(slug="pole-vegetal-innovation")
    assert cluster.region == eure_et_loir.region
    assert cluster.department == eure_et_loir
    assert list(cluster.sectors.all()) == [sector]
    assert cluster.position_precision == PositionPrecision.EXACT
    participation = cluster.participations.get()
    assert (participation.programme, participation.role) == (programme, ParticipationRole.COORDINATOR)
    label = cluster.labels.get()
    assert (label.awarded_on, label.awarded_precision) == (datetime.date(2023, 3, 1), "month")
    assert cluster.sources.get().url == "https://www.example.org/pole"


def test_the_departement_alone_gives_the_region(staff_client, eure_et_loir):
    response = staff_client.post(reverse(ADD), cluster_form_data(department=str(eure_et_loir.pk)))
    assert response.status_code == 302
    assert Cluster.objects.get().region == eure_et_loir.region


def test_staff_edits_a_cluster(staff_client):
    cluster = factories.ClusterFactory(name="Ancien nom", slug="ancien-nom", status=Status.DRAFT)
    data = cluster_form_data(name="Nouveau nom", slug="ancien-nom", status=Status.PUBLISHED, hq_city="Tours")
    response = staff_client.post(change_url(cluster), data)
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert (cluster.name, cluster.status, cluster.hq_city) == ("Nouveau nom", Status.PUBLISHED, "Tours")


def test_changing_the_slug_shows_the_former_address(staff_client):
    cluster = factories.ClusterFactory(slug="ancien-slug")
    response = staff_client.post(change_url(cluster), cluster_form_data(slug="nouveau-slug"))
    assert response.status_code == 302
    content = staff_client.get(change_url(cluster)).content.decode()
    assert "<code>ancien-slug</code>" in content
    assert staff_client.get("/clusters/ancien-slug/").status_code == 301


def test_the_add_form_has_the_slug_prepopulated_and_the_autocompletes(staff_client):
    response = staff_client.get(reverse(ADD))
    content = response.content.decode()
    assert "prepopulated_field_name" in content or 'data-prepopulated-fields' in content
    for field in ("department", "sectors", "successor", "regions_covered"):
        assert f'id="id_{field}"' in content
    form = response.context["adminform"].form
    for field in ("department", "sectors", "successor", "regions_covered"):
        assert isinstance(form.fields[field].widget.widget, (AutocompleteSelect, AutocompleteSelectMultiple))


def test_autocomplete_of_departements_answers_staff(staff_client, eure_et_loir, essonne):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "directory", "model_name": "cluster", "field_name": "department", "term": "eure"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Eure-et-Loir (28)"]


# --- Actions -------------------------------------------------------------------------------


def run_action(client, action, clusters):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [str(c.pk) for c in clusters]},
        follow=True,
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_publish_action_publishes_and_counts_only_the_rows_it_changes(staff_client):
    drafts = factories.ClusterFactory.create_batch(2, status=Status.DRAFT)
    already = factories.ClusterFactory(status=Status.PUBLISHED)
    response = run_action(staff_client, "publish", [*drafts, already])
    assert response.status_code == 200
    assert messages_of(response) == ["2 clusters publiés."]
    assert set(Cluster.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_archive_action_archives(staff_client):
    cluster, other = factories.ClusterFactory.create_batch(2)
    response = run_action(staff_client, "archive", [cluster])
    assert messages_of(response) == ["1 cluster archivé."]
    cluster.refresh_from_db()
    other.refresh_from_db()
    assert (cluster.status, other.status) == (Status.ARCHIVED, Status.PUBLISHED)


def test_mark_verified_today_action(staff_client):
    today = timezone.localdate()
    never = factories.ClusterFactory(last_verified_on=None)
    stale = factories.ClusterFactory(last_verified_on=datetime.date(2020, 1, 1))
    fresh = factories.ClusterFactory(last_verified_on=today)
    before = Cluster.objects.get(pk=stale.pk).updated_at
    response = run_action(staff_client, "mark_verified_today", [never, stale, fresh])
    assert messages_of(response) == ["2 clusters marqués comme vérifiés aujourd’hui."]
    assert set(Cluster.objects.values_list("last_verified_on", flat=True)) == {today}
    assert Cluster.objects.get(pk=stale.pk).updated_at > before


def test_an_action_that_changes_nothing_says_so(staff_client):
    cluster = factories.ClusterFactory(status=Status.ARCHIVED)
    response = run_action(staff_client, "archive", [cluster])
    assert messages_of(response) == ["Aucun cluster modifié : tous étaient déjà archivés."]


def test_a_draft_can_be_deleted_but_a_cluster_once_public_is_archived_instead(staff_client):
    draft = factories.ClusterFactory(status=Status.DRAFT)
    published = factories.ClusterFactory(status=Status.PUBLISHED)
    archived = factories.ClusterFactory(status=Status.ARCHIVED)
    for cluster in (published, archived):
        assert staff_client.get(reverse("admin:directory_cluster_delete", args=[cluster.pk])).status_code == 403
    response = staff_client.post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [str(draft.pk), str(published.pk)], "post": "yes"},
    )
    assert Cluster.objects.count() == 3
    response = staff_client.post(reverse("admin:directory_cluster_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert set(Cluster.objects.all()) == {published, archived}


# --- List: columns, filters, search ------------------------------------------------------------


def listed(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_list_shows_declared_and_listed_members(staff_client, eure_et_loir):
    cluster = factories.ClusterFactory(name="Pôle compté", declared_members=120, region=eure_et_loir.region)
    factories.MembershipFactory.create_batch(3, cluster=cluster)
    response = staff_client.get(reverse(CHANGELIST))
    row = response.context["cl"].result_list[0]
    assert (row.declared_members, row.listed_members_count) == (120, 3)
    content = response.content.decode()
    assert "Membres listés" in content and "Nombre de membres déclaré" in content
    assert "Centre-Val de Loire" in content


def test_filters_by_kind_status_and_confidence(staff_client):
    pole = factories.ClusterFactory(kind=ClusterKind.POLE, status=Status.DRAFT, confidence=Confidence.LOW)
    grappe = factories.ClusterFactory(kind=ClusterKind.GRAPPE, status=Status.PUBLISHED, confidence=Confidence.HIGH)
    assert listed(staff_client, kind__exact=ClusterKind.POLE) == {pole}
    assert listed(staff_client, status__exact=Status.PUBLISHED) == {grappe}
    assert listed(staff_client, confidence__exact=Confidence.LOW) == {pole}


def test_region_filter_keeps_headquartered_and_covering_clusters(staff_client, centre_val_de_loire, ile_de_france):
    based = factories.ClusterFactory(region=centre_val_de_loire)
    covering = factories.ClusterFactory(region=ile_de_france)
    covering.regions_covered.add(centre_val_de_loire)
    elsewhere = factories.ClusterFactory(region=ile_de_france)
    assert listed(staff_client, region=centre_val_de_loire.pk) == {based, covering}
    assert listed(staff_client, region=ile_de_france.pk) == {covering, elsewhere}


def test_sector_filter_gives_each_cluster_once(staff_client):
    health, food = factories.SectorFactory(name="Santé"), factories.SectorFactory(name="Agroalimentaire")
    both = factories.ClusterFactory(sectors=[health, food])
    only_food = factories.ClusterFactory(sectors=[food])
    factories.ClusterFactory()
    response = staff_client.get(reverse(CHANGELIST), {"sector": food.pk})
    assert list(response.context["cl"].result_list) == sorted([both, only_food], key=lambda c: c.name)
    assert listed(staff_client, sector=health.pk) == {both}


def test_programme_filter(staff_client):
    programme = factories.ProgrammeFactory()
    partner = factories.ParticipationFactory(programme=programme).cluster
    factories.ParticipationFactory()
    assert listed(staff_client, programme=programme.pk) == {partner}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("sans-region", {"bare"}),
        ("sans-coordonnees", {"bare"}),
        ("sans-site-web", {"bare", "stale"}),
        ("jamais-verifie", {"bare"}),
        ("non-verifie-depuis-12-mois", {"stale"}),
    ],
)
def test_data_quality_filter(staff_client, centre_val_de_loire, value, expected):
    today = timezone.localdate()
    clusters = {
        "bare": factories.ClusterFactory(website="", last_verified_on=None),
        "stale": factories.ClusterFactory(
            region=centre_val_de_loire,
            latitude=47.9,
            longitude=1.9,
            last_verified_on=today - datetime.timedelta(days=400),
        ),
        "complete": factories.ClusterFactory(
            region=centre_val_de_loire,
            latitude=47.9,
            longitude=1.9,
            website="https://example.org",
            last_verified_on=today - datetime.timedelta(days=30),
        ),
    }
    assert listed(staff_client, qualite=value) == {clusters[key] for key in expected}


def test_a_hand_edited_filter_value_is_not_an_error(staff_client):
    factories.ClusterFactory()
    response = staff_client.get(reverse(CHANGELIST), {"sector": "abc"})
    assert response.status_code in (200, 302)


def test_search_by_name_and_city(staff_client):
    by_name = factories.ClusterFactory(name="Aerospace Valley", hq_city="Toulouse")
    by_city = factories.ClusterFactory(name="Pôle Mer", hq_city="Brest")
    assert listed(staff_client, q="aerospace") == {by_name}
    assert listed(staff_client, q="brest") == {by_city}


def test_search_by_member_siren_is_exact_and_gives_each_cluster_once(staff_client):
    cluster = factories.ClusterFactory()
    organisation = factories.OrganisationFactory(siren="552100554")
    factories.MembershipFactory(cluster=cluster, organisation=organisation)
    factories.MembershipFactory.create_batch(3, cluster=cluster)
    other = factories.ClusterFactory()
    factories.MembershipFactory(cluster=other)
    response = staff_client.get(reverse(CHANGELIST), {"q": "552 100 554"})
    assert list(response.context["cl"].result_list) == [cluster]
    assert listed(staff_client, q="55210055") == set()


def test_changelist_query_count_does_not_grow_with_rows(staff_client, django_assert_max_num_queries, eure_et_loir):
    def add_clusters(count):
        for _ in range(count):
            cluster = factories.ClusterFactory(region=eure_et_loir.region, department=eure_et_loir)
            factories.MembershipFactory.create_batch(2, cluster=cluster)

    add_clusters(2)
    factories.SectorFactory.create_batch(3)
    factories.ProgrammeFactory.create_batch(2)
    with django_assert_max_num_queries(12) as small:
        staff_client.get(reverse(CHANGELIST))
    add_clusters(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = staff_client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == 32


# --- The memberships summary -----------------------------------------------------------------


def test_memberships_are_a_summary_with_links_not_inline_forms(staff_client):
    cluster = factories.ClusterFactory()
    factories.MembershipFactory.create_batch(25, cluster=cluster)
    other_membership = factories.MembershipFactory()
    response = staff_client.get(change_url(cluster))
    content = response.content.decode()
    assert "memberships-TOTAL_FORMS" not in content
    list_link = f"{reverse('admin:directory_membership_changelist')}?cluster={cluster.pk}"
    add_link = f"{reverse('admin:directory_membership_add')}?cluster={cluster.pk}"
    assert f'href="{list_link}"' in content
    assert "25 membres listés : voir la liste" in content
    assert f'href="{add_link}"' in content

    memberships = staff_client.get(list_link).context["cl"].result_list
    assert len(memberships) == 25
    assert other_membership not in memberships
    assert {m.cluster_id for m in memberships} == {cluster.pk}

    add_form = staff_client.get(add_link).context["adminform"].form
    assert str(add_form.initial["cluster"]) == str(cluster.pk)


def test_the_add_form_explains_members_come_after_saving(staff_client):
    response = staff_client.get(reverse(ADD))
    assert "Enregistrez d’abord le cluster" in response.content.decode()


# --- View on site ---------------------------------------------------------------------------------


def test_view_on_site_shows_staff_a_preview_of_a_draft(staff_client, client):
    cluster = factories.ClusterFactory(name="Brouillon secret", slug="brouillon-secret", status=Status.DRAFT)
    content = staff_client.get(change_url(cluster)).content.decode()
    view_on_site = reverse("admin:view_on_site", args=[_content_type_id(), cluster.pk])
    assert f'href="{view_on_site}"' in content
    response = staff_client.get(view_on_site, follow=True)
    assert response.redirect_chain[-1][0].endswith("/clusters/brouillon-secret/")
    assert response.status_code == 200
    assert "Aperçu d’un brouillon" in response.content.decode()
    client.logout()
    assert client.get("/clusters/brouillon-secret/").status_code == 404


def _content_type_id():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Cluster).pk


# --- The map picker's container ---------------------------------------------------------------


def test_the_form_carries_the_map_picker_with_tiles_from_settings(staff_client, settings):
    settings.MAP_TILES_URL = "/tiles-elsewhere/{z}/{x}/{y}.png"
    response = staff_client.get(reverse(ADD))
    content = response.content.decode()
    assert "data-map-picker" in content
    assert 'data-tiles-url="/tiles-elsewhere/{z}/{x}/{y}.png"' in content
    assert "/static/leaflet/leaflet.js" in content
    assert "/static/js/admin-map-picker.js" in content
    assert "/static/css/admin-map-picker.css" in content
    # django-leaflet's own form widgets need GeoDjango: they are not used.
    assert "leaflet.forms.js" not in content
    assert "<script>" not in content
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


# --- Bad input: an error on the field, nothing saved ----------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"founded_year": "1700"}, "founded_year"),
        ({"founded_year": "2999"}, "founded_year"),
        ({"declared_year": "2999"}, "declared_year"),
        ({"latitude": "40.71278", "longitude": "-74.00597"}, "latitude"),
        ({"latitude": "48.44685"}, "longitude"),
        ({"longitude": "1.48925"}, "latitude"),
        ({"website": "pas une adresse"}, "website"),
        ({"hq_commune_code": "ABCDE"}, "hq_commune_code"),
    ],
)
def test_bad_cluster_input_gives_a_field_error_and_saves_nothing(staff_client, overrides, field):
    response = staff_client.post(reverse(ADD), cluster_form_data(**overrides))
    errors = form_errors(response)
    assert list(errors) == [field]
    assert not Cluster.objects.exists()


def test_a_departement_outside_the_region_is_an_error_on_the_departement(staff_client, eure_et_loir, ile_de_france):
    data = cluster_form_data(region=str(ile_de_france.pk), department=str(eure_et_loir.pk))
    errors = form_errors(staff_client.post(reverse(ADD), data))
    assert list(errors) == ["department"]
    assert "n’appartient pas à la région Île-de-France" in errors["department"][0]
    assert not Cluster.objects.exists()


def test_editing_into_a_departement_outside_the_region_changes_nothing(staff_client, eure_et_loir, ile_de_france):
    cluster = factories.ClusterFactory(slug="pole", region=eure_et_loir.region, department=eure_et_loir)
    data = cluster_form_data(name="Renommé", slug="pole", region=str(ile_de_france.pk), department=str(eure_et_loir.pk))
    assert list(form_errors(staff_client.post(change_url(cluster), data))) == ["department"]
    cluster.refresh_from_db()
    assert (cluster.name, cluster.region) != ("Renommé", ile_de_france)
    assert cluster.region == eure_et_loir.region


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ({"awarded_on": "01/03/2023"}, "awarded_precision"),
        ({"awarded_precision": "year"}, "awarded_on"),
        (
            {"awarded_on": "01/01/2024", "awarded_precision": "year", "valid_until": "01/01/2020", "valid_until_precision": "year"},
            "valid_until",
        ),
    ],
)
def test_a_bad_inline_label_saves_neither_the_cluster_nor_the_label(staff_client, label, field):
    data = cluster_form_data(
        **{
            "labels-TOTAL_FORMS": "1",
            "labels-0-kind": LabelKind.CLUSTER_EXCELLENCE,
            "labels-0-name": "Label Bronze",
            **{f"labels-0-{key}": value for key, value in label.items()},
        }
    )
    response = staff_client.post(reverse(ADD), data)
    assert response.status_code == 200
    formset_errors = [formset.formset.errors for formset in response.context["inline_admin_formsets"]]
    assert [list(errors[0]) for errors in formset_errors if errors and errors[0]] == [[field]]
    assert not Cluster.objects.exists()
    assert not Label.objects.exists()


def test_a_duplicate_participation_saves_nothing(staff_client):
    programme = factories.ProgrammeFactory()
    data = cluster_form_data(
        **{
            "participations-TOTAL_FORMS": "2",
            "participations-0-programme": str(programme.pk),
            "participations-0-role": ParticipationRole.PARTNER,
            "participations-1-programme": str(programme.pk),
            "participations-1-role": ParticipationRole.COORDINATOR,
        }
    )
    response = staff_client.post(reverse(ADD), data)
    assert response.status_code == 200
    assert not Cluster.objects.exists()


def test_a_cluster_with_1500_members_stays_usable(staff_client, django_assert_max_num_queries):
    from directory.models import Membership, Organisation

    cluster = factories.ClusterFactory()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Adhérent {n}", slug=f"adherent-{n}", siren=factories.valid_siren(n)) for n in range(1500)
    )
    Membership.objects.bulk_create(Membership(cluster=cluster, organisation=o) for o in organisations)
    with django_assert_max_num_queries(20):
        response = staff_client.get(change_url(cluster))
    assert "1500 membres listés : voir la liste" in response.content.decode()
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("admin:directory_membership_changelist"), {"cluster": cluster.pk})
    assert response.context["cl"].result_count == 1500
    assert len(response.context["cl"].result_list) == 100
