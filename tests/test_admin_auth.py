"""Users and groups in the admin (directory/admin/auth.py): superusers only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

pytestmark = pytest.mark.django_db

# What staff manage in the admin; regions and départements are read-mostly (see geography.py).
STAFF_MODELS = [
    "cluster", "clustersource", "label", "organisation", "membership", "programme", "participation",
    "sector", "region", "department", "clusterformerslug",
]


def test_the_staff_group_has_no_permission_on_users_or_groups():
    group = Group.objects.get(name="Équipe France Clusters")
    assert not group.permissions.filter(content_type__app_label="auth").exists()
    granted = set(group.permissions.values_list("codename", flat=True))
    for model in STAFF_MODELS:
        for action in ("add", "change", "delete", "view"):
            assert f"{action}_{model}" in granted


def test_the_staff_group_reads_but_never_edits_internal_records():
    granted = set(Group.objects.get(name="Équipe France Clusters").permissions.values_list("codename", flat=True))
    assert "view_seedrecord" in granted and "view_importbatch" in granted
    assert not {"change_seedrecord", "delete_seedrecord", "change_siteversion", "delete_siteversion"} & granted


def test_staff_cannot_reach_users_or_groups(staff_client):
    for name in ("admin:auth_user_changelist", "admin:auth_group_changelist", "admin:auth_user_add"):
        assert staff_client.get(reverse(name)).status_code == 403
    index = staff_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") not in index


def test_superusers_manage_users(admin_client, staff_user):
    assert admin_client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:auth_user_change", args=[staff_user.pk])).status_code == 200
    assert admin_client.get(reverse("admin:auth_group_changelist")).status_code == 200
