import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def french_by_default():
    """Every test starts in French: a request under /en/ leaves English active in the thread,
    and reverse() or date parsing in the next test would follow it."""
    with translation.override("fr"):
        yield


@pytest.fixture
def staff_user(django_user_model):
    """A France Clusters staff member who is not a superuser: the admin's everyday user."""
    user = django_user_model.objects.create_user(
        username="camille", password="motdepasse-solide-42", is_staff=True, email="camille@example.org"
    )
    user.groups.add(Group.objects.get(name="Équipe France Clusters"))
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def centre_val_de_loire(db):
    return factories.RegionFactory(insee_code="24", name="Centre-Val de Loire", slug="centre-val-de-loire")


@pytest.fixture
def eure_et_loir(centre_val_de_loire):
    return factories.DepartmentFactory(insee_code="28", name="Eure-et-Loir", slug="eure-et-loir", region=centre_val_de_loire)


@pytest.fixture
def ile_de_france(db):
    return factories.RegionFactory(insee_code="11", name="Île-de-France", slug="ile-de-france")


@pytest.fixture
def essonne(ile_de_france):
    return factories.DepartmentFactory(insee_code="91", name="Essonne", slug="essonne", region=ile_de_france)
