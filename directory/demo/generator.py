"""Synthetic data at national scale, to measure the directory with France's real volumes.

Everything is drawn from one `random.Random(seed)` over inputs read in a fixed order
(primary keys, INSEE codes, slugs), so a seed gives the same names, SIRENs and
memberships on any database. Rows are written with `bulk_create` (no signals, no
per-row queries), slugs are computed in memory, and the search columns are rewritten
once at the end through `ClusterQuerySet.refresh_search_text()`, the project's one path
(and the memberships' copy of their organisation's name through
`MembershipQuerySet.refresh_listed_names()`).

Every row written here is marked `is_demo`: `delete_demo_data()` removes those and
nothing else. Demo organisations only join demo clusters, so a membership of a demo
organisation is demo data by construction.
"""

import csv
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.text import slugify
from stdnum import luhn

from directory.models import (
    Cluster,
    Department,
    Membership,
    Organisation,
    Participation,
    Programme,
    Region,
    Sector,
)
from directory.models.choices import (
    ClusterKind,
    Confidence,
    MembershipRole,
    OrganisationKind,
    OrganisationSize,
    ParticipationRole,
    PositionPrecision,
    Status,
)
from directory.seed import FIXTURES_DIR

COMMUNES_CSV = FIXTURES_DIR / "sources" / "communes.csv"

# Listed members of a demo cluster: from a small grappe to the largest pôles.
MIN_CLUSTER_MEMBERS = 15
MAX_CLUSTER_MEMBERS = 1500
# About 100,000 memberships for 80,000 organisations: most belong to one cluster.
MEMBERSHIPS_PER_ORGANISATION = 1.25
# Demo rows all carry this date, so two runs write the same rows and real clusters stay
# first in « recently updated ».
DEMO_TIMESTAMP = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
BATCH_SIZE = 2000

# Plainly fictional names: « Société fictive Lumière 01234 », « Pôle fictif Azur 042 ».
NAME_WORDS = [
    "Lumière", "Azur", "Aurore", "Horizon", "Boréal", "Cèdre", "Étoile", "Granit", "Sillon", "Mistral",
    "Alizé", "Brume", "Calanque", "Dune", "Écume", "Falaise", "Garrigue", "Hêtre", "Iris", "Jonquille",
    "Lavande", "Marée", "Noisetier", "Olivier", "Peuplier", "Quartz", "Roseau", "Saule", "Tilleul", "Ubac",
    "Vallon", "Zéphyr", "Ardoise", "Bocage", "Colline", "Delta", "Estuaire", "Fougère", "Glycine", "Houle",
]
ORGANISATION_PREFIX = {
    OrganisationKind.COMPANY: "Société fictive",
    OrganisationKind.LABORATORY: "Laboratoire fictif",
    OrganisationKind.SCHOOL: "École fictive",
    OrganisationKind.PUBLIC_BODY: "Organisme fictif",
    OrganisationKind.ASSOCIATION: "Association fictive",
    OrganisationKind.OTHER: "Structure fictive",
}
CLUSTER_PREFIX = {
    ClusterKind.POLE: "Pôle fictif",
    ClusterKind.GRAPPE: "Grappe fictive",
    ClusterKind.REGIONAL: "Cluster fictif",
    ClusterKind.BUSINESS: "Business cluster fictif",
    ClusterKind.BIOCLUSTER: "Biocluster fictif",
    ClusterKind.SPL: "SPL fictif",
    ClusterKind.OTHER: "Réseau fictif",
}
# Weights as fixed lists (never dicts or sets iterated for randomness).
CLUSTER_KIND_WEIGHTS = [
    (ClusterKind.REGIONAL, 40),
    (ClusterKind.GRAPPE, 30),
    (ClusterKind.POLE, 8),
    (ClusterKind.BUSINESS, 8),
    (ClusterKind.SPL, 6),
    (ClusterKind.BIOCLUSTER, 3),
    (ClusterKind.OTHER, 5),
]
ORGANISATION_KIND_WEIGHTS = [
    (OrganisationKind.COMPANY, 86),
    (OrganisationKind.LABORATORY, 4),
    (OrganisationKind.SCHOOL, 3),
    (OrganisationKind.PUBLIC_BODY, 2),
    (OrganisationKind.ASSOCIATION, 4),
    (OrganisationKind.OTHER, 1),
]
# Mostly micro and small companies, as in France's clusters.
COMPANY_SIZE_WEIGHTS = [
    (OrganisationSize.MICRO, 62),
    (OrganisationSize.PME, 30),
    (OrganisationSize.ETI, 6),
    (OrganisationSize.GRANDE, 2),
]
MEMBERSHIP_ROLE_WEIGHTS = [(MembershipRole.MEMBER, 92), (MembershipRole.BOARD, 5), (MembershipRole.FOUNDING, 3)]
PARTICIPATION_ROLE_WEIGHTS = [
    (ParticipationRole.PARTNER, 70),
    (ParticipationRole.COORDINATOR, 10),
    (ParticipationRole.CO_COORDINATOR, 5),
    (ParticipationRole.NOT_STATED, 15),
]


class DemoDataError(Exception):
    """The database lacks what the generator needs (geography, sectors), or the counts are impossible."""


@dataclass
class DemoReport:
    created: dict = field(default_factory=dict)
    deleted: dict = field(default_factory=dict)

    def lines(self):
        lines = [f"Supprimé (démonstration précédente) : {name} {count}" for name, count in self.deleted.items()]
        lines += [f"Créé : {name} {count}" for name, count in self.created.items()]
        return lines


def _choice(rng, weighted):
    values = [value for value, _weight in weighted]
    weights = [weight for _value, weight in weighted]
    return rng.choices(values, weights=weights)[0]


def _unique_slug(base, taken):
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    taken.add(slug)
    return slug


def read_communes(path=COMMUNES_CSV):
    """Communes by département INSEE code, in file order: (code, name, latitude, longitude)."""
    communes = defaultdict(list)
    with open(path, newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["latitude"] and row["longitude"]:
                communes[row["departement_code"]].append(
                    (row["insee_code"], row["name"], row["latitude"], row["longitude"])
                )
    return communes


def cluster_sizes(rng, count, memberships, low=MIN_CLUSTER_MEMBERS, high=MAX_CLUSTER_MEMBERS):
    """Listed members per cluster: a long tail from `low` to `high`, summing to `memberships`.

    The first cluster gets `high` when the total allows it, so the benchmark always
    has a cluster of the largest size.
    """
    if count == 0:
        return []
    low = min(low, memberships // count)
    high = max(low, min(high, memberships - low * (count - 1)))
    if memberships > high * count:
        raise DemoDataError(f"{memberships} adhésions ne tiennent pas dans {count} clusters de {high} membres au plus.")
    raw = [rng.lognormvariate(0, 1.1) for _ in range(count)]
    sizes = [low] * count
    fixed = {0} if count > 1 and memberships - high >= low * (count - 1) else set()
    if fixed:
        sizes[0] = high
    free = [index for index in range(count) if index not in fixed]
    target = memberships - sum(sizes[index] for index in fixed)

    def total(factor):
        return sum(min(high, max(low, round(raw[index] * factor))) for index in free)

    # The clipped total grows with the factor: bisect for the factor that comes closest.
    below, above = 0.0, 1.0
    while total(above) < target and above < 1e12:
        above *= 2
    for _ in range(60):
        middle = (below + above) / 2
        below, above = (middle, above) if total(middle) < target else (below, middle)
    for index in free:
        sizes[index] = min(high, max(low, round(raw[index] * above)))
    # Settle the rounding remainder one member at a time, on clusters that can take it.
    difference = memberships - sum(sizes)
    step = 1 if difference > 0 else -1
    adjustable = [index for index in range(count) if index not in fixed]
    while difference:
        index = adjustable[rng.randrange(len(adjustable))]
        if low <= sizes[index] + step <= high:
            sizes[index] += step
            difference -= step
    return sizes


def new_siren(rng, taken):
    """Nine digits whose last is the Luhn check digit, as INSEE computes it; never one in `taken`."""
    while True:
        body = str(rng.randrange(10_000_000, 100_000_000))
        siren = body + luhn.calc_check_digit(body)
        if siren not in taken:
            taken.add(siren)
            return siren


def _summary(cluster_name, kind_label, sectors, region):
    sector_names = ", ".join(sector.name.lower() for sector in sectors)
    return f"{kind_label} de démonstration en {region.name}, tourné vers : {sector_names}. Données fictives."


def _description(rng, sectors, region, department):
    sector_names = " et ".join(sector.name.lower() for sector in sectors)
    sentences = [
        f"Ce réseau fictif fédère des entreprises, des laboratoires et des écoles de {department.name} "
        f"et de toute la région {region.name} autour de : {sector_names}.",
        "Il accompagne ses membres dans leurs projets d’innovation collaborative, de formation et d’export.",
        "Ses commissions thématiques se réunissent chaque trimestre et organisent des rencontres d’affaires.",
        "Il aide les petites entreprises à répondre aux appels à projets régionaux, nationaux et européens.",
        "Ces informations sont inventées pour mesurer l’annuaire à l’échelle nationale.",
    ]
    return " ".join(sentences[:1] + rng.sample(sentences[1:4], 2) + sentences[4:])


def _batches(items, size=BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulk_create(model, objects, progress, label):
    for done, batch in enumerate(_batches(objects), start=1):
        model.objects.bulk_create(batch)
        progress(label, min(done * BATCH_SIZE, len(objects)), len(objects))
    if not objects:
        progress(label, 0, 0)


def _insert_rows(model, field_names, rows, progress, label):
    """Plain multi-row INSERTs for link tables: no model instances, no per-field preparation.

    Only for values already in database form (integers, strings), which is all link rows hold.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for done, batch in enumerate(_batches(rows, BATCH_SIZE * 5), start=1):
            if connection.vendor == "postgresql":
                # COPY loads rows several times faster than INSERTs, index upkeep included.
                copy_sql = "COPY {} ({}) FROM STDIN".format(
                    connection.ops.quote_name(model._meta.db_table),
                    ", ".join(connection.ops.quote_name(field.column) for field in fields),
                )
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, batch)
            progress(label, min(done * BATCH_SIZE * 5, len(rows)), len(rows))
    if not rows:
        progress(label, 0, 0)


def _insert_organisations(organisations, progress):
    """80,000 rows through the ORM's bulk_create spend most of their time preparing fields:
    insert plain values instead, with primary keys we number, then move the sequence past them.
    """
    start = (Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    timestamp = connection.ops.adapt_datetimefield_value(DEMO_TIMESTAMP)
    names = ["id", "name", "slug", "kind", "siren", "size", "city", "department", "website", "publicly_named"]
    rows = []
    for offset, organisation in enumerate(organisations):
        organisation.pk = start + offset
        rows.append(
            (
                organisation.pk,
                organisation.name,
                organisation.slug,
                organisation.kind.value,
                organisation.siren,
                organisation.size.value if organisation.size else "",
                organisation.city,
                organisation.department_id,
                organisation.website,
                organisation.publicly_named,
                True,
                timestamp,
                timestamp,
            )
        )
    _insert_rows(Organisation, names + ["is_demo", "created_at", "updated_at"], rows, progress, "Organisations")
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Organisation]):
            cursor.execute(sql)


def _no_progress(label, done, total):
    pass


def _delete_counts():
    """How many demo rows there are, before deleting them."""
    return {
        "clusters": Cluster.objects.filter(is_demo=True).count(),
        "organisations": Organisation.objects.filter(is_demo=True).count(),
        "adhésions": Membership.objects.filter(organisation__is_demo=True).count(),
    }


def delete_demo_data():
    """Removes every demo row, and nothing else. Returns how many of each there were."""
    counts = _delete_counts()
    with transaction.atomic():
        organisations = Organisation.objects.filter(is_demo=True)
        clusters = Cluster.objects.filter(is_demo=True)
        # Link rows first, each in one statement: deleting 80,000 organisations then leaves
        # the collector no cascade to walk row by row.
        # Raw deletes send no signal: one cache version bump at the end instead of one per row.
        for links in (
            Membership.objects.filter(organisation__in=organisations),
            Membership.objects.filter(cluster__in=clusters),
            Organisation.sectors.through.objects.filter(organisation__in=organisations),
            # Deleted one by one, each rewrote the search text of a cluster about to go (450 queries).
            Participation.objects.filter(cluster__in=clusters),
        ):
            links._raw_delete(links.db)
        # Nothing refers to them any more: one DELETE instead of the collector loading 80,000 rows.
        organisations._raw_delete(organisations.db)
        clusters.delete()
        _after_bulk_write()
    return counts


def generate_demo_data(clusters=400, members=80_000, seed=1, memberships=None, progress=_no_progress):
    """Adds demo clusters until `clusters` are published, `members` demo organisations and their memberships.

    Existing demo data is removed first, so a run with the same seed always ends with the same rows.
    """
    rng = random.Random(seed)
    memberships = round(members * MEMBERSHIPS_PER_ORGANISATION) if memberships is None else memberships
    report = DemoReport()
    regions = list(Region.objects.order_by("insee_code"))
    departments = list(Department.objects.order_by("insee_code"))
    sectors = list(Sector.objects.order_by("slug"))
    programmes = list(Programme.objects.order_by("slug"))
    if not regions or not departments or not sectors:
        raise DemoDataError("Chargez d’abord la géographie et les secteurs (load_seed_data).")
    communes = read_communes()

    with transaction.atomic():
        report.deleted = delete_demo_data()
        cluster_count = max(0, clusters - Cluster.objects.published().count())
        if members and not cluster_count:
            raise DemoDataError(
                f"Il y a déjà {clusters} clusters publiés ou plus : aucun cluster de démonstration "
                "pour accueillir les organisations fictives."
            )
        if memberships < members or memberships > members * cluster_count:
            raise DemoDataError(f"{memberships} adhésions impossibles pour {members} organisations.")

        demo_clusters = _make_clusters(rng, cluster_count, regions, departments, sectors, communes, progress)
        sizes = cluster_sizes(rng, cluster_count, memberships) if members else [0] * cluster_count
        for cluster, size in zip(demo_clusters, sizes):
            cluster.declared_members = round(size * rng.uniform(1.0, 1.8))
        _bulk_create(Cluster, demo_clusters, progress, "Clusters")
        _link_clusters(rng, demo_clusters, regions, sectors, programmes)

        organisations, links = _make_organisations(rng, members, demo_clusters, sizes, departments, communes)
        _insert_organisations(organisations, progress)
        membership_rows = [
            (
                demo_clusters[cluster_index].pk,
                organisations[organisation_index].pk,
                rng.randint(max(demo_clusters[cluster_index].founded_year, 2000), 2026),
                _choice(rng, MEMBERSHIP_ROLE_WEIGHTS).value,
            )
            for organisation_index, cluster_index in links
        ]
        _insert_rows(Membership, ["cluster", "organisation", "year_joined", "role"], membership_rows, progress, "Adhésions")
        sector_links = _organisation_sectors(rng, organisations, links, demo_clusters, sectors)
        _insert_rows(
            Organisation.sectors.through, ["organisation", "sector"], sector_links, progress, "Secteurs des organisations"
        )

        Cluster.objects.filter(is_demo=True).update(created_at=DEMO_TIMESTAMP, updated_at=DEMO_TIMESTAMP)
        progress("Index de recherche", 0, 1)
        Cluster.objects.filter(is_demo=True).refresh_search_text()
        Membership.objects.filter(organisation__is_demo=True).refresh_listed_names()
        progress("Index de recherche", 1, 1)
        _after_bulk_write()

    if connection.vendor == "postgresql":
        # Fresh planner statistics: without them, the first pages after a load plan for empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE directory_cluster, directory_organisation, directory_membership")
    report.created = {
        "clusters": len(demo_clusters),
        "organisations": len(organisations),
        "adhésions": len(membership_rows),
    }
    return report


def _after_bulk_write():
    """Raw and bulk writes send no signal: tell the page cache the data changed."""
    from directory.caching import bump_site_version

    bump_site_version()


def _make_clusters(rng, count, regions, departments, sectors, communes, progress):
    departments_by_region = defaultdict(list)
    for department in departments:
        departments_by_region[department.region_id].append(department)
    taken_slugs = set(Cluster.objects.values_list("slug", flat=True))
    taken_slugs |= set(Cluster.former_slugs.rel.related_model.objects.values_list("slug", flat=True))
    kind_labels = dict(ClusterKind.choices)
    demo_clusters = []
    for index in range(count):
        # Every region first, then regions weighted by their number of départements.
        if index < len(regions):
            region = regions[index]
        else:
            region = rng.choices(regions, weights=[len(departments_by_region[r.pk]) or 1 for r in regions])[0]
        region_departments = departments_by_region[region.pk] or departments
        department = region_departments[rng.randrange(len(region_departments))]
        kind = _choice(rng, CLUSTER_KIND_WEIGHTS)
        word = NAME_WORDS[rng.randrange(len(NAME_WORDS))]
        name = f"{CLUSTER_PREFIX[kind]} {word} {index + 1:03d}"
        cluster_sectors = rng.sample(sectors, min(len(sectors), rng.choice([1, 1, 2, 2, 3])))
        cluster = Cluster(
            name=name,
            slug=_unique_slug(slugify(name), taken_slugs),
            kind=kind,
            status=Status.PUBLISHED,
            confidence=Confidence.LOW,
            summary=_summary(name, kind_labels[kind], cluster_sectors, region),
            description=_description(rng, cluster_sectors, region, department),
            founded_year=rng.randint(1985, 2023),
            website=f"https://{slugify(name)}.example" if rng.random() < 0.7 else "",
            department=department,
            region=region,
            declared_year=2025,
            declared_employees=rng.randint(200, 60_000) if rng.random() < 0.5 else None,
            is_demo=True,
        )
        department_communes = communes.get(department.insee_code)
        if department_communes:
            code, city, latitude, longitude = department_communes[rng.randrange(len(department_communes))]
            cluster.hq_city, cluster.hq_commune_code = city, code
            cluster.latitude, cluster.longitude = latitude, longitude
            cluster.position_precision = PositionPrecision.COMMUNE
        cluster._demo_sectors = cluster_sectors
        demo_clusters.append(cluster)
    return demo_clusters


def _link_clusters(rng, demo_clusters, regions, sectors, programmes):
    """Sectors, other regions covered and programme participations of the new clusters."""
    sector_links, region_links, participations = [], [], []
    for cluster in demo_clusters:
        for sector in cluster._demo_sectors:
            sector_links.append(Cluster.sectors.through(cluster_id=cluster.pk, sector_id=sector.pk))
        if rng.random() < 0.1:
            others = [region for region in regions if region.pk != cluster.region_id]
            for region in rng.sample(others, min(len(others), rng.randint(1, 2))):
                region_links.append(Cluster.regions_covered.through(cluster_id=cluster.pk, region_id=region.pk))
        if programmes and rng.random() < 0.2:
            for programme in rng.sample(programmes, min(len(programmes), rng.randint(1, 2))):
                participations.append(
                    Participation(cluster=cluster, programme=programme, role=_choice(rng, PARTICIPATION_ROLE_WEIGHTS))
                )
    Cluster.sectors.through.objects.bulk_create(sector_links, batch_size=BATCH_SIZE)
    Cluster.regions_covered.through.objects.bulk_create(region_links, batch_size=BATCH_SIZE)
    Participation.objects.bulk_create(participations, batch_size=BATCH_SIZE)


def _make_organisations(rng, count, demo_clusters, sizes, departments, communes):
    """The organisations, and their memberships as (organisation index, cluster index) pairs."""
    if not count:
        return [], []
    slots = [cluster_index for cluster_index, size in enumerate(sizes) for _ in range(size)]
    rng.shuffle(slots)
    departments_by_region = defaultdict(list)
    for department in departments:
        departments_by_region[department.region_id].append(department)
    taken_sirens = set(Organisation.objects.exclude(siren="").values_list("siren", flat=True))
    taken_slugs = set(Organisation.objects.values_list("slug", flat=True))

    organisations = []
    clusters_of = []
    for index in range(count):
        first_cluster = demo_clusters[slots[index]]
        if index < len(departments):
            # Every département has members, even at small counts.
            department = departments[index]
        elif rng.random() < 0.8:
            local = departments_by_region[first_cluster.region_id] or departments
            department = local[rng.randrange(len(local))]
        else:
            department = departments[rng.randrange(len(departments))]
        kind = _choice(rng, ORGANISATION_KIND_WEIGHTS)
        word = NAME_WORDS[rng.randrange(len(NAME_WORDS))]
        name = f"{ORGANISATION_PREFIX[kind]} {word} {index + 1:05d}"
        department_communes = communes.get(department.insee_code)
        city = department_communes[rng.randrange(len(department_communes))][1] if department_communes else ""
        has_siren = kind == OrganisationKind.COMPANY or rng.random() < 0.7
        organisations.append(
            Organisation(
                name=name,
                slug=_unique_slug(slugify(name), taken_slugs),
                kind=kind,
                siren=new_siren(rng, taken_sirens) if has_siren else "",
                size=_choice(rng, COMPANY_SIZE_WEIGHTS) if kind == OrganisationKind.COMPANY else "",
                city=city,
                department=department,
                website=f"https://{slugify(name)}.example" if rng.random() < 0.3 else "",
                publicly_named=rng.random() >= 0.03,
                is_demo=True,
            )
        )
        clusters_of.append([slots[index]])

    # The other slots go to organisations already in the directory: some belong to two or three clusters.
    for cluster_index in slots[count:]:
        for _attempt in range(50):
            organisation_index = rng.randrange(count)
            if cluster_index not in clusters_of[organisation_index]:
                clusters_of[organisation_index].append(cluster_index)
                break
    links = [
        (organisation_index, cluster_index)
        for organisation_index, cluster_indexes in enumerate(clusters_of)
        for cluster_index in cluster_indexes
    ]
    return organisations, links


def _organisation_sectors(rng, organisations, links, demo_clusters, sectors):
    """Each organisation takes a sector of its first cluster; some have a second one."""
    first_cluster = {}
    for organisation_index, cluster_index in links:
        first_cluster.setdefault(organisation_index, cluster_index)
    rows = []
    for organisation_index, organisation in enumerate(organisations):
        cluster_sectors = demo_clusters[first_cluster[organisation_index]]._demo_sectors
        chosen = [cluster_sectors[rng.randrange(len(cluster_sectors))]]
        if rng.random() < 0.3:
            extra = sectors[rng.randrange(len(sectors))]
            if extra not in chosen:
                chosen.append(extra)
        rows += [(organisation.pk, sector.pk) for sector in chosen]
    return rows
