"""A cluster's public page."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from directory.models import Cluster, ClusterFormerSlug, Membership, Status
from directory.views.browse import paginate

MEMBERS_PER_PAGE = 25
RELATED_CLUSTERS = 6


def _may_see(user, cluster):
    return cluster.status != Status.DRAFT or user.is_staff


def _former_slug_redirect(request, slug):
    """An old address of a renamed cluster answers with a permanent redirect to the new one."""
    former = ClusterFormerSlug.objects.select_related("cluster").filter(slug=slug).first()
    if former is None or not _may_see(request.user, former.cluster):
        raise Http404
    target = former.cluster.get_absolute_url()
    query = request.GET.urlencode()
    return redirect(f"{target}?{query}" if query else target, permanent=True)


def cluster_detail(request, slug):
    """A cluster's page. A draft is a 404 for visitors and a marked preview for staff."""
    try:
        # The successor is only named on an archived cluster's page: fetched then, not joined here.
        cluster = (
            Cluster.objects.select_related("region", "department")
            .defer(*Cluster.SEARCH_FIELDS)
            .with_listed_members_count()
            .with_named_members_count()
            .get(slug=slug)
        )
    except Cluster.DoesNotExist:
        return _former_slug_redirect(request, slug)
    if not _may_see(request.user, cluster):
        raise Http404

    today = timezone.localdate()
    labels = list(cluster.labels.order_by("-valid_until", "-awarded_on"))
    sectors = list(cluster.sectors.all())
    members_page, member_page_links = paginate(
        cluster.listed_memberships().values("pk"),
        request.GET.get("membres"),
        MEMBERS_PER_PAGE,
        count=cluster.named_members_count,
    )
    members_page.object_list = list(Membership.objects.filter(pk__in=members_page.object_list).member_table_rows())
    context = {
        "cluster": cluster,
        "is_preview": cluster.status == Status.DRAFT,
        "is_archived": cluster.status == Status.ARCHIVED,
        "regions_covered": list(cluster.regions_covered.exclude(pk=cluster.region_id)),
        "sectors": sectors,
        "current_labels": [label for label in labels if not label.is_expired(today)],
        "past_labels": [label for label in labels if label.is_expired(today)],
        "participations": list(
            cluster.participations.select_related("programme")
            .defer("programme__description", "programme__description_en", "programme__source_urls")
            .order_by("-programme__start_year", "programme__acronym", "programme__name")
        ),
        "members_page": members_page,
        # The largest clusters list 60 pages of members: link the first, the last and those around.
        "member_page_links": member_page_links,
        # Only a real page of members names another page: ?membres=abc or =1 is the page itself.
        "canonical_query": f"membres={members_page.number}" if members_page.number > 1 else "",
        "unnamed_members_count": cluster.listed_members_count - cluster.named_members_count,
        "sources": list(cluster.sources.order_by("url")),
        "related_clusters": Cluster.objects.only("name", "slug", "kind", "hq_city").related_to(
            cluster, sectors, RELATED_CLUSTERS
        ),
    }
    context["schema_org"] = cluster.as_schema_org(
        page_url=request.build_absolute_uri(cluster.get_absolute_url()),
        sectors=sectors,
        labels=context["current_labels"],
        regions_covered=context["regions_covered"],
    )
    return render(request, "directory/cluster_detail.html", context)
