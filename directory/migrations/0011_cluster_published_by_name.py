"""The public list's default order as an index: search_name, name, id, with the facets' columns.

Partial (published clusters only) and, on PostgreSQL, covering (INCLUDE kind, region,
department): the list without a search reads it with an index-only scan and no sort.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_membership_listed_name"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="cluster",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["search_name", "name", "id"],
                include=("kind", "region", "department"),
                name="cluster_published_by_name",
            ),
        ),
    ]
