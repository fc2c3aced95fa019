"""The sitemap sections: every public page, in French and in English.

`/sitemap.xml` is an index of these sections; each section is split into pages of
`limit` URLs (the protocol allows 50,000), so the sitemap stays valid however large
the directory grows. Only what visitors may see goes in: published clusters, and
organisations with a public page.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from directory.models import Cluster, Organisation, Programme, Region, Sector

# Each entry carries two language alternates and x-default: 10,000 entries stay far below 50 MB.
URLS_PER_SITEMAP = 10_000


class DirectorySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = URLS_PER_SITEMAP


class StaticPagesSitemap(DirectorySitemap):
    url_names = [
        "directory:home",
        "directory:cluster_list",
        "directory:map",
        "directory:region_list",
        "directory:sector_list",
        "directory:programme_list",
        "directory:member_list",
        "directory:about",
        "directory:legal_notice",
        "directory:personal_data",
        "directory:accessibility",
    ]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


class ClusterSitemap(DirectorySitemap):
    def items(self):
        return Cluster.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, cluster):
        return cluster.updated_at


class RegionSitemap(DirectorySitemap):
    def items(self):
        return Region.objects.only("slug").order_by("pk")

    def location(self, region):
        return reverse("directory:region_detail", kwargs={"slug": region.slug})


class SectorSitemap(DirectorySitemap):
    def items(self):
        return Sector.objects.only("slug").order_by("pk")

    def location(self, sector):
        return reverse("directory:sector_detail", kwargs={"slug": sector.slug})


class ProgrammeSitemap(DirectorySitemap):
    def items(self):
        return Programme.objects.only("slug", "updated_at").order_by("pk")

    def location(self, programme):
        return reverse("directory:programme_detail", kwargs={"slug": programme.slug})

    def lastmod(self, programme):
        return programme.updated_at


class MemberSitemap(DirectorySitemap):
    def items(self):
        return Organisation.objects.public().only("slug", "updated_at").order_by("pk")

    def location(self, organisation):
        return reverse("directory:member_detail", kwargs={"slug": organisation.slug})

    def lastmod(self, organisation):
        return organisation.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "clusters": ClusterSitemap,
    "regions": RegionSitemap,
    "secteurs": SectorSitemap,
    "programmes": ProgrammeSitemap,
    "membres": MemberSitemap,
}
