"""Factories for the tests: real French geography, plausible French data."""

import factory
from django.utils.text import slugify
from stdnum import luhn

from directory import models


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ("insee_code",)

    insee_code = "24"
    name = "Centre-Val de Loire"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Department
        django_get_or_create = ("insee_code",)

    insee_code = "28"
    name = "Eure-et-Loir"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    region = factory.SubFactory(RegionFactory)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Sector
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Secteur {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Cluster
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cluster d’essai {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = models.ClusterKind.GRAPPE
    status = models.Status.PUBLISHED
    confidence = models.Confidence.HIGH
    # Not a random sentence: one with « santé » in it made a search test find a cluster it must not.
    summary = factory.Sequence(lambda n: f"Résumé du cluster d’essai {n}.")

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)


def valid_siren(n):
    """A SIREN with a valid Luhn check digit, built from a sequence number."""
    base = f"{n + 10000000:08d}"
    return base + luhn.calc_check_digit(base)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation

    name = factory.Sequence(lambda n: f"Organisation fictive {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = models.OrganisationKind.COMPANY
    siren = factory.Sequence(valid_siren)
    size = models.OrganisationSize.PME
    city = "Chartres"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    cluster = factory.SubFactory(ClusterFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = models.MembershipRole.MEMBER


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Programme

    name = factory.Sequence(lambda n: f"Programme européen {n}")
    acronym = factory.Sequence(lambda n: f"PROG{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.acronym))
    framework = models.Framework.HORIZON_EUROPE
    start_year = 2023
    end_year = 2027
    partner_countries = ["FR", "IT"]


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Participation

    programme = factory.SubFactory(ProgrammeFactory)
    cluster = factory.SubFactory(ClusterFactory)
    role = models.ParticipationRole.PARTNER


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Label

    cluster = factory.SubFactory(ClusterFactory)
    kind = models.LabelKind.CLUSTER_EXCELLENCE
    name = "ECEI Bronze Label (ESCA benchmarking)"
    level = models.LabelLevel.BRONZE
