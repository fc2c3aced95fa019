"""Member organisations: find one by name or SIREN, see the clusters it belongs to.

Only `Organisation.objects.public()` is ever searched or shown: an organisation that may not
be named publicly has no page and is not found, even by its exact SIREN.
"""

import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from directory.models import Cluster, Membership, Organisation, Sector

PER_PAGE = 20
# A broad search (« société », or none at all) matches tens of thousands of organisations:
# counting them all costs ten times the page itself, and nobody pages past the first thousand.
MAX_COUNTED = 1000
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


def search_page(organisations, raw_page):
    """The page asked for of `organisations`, its links, and whether there are over MAX_COUNTED.

    The first page is fetched with one row more: when that row is missing, it holds every
    match and nothing else is counted (an exact name or SIREN, the usual search: one query).
    Past MAX_COUNTED matches, the pages stop at the MAX_COUNTED-th.
    """
    try:
        first_page_asked = int(raw_page) == 1
    except (TypeError, ValueError):
        first_page_asked = True  # no number, or a bad one: Paginator.get_page() gives the first
    head = list(organisations[: PER_PAGE + 1]) if first_page_asked else None
    if head is not None and len(head) <= PER_PAGE:
        matches = len(head)
    else:
        # Unordered and cut short: the database stops at the first MAX_COUNTED + 1 matches.
        matches = organisations.order_by()[: MAX_COUNTED + 1].count()
    paginator = Paginator(organisations, PER_PAGE)
    paginator.count = min(matches, MAX_COUNTED)
    page = paginator.get_page(raw_page)
    if head is not None:
        page.object_list = head[:PER_PAGE]
    links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page, links, matches > MAX_COUNTED


def member_list(request):
    query, notes = clean_query(request.GET.get("q", ""))
    organisations = (
        search_organisations(query).only("name", "slug", "kind", "siren", "city").order_by("name", "pk")
    )
    page, page_links, over_max = search_page(organisations, request.GET.get("page"))
    context = {
        "query": query,
        "notes": notes,
        "page": page,
        "page_links": page_links,
        "over_max": over_max,
        "max_counted": MAX_COUNTED,
        "extra_query": urlencode({"q": query}) if query else "",
    }
    return render(request, "directory/members/member_list.html", context)


def member_detail(request, slug):
    organisation = (
        Organisation.objects.public()
        .select_related("department")
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.only("name", "name_en", "slug")))
        .filter(slug=slug)
        .first()
    )
    if organisation is None:
        raise Http404
    memberships = list(
        Membership.objects.filter(organisation=organisation, cluster__in=Cluster.objects.published())
        .select_related("cluster__region")
        .only("role", "year_joined", "cluster__name", "cluster__slug", "cluster__region__name", "cluster__region__slug")
        .order_by("cluster__name", "pk")
    )
    return render(
        request, "directory/members/member_detail.html", {"organisation": organisation, "memberships": memberships}
    )
