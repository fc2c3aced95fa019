import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def alternate_urls(context):
    """The page in each language.

    `url` keeps the whole query string, so the language switcher keeps the filters. The
    canonical and hreflang links use `canonical_url`: the same, unless the view put a
    `canonical_query` in the context (the query string that really names the page, "" for
    none), so stray or invalid parameters (`?membres=abc`, tracking tags) are not indexed.
    """
    request = context["request"]
    current = get_language()
    query = request.GET.urlencode()
    canonical_query = context.get("canonical_query")
    if canonical_query is None:
        canonical_query = query
    languages = []
    canonical_by_code = {}
    for code, name in settings.LANGUAGES:
        page_url = request.build_absolute_uri(translate_url(request.path, code))
        url = f"{page_url}?{query}" if query else page_url
        canonical_url = f"{page_url}?{canonical_query}" if canonical_query else page_url
        canonical_by_code[code] = canonical_url
        languages.append(
            {"code": code, "name": name, "url": url, "canonical_url": canonical_url, "is_current": code == current}
        )
    return {
        "languages": languages,
        "canonical": canonical_by_code.get(current, request.build_absolute_uri()),
        "default": canonical_by_code[settings.LANGUAGE_CODE],
    }


# The characters json_script escapes: none of them can then close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def json_ld(context, data):
    """`data` as a JSON-LD <script>, escaped the way Django's json_script escapes.

    json_script only writes type="application/json", which search engines ignore.
    HTML-escaping would corrupt JSON inside <script> (its text is not entity-decoded),
    so, like json_script itself, the JSON is made inert by escaping <, > and & as
    \\u003C, \\u003E and \\u0026, and only that escaped text is marked safe.
    """
    escaped = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>', context.get("CSP_NONCE", ""), SafeString(escaped)
    )
