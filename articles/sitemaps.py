"""sitemap.xml (an index of paginated sitemaps) and a Google News sitemap."""

import datetime
import re
from types import SimpleNamespace

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, IntegerField, OuterRef, Subquery, Value
from django.urls import reverse
from django.utils import timezone

from newsroom.validation import clean_text
from people.models import Journalist

from .models import Article, Section, newsroom_timezone
from .queries import rows_of

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

    def __init__(self, month=None, lastmod=None):
        self.month = month
        self.month_lastmod = lastmod

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
        return item.revised_at or item.published_at

    def get_latest_lastmod(self):
        """For the index: known from ``story_months`` without reading the month."""
        return self.month_lastmod

    @property
    def paginator(self):
        """In the index, one page a month, found without counting the month
        (a month has more than ``limit`` stories only at 1,600 a day); the
        month's own sitemap counts its stories and answers ``?p=2`` on."""
        if self.month_lastmod is not None:
            return SimpleNamespace(num_pages=1)
        return super().paginator


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
    probes = []
    for number, month in enumerate(months):
        start, end = month_range(month)
        in_month = published.filter(published_at__gte=start, published_at__lt=end)
        key = Value(number, output_field=IntegerField())
        probes.append(
            in_month.order_by("-published_at")
            .annotate(month=key)
            .values_list("month", "published_at")[:1]
        )
        probes.append(
            in_month.filter(revised_at__isnull=False)
            .order_by("-revised_at")
            .annotate(month=key)
            .values_list("month", "revised_at")[:1]
        )
    latest = {}
    for number, moment in rows_of(probes):
        moment = parse_moment(moment)
        month = months[number]
        latest[month] = max(latest.get(month, moment), moment)
    return dict(sorted(latest.items(), reverse=True))


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
        one index probe a section."""
        latest = (
            Article.objects.published()
            .filter(section=OuterRef("pk"))
            .order_by("-published_at", "-id")
            .values("published_at")[:1]
        )
        return list(
            Section.objects.annotate(latest=Subquery(latest)).filter(
                latest__isnull=False
            )
        )

    def lastmod(self, item):
        return item.latest


class AuthorSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        """Journalists with a published story: one probe a journalist, not a
        join over every byline."""
        published = Article.objects.published().filter(
            bylines__journalist=OuterRef("pk")
        )
        return Journalist.objects.filter(Exists(published)).order_by("slug")


class HomeSitemap(Sitemap):
    changefreq = "always"
    priority = 1.0

    def items(self):
        return ["articles:index", "articles:corrections"]

    def location(self, item):
        return reverse(item)


class NewsSitemap(Sitemap):
    """Stories published in the last two days, for Google News."""

    changefreq = "daily"
    limit = NEWS_LIMIT
    lastmod = StorySitemap.lastmod

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .select_related("section")
            .prefetch_related("tags")
            .order_by("-published_at", "-id")
        )

    def get_urls(self, *args, **kwargs):
        """Each story's entry with its title and keywords as XML may carry them
        (the template writes ``url.title`` and ``url.keywords``)."""
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            story = url["item"]
            url["title"] = clean_text(story.headline, single_line=True)
            url["keywords"] = ", ".join(
                clean_text(tag.name, single_line=True) for tag in story.tags.all()
            )
        return urls


SITEMAPS = {
    "pages": HomeSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}


def index_sitemaps():
    """Every sitemap the index lists: the site's pages, then a month of
    stories each, newest first."""
    sitemaps = dict(SITEMAPS)
    for month, lastmod in story_months().items():
        sitemaps[month_key(month)] = StorySitemap(month, lastmod)
    return sitemaps


def sitemap_for(section):
    """{section: sitemap} for ``sitemap-<section>.xml``, or None if there is
    no such sitemap."""
    if section in SITEMAPS:
        return {section: SITEMAPS[section]}
    match = MONTH_SECTION.fullmatch(section)
    if not match or not 1 <= int(match["month"]) <= 12:
        return None
    month = datetime.date(int(match["year"]), int(match["month"]), 1)
    return {section: StorySitemap(month)}
