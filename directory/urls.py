from django.urls import path

from directory.views import browse, clusters, members, pages, search
from directory.views import map as map_views

app_name = "directory"

urlpatterns = [
    path("", pages.home, name="home"),
    path("clusters/", search.cluster_list, name="cluster_list"),
    path("carte/", map_views.cluster_map, name="map"),
    path("carte/clusters.geojson", map_views.clusters_geojson, name="map_geojson"),
    path("clusters/<slug:slug>/", clusters.cluster_detail, name="cluster_detail"),
    path("regions/", browse.region_list, name="region_list"),
    path("regions/<slug:slug>/", browse.region_detail, name="region_detail"),
    path("secteurs/", browse.sector_list, name="sector_list"),
    path("secteurs/<slug:slug>/", browse.sector_detail, name="sector_detail"),
    path("programmes/", browse.programme_list, name="programme_list"),
    path("programmes/<slug:slug>/", browse.programme_detail, name="programme_detail"),
    path("membres/", members.member_list, name="member_list"),
    path("membres/<slug:slug>/", members.member_detail, name="member_detail"),
    path("a-propos/", pages.about, name="about"),
    path("mentions-legales/", pages.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", pages.personal_data, name="personal_data"),
    path("accessibilite/", pages.accessibility, name="accessibility"),
]
