"""Member organisations and their memberships."""

import re

from django.contrib import admin
from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from directory.admin.filters import MembershipClusterFilter, OrganisationMemberOfFilter
from directory.admin.forms import OrganisationAdminForm
from directory.admin.base import HttpsUrlsMixin
from directory.admin.imports import CsvExportMixin, MemberImportMixin
from directory.models import Cluster, Membership, Organisation


class OrganisationMembershipInline(HttpsUrlsMixin, admin.TabularInline):
    model = Membership
    fields = ["cluster", "role", "year_joined"]
    autocomplete_fields = ["cluster"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(MemberImportMixin, CsvExportMixin, HttpsUrlsMixin, admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = [
        "name", "kind", "siren", "size", "city", "department", "publicly_named", "clusters_count", "is_demo"
    ]
    list_filter = ["kind", "size", "publicly_named", OrganisationMemberOfFilter, "department__region", "is_demo"]
    list_select_related = ["department"]
    search_fields = ["name", "=siren", "city"]
    search_help_text = _("Nom, commune, ou SIREN exact (neuf chiffres, espaces acceptés).")
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["department", "sectors"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [OrganisationMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "siren", "size", "publicly_named"]}),
        (_("Implantation"), {"fields": ["city", "department", "website", "sectors"]}),
        (_("Suivi"), {"fields": [("created_at", "updated_at")]}),
    ]

    # At 80,000 organisations: no second COUNT(*) of the whole table, and the count of
    # clusters computed for the rows shown only (a GROUP BY would aggregate every row first).
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).with_clusters_count()

    def get_search_results(self, request, queryset, search_term):
        # « 552 100 554 » as printed on a Kbis: search the nine digits together.
        compact = "".join(search_term.split())
        if re.fullmatch(r"[0-9]{9}", compact):
            search_term = compact
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("clusters"), ordering="clusters_count")
    def clusters_count(self, obj):
        return obj.clusters_count


@admin.register(Membership)
class MembershipAdmin(CsvExportMixin, HttpsUrlsMixin, admin.ModelAdmin):
    list_display = ["organisation", "organisation_siren", "cluster", "role", "year_joined"]
    list_filter = [MembershipClusterFilter, "role"]
    list_select_related = ["organisation", "cluster"]
    list_per_page = 100
    show_full_result_count = False
    search_fields = ["organisation__name", "=organisation__siren", "cluster__name"]
    search_help_text = _("Nom ou SIREN exact de l’organisation, nom du cluster.")
    autocomplete_fields = ["cluster", "organisation"]
    fields = ["cluster", "organisation", "role", "year_joined"]

    def get_search_results(self, request, queryset, search_term):
        """Django's search (each word in the organisation's name or exact SIREN, or the cluster's
        name), written as two subqueries of ids instead of ORs over the join of 100,000 rows:
        the organisation's side can use its name's trigram index (two words: 2.8 s before)."""
        compact = "".join(search_term.split())
        words = [compact] if re.fullmatch(r"[0-9]{9}", compact) else list(smart_split(search_term))
        for word in words:
            if word[0] in "\"'" and word[-1] == word[0]:
                word = unescape_string_literal(word)
            organisations = Organisation.objects.filter(Q(name__icontains=word) | Q(siren=word)).values("pk")
            clusters = Cluster.objects.filter(name__icontains=word).values("pk")
            queryset = queryset.filter(Q(organisation__in=organisations) | Q(cluster__in=clusters))
        return queryset, False

    def get_ordering(self, request):
        if request.GET.get(MembershipClusterFilter.parameter_name):
            # One cluster's members (1,500 at most): sorting them by name costs nothing.
            return ["organisation__name", "organisation_id"]
        # All 100,000: the model's order (cluster name, organisation name) sorted every joined
        # row for one page (1.1 s). The (cluster, organisation) unique index gives a page with
        # no sort, still grouped by cluster, and is a total order (no "-pk" added).
        return ["cluster_id", "organisation_id"]

    @admin.display(description=_("SIREN"), ordering="organisation__siren")
    def organisation_siren(self, obj):
        return obj.organisation.siren
