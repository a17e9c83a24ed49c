"""The stories' sitemaps (a sitemap of stories a month, the site's pages,
sections and authors) for the index ``newsroom.views`` writes at sitemap.xml,
and a Google News sitemap."""

import datetime
import re

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.db import connection
from django.db.models import CharField, Exists, Func, OuterRef, Subquery
from django.db.models.functions import Cast, TruncDate
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import get_language

from newsroom.validation import clean_text
from people.models import Journalist

from .models import LAST_UPDATED, Article, Section, newsroom_timezone
from .queries import attach_tags, bylined

# One address a month (2024-03, never 2024-3), in years a story may carry.
MONTH_SECTION = re.compile(r"stories-(?P<year>1[89]\d\d|2\d\d\d)-(?P<month>\d\d)")
NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 stories per sitemap


class StorySitemap(Sitemap):
    """The stories published in one calendar month (the newsroom's time zone),
    newest first: ``sitemap-stories-2024-03.xml``.

    The archive's size never reaches a sitemap: the index lists one sitemap a
    month (``story_months``), and each reads only its own month, from the
    published-stories index.
    """

    changefreq = "daily"
    limit = 50_000  # the protocol's most URLs a sitemap; ?p=2 beyond that

    def __init__(self, month=None):
        self.month = month

    def items(self):
        start, end = month_range(self.month)
        return (
            Article.objects.published()
            .filter(published_at__gte=start, published_at__lt=end)
            .select_related("section")
            .only("slug", "published_at", "revised_at", "section__slug")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return item.last_updated


def month_key(month):
    return f"stories-{month:%Y-%m}"


def month_range(month):
    """The first moment of ``month`` (a date) and of the month after, in the
    newsroom's time zone."""
    zone = newsroom_timezone()
    start = datetime.datetime.combine(month, datetime.time.min)
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    end = datetime.datetime.combine(following, datetime.time.min)
    return timezone.make_aware(start, zone), timezone.make_aware(end, zone)


def story_months():
    """{first day of the month: latest publication or revision in it}, for
    every month with published stories, newest first.

    Two short index probes a month, however many stories a month holds: the
    newest publication (``article_published_idx``) and the latest revision
    (``article_revised_idx``, which holds revised stories only). Nothing here
    counts stories.
    """
    published = Article.objects.published()
    first = published.order_by("published_at").values_list("published_at")[:1]
    if not first:
        return {}
    zone = newsroom_timezone()
    month = timezone.localtime(first[0][0], zone).date().replace(day=1)
    last = timezone.localtime(timezone.now(), zone).date().replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    # One query: a row of bounds a month, and for each two correlated probes
    # compiled once by the ORM (hundreds of separate subqueries cost more to
    # build and plan than to run).
    probes = [
        MonthProbe(published.order_by("-published_at").values_list("published_at")),
        MonthProbe(
            published.filter(revised_at__isnull=False)
            .order_by("-revised_at")
            .values_list("revised_at")
        ),
    ]
    adapt = connection.ops.adapt_datetimefield_value
    bounds, params = [], []
    for number, month in enumerate(months):
        start, end = month_range(month)
        bounds.append("(%s, %s, %s)")
        params += [number, adapt(start), adapt(end)]
    columns = []
    for probe in probes:
        columns.append(f"({probe.sql})")
        params += probe.params
    sql = (
        f"WITH bounds (number, start, finish) AS (VALUES {', '.join(bounds)}) "
        f"SELECT number, {', '.join(columns)} FROM bounds"
    )
    latest = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for number, *moments in cursor.fetchall():
            moments = [parse_moment(moment) for moment in moments if moment]
            if moments:
                latest[months[number]] = max(moments)
    return dict(sorted(latest.items(), reverse=True))


class MonthProbe:
    """A one-value query of ``queryset`` within the month of the row of
    ``bounds`` it is run for: the ORM's SQL, the month's bounds written in as
    ``bounds.start`` and ``bounds.finish``."""

    EARLY = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    LATE = datetime.datetime(2000, 2, 1, tzinfo=datetime.UTC)

    def __init__(self, queryset):
        def compiled(start, end):
            within = queryset.filter(published_at__gte=start, published_at__lt=end)
            return within[:1].query.sql_with_params()

        sql, params = compiled(self.EARLY, self.LATE)
        shifted = datetime.timedelta(days=1)
        start = differing(params, compiled(self.EARLY + shifted, self.LATE)[1])
        end = differing(params, compiled(self.EARLY, self.LATE + shifted)[1])
        pieces = sql.split("%s")
        assert len(pieces) == len(params) + 1
        written = [pieces[0]]
        for place, piece in enumerate(pieces[1:]):
            name = {start: "bounds.start", end: "bounds.finish"}.get(place, "%s")
            written += [name, piece]
        self.sql = "".join(written)
        self.params = [p for n, p in enumerate(params) if n not in (start, end)]


def differing(params, others):
    [place] = [n for n, (a, b) in enumerate(zip(params, others, strict=True)) if a != b]
    return place


def parse_moment(value):
    """A time read by a raw query: SQLite hands back text."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        """Sections with published stories, each with its latest story's time:
        one index probe a section (read once, though the index asks twice)."""
        if hasattr(self, "sections"):
            return self.sections
        latest = (
            Article.objects.published()
            .filter(section=OuterRef("pk"))
            .order_by("-published_at", "-id")
            .values("published_at")[:1]
        )
        self.sections = list(
            Section.objects.annotate(latest=Subquery(latest)).filter(
                latest__isnull=False
            )
        )
        return self.sections

    def lastmod(self, item):
        return item.latest


class AuthorSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        """Journalists with a published story: one probe a journalist into
        the author pages' index (``queries.bylined``)."""
        bylines = bylined(OuterRef("pk")).rows
        return Journalist.objects.filter(Exists(bylines)).order_by("slug")


class HomeSitemap(Sitemap):
    changefreq = "always"
    priority = 1.0

    def items(self):
        return ["articles:index", "articles:corrections"]

    def location(self, item):
        return reverse(item)


class NewsSitemap:
    """Stories published in the last two days, for Google News."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .select_related("section")
            .only("headline", "slug", "published_at", "revised_at", "section__slug")
            .order_by("-published_at", "-id")
        )


# Story sitemaps hold thousands of addresses: they are written here, a line an
# address, rather than through Django's sitemap template (a hundred times
# slower a URL), with the same elements and headers.
URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{namespaces}>\n'
)
NEWS_NAMESPACE = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def sitemap_page(request):
    """The ``?p=`` of a sitemap, from 1; anything else is not found."""
    try:
        number = int(request.GET.get("p", "1"))
    except ValueError:
        raise Http404("No such page of this sitemap.") from None
    if not 1 <= number <= 10_000:
        raise Http404("No such page of this sitemap.")
    return number


def page_of(queryset, request, limit):
    number = sitemap_page(request)
    rows = list(queryset[(number - 1) * limit : number * limit])
    if not rows and number > 1:
        raise Http404("This sitemap has no such page.")
    return rows


def urlset_response(request, entries, *, news=False, lines=()):
    """The XML of ``entries`` ((url line, lastmod) pairs) or of ``lines``, with
    ``Last-Modified`` of the latest entry."""
    written = [URLSET.format(namespaces=NEWS_NAMESPACE if news else ""), *lines]
    latest = None
    for line, lastmod in entries:
        written.append(line)
        latest = lastmod if latest is None or lastmod > latest else latest
    written.append("</urlset>\n")
    response = HttpResponse("".join(written), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


def site_root(request):
    return f"{request.scheme}://{get_current_site(request).domain}"


def month_urlset(request, month):
    """``sitemap-stories-2024-03.xml``: a month's stories, ``StorySitemap.limit``
    a page.

    A month holds thousands of addresses (7,500 at 250 stories a day), so the
    cost of one is what counts: the database hands back each story's section
    and slug and its lastmod already as the local date's text, no time is
    made into a Python datetime, and an address is escaped only if it has a
    character that needs it (slugs never do)."""
    zone = timezone.get_current_timezone()
    changed = LAST_UPDATED
    rows = page_of(
        StorySitemap(month)
        .items()
        .values_list(
            "section__slug",
            "slug",
            DayText(TruncDate(changed, tzinfo=zone)),
        ),
        request,
        StorySitemap.limit,
    )
    root, address = site_root(request), Article.address_maker()
    tail = f"</lastmod><changefreq>{StorySitemap.changefreq}</changefreq></url>\n"
    lines = []
    for section, slug, day in rows:
        location = root + address(section, slug)
        if needs_escaping(location):
            location = escape(location)
        lines.append(f"<url><loc>{location}</loc><lastmod>{day}{tail}")
    # No Last-Modified of its own: the page cache gives every page the time it
    # was made, and answers conditional requests by it (newsroom/page_cache.py).
    return urlset_response(request, [], lines=lines)


class DayText(Func):
    """A date as ``YYYY-MM-DD`` text, written by the database: a month's
    sitemap reads thousands, and Django turning each into a ``date`` cost
    more than the query."""

    template = "to_char(%(expressions)s, 'YYYY-MM-DD')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(Cast(self.get_source_expressions()[0], CharField()))


# What ``escape`` would change in an address.
needs_escaping = re.compile(r"[&<>\"']").search


def news_urlset(request):
    """``sitemap-news.xml``: the last two days, with title and keywords."""
    stories = attach_tags(page_of(NewsSitemap().items(), request, NewsSitemap.limit))
    root, address = site_root(request), Article.address_maker()
    zone = timezone.get_current_timezone()
    publication = (
        f"<news:publication><news:name>{escape(settings.NEWSROOM_NAME)}</news:name>"
        f"<news:language>{escape(get_language()[:2])}</news:language>"
        "</news:publication>"
    )

    def entries():
        for story in stories:
            lastmod = story.last_updated
            title = clean_text(story.headline, single_line=True)
            keywords = ", ".join(
                clean_text(tag.name, single_line=True) for tag in story.tag_list
            )
            if keywords:
                keywords = f"<news:keywords>{escape(keywords)}</news:keywords>"
            published = story.published_at.astimezone(zone).isoformat()
            yield (
                f"<url><loc>{escape(root + address(story.section.slug, story.slug))}"
                f"</loc><lastmod>{lastmod.astimezone(zone).isoformat()}</lastmod>"
                f"<news:news>{publication}<news:publication_date>{published}"
                f"</news:publication_date><news:title>{escape(title)}</news:title>"
                f"{keywords}</news:news></url>\n",
                lastmod,
            )

    return urlset_response(request, entries(), news=True)


SITEMAPS = {
    "pages": HomeSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
}


def index_entries(request):
    """The stories' part of ``sitemap.xml`` (written by ``newsroom.views``):
    (absolute address, lastmod or None) of the site's pages, sections and
    authors (each page of them, ``?p=2``), then a sitemap of stories a month,
    newest first, each with its lastmod."""
    root = site_root(request)
    marker = "stories-0000-00"
    before, after = reverse(
        "articles:sitemap_section", kwargs={"section": marker}
    ).split(marker)
    entries = []
    for name, sitemap in SITEMAPS.items():
        sitemap = sitemap()
        location = f"{root}{before}{name}{after}"
        lastmod = sitemap.get_latest_lastmod()
        entries.append((location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append((f"{location}?p={page}", lastmod))
    for month, lastmod in story_months().items():
        entries.append((f"{root}{before}{month_key(month)}{after}", lastmod))
    return entries


def sitemap_month(section):
    """The month (its first day) of ``sitemap-stories-2024-03.xml``, or None."""
    match = MONTH_SECTION.fullmatch(section)
    if not match or not 1 <= int(match["month"]) <= 12:
        return None
    month = datetime.date(int(match["year"]), int(match["month"]), 1)
    return month
