import json
from html import escape

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.formats import localize
from django.utils.translation import get_language, gettext, ngettext, override

from directory.links import page_url, page_urls
from directory.models import MembershipRole, OrganisationKind, OrganisationSize
from directory.models.choices import choice_label

register = template.Library()


# The pages every page links to, in its header and footer.
SITE_URL_NAMES = (
    "home",
    "cluster_list",
    "map",
    "region_list",
    "sector_list",
    "programme_list",
    "member_list",
    "about",
    "legal_notice",
    "personal_data",
    "accessibility",
)


@register.simple_tag
def site_urls():
    """{name: URL} of the header's and footer's links in the active language (see directory/links.py)."""
    return page_urls("directory", SITE_URL_NAMES)


def _page_path(match, code, default):
    """The path of the page `match` names, in language `code`; `default` when it has none (a 404)."""
    if match is None:
        return default
    if not match.args and set(match.kwargs) <= {"slug"}:
        # Nearly every page: its address pattern, reversed once per language (directory/links.py).
        try:
            return page_url(match.view_name, match.kwargs.get("slug"), language=code)
        except NoReverseMatch:
            return default
    with override(code):
        try:
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return default


@register.simple_tag(takes_context=True)
def alternate_urls(context):
    """The page in each language.

    `url` keeps the whole query string, so the language switcher keeps the filters. The
    canonical and hreflang links use `canonical_url`: the same, unless the view put a
    `canonical_query` in the context (the query string that really names the page, "" for
    none), so stray or invalid parameters (`?membres=abc`, tracking tags) are not indexed.
    base.html calls this once for the alternate links and the language switcher.
    """
    request = context["request"]
    current = get_language()
    query = request.GET.urlencode()
    canonical_query = context.get("canonical_query")
    if canonical_query is None:
        canonical_query = query
    # The view that answered names the page: no second resolve() of the path.
    match = request.resolver_match
    languages = []
    canonical_by_code = {}
    for code, name in settings.LANGUAGES:
        page_url = request.build_absolute_uri(_page_path(match, code, request.path))
        url = f"{page_url}?{query}" if query else page_url
        canonical_url = f"{page_url}?{canonical_query}" if canonical_query else page_url
        canonical_by_code[code] = canonical_url
        languages.append(
            {"code": code, "name": name, "url": url, "canonical_url": canonical_url, "is_current": code == current}
        )
    return {
        "languages": languages,
        "canonical": canonical_by_code.get(current) or request.build_absolute_uri(),
        "default": canonical_by_code[settings.LANGUAGE_CODE],
    }


# The characters json_script escapes: none of them can then close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """`data` as a JSON-LD <script>, escaped the way Django's json_script escapes.

    json_script only writes type="application/json", which search engines ignore.
    HTML-escaping would corrupt JSON inside <script> (its text is not entity-decoded),
    so, like json_script itself, the JSON is made inert by escaping <, > and & as
    \\u003C, \\u003E and \\u0026, and only that escaped text is marked safe.
    A data block is never executed, so the CSP does not apply to it: no nonce, and a
    page without one is stored by the page cache already compressed.
    """
    escaped = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(escaped))


@register.simple_tag
def member_rows(members):
    """The rows of a cluster's member table, from the (name, role, kind, size, city) tuples
    of directory/cluster_page.py: 25 a page.

    Built as directory/templatetags/search_tags.py builds its markup: every value escaped
    with html.escape, only the assembled rows marked safe (format_html_join: ~0.6 ms a page).
    Each choice's label is translated once a call, not once a row (50 lazy labels: ~1 ms).
    """
    labels = {}

    def label(choices, value):
        if (choices, value) not in labels:
            labels[choices, value] = escape(choice_label(choices, value))
        return labels[choices, value]

    rows = []
    for name, role, kind, size, city in members:
        role_text = "" if role == MembershipRole.MEMBER else f' <span class="members__role">({label(MembershipRole, role)})</span>'
        rows.append(
            f'<tr><th scope="row">{escape(name)}{role_text}</th><td>{label(OrganisationKind, kind)}</td>'
            f'<td>{label(OrganisationSize, size) or "—"}</td><td>{escape(city) or "—"}</td></tr>'
        )
    return SafeString("\n".join(rows))


def pagination_html(page, links, previous_text, next_text, label, nav_attributes=""):
    """A <nav> of page links: `links` are (number or the paginator's ELLIPSIS, address) pairs in
    order, each address unescaped; the previous and next links use the addresses of their numbers.

    As a template loop of some forty nodes they cost ~0.5 ms; written here, a tenth.
    """
    if not page.has_other_pages():
        return ""
    addresses = dict(links)
    items = []
    if page.has_previous():
        address = escape(addresses[page.previous_page_number()])
        items.append(f'<li><a href="{address}" rel="prev">{escape(previous_text)}</a></li>')
    for number, address in links:
        if number == page.paginator.ELLIPSIS:
            items.append("<li><span>…</span></li>")
        elif number == page.number:
            items.append(f'<li><span aria-current="page">{number}</span></li>')
        else:
            items.append(f'<li><a href="{escape(address)}">{number}</a></li>')
    if page.has_next():
        address = escape(addresses[page.next_page_number()])
        items.append(f'<li><a href="{address}" rel="next">{escape(next_text)}</a></li>')
    return SafeString(
        f'<nav class="pagination" aria-label="{escape(label)}"{nav_attributes}>\n  <ul>\n    '
        + "\n    ".join(items)
        + "\n  </ul>\n</nav>"
    )


@register.simple_tag
def page_links(page, links, extra_query=""):
    """A list's page links (`links`: the paginator's elided range), `?page=` after `extra_query`."""
    before = f"?{extra_query}&" if extra_query else "?"
    return pagination_html(
        page,
        [(number, f"{before}page={number}") for number in links],
        gettext("Page précédente"),
        gettext("Page suivante"),
        gettext("Pages"),
    )


@register.simple_tag
def member_pagination(page, links):
    """The member table's page links (`links`: the paginator's elided range), in the section #membres."""
    return pagination_html(
        page,
        [(number, f"?membres={number}#membres") for number in links],
        gettext("Membres précédents"),
        gettext("Membres suivants"),
        gettext("Pages de la liste des membres"),
    )


# Counts shown once per item of a list: the text comes from ngettext here, with the msgids
# the templates' {% blocktranslate count %} used (about 0.1 ms each as a tag).


@register.filter
def clusters_count(count):
    """« 12 clusters »."""
    return ngettext("%(counter)s cluster", "%(counter)s clusters", count) % {"counter": localize(count)}


@register.filter
def french_clusters_count(count):
    """« 12 clusters français »."""
    return ngettext("%(counter)s cluster français", "%(counter)s clusters français", count) % {
        "counter": localize(count)
    }
