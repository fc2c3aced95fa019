"""The map of clusters and its GeoJSON, from the same FilterSet as the list."""

from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from directory.geo import FRANCE_AREAS
from directory.links import SLUG, page_url
from directory.models import ClusterKind
from directory.views.search import filter_context

OVERSEAS_AREAS = [area for area in FRANCE_AREAS if area[0] != "metropole"]


def _in_box(box):
    south, west, north, east = box
    return Q(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)


def cluster_map(request):
    data, filterset, notes = filter_context(request)
    counts = filterset.qs.order_by().aggregate(
        total=Count("pk"),
        located=Count("pk", filter=Q(latitude__isnull=False)),
        **{key: Count("pk", filter=_in_box(box)) for key, _name, box in FRANCE_AREAS},
    )
    zones = [
        {"key": key, "name": name, "bounds": ",".join(str(value) for value in box), "count": counts[key]}
        for key, name, box in FRANCE_AREAS
        if key == "metropole" or counts[key]
    ]
    querystring = filterset.querystring()
    missing_querystring = filterset.querystring(
        without=("position", filterset.cleaned.get("position")), extra=[("position", "absente")]
    )
    context = {
        "filterset": filterset,
        "facets": filterset.facets,
        "notes": notes,
        "counts": counts,
        "missing": counts["total"] - counts["located"],
        "zones": zones if len(zones) > 1 else [],
        "querystring": querystring,
        "missing_querystring": missing_querystring,
        "geojson_url": reverse("directory:map_geojson") + (f"?{querystring}" if querystring else ""),
    }
    return render(request, "directory/map.html", context)


def clusters_geojson(request):
    """A GeoJSON FeatureCollection of the clusters the same parameters list, with counts."""
    _data, filterset, _notes = filter_context(request)
    rows = filterset.qs.values_list("name", "slug", "kind", "hq_city", "latitude", "longitude")
    # For 400 rows, one reverse() and one translation per kind, not one of each per row.
    cluster_url = page_url("directory:cluster_detail", SLUG)
    kinds = {value: str(label) for value, label in ClusterKind.choices}
    features = []
    total = 0
    for name, slug, kind, city, latitude, longitude in rows:
        total += 1
        if latitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
                "properties": {
                    "name": name,
                    "kind": kinds.get(kind, kind),
                    "city": city,
                    "url": cluster_url.replace(SLUG, slug),
                },
            }
        )
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "count": total,
            "located": len(features),
            "missing_position": total - len(features),
            "features": features,
        },
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
