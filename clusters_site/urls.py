from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from directory.views import seo
from directory.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # One sitemap index and one robots.txt for both languages, outside the language prefixes.
    path("sitemap.xml", seo.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", seo.sitemap_section, name="sitemap_section"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
]

# French at the root, English under /en/ with the same path words.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("directory.urls")),
    prefix_default_language=False,
)
