"""Addresses of the directory's pages, for pages that link to dozens of them.

reverse() costs 20 to 40 µs a call; a region page links to 30 clusters, the home page to
18 regions and 20 sectors, every page to the 11 pages of its header and footer. A page's
address depends only on the URLconf, the language and the slug, so each view is reversed
once per language, with a placeholder for the slug, and the slug is put in its place.
"""

import functools

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Slugs are [-a-zA-Z0-9_]; the path words are lowercase: an upper-case word never occurs in them.
SLUG = "SLUG"


@functools.lru_cache(maxsize=256)
def _pattern(resolver, script_prefix, language, viewname, has_slug):
    # Keyed on the resolver itself: clear_url_caches() (a changed ROOT_URLCONF) makes a new one.
    return reverse(viewname, kwargs={"slug": SLUG} if has_slug else None)


def page_url(viewname, slug=None):
    """reverse(viewname) or reverse(viewname, kwargs={"slug": slug}) in the active language."""
    if slug is not None and not slug:
        return reverse(viewname, kwargs={"slug": slug})  # raises NoReverseMatch, as reverse() would
    pattern = _pattern(get_resolver(get_urlconf()), get_script_prefix(), get_language(), viewname, slug is not None)
    return pattern if slug is None else pattern.replace(SLUG, slug)
