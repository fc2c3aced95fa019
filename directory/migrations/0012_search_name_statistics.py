"""Fewer statistics on `search_name`, so that planning a misspelt-name search is cheap.

pg_trgm's `%>` (the typo-tolerant name match of directory/search.py) estimates its
selectivity by computing word_similarity() against each value of the column's histogram:
with the default 101 values, planning every search cost ~1 ms, longer than running it.
Under ten values, PostgreSQL takes a default estimate instead. Nothing else filters on the
column; the list sorts on it, which needs no statistics.
"""

from django.db import migrations

FEW_STATISTICS = """
ALTER TABLE directory_cluster ALTER COLUMN search_name SET STATISTICS 5;
-- Replaces statistics gathered with the former target; allowed inside a transaction.
ANALYZE directory_cluster;
"""

DEFAULT_STATISTICS = "ALTER TABLE directory_cluster ALTER COLUMN search_name SET STATISTICS -1;"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0011_cluster_published_by_name"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(FEW_STATISTICS), on_postgresql(DEFAULT_STATISTICS)),
    ]
