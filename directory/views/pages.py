"""The home page and the pages a public site owes its visitors (about, legal notice, privacy, accessibility)."""

import math
from collections import Counter
from html import escape

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.shortcuts import render
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy, ngettext

from directory.filters import link_tables, region_pairs, regions_from, sectors_from
from directory.links import SLUG, page_url
from directory.models import Cluster
from directory.views.browse import count_list_items, kind_counts, regions_with_counts, sectors_with_counts

RECENT_CLUSTERS = 6

# Where visitors report errors, object to publication or ask for an accessible alternative.
CONTACT_EMAIL = "annuaire@franceclusters.fr"
# The law asks for the host's name, address and phone: the operator fills them in on deployment.
HOST_DETAILS = gettext_lazy(
    "Le nom, l’adresse et le téléphone de l’hébergeur sont indiqués ici par l’exploitant lors de la mise en ligne."
)

# The mini map on the home page: metropolitan France and Corsica drawn as an SVG, no script, no tiles.
MINI_MAP_BOUNDS = {"south": 41.2, "north": 51.2, "west": -5.3, "east": 9.7}
MINI_MAP_WIDTH = 300
# A rough outline, enough for visitors to recognise the country around the dots.
FRANCE_OUTLINE = [
    (51.05, 2.37), (50.45, 4.0), (49.5, 5.8), (48.97, 8.2), (47.6, 7.6), (46.4, 6.1), (45.9, 7.0),
    (44.1, 7.7), (43.75, 7.5), (43.1, 6.0), (43.3, 5.3), (43.5, 4.5), (43.1, 3.1), (42.45, 3.15),
    (42.8, 1.5), (43.3, -1.7), (44.6, -1.25), (45.7, -1.2), (46.5, -1.8), (47.3, -2.5), (47.7, -3.5),
    (48.0, -4.7), (48.6, -4.6), (48.8, -3.0), (48.6, -1.6), (49.7, -1.9), (49.3, -1.1), (49.45, 0.1),
    (50.0, 1.4), (50.9, 1.6),
]
CORSICA_OUTLINE = [(43.0, 9.4), (42.4, 9.55), (41.4, 9.2), (41.9, 8.6), (42.6, 8.7)]


# Equirectangular projection centred on France: good enough at this size.
_COS_CENTRE = math.cos(math.radians(46.5))
_SCALE = MINI_MAP_WIDTH / ((MINI_MAP_BOUNDS["east"] - MINI_MAP_BOUNDS["west"]) * _COS_CENTRE)


def _project(latitude, longitude):
    x = (longitude - MINI_MAP_BOUNDS["west"]) * _COS_CENTRE * _SCALE
    y = (MINI_MAP_BOUNDS["north"] - latitude) * _SCALE
    return round(x, 1), round(y, 1)


def _polygon(points):
    return " ".join("{},{}".format(*_project(latitude, longitude)) for latitude, longitude in points)


def _half_degree(value):
    """`value` (degrees) to the nearest half degree, halves away from zero as SQL's ROUND
    (round() would take them to the even number). A position has five decimals: its double
    is a half exactly or is 1e-5 away from one, so float arithmetic is exact enough."""
    cell = math.floor(abs(value) * 2 + 0.5) / 2
    return cell if value >= 0 else -cell


# Constant: projected once.
MINI_MAP_OUTLINES = [_polygon(FRANCE_OUTLINE), _polygon(CORSICA_OUTLINE)]


def mini_map(positions):
    """The SVG drawing's data: its size, outlines and one dot per half-degree cell holding a cluster.

    `positions`: the clusters' (latitude, longitude), None where unknown. Rounded to a
    half-degree grid (about 50 km), so there are at most a few hundred dots however many
    clusters there are.
    """
    bounds = MINI_MAP_BOUNDS
    south, north, west, east = bounds["south"], bounds["north"], bounds["west"], bounds["east"]
    cells = set()
    for latitude, longitude in positions:
        # Both or neither (a database constraint). Five decimals: as floats, compared with the
        # bounds as the decimals would be.
        if latitude is not None:
            latitude, longitude = float(latitude), float(longitude)
            if south <= latitude <= north and west <= longitude <= east:
                cells.add((_half_degree(latitude), _half_degree(longitude)))
    width, height = _project(south, east)
    # x depends on the longitude only, y on the latitude only: a few dozen of each to project
    # for a couple of hundred dots (~1.5 µs a projection).
    xs = {longitude: _project(north, longitude)[0] for longitude in {longitude for _latitude, longitude in cells}}
    ys = {latitude: _project(latitude, west)[1] for latitude in {latitude for latitude, _longitude in cells}}
    dots = sorted((xs[longitude], ys[latitude]) for latitude, longitude in cells)
    return {
        "width": math.ceil(width),
        "height": math.ceil(height),
        "outlines": MINI_MAP_OUTLINES,
        "dots": dots,
        # A few hundred <circle>s: written here, not by a template loop (two variables and two filters each);
        # the coordinates are floats computed above, nothing to escape.
        "dots_svg": SafeString(
            "".join(f'<circle class="mini-map__dot" cx="{x}" cy="{y}" r="2.5"/>' for x, y in dots)
        ),
    }


def national_figures(rows):
    """The home's figures over the published clusters' (kind, declared members) rows."""
    declared = [members for _kind, members in rows if members is not None]
    return {
        "total": len(rows),
        "kinds": kind_counts(kind for kind, _members in rows),
        "members_total": sum(declared),
        "declaring": len(declared),
    }


def figure_items(figures, regions_covered):
    """The <li>s of the home's figures.

    Written here, as the recent clusters below: three {% blocktranslate count %} and two
    loops cost ~1 ms in the template, some 0.1 ms here. Same msgids as the template had;
    every value escaped with html.escape, as directory/templatetags/search_tags.py does.
    """
    item = '<li><span class="figures__value">{}</span> {}</li>'
    total, declaring = figures["total"], figures["declaring"]
    cluster_list = escape(page_url("directory:cluster_list"))
    members = ngettext(
        "membres déclarés (par %(counter)s cluster)", "membres déclarés (par %(counter)s clusters)", declaring
    ) % {"counter": localize(declaring)}
    items = [
        item.format(escape(localize(total)), escape(ngettext("cluster publié", "clusters publiés", total))),
        *(
            item.format(
                escape(localize(kind["count"])),
                f'<a href="{cluster_list}?type={escape(kind["value"])}">{escape(str(kind["label"]))}</a>',
            )
            for kind in figures["kinds"]
        ),
        item.format(escape(localize(figures["members_total"])), escape(members)),
        item.format(
            escape(localize(regions_covered)),
            escape(ngettext("région couverte", "régions couvertes", regions_covered)),
        ),
    ]
    return SafeString("\n    ".join(items))


def recent_items(clusters):
    """The <li>s of the recently updated clusters (see figure_items)."""
    cluster_url = page_url("directory:cluster_detail", SLUG)
    return SafeString(
        "\n          ".join(
            f'<li><a href="{escape(cluster_url.replace(SLUG, cluster.slug))}">{escape(cluster.name)}</a>'
            + (f' <span class="count-list__count">· {escape(cluster.region.name)}</span>' if cluster.region else "")
            + "</li>"
            for cluster in clusters
        )
    )


def home(request):
    # Two queries: the published clusters' flat rows and the link tables; every figure, list and
    # dot is counted here. Each ORM query costs ~2 ms to build, and the six this page made
    # (one per list) cost more than counting ~1,500 small rows. The rows come most recently
    # updated first (no cost over no order) for the recent list: reading 400 timestamps
    # instead would cost ~5 ms (timezone-aware datetimes).
    rows = list(
        Cluster.objects.published()
        .order_by("-updated_at", "pk")
        .values_list("pk", "name", "slug", "kind", "region_id", "declared_members", "latitude", "longitude")
    )
    tables = link_tables()
    published = {row[0] for row in rows}
    pairs = region_pairs(((row[0], row[4]) for row in rows), tables["covered"], published)
    regions = regions_with_counts(pairs, regions_from(tables))
    regions_by_id = {region.pk: region for region in regions}
    sector_counts = Counter(sector_id for cluster_id, sector_id in tables["sector_link"] if cluster_id in published)
    sectors = [sector for sector in sectors_with_counts(sector_counts, sectors_from(tables)) if sector.count]
    recent = []
    for pk, name, slug, _kind, region_id, *_rest in rows[:RECENT_CLUSTERS]:
        # As .only("name", "slug", "region__name") would give them, the region from the tables.
        cluster = Cluster.from_db(DEFAULT_DB_ALIAS, ("id", "name", "slug"), (pk, name, slug))
        cluster.region = regions_by_id.get(region_id)
        recent.append(cluster)
    # The address patterns once for the lists (see directory/links.py): page_url() costs ~25 µs.
    region_url, sector_url = page_url("directory:region_detail", SLUG), page_url("directory:sector_detail", SLUG)
    figures = national_figures([(row[3], row[5]) for row in rows])
    regions_covered = sum(1 for region in regions if region.count)
    context = {
        "figures": figures,
        "figures_html": figure_items(figures, regions_covered),
        "regions": regions,
        "regions_html": count_list_items(
            (region_url.replace(SLUG, region.slug), region.name, region.count) for region in regions
        ),
        "regions_covered": regions_covered,
        "sectors": sectors,
        "sectors_html": count_list_items(
            (sector_url.replace(SLUG, sector.slug), sector.localized_name, sector.count) for sector in sectors
        ),
        "recent_clusters": recent,
        "recent_html": recent_items(recent),
        "mini_map": mini_map([(row[6], row[7]) for row in rows]),
    }
    return render(request, "directory/pages/home.html", context)


def _information_page(template):
    def view(request):
        context = {"contact_email": CONTACT_EMAIL, "host_details": getattr(settings, "SITE_HOST_DETAILS", "") or HOST_DETAILS}
        return render(request, f"directory/pages/{template}.html", context)

    view.__name__ = template
    return view


about = _information_page("about")
legal_notice = _information_page("legal_notice")
personal_data = _information_page("personal_data")
accessibility = _information_page("accessibility")
