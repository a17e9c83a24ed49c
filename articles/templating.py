"""What the reader's templates call beyond their context: the story's
structured data and social tags, its dateline, bylines' sources, times, the
section menu and slug addresses.

The reader's pages are Jinja2 templates (``templates/jinja2/``);
``newsroom/jinja2.py`` exposes these functions to them as globals and filters,
once, by the names below.
"""

import datetime
import functools
import html
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.dateformat import DateFormat
from django.utils.dates import MONTHS
from django.utils.formats import FORMAT_SETTINGS, date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from articles import structured_data
from articles.models import Section
from newsroom.addresses import slug_url, slug_url_maker


def with_dateline(body, dateline):
    """The (already sanitized) body with the dateline opening its first paragraph."""
    if not dateline:
        return mark_safe(body)
    opening = format_html('<span class="dateline">{} —</span> ', dateline)
    if body.startswith("<p>"):
        return mark_safe(f"<p>{opening}{body[3:]}")
    return mark_safe(f"<p>{opening}</p>{body}")


# JSON inside <script>: escape the characters that could close the element or
# open a comment, as Django's json_script does.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data, *, nonce=""):
    """A ``<script type="application/ld+json">`` element holding ``data``.

    ``nonce`` is the request's Content-Security-Policy nonce, so that the
    element is one the policy allows.
    """
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json"{}>{}</script>',
        format_html(' nonce="{}"', nonce) if nonce else "",
        mark_safe(payload.translate(_JSON_SCRIPT_ESCAPES)),
    )


def story_json_ld(request, article):
    """The story's schema.org NewsArticle as JSON-LD."""
    # django-csp's lazy nonce is falsy until read; str() reads it.
    nonce = getattr(request, "csp_nonce", None)
    return json_ld_script(
        structured_data.news_article(request, article),
        nonce="" if nonce is None else str(nonce),
    )


def story_social_meta(request, article):
    """Open Graph and Twitter card ``<meta>`` tags for the story."""
    rows = structured_data.social_meta(request, article)
    # What format_html_join would give, without its per-value lazy checks
    # (some twenty rows on every story page); the attribute names and keys
    # are the code's own words (``og:title``), escaped once each.
    return mark_safe(
        "\n    ".join(
            f'<meta {_word(attr)}="{_word(key)}" content="{_escaped(value)}">'
            for attr, key, value in rows
        )
    )


@functools.lru_cache(maxsize=128)
def _word(name):
    return _escaped(name)


def story_page_title(article):
    """The story page's <title> (``structured_data.page_title``)."""
    return structured_data.page_title(article)


def _escaped(value):
    """``conditional_escape`` for plain values: already-safe HTML stays as it is."""
    if type(value) is str:  # most values: no failed ``__html__`` look-up
        return html.escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def canonical_url(request, article):
    return structured_data.canonical_url(request, article)


def section_nav(context):
    """The menu's sections and the slug of the one the page belongs to, from
    the page's context (a view that has read the sections already passes them
    as ``site_sections``)."""
    current = context.get("section") or getattr(context.get("article"), "section", None)
    sections = context.get("site_sections")
    return (
        Section.objects.all() if sections is None else sections,
        getattr(current, "slug", None),
    )


def quoted_on_record(article):
    """On-record sources quoted in the story, once each, in order of first quote.

    Anonymous sources are left out: their names never reach readers.
    """
    return article.quoted_sources(on_record_only=True)


def published_time(article):
    """When the story was published, as a ``<time>`` element: the day alone
    for a story dated to the day, else the day and time (newsroom's zone)."""
    if article.published_date_only:
        attribute, shown = formatted(article.published_on, "Y-m-d", "j F Y")
    else:
        moment = template_localtime(article.published_at)
        attribute, shown = formatted(moment, "c", "j F Y, H:i")
    return format_html('<time datetime="{}">{}</time>', attribute, shown)


def formatted(value, *patterns):
    """``date_format(value, pattern)`` for each of ``patterns``, written-out
    formats such as ``"j F Y"``: for those ``date_format`` is
    ``dateformat.format`` once it has looked for a format setting of that
    name in every format module of the language (a search Django does not
    cache when it finds nothing). Here the search is skipped; the patterns
    the pages use are put together directly (``_compiled``), any other by one
    Django formatter."""
    if any(pattern in FORMAT_SETTINGS for pattern in patterns):
        return [date_format(value, pattern) for pattern in patterns]
    pieces = [_compiled(pattern) for pattern in patterns]
    if None in pieces or (
        not isinstance(value, datetime.datetime)
        and any(code in _TIME_CODES for parts in pieces for code in parts)
    ):
        formatter = DateFormat(value)
        return [formatter.format(pattern) for pattern in patterns]
    return [
        "".join([_CODES[part](value) if part in _CODES else part[1:] for part in parts])
        for parts in pieces
    ]


# The format characters the pages use, as ``DateFormat`` writes them
# (``django.utils.dateformat``: “j” the day, “F” the month's name in the
# active language, …); a pattern with any other one goes to ``DateFormat``.
_CODES = {
    "j": lambda value: str(value.day),
    "d": lambda value: f"{value.day:02d}",
    "m": lambda value: f"{value.month:02d}",
    "F": lambda value: str(MONTHS[value.month]),
    "Y": lambda value: f"{value.year:04d}",
    "H": lambda value: f"{value.hour:02d}",
    "i": lambda value: f"{value.minute:02d}",
    "c": lambda value: value.isoformat(),
}
_TIME_CODES = frozenset("Hi")
_FORMAT_CHARACTERS = frozenset("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ")


@functools.lru_cache(maxsize=64)
def _compiled(pattern):
    """``pattern`` as a tuple of codes (a key of ``_CODES``) and literals
    (marked with a leading “'”), or None if ``DateFormat`` must read it."""
    if not isinstance(pattern, str) or "\\" in pattern:
        return None
    parts = []
    for character in pattern:
        if character in _CODES:
            parts.append(character)
        elif character in _FORMAT_CHARACTERS:
            return None
        else:
            parts.append("'" + character)
    return tuple(parts)


def local_date(value, pattern=None):
    """The ``|date`` filter: ``value`` in the newsroom's time zone, formatted
    as Django's filter formats it (empty for no value)."""
    if value in (None, ""):
        return ""
    value = template_localtime(value)
    if pattern is None:
        return date_format(value)
    try:
        return formatted(value, pattern)[0]
    except AttributeError:  # not a date, as Django's filter has it
        return ""


def address(name, **slugs):
    """``url()`` for a name whose arguments are slugs, given by keyword,
    from one reversed template (``newsroom.addresses.slug_url``)."""
    return slug_url(name, **slugs)


def address_maker(name, *arguments):
    """``address(name, …)`` as a function of the slugs in the order of
    ``arguments``, for a list (``newsroom.addresses.slug_url_maker``)."""
    return slug_url_maker(name, *arguments)
