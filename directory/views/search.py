"""The cluster list: search, filters with facet counts, pagination."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from directory.filters import ClusterFilterSet, clean_params

PER_PAGE = 20


def page_number(raw, last_page, notes):
    """The page to show for a `page` parameter, with a note when it was not usable."""
    if not raw:
        return 1
    try:
        number = int(raw)
    except ValueError:
        notes.append(_("Le numéro de page « %(page)s » n’est pas un nombre : voici la première page.") % {"page": raw[:20]})
        return 1
    if number < 1:
        notes.append(_("La page %(page)s n’existe pas : voici la première page.") % {"page": number})
        return 1
    if number > last_page:
        notes.append(
            _("La page %(page)s n’existe pas : voici la dernière page (%(last)s).") % {"page": number, "last": last_page}
        )
        return last_page
    return number


def filter_context(request):
    """What the list and the map share: the cleaned parameters, the FilterSet, the notes."""
    data, notes = clean_params(request.GET)
    filterset = ClusterFilterSet(data)
    return data, filterset, notes + filterset.ignored


def cluster_list(request):
    data, filterset, notes = filter_context(request)
    # The facets' rows hold the matching clusters in order, and their sectors: no COUNT
    # query, no prefetch; the page's twenty cards are read in one query (filterset.cards).
    paginator = Paginator(filterset.matching, PER_PAGE)
    page = paginator.page(page_number(data.get("page"), paginator.num_pages, notes))
    page.object_list = filterset.cards(page.object_list)
    context = {
        "filterset": filterset,
        "facets": filterset.facets,
        "page": page,
        "sector_names": filterset.sectors_of(page.object_list),
        "notes": notes,
        "querystring": filterset.querystring(),
        "page_links": [
            {"number": number, "querystring": filterset.querystring(extra=[("page", number)])}
            for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ],
    }
    # A fragment for htmx, except when htmx restores history and needs the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "directory/search/results_partial.html" if partial else "directory/cluster_list.html"
    response = render(request, template, context)
    if partial:
        # The address bar gets the clean, shareable state, not the form's empty fields.
        state = filterset.querystring(extra=[("page", page.number)] if page.number > 1 else [])
        response["HX-Push-Url"] = request.path + (f"?{state}" if state else "")
    patch_vary_headers(response, ["HX-Request"])
    return response
