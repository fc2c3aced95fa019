"""What the seed loader last wrote, so a reload never undoes staff work."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SeedRecord(models.Model):
    """One seeded object: its seed key, its row, and the values the seed last wrote.

    A field is refreshed from the seed only while its current value still equals the
    value recorded here; anything else means staff changed it, and staff win.
    """

    model = models.CharField(_("modèle"), max_length=100)
    key = models.CharField(_("clé de la graine"), max_length=300)
    object_id = models.PositiveBigIntegerField(_("identifiant de l’objet"), null=True, blank=True)
    values = models.JSONField(_("valeurs écrites par la graine"), default=dict, blank=True)
    loaded_at = models.DateTimeField(_("chargé le"), auto_now=True)

    class Meta:
        ordering = ["model", "key"]
        verbose_name = _("trace de la graine")
        verbose_name_plural = _("traces de la graine")
        constraints = [models.UniqueConstraint(fields=["model", "key"], name="seed_record_unique_model_key")]

    def __str__(self):
        return f"{self.model} {self.key}"
