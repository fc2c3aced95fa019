"""Programmes and labels in the admin (directory/admin/programmes.py, clusters.py), as a staff member."""

import pytest
from django.urls import reverse

from directory.models import Framework, Label, LabelKind, Participation, ParticipationRole, Programme
from tests import factories

pytestmark = pytest.mark.django_db


def programme_form_data(**overrides):
    data = {
        "name": "Euroclusters for digital transition",
        "acronym": "DIGI-CLUSTERS",
        "slug": "digi-clusters",
        "framework": Framework.SMP,
        "start_year": "2022",
        "end_year": "2025",
        "partner_countries": ["FR", "DE"],
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_staff_creates_a_programme_with_participating_clusters(staff_client):
    cluster = factories.ClusterFactory()
    data = programme_form_data(
        **{
            "participations-TOTAL_FORMS": "1",
            "participations-0-cluster": str(cluster.pk),
            "participations-0-role": ParticipationRole.COORDINATOR,
        }
    )
    response = staff_client.post(reverse("admin:directory_programme_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    programme = Programme.objects.get()
    assert [str(country) for country in programme.partner_countries] == ["DE", "FR"] or list(
        programme.partner_countries
    )
    assert Participation.objects.get().cluster == cluster


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_year": "1700"}, "start_year"),
        ({"end_year": "2999"}, "end_year"),
        ({"start_year": "2025", "end_year": "2020"}, "end_year"),
    ],
)
def test_impossible_programme_years_are_field_errors(staff_client, overrides, field):
    response = staff_client.post(reverse("admin:directory_programme_add"), programme_form_data(**overrides))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == [field]
    assert not Programme.objects.exists()


def test_programme_list_filters_and_search(staff_client):
    horizon = factories.ProgrammeFactory(name="Green Industry", acronym="GREENIND", framework=Framework.HORIZON_EUROPE)
    factories.ParticipationFactory.create_batch(2, programme=horizon)
    interreg = factories.ProgrammeFactory(name="Atlantic Area", acronym="ATLAREA", framework=Framework.INTERREG)
    changelist = reverse("admin:directory_programme_changelist")
    response = staff_client.get(changelist, {"framework__exact": Framework.INTERREG})
    assert list(response.context["cl"].result_list) == [interreg]
    response = staff_client.get(changelist, {"q": "greenind"})
    assert list(response.context["cl"].result_list) == [horizon]
    assert response.context["cl"].result_list[0].participants_count == 2


def test_label_list_filters_and_search(staff_client):
    gold = factories.LabelFactory(name="Label Or", level="gold", cluster=factories.ClusterFactory(name="Pôle Or"))
    bronze = factories.LabelFactory(name="Label Bronze", level="bronze")
    changelist = reverse("admin:directory_label_changelist")
    response = staff_client.get(changelist, {"level__exact": "gold"})
    assert list(response.context["cl"].result_list) == [gold]
    response = staff_client.get(changelist, {"q": "bronze"})
    assert list(response.context["cl"].result_list) == [bronze]
    response = staff_client.get(changelist, {"q": "pôle or"})
    assert list(response.context["cl"].result_list) == [gold]


def test_a_label_date_without_its_precision_is_an_error_on_the_precision(staff_client):
    cluster = factories.ClusterFactory()
    response = staff_client.post(
        reverse("admin:directory_label_add"),
        {"cluster": cluster.pk, "kind": LabelKind.POLE_PHASE, "name": "Phase V", "awarded_on": "01/01/2023"},
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["awarded_precision"]
    assert not Label.objects.exists()
