"""The settings of the public Leaflet maps, written as data attributes on the map's container.

static/js/leaflet-map.js builds every public map from them: no page needs django-leaflet's inline
script, nor a CSP nonce for it, so a page with a map is cached and compressed like any other.
The admin's map picker reads the same settings (directory/admin/clusters.py).
"""

import json

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


# Loaded by leaflet-map.js, in this order, only once a map comes into view.
LEAFLET_SCRIPTS = ("leaflet/leaflet.js",)
CLUSTERING_SCRIPTS = ("vendor/leaflet.markercluster/leaflet.markercluster.js", "js/cluster-markers.js")


@register.simple_tag
def map_attributes(clusters=False):
    """`data-*` attributes for a map container: tiles, attribution, zooms, centre, localised zoom
    buttons, and the scripts to load (with Leaflet.markercluster and our markers if `clusters`)."""
    leaflet = settings.LEAFLET_CONFIG
    _name, tiles_url, tiles_options = leaflet["TILES"][0]
    scripts = LEAFLET_SCRIPTS + (CLUSTERING_SCRIPTS if clusters else ())
    return format_html(
        'data-scripts="{}" data-tiles-url="{}" data-tiles-attribution="{}" data-attribution-prefix="{}" data-center="{}"'
        ' data-zoom="{}" data-min-zoom="{}" data-max-zoom="{}" data-image-path="{}"'
        ' data-zoom-in="{}" data-zoom-out="{}"',
        " ".join(static(path) for path in scripts),
        tiles_url,
        tiles_options.get("attribution", ""),
        leaflet.get("ATTRIBUTION_PREFIX", ""),
        json.dumps(list(leaflet["DEFAULT_CENTER"])),
        leaflet["DEFAULT_ZOOM"],
        leaflet["MIN_ZOOM"],
        leaflet["MAX_ZOOM"],
        leaflet.get("FORCE_IMAGE_PATH", f"{settings.STATIC_URL}leaflet/images/"),
        gettext("Zoom avant"),
        gettext("Zoom arrière"),
    )
