"""A small directory with every kind of page worth checking: rich, archived, draft.

Shared by the accessibility tests (tests/browser/test_accessibility.py), the cluster page's
browser tests and the Nu HTML check (scripts/check_html.py), so they all look at the same pages.
The cluster page's view tests (tests/test_views_cluster.py) check the rich cluster, built by
build_rich() on their own geography.
"""

import datetime
from decimal import Decimal

from directory.models import (
    ClusterKind,
    DatePrecision,
    LabelKind,
    MembershipRole,
    OrganisationKind,
    OrganisationSize,
    ParticipationRole,
    PositionPrecision,
    Status,
)
from tests import factories

RICH = "cosmetic-valley"
ARCHIVED = "ancien-pole-parfum"
DRAFT = "projet-en-preparation"


def build():
    """Creates the showcase; returns the rich cluster."""
    centre = factories.RegionFactory(insee_code="24", name="Centre-Val de Loire", slug="centre-val-de-loire")
    eure_et_loir = factories.DepartmentFactory(insee_code="28", name="Eure-et-Loir", slug="eure-et-loir", region=centre)
    ile_de_france = factories.RegionFactory(insee_code="11", name="Île-de-France", slug="ile-de-france")
    essonne = factories.DepartmentFactory(insee_code="91", name="Essonne", slug="essonne", region=ile_de_france)
    cosmetics = factories.SectorFactory(name="Cosmétique", name_en="Cosmetics", slug="cosmetique")
    health = factories.SectorFactory(name="Santé", name_en="Health", slug="sante")
    rich = build_rich(eure_et_loir, ile_de_france, [cosmetics, health])

    factories.ClusterFactory(
        name="Pôle parfum d’Eure-et-Loir",
        slug=ARCHIVED,
        status=Status.ARCHIVED,
        successor=rich,
        summary="Ancienne association des parfumeurs, fondue dans Cosmetic Valley.",
        department=eure_et_loir,
        hq_city="Chartres",
    )
    factories.ClusterFactory(name="Projet en préparation", slug=DRAFT, status=Status.DRAFT, department=eure_et_loir)
    factories.ClusterFactory(
        name="Medicen Paris Region",
        kind=ClusterKind.POLE,
        department=essonne,
        hq_city="Évry",
        sectors=[health],
        latitude=Decimal("48.62400"),
        longitude=Decimal("2.44300"),
        position_precision=PositionPrecision.EXACT,
    )
    factories.ClusterFactory(name="Polepharma", kind=ClusterKind.GRAPPE, department=eure_et_loir, hq_city="Dreux")
    return rich


def build_rich(department, covered_region, sectors):
    """The rich published cluster: every section of its page has something to show.

    Headquartered in `department` (Eure-et-Loir, Chartres), covering `covered_region` too,
    filed under `sectors`; 30 members listed (25 a page: two pages) and 2 unnamed.
    """
    rich = factories.ClusterFactory(
        name="Cosmetic Valley",
        slug=RICH,
        kind=ClusterKind.POLE,
        summary="Le pôle de compétitivité de la parfumerie et de la cosmétique.",
        summary_en="The competitiveness cluster of perfume and cosmetics.",
        description="Fondé à Chartres en 1994.\n\nIl fédère entreprises, laboratoires et écoles de la filière.",
        founded_year=1994,
        website="https://www.cosmetic-valley.com",
        email="contact@cosmetic-valley.com",
        phone="02 37 21 12 22",
        address="1 place de la Cathédrale",
        postcode="28000",
        hq_city="Chartres",
        department=department,
        latitude=Decimal("48.44685"),
        longitude=Decimal("1.48925"),
        position_precision=PositionPrecision.COMMUNE,
        declared_members=600,
        declared_employees=12,
        declared_year=2023,
        last_verified_on=datetime.date(2026, 3, 14),
        sectors=sectors,
    )
    rich.regions_covered.set([covered_region])
    factories.LabelFactory(
        cluster=rich,
        kind=LabelKind.POLE_PHASE,
        name="Pôle de compétitivité, phase V",
        level="",
        awarded_on=datetime.date(2023, 1, 1),
        awarded_precision=DatePrecision.YEAR,
        valid_until=datetime.date(2099, 12, 31),
        valid_until_precision=DatePrecision.DAY,
    )
    factories.LabelFactory(
        cluster=rich,
        name="ECEI Silver Label",
        level="silver",
        awarded_on=datetime.date(2016, 3, 1),
        awarded_precision=DatePrecision.MONTH,
        valid_until=datetime.date(2018, 3, 1),
        valid_until_precision=DatePrecision.MONTH,
        awarded_under_name="Cosmetic Valley France",
    )
    programme = factories.ProgrammeFactory(
        name="Euroclusters for beauty", acronym="BEAUTY", partner_countries=["DE", "IT"], start_year=2022, end_year=2025
    )
    factories.ParticipationFactory(cluster=rich, programme=programme, role=ParticipationRole.COORDINATOR)
    laboratory = factories.OrganisationFactory(
        name="Laboratoire des arômes", kind=OrganisationKind.LABORATORY, size="", city="Orléans"
    )
    factories.MembershipFactory(cluster=rich, organisation=laboratory, role=MembershipRole.FOUNDING)
    for index in range(29):
        factories.MembershipFactory(
            cluster=rich,
            organisation=factories.OrganisationFactory(
                name=f"Parfums et senteurs {index:02d}", size=OrganisationSize.PME, city="Chartres"
            ),
        )
    for name in ("Jeanne Martin EI", "Paul Petit EI"):
        factories.MembershipFactory(cluster=rich, organisation=factories.OrganisationFactory(name=name, publicly_named=False))
    rich.sources.create(url="https://www.cosmetic-valley.com/a-propos", read_on=datetime.date(2026, 2, 3))
    return rich
