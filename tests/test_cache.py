"""The public page cache (directory/caching.py): fresh after any write, per htmx kind, per nonce."""

import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from django.utils.html import format_html

from directory.caching import bump_site_version, current_version
from directory.models import Cluster, Status
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, SectorFactory

NONCE = re.compile(r'nonce="([^"]+)"')


def nonced_page(request):
    """A public page with a nonced script, whatever the site's own templates do with nonces."""
    script = format_html('<script nonce="{}" src="/s.js"></script>', request.csp_nonce)
    return HttpResponse(format_html("<!doctype html><title>Essai</title>{}<p>{}</p>{}", script, "Pôles " * 80, script))


# Used by the tests marked `urls`: the cache serves only the `directory` namespace.
urlpatterns = [path("essai/", include(([path("nonce/", nonced_page)], "directory")))]


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


@pytest.mark.urls("tests.test_cache")
def test_a_cached_page_carries_its_own_nonce(visitor, db):
    answers = [visitor.get("/essai/nonce/") for _ in range(3)]
    nonces = []
    for answer in answers:
        in_page = set(NONCE.findall(answer.content.decode()))
        assert len(in_page) == 1, "the test page's two scripts share the answer's nonce"
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
    # The view ran: it read the cluster (its page costs two queries, a cached one none of these).
    assert any('FROM "directory_cluster"' in query["sql"] for query in queries)


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


def _nonces(response):
    import gzip

    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    html = body.decode()
    in_page = set(NONCE.findall(html))
    assert len(in_page) == 1
    nonce = in_page.pop()
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert int(response["Content-Length"]) == len(response.content)
    return nonce, NONCE.sub("", html)


@pytest.mark.urls("tests.test_cache")
@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_page_with_nonces_is_answered_compressed_with_a_fresh_nonce(visitor, db, encoding, monkeypatch):
    import django.middleware.gzip

    first = visitor.get("/essai/nonce/", headers={"Accept-Encoding": encoding})
    first_nonce, page = _nonces(first)

    def no_gzip_at_a_hit(*args, **kwargs):
        raise AssertionError("gzip at a hit")

    monkeypatch.setattr(django.middleware.gzip, "compress_string", no_gzip_at_a_hit)
    monkeypatch.setattr("directory.caching._deflate", no_gzip_at_a_hit)
    nonces = {first_nonce}
    for _ in range(3):
        answer = visitor.get("/essai/nonce/", headers={"Accept-Encoding": encoding})
        assert (answer.get("Content-Encoding") == "gzip") == (encoding == "gzip")
        assert "Accept-Encoding" in answer["Vary"] and "HX-Request" in answer["Vary"]
        nonce, same_page = _nonces(answer)
        assert same_page == page
        nonces.add(nonce)
    assert len(nonces) == 4


def test_a_hit_does_not_resolve_the_url_again(visitor, cluster, monkeypatch):
    visitor.get("/clusters/")

    def no_resolve(*args, **kwargs):
        raise AssertionError("resolve() at a hit")

    monkeypatch.setattr("directory.caching.resolve", no_resolve)
    assert "Cosmetic Valley" in visitor.get("/clusters/").content.decode()


@pytest.fixture
def health_checks(transactional_db, monkeypatch):
    """CONN_HEALTH_CHECKS on, and the connection reused by a new request (what request_started does)."""
    from django.db import connections

    wrapper = connections["default"]
    wrapper.ensure_connection()
    checks = []
    monkeypatch.setattr(wrapper, "health_check_enabled", True, raising=False)
    monkeypatch.setattr(wrapper, "is_usable", lambda: checks.append(True) or True, raising=False)
    wrapper.health_check_done = False
    yield wrapper, checks
    wrapper.health_check_done = True


def test_the_version_read_is_the_connection_health_check(health_checks):
    """A hit makes one round trip, not "SELECT 1" and then the version."""
    wrapper, checks = health_checks
    bump_site_version()  # checked first, as any other query
    checks.clear()
    wrapper.health_check_done = False
    assert current_version() == 1
    assert checks == [] and wrapper.health_check_done


def test_a_connection_that_died_idle_is_reopened_for_the_version(health_checks):
    wrapper, checks = health_checks
    if wrapper.vendor == "sqlite":
        pytest.skip("closing an in-memory SQLite database loses it")
    bump_site_version()
    wrapper.health_check_done = False
    wrapper.connection.close()
    assert current_version() == 1
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
