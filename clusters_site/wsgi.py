"""WSGI entry point, used by gunicorn: `gunicorn clusters_site.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusters_site.settings")

# A search page allocates tens of thousands of objects that live for the request (rows,
# facet pairs, options): at Python's default (a young-generation collection every 700
# allocations) the collector ran a hundred times a page, ~2 ms of a 22 ms page on the
# benchmark machine. Objects are still freed when their last reference goes; only
# reference cycles wait longer for a collection.
GC_YOUNG_THRESHOLD = int(os.environ.get("GC_YOUNG_THRESHOLD", "50000"))
gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])

application = get_wsgi_application()
