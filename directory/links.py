"""Addresses of the directory's pages, for pages that link to dozens of them.

reverse() costs 20 to 40 µs a call; a region page links to 30 clusters, the home page to
18 regions and 20 sectors, every page to the 11 pages of its header and footer. A page's
address depends only on the URLconf, the language and the slug, so each view is reversed
once per language, with a placeholder for the slug, and the slug is put in its place.
"""

import functools

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, override

# Slugs are [-a-zA-Z0-9_]; the path words are lowercase: an upper-case word never occurs in them.
SLUG = "SLUG"


def _context():
    # The resolver itself, not the URLconf's name: clear_url_caches() (a changed ROOT_URLCONF) makes a new one.
    return get_resolver(get_urlconf()), get_script_prefix(), get_language()


@functools.lru_cache(maxsize=256)
def _pattern(context, viewname, has_slug):
    with override(context[2]):
        return reverse(viewname, kwargs={"slug": SLUG} if has_slug else None)


def page_url(viewname, slug=None, language=None):
    """reverse(viewname) or reverse(viewname, kwargs={"slug": slug}) in `language`, by default the active one."""
    if slug is not None and not slug:
        return reverse(viewname, kwargs={"slug": slug})  # raises NoReverseMatch, as reverse() would
    resolver, prefix, active = _context()
    pattern = _pattern((resolver, prefix, language or active), viewname, slug is not None)
    return pattern if slug is None else pattern.replace(SLUG, slug)


@functools.lru_cache(maxsize=16)
def _page_urls(context, namespace, names):
    return {name: reverse(f"{namespace}:{name}") for name in names}


def page_urls(namespace, names):
    """{name: URL} of the pages `names` (a tuple) of `namespace`, which take no argument."""
    return _page_urls(_context(), namespace, names)
