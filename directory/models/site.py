"""One row that says when public data last changed: the page cache keys on it (directory/caching.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteVersion(models.Model):
    """Bumped by every write to directory data; every worker reads it, so none serves a stale page."""

    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("version des données publiques")
        verbose_name_plural = _("versions des données publiques")

    def __str__(self):
        return str(self.version)
