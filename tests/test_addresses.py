"""Addresses made from a reversed template (``newsroom.addresses.slug_url``)
are the ones ``reverse()`` makes, whatever the slug, prefix or URLconf."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from newsroom.addresses import slug_url


@pytest.mark.parametrize(
    ("name", "slugs"),
    [
        ("articles:detail", {"section": "world", "slug": "river-rises_2"}),
        ("articles:section", {"section": "business"}),
        ("articles:tag", {"slug": "flood-defences"}),
        ("people:journalist", {"slug": "mara-quint"}),
    ],
)
def test_slug_urls_are_what_reverse_gives(name, slugs):
    assert slug_url(name, **slugs) == reverse(name, kwargs=slugs)


def test_a_slug_url_follows_the_script_prefix():
    assert slug_url("articles:tag", slug="ferries") == "/tags/ferries/"
    set_script_prefix("/news/")
    try:
        assert slug_url("articles:tag", slug="ferries") == "/news/tags/ferries/"
    finally:
        set_script_prefix("/")
    assert slug_url("articles:tag", slug="ferries") == "/tags/ferries/"


def test_what_is_not_a_slug_goes_to_reverse():
    with pytest.raises(NoReverseMatch):
        slug_url("articles:tag", slug="two words")
    with pytest.raises(NoReverseMatch):
        slug_url("articles:detail", section="world", slug="a/b")


@override_settings(ROOT_URLCONF="tests.urls_moved")
def test_a_new_urlconf_is_followed():
    assert slug_url("articles:tag", slug="ferries") == "/moved/tags/ferries/"
