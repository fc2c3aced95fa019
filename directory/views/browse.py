"""Browsing the directory by region, sector and programme.

Every list and count here starts from `Cluster.objects.published()`: drafts and archived
clusters never show. Counts are computed in the database, one query per list, so the
number of queries of a page does not grow with the data.
"""

import unicodedata
from collections import Counter
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from directory.models import Cluster, ClusterKind, Framework, Participation, Programme, Region, Sector
from directory.models.sectors import sector_names_by_cluster
from directory.views.search import CARD_FIELDS

CLUSTERS_PER_PAGE = 30


def folded(text):
    """A sort key that puts « Île-de-France » among the I and « Économie » among the E."""
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()


def paginate(objects, raw_page, per_page=None, count=None):
    """The page asked for (the first for a bad number, the last past the end) and its links.

    `count`: how many `objects` there are, when the view already knows.
    """
    paginator = Paginator(objects, per_page or CLUSTERS_PER_PAGE)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(raw_page)
    links = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page, links


def regions_with_counts():
    """Every region with `count`: published clusters headquartered there or covering it (a list, by name).

    The (cluster, region) pairs of headquarters and of covered regions, a few hundred rows
    read in one query, counted here as a set (a cluster covering its own headquarters region
    counts once), rather than one subquery per region with an OR, which no index serves.
    """
    pairs = set()
    rows = Cluster.objects.published().order_by().values_list("pk", "region_id", "regions_covered")
    for cluster_id, headquarters_id, covered_id in rows:
        if headquarters_id is not None:
            pairs.add((cluster_id, headquarters_id))
        if covered_id is not None:
            pairs.add((cluster_id, covered_id))
    counts = Counter(region_id for _cluster_id, region_id in pairs)
    regions = list(Region.objects.all())
    for region in regions:
        region.count = counts[region.pk]
    return sorted(regions, key=lambda region: folded(region.name))


def sectors_with_counts(clusters=None):
    """Every sector, annotated with `count` of the given clusters (all published ones by default)."""
    clusters = Cluster.objects.published() if clusters is None else clusters
    sectors = Sector.objects.annotate(
        count=Count("clusters", filter=Q(clusters__in=clusters.order_by().values("pk")))
    )
    return sorted(sectors, key=lambda sector: folded(sector.localized_name))


def sectors_among(clusters):
    """The sectors of `clusters`, each with `count` (by name, as sectors_with_counts), and
    {cluster id: its sectors' localized names, by name}, as result_cards takes them.

    The (cluster, sector) pairs, a few per cluster, and the sectors' names are two plain
    queries: cheaper to build than a count filtered by a subquery plus a prefetch for the cards.
    """
    pairs = list(
        Cluster.sectors.through.objects.filter(cluster__in=clusters.order_by().values("pk")).values_list(
            "cluster_id", "sector_id"
        )
    )
    counts = Counter(sector_id for _cluster_id, sector_id in pairs)
    sectors = [sector for sector in Sector.objects.only("name", "name_en", "slug") if counts[sector.pk]]
    for sector in sectors:
        sector.count = counts[sector.pk]
    names = sector_names_by_cluster(pairs, [(sector.pk, sector.localized_name) for sector in sectors])
    return sorted(sectors, key=lambda sector: folded(sector.localized_name)), names


def kind_counts(clusters, **totals):
    """The kinds present among `clusters` ([{value, label, count}], in the choices' order), and
    {"total": how many clusters, name: each of `totals` (counts or sums) over all of them}.

    One GROUP BY kind carries the page's other figures: adding up a handful of groups here
    costs less than building a second aggregate (about 1 ms each), and seven filtered
    COUNTs in one aggregate cost more to build (about 3 ms) than either.
    """
    rows = list(clusters.order_by().values("kind").annotate(count=Count("pk"), **totals))
    figures = {"total": sum(row["count"] for row in rows)}
    figures.update((name, sum(row[name] or 0 for row in rows)) for name in totals)
    counts = {row["kind"]: row["count"] for row in rows}
    kinds = [
        {"value": value, "label": label, "count": counts[value]}
        for value, label in ClusterKind.choices
        if counts.get(value)
    ]
    return kinds, figures


def region_list(request):
    regions = regions_with_counts()
    return render(request, "directory/browse/region_list.html", {"regions": regions})


def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    clusters = Cluster.objects.published().in_region(region)
    # The kinds, the list's count and whether any has a position: one query.
    kinds, figures = kind_counts(clusters, located=Count("latitude"))
    # The sector list and the cards' sectors from the same pairs: no prefetch.
    sectors, sector_names = sectors_among(clusters)
    page, page_links = paginate(
        clusters.select_related("region").only(*CARD_FIELDS).order_by("name", "pk"),
        request.GET.get("page"),
        count=figures["total"],
    )
    context = {
        "region": region,
        "page": page,
        "page_links": page_links,
        "kinds": kinds,
        "sectors": sectors,
        "sector_names": {cluster.pk: sector_names.get(cluster.pk, []) for cluster in page},
        # The map loads its markers from the map's GeoJSON, built by the same FilterSet as /carte/.
        "has_map": figures["located"] > 0,
        "geojson_url": f"{reverse('directory:map_geojson')}?{urlencode({'region': region.slug})}",
    }
    return render(request, "directory/browse/region_detail.html", context)


def sector_list(request):
    return render(request, "directory/browse/sector_list.html", {"sectors": sectors_with_counts()})


def sector_detail(request, slug):
    sector = get_object_or_404(Sector, slug=slug)
    clusters = (
        Cluster.objects.published()
        .filter(Exists(Cluster.sectors.through.objects.filter(cluster_id=OuterRef("pk"), sector=sector)))
        .select_related("region")
        .only("name", "slug", "kind", "hq_city", "region__name", "region__slug")
        # Clusters without a headquarters region come last, under their own heading.
        .order_by(F("region__name").asc(nulls_last=True), "name", "pk")
    )
    page, page_links = paginate(clusters, request.GET.get("page"))
    by_region = []
    for cluster in page:
        if not by_region or by_region[-1]["region"] != cluster.region:
            by_region.append({"region": cluster.region, "clusters": []})
        by_region[-1]["clusters"].append(cluster)
    context = {"sector": sector, "page": page, "page_links": page_links, "by_region": by_region}
    return render(request, "directory/browse/sector_detail.html", context)


def programme_list(request):
    published_count = Count(
        "participations", filter=Q(participations__cluster__in=Cluster.objects.published().values("pk"))
    )
    programmes = Programme.objects.annotate(count=published_count).order_by("framework", "acronym", "name")
    by_framework = {}
    for programme in programmes:
        by_framework.setdefault(programme.framework, []).append(programme)
    frameworks = [
        {"value": value, "label": label, "programmes": by_framework[value]}
        for value, label in Framework.choices
        if value in by_framework
    ]
    return render(request, "directory/browse/programme_list.html", {"frameworks": frameworks})


def programme_detail(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    participations = list(
        Participation.objects.filter(programme=programme, cluster__in=Cluster.objects.published())
        .select_related("cluster__region")
        .order_by("cluster__name", "pk")
    )
    context = {
        "programme": programme,
        "participations": participations,
        # django-countries gives each name in the active language.
        "countries": sorted(programme.partner_countries, key=lambda country: str(country.name)),
        # Only web addresses become links: a stray line must never turn into a javascript: link.
        "source_urls": [
            line.strip() for line in programme.source_urls.splitlines() if line.strip().startswith(("https://", "http://"))
        ],
    }
    return render(request, "directory/browse/programme_detail.html", context)
