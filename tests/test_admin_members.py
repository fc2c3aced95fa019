"""Organisations and memberships in the admin (directory/admin/members.py), as a staff member."""

import pytest
from django.urls import reverse

from directory.models import Membership, MembershipRole, Organisation, OrganisationKind
from tests import factories

pytestmark = pytest.mark.django_db

ORGANISATIONS = "admin:directory_organisation_changelist"
MEMBERSHIPS = "admin:directory_membership_changelist"


def organisation_form_data(**overrides):
    data = {
        "name": "Maison Dupont",
        "slug": "maison-dupont",
        "kind": OrganisationKind.COMPANY,
        "siren": "552100554",
        "size": "pme",
        "city": "Chartres",
        "publicly_named": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def listed(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_staff_creates_an_organisation_with_a_membership(staff_client):
    cluster = factories.ClusterFactory()
    data = organisation_form_data(
        siren="552 100 554",
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-cluster": str(cluster.pk),
            "memberships-0-role": MembershipRole.FOUNDING,
            "memberships-0-year_joined": "2010",
        },
    )
    response = staff_client.post(reverse("admin:directory_organisation_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation = Organisation.objects.get()
    assert organisation.siren == "552100554"
    membership = organisation.memberships.get()
    assert (membership.cluster, membership.role, membership.year_joined) == (cluster, MembershipRole.FOUNDING, 2010)


@pytest.mark.parametrize(
    ("siren", "message"),
    [
        ("55210055A", "neuf chiffres"),
        ("55210055", "neuf chiffres"),
        ("552100555", "clé de contrôle"),
    ],
)
def test_a_malformed_siren_is_an_error_on_the_field_and_saves_nothing(staff_client, siren, message):
    response = staff_client.post(reverse("admin:directory_organisation_add"), organisation_form_data(siren=siren))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["siren"]
    assert message in errors["siren"][0]
    assert not Organisation.objects.exists()


def test_a_siren_already_taken_is_an_error_on_the_field(staff_client):
    factories.OrganisationFactory(siren="552100554")
    response = staff_client.post(
        reverse("admin:directory_organisation_add"), organisation_form_data(slug="autre", siren="552100554")
    )
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["siren"]
    assert Organisation.objects.count() == 1


def test_an_impossible_year_in_an_inline_membership_saves_nothing(staff_client):
    cluster = factories.ClusterFactory()
    data = organisation_form_data(
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-cluster": str(cluster.pk),
            "memberships-0-role": MembershipRole.MEMBER,
            "memberships-0-year_joined": "1700",
        }
    )
    response = staff_client.post(reverse("admin:directory_organisation_add"), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert list(formset.errors[0]) == ["year_joined"]
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_organisations_are_found_by_name_city_or_siren(staff_client):
    dupont = factories.OrganisationFactory(name="Maison Dupont", siren="552100554", city="Chartres")
    other = factories.OrganisationFactory(name="Laboratoire Ampère", city="Lyon")
    assert listed(staff_client, ORGANISATIONS, q="dupont") == {dupont}
    assert listed(staff_client, ORGANISATIONS, q="lyon") == {other}
    assert listed(staff_client, ORGANISATIONS, q="552100554") == {dupont}
    assert listed(staff_client, ORGANISATIONS, q="552 100 554") == {dupont}
    assert listed(staff_client, ORGANISATIONS, q="5521005") == set()


def test_organisation_filters(staff_client):
    member = factories.OrganisationFactory(kind=OrganisationKind.LABORATORY, publicly_named=False)
    factories.MembershipFactory(organisation=member)
    loner = factories.OrganisationFactory(kind=OrganisationKind.COMPANY)
    assert listed(staff_client, ORGANISATIONS, kind__exact=OrganisationKind.LABORATORY) == {member}
    assert listed(staff_client, ORGANISATIONS, publicly_named__exact="0") == {member}
    assert listed(staff_client, ORGANISATIONS, adhesions="oui") == {member}
    assert listed(staff_client, ORGANISATIONS, adhesions="non") == {loner}


def test_membership_list_filters_by_cluster_and_role(staff_client):
    cluster = factories.ClusterFactory(name="Pôle filtré")
    founder = factories.MembershipFactory(cluster=cluster, role=MembershipRole.FOUNDING)
    member = factories.MembershipFactory(cluster=cluster)
    elsewhere = factories.MembershipFactory(role=MembershipRole.FOUNDING)
    assert listed(staff_client, MEMBERSHIPS, cluster=cluster.pk) == {founder, member}
    assert listed(staff_client, MEMBERSHIPS, role__exact=MembershipRole.FOUNDING) == {founder, elsewhere}
    response = staff_client.get(reverse(MEMBERSHIPS), {"cluster": cluster.pk})
    assert "Pôle filtré" in response.content.decode()


def test_membership_list_search_by_organisation_siren_or_cluster(staff_client):
    organisation = factories.OrganisationFactory(siren="552100554")
    wanted = factories.MembershipFactory(organisation=organisation)
    other = factories.MembershipFactory(cluster=factories.ClusterFactory(name="Pôle Mer Bretagne"))
    assert listed(staff_client, MEMBERSHIPS, q="552100554") == {wanted}
    assert listed(staff_client, MEMBERSHIPS, q="mer bretagne") == {other}


def test_membership_form_uses_autocompletes_and_rejects_a_duplicate(staff_client):
    membership = factories.MembershipFactory()
    add = reverse("admin:directory_membership_add")
    form = staff_client.get(add).context["adminform"].form
    for field in ("cluster", "organisation"):
        assert form.fields[field].widget.widget.__class__.__name__ == "AutocompleteSelect"
    response = staff_client.post(
        add,
        {"cluster": membership.cluster_id, "organisation": membership.organisation_id, "role": MembershipRole.MEMBER},
    )
    assert response.status_code == 200
    assert "déjà membre de ce cluster" in str(response.context["adminform"].form.errors)
    assert Membership.objects.count() == 1


def test_membership_list_query_count_does_not_grow_with_rows(staff_client, django_assert_max_num_queries):
    cluster = factories.ClusterFactory()
    factories.MembershipFactory.create_batch(3, cluster=cluster)
    with django_assert_max_num_queries(12) as small:
        staff_client.get(reverse(MEMBERSHIPS), {"cluster": cluster.pk})
    factories.MembershipFactory.create_batch(60, cluster=cluster)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = staff_client.get(reverse(MEMBERSHIPS), {"cluster": cluster.pk})
    assert response.context["cl"].result_count == 63


def test_membership_list_is_read_in_the_unique_index_order_and_one_cluster_by_name(staff_client):
    """100,000 memberships: sorting them all by cluster then organisation name took 1.1 s a page."""
    first, second = factories.ClusterFactory(name="Zénith"), factories.ClusterFactory(name="Alpha")
    rows = [
        factories.MembershipFactory(cluster=cluster, organisation=factories.OrganisationFactory(name=f"{n} {cluster}"))
        for cluster in (second, first)
        for n in ("Zoé", "Ariane")
    ]
    response = staff_client.get(reverse(MEMBERSHIPS))
    shown = list(response.context["cl"].result_list)
    assert shown == sorted(rows, key=lambda m: (m.cluster_id, m.organisation_id))
    assert 'ORDER BY "directory_membership"."cluster_id" ASC, "directory_membership"."organisation_id" ASC' in str(
        response.context["cl"].queryset.query
    ).replace("`", '"')
    in_one = list(staff_client.get(reverse(MEMBERSHIPS), {"cluster": first.pk}).context["cl"].result_list)
    assert [m.organisation.name for m in in_one] == ["Ariane Zénith", "Zoé Zénith"]


def test_membership_search_matches_each_word_in_the_organisation_or_the_cluster(staff_client):
    mer = factories.ClusterFactory(name="Pôle Mer Bretagne")
    dupont = factories.OrganisationFactory(name="Chantier Dupont")
    wanted = factories.MembershipFactory(cluster=mer, organisation=dupont)
    factories.MembershipFactory(cluster=mer, organisation=factories.OrganisationFactory(name="Voilerie Martin"))
    factories.MembershipFactory(organisation=wanted.organisation)
    assert listed(staff_client, MEMBERSHIPS, q="dupont bretagne") == {wanted}
    assert listed(staff_client, MEMBERSHIPS, q='"chantier dupont" mer') == {wanted}
    assert listed(staff_client, MEMBERSHIPS, q='"dupont chantier"') == set()
    organisation = factories.OrganisationFactory(siren="552100554")
    by_siren = factories.MembershipFactory(organisation=organisation)
    assert listed(staff_client, MEMBERSHIPS, q="552 100 554") == {by_siren}
