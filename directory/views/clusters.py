from django.http import Http404
from django.shortcuts import get_object_or_404, render

from directory.models import Cluster, Status


def cluster_detail(request, slug):
    """A cluster's page. A draft is a 404 for visitors and a marked preview for staff."""
    cluster = get_object_or_404(Cluster.objects.select_related("region", "department", "successor"), slug=slug)
    is_preview = cluster.status == Status.DRAFT
    if is_preview and not request.user.is_staff:
        raise Http404
    return render(request, "directory/cluster_detail.html", {"cluster": cluster, "is_preview": is_preview})
