"""axe-core finds no violation on the home, browse, member, information and error pages, in both languages."""

import pytest

from tests import browse_data
from tests.browser.axe import describe_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "accueil": "/",
    "regions": "/regions/",
    "region": "/regions/centre-val-de-loire/",
    "region-vide": "/regions/corse/",
    "secteurs": "/secteurs/",
    "secteur": "/secteurs/agroalimentaire/",
    "programmes": "/programmes/",
    "programme": "/programmes/cosmeu/",
    "membres": "/membres/",
    "membres-recherche": "/membres/?q=martin",
    "membres-sans-resultat": "/membres/?q=zzzxqwv",
    "membre": "/membres/laboratoires-martin-000/",
    "a-propos": "/a-propos/",
    "mentions-legales": "/mentions-legales/",
    "donnees-personnelles": "/donnees-personnelles/",
    "accessibilite": "/accessibilite/",
}


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["fr", "en"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_axe_finds_no_violation(axe_page, live_server, path, prefix):
    browse_data.build()
    axe_page.assert_accessible(live_server.url + prefix + path, lang=prefix.strip("/") or "fr")


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["fr", "en"])
def test_axe_finds_no_violation_on_the_404_page(axe_page, live_server, prefix):
    response = axe_page.goto(live_server.url + prefix + "/nulle-part/")
    assert response.status == 404
    violations = axe_page.axe_violations()
    assert violations == [], describe_axe_violations(violations)


def test_axe_finds_no_violation_on_the_500_page(axe_page, live_server, settings):
    from django.template import loader

    axe_page.set_content(loader.get_template("500.html").render())
    violations = axe_page.axe_violations()
    assert violations == [], describe_axe_violations(violations)
