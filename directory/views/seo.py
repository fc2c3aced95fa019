"""What search engines read: the sitemap index, its sections and robots.txt."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from directory.sitemaps import SITEMAPS


@require_safe
def sitemap_index(request):
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap_section")


@require_safe
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


@require_safe
def robots_txt(request):
    # The admin answers under each language prefix; the visitor's language must not pick one.
    admin_paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            admin_paths.append(reverse("admin:index"))
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in admin_paths),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
