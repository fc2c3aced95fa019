"""Regions, départements and sectors: reference data, loaded from official sources.

Staff may correct a name but neither add nor delete rows: INSEE codes come from the
loaders, and clusters, organisations and départements PROTECT what they point at.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from directory.admin.base import HttpsUrlsMixin
from directory.models import Department, Region, Sector


class ReferenceDataAdmin(HttpsUrlsMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ["name", "insee_code", "slug"]
    search_fields = ["name", "=insee_code"]
    readonly_fields = ["insee_code"]


@admin.register(Department)
class DepartmentAdmin(ReferenceDataAdmin):
    list_display = ["insee_code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "=insee_code"]
    readonly_fields = ["insee_code"]


@admin.register(Sector)
class SectorAdmin(HttpsUrlsMixin, admin.ModelAdmin):
    """The curated taxonomy: staff can refine it (add a sector, translate one)."""

    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}
    search_help_text = _("Nom français ou anglais.")
