"""The directory's seed data: compiled public sources turned into fixtures, and loaded without undoing staff work.

- `build` reads `fixtures/sources/` (CSV files copied from the compiled sources, plus the editorial
  CSV files: sectors, theme → sectors, name aliases, kinds, frameworks) and writes the JSON fixtures.
- `loading` loads those fixtures into a database that staff may already have edited.
"""

import datetime
from pathlib import Path

from django.conf import settings

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SOURCES_DIR = FIXTURES_DIR / "sources"

# The sources were compiled in November 2026; the cluster files give no day, so the first of the month.
COMPILED_ON = datetime.date(2026, 11, 1)
# labels_programmes_README.md gives the exact day its two files were compiled.
LABELS_PROGRAMMES_COMPILED_ON = datetime.date(2026, 11, 26)
# Fixed timestamps keep the fixtures byte-identical from one build to the next.
FIXTURE_TIMESTAMP = "2026-11-01T00:00:00Z"

# Loaded in this order: each file only refers to objects of the files before it.
FIXTURE_FILES = ["geography.json", "sectors.json", "clusters.json", "programmes.json", "labels.json"]
