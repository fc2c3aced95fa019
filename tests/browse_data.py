"""A small directory for the browse, member and sitemap tests: published clusters, and a draft
and an archived cluster that must never show, each wired to every region, sector, programme
and organisation the published ones use."""

from directory.models import ClusterKind, MembershipRole, ParticipationRole, Status
from tests import factories


def build(size=1):
    """`size` scales the published clusters and members (the queries per page must not change)."""
    centre = factories.RegionFactory(insee_code="24", name="Centre-Val de Loire", slug="centre-val-de-loire")
    idf = factories.RegionFactory(insee_code="11", name="Île-de-France", slug="ile-de-france")
    corse = factories.RegionFactory(insee_code="94", name="Corse", slug="corse")
    eure_et_loir = factories.DepartmentFactory(insee_code="28", name="Eure-et-Loir", slug="eure-et-loir", region=centre)
    cosmetics = factories.SectorFactory(name="Cosmétique", name_en="Cosmetics", slug="cosmetique")
    food = factories.SectorFactory(name="Agroalimentaire", name_en="Food", slug="agroalimentaire")
    empty_sector = factories.SectorFactory(name="Énergie", name_en="Energy", slug="energie")
    programme = factories.ProgrammeFactory(
        name="Euroclusters cosmétiques", acronym="COSMEU", slug="cosmeu", partner_countries=["IT", "DE"]
    )

    published = []
    for n in range(3 * size):
        cluster = factories.ClusterFactory(
            name=f"Cluster publié {n:03d}",
            slug=f"cluster-publie-{n:03d}",
            kind=ClusterKind.POLE if n % 3 == 0 else ClusterKind.GRAPPE,
            department=eure_et_loir,
            hq_city="Chartres",
            latitude="48.44" if n % 2 == 0 else None,
            longitude="1.49" if n % 2 == 0 else None,
            declared_members=10,
            sectors=[cosmetics, food] if n % 2 == 0 else [cosmetics],
        )
        published.append(cluster)
        factories.ParticipationFactory(
            programme=programme, cluster=cluster, role=ParticipationRole.COORDINATOR if n == 0 else ParticipationRole.PARTNER
        )
    # Headquartered in Île-de-France, it covers Centre-Val de Loire too.
    covering = factories.ClusterFactory(
        name="Cluster francilien", slug="cluster-francilien", region=idf, sectors=[food], declared_members=5
    )
    covering.regions_covered.set([centre])
    published.append(covering)

    draft = factories.ClusterFactory(
        name="Brouillon secret", slug="brouillon-secret", status=Status.DRAFT, region=corse,
        sectors=[empty_sector, cosmetics], declared_members=1000, latitude="42.0", longitude="9.0",
    )
    archived = factories.ClusterFactory(
        name="Ancien cluster archivé", slug="ancien-cluster-archive", status=Status.ARCHIVED, region=corse,
        sectors=[empty_sector, cosmetics], declared_members=2000, kind=ClusterKind.SPL,
    )
    for hidden in (draft, archived):
        hidden.regions_covered.set([centre])
        factories.ParticipationFactory(programme=programme, cluster=hidden)

    members = []
    for n in range(5 * size):
        organisation = factories.OrganisationFactory(name=f"Laboratoires Martin {n:03d}", slug=f"laboratoires-martin-{n:03d}")
        organisation.sectors.set([cosmetics])
        members.append(organisation)
        factories.MembershipFactory(organisation=organisation, cluster=published[n % len(published)], year_joined=2020)
        factories.MembershipFactory(
            organisation=organisation, cluster=published[(n + 1) % len(published)], role=MembershipRole.FOUNDING
        )
    member = members[0]
    factories.MembershipFactory(organisation=member, cluster=draft)
    factories.MembershipFactory(organisation=member, cluster=archived)
    unnamed = factories.OrganisationFactory(
        name="Jeanne Dupont EI", slug="jeanne-dupont-ei", siren="732829320", publicly_named=False
    )
    factories.MembershipFactory(organisation=unnamed, cluster=published[0])
    draft_only = factories.OrganisationFactory(name="Membre du brouillon", slug="membre-du-brouillon")
    factories.MembershipFactory(organisation=draft_only, cluster=draft)

    return {
        "centre": centre,
        "idf": idf,
        "corse": corse,
        "cosmetics": cosmetics,
        "food": food,
        "empty_sector": empty_sector,
        "programme": programme,
        "published": published,
        "covering": covering,
        "draft": draft,
        "archived": archived,
        "member": member,
        "members": members,
        "unnamed": unnamed,
        "draft_only": draft_only,
    }
