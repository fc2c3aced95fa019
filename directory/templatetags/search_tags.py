"""Markup the search pages repeat hundreds of times, built in Python.

At national scale the facets hold about 230 options and a page 20 result cards. As
template loops they cost about 35 ms a page on the benchmark machine: a {% blocktranslate %}
is about 0.1 ms, a variable or an {% if %} some 20 µs. Even format_html_join costs about
20 µs an option, most of it in the lazy-string check django.utils.html.escape adds around
the standard library's html.escape. So these tags escape EVERY interpolated value with
html.escape itself (what Django's escape() calls) and mark only the assembled markup safe:
about 2 µs an option. tests/test_views_search.py checks the escaping.

The msgids are the ones the templates used, so the catalogues serve them unchanged;
counts are localized as the template did, once per distinct count.
"""

from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import trans_real

from directory.links import SLUG, page_url
from directory.templatetags.directory_tags import pagination_html
from directory.models import ClusterKind

register = template.Library()


def _translations():
    """The active language's gettext and ngettext.

    django.utils.translation's functions look the active language up (an asgiref Local) on
    every call: ~11 µs a call against ~3, for the ~100 calls of a search page (a facet option
    pattern per distinct count, a member count per card). Bound to these two names, the
    calls below still reach the catalogues through makemessages.
    """
    active = trans_real.catalog()
    return active.gettext, active.ngettext


def _per_count(text_for):
    """`text_for(count)`, computed once per count: hundreds of options share a few dozen counts."""
    texts = {}

    def text(count):
        if count not in texts:
            texts[count] = text_for(count)
        return texts[count]

    return text


def _counter(count):
    """localize(count): below 1,000 no locale groups digits, and str() costs a tenth as much."""
    return str(count) if 0 <= count < 1000 else localize(count)


def _escaped(texts):
    """[escape(text) for text in texts], in one call: ~1 µs a call made escaping half the cost
    of a facet's options. Joined on NUL, which no text holds (or each is escaped alone)."""
    escaped = escape("\x00".join(texts)).split("\x00")
    return escaped if len(escaped) == len(texts) else [escape(text) for text in texts]


def facet_options(options):
    """A facet's <option>s: « label (n clusters) »."""
    _gettext, ngettext = _translations()
    pattern = _per_count(
        lambda count: (
            ngettext("%(label)s (%(counter)s cluster)", "%(label)s (%(counter)s clusters)", count),
            _counter(count),
        )
    )

    def text(option):
        text_pattern, counter = pattern(option["count"])
        return text_pattern % {"label": option["label"], "counter": counter}

    values = _escaped([str(option["value"]) for option in options])
    texts = _escaped([text(option) for option in options])
    return "\n    ".join(
        f'<option value="{value}"{" selected" if option["checked"] else ""}>{text}</option>'
        for option, value, text in zip(options, values, texts)
    )


def facet_checkboxes(name, options):
    """A facet's checkboxes, each labelled « label (n clusters) »."""
    _gettext, ngettext = _translations()
    count_text = _per_count(
        lambda count: ngettext("%(counter)s cluster", "%(counter)s clusters", count) % {"counter": _counter(count)}
    )
    name = escape(name)
    values = _escaped([str(option["value"]) for option in options])
    labels = _escaped([str(option["label"]) for option in options])
    counts = _escaped([count_text(option["count"]) for option in options])
    return "\n    ".join(
        f'<li>\n      <input type="checkbox" id="{name}-{value}" name="{name}" value="{value}"'
        f'{" checked" if option["checked"] else ""}>\n'
        f'      <label for="{name}-{value}">{label} <span class="facet__count">({count})</span></label>\n    </li>'
        for option, value, label, count in zip(options, values, labels, counts)
    )


# A facet's whole block as one tag: as an {% include %} with its own variables it cost
# ~0.2 ms a facet, for six facets on every search and map page.


def _select(name, label, empty_label, options_html):
    name = escape(name)
    return SafeString(
        f'<p class="facet">\n  <label for="id_{name}">{escape(label)}</label>\n'
        f'  <select id="id_{name}" name="{name}">\n    <option value="">{escape(empty_label)}</option>\n'
        f"    {options_html}\n  </select>\n</p>"
    )


@register.simple_tag
def facet_select(name, label, options, empty_label):
    """A facet as a labelled <select>: « label (n clusters) » options after the empty one."""
    return _select(name, label, empty_label, facet_options(options))


@register.simple_tag
def choice_select(name, label, options, empty_label):
    """A labelled <select> of plain options after the empty one: the position, the sort order."""
    values = _escaped([str(option["value"]) for option in options])
    labels = _escaped([str(option["label"]) for option in options])
    options_html = "\n    ".join(
        f'<option value="{value}"{" selected" if option["checked"] else ""}>{text}</option>'
        for option, value, text in zip(options, values, labels)
    )
    return _select(name, label, empty_label, options_html)


@register.simple_tag
def facet_fieldset(name, legend, options):
    """A facet as a fieldset of checkboxes; nothing when it has no option."""
    if not options:
        return ""
    return SafeString(
        f'<fieldset class="facet facet--checkboxes">\n  <legend>{escape(legend)}</legend>\n  <ul>\n'
        f"    {facet_checkboxes(name, options)}\n  </ul>\n</fieldset>"
    )


@register.simple_tag(takes_context=True)
def result_cards(context, clusters):
    """The <li> cards of a page of clusters, whose region is selected.

    Sectors come from the context's `sector_names` ({cluster id: names}, see
    sector_names_by_cluster), read with the rest of the page's data. Twenty cards as a template
    cost about 12 ms (some thirty nodes each); here, about 1.
    """
    sector_names = context["sector_names"]
    gettext, ngettext = _translations()
    # The address pattern once for the page, each slug put in its place (see directory/links.py).
    cluster_url = page_url("directory:cluster_detail", SLUG)
    kinds = {value: str(label) for value, label in ClusterKind.choices}
    demo_badge = f'<span class="demo-badge">{escape(gettext("Donnée de démonstration"))}</span> '
    sectors_label = escape(gettext("Secteurs"))
    created = gettext("créé en %(year)s")
    cards = []
    for cluster in clusters:
        region = cluster.region.name if cluster.region_id else ""
        meta = [kinds.get(cluster.kind, cluster.kind), cluster.hq_city, region]
        if cluster.founded_year:
            # A year is never grouped in thousands: str(), as localize() gives it without
            # USE_THOUSAND_SEPARATOR, for a tenth of its ~20 µs.
            meta.append(created % {"year": cluster.founded_year})
        if (members := cluster.declared_members) is not None:
            texts = ngettext("%(counter)s membre déclaré", "%(counter)s membres déclarés", members)
            meta.append(texts % {"counter": _counter(members)})
        url = cluster_url.replace(SLUG, cluster.slug)
        card = [
            '<li class="result-card">',
            f'    <h3 class="result-card__name"><a href="{escape(url)}">{escape(cluster.name)}</a></h3>',
            f'    <p class="result-card__meta">{demo_badge if cluster.is_demo else ""}'
            f'{" · ".join(escape(part) for part in meta if part)}</p>',
        ]
        if summary := cluster.localized_summary:
            card.append(f'    <p class="result-card__summary">{escape(summary)}</p>')
        if sectors := sector_names.get(cluster.pk):
            items = "".join(f"<li>{escape(name)}</li>" for name in sectors)
            card.append(f'    <ul class="result-card__sectors" aria-label="{sectors_label}">{items}</ul>')
        cards.append("\n".join(card) + "\n  </li>")
    return SafeString("\n  ".join(cards))


@register.simple_tag
def search_pagination(page, links):
    """The list's page links: `links` as the view builds them ({number, querystring}, elided)."""
    gettext, _ngettext = _translations()
    return pagination_html(
        page,
        [(link["number"], f'?{link["querystring"]}') for link in links],
        gettext("Page précédente"),
        gettext("Page suivante"),
        gettext("Pages de résultats"),
        ' data-hx-boost="true" data-hx-target="#resultats" data-hx-swap="innerHTML show:#result-count:top"',
    )
