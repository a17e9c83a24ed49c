"""sitemap.xml (an index of paginated sitemaps) and a Google News sitemap."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from newsroom.validation import clean_text
from people.models import Journalist

from .models import Article, Section

NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 stories per sitemap


class StorySitemap(Sitemap):
    changefreq = "daily"
    limit = 5000  # stories per page of the sitemap: ?p=2 and on for large archives

    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "published_at", "revised_at", "section__slug")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return item.revised_at or item.published_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        """Sections with published stories, each with its latest story's time."""
        latest = dict(
            Article.objects.published()
            .order_by()
            .values_list("section")
            .annotate(latest=Max("published_at"))
        )
        sections = list(Section.objects.filter(pk__in=latest))
        for section in sections:
            section.latest = latest[section.pk]
        return sections

    def lastmod(self, item):
        return item.latest


class AuthorSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return (
            Journalist.objects.filter(articles__in=Article.objects.published())
            .distinct()
            .order_by("slug")
        )


class HomeSitemap(Sitemap):
    changefreq = "always"
    priority = 1.0

    def items(self):
        return ["articles:index", "articles:corrections"]

    def location(self, item):
        return reverse(item)


class NewsSitemap(StorySitemap):
    """Stories published in the last two days, for Google News."""

    limit = NEWS_LIMIT

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
    "stories": StorySitemap,
    "authors": AuthorSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}
