"""The « Équipe France Clusters » group: every permission on directory content, none on users or groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP_NAME = "Équipe France Clusters"


def grant_directory_permissions(apps, schema_editor):
    # On a fresh database permissions are created after all migrations have run (post_migrate):
    # create them now, or the group would be created empty.
    directory_config = apps.get_app_config("directory")
    directory_config.models_module = True
    create_permissions(directory_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP_NAME)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="directory"))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_directory_permissions, remove_group)]
