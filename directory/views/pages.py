"""The home page and the pages a public site owes its visitors (about, legal notice, privacy, accessibility)."""

import math

from django.db.models import Count, F, Sum
from django.db.models.functions import Round
from django.conf import settings
from django.shortcuts import render
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from directory.models import Cluster
from directory.views.browse import kind_counts, regions_with_counts, sectors_with_counts

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


def mini_map(clusters):
    """The SVG drawing's data: its size, outlines and one dot per half-degree cell holding a cluster.

    Positions are rounded in the database to a half-degree grid (about 50 km), so there are
    at most a few hundred dots however many clusters there are.
    """
    bounds = MINI_MAP_BOUNDS
    # Two ranges (BETWEEN, never true on NULL) rather than located() and four bounds: fewer lookups to build.
    cells = (
        clusters.filter(
            latitude__range=(bounds["south"], bounds["north"]),
            longitude__range=(bounds["west"], bounds["east"]),
        )
        .order_by()
        .annotate(cell_lat=Round(F("latitude") * 2) / 2, cell_lng=Round(F("longitude") * 2) / 2)
        .values_list("cell_lat", "cell_lng")
        .distinct()
    )
    width, height = _project(bounds["south"], bounds["east"])
    dots = sorted(_project(float(latitude), float(longitude)) for latitude, longitude in cells)
    return {
        "width": math.ceil(width),
        "height": math.ceil(height),
        "outlines": [_polygon(FRANCE_OUTLINE), _polygon(CORSICA_OUTLINE)],
        "dots": dots,
        # A few hundred <circle>s: written here, not by a template loop (two variables and two filters each);
        # the coordinates are floats computed above, nothing to escape.
        "dots_svg": SafeString(
            "".join(f'<circle class="mini-map__dot" cx="{x}" cy="{y}" r="2.5"/>' for x, y in dots)
        ),
    }


def count_list_items(items, label):
    """The <li>s of a « name (count) » list of regions or sectors.

    Written here, not by a template loop: some 0.1 ms an item there (a method call, a
    property asking for the language, three variables), about 10 µs here.
    """
    return format_html_join(
        "\n          ",
        '<li><a href="{}">{}</a> <span class="count-list__count">({})</span></li>',
        ((item.get_absolute_url(), label(item), localize(item.count or 0)) for item in items),
    )


def national_figures(clusters):
    kinds, figures = kind_counts(clusters, members_total=Sum("declared_members"), declaring=Count("declared_members"))
    figures["kinds"] = kinds
    return figures


def home(request):
    published = Cluster.objects.published()
    regions = regions_with_counts()
    # Only the columns shown: the sort then handles narrow rows, not every cluster's search text.
    recent = (
        published.select_related("region").only("name", "slug", "region__name").order_by("-updated_at", "pk")
    )[:RECENT_CLUSTERS]
    sectors = [sector for sector in sectors_with_counts(published) if sector.count]
    context = {
        "figures": national_figures(published),
        "regions": regions,
        "regions_html": count_list_items(regions, lambda region: region.name),
        "regions_covered": sum(1 for region in regions if region.count),
        "sectors": sectors,
        "sectors_html": count_list_items(sectors, lambda sector: sector.localized_name),
        "recent_clusters": list(recent),
        "mini_map": mini_map(published),
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
