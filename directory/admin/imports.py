"""Bulk import of members and CSV export of the admin lists, and the record of every import.

`MemberImportMixin` adds the import pages to a ModelAdmin (upload → preview → confirm → result,
under `admin/directory/organisation/import/`); `CsvExportMixin` adds « Exporter la sélection
en CSV » to its actions and an export link that keeps the list's filters and search. The work
itself lives in `directory.imports`.
"""

import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from directory.imports.export import csv_response
from directory.imports.members import COLUMNS, apply_plan, plan_import
from directory.imports.reader import ImportFileError
from directory.models import ImportBatch, Membership, Organisation

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 40 * 1024 * 1024
IMPORT_PERMISSIONS = (
    "directory.add_organisation",
    "directory.change_organisation",
    "directory.add_membership",
    "directory.change_membership",
)


def can_import(request):
    return request.user.is_active and request.user.is_staff and request.user.has_perms(IMPORT_PERMISSIONS)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_("CSV séparé par des virgules ou des points-virgules, en UTF-8 ou Windows-1252 (Excel)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Fichier trop volumineux : %(size)s Mo au plus."), params={"size": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


class CsvExportMixin:
    """« Exporter la sélection en CSV » and an export link for the whole filtered list."""

    change_list_template = "admin/directory/import/change_list.html"
    export_filename = None

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("export/", self.admin_site.admin_view(self.export_view), name="%s_%s_export" % info),
            *super().get_urls(),
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is not None and IS_POPUP_VAR not in request.GET and self.has_view_permission(request):
            actions["export_csv"] = (
                CsvExportMixin.export_selection,
                "export_csv",
                _("Exporter la sélection en CSV"),
            )
        return actions

    def export_selection(self, request, queryset):
        return csv_response(queryset, self.export_filename or self.opts.model_name)

    def export_view(self, request):
        """The list as shown, its filters and search taken from the same query string."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        return csv_response(changelist.get_queryset(request), self.export_filename or self.opts.model_name)

    def changelist_view(self, request, extra_context=None):
        info = self.opts.app_label, self.opts.model_name
        extra_context = {
            **(extra_context or {}),
            "export_url": reverse("admin:%s_%s_export" % info) + (f"?{request.GET.urlencode()}" if request.GET else ""),
        }
        if self.model in (Organisation, Membership) and can_import(request):
            extra_context["import_url"] = reverse("admin:directory_organisation_import")
        return super().changelist_view(request, extra_context=extra_context)


class MemberImportMixin:
    """The import pages, under the organisation admin's URLs."""

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="directory_organisation_import"),
            path(
                "import/<int:batch_id>/",
                self.admin_site.admin_view(self.import_preview_view),
                name="directory_organisation_import_preview",
            ),
            path(
                "import/<int:batch_id>/confirm/",
                self.admin_site.admin_view(self.import_confirm_view),
                name="directory_organisation_import_confirm",
            ),
            *super().get_urls(),
        ]

    def _import_context(self, request, title, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "columns": COLUMNS,
            "has_view_permission": self.has_view_permission(request),
            **context,
        }

    def import_view(self, request):
        if not can_import(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                plan = plan_import(upload.read())
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                batch = ImportBatch(
                    user=request.user,
                    file_name=(upload.name or "")[:255],
                    encoding=plan.encoding,
                    row_count=plan.row_count,
                    error_count=plan.error_count,
                    errors=[error.as_dict() for error in plan.errors],
                )
                batch.set_counts(plan.counts())
                if plan.is_valid:
                    batch.status = ImportBatch.Status.PREVIEWED
                    batch.content = plan.text
                else:
                    batch.status = ImportBatch.Status.REJECTED
                    batch.finished_at = timezone.now()
                batch.save()
                return redirect("admin:directory_organisation_import_preview", batch.pk)
        context = self._import_context(request, _("Importer des membres"), form=form)
        return TemplateResponse(request, "admin/directory/import/upload.html", context)

    def import_preview_view(self, request, batch_id):
        if not can_import(request):
            raise PermissionDenied
        batch = get_object_or_404(ImportBatch.objects.defer("content").select_related("user"), pk=batch_id)
        titles = {
            ImportBatch.Status.PREVIEWED: _("Aperçu de l’import"),
            ImportBatch.Status.REJECTED: _("Import refusé : le fichier contient des erreurs"),
            ImportBatch.Status.IMPORTED: _("Import terminé"),
            ImportBatch.Status.FAILED: _("Échec de l’import"),
        }
        context = self._import_context(request, titles[batch.status], batch=batch, counts=count_table(batch))
        return TemplateResponse(request, "admin/directory/import/preview.html", context)

    def import_confirm_view(self, request, batch_id):
        if not can_import(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:directory_organisation_import_preview", batch_id)
        try:
            with transaction.atomic():
                batch = get_object_or_404(ImportBatch.objects.select_for_update(), pk=batch_id)
                if batch.status != ImportBatch.Status.PREVIEWED:
                    # A second click, or another tab: the file was already dealt with.
                    return redirect("admin:directory_organisation_import_preview", batch.pk)
                # Checked again: the directory may have changed since the preview.
                plan = plan_import(batch.content)
                batch.set_counts(plan.counts())
                batch.error_count = plan.error_count
                batch.errors = [error.as_dict() for error in plan.errors]
                if plan.is_valid:
                    apply_plan(plan)
                    batch.status = ImportBatch.Status.IMPORTED
                else:
                    batch.status = ImportBatch.Status.REJECTED
                    batch.content = ""
                batch.finished_at = timezone.now()
                batch.save()
        except (DatabaseError, ImportFileError):
            logger.exception("Import %s failed", batch_id)
            ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.PREVIEWED).update(
                status=ImportBatch.Status.FAILED, finished_at=timezone.now()
            )
            self.message_user(
                request, _("L’import a échoué et rien n’a été écrit. Réessayez, ou prévenez l’équipe technique."),
                messages.ERROR,
            )  # fmt: skip
            return redirect("admin:directory_organisation_import_preview", batch_id)
        if batch.status == ImportBatch.Status.IMPORTED:
            self.message_user(request, _("Import terminé : « %(file)s ».") % {"file": batch.file_name}, messages.SUCCESS)
        return redirect("admin:directory_organisation_import_preview", batch.pk)


def count_table(batch):
    """Rows of (what, created, updated, unchanged) for the preview and the record."""
    return [
        (_("Organisations"), batch.organisations_created, batch.organisations_updated, batch.organisations_unchanged),
        (_("Adhésions"), batch.memberships_created, batch.memberships_updated, batch.memberships_unchanged),
    ]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only: the record of who imported what and when."""

    list_display = [
        "file_name",
        "user",
        "started_at",
        "finished_at",
        "status",
        "row_count",
        "organisations_summary",
        "memberships_summary",
        "error_count",
    ]
    list_filter = ["status", "started_at"]
    list_select_related = ["user"]
    search_fields = ["file_name", "user__username", "user__last_name"]
    date_hierarchy = "started_at"
    fields = [
        "file_name",
        "user",
        "status",
        "started_at",
        "finished_at",
        "encoding",
        "row_count",
        ("organisations_created", "organisations_updated", "organisations_unchanged"),
        ("memberships_created", "memberships_updated", "memberships_unchanged"),
        "error_count",
        "errors_table",
        "preview_link",
    ]
    readonly_fields = [name for item in fields for name in (item if isinstance(item, tuple) else (item,))]

    def get_queryset(self, request):
        # The file's text can weigh megabytes: never load it for the list or the record.
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("organisations créées / modifiées"))
    def organisations_summary(self, obj):
        return f"{number_format(obj.organisations_created)} / {number_format(obj.organisations_updated)}"

    @admin.display(description=_("adhésions créées / modifiées"))
    def memberships_summary(self, obj):
        return f"{number_format(obj.memberships_created)} / {number_format(obj.memberships_updated)}"

    @admin.display(description=_("erreurs relevées (les premières)"))
    def errors_table(self, obj):
        if not obj.errors:
            return "—"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Ligne"),
            _("Colonne"),
            _("Valeur"),
            _("Problème"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (error.get("line"), error.get("column"), error.get("value"), error.get("message"))
                    for error in obj.errors[:200]
                ),
            ),
        )

    @admin.display(description=_("page de l’import"))
    def preview_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:directory_organisation_import_preview", args=[obj.pk]),
            _("Voir l’aperçu et le résultat"),
        )
