"""The domain model's integrity: each constraint rejects its bad value with its message."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from directory.models import (
    Cluster,
    DatePrecision,
    Membership,
    Organisation,
    Programme,
    Status,
)
from tests import factories

pytestmark = pytest.mark.django_db


def message_of(excinfo, field):
    return " ".join(excinfo.value.message_dict[field])


# --- SIREN ---


@pytest.mark.parametrize(
    "siren, expected",
    [
        ("12345678", "neuf chiffres"),
        ("1234567890", "neuf chiffres"),
        ("73282932A", "neuf chiffres"),
        ("732829321", "clé de contrôle"),
    ],
)
def test_a_malformed_siren_is_refused_with_a_clear_message(siren, expected):
    organisation = factories.OrganisationFactory.build(siren=siren)
    with pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()
    assert expected in message_of(excinfo, "siren")


def test_a_valid_siren_passes_and_is_unique():
    factories.OrganisationFactory(siren="732829320")
    duplicate = factories.OrganisationFactory.build(siren="732829320", slug="autre")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "déjà ce SIREN" in " ".join(excinfo.value.messages)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_organisations_without_siren_do_not_collide():
    factories.OrganisationFactory(siren="")
    factories.OrganisationFactory(siren="")
    assert Organisation.objects.filter(siren="").count() == 2


def test_the_database_refuses_a_siren_that_is_not_nine_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.OrganisationFactory(siren="12AB")


# --- Years ---


@pytest.mark.parametrize("year", [1700, 2999])
def test_an_impossible_founding_year_is_refused(year):
    cluster = factories.ClusterFactory.build(founded_year=year)
    with pytest.raises(ValidationError) as excinfo:
        cluster.full_clean()
    assert "Année impossible" in message_of(excinfo, "founded_year")


def test_a_founding_year_in_the_future_is_refused_by_validation():
    cluster = factories.ClusterFactory.build(founded_year=datetime.date.today().year + 1)
    with pytest.raises(ValidationError):
        cluster.full_clean()


def test_the_database_refuses_an_impossible_founding_year():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ClusterFactory(founded_year=3000)


def test_a_programme_cannot_end_before_it_starts():
    programme = factories.ProgrammeFactory.build(start_year=2024, end_year=2020)
    with pytest.raises(ValidationError) as excinfo:
        programme.full_clean()
    assert "finit avant d’avoir commencé" in " ".join(excinfo.value.messages)
    with pytest.raises(IntegrityError), transaction.atomic():
        programme.save()


def test_an_impossible_membership_year_is_refused():
    membership = factories.MembershipFactory.build(
        cluster=factories.ClusterFactory(), organisation=factories.OrganisationFactory(), year_joined=1200
    )
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert "Année impossible" in message_of(excinfo, "year_joined")


# --- Coordinates ---


@pytest.mark.parametrize(
    "latitude, longitude",
    [
        ("48.44600", "1.48900"),  # Chartres
        ("41.92600", "8.73700"),  # Ajaccio
        ("16.24100", "-61.53300"),  # Pointe-à-Pitre
        ("14.61600", "-61.05900"),  # Fort-de-France
        ("4.93800", "-52.33500"),  # Cayenne
        ("-20.88200", "55.45000"),  # Saint-Denis (La Réunion)
        ("-12.78000", "45.22800"),  # Mamoudzou
    ],
)
def test_coordinates_in_france_are_accepted(latitude, longitude):
    cluster = factories.ClusterFactory.build(latitude=Decimal(latitude), longitude=Decimal(longitude))
    cluster.full_clean()
    cluster.save()
    assert cluster.position_precision == "exact"


@pytest.mark.parametrize(
    "latitude, longitude",
    [
        ("51.50700", "-0.12800"),  # London
        ("40.41600", "-3.70300"),  # Madrid
        ("0.00000", "0.00000"),
        ("46.94700", "-56.30000"),  # Saint-Pierre-et-Miquelon is not one of the five DOM
    ],
)
def test_coordinates_outside_france_are_refused(latitude, longitude):
    cluster = factories.ClusterFactory.build(latitude=Decimal(latitude), longitude=Decimal(longitude))
    with pytest.raises(ValidationError) as excinfo:
        cluster.full_clean()
    assert "hors de France" in message_of(excinfo, "latitude")
    with pytest.raises(IntegrityError), transaction.atomic():
        cluster.save()


def test_latitude_without_longitude_is_refused():
    cluster = factories.ClusterFactory.build(latitude=Decimal("48.4"), longitude=None)
    with pytest.raises(ValidationError) as excinfo:
        cluster.full_clean()
    assert "vont ensemble" in message_of(excinfo, "longitude")
    with pytest.raises(IntegrityError), transaction.atomic():
        cluster.save()


# --- Geography ---


def test_a_department_outside_the_region_is_refused(eure_et_loir, ile_de_france):
    cluster = factories.ClusterFactory.build(department=eure_et_loir, region=ile_de_france)
    with pytest.raises(ValidationError) as excinfo:
        cluster.full_clean()
    assert "n’appartient pas à la région" in message_of(excinfo, "department")
    with pytest.raises(ValidationError):
        cluster.save()
    assert not Cluster.objects.filter(slug=cluster.slug).exists()


def test_the_department_alone_gives_the_region(eure_et_loir, centre_val_de_loire):
    cluster = factories.ClusterFactory(department=eure_et_loir, region=None)
    cluster.refresh_from_db()
    assert cluster.region == centre_val_de_loire


def test_insee_codes_are_unique(centre_val_de_loire):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.RegionFactory._meta.model.objects.create(insee_code="24", name="Doublon", slug="doublon")


def test_a_region_with_departments_cannot_be_deleted(eure_et_loir, centre_val_de_loire):
    with pytest.raises(ProtectedError):
        centre_val_de_loire.delete()


def test_a_cluster_with_a_successor_is_protected_from_silent_deletion():
    successor = factories.ClusterFactory()
    factories.ClusterFactory(status=Status.ARCHIVED, successor=successor)
    with pytest.raises(ProtectedError):
        successor.delete()


# --- Links ---


def test_an_organisation_joins_a_cluster_once():
    membership = factories.MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(cluster=membership.cluster, organisation=membership.organisation)


def test_a_cluster_takes_part_in_a_programme_once():
    participation = factories.ParticipationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        participation.programme.participations.create(cluster=participation.cluster)


# --- Labels: dates at the precision of the source ---


def test_a_label_date_is_shown_at_its_precision():
    label = factories.LabelFactory(
        awarded_on=datetime.date(2019, 3, 1),
        awarded_precision=DatePrecision.MONTH,
        valid_until=datetime.date(2021, 1, 1),
        valid_until_precision=DatePrecision.YEAR,
    )
    assert label.awarded_display == "mars 2019"
    assert label.valid_until_display == "2021"
    assert label.is_expired(today=datetime.date(2026, 11, 26))


def test_a_label_date_needs_its_precision():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.LabelFactory(awarded_on=datetime.date(2019, 3, 1), awarded_precision="")


def test_a_label_cannot_expire_before_it_is_awarded():
    label = factories.LabelFactory.build(
        cluster=factories.ClusterFactory(),
        awarded_on=datetime.date(2020, 1, 1),
        awarded_precision=DatePrecision.YEAR,
        valid_until=datetime.date(2019, 1, 1),
        valid_until_precision=DatePrecision.YEAR,
    )
    with pytest.raises(ValidationError) as excinfo:
        label.full_clean()
    assert "précède l’attribution" in " ".join(excinfo.value.messages)


# --- Querysets ---


def test_published_keeps_only_published_clusters():
    published = factories.ClusterFactory(status=Status.PUBLISHED)
    factories.ClusterFactory(status=Status.DRAFT)
    factories.ClusterFactory(status=Status.ARCHIVED)
    assert list(Cluster.objects.published()) == [published]
    assert Cluster.objects.count() == 3  # the default manager hides nothing


def test_in_region_keeps_clusters_headquartered_there_or_covering_it(centre_val_de_loire, ile_de_france):
    headquartered = factories.ClusterFactory(region=centre_val_de_loire)
    covering = factories.ClusterFactory(region=ile_de_france)
    covering.regions_covered.add(centre_val_de_loire)
    factories.ClusterFactory(region=ile_de_france)
    assert set(Cluster.objects.in_region(centre_val_de_loire)) == {headquartered, covering}


def test_listed_and_declared_members_are_two_figures():
    cluster = factories.ClusterFactory(declared_members=1500)
    factories.MembershipFactory.create_batch(3, cluster=cluster)
    annotated = Cluster.objects.with_listed_members_count().get(pk=cluster.pk)
    assert (annotated.declared_members, annotated.listed_members_count) == (1500, 3)


def test_partner_countries_are_iso_codes():
    programme = factories.ProgrammeFactory(partner_countries=["FR", "IT", "UA"])
    programme.refresh_from_db()
    assert [country.code for country in programme.partner_countries] == ["FR", "IT", "UA"]
    assert Programme.objects.filter(partner_countries__contains="UA").get() == programme
