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
        return self.localize(self.name, self.name_en)

    @staticmethod
    def localize(name, name_en):
        """The name to show in the active language, for rows read without an instance."""
        return name_en if get_language() == "en" and name_en else name


def sector_names_by_cluster(pairs, labels):
    """{cluster id: its sectors' names, in the order of `labels`} from (cluster id, sector id) pairs.

    `labels` is [(sector id, name)] in display order: what the result cards list, read from
    rows a page fetched anyway instead of a prefetch per page of clusters.
    """
    ids_of = {}
    for cluster_id, sector_id in pairs:
        ids_of.setdefault(cluster_id, set()).add(sector_id)
    return {cluster_id: [name for pk, name in labels if pk in ids] for cluster_id, ids in ids_of.items()}
