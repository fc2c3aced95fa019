"""The map of clusters and its GeoJSON, from the same FilterSet as the list."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from directory.geo import FRANCE_AREAS
from directory.links import SLUG, page_url
from directory.models import ClusterKind
from directory.views.search import filter_context


def _in_box(box, latitude, longitude):
    south, west, north, east = box
    return south <= latitude <= north and west <= longitude <= east


def cluster_map(request):
    data, filterset, notes = filter_context(request)
    # The positions read once and counted here: an aggregate of seven filtered counts cost
    # more to build than a few hundred positions cost to read.
    positions = [
        (float(latitude), float(longitude))
        for latitude, longitude in filterset.qs.order_by().values_list("latitude", "longitude")
        if latitude is not None
    ]
    counts = {"total": filterset.matching_count, "located": len(positions)}
    for key, _name, box in FRANCE_AREAS:
        counts[key] = sum(1 for latitude, longitude in positions if _in_box(box, latitude, longitude))
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
