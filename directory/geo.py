"""Where France is: the boxes a cluster's coordinates must fall in.

One source for the database constraint, the form validation and the map's
« jump to an overseas region » buttons.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# name, (south, west, north, east) in degrees, generous by a few kilometres.
FRANCE_AREAS = [
    ("metropole", _("France métropolitaine et Corse"), (41.30, -5.25, 51.15, 9.60)),
    ("guadeloupe", _("Guadeloupe"), (15.80, -61.85, 16.55, -60.95)),
    ("martinique", _("Martinique"), (14.35, -61.25, 14.90, -60.80)),
    ("guyane", _("Guyane"), (2.10, -54.65, 5.80, -51.60)),
    ("la-reunion", _("La Réunion"), (-21.40, 55.20, -20.85, 55.85)),
    ("mayotte", _("Mayotte"), (-13.05, 44.95, -12.60, 45.35)),
]


def is_in_france(latitude, longitude):
    latitude, longitude = float(latitude), float(longitude)
    return any(
        south <= latitude <= north and west <= longitude <= east
        for _key, _name, (south, west, north, east) in FRANCE_AREAS
    )


def in_france_q(lat_field="latitude", lon_field="longitude"):
    """A Q object true when the coordinates are missing or fall in one of the areas."""
    inside = Q()
    for _key, _name, (south, west, north, east) in FRANCE_AREAS:
        inside |= Q(
            **{
                f"{lat_field}__gte": south,
                f"{lat_field}__lte": north,
                f"{lon_field}__gte": west,
                f"{lon_field}__lte": east,
            }
        )
    return Q(**{f"{lat_field}__isnull": True, f"{lon_field}__isnull": True}) | inside
