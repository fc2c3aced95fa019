"""French geography as INSEE codes it (Code officiel géographique)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.links import page_url


class InseeCodeManager(models.Manager):
    """Lets fixtures refer to a region or a département by its INSEE code."""

    def get_by_natural_key(self, insee_code):
        return self.get(insee_code=insee_code)


class Region(models.Model):
    insee_code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = InseeCodeManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("directory:region_detail", self.slug)

    def natural_key(self):
        return (self.insee_code,)


class Department(models.Model):
    insee_code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("région")
    )

    objects = InseeCodeManager()

    class Meta:
        ordering = ["insee_code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self):
        return f"{self.name} ({self.insee_code})"

    def natural_key(self):
        return (self.insee_code,)
