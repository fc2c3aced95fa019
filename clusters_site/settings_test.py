"""Settings for the test suite: the production settings, with test-only values.

The secret is set before importing the real settings, which refuse to start without one.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")

from clusters_site.settings import *  # noqa: E402,F403

# live_server does not serve manifest-hashed names; tests never need compression.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECURE_SSL_REDIRECT = False
# Rolled-back test transactions reuse version numbers: tests/test_cache.py turns the page cache on itself.
PAGE_CACHE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests never load real tiles: the browser tests answer tile requests themselves.
MAP_TILES_URL = "/tiles-for-tests/{z}/{x}/{y}.png"
LEAFLET_CONFIG["TILES"] = [("Plan", MAP_TILES_URL, {"attribution": "tests", "maxZoom": 18})]  # noqa: F405
