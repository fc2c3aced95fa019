"""Who imported what and when: one record per file uploaded by staff."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Prévisualisé, en attente de confirmation")
        REJECTED = "rejected", _("Refusé : le fichier contient des erreurs")
        IMPORTED = "imported", _("Importé")
        FAILED = "failed", _("Échec de l’écriture")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="import_batches",
        verbose_name=_("importé par"),
    )
    file_name = models.CharField(_("fichier"), max_length=255)
    # The file as read (decoded to text) is kept so that the confirmation imports exactly what was
    # previewed, without a second upload, whichever server process answers.
    content = models.TextField(_("contenu du fichier"), blank=True)
    encoding = models.CharField(_("encodage"), max_length=20, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    row_count = models.PositiveIntegerField(_("lignes"), default=0)
    organisations_created = models.PositiveIntegerField(_("organisations créées"), default=0)
    organisations_updated = models.PositiveIntegerField(_("organisations modifiées"), default=0)
    organisations_unchanged = models.PositiveIntegerField(_("organisations inchangées"), default=0)
    memberships_created = models.PositiveIntegerField(_("adhésions créées"), default=0)
    memberships_updated = models.PositiveIntegerField(_("adhésions modifiées"), default=0)
    memberships_unchanged = models.PositiveIntegerField(_("adhésions inchangées"), default=0)
    error_count = models.PositiveIntegerField(_("erreurs"), default=0)
    errors = models.JSONField(_("erreurs relevées"), default=list, blank=True)
    started_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("importé le"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import de membres")
        verbose_name_plural = _("imports de membres")

    def __str__(self):
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"

    COUNT_FIELDS = (
        "organisations_created",
        "organisations_updated",
        "organisations_unchanged",
        "memberships_created",
        "memberships_updated",
        "memberships_unchanged",
    )

    def set_counts(self, counts):
        for name in self.COUNT_FIELDS:
            setattr(self, name, counts.get(name, 0))
