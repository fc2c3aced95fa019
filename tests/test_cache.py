"""The public page cache (directory/caching.py): fresh after any write, per htmx kind, per nonce."""

import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client

from directory.caching import bump_site_version, current_version
from directory.models import Cluster, Status
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, SectorFactory

NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def visitor():
    return Client()


@pytest.fixture
def cluster(db, eure_et_loir):
    return ClusterFactory(
        name="Cosmetic Valley",
        department=eure_et_loir,
        latitude=Decimal("48.44"),
        longitude=Decimal("1.49"),
        sectors=[SectorFactory(name="Cosmétique")],
    )


def test_a_second_visit_is_served_from_the_cache(visitor, cluster, django_assert_max_num_queries):
    first = visitor.get(cluster.get_absolute_url())
    assert first.status_code == 200
    with django_assert_max_num_queries(1):  # the data version, nothing else
        second = visitor.get(cluster.get_absolute_url())
    assert second.status_code == 200
    assert NONCE.sub("", second.content.decode()) == NONCE.sub("", first.content.decode())


def test_a_saved_change_shows_at_once(visitor, cluster):
    assert "Cosmetic Valley" in visitor.get("/clusters/").content.decode()
    cluster.name = "Vallée cosmétique renommée"
    cluster.save()
    assert "Vallée cosmétique renommée" in visitor.get("/clusters/").content.decode()
    MembershipFactory(cluster=cluster, organisation=OrganisationFactory(name="Parfums nouveaux"))
    assert "Parfums nouveaux" in visitor.get(cluster.get_absolute_url()).content.decode()


def test_an_admin_action_shows_at_once(visitor, staff_user, cluster):
    assert visitor.get(cluster.get_absolute_url()).status_code == 200
    assert "Cosmetic Valley" in visitor.get("/clusters/").content.decode()
    staff = Client()
    staff.force_login(staff_user)
    # The archive action writes with QuerySet.update(): no model signal.
    response = staff.post(
        "/admin/directory/cluster/", {"action": "archive", "_selected_action": [cluster.pk]}, follow=True
    )
    assert response.status_code == 200
    assert Cluster.objects.get(pk=cluster.pk).status == Status.ARCHIVED
    assert "Cosmetic Valley" not in visitor.get("/clusters/").content.decode()
    assert "Cluster archivé" in visitor.get(cluster.get_absolute_url()).content.decode()


def test_a_bulk_change_shows_at_once(visitor, cluster):
    assert "Cosmetic Valley" in visitor.get("/clusters/").content.decode()
    Cluster.objects.filter(pk=cluster.pk).update(name="Renommé en masse")
    Cluster.objects.filter(pk=cluster.pk).refresh_search_text()  # what every bulk writer calls
    assert "Renommé en masse" in visitor.get("/clusters/").content.decode()


def test_a_seed_load_shows_at_once(visitor, db):
    before = visitor.get("/clusters/", {"q": "Cosmetic Valley"}).content.decode()
    assert "Chartres" not in before
    call_command("load_seed_data", verbosity=0)
    after = visitor.get("/clusters/", {"q": "Cosmetic Valley"}).content.decode()
    assert "Chartres" in after


def test_whatever_worker_answers_it_is_fresh(visitor, cluster):
    """Another worker's write reaches this one through the version stored in the database."""
    visitor.get("/clusters/")
    version = current_version()
    # Another process renames the cluster with raw SQL (no signal here) and bumps the version.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE directory_cluster SET name = %s WHERE id = %s", ["Écrit ailleurs", cluster.pk])
    Cluster.objects.filter(pk=cluster.pk).refresh_search_text()
    assert current_version() > version
    assert "Écrit ailleurs" in visitor.get("/clusters/").content.decode()
    bump_site_version()
    assert current_version() > version + 1


def test_a_fragment_is_never_served_as_a_page_nor_the_reverse(visitor, cluster):
    fragment = visitor.get("/clusters/", headers={"HX-Request": "true"})
    page = visitor.get("/clusters/")
    assert "<html" not in fragment.content.decode()
    assert "<html" in page.content.decode()
    # And in the other order, both from the cache now.
    assert "<html" not in visitor.get("/clusters/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" in visitor.get("/clusters/").content.decode()
    assert "HX-Request" in page["Vary"]


def test_a_cached_page_carries_its_own_nonce(visitor, cluster):
    answers = [visitor.get(cluster.get_absolute_url()) for _ in range(3)]
    nonces = []
    for answer in answers:
        in_page = set(NONCE.findall(answer.content.decode()))
        assert len(in_page) == 1, "the cluster page has its nonced map script"
        nonce = in_page.pop()
        assert f"'nonce-{nonce}'" in answer["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_staff_sessions_and_errors_are_not_cached(visitor, staff_user, cluster):
    draft = ClusterFactory(name="Brouillon secret", status=Status.DRAFT)
    staff = Client()
    staff.force_login(staff_user)
    assert staff.get(draft.get_absolute_url()).status_code == 200  # the staff preview
    assert visitor.get(draft.get_absolute_url()).status_code == 404
    assert visitor.get("/clusters/n-existe-pas/").status_code == 404
    ClusterFactory(name="N’existe pas", slug="n-existe-pas")
    assert visitor.get("/clusters/n-existe-pas/").status_code == 200


def test_the_cache_can_be_turned_off(visitor, cluster, settings):
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE = False
    visitor.get(cluster.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        visitor.get(cluster.get_absolute_url())
    assert len(queries) > 3


def test_a_cached_page_without_nonce_is_served_compressed_once(visitor, cluster):
    import gzip

    plain = visitor.get("/clusters/")
    cached = visitor.get("/clusters/", headers={"Accept-Encoding": "gzip"})
    assert cached["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in cached["Vary"]
    assert gzip.decompress(cached.content) == plain.content
    assert "Content-Encoding" not in visitor.get("/clusters/")


def test_each_language_has_its_own_entry(visitor, cluster, django_assert_max_num_queries):
    french = visitor.get("/clusters/")
    english = visitor.get("/en/clusters/")
    with django_assert_max_num_queries(1):
        english_again = visitor.get("/en/clusters/")
    assert english_again.content == english.content
    assert french.content != english.content
    assert 'lang="en"' in english_again.content.decode()
    assert 'lang="fr"' in visitor.get("/clusters/").content.decode()


def _version_updates(queries):
    return [query for query in queries.captured_queries if query["sql"].startswith('UPDATE "directory_siteversion"')]


@pytest.fixture
def members(cluster):
    return [MembershipFactory(cluster=cluster).organisation for _ in range(12)]


def test_a_bulk_delete_in_a_transaction_bumps_the_version_once(visitor, cluster, members):
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from directory.models import Organisation

    assert members[0].name in visitor.get(cluster.get_absolute_url()).content.decode()
    before = current_version()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        # 12 organisations and their 12 memberships: one post_delete signal per row.
        assert Organisation.objects.filter(pk__in=[organisation.pk for organisation in members]).delete()[0] == 24
    assert len(_version_updates(queries)) == 1
    assert current_version() == before + 1
    assert members[0].name not in visitor.get(cluster.get_absolute_url()).content.decode()


def test_a_write_after_a_version_read_bumps_again(visitor, cluster):
    """Pytest wraps each test in a transaction that never commits: a page read in between must see each write."""
    from django.test.utils import CaptureQueriesContext

    visitor.get("/clusters/")
    with CaptureQueriesContext(connection) as queries:
        for name in ("Premier nom", "Second nom"):
            cluster.name = name
            cluster.save()
            assert name in visitor.get("/clusters/").content.decode()
    assert len(_version_updates(queries)) == 2


def test_a_bump_rolled_back_with_its_savepoint_is_made_again(cluster):
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    before = current_version()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        try:
            with transaction.atomic():
                cluster.name = "Annulé"
                cluster.save()
                raise RuntimeError
        except RuntimeError:
            pass
        SectorFactory(name="Ajouté après l’annulation")
    assert len(_version_updates(queries)) == 2
    assert current_version() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_committed_bulk_delete_shows_at_once_with_one_bump(visitor, eure_et_loir):
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from directory.models import Organisation

    cluster = ClusterFactory(name="Cosmetic Valley", department=eure_et_loir)
    names = [MembershipFactory(cluster=cluster).organisation.name for _ in range(12)]
    assert names[0] in visitor.get(cluster.get_absolute_url()).content.decode()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        Organisation.objects.filter(name__in=names).delete()
    assert len(_version_updates(queries)) == 1
    assert names[0] not in visitor.get(cluster.get_absolute_url()).content.decode()
    # Outside a transaction, each write bumps at once.
    with CaptureQueriesContext(connection) as queries:
        cluster.name = "Vallée renommée"
        cluster.save()
        SectorFactory()
    assert len(_version_updates(queries)) >= 2
    assert "Vallée renommée" in visitor.get("/clusters/").content.decode()
