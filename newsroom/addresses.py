"""Addresses of named URLs with slug arguments, without a ``reverse()`` each.

A story page names some thirty addresses (its own, its section's, each
byline's, tag's, source's and related story's); ``reverse()`` walks the URL
patterns for every one. ``slug_url`` reverses a name once, with markers for
its arguments, and afterwards puts the slugs in the markers' places. That is
what ``reverse()`` would return whenever every argument is a slug
(``[-a-zA-Z0-9_]+``, what the ``slug`` converter accepts, none of it quoted);
anything else is handed to ``reverse()``, which quotes or refuses it as ever.

The pieces are kept per URLconf and script prefix (both can change per
request or thread), and forgotten when a test overrides ``ROOT_URLCONF``.
"""

import re
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")


@lru_cache(maxsize=512)
def _pieces(name, arguments, urlconf, prefix):
    """The literal parts of ``name``'s address around its ``arguments``, in
    order: ``(("/tags/", "slug"), …), tail``."""
    markers = {
        argument: f"qq-{number}-marker-qq" for number, argument in enumerate(arguments)
    }
    address = reverse(name, kwargs=markers, urlconf=urlconf)
    found = sorted(
        (address.index(marker), argument) for argument, marker in markers.items()
    )
    pieces, start = [], 0
    for position, argument in found:
        pieces.append((address[start:position], argument))
        start = position + len(markers[argument])
    return tuple(pieces), address[start:]


def slug_url(name, **slugs):
    """``reverse(name, kwargs=slugs)``, from a reversed template when every
    value is a slug."""
    if not slugs:
        pieces, tail = _pieces(name, (), get_urlconf(), get_script_prefix())
        return tail
    if not all(
        isinstance(value, str) and SLUG.match(value) for value in slugs.values()
    ):
        return reverse(name, kwargs=slugs)
    pieces, tail = _pieces(name, tuple(slugs), get_urlconf(), get_script_prefix())
    return (
        "".join(
            [
                part
                for literal, argument in pieces
                for part in (literal, slugs[argument])
            ]
        )
        + tail
    )


def slug_url_maker(name, *arguments):
    """``slug_url(name, **dict(zip(arguments, values)))`` as a function of
    the values, for a list of addresses of one name (the section menu, the
    related stories): the URLconf and script prefix are read once, when it is
    made, so make it where it is used (one render), not to keep."""
    urlconf, prefix = get_urlconf(), get_script_prefix()
    pieces, tail = _pieces(name, arguments, urlconf, prefix)
    places = [(literal, arguments.index(argument)) for literal, argument in pieces]

    def address(*values):
        for value in values:
            if not (isinstance(value, str) and SLUG.match(value)):
                return reverse(
                    name,
                    kwargs=dict(zip(arguments, values, strict=True)),
                    urlconf=urlconf,
                )
        return (
            "".join([f"{literal}{values[index]}" for literal, index in places]) + tail
        )

    return address


# The addresses every reader's page shows (masthead, feeds, footer).
SITE_NAMES = (
    "articles:index",
    "articles:search",
    "articles:latest_rss",
    "articles:latest_atom",
    "articles:corrections",
    "api:openapi-view",
)


def site_addresses():
    """``{name: slug_url(name)}`` for ``SITE_NAMES``, made once per URLconf
    and script prefix: ``base.html`` prints eight of them on every page."""
    return _site_addresses(get_urlconf(), get_script_prefix())


@lru_cache(maxsize=64)
def _site_addresses(urlconf, prefix):
    return {name: reverse(name, urlconf=urlconf) for name in SITE_NAMES}


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _pieces.cache_clear()
        _site_addresses.cache_clear()
