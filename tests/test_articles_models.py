import datetime
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Section
from articles.publishing import mark_published
from people.models import Source

from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def test_published_includes_only_published_stories_whose_time_has_come():
    live = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(status=Article.Status.IN_REVIEW)
    ArticleFactory(scheduled=True)

    assert list(Article.objects.published()) == [live]


def test_is_published_mirrors_the_published_queryset():
    live, draft, scheduled = (
        ArticleFactory(),
        ArticleFactory(draft=True),
        ArticleFactory(scheduled=True),
    )
    public = set(Article.objects.published())
    for article in (live, draft, scheduled):
        assert article.is_published() == (article in public)
    assert scheduled.is_scheduled and not live.is_scheduled


def test_scheduled_story_becomes_public_when_its_time_comes_without_a_job():
    article = ArticleFactory(scheduled=True)
    assert not Article.objects.published().exists()

    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert list(Article.objects.published()) == [article]


def test_article_slugs_are_unique():
    ArticleFactory(slug="sea-wall")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="sea-wall")


def test_database_refuses_a_published_story_without_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(published_at=None)


def test_database_refuses_a_story_without_a_headline():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(headline="")


@pytest.mark.parametrize("slug", ["admin", "api", "search", "authors"])
def test_section_cannot_take_an_address_the_site_uses(slug):
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(name=slug.title(), slug=slug)


def test_journalist_appears_once_in_a_story_byline():
    byline = BylineFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BylineFactory(article=byline.article, journalist=byline.journalist)


def test_bylines_keep_their_order():
    article = ArticleFactory()
    second = BylineFactory(article=article, position=2, journalist__name="Zed Second")
    first = BylineFactory(article=article, position=1, journalist__name="Yan First")

    assert list(article.bylines.all()) == [first, second]
    assert list(article.journalists.order_by("bylines__position")) == [
        first.journalist,
        second.journalist,
    ]


def test_sources_are_one_per_normalised_name():
    SourceFactory(name="Dr. Ana Núñez", slug="ana-nunez")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(name="ana nunez", slug="ana-nunez-2")
    assert Source.objects.get().normalised_name == "ana nunez"


def test_body_html_is_sanitized_when_saved():
    article = ArticleFactory(
        body='<p onclick="steal()">Safe <b>text</b></p><script>alert(1)</script>'
        '<style>p{}</style><a href="javascript:alert(1)">x</a>'
        '<a href="https://example.org/">ok</a><img src=x onerror=alert(1)>'
    )
    article.refresh_from_db()
    assert article.body == (
        '<p>Safe <b>text</b></p><a rel="noopener noreferrer">x</a>'
        '<a href="https://example.org/" rel="noopener noreferrer">ok</a>'
    )


def test_body_html_is_sanitized_again_when_an_existing_story_is_saved():
    # As from the shell: a story already stored is given new markup and saved.
    article = ArticleFactory(body="<p>Clean first version.</p>")
    article.body = (
        '<p onmouseover="steal()">Second <i>version</i></p><script>track()</script>'
        '<a href="javascript:alert(1)">link</a>'
    )
    article.save()

    assert (
        article.body
        == '<p>Second <i>version</i></p><a rel="noopener noreferrer">link</a>'
    )
    article.refresh_from_db()
    assert (
        article.body
        == '<p>Second <i>version</i></p><a rel="noopener noreferrer">link</a>'
    )
    assert "script" not in article.body and "javascript" not in article.body


@pytest.mark.parametrize("zone", ["Asia/Phnom_Penh", "America/Los_Angeles", "UTC"])
def test_a_date_without_a_time_stays_that_calendar_day(settings, zone):
    settings.TIME_ZONE = zone
    article = ArticleFactory.build(section=SectionFactory())
    article.set_publication_day(datetime.date(2024, 3, 25))
    article.save()
    article.refresh_from_db()

    assert article.published_date_only
    assert article.published_on == datetime.date(2024, 3, 25)
    local = timezone.localtime(article.published_at, zoneinfo.ZoneInfo(zone))
    assert (local.date(), local.hour) == (datetime.date(2024, 3, 25), 0)


def test_publishing_sets_first_publication_time_once():
    article = ArticleFactory(draft=True)
    mark_published(article)
    first = article.first_published_at
    assert first == article.published_at

    later = first + datetime.timedelta(days=1)
    mark_published(article, at=later)
    assert article.published_at == later
    assert article.first_published_at == first


def test_rescheduling_a_story_that_never_went_out_moves_its_first_publication():
    article = ArticleFactory(draft=True)
    in_two_days = timezone.now() + datetime.timedelta(days=2)
    mark_published(article, at=in_two_days)
    assert article.first_published_at == in_two_days

    tomorrow = timezone.now() + datetime.timedelta(days=1)
    mark_published(article, at=tomorrow)
    assert article.first_published_at == tomorrow


def test_story_address_is_readable_and_stable():
    article = ArticleFactory(slug="sea-wall-vote", section=SectionFactory(slug="city"))
    assert article.get_absolute_url() == "/city/sea-wall-vote/"


def test_journalist_has_an_author_page_address():
    assert JournalistFactory(slug="ana-ruiz").get_absolute_url() == "/authors/ana-ruiz/"
