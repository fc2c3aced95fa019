"""A cluster's public page."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from directory.cluster_page import member_rows, page_tables
from directory.models import Cluster, ClusterFormerSlug, Status
from directory.views.browse import paginate

MEMBERS_PER_PAGE = 25
RELATED_CLUSTERS = 6
# Far past the largest cluster's 60 pages: a larger number is the last page anyway.
MAX_MEMBER_PAGE = 100_000


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


def _asked_page(raw):
    """The page of members `?membres=` names when it is a whole number from 1, else 1: read as
    the paginator reads it, bounded so that no offset overflows the database's integers."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_MEMBER_PAGE)


def cluster_detail(request, slug):
    """A cluster's page. A draft is a 404 for visitors and a marked preview for staff."""
    try:
        # Its region and department come with the page's other rows (directory/cluster_page.py);
        # the successor is only named on an archived cluster's page: fetched then.
        cluster = Cluster.objects.defer(*Cluster.SEARCH_FIELDS).get(slug=slug)
    except Cluster.DoesNotExist:
        return _former_slug_redirect(request, slug)
    if not _may_see(request.user, cluster):
        raise Http404

    today = timezone.localdate()
    # Every list and the member counts in one query, for the page of members asked for; the
    # paginator then checks the number against the count (a bad one is the first page, one
    # past the end or below 1 the last), and only then are other rows read.
    raw_page = request.GET.get("membres")
    asked = _asked_page(raw_page)
    tables = page_tables(
        cluster,
        members_offset=(asked - 1) * MEMBERS_PER_PAGE,
        members_limit=MEMBERS_PER_PAGE,
        related_limit=RELATED_CLUSTERS,
    )
    named_count = tables["named_members_count"]
    members_page, member_page_links = paginate(range(named_count), raw_page, MEMBERS_PER_PAGE, count=named_count)
    if members_page.number == asked or not named_count:
        members_page.object_list = tables["members"]
    else:
        members_page.object_list = member_rows(cluster, (members_page.number - 1) * MEMBERS_PER_PAGE, MEMBERS_PER_PAGE)
    labels = tables["labels"]
    context = {
        "cluster": cluster,
        "is_preview": cluster.status == Status.DRAFT,
        "is_archived": cluster.status == Status.ARCHIVED,
        "regions_covered": tables["regions_covered"],
        "sectors": tables["sectors"],
        "current_labels": [label for label in labels if not label.is_expired(today)],
        "past_labels": [label for label in labels if label.is_expired(today)],
        "participations": tables["participations"],
        "members_page": members_page,
        # The largest clusters list 60 pages of members: link the first, the last and those around.
        "member_page_links": member_page_links,
        # Only a real page of members names another page: ?membres=abc or =1 is the page itself.
        "canonical_query": f"membres={members_page.number}" if members_page.number > 1 else "",
        "unnamed_members_count": tables["unnamed_members_count"],
        "sources": tables["sources"],
        "related_clusters": tables["related"],
    }
    context["schema_org"] = cluster.as_schema_org(
        page_url=request.build_absolute_uri(cluster.get_absolute_url()),
        sectors=context["sectors"],
        labels=context["current_labels"],
        regions_covered=context["regions_covered"],
    )
    return render(request, "directory/cluster_detail.html", context)
