"""Search columns on Cluster, and on PostgreSQL everything the search needs.

The PostgreSQL part (extensions, the `french_unaccent` configuration, the indexes)
runs only there, so the same migrations run on SQLite. See directory/search.py.
"""

import django.contrib.postgres.search
from django.db import migrations, models

POSTGRESQL_PREREQUISITES = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $$
BEGIN
    -- French stemming that ignores accents: « economie » finds « Économie ».
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""

POSTGRESQL_INDEXES = """
CREATE INDEX IF NOT EXISTS directory_cluster_search_vector_gin ON directory_cluster USING gin (search_vector);
CREATE INDEX IF NOT EXISTS directory_cluster_search_name_trgm ON directory_cluster USING gin (search_name gin_trgm_ops);
"""

POSTGRESQL_DROP = """
DROP INDEX IF EXISTS directory_cluster_search_name_trgm;
DROP INDEX IF EXISTS directory_cluster_search_vector_gin;
DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def fill_search_columns(apps, schema_editor):
    """Clusters that exist before this migration get their search columns once."""
    from directory.search import SEARCH_CONFIG, fold, search_document

    Cluster = apps.get_model("directory", "Cluster")
    db = schema_editor.connection.alias
    clusters = list(Cluster.objects.using(db).prefetch_related("sectors", "programmes"))
    for cluster in clusters:
        cluster.search_name = fold(cluster.name)
        cluster.search_text = search_document(cluster)
    Cluster.objects.using(db).bulk_update(clusters, ["search_name", "search_text"], batch_size=500)
    if clusters and schema_editor.connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        Cluster.objects.using(db).update(
            search_vector=SearchVector("search_name", config=SEARCH_CONFIG, weight="A")
            + SearchVector("search_text", config=SEARCH_CONFIG, weight="B")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_seed_records"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(POSTGRESQL_PREREQUISITES), migrations.RunPython.noop),
        migrations.AddField(
            model_name="cluster",
            name="search_name",
            field=models.CharField(
                blank=True, editable=False, max_length=200, verbose_name="nom normalisé pour la recherche"
            ),
        ),
        migrations.AddField(
            model_name="cluster",
            name="search_text",
            field=models.TextField(blank=True, editable=False, verbose_name="texte normalisé pour la recherche"),
        ),
        migrations.AddField(
            model_name="cluster",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, verbose_name="vecteur de recherche"
            ),
        ),
        migrations.RunPython(on_postgresql(POSTGRESQL_INDEXES), on_postgresql(POSTGRESQL_DROP)),
        migrations.RunPython(fill_search_columns, migrations.RunPython.noop),
    ]
