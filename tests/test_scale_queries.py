"""The desk's lists and the API cost the same number of queries for 5 rows or
200: nothing is counted or loaded per row (bench/scale.py measures the time)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import Article, Byline, Quote
from media.models import Photo
from people.models import Journalist, Source

from .factories import SectionFactory

pytestmark = pytest.mark.django_db


def archive(stories):
    """``stories`` published stories, each with a byline, two quotes, two tags
    and (every other one) a lead photo, in a handful of bulk inserts."""
    section = SectionFactory(name="City", slug="city")
    journalists = Journalist.objects.bulk_create(
        Journalist(name=f"Reporter {n}", slug=f"reporter-{n}") for n in range(20)
    )
    sources = Source.objects.bulk_create(
        Source(name=f"Source {n}", normalised_name=f"source {n}", slug=f"source-{n}")
        for n in range(20)
    )
    photos = Photo.objects.bulk_create(
        Photo(caption=f"Scene {n}", credit="Staff", alt_text="A street")
        for n in range((stories + 1) // 2)
    )
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            headline=f"Harbour story {n}",
            slug=f"harbour-story-{n}",
            body="<p>The council met.</p>",
            dateline="PORT ALDREN",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=n + 1),
            lead_photo=photos[n // 2] if n % 2 == 0 else None,
        )
        for n in range(stories)
    )
    Byline.objects.bulk_create(
        Byline(article=a, journalist=journalists[n % 20])
        for n, a in enumerate(articles)
    )
    Quote.objects.bulk_create(
        Quote(article=a, source=sources[(n + k) % 20], text="We agree.", position=k)
        for n, a in enumerate(articles)
        for k in range(2)
    )
    tags = Tag.objects.bulk_create(
        Tag(name=f"Tag {n}", slug=f"tag-{n}") for n in range(5)
    )
    article_type = ContentType.objects.get_for_model(Article)
    TaggedItem.objects.bulk_create(
        TaggedItem(content_type=article_type, object_id=a.pk, tag=tags[(n + k) % 5])
        for n, a in enumerate(articles)
        for k in range(2)
    )
    return articles


@pytest.fixture(params=[5, 200], ids=["5 stories", "200 stories"])
def stories(request):
    return archive(request.param)


ADMIN_LISTS = {
    "stories": (reverse("admin:articles_article_changelist"), {}, 13),
    "stories filtered": (
        reverse("admin:articles_article_changelist"),
        {"state": "published", "section__id__exact": "<the stories' section>"},
        13,
    ),
    "stories searched": (
        reverse("admin:articles_article_changelist"),
        {"q": "harbour"},
        13,
    ),
    "stories searched by a piece of the headline": (
        reverse("admin:articles_article_changelist"),
        {"q": "arbour stor"},
        13,
    ),
    "stories searched by byline": (
        reverse("admin:articles_article_changelist"),
        {"q": "Reporter 3"},
        14,
    ),
    # With the choices of the section and journalist filters.
    "sources": (reverse("admin:people_source_changelist"), {}, 10),
    "journalists": (reverse("admin:people_journalist_changelist"), {}, 7),
    "photos": (reverse("admin:media_photo_changelist"), {}, 13),
}


@pytest.mark.parametrize("name", ADMIN_LISTS)
def test_desk_lists_cost_the_same_queries_however_many_rows(
    name, stories, admin_client, django_assert_max_num_queries
):
    url, params, ceiling = ADMIN_LISTS[name]
    if "section__id__exact" in params:
        # The stories' own section (ids are not reset between tests on PostgreSQL).
        params = {**params, "section__id__exact": str(stories[0].section_id)}
    with django_assert_max_num_queries(ceiling):
        response = admin_client.get(url, params)
    assert response.status_code == 200
    rows = response.content.decode().count('<td class="action-checkbox">')
    assert rows == LISTED[name](len(stories))


# How many rows each list shows for an archive of n stories (50 a page).
LISTED = {
    "stories": lambda n: min(n, 50),
    "stories filtered": lambda n: min(n, 50),
    "stories searched": lambda n: min(n, 50),
    "stories searched by a piece of the headline": lambda n: min(n, 50),
    "stories searched by byline": lambda n: n // 20 + (n % 20 > 3),
    "sources": lambda n: 20,
    "journalists": lambda n: 20,
    "photos": lambda n: min((n + 1) // 2, 50),
}


def test_desk_lists_show_counts_for_the_rows_on_the_page(admin_client):
    archive(30)
    sources = admin_client.get(reverse("admin:people_source_changelist")).content
    # 60 quotes over 20 sources: three each.
    assert b'title="Every quote of this source">3</a></td>' in sources
    journalists = admin_client.get(
        reverse("admin:people_journalist_changelist")
    ).content
    # 30 bylines over 20 reporters: one or two each.
    assert b'<td class="field-story_count">2</td>' in journalists
    assert b'<td class="field-story_count">1</td>' in journalists


def test_a_prolific_journalists_story_count_stops_at_the_cap(admin_client, monkeypatch):
    from people.admin import JournalistAdmin

    archive(30)  # Reporter 0 … 9 have two bylines, the others one
    monkeypatch.setattr(JournalistAdmin, "stories_counted_up_to", 1)
    page = admin_client.get(reverse("admin:people_journalist_changelist")).content
    assert page.count(b'<td class="field-story_count">1+</td>') == 10
    assert page.count(b'<td class="field-story_count">1</td>') == 10
    ordered = admin_client.get(
        reverse("admin:people_journalist_changelist"), {"o": "-3"}
    ).content.decode()
    assert ordered.index(">1+<") < ordered.index('story_count">1<')


API_PAGES = {
    "list": lambda articles: "/api/stories/",
    "last page": lambda articles: f"/api/stories/?page={-(-len(articles) // 20)}",
    "detail": lambda articles: f"/api/stories/{articles[0].pk}/",
    "ninjs": lambda articles: f"/api/stories/{articles[0].pk}/ninjs",
}


@pytest.mark.parametrize("name", API_PAGES)
def test_api_costs_the_same_queries_however_many_stories(
    name, stories, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        response = client.get(API_PAGES[name](stories))
    assert response.status_code == 200


def test_api_pages_past_the_numbered_ones_follow_the_links(client, monkeypatch):
    monkeypatch.setattr("articles.api.NUMBERED_PAGES", 1)
    stories = archive(45)  # newest first
    first = client.get("/api/stories/").json()
    assert [s["id"] for s in first["items"]] == [s.pk for s in stories[:20]]
    assert first["count"] == 45 and first["pages"] == 3
    assert "before=" in first["next"]

    second = client.get(first["next"]).json()
    assert [s["id"] for s in second["items"]] == [s.pk for s in stories[20:40]]
    assert second["page"] == 2 and second["previous"].endswith("?page=1")
    third = client.get(second["next"]).json()
    assert [s["id"] for s in third["items"]] == [s.pk for s in stories[40:]]
    assert third["next"] is None and third["count"] == 45
    back = client.get(third["previous"]).json()
    assert back["items"] == second["items"] and back["page"] == 2

    # Deep pages are reached by the links, not by number.
    assert client.get("/api/stories/?page=2").status_code == 404
    refused = client.get("/api/stories/?page=2&before=yesterday")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "before"]


def test_the_date_hierarchy_lists_only_years_and_months_with_stories(admin_client):
    from .factories import ArticleFactory

    for year, month in [(2021, 3), (2021, 11), (2024, 6)]:
        ArticleFactory(
            published_at=datetime.datetime(year, month, 10, 9, tzinfo=datetime.UTC)
        )
    url = reverse("admin:articles_article_changelist")
    years = admin_client.get(url).content.decode()
    assert "published_at__year=2021" in years and "published_at__year=2024" in years
    assert "published_at__year=2022" not in years
    assert "published_at__year=2023" not in years
    months = admin_client.get(url, {"published_at__year": "2021"}).content.decode()
    assert "published_at__month=3" in months and "published_at__month=11" in months
    assert "published_at__month=6" not in months


def test_a_long_filtered_list_is_counted_up_to_the_cap_then_estimated(monkeypatch):
    from newsroom.admin_lists import LargeTablePaginator

    archive(30)
    monkeypatch.setattr(LargeTablePaginator, "count_up_to", 10)
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    few = published.filter(headline__in=["Harbour story 1", "Harbour story 2"])
    assert LargeTablePaginator(few, 50).count == 2
    count = LargeTablePaginator(published, 50).count
    if connection.vendor == "postgresql":
        assert count >= 11  # the planner's estimate, at least the cap + 1
    else:
        assert count == 30
