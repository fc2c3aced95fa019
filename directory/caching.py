"""A page cache for the public directory that never serves stale data, fragments or nonces.

Three promises, and how they are kept:

1. **An edit shows everywhere at once.** Every cache key holds the public data's version, a
   number kept in the database (`SiteVersion`) that every worker reads at each request (one
   indexed one-row query). Whatever changes directory data bumps it: the signals below (saves,
   deletions and M2M changes of every directory model, `loaddata` included), any successful
   POST in the admin (actions and bulk edits use `QuerySet.update()`, which sends no signal),
   `ClusterQuerySet.refresh_search_text()` (the path every bulk writer already takes: seed
   loader, importers) and the demo data generator; once per transaction, inside it, so a bulk
   delete costs one UPDATE and the new version commits with the data. Entries are per worker
   (local memory), but a worker can only find an entry stored under the current version, so
   none answers stale.
2. **A fragment is never served as a page, nor the reverse.** The key holds the `HX-Request`
   and `HX-History-Restore-Request` headers, and responses say `Vary: HX-Request`.
3. **No stale CSP nonce.** A page with a nonced inline script (django-leaflet's map) is stored
   with its nonce replaced by a placeholder, in the page and in its CSP header, and each answer
   gets a fresh nonce of its own, the same in both.

Only anonymous GETs of the public pages (the `directory` URL namespace) are cached: a request
with a session (staff previewing a draft) or a response setting a cookie goes straight through.
`DJANGO_PAGE_CACHE=false` turns the cache off (the benchmark measures both).
"""

import base64
import functools
import hashlib
import os
import re
import struct
import zlib
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import patch_vary_headers
from django.utils import timezone
from django.utils import translation

CACHE_ALIAS = "default"
CACHE_TIMEOUT = 60 * 60
NONCE_PLACEHOLDER = "__csp-nonce-placeholder__"
VARY_HEADERS = ("HX-Request", "HX-History-Restore-Request", "HX-Target", "HX-Trigger")
VARY_META_KEYS = tuple("HTTP_" + header.upper().replace("-", "_") for header in VARY_HEADERS)
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # GZipMiddleware's test
CACHEABLE_TYPES = ("text/html", "application/json", "application/geo+json")


def current_version(using=None):
    """Read at every cached request: plain SQL, as it costs more to build through the ORM than to run."""
    from directory.models import SiteVersion

    connection = connections[using or DEFAULT_DB_ALIAS]
    # Whoever reads next on this connection must see the next write's bump: no more batching into the last one.
    connection.__dict__.pop("_page_cache_bump", None)
    sql = f"SELECT version FROM {SiteVersion._meta.db_table} WHERE id = 1"
    if connection.health_check_enabled and not connection.health_check_done and not connection.in_atomic_block:
        # CONN_HEALTH_CHECKS would first send "SELECT 1" on the reused connection: this read
        # tests it just as well, and a hit then costs one round trip instead of two. Should
        # the connection have died while idle, do what the check does: reconnect, read again.
        connection.health_check_done = True
        try:
            return _read_version(connection, sql)
        except Error:
            connection.close()
    return _read_version(connection, sql)


def _read_version(connection, sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else 0


class _Bumped:
    """Left in the connection's on-commit list to say "this transaction has bumped the version already".

    Django keeps that list in step with the transaction: it drops the entry when the savepoint
    around the bump rolls back (and the bump with it), and empties the list at commit or rollback.
    So while the entry is there, the bump stands and is committed with the data, whatever follows.
    """

    def __call__(self):
        pass


def bump_site_version(using=None):
    """Public data changed: every cached page is now stale, in every worker.

    Once per transaction: other connections see none of its writes before it commits, and then
    they see them all along with one new version. Deleting 80,000 rows through the ORM sends a
    signal per row, and one UPDATE of the same row each took minutes. The bump runs inside the
    transaction, not after it with `on_commit`, so data and version are committed together: no
    moment, nor a crash, leaves new data under an old version. Outside a transaction, every
    write bumps at once.
    """
    connection = connections[using or DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        marker = connection.__dict__.get("_page_cache_bump")
        if marker is not None and any(func is marker for _sids, func, _robust in connection.run_on_commit):
            return
    _increment_version(connection.alias)
    if connection.in_atomic_block:
        marker = _Bumped()
        connection.on_commit(marker)
        connection._page_cache_bump = marker


def _increment_version(using):
    from directory.models import SiteVersion

    if not SiteVersion.objects.using(using).filter(pk=1).update(version=F("version") + 1, changed_at=timezone.now()):
        SiteVersion.objects.using(using).get_or_create(pk=1, defaults={"version": 1})


def _data_changed(sender, using=None, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        bump_site_version(using)


def connect_receivers():
    """Called from DirectoryConfig.ready(): every directory model's writes bump the version."""
    from django.apps import apps

    for model in apps.get_app_config("directory").get_models():
        if model._meta.model_name in ("siteversion", "seedrecord"):
            continue
        uid = f"page_cache_{model._meta.label_lower}"
        post_save.connect(_data_changed, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_data_changed, sender=model, dispatch_uid=f"{uid}_deleted")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_data_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}_{field.name}")


@functools.lru_cache(maxsize=4096)
def _public_page_language(urlconf, path):
    """The language of the public page at `path`, or None if it is no public page.

    A hit needs this before anything else; the answer only depends on the URLconf, and
    resolving every path again cost more than the rest of a hit (160 of 470 µs in-process).
    """
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    # LocaleMiddleware has not run yet: resolve /en/… in English, as it would.
    with translation.override(language):
        try:
            match = resolve(path, urlconf)
        except Resolver404:
            return None
    return language if match.namespace == "directory" else None


def _cache_key(request, language, version):
    # From META: request.headers would copy every header into a new mapping at each hit.
    varying = "|".join(request.META.get(name, "") for name in VARY_META_KEYS)
    raw = f"{version}|{language}|{request.get_full_path()}|{varying}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


# A gzip member put together at each hit from parts deflated once: the 10-byte header, then
# for each nonce a stored (uncompressed) deflate block between two parts, each of which ends
# byte-aligned and not final, then an empty final block and the CRC and length of the page.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
LAST_DEFLATE_BLOCK = b"\x01\x00\x00\xff\xff"


def _deflate(part):
    # Its own compressor, flushed in full: nothing in it refers to bytes outside it.
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(part) + compressor.flush(zlib.Z_FULL_FLUSH)


def _gzip(deflated_parts, between, content):
    stored_block = b"\x00" + struct.pack("<HH", len(between), 0xFFFF ^ len(between)) + between
    trailer = struct.pack("<II", zlib.crc32(content), len(content) & 0xFFFFFFFF)
    return b"".join((GZIP_HEADER, stored_block.join(deflated_parts), LAST_DEFLATE_BLOCK, trailer))


class StoredPage(NamedTuple):
    """A response as kept in the cache, ready for both kinds of client: no gzip nor header parsing at a hit."""

    status: int
    headers: dict  # no Content-Length; Vary says Accept-Encoding when there is a compressed form
    content: bytes  # each nonce replaced by NONCE_PLACEHOLDER
    deflated: tuple | None  # the content between placeholders, each part deflated; None: too short
    nonced_headers: tuple  # the names of the headers holding the placeholder (the CSP)
    has_nonce: bool


class PageCacheMiddleware:
    """Placed right inside GZipMiddleware: a hit skips sessions, locale, CSRF, auth, messages and CSP.

    What those would add to an anonymous public page is in the stored response already (its
    headers, CSP included); only the nonce changes, and it is replaced in body and header alike.
    A hit does no gzip: the page is deflated when stored, around its nonces if it has any.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._cacheable_request(request)
        if language is None:
            response = self.get_response(request)
            if request.method == "POST" and request.path_info.startswith("/admin/") and response.status_code < 400:
                # Admin actions and bulk edits write with QuerySet.update(): no signal reaches us.
                bump_site_version()
            return response
        cache = caches[CACHE_ALIAS]
        key = _cache_key(request, language, current_version())
        stored = cache.get(key)
        if stored is not None:
            return self._rebuild(request, stored)
        response = self.get_response(request)
        patch_vary_headers(response, ["HX-Request"])
        if self._cacheable_response(response):
            cache.set(key, self._store(request, response), CACHE_TIMEOUT)
        return response

    @staticmethod
    def _cacheable_request(request):
        """The page's language when the request may be answered from the cache, else None."""
        if (
            getattr(settings, "PAGE_CACHE", False)
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            return _public_page_language(get_urlconf(), request.path_info)
        return None

    @staticmethod
    def _cacheable_response(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").split(";")[0] in CACHEABLE_TYPES
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _store(request, response):
        compressible = len(response.content) >= 200  # GZipMiddleware's threshold
        if compressible:
            patch_vary_headers(response, ["Accept-Encoding"])  # as GZipMiddleware would
        content = response.content
        headers = {name: value for name, value in response.items() if name.lower() != "content-length"}
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:
            content = content.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
            headers = {name: value.replace(nonce, NONCE_PLACEHOLDER) for name, value in headers.items()}
        deflated = tuple(_deflate(part) for part in content.split(NONCE_PLACEHOLDER.encode())) if compressible else None
        nonced_headers = tuple(name for name, value in headers.items() if NONCE_PLACEHOLDER in value)
        has_nonce = bool(nonced_headers) or NONCE_PLACEHOLDER.encode() in content
        return StoredPage(response.status_code, headers, content, deflated, nonced_headers, has_nonce)

    @staticmethod
    def _rebuild(request, stored):
        content, headers, nonce = stored.content, stored.headers, b""
        if stored.has_nonce:
            # A fresh nonce for this answer, the same in the page and in its CSP header.
            nonce = base64.b64encode(os.urandom(16))
            content = content.replace(NONCE_PLACEHOLDER.encode(), nonce)
            headers = {**headers}
            for name in stored.nonced_headers:
                headers[name] = headers[name].replace(NONCE_PLACEHOLDER, nonce.decode())
        if stored.deflated is not None and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            response = HttpResponse(_gzip(stored.deflated, nonce, content), status=stored.status, headers=headers)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(content, status=stored.status, headers=headers)
        response["Content-Length"] = str(len(response.content))
        return response
