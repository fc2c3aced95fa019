"""European and international programmes, and the clusters taking part."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from directory.admin.forms import ProgrammeAdminForm
from directory.admin.base import HttpsUrlsMixin
from directory.models import Participation, Programme


class ProgrammeParticipationInline(HttpsUrlsMixin, admin.TabularInline):
    model = Participation
    fields = ["cluster", "role"]
    autocomplete_fields = ["cluster"]
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(HttpsUrlsMixin, admin.ModelAdmin):
    form = ProgrammeAdminForm
    list_display = ["__str__", "name", "framework", "start_year", "end_year", "participants_count"]
    list_display_links = ["__str__", "name"]
    list_filter = ["framework", "start_year", "end_year"]
    search_fields = ["name", "acronym", "framework_detail"]
    prepopulated_fields = {"slug": ["acronym"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ProgrammeParticipationInline]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "framework", "framework_detail"]}),
        (_("Présentation"), {"fields": ["description", "description_en", ("start_year", "end_year"), "website"]}),
        (_("Consortium"), {"fields": ["partner_countries", "source_urls"]}),
        (_("Suivi"), {"fields": [("created_at", "updated_at")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(participants_count=Count("participations", distinct=True))

    @admin.display(description=_("clusters participants"), ordering="participants_count")
    def participants_count(self, obj):
        return obj.participants_count
