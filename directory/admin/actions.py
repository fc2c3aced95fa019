"""Bulk actions on clusters. Each one only touches the rows it changes and says how many."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory.models import Status


def _report(modeladmin, request, changed, message, unchanged):
    # French says « 0 cluster », English « 0 clusters »: a sentence of its own avoids both.
    if changed:
        modeladmin.message_user(request, message % {"count": changed}, messages.SUCCESS)
    else:
        modeladmin.message_user(request, unchanged, messages.WARNING)


@admin.action(description=_("Publier les clusters sélectionnés"), permissions=["change"])
def publish(modeladmin, request, queryset):
    # update() skips auto_now: the timestamp is set here so the list's « modifié le » stays true.
    changed = queryset.exclude(status=Status.PUBLISHED).update(status=Status.PUBLISHED, updated_at=timezone.now())
    _report(
        modeladmin,
        request,
        changed,
        ngettext("%(count)d cluster publié.", "%(count)d clusters publiés.", changed),
        _("Aucun cluster modifié : tous étaient déjà publiés."),
    )


@admin.action(description=_("Archiver les clusters sélectionnés"), permissions=["change"])
def archive(modeladmin, request, queryset):
    changed = queryset.exclude(status=Status.ARCHIVED).update(status=Status.ARCHIVED, updated_at=timezone.now())
    _report(
        modeladmin,
        request,
        changed,
        ngettext("%(count)d cluster archivé.", "%(count)d clusters archivés.", changed),
        _("Aucun cluster modifié : tous étaient déjà archivés."),
    )


@admin.action(description=_("Marquer comme vérifiés aujourd’hui"), permissions=["change"])
def mark_verified_today(modeladmin, request, queryset):
    today = timezone.localdate()
    # exclude() keeps the never-verified rows (NULL), which are the ones most in need of it.
    changed = queryset.exclude(last_verified_on=today).update(last_verified_on=today, updated_at=timezone.now())
    _report(
        modeladmin,
        request,
        changed,
        ngettext(
            "%(count)d cluster marqué comme vérifié aujourd’hui.",
            "%(count)d clusters marqués comme vérifiés aujourd’hui.",
            changed,
        ),
        _("Aucun cluster modifié : tous étaient déjà marqués comme vérifiés aujourd’hui."),
    )
