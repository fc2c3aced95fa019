"""The one FilterSet behind the cluster list, the map data and any export.

Query parameters are a public contract (shared URLs): keep their names and values.
Relation filters use Exists() subqueries, so a cluster appears once, without distinct().
Only published clusters ever go in.
"""

import copy
import re
from collections import Counter
from operator import itemgetter
from functools import cached_property, lru_cache, partial
from itertools import groupby
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Exists, F, OuterRef, Q, Value
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from directory.models import Cluster, ClusterKind, Department, Participation, Programme, Region, Sector
from directory.models.sectors import sector_names_by_cluster
from directory.search import MAX_QUERY_LENGTH, pertinence_ordering, query_words

SINGLE_VALUE_PARAMS = ("q", "region", "departement", "programme", "pays", "position", "tri", "page")
MULTI_VALUE_PARAMS = ("secteur", "type")
# More values than any real visitor ticks; the rest are dropped with a note.
MAX_VALUES_PER_PARAM = 30
MAX_UNKNOWN_PARAMS_SHOWN = 5

# What a result card (search/result_list.html) shows: not the descriptions nor the search columns.
CARD_FIELDS = [
    "name",
    "slug",
    "kind",
    "is_demo",
    "hq_city",
    "region__name",
    "founded_year",
    "declared_members",
    "summary",
    "summary_en",
]
# A result card's own columns (CARD_FIELDS but the region's name), in the model's order as from_db() takes them.
CARD_ATTNAMES = [
    field.attname for field in Cluster._meta.concrete_fields if field.attname in {"id", "region_id", *CARD_FIELDS}
]
# A `_clusters` row: what the facets need. The département's slug, name and code come from
# link_tables(): joined here, they cost ~2 ms more. The cards' columns are read for the page's
# twenty clusters only (card_rows()): for all 400, they cost ~2 ms to send and decode.
_FACET_COLUMNS = ("pk", "kind", "region_id", "department_id")

SORT_CHOICES = [
    ("pertinence", gettext_lazy("Pertinence")),
    ("nom", gettext_lazy("Nom")),
    ("membres", gettext_lazy("Nombre de membres déclaré")),
    ("creation", gettext_lazy("Année de création")),
]
POSITION_CHOICES = [
    ("absente", gettext_lazy("Sans position sur la carte")),
    ("presente", gettext_lazy("Avec une position sur la carte")),
]
# The position select's own, shorter labels (the select is labelled « Position sur la carte »).
POSITION_OPTIONS = [
    ("presente", gettext_lazy("Avec une position")),
    ("absente", gettext_lazy("Sans position")),
]


def _short(value, length=60):
    return value if len(value) <= length else value[: length - 1] + "…"


def clean_params(querydict):
    """Cleans raw GET parameters before any validation: returns (QueryDict, notes).

    Drops unexpected parameters, keeps the first of a repeated single-valued one,
    removes NUL bytes and characters that were not valid UTF-8 (Django decoded
    them as U+FFFD), and cuts `q` to MAX_QUERY_LENGTH characters. Each change
    becomes a note the page shows.
    """
    data = QueryDict(mutable=True)
    notes = []
    unknown = []
    for key in querydict:
        values = querydict.getlist(key)
        if key not in SINGLE_VALUE_PARAMS and key not in MULTI_VALUE_PARAMS:
            unknown.append(_short(key.replace("\x00", "").replace("\ufffd", "?"), 40))
            continue
        cleaned = []
        for value in values:
            if "\x00" in value:
                value = value.replace("\x00", "")
                notes.append(_("Un caractère nul a été retiré de « %(param)s ».") % {"param": key})
            if "\ufffd" in value:
                value = value.replace("\ufffd", "")
                notes.append(_("Des caractères illisibles ont été retirés de « %(param)s ».") % {"param": key})
            value = value.strip()
            if value and value not in cleaned:
                cleaned.append(value)
        if key in SINGLE_VALUE_PARAMS and len(cleaned) > 1:
            notes.append(
                _("Le paramètre « %(param)s » était répété : seule sa première valeur est prise en compte.")
                % {"param": key}
            )
            cleaned = cleaned[:1]
        if len(cleaned) > MAX_VALUES_PER_PARAM:
            notes.append(
                _("Trop de valeurs pour « %(param)s » : seules les %(count)s premières sont prises en compte.")
                % {"param": key, "count": MAX_VALUES_PER_PARAM}
            )
            cleaned = cleaned[:MAX_VALUES_PER_PARAM]
        if key == "q" and cleaned and len(cleaned[0]) > MAX_QUERY_LENGTH:
            cleaned = [cleaned[0][:MAX_QUERY_LENGTH]]
            notes.append(
                _("La recherche était trop longue : seuls ses %(count)s premiers caractères sont pris en compte.")
                % {"count": MAX_QUERY_LENGTH}
            )
        if key == "pays":
            cleaned = [value.upper() for value in cleaned]
        if cleaned:
            data.setlist(key, cleaned)
    # A few names are worth showing; a URL stuffed with hundreds is not worth a note each.
    for param in unknown[:MAX_UNKNOWN_PARAMS_SHOWN]:
        notes.append(_("Le paramètre « %(param)s » n’est pas reconnu : il est ignoré.") % {"param": param})
    if len(unknown) > MAX_UNKNOWN_PARAMS_SHOWN:
        notes.append(
            _("%(count)s autres paramètres non reconnus sont ignorés.") % {"count": len(unknown) - MAX_UNKNOWN_PARAMS_SHOWN}
        )
    return data, notes


def loaded_instance(model, db=DEFAULT_DB_ALIAS, **values):
    """A `model` instance with only `values` ({attname: value}) loaded, its other fields deferred
    as .only() leaves them: for rows read by link_tables() or directory/cluster_page.py."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


class LinkedChoiceField(forms.Field):
    """The instance a slug names, as `lookup(slug)` gives it (None for an unknown slug).

    Regions, sectors and programmes are found among the rows the FilterSet reads for its
    facets anyway (link_tables()), so a chosen one costs no query of its own (a
    ModelChoiceField's lookup, ~2.5 ms, and its queryset copied with every form).
    """

    default_error_messages = {"invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]}

    def __init__(self, *, lookup=None, **kwargs):
        # lookup(slug): the instance with this slug, or None. ClusterFilterSet.form sets it.
        self.lookup = lookup
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.lookup(str(value))
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return found


class LenientLinkedMultipleChoiceField(LinkedChoiceField):
    """Several slugs: keeps the known ones, by name, and remembers the unknown ones instead of rejecting them all."""

    widget = forms.SelectMultiple
    ignored_values = ()

    def to_python(self, value):
        values = [str(item) for item in value or ()]
        found = {item: self.lookup(item) for item in values}
        self.ignored_values = [item for item in values if found[item] is None]
        # As the sectors' default order (by name): the shareable state lists them so.
        return sorted((obj for obj in found.values() if obj is not None), key=lambda obj: obj.rank)


class CountryCodeField(forms.Field):
    """A partner country's code, checked against django-countries' table without building the
    ~250 translated (code, name) choices a ChoiceField deep-copies on every request."""

    default_error_messages = {"invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]}

    def to_python(self, value):
        if value in self.empty_values:
            return ""
        if str(value) not in countries:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return str(value)


class CheaplyCopiedFilter(django_filters.Filter):
    """A filter the FilterSet copies for each request without deepcopy() (~60 µs a filter).

    What a filter holds is immutable (strings, a lazy label, `extra`'s keyword arguments)
    but `extra` itself, and the FilterMethod that calls the `method`: the copy gets its own,
    bound to the copy, so that it reaches the copy's FilterSet.
    """

    def __deepcopy__(self, memo):
        clone = copy.copy(self)
        clone.extra = dict(self.extra)
        if self.method is not None:
            clone.method = self.method
        return clone


class LinkedChoiceFilter(CheaplyCopiedFilter):
    field_class = LinkedChoiceField


class LenientLinkedMultipleChoiceFilter(CheaplyCopiedFilter):
    field_class = LenientLinkedMultipleChoiceField


class CountryFilter(CheaplyCopiedFilter):
    field_class = CountryCodeField


class KeyChoiceField(forms.Field):
    """One of fixed `keys` (choices' values, as a tuple of strings: each FilterSet deep-copies
    its filters, choices with their lazy labels too). A ChoiceField and its Select widget each
    copy and normalise their choices whenever a form is built, on every request (~0.2 ms for
    three fields)."""

    default_error_messages = {"invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]}

    def __init__(self, *, keys, **kwargs):
        self.keys = frozenset(keys)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return ""
        if str(value) not in self.keys:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return str(value)


class LenientKeysField(KeyChoiceField):
    """Several keys: keeps the known ones and remembers the unknown ones instead of rejecting them all."""

    widget = forms.SelectMultiple
    ignored_values = ()

    def to_python(self, value):
        values = [str(item) for item in value or ()]
        self.ignored_values = [item for item in values if item not in self.keys]
        return [item for item in values if item in self.keys]


def _keys(choices):
    return tuple(str(value) for value, _label in choices)


class KeyChoiceFilter(CheaplyCopiedFilter):
    field_class = KeyChoiceField


class LenientKeysFilter(CheaplyCopiedFilter):
    field_class = LenientKeysField


class ClusterFilterForm(forms.Form):
    # Not filters: `q` is applied once before the filters (facets reuse it), `tri` last.
    q = forms.CharField(label=gettext_lazy("Recherche"), required=False)
    tri = KeyChoiceField(label=gettext_lazy("Trier par"), keys=_keys(SORT_CHOICES), required=False)


# The filters whose values are slugs of link_tables() rows: {parameter: row tag}.
_LINKED_FILTERS = {"region": "region", "departement": "department", "secteur": "sector", "programme": "programme"}


class ClusterFilterSet(django_filters.FilterSet):
    # Region, sector and programme slugs are checked against link_tables(): see LinkedChoiceField.
    region = LinkedChoiceFilter(label=gettext_lazy("Région"), method="filter_region")
    departement = LinkedChoiceFilter(label=gettext_lazy("Département"), field_name="department")
    secteur = LenientLinkedMultipleChoiceFilter(label=gettext_lazy("Secteur"), method="filter_secteur")
    type = LenientKeysFilter(label=gettext_lazy("Type"), keys=_keys(ClusterKind.choices), method="filter_type")
    programme = LinkedChoiceFilter(label=gettext_lazy("Programme"), method="filter_programme")
    pays = CountryFilter(label=gettext_lazy("Pays partenaire d’un programme"), method="filter_pays")
    position = KeyChoiceFilter(label=gettext_lazy("Position"), keys=_keys(POSITION_CHOICES), method="filter_position")

    class Meta:
        model = Cluster
        fields = []
        form = ClusterFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        # Without a queryset of its own, it searches every published cluster: see _clusters.
        self._all_published = queryset is None
        if queryset is None:
            queryset = Cluster.objects.all()
        # Whatever the caller passes, drafts and archived clusters never get through.
        super().__init__(data if data is not None else QueryDict(), queryset=queryset.published(), **kwargs)

    def get_form_class(self):
        # Built once per class: django-filter builds a class on every request (~0.3 ms). Its
        # fields look slugs up in this instance's rows: `form` gives each form its lookups.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            fields = super().form.fields
            for name, tag in _LINKED_FILTERS.items():
                fields[name].lookup = partial(self._linked, tag)
        return self._form

    def _linked(self, tag, slug):
        """The region, département, sector or programme with this slug, from link_tables(); None if there is none."""
        row = self._slugs[tag].get(slug)
        if row is None:
            return None
        pk, rank, slug, *texts = row
        if tag == "region":
            values = {"name": texts[0]}
        elif tag == "department":
            values = {"name": texts[0], "insee_code": texts[1]}
        elif tag == "sector":
            values = {"name": texts[0], "name_en": texts[1]}
        else:
            values = {"acronym": texts[0], "name": texts[1]}
        model = {"region": Region, "department": Department, "sector": Sector, "programme": Programme}[tag]
        found = loaded_instance(model, self.queryset.db, id=pk, slug=slug, **values)
        found.rank = rank
        return found

    @cached_property
    def _slugs(self):
        return {tag: {row[2]: row for row in self._tables[tag]} for tag in ("region", "department", "sector", "programme")}

    # --- Filters. ---

    def filter_region(self, queryset, name, region):
        return queryset.in_region(region)

    def filter_secteur(self, queryset, name, sectors):
        if not sectors:
            return queryset
        return queryset.filter(
            Exists(Cluster.sectors.through.objects.filter(cluster_id=OuterRef("pk"), sector__in=sectors))
        )

    def filter_type(self, queryset, name, kinds):
        return queryset.filter(kind__in=kinds) if kinds else queryset

    def filter_programme(self, queryset, name, programme):
        return queryset.filter(Exists(Participation.objects.filter(cluster_id=OuterRef("pk"), programme=programme)))

    def filter_pays(self, queryset, name, code):
        # partner_countries is stored as « FR,IT »; `code` is a validated two-letter code.
        stored = Q(programme__partner_countries=code)
        stored |= Q(programme__partner_countries__startswith=f"{code},")
        stored |= Q(programme__partner_countries__endswith=f",{code}")
        stored |= Q(programme__partner_countries__contains=f",{code},")
        return queryset.filter(Exists(Participation.objects.filter(stored, cluster_id=OuterRef("pk"))))

    def filter_position(self, queryset, name, value):
        if value == "absente":
            return queryset.filter(latitude__isnull=True)
        return queryset.located()

    # --- Applying them. ---

    @property
    def cleaned(self):
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def query(self):
        return self.cleaned.get("q") or ""

    @cached_property
    def searched(self):
        """The published clusters matching `q`, computed once for the list and every facet."""
        if query_words(self.query):
            return self.queryset.search(self.query)
        return self.queryset.all()

    def narrow(self, queryset, skip=None):
        for name, filter_ in self.filters.items():
            if name != skip:
                queryset = filter_.filter(queryset, self.cleaned.get(name))
        return queryset

    @property
    def default_sort(self):
        return "pertinence" if query_words(self.query) else "nom"

    @property
    def sort(self):
        """The order in effect: `pertinence` only means something with words to search."""
        sort = self.cleaned.get("tri")
        if not sort or (sort == "pertinence" and self.default_sort == "nom"):
            return self.default_sort
        return sort

    def order(self, queryset):
        return queryset.order_by(
            *{
                "pertinence": pertinence_ordering(),
                "nom": ["search_name", "name", "pk"],
                "membres": [F("declared_members").desc(nulls_last=True), "search_name", "pk"],
                "creation": [F("founded_year").asc(nulls_last=True), "search_name", "pk"],
            }[self.sort]
        )

    def filter_queryset(self, queryset):
        return self.order(self.narrow(self.searched))

    # --- What the page says about the request. ---

    @property
    def ignored(self):
        """Notes about values that were not understood and so did not filter anything."""
        self.form.is_valid()
        notes = []
        for name in self.form.errors:
            values = self.form.data.getlist(name) if hasattr(self.form.data, "getlist") else []
            for value in values or [""]:
                notes.append(
                    _("« %(value)s » n’est pas une valeur connue pour « %(param)s » : elle est ignorée.")
                    % {"value": _short(value), "param": name}
                )
        for name in MULTI_VALUE_PARAMS:
            for value in getattr(self.form.fields[name], "ignored_values", ()):
                notes.append(
                    _("« %(value)s » n’est pas une valeur connue pour « %(param)s » : elle est ignorée.")
                    % {"value": _short(value), "param": name}
                )
        return notes

    def params(self):
        """The valid parameters as (name, value) pairs, in a stable order: the shareable state."""
        cleaned = self.cleaned
        pairs = []
        if self.query:
            pairs.append(("q", self.query))
        for name in ("region", "departement", "programme"):
            if cleaned.get(name):
                pairs.append((name, cleaned[name].slug))
        pairs += [("secteur", sector.slug) for sector in cleaned.get("secteur") or []]
        pairs += [("type", kind) for kind in cleaned.get("type") or []]
        for name in ("pays", "position"):
            if cleaned.get(name):
                pairs.append((name, cleaned[name]))
        if cleaned.get("tri") and cleaned["tri"] == self.sort and self.sort != self.default_sort:
            pairs.append(("tri", cleaned["tri"]))
        return pairs

    def querystring(self, without=None, extra=()):
        """The state as a query string, minus one (name, value) pair, plus others."""
        pairs = [pair for pair in self.params() if pair != without] + list(extra)
        return urlencode(pairs)

    def active_filters(self):
        """Each active filter with its label and the query string that removes it alone."""
        cleaned = self.cleaned
        labels = dict(ClusterKind.choices)
        found = []
        for name, value in self.params():
            if name == "tri":
                continue
            if name == "q":
                label = _("Recherche : « %(q)s »") % {"q": value}
            elif name in ("region", "departement", "programme"):
                label = f"{self.filters[name].label} : {cleaned[name]}"
            elif name == "secteur":
                sector = next(sector for sector in cleaned["secteur"] if sector.slug == value)
                label = f"{self.filters[name].label} : {sector.localized_name}"
            elif name == "type":
                label = f"{self.filters[name].label} : {labels[value]}"
            elif name == "pays":
                label = f"{self.filters[name].label} : {countries.name(value)}"
            else:
                label = str(dict(POSITION_CHOICES)[value])
            found.append({"label": label, "querystring": self.querystring(without=(name, value))})
        return found

    # --- Facets: each option's count given the OTHER active filters. ---
    #
    # Counting per facet in SQL meant six queries of nested subqueries (one correlated per
    # region), slower to build in Python than to run. There are at most a few hundred
    # published clusters, so a few flat queries fetch what every facet needs about the
    # searched ones, plus the ids each ACTIVE filter keeps (through the filter methods above,
    # so a filter means the same in the list and in its counts); the counting is set work.

    @cached_property
    def _active(self):
        """{name: value} of the filters that narrow something."""
        return {name: value for name in self.filters if (value := self.cleaned.get(name))}

    @cached_property
    def _kept(self):
        """{name: ids of the clusters each active filter keeps}.

        A cluster passes a facet's filter when it has one of the chosen values among its pairs
        (`_pairs`), the very pairs the options count: set work on rows already read, where a
        UNION of the filter methods' queries cost ~7 ms to build and run. `position` reads a
        column the facets do not, so it goes to the database through its filter method.
        tests/test_filters.py checks that `qs` keeps the same clusters.
        """
        kept, elsewhere = {}, []
        for name, value in self._active.items():
            if name not in self._pairs:
                elsewhere.append(self.filters[name].filter(self.queryset, value).order_by().values_list("pk", Value(name)))
                kept[name] = set()
                continue
            if name == "secteur":
                chosen = {sector.pk for sector in value}
            elif name == "type":
                chosen = set(value)
            elif name == "pays":
                chosen = {value}
            else:  # A region, département or programme instance.
                chosen = {value.pk}
            kept[name] = {pk for pk, facet_value in self._pairs[name] if facet_value in chosen}
        if elsewhere:
            for pk, name in elsewhere[0].union(*elsewhere[1:], all=True):
                kept[name].add(pk)
        return kept

    @cached_property
    def _clusters(self):
        """Each searched cluster's row, in the order in effect: its id, kind, region id and
        département id. The facets count these rows and the list pages through them.

        Without a search, the default order is an index-only scan of `cluster_published_by_name`.
        For all published clusters, the query is the same for every request with as many words
        in that order, but for the words: compiled once (_listing_sql).
        """
        words = query_words(self.query)
        if self._all_published and (compiled := _listing_sql(self.queryset.db, self.sort, len(words))):
            sql, params = compiled
            with connections[self.queryset.db].cursor() as cursor:
                cursor.execute(sql, [_with_words(param, words) for param in params])
                return cursor.fetchall()
        return list(self.order(self.searched).values_list(*_FACET_COLUMNS))

    @cached_property
    def _searched_ids(self):
        return {row[0] for row in self._clusters}

    @cached_property
    def matching(self):
        """The rows of `_clusters` every active filter keeps, in order: what `qs` lists."""
        passing = self._passing(skip=None)
        return self._clusters if passing is None else [row for row in self._clusters if row[0] in passing]

    def cards(self, rows):
        """Clusters with their CARD_FIELDS and their region's name, for some of the `matching` rows."""
        regions = {region.pk: region for region in regions_from(self._tables, self.queryset.db)}
        db = self.queryset.db
        return card_clusters(card_rows([row[0] for row in rows], db), regions, db)

    @cached_property
    def _pairs(self):
        """{facet: [(cluster id, value)]} for the searched clusters, each pair once.

        A cluster counts once per value: each region it is headquartered in or covers,
        each sector, programme, and partner country of its programmes.
        """
        clusters, searched = self._clusters, self._searched_ids
        tables = self._tables
        covered, sectors, participations = tables["covered"], tables["sector_link"], tables["participation"]
        # itemgetter, not `pk, kind, *_rest in rows`: the star builds a list for each of 400 rows.
        regions = region_pairs(map(itemgetter(0, 2), clusters), covered, searched)
        programmes = [pair for pair in participations if pair[0] in searched]
        codes = {pk: codes for pk, (_slug, _label, codes) in self._programmes.items()}
        return {
            "type": list(map(itemgetter(0, 1), clusters)),
            "region": regions,
            "departement": list(map(itemgetter(0, 3), clusters)),
            "secteur": [pair for pair in sectors if pair[0] in searched],
            "programme": programmes,
            "pays": {(pk, code) for pk, programme in programmes for code in codes[programme]},
        }

    def _passing(self, skip):
        """Ids of the searched clusters every active filter but `skip` keeps; None for all of them."""
        kept = [ids for name, ids in self._kept.items() if name != skip]
        return self._searched_ids.intersection(*kept) if kept else None

    def _counts(self, facet):
        """{value: clusters} for one facet, given the other active filters."""
        passing = self._passing(skip=facet)
        pairs = self._pairs[facet]
        if passing is None:
            return Counter(map(itemgetter(1), pairs))
        return Counter(value for pk, value in pairs if pk in passing)

    @property
    def matching_count(self):
        """How many clusters `qs` holds, from the facets' data: no COUNT query."""
        return len(self.matching)

    def sectors_of(self, clusters):
        """{cluster id: its sectors' localized names, by name}: the facets' data spares the cards a query."""
        shown = {cluster.pk for cluster in clusters}
        pairs = [pair for pair in self._pairs["secteur"] if pair[0] in shown]
        labels = [(pk, label) for pk, (_slug, label) in self._sectors.items()]
        return sector_names_by_cluster(pairs, labels)

    @cached_property
    def _departments(self):
        """{id: (INSEE code, slug, label)} of the searched clusters' départements and the chosen one."""
        shown = set(map(itemgetter(3), self._clusters))
        if chosen := self.cleaned.get("departement"):
            shown.add(chosen.pk)
        # Labels as Department.__str__, without an instance for each of the 101 départements.
        return {
            pk: (insee_code, slug, f"{name} ({insee_code})")
            for pk, _rank, slug, name, insee_code, _none in self._tables["department"]
            if pk in shown
        }

    @cached_property
    def _tables(self):
        return link_tables()

    @cached_property
    def _programmes(self):
        """{id: (slug, label, partner country codes)}."""
        # Label as Programme.__str__; countries stored as « FR,IT »: no Country object each.
        return {
            pk: (slug, acronym or name, set(filter(None, (codes or "").split(","))))
            for pk, _rank, slug, acronym, name, codes in self._tables["programme"]
        }

    @cached_property
    def _sectors(self):
        """{id: (slug, localized name)}, by name as the sectors' default order."""
        return {
            pk: (slug, Sector.localize(name, name_en)) for pk, _rank, slug, name, name_en, _none in self._tables["sector"]
        }

    @cached_property
    def facets(self):
        """Every facet's options, by parameter name, in the form's order."""
        return {
            "type": self.kind_facet(),
            "region": self.region_facet(),
            "secteur": self.sector_facet(),
            "programme": self.programme_facet(),
            "departement": self.department_facet(),
            "pays": self.country_facet(),
        }

    # Each option: {"value", "label", "count", "checked"}. Options without clusters are left
    # out, except the chosen ones (shown at 0) and the cluster types (always all listed).

    def kind_facet(self):
        counts = self._counts("type")
        chosen = set(self.cleaned.get("type") or [])
        return [_option(value, label, counts[value], value in chosen) for value, label in ClusterKind.choices]

    def region_facet(self):
        regions = [(pk, slug, name) for pk, _rank, slug, name, *_none in self._tables["region"]]
        return self._options(regions, self._counts("region"), self.cleaned.get("region"))

    def sector_facet(self):
        counts = self._counts("secteur")
        chosen = {sector.pk for sector in self.cleaned.get("secteur") or []}
        return [
            _option(slug, label, counts[pk], pk in chosen)
            for pk, (slug, label) in sorted(self._sectors.items(), key=lambda item: item[1][1].lower())
            if counts[pk] or pk in chosen
        ]

    def programme_facet(self):
        # By label whatever the case: « agroBRIDGES » goes among the A.
        programmes = [(pk, slug, label) for pk, (slug, label, _codes) in self._programmes.items()]
        programmes.sort(key=lambda row: row[2].lower())
        return self._options(programmes, self._counts("programme"), self.cleaned.get("programme"))

    def department_facet(self):
        counts = self._counts("departement")
        departments = sorted(self._departments.items(), key=lambda item: item[1][0])
        rows = [(pk, slug, label) for pk, (_insee_code, slug, label) in departments]
        return self._options(rows, counts, self.cleaned.get("departement"))

    # The position and the sort order: plain options, without counts.

    def position_options(self):
        chosen = self.cleaned.get("position")
        return [_option(value, label, None, value == chosen) for value, label in POSITION_OPTIONS]

    def sort_options(self):
        """The orders the visitor may choose; `pertinence` only means something with a search."""
        chosen = self.cleaned.get("tri")
        return [
            _option(value, label, None, value == chosen)
            for value, label in SORT_CHOICES
            if value != "pertinence" or self.query
        ]

    @staticmethod
    def _options(rows, counts, chosen):
        """Options for (id, slug, label) rows with clusters, in their order, and the chosen one even at 0."""
        chosen_pk = chosen.pk if chosen is not None else None
        return [
            _option(slug, label, counts[pk], pk == chosen_pk)
            for pk, slug, label in rows
            if counts[pk] or pk == chosen_pk
        ]

    def country_facet(self):
        """Partner countries of the programmes the clusters take part in, by name."""
        counts = self._counts("pays")
        chosen = self.cleaned.get("pays")
        if chosen:
            counts.setdefault(chosen, 0)
        # countries.name(code), without its three look-ups of the table for a code found as is,
        # and, for a plain name (no older names to fall back to), the name translated as it
        # stands: translate_pair() cost ~35 µs a country, 1 ms for the usual 27.
        table, shadowed = countries.countries, countries.shadowed_names
        names = {
            code: str(table[code])
            if code in table and code not in shadowed and not isinstance(table[code], dict)
            else (countries.translate_pair(code, table[code]).name if code in table else countries.name(code))
            for code in counts
        }
        options = [_option(code, names[code], count, code == chosen) for code, count in counts.items()]
        return sorted(options, key=lambda option: option["label"])


# A word's stand-in while a search query is compiled: [0-9a-z]+ as query_words() keeps words.
_STAND_IN = "zqxj{}jxqz"
_STAND_INS = re.compile(_STAND_IN.format(r"(\d+)"))


@lru_cache(maxsize=512)
def _listing_sql(db, sort, word_count):
    """The SQL and parameters of `_clusters` for all published clusters in `sort` order,
    searched for `word_count` words that _with_words() puts in place of their stand-ins.

    Building and compiling the same query on every list page cost ~1.3 ms, ~3 with a search.
    None when the stand-ins would not all fit in a query (over 18 words): the query is built then.
    """
    stand_ins = [_STAND_IN.format(number) for number in range(word_count)]
    query = " ".join(stand_ins)
    if query_words(query) != stand_ins:
        return None
    filterset = ClusterFilterSet(QueryDict(urlencode({"tri": sort, "q": query})), queryset=Cluster.objects.using(db))
    listing = filterset.order(filterset.searched).values_list(*_FACET_COLUMNS)
    return listing.query.get_compiler(using=db).as_sql()


def _with_words(param, words):
    """A parameter of _listing_sql() with the words in place of their stand-ins (in one pass:
    a word that looks like a stand-in stays as it is)."""
    if not isinstance(param, str) or not words:
        return param
    return _STAND_INS.sub(lambda match: words[int(match.group(1))], param)


def _option(value, label, count, checked):
    return {"value": value, "label": label, "count": count, "checked": checked}


def card_clusters(rows, regions, db=DEFAULT_DB_ALIAS):
    """Clusters as .only(*CARD_FIELDS).select_related("region") gives them, without a query.

    `rows`: CARD_ATTNAMES values; `regions`: {id: Region} (as regions_from() gives them).
    Any other field is deferred, read if ever asked for.
    """
    region_field = Cluster._meta.get_field("region")
    region_column = CARD_ATTNAMES.index("region_id")
    # from_db() tests each of the model's 34 fields for membership: a set, not a list of 11.
    loaded = frozenset(CARD_ATTNAMES)
    clusters = []
    for values in rows:
        cluster = Cluster.from_db(db, loaded, values)
        if (region := values[region_column]) is not None:
            # As select_related() caches it, without the descriptor's checks (~15 µs a card).
            region_field.set_cached_value(cluster, regions[region])
        clusters.append(cluster)
    return clusters


def card_rows(ids, db=DEFAULT_DB_ALIAS):
    """The CARD_ATTNAMES values of the clusters with these ids, in the order of `ids`.

    A raw query: as Cluster.objects.filter(pk__in=ids).values_list(), building it cost ~1.6 ms
    of Python, for twenty rows the database returns in a tenth of that.
    """
    if not ids:
        return []
    quote = connections[db].ops.quote_name
    columns = ", ".join(quote(name) for name in CARD_ATTNAMES)
    placeholders = ", ".join(["%s"] * len(ids))
    with connections[db].cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(Cluster._meta.db_table)} WHERE {quote('id')} IN ({placeholders})", ids
        )
        found = {row[0]: row for row in cursor.fetchall()}
    return [found[pk] for pk in ids if pk in found]


def region_pairs(headquarters, covered, cluster_ids):
    """The (cluster id, region id) pairs of the clusters `cluster_ids` (a set), each once: their
    headquarters region (`headquarters`: (cluster id, region id or None) pairs) and the regions
    they cover (`covered`: link_tables()' pairs, every cluster's)."""
    pairs = {pair for pair in headquarters if pair[1] is not None}
    pairs.update(pair for pair in covered if pair[0] in cluster_ids)
    return pairs


def regions_from(tables, db=DEFAULT_DB_ALIAS):
    """The regions of link_tables() as Region instances (id, name and slug read), by name."""
    return [
        Region.from_db(db, ("id", "name", "slug"), (pk, name, slug)) for pk, _rank, slug, name, *_none in tables["region"]
    ]


def sectors_from(tables, db=DEFAULT_DB_ALIAS):
    """The sectors of link_tables() as Sector instances, by name."""
    return [
        Sector.from_db(db, ("id", "name", "name_en", "slug"), (pk, name, name_en, slug))
        for pk, _rank, slug, name, name_en, _none in tables["sector"]
    ]


def link_tables():
    """{tag: rows}: the three link tables, the sectors, programmes, regions and départements, in ONE round trip.

    « covered », « sector_link », « participation »: (cluster id, region/sector/programme id) pairs.
    « sector »: (id, rank by name, slug, name, name_en, None); « programme »: (id, None, slug,
    acronym, name, partner countries as « FR,IT »); « region »: (id, rank by name, slug, name, None, None);
    « department »: (id, None, slug, name, INSEE code, None).

    As seven ORM queries they cost ~5 ms of Python to build for ~1,100 small rows; as seven
    fixed statements, ~2. Sectors and regions get their rank by name from the database, so
    they keep the order (collation) their own ORDER BY name gave. Every cluster is in the link
    rows, published or not: callers keep the ones they show.
    """
    models = (
        Cluster.regions_covered.through, Cluster.sectors.through, Participation, Sector, Programme, Region, Department
    )
    covered, sector_link, participation, sector, programme, region, department = (
        connection.ops.quote_name(model._meta.db_table) for model in models
    )
    parts = {
        "covered": (covered, ["cluster_id", "region_id"]),
        "sector_link": (sector_link, ["cluster_id", "sector_id"]),
        "participation": (participation, ["cluster_id", "programme_id"]),
        "sector": (sector, ["id", "ROW_NUMBER() OVER (ORDER BY name)", "slug", "name", "name_en", "NULL"]),
        "programme": (programme, ["id", "NULL", "slug", "acronym", "name", "partner_countries"]),
        "region": (region, ["id", "ROW_NUMBER() OVER (ORDER BY name)", "slug", "name", "NULL", "NULL"]),
        "department": (department, ["id", "NULL", "slug", "name", "insee_code", "NULL"]),
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The seven statements sent at once and read result by result, each row as psycopg
            # gives it: as one UNION, the tag and padding columns of ~1,100 rows, and the
            # rows re-cut in Python, cost ~1.2 ms more.
            cursor.execute(";".join(f"SELECT {', '.join(columns)} FROM {table}" for table, columns in parts.values()))
            tables = {}
            for tag in parts:
                tables[tag] = cursor.fetchall()
                cursor.nextset()
        else:
            # SQLite runs one statement at a time: one UNION, its rows told apart by their tag
            # and cut back to their own columns. UNION ALL keeps each part's rows together.
            width = max(len(columns) for _table, columns in parts.values())
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT '{tag}', {', '.join(columns + ['NULL'] * (width - len(columns)))} FROM {table}"
                    for tag, (table, columns) in parts.items()
                )
            )
            tables = {tag: [] for tag in parts}
            for tag, rows in groupby(cursor.fetchall(), key=itemgetter(0)):
                tables[tag].extend(map(itemgetter(slice(1, len(parts[tag][1]) + 1)), rows))
    for tag in ("sector", "region"):
        tables[tag].sort(key=itemgetter(1))
    return tables
