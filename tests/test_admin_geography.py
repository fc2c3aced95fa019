"""Reference data in the admin (directory/admin/geography.py): read-mostly for staff."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_staff_can_read_and_correct_but_not_add_or_delete_regions(staff_client, centre_val_de_loire):
    assert staff_client.get(reverse("admin:directory_region_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:directory_region_change", args=[centre_val_de_loire.pk])).status_code == 200
    assert staff_client.get(reverse("admin:directory_region_add")).status_code == 403
    assert staff_client.get(reverse("admin:directory_region_delete", args=[centre_val_de_loire.pk])).status_code == 403


def test_departements_filter_by_region_and_search_by_code(staff_client, eure_et_loir, essonne):
    changelist = reverse("admin:directory_department_changelist")
    response = staff_client.get(changelist, {"region__id__exact": essonne.region_id})
    assert list(response.context["cl"].result_list) == [essonne]
    response = staff_client.get(changelist, {"q": "28"})
    assert list(response.context["cl"].result_list) == [eure_et_loir]
    assert staff_client.get(reverse("admin:directory_department_add")).status_code == 403


def test_staff_manage_sectors(staff_client):
    sector = factories.SectorFactory(name="Santé", name_en="Health")
    response = staff_client.get(reverse("admin:directory_sector_changelist"), {"q": "health"})
    assert list(response.context["cl"].result_list) == [sector]
    response = staff_client.post(
        reverse("admin:directory_sector_add"), {"name": "Mer", "name_en": "Sea", "slug": "mer"}
    )
    assert response.status_code == 302
