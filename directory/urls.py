from django.urls import path

from directory.views import clusters, pages

app_name = "directory"

urlpatterns = [
    path("", pages.home, name="home"),
    path("clusters/<slug:slug>/", clusters.cluster_detail, name="cluster_detail"),
]
