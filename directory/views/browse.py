"""Browsing the directory by region, sector and programme.

Every list and count here starts from `Cluster.objects.published()`: drafts and archived
clusters never show. Counts are made by one query per list or, on the home and region
pages, here over flat rows (the published clusters, `link_tables()`), so the number of
queries of a page does not grow with the data.
"""

import unicodedata
from collections import Counter
from html import escape
from operator import itemgetter
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString

from directory.filters import CARD_ATTNAMES, card_clusters, link_tables, regions_from, sectors_from
from directory.links import page_url
from directory.models import Cluster, ClusterKind, Framework, Participation, Programme, Region, Sector
from directory.models.sectors import sector_names_by_cluster

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


def regions_with_counts(pairs=None, regions=None):
    """Every region with `count`: published clusters headquartered there or covering it (a list, by name).

    `pairs`: the published clusters' (cluster id, region id) pairs, of their headquarters and
    of the regions they cover; `regions`: every region. Both are read here (two queries) unless
    the caller has them. Counted as a set of pairs, so a cluster covering its own headquarters
    region counts once, rather than by one subquery per region with an OR, which no index serves.
    """
    if pairs is None:
        rows = Cluster.objects.published().order_by().values_list("pk", "region_id", "regions_covered")
        pairs = [(pk, region_id) for pk, *region_ids in rows for region_id in region_ids if region_id is not None]
    counts = Counter(map(itemgetter(1), set(pairs)))
    regions = list(Region.objects.all()) if regions is None else regions
    for region in regions:
        region.count = counts[region.pk]
    return sorted(regions, key=lambda region: folded(region.name))


def sectors_with_counts(counts=None, sectors=None):
    """Every sector with `count`, by localized name: of the published clusters, counted by the
    database (one query), or `counts` ({sector id: clusters}) for `sectors` when the caller has
    counted its own rows."""
    if sectors is None:
        published = Cluster.objects.published().order_by().values("pk")
        sectors = Sector.objects.annotate(count=Count("clusters", filter=Q(clusters__in=published)))
    else:
        for sector in sectors:
            sector.count = counts[sector.pk]
    return sorted(sectors, key=lambda sector: folded(sector.localized_name))


def sectors_among(cluster_ids, tables):
    """The sectors of the clusters `cluster_ids` (a set), each with `count` (by name, as
    sectors_with_counts), and {cluster id: its sectors' localized names, by name}, as
    result_cards takes them. `tables`: link_tables().
    """
    pairs = [pair for pair in tables["sector_link"] if pair[0] in cluster_ids]
    counts = Counter(map(itemgetter(1), pairs))
    sectors = sectors_from(tables)
    # The cards list a cluster's sectors by French name, as on the search page: the tables' order.
    labels = [(sector.pk, sector.localized_name) for sector in sectors if counts[sector.pk]]
    names = sector_names_by_cluster(pairs, labels)
    return [sector for sector in sectors_with_counts(counts, sectors) if sector.count], names


def kind_counts(kinds):
    """The kinds present among `kinds` (one value a cluster), as [{value, label, count}] in the choices' order."""
    counts = Counter(kinds)
    return [
        {"value": value, "label": label, "count": counts[value]}
        for value, label in ClusterKind.choices
        if counts[value]
    ]


def count_list_items(items, separator="\n          "):
    """The <li>s of a « name (count) » list from (address, label, count) triples.

    Written here, not by a template loop: some 0.1 ms an item there (a method call, a
    property asking for the language, five variables), and ~30 µs with format_html_join.
    Every value escaped with html.escape, only the assembled markup marked safe, as
    directory/templatetags/search_tags.py does: a few µs an item.
    """
    items = [(url, label, count or 0) for url, label, count in items]
    # Counts repeat: each number localized once (~12 µs a call).
    numbers = {count: escape(localize(count)) for count in {count for _url, _label, count in items}}
    return SafeString(
        separator.join(
            f'<li><a href="{escape(url)}">{escape(str(label))}</a>'
            f' <span class="count-list__count">({numbers[count]})</span></li>'
            for url, label, count in items
        )
    )


def region_list(request):
    regions = regions_with_counts()
    return render(request, "directory/browse/region_list.html", {"regions": regions})


def region_detail(request, slug):
    # Two queries: the link tables (which hold the regions and the sectors) and the region's
    # published clusters with their cards' columns, counted and paged here. The lists and counts
    # as four ORM queries and the page of cards as a fifth cost ~2 ms each to build; the cards'
    # columns of a region's few dozen clusters, ~0.5 ms more.
    tables = link_tables()
    regions = {region.pk: region for region in regions_from(tables)}
    region = next((region for region in regions.values() if region.slug == slug), None)
    if region is None:
        raise Http404
    # What in_region() selects (headquartered there or covering it), with the covering clusters
    # known from the tables: its Exists() subquery costs ~1.5 ms more to build.
    covering = [cluster_id for cluster_id, region_id in tables["covered"] if region_id == region.pk]
    rows = list(
        Cluster.objects.published()
        .filter(Q(region=region) | Q(pk__in=covering))
        .order_by("name", "pk")
        .values_list(*CARD_ATTNAMES, "latitude")
    )
    kind_column = CARD_ATTNAMES.index("kind")
    cluster_ids = {row[0] for row in rows}
    # The sector list and the cards' sectors from the same pairs: no prefetch.
    sectors, sector_names = sectors_among(cluster_ids, tables)
    page, page_links = paginate(rows, request.GET.get("page"))
    page.object_list = card_clusters((row[:-1] for row in page.object_list), regions)
    kinds = kind_counts(row[kind_column] for row in rows)
    search = f"{page_url('directory:cluster_list')}?region={region.slug}"
    context = {
        "region": region,
        "page": page,
        "page_links": page_links,
        "kinds": kinds,
        "kinds_html": count_list_items(
            ((f"{search}&type={kind['value']}", kind["label"], kind["count"]) for kind in kinds), "\n      "
        ),
        "sectors": sectors,
        "sectors_html": count_list_items(
            ((f"{search}&secteur={sector.slug}", sector.localized_name, sector.count) for sector in sectors), "\n      "
        ),
        "sector_names": {cluster.pk: sector_names.get(cluster.pk, []) for cluster in page.object_list},
        # The map loads its markers from the map's GeoJSON, built by the same FilterSet as /carte/.
        "has_map": any(row[-1] is not None for row in rows),
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
