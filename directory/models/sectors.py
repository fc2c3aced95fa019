"""The curated thematic taxonomy clusters and organisations are filed under."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory.links import page_url


class SectorManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Sector(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    name_en = models.CharField(_("nom en anglais"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = SectorManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return page_url("directory:sector_detail", self.slug)

    @property
    def localized_name(self):
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name
