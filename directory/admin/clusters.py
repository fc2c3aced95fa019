"""Clusters in the admin: the list staff triage from, and the form they place a cluster with."""

import json
import re

from django.conf import settings
from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory.admin import actions
from directory.admin.base import HttpsUrlsMixin
from directory.admin.filters import DataQualityFilter, ProgrammeFilter, RegionFilter, SectorFilter
from directory.admin.forms import ClusterAdminForm, LabelAdminForm
from directory.admin.imports import CsvExportMixin
from directory.geo import FRANCE_AREAS
from directory.models import Cluster, ClusterSource, Label, Membership, Participation, PositionPrecision, Status

SIREN_SHAPE = re.compile(r"[0-9]{9}")


class ParticipationInline(HttpsUrlsMixin, admin.TabularInline):
    model = Participation
    fields = ["programme", "role"]
    autocomplete_fields = ["programme"]
    extra = 0
    verbose_name = _("participation à un programme")
    verbose_name_plural = _("participations à des programmes")


class LabelInline(HttpsUrlsMixin, admin.StackedInline):
    model = Label
    form = LabelAdminForm
    fields = [
        ("kind", "level"),
        "name",
        ("awarded_on", "awarded_precision"),
        ("valid_until", "valid_until_precision"),
        "awarded_under_name",
        "source_url",
        "notes",
    ]
    extra = 0


class ClusterSourceInline(HttpsUrlsMixin, admin.TabularInline):
    model = ClusterSource
    fields = ["url", "read_on", "note"]
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(CsvExportMixin, HttpsUrlsMixin, admin.ModelAdmin):
    form = ClusterAdminForm
    list_display = [
        "name",
        "kind",
        "region",
        "status",
        "confidence",
        "declared_members",
        "listed_members",
        "last_verified_on",
        "updated_at",
        "is_demo",
    ]
    list_filter = [
        "kind",
        "status",
        "confidence",
        RegionFilter,
        SectorFilter,
        ProgrammeFilter,
        DataQualityFilter,
        "is_demo",
    ]
    list_select_related = ["region"]
    list_per_page = 50
    search_fields = ["name", "hq_city"]
    search_help_text = _("Nom du cluster, ville du siège, ou SIREN (neuf chiffres) de l’un de ses membres.")
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["department", "sectors", "successor", "regions_covered"]
    readonly_fields = ["position_map", "memberships_summary", "former_addresses", "created_at", "updated_at"]
    actions = [actions.publish, actions.archive, actions.mark_verified_today]
    inlines = [ParticipationInline, LabelInline, ClusterSourceInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", ("status", "confidence")]}),
        (
            _("Présentation"),
            {"fields": ["summary", "summary_en", "description", "description_en", "founded_year", "sectors"]},
        ),
        (
            _("Coordonnées"),
            {"fields": ["website", "email", "phone", "address", ("postcode", "hq_city"), "hq_commune_code"]},
        ),
        (
            _("Localisation"),
            {
                "fields": [
                    ("region", "department"),
                    "regions_covered",
                    ("latitude", "longitude"),
                    "position_precision",
                    "position_map",
                ]
            },
        ),
        (
            _("Membres"),
            {"fields": [("declared_members", "declared_year"), "declared_employees", "memberships_summary"]},
        ),
        (
            _("Suivi"),
            {"fields": ["successor", "last_verified_on", "former_addresses", ("created_at", "updated_at")]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_listed_members_count()

    def has_delete_permission(self, request, obj=None):
        # A cluster that has been public is archived, never deleted: its page, its successor
        # link and its history stay. Only a draft (a mistake, a duplicate) can go. Django's
        # bulk delete asks this for every selected row too.
        if obj is not None and obj.status != Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def get_search_results(self, request, queryset, search_term):
        siren = "".join(search_term.split())
        if not SIREN_SHAPE.fullmatch(siren):
            return super().get_search_results(request, queryset, search_term)
        # Nine digits: a member's SIREN, matched exactly through a subquery (one row per cluster).
        term = search_term.strip()
        with_member = Exists(Membership.objects.filter(cluster_id=OuterRef("pk"), organisation__siren=siren))
        return queryset.filter(Q(name__icontains=term) | Q(hq_city__icontains=term) | with_member), False

    @admin.display(description=_("membres listés"), ordering="listed_members_count")
    def listed_members(self, obj):
        return obj.listed_members_count

    @admin.display(description=_("adhésions enregistrées"))
    def memberships_summary(self, obj):
        if obj.pk is None:
            return _("Enregistrez d’abord le cluster, puis ajoutez-lui des membres.")
        count = getattr(obj, "listed_members_count", None)
        if count is None:
            count = obj.memberships.count()
        query = urlencode({"cluster": obj.pk})
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            f"{reverse('admin:directory_membership_changelist')}?{query}",
            ngettext("%(count)d membre listé : voir la liste", "%(count)d membres listés : voir la liste", count)
            % {"count": count},
            f"{reverse('admin:directory_membership_add')}?{query}",
            _("Ajouter une adhésion"),
        )

    @admin.display(description=_("anciennes adresses"))
    def former_addresses(self, obj):
        """Slugs the cluster had before: their public pages redirect here, so a change of slug is safe."""
        if obj.pk is None:
            return "—"
        slugs = list(obj.former_slugs.values_list("slug", flat=True))
        if not slugs:
            return _("Aucune : le slug n’a jamais changé.")
        return format_html_join(", ", "<code>{}</code>", ((slug,) for slug in slugs))

    @admin.display(description=_("carte"))
    def position_map(self, obj):
        """The map picker's container; static/js/admin-map-picker.js reads its settings from data attributes
        (the CSP forbids inline scripts)."""
        leaflet = settings.LEAFLET_CONFIG
        center = leaflet.get("DEFAULT_CENTER", (46.6, 2.4))
        jump_buttons = format_html_join(
            " ",
            '<button type="button" class="button map-picker__jump" data-bounds="{}">{}</button>',
            (
                (json.dumps([[south, west], [north, east]]), name)
                for _key, name, (south, west, north, east) in FRANCE_AREAS
            ),
        )
        return format_html(
            '<div class="map-picker">'
            '<p class="map-picker__help" id="map-picker-help">{}</p>'
            '<div class="map-picker__map" data-map-picker'
            ' data-latitude-input="id_latitude" data-longitude-input="id_longitude"'
            ' data-precision-input="id_position_precision" data-precision-exact="{}"'
            ' data-tiles-url="{}" data-tiles-attribution="{}" data-image-path="{}"'
            ' data-center="{}" data-zoom="{}" data-max-zoom="{}"'
            ' role="region" aria-label="{}" aria-describedby="map-picker-help"></div>'
            '<p class="map-picker__jumps">{} {}</p>'
            "</div>",
            _(
                "Cliquez sur la carte ou faites glisser le repère : la latitude et la longitude suivent, "
                "et la position devient exacte. Saisir les coordonnées déplace le repère."
            ),
            PositionPrecision.EXACT,
            settings.MAP_TILES_URL,
            settings.MAP_TILES_ATTRIBUTION,
            leaflet.get("FORCE_IMAGE_PATH", f"{settings.STATIC_URL}leaflet/images/"),
            json.dumps(list(center)),
            leaflet.get("DEFAULT_ZOOM", 5),
            leaflet.get("MAX_ZOOM", 18),
            _("Carte de placement du cluster"),
            _("Aller à :"),
            jump_buttons,
        )


@admin.register(Label)
class LabelAdmin(HttpsUrlsMixin, admin.ModelAdmin):
    form = LabelAdminForm
    list_display = ["name", "cluster", "kind", "level", "awarded", "valid_until_shown"]
    list_filter = ["kind", "level"]
    list_select_related = ["cluster"]
    search_fields = ["name", "awarded_under_name", "cluster__name"]
    autocomplete_fields = ["cluster"]
    fields = LabelInline.fields[:1] + ["cluster"] + LabelInline.fields[1:]

    @admin.display(description=_("attribué"), ordering="awarded_on")
    def awarded(self, obj):
        return obj.awarded_display

    @admin.display(description=_("valable jusqu’à"), ordering="valid_until")
    def valid_until_shown(self, obj):
        return obj.valid_until_display
