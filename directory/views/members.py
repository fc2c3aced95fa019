"""Member organisations: find one by name or SIREN, see the clusters it belongs to.

Only `Organisation.objects.public()` is ever searched or shown: an organisation that may not
be named publicly has no page and is not found, even by its exact SIREN.
"""

import re
from urllib.parse import urlencode

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from directory.models import Cluster, Membership, Organisation, Sector
from directory.views.browse import paginate

PER_PAGE = 20
MAX_QUERY_LENGTH = 200
# « 123 456 789 », « 123-456-789 », or the start of one: digits with separators only.
SIREN_LIKE = re.compile(r"^[\d\s.\-]+$")


def clean_query(raw):
    """The visitor's query made safe to search with, and notes about what was changed."""
    notes = []
    query = raw.replace("\x00", "").replace("\ufffd", "")
    if query != raw:
        notes.append(_("Des caractères illisibles ont été retirés de la recherche."))
    query = " ".join(query.split())
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH]
        notes.append(
            _("La recherche était trop longue : seuls ses %(count)s premiers caractères sont pris en compte.")
            % {"count": MAX_QUERY_LENGTH}
        )
    return query, notes


def search_organisations(query):
    """Public organisations whose SIREN starts with the digits given, or whose name holds every word."""
    organisations = Organisation.objects.public()
    if not query:
        return organisations
    if SIREN_LIKE.match(query):
        digits = re.sub(r"\D", "", query)
        return organisations.filter(siren__startswith=digits) if digits else organisations.none()
    condition = Q()
    for word in query.split():
        condition &= Q(name__icontains=word)
    return organisations.filter(condition)


def member_list(request):
    query, notes = clean_query(request.GET.get("q", ""))
    organisations = search_organisations(query).select_related("department").order_by("name", "pk")
    page, page_links = paginate(organisations, request.GET.get("page"), PER_PAGE)
    context = {
        "query": query,
        "notes": notes,
        "page": page,
        "page_links": page_links,
        "extra_query": urlencode({"q": query}) if query else "",
    }
    return render(request, "directory/members/member_list.html", context)


def member_detail(request, slug):
    organisation = (
        Organisation.objects.public()
        .select_related("department__region")
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.only("name", "name_en", "slug")))
        .filter(slug=slug)
        .first()
    )
    if organisation is None:
        raise Http404
    memberships = list(
        Membership.objects.filter(organisation=organisation, cluster__in=Cluster.objects.published())
        .select_related("cluster__region")
        .order_by("cluster__name", "pk")
    )
    return render(
        request, "directory/members/member_detail.html", {"organisation": organisation, "memberships": memberships}
    )
