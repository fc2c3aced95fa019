"""directory/links.py: page addresses reversed once per language, the same as reverse()."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from directory.links import page_url, page_urls


@pytest.mark.parametrize("language", ["fr", "en"])
def test_page_url_is_what_reverse_gives_in_the_active_language(language):
    with translation.override(language):
        assert page_url("directory:cluster_detail", "cosmetic-valley") == reverse(
            "directory:cluster_detail", kwargs={"slug": "cosmetic-valley"}
        )
        assert page_url("directory:member_detail", "SLUG-2") == reverse(
            "directory:member_detail", kwargs={"slug": "SLUG-2"}
        )
        assert page_url("directory:map") == reverse("directory:map")
        assert page_urls("directory", ("home", "about")) == {
            "home": reverse("directory:home"),
            "about": reverse("directory:about"),
        }


def test_an_empty_slug_fails_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        page_url("directory:cluster_detail", "")


def test_the_script_prefix_is_honoured():
    set_script_prefix("/annuaire/")
    try:
        assert page_url("directory:cluster_detail", "x") == "/annuaire/clusters/x/"
    finally:
        set_script_prefix("/")


def test_page_url_in_another_language_than_the_active_one():
    with translation.override("fr"):
        assert page_url("directory:cluster_detail", "x", language="en") == "/en/clusters/x/"
        assert page_url("directory:map", language="en") == "/en/carte/"
        assert page_url("directory:map") == "/carte/"
    with translation.override("en"):
        assert page_url("directory:cluster_detail", "x", language="fr") == "/clusters/x/"
