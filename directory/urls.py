from django.urls import path

from directory.views import clusters, pages, search
from directory.views import map as map_views

app_name = "directory"

urlpatterns = [
    path("", pages.home, name="home"),
    path("clusters/", search.cluster_list, name="cluster_list"),
    path("carte/", map_views.cluster_map, name="map"),
    path("carte/clusters.geojson", map_views.clusters_geojson, name="map_geojson"),
    path("clusters/<slug:slug>/", clusters.cluster_detail, name="cluster_detail"),
]
