"""The staff group manages clusters' former addresses too, and may read what the seed loader wrote.

ClusterFormerSlug (0005) and SeedRecord (0003) came after 0002_staff_group granted the
directory's permissions, so the group had none on them. SiteVersion stays internal.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP_NAME = "Équipe France Clusters"
GRANTED = [
    ("clusterformerslug", ("add", "change", "delete", "view")),
    ("seedrecord", ("view",)),
]


def grant(apps, schema_editor):
    directory_config = apps.get_app_config("directory")
    directory_config.models_module = True
    create_permissions(directory_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP_NAME)
    for model, actions in GRANTED:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="directory", codename__in=[f"{action}_{model}" for action in actions]
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=STAFF_GROUP_NAME).first()
    if group:
        codenames = [f"{action}_{model}" for model, actions in GRANTED for action in actions]
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="directory", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_site_version_and_indexes")]

    operations = [migrations.RunPython(grant, revoke)]
