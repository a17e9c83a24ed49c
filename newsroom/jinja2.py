"""The Jinja2 environment of the reader's pages (``templates/jinja2/``).

Django's own engine renders the admin; the reader's pages are Jinja2 for
speed (README, "Templates"). Their output is what Django's templates gave:
every value is escaped by Django's ``escape`` (``&#x27;`` and ``&quot;``, not
markupsafe's ``&#39;`` and ``&#34;``), dates and numbers go through Django's
own filters in the newsroom's time zone, and a missing variable renders
empty, whether DEBUG is on or off.
"""

import datetime
import html

from django.conf import settings
from django.template import defaultfilters
from django.template.defaulttags import querystring as _querystring
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import Environment, Undefined, pass_context
from markupsafe import Markup

from articles import templating
from newsroom.addresses import site_addresses


def environment(**options):
    options.update(
        autoescape=True,
        undefined=Undefined,
        finalize=_escaped,
        keep_trailing_newline=True,
    )
    env = _Environment(**options)
    env.globals.update(
        static=static,
        url=url,
        now=now,
        querystring=querystring,
        address=templating.address,
        address_maker=templating.address_maker,
        site_addresses=site_addresses,
        canonical_url=templating.canonical_url,
        published_time=templating.published_time,
        section_nav=pass_context(templating.section_nav),
        story_json_ld=templating.story_json_ld,
        story_social_meta=templating.story_social_meta,
        story_page_title=templating.story_page_title,
    )
    env.filters.update(
        date=templating.local_date,
        capfirst=defaultfilters.capfirst,
        floatformat=defaultfilters.floatformat,
        pluralize=defaultfilters.pluralize,
        quoted_on_record=templating.quoted_on_record,
        with_dateline=templating.with_dateline,
    )
    return env


class _Environment(Environment):
    def make_globals(self, d):
        """A template's globals as one dict, not Jinja2's ``ChainMap`` over
        the environment's: every render and include copies them, and a
        ``ChainMap`` is copied key by key in Python. The environment's
        globals are all set above, before any template is loaded."""
        return {**self.globals, **(d or {})}


def _escaped(value):
    """Django's ``conditional_escape``, as markup Jinja2 leaves alone.

    Jinja2 hands what this returns to markupsafe's ``escape``, which escapes
    ``&``, ``<`` and ``>`` as Django does and quotes differently (``&#34;``,
    ``&#39;``): text without quotes is left to it (one escape, in C, instead
    of two and a ``Markup`` more), text with quotes is escaped here."""
    if type(value) is str:  # most values: no failed ``__html__`` look-up
        text = value
    elif hasattr(value, "__html__"):
        return value
    else:
        text = str(value)
    if '"' in text or "'" in text:
        return Markup(html.escape(text))
    return text


def url(name, *args, **kwargs):
    """``{% url %}``: the path of the view ``name``."""
    return reverse(name, args=args, kwargs=kwargs)


def now(format):
    """``{% now %}``."""
    tz = timezone.get_current_timezone() if settings.USE_TZ else None
    return templating.local_date(datetime.datetime.now(tz=tz), format)


def querystring(request, **changes):
    """``{% querystring %}``: the request's query with ``changes`` (None
    removes a parameter)."""
    return _querystring(None, request.GET, **changes)
