"""What a cluster's page shows besides the cluster itself, read in ONE query.

Seven small lists (labels, sectors, other regions covered, programmes, sources, a page of
members, related clusters) and the member counts were eight ORM queries at ~2–2.5 ms each
on this project's servers, mostly Python (compiling, the cursor wrapper, instances). As one
UNION ALL of tagged rows (as `directory.filters.link_tables` reads the facets' tables) they
cost ~5 ms for the largest cluster, half of it PostgreSQL planning the branches. Each list
keeps the order its own ORDER BY gave, as a ROW_NUMBER() rank, and becomes the model
instances the templates already use, with only the fields they show (any other would be
read by a query of its own: the query-count tests would see it).
"""

from operator import itemgetter

from django.db import connection

from directory.filters import loaded_instance
from directory.models import (
    Cluster,
    ClusterSource,
    Department,
    Label,
    Membership,
    Organisation,
    Participation,
    Programme,
    Region,
    Sector,
    Status,
)

# tag, rank, then four integers, two dates and eight texts: every branch fills the same columns.
_COLUMNS = "tag, rank, n1, n2, n3, n4, d1, d2, t1, t2, t3, t4, t5, t6, t7, t8"


def _tables():
    names = (
        Department,
        Label,
        Sector,
        Cluster.sectors.through,
        Region,
        Cluster.regions_covered.through,
        Participation,
        Programme,
        ClusterSource,
        Membership,
        Organisation,
        Cluster,
    )
    return {model._meta.model_name: connection.ops.quote_name(model._meta.db_table) for model in names}


def _branches():
    """{tag: SELECT}, each filling the same sixteen columns; the first one types them (PostgreSQL)."""
    t = _tables()
    integer, text = "CAST(NULL AS integer)", "CAST(NULL AS varchar)"
    return {
        "label": f"""
            SELECT 'label' AS tag, ROW_NUMBER() OVER (ORDER BY valid_until DESC, awarded_on DESC) AS rank,
                id AS n1, {integer} AS n2, {integer} AS n3, {integer} AS n4, awarded_on AS d1, valid_until AS d2,
                kind AS t1, name AS t2, level AS t3, awarded_precision AS t4, valid_until_precision AS t5,
                awarded_under_name AS t6, {text} AS t7, {text} AS t8
            FROM {t["label"]} WHERE cluster_id = %(cluster)s""",
        # How many memberships the page names, and how many it only counts: from the
        # (cluster, listed_name, id) index alone.
        "counts": f"""
            SELECT 'counts', 0, COUNT(listed_name), COUNT(*) - COUNT(listed_name), NULL, NULL, NULL, NULL,
                NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
            FROM {t["membership"]} WHERE cluster_id = %(cluster)s""",
        # The headquarters' region and department, as select_related() would join them (which
        # cost ~1.5 ms of Python in the cluster's get()).
        "headquarters": f"""
            SELECT 'headquarters', 0, id, NULL, NULL, NULL, NULL, NULL, name, slug, insee_code,
                NULL, NULL, NULL, NULL, NULL
            FROM {t["region"]} WHERE id = %(region)s
            UNION ALL
            SELECT 'department', 0, id, region_id, NULL, NULL, NULL, NULL, name, slug, insee_code,
                NULL, NULL, NULL, NULL, NULL
            FROM {t["department"]} WHERE id = %(department)s""",
        "sector": f"""
            SELECT 'sector', ROW_NUMBER() OVER (ORDER BY sector.name), sector.id, NULL, NULL, NULL, NULL, NULL,
                sector.name, sector.name_en, sector.slug, NULL, NULL, NULL, NULL, NULL
            FROM {t["sector"]} sector JOIN {t["cluster_sectors"]} link ON link.sector_id = sector.id
            WHERE link.cluster_id = %(cluster)s""",
        "region": f"""
            SELECT 'region', ROW_NUMBER() OVER (ORDER BY region.name), region.id, NULL, NULL, NULL, NULL, NULL,
                region.name, region.slug, region.insee_code, NULL, NULL, NULL, NULL, NULL
            FROM {t["region"]} region JOIN {t["cluster_regions_covered"]} link ON link.region_id = region.id
            WHERE link.cluster_id = %(cluster)s""",
        "participation": f"""
            SELECT 'participation',
                ROW_NUMBER() OVER (ORDER BY programme.start_year DESC, programme.acronym, programme.name),
                participation.id, programme.id, programme.start_year, programme.end_year, NULL, NULL,
                participation.role, programme.name, programme.acronym, programme.slug, programme.framework,
                programme.website, programme.partner_countries, NULL
            FROM {t["participation"]} participation JOIN {t["programme"]} programme
                ON programme.id = participation.programme_id
            WHERE participation.cluster_id = %(cluster)s""",
        "source": f"""
            SELECT 'source', ROW_NUMBER() OVER (ORDER BY url), id, NULL, NULL, NULL, read_on, NULL,
                url, note, NULL, NULL, NULL, NULL, NULL, NULL
            FROM {t["clustersource"]} WHERE cluster_id = %(cluster)s""",
        # The page from the (cluster, listed_name, id) index, which also holds the organisation
        # and the role on PostgreSQL: a deep page skips index entries only (the last of 58
        # pages: 1 ms; a join sorted by name before its OFFSET: 51 ms).
        "member": f"""
            SELECT 'member', ROW_NUMBER() OVER (ORDER BY membership.listed_name, membership.id),
                membership.id, organisation.id, NULL, NULL, NULL, NULL,
                membership.role, organisation.name, organisation.kind, organisation.size, organisation.city,
                NULL, NULL, NULL
            FROM (
                SELECT id, listed_name, organisation_id, role FROM {t["membership"]}
                WHERE cluster_id = %(cluster)s AND listed_name IS NOT NULL
                ORDER BY listed_name, id LIMIT %(members_limit)s OFFSET %(members_offset)s
            ) membership
            JOIN {t["organisation"]} organisation ON organisation.id = membership.organisation_id
            WHERE organisation.publicly_named""",
        # The candidates come from the link tables (a few dozen rows), not from testing every
        # published cluster with two EXISTS (2.4 ms to plan and run, against 1.4).
        "related": f"""
            SELECT 'related', ROW_NUMBER() OVER (ORDER BY shares_sector DESC, same_region DESC, name),
                id, NULL, NULL, NULL, NULL, NULL, name, slug, kind, hq_city, NULL, NULL, NULL, NULL
            FROM (
                SELECT other.id, other.name, other.slug, other.kind, other.hq_city,
                    MAX(reason.shares_sector) AS shares_sector, MAX(reason.same_region) AS same_region
                FROM (
                    SELECT theirs.cluster_id, 1 AS shares_sector, 0 AS same_region
                    FROM {t["cluster_sectors"]} theirs JOIN {t["cluster_sectors"]} ours
                        ON ours.sector_id = theirs.sector_id
                    WHERE ours.cluster_id = %(cluster)s
                    UNION ALL SELECT id, 0, 1 FROM {t["cluster"]} WHERE region_id = %(region)s
                    UNION ALL SELECT cluster_id, 0, 1 FROM {t["cluster_regions_covered"]} WHERE region_id = %(region)s
                ) reason
                JOIN {t["cluster"]} other ON other.id = reason.cluster_id
                WHERE other.status = %(published)s AND other.id <> %(cluster)s
                GROUP BY other.id, other.name, other.slug, other.kind, other.hq_city
                ORDER BY shares_sector DESC, same_region DESC, other.name
                LIMIT %(related_limit)s
            ) related""",
    }


def _read(cluster, tags, members_offset, members_limit, related_limit):
    """{tag: rows in the order of their rank} for `tags`, in one query."""
    branches = _branches()
    sql = "\nUNION ALL".join(branches[tag] for tag in tags)
    params = {
        "cluster": cluster.pk,
        "region": cluster.region_id,
        "department": cluster.department_id,
        "published": Status.PUBLISHED,
        "members_offset": members_offset,
        "members_limit": members_limit,
        "related_limit": related_limit,
    }
    rows = {tag: [] for tag in tags}
    if "headquarters" in tags:
        rows["department"] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            rows[row[0]].append(row)
    for tag_rows in rows.values():
        tag_rows.sort(key=itemgetter(1))
    return rows


def _date(model, name, value):
    # SQLite gives dates as text; to_python() takes both.
    return model._meta.get_field(name).to_python(value)


def page_tables(cluster, members_offset, members_limit, related_limit):
    """{name: instances, in the page's order}: « labels » (by end then award, latest first),
    « sectors » and « regions_covered » (other than the headquarters', by name),
    « participations » (with their programme, latest first), « sources » (by address),
    « members » (`members_limit` named memberships from `members_offset`, as the member
    table's (name, role, kind, size, city)), « related » (up to `related_limit` published clusters sharing a sector
    first, then its region), and the counts « named_members_count », « unnamed_members_count ».
    The cluster's own region and department are put in place, as select_related() would.

    Members are taken by their copy of the name (`Membership.listed_name`, from its index)
    and kept only if their organisation itself is `publicly_named`: a stale copy could
    misplace a name, never show a hidden one.
    """
    tags = ("label", "counts", "headquarters", "sector", "region", "participation", "source", "member", "related")
    rows = _read(cluster, tags, members_offset, members_limit, related_limit)
    for row in rows["headquarters"]:
        cluster.region = loaded_instance(Region, id=row[2], name=row[8], slug=row[9], insee_code=row[10])
    for row in rows["department"]:
        cluster.department = loaded_instance(
            Department, id=row[2], region_id=row[3], name=row[8], slug=row[9], insee_code=row[10]
        )
    [counts] = rows["counts"]
    labels = [
        loaded_instance(
            Label, id=n1, cluster_id=cluster.pk, awarded_on=_date(Label, "awarded_on", d1),
            valid_until=_date(Label, "valid_until", d2), kind=kind, name=name, level=level,
            awarded_precision=awarded_precision, valid_until_precision=valid_until_precision,
            awarded_under_name=awarded_under_name,
        )
        for _tag, _rank, n1, _n2, _n3, _n4, d1, d2, kind, name, level, awarded_precision, valid_until_precision,
        awarded_under_name, _t7, _t8 in rows["label"]
    ]  # fmt: skip
    sectors = [
        loaded_instance(Sector, id=row[2], name=row[8], name_en=row[9], slug=row[10]) for row in rows["sector"]
    ]
    regions = [
        loaded_instance(Region, id=row[2], name=row[8], slug=row[9], insee_code=row[10])
        for row in rows["region"]
        if row[2] != cluster.region_id
    ]
    participations = []
    for row in rows["participation"]:
        participation = loaded_instance(Participation, id=row[2], programme_id=row[3], cluster_id=cluster.pk, role=row[8])
        participation.programme = loaded_instance(
            Programme, id=row[3], start_year=row[4], end_year=row[5], name=row[9], acronym=row[10], slug=row[11],
            framework=row[12], website=row[13], partner_countries=row[14],
        )  # fmt: skip
        participations.append(participation)
    sources = [
        loaded_instance(
            ClusterSource, id=row[2], cluster_id=cluster.pk, read_on=_date(ClusterSource, "read_on", row[6]),
            url=row[8], note=row[9],
        )  # fmt: skip
        for row in rows["source"]
    ]
    related = [
        loaded_instance(Cluster, id=row[2], name=row[8], slug=row[9], kind=row[10], hq_city=row[11])
        for row in rows["related"]
    ]
    return {
        "labels": labels,
        "sectors": sectors,
        "regions_covered": regions,
        "participations": participations,
        "sources": sources,
        "members": _members(rows["member"]),
        "named_members_count": counts[2],
        "unnamed_members_count": counts[3],
        "related": related,
    }


def _members(rows):
    # What the member table shows (directory_tags.member_rows): no instances needed.
    return [(name, role, kind, size, city) for *_ids, role, name, kind, size, city, _t6, _t7, _t8 in rows]


def member_rows(cluster, offset, limit):
    """The member table's rows from `offset`, as `page_tables()` reads them: for a page number
    it could only check once it had the counts (past the end, or below 1: the last page)."""
    return _members(_read(cluster, ("member",), offset, limit, 0)["member"])
