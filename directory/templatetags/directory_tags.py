from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def alternate_urls(context):
    """The page in each language, its query string kept (filters survive a switch)."""
    request = context["request"]
    current = get_language()
    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    languages = []
    by_code = {}
    for code, name in settings.LANGUAGES:
        url = request.build_absolute_uri(translate_url(request.path, code)) + suffix
        by_code[code] = url
        languages.append({"code": code, "name": name, "url": url, "is_current": code == current})
    return {
        "languages": languages,
        "canonical": by_code.get(current, request.build_absolute_uri()),
        "default": by_code[settings.LANGUAGE_CODE],
    }
