"""Memberships keep a copy of their organisation's public name, for the cluster page's index.

`listed_name` is the organisation's name when it may be named in public, NULL otherwise.
The copy is filled here before its index is built (one UPDATE, then one index build);
afterwards `MembershipQuerySet.refresh_listed_names()` is the one path that rewrites it.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_listed_names(apps, schema_editor):
    # The same UPDATE as MembershipQuerySet.refresh_listed_names(): historical models have no custom querysets.
    Membership = apps.get_model("directory", "Membership")
    Organisation = apps.get_model("directory", "Organisation")
    name = Organisation.objects.filter(pk=OuterRef("organisation_id"), publicly_named=True).order_by()
    Membership.objects.using(schema_editor.connection.alias).update(listed_name=Subquery(name.values("name")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0009_staff_group_former_slugs"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="listed_name",
            field=models.CharField(editable=False, max_length=200, null=True),
        ),
        migrations.RunPython(fill_listed_names, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                fields=["cluster", "listed_name", "id"],
                include=["organisation", "role"],
                name="membership_listed_name_idx",
            ),
        ),
    ]
