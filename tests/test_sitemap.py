"""The sitemap index, its paginated sections in both languages, and robots.txt (directory/sitemaps.py, views/seo.py)."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import sitemaps
from tests import browse_data

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def world(db):
    return browse_data.build()


def xml_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def section_urls(client):
    index = xml_of(client, "/sitemap.xml")
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]


def all_locations(client):
    locations = []
    for url in section_urls(client):
        urlset = xml_of(client, url.removeprefix("http://testserver"))
        locations += [loc.text.removeprefix("http://testserver") for loc in urlset.findall("sm:url/sm:loc", NS)]
    return locations


def test_sitemap_is_an_index_of_sections(client, world):
    assert section_urls(client) == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ["pages", "clusters", "regions", "secteurs", "programmes", "membres"]
    ]


def test_every_public_page_is_listed_in_both_languages(client, world):
    locations = all_locations(client)
    for path in [
        "/",
        "/clusters/",
        "/carte/",
        "/regions/",
        "/secteurs/",
        "/programmes/",
        "/membres/",
        "/a-propos/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/accessibilite/",
        "/clusters/cluster-publie-000/",
        "/clusters/cluster-francilien/",
        "/regions/centre-val-de-loire/",
        "/secteurs/cosmetique/",
        "/programmes/cosmeu/",
        "/membres/laboratoires-martin-000/",
    ]:
        assert path in locations
        assert "/en" + path in locations
    assert len(locations) == len(set(locations))


def test_each_url_names_its_alternates(client, world):
    urlset = xml_of(client, "/sitemap-clusters.xml")
    entry = next(
        url for url in urlset.findall("sm:url", NS) if url.find("sm:loc", NS).text.endswith("/en/clusters/cluster-francilien/")
    )
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("xhtml:link", NS)}
    assert alternates == {
        "fr": "http://testserver/clusters/cluster-francilien/",
        "en": "http://testserver/en/clusters/cluster-francilien/",
        "x-default": "http://testserver/clusters/cluster-francilien/",
    }
    assert entry.find("sm:lastmod", NS) is not None


def test_no_draft_archive_or_unnamed_organisation_in_the_sitemap(client, world):
    text = " ".join(all_locations(client))
    for hidden in ["brouillon-secret", "ancien-cluster-archive", "jeanne-dupont-ei", "membre-du-brouillon"]:
        assert hidden not in text


def test_sections_split_into_pages_of_the_limit(client, world, monkeypatch):
    monkeypatch.setattr(sitemaps.ClusterSitemap, "limit", 3)
    urls = section_urls(client)
    # 4 published clusters × 2 languages = 8 URLs: pages of 3, 3 and 2.
    assert [url for url in urls if "clusters" in url] == [
        "http://testserver/sitemap-clusters.xml",
        "http://testserver/sitemap-clusters.xml?p=2",
        "http://testserver/sitemap-clusters.xml?p=3",
    ]
    sizes = [len(xml_of(client, f"/sitemap-clusters.xml?p={n}").findall("sm:url", NS)) for n in (1, 2, 3)]
    assert sizes == [3, 3, 2]
    assert client.get("/sitemap-clusters.xml?p=4").status_code == 404
    assert client.get("/sitemap-clusters.xml?p=abc").status_code == 404


def test_the_limit_stays_within_the_protocol(db):
    for sitemap in sitemaps.SITEMAPS.values():
        assert sitemap.limit <= 50_000


def test_unknown_section_is_a_404(client, world):
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap_and_keeps_robots_out_of_the_admin(client, db):
    response = client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /en/admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not any(re.match(r"Disallow: /$", line) for line in lines)


def test_a_section_page_fetches_only_its_slice(client, world, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(sitemaps.ClusterSitemap, "limit", 3)
    with CaptureQueriesContext(connection) as queries:
        client.get("/sitemap-clusters.xml?p=2")
    cluster_queries = [query["sql"] for query in queries if 'FROM "directory_cluster"' in query["sql"]]
    # One count for the paginator, one slice of the clusters of entries 4 to 6 (clusters 2 and 3).
    assert len(cluster_queries) == 2
    assert "LIMIT 2 OFFSET 1" in cluster_queries[1]


def test_language_pairs_slice_like_the_full_list(world):
    from directory.models import Cluster

    queryset = Cluster.objects.published().order_by("pk")
    pairs = sitemaps.LanguagePairs(queryset, ["fr", "en"])
    full = [(cluster, code) for cluster in queryset for code in ("fr", "en")]
    assert len(pairs) == len(full) == 8
    for start in range(9):
        for stop in range(start, 10):
            assert pairs[start:stop] == full[start:stop]
