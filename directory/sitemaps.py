"""The sitemap sections: every public page, in French and in English.

`/sitemap.xml` is an index of these sections; each section is split into pages of
`limit` URLs (the protocol allows 50,000), so the sitemap stays valid however large
the directory grows. Only what visitors may see goes in: published clusters, and
organisations with a public page.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from directory.models import Cluster, Organisation, Programme, Region, Sector

# The protocol allows 50,000 URLs a file; each of ours renders four URLs (itself, two alternates,
# x-default), so smaller files keep each response quick to build.
URLS_PER_SITEMAP = 5_000
SLUG_PLACEHOLDER = "slug-placeholder"


class LanguagePairs:
    """(item, language) pairs of an ordered queryset, fetched a slice at a time.

    Django's i18n sitemap builds the list of every pair before paginating, which loads the
    whole table for each page; the paginator only needs `count()` and a slice.
    """

    def __init__(self, queryset, languages):
        self.queryset = queryset
        self.languages = list(languages)

    def count(self):
        return self.queryset.count() * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("LanguagePairs only supports plain slices.")
        start, stop = index.start or 0, index.stop
        size = len(self.languages)
        first_item = start // size
        last_item = None if stop is None else -(-stop // size)
        pairs = [(item, code) for item in self.queryset[first_item:last_item] for code in self.languages]
        offset = start - first_item * size
        return pairs[offset : None if stop is None else offset + stop - start]


class DirectorySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = URLS_PER_SITEMAP
    # The field the section's last modification date comes from, computed by the database.
    lastmod_field = None

    def _items(self):
        items = self.items()
        if isinstance(items, QuerySet):
            return LanguagePairs(items, self._languages())
        return super()._items()

    # For sections of objects: the URL name of their page, which takes a `slug`.
    url_name = None

    def location(self, item):
        # One reverse() per language, not per URL: a page of 5,000 entries asks for 20,000 locations.
        if not hasattr(self, "_patterns"):
            self._patterns = {}
        language = get_language()
        if language not in self._patterns:
            self._patterns[language] = reverse(self.url_name, kwargs={"slug": SLUG_PLACEHOLDER})
        return self._patterns[language].replace(SLUG_PLACEHOLDER, item.slug)

    def get_latest_lastmod(self):
        if self.lastmod_field is None:
            return None
        return self.items().aggregate(latest=Max(self.lastmod_field))["latest"]


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
        return reverse(item)  # a handful of pages: no need for the pattern cache


class ClusterSitemap(DirectorySitemap):
    url_name = "directory:cluster_detail"
    lastmod_field = "updated_at"

    def items(self):
        return Cluster.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, cluster):
        return cluster.updated_at


class RegionSitemap(DirectorySitemap):
    url_name = "directory:region_detail"

    def items(self):
        return Region.objects.only("slug").order_by("pk")


class SectorSitemap(DirectorySitemap):
    url_name = "directory:sector_detail"

    def items(self):
        return Sector.objects.only("slug").order_by("pk")


class ProgrammeSitemap(DirectorySitemap):
    url_name = "directory:programme_detail"
    lastmod_field = "updated_at"

    def items(self):
        return Programme.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, programme):
        return programme.updated_at


class MemberSitemap(DirectorySitemap):
    url_name = "directory:member_detail"
    lastmod_field = "updated_at"

    def items(self):
        return Organisation.objects.public().only("slug", "updated_at").order_by("pk")

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
