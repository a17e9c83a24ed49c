"""Addresses made from a reversed template (``newsroom.addresses.slug_url``)
are the ones ``reverse()`` makes, whatever the slug, prefix or URLconf."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from newsroom.addresses import site_addresses, slug_url, slug_url_maker


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


def test_an_address_maker_gives_what_reverse_gives():
    story = slug_url_maker("articles:detail", "section", "slug")
    assert story("world", "river-rises_2") == reverse(
        "articles:detail", kwargs={"section": "world", "slug": "river-rises_2"}
    )
    with pytest.raises(NoReverseMatch):
        story("world", "a/b")
    set_script_prefix("/news/")
    try:
        section = slug_url_maker("articles:section", "section")
        assert section("business") == "/news/business/"
    finally:
        set_script_prefix("/")


def test_the_pages_own_addresses_follow_the_prefix_and_urlconf():
    assert site_addresses()["articles:corrections"] == reverse("articles:corrections")
    set_script_prefix("/news/")
    try:
        assert site_addresses()["articles:index"] == "/news/"
    finally:
        set_script_prefix("/")
