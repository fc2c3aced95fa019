from django.shortcuts import render

from directory.models import Cluster


def home(request):
    published = Cluster.objects.published()
    return render(request, "directory/home.html", {"published_count": published.count()})
