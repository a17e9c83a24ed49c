"""Reader pages cost the same whether the archive holds 5 stories or 200, at
any page number, and what their bounded queries choose is still right: related
stories, deep pages, the months of the sitemap."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import Article, Byline, Correction, Quote
from articles.sitemaps import month_key
from articles.story_page import related_stories
from newsroom import page_cache, pagination

from .factories import (
    ArticleFactory,
    JournalistFactory,
    PhotoFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def newsroom():
    """A section, a prolific journalist, a much-quoted source and two tags, and
    a way to add ``n`` stories a day apart (older each batch), cheaply."""
    city = SectionFactory(name="City", slug="city")
    sport = SectionFactory(name="Sport", slug="sport")
    journalist = JournalistFactory(slug="prolific")
    source = SourceFactory(slug="quoted")
    common, rare = Tag.objects.create(name="Common"), Tag.objects.create(name="Rare")
    story = ArticleFactory(section=city, lead_photo=PhotoFactory())
    story.tags.add(common, rare)
    Byline.objects.create(article=story, journalist=journalist)
    added = []

    def add(n):
        now = timezone.now()
        start = len(added) + 1
        stories = Article.objects.bulk_create(
            Article(
                headline=f"Archive story {number}",
                slug=f"archive-story-{number}",
                body="<p>The council met.</p>",
                dateline="PORT ALDREN",
                section=city if number % 3 else sport,
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(days=number, hours=1),
                first_published_at=now - datetime.timedelta(days=number, hours=1),
                revised_at=now if number % 5 == 0 else None,
            )
            for number in range(start, start + n)
        )
        TaggedItem.objects.bulk_create(
            TaggedItem(content_object=article, tag=tag)
            for number, article in enumerate(stories, start=start)
            for tag in ([common, rare] if number % 4 == 0 else [common])
        )
        Byline.objects.bulk_create(
            Byline(article=article, journalist=journalist) for article in stories
        )
        Quote.objects.bulk_create(
            Quote(article=article, source=source, text="We will see.")
            for article in stories
        )
        Correction.objects.bulk_create(
            Correction(article=article, text="A date was wrong.", published_at=now)
            for article in stories
        )
        added.extend(stories)
        return stories

    return {"story": story, "add": add, "added": added}


def queries_of(client, url):
    # The page's own queries: what the page cache does once per generation
    # after a write is done before the count (newsroom/page_cache.py).
    page_cache.settle()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def this_month():
    return f"/sitemap-{month_key(timezone.localdate())}.xml"


# Every reader page and the most queries it may make, however large the archive
# (a page past the end makes two more: a count bounded by the cap, then the last
# page; the section list in the masthead is one of each page's queries).
PAGES = {
    "story": 8,
    "/": 4,
    "/city/": 5,
    "/city/?page=3": 7,
    "/city/?page=999": 7,
    "before": 6,
    "after": 9,  # back among the newest: the first page after all
    "/tags/common/": 5,
    "/tags/common/?page=4": 7,
    "/authors/prolific/": 6,
    "/authors/prolific/?page=3": 8,
    "/authors/prolific/?page=999": 8,
    "author before": 7,
    "author after": 10,  # back among the newest: the first page after all
    "/sources/quoted/": 5,
    "/sources/quoted/?page=2": 7,
    "/corrections/": 2,
    "/corrections/?page=3": 4,
    "/feeds/rss/": 4,
    "/feeds/atom/": 4,
    "/feeds/sections/city/rss/": 5,
    "/feeds/sections/city/atom/": 5,
    "/feeds/authors/prolific/rss/": 5,
    "/feeds/authors/prolific/atom/": 5,
    "/feeds/corrections/rss/": 1,
    "/feeds/corrections/atom/": 1,
    "/sitemap.xml": 5,
    "this month": 2,
    "/sitemap-pages.xml": 0,
    "/sitemap-sections.xml": 1,
    "/sitemap-authors.xml": 2,
    "/sitemap-news.xml": 3,
    "/robots.txt": 0,
}


@pytest.mark.parametrize("page", PAGES)
def test_a_reader_page_costs_the_same_with_5_or_200_stories(client, newsroom, page):
    stories = newsroom["add"](5)
    url = {
        "story": newsroom["story"].get_absolute_url(),
        "this month": this_month(),
        "before": f"/city/?before={stories[1].pk}",
        "after": f"/city/?after={stories[-1].pk}",
        "author before": f"/authors/prolific/?before={stories[1].pk}",
        "author after": f"/authors/prolific/?after={stories[-1].pk}",
    }.get(page, page)
    few = queries_of(client, url)
    newsroom["add"](195)
    many = queries_of(client, url)
    assert many <= few <= PAGES[page]


def test_related_stories_rank_by_shared_tags_then_section_then_time():
    city, sport = SectionFactory(slug="city"), SectionFactory(slug="sport")
    now = timezone.now()

    def story(headline, section, tags, days_ago):
        article = ArticleFactory(
            headline=headline,
            section=section,
            published_at=now - datetime.timedelta(days=days_ago),
        )
        article.tags.add(*tags)
        return article

    article = story("The story", city, ["floods", "harbour"], 0)
    both_tags = story("Both tags, elsewhere, old", sport, ["floods", "harbour"], 30)
    tag_and_section = story("One tag, same section", city, ["floods"], 20)
    tag_only = story("One tag, elsewhere, newest", sport, ["harbour"], 1)
    section_only = story("Same section, no tag", city, [], 2)
    story("Elsewhere, no tag", sport, [], 1)
    draft = ArticleFactory(headline="A draft with both tags", section=city, draft=True)
    draft.tags.add("floods", "harbour")

    article = Article.objects.prefetch_related("tags").get(pk=article.pk)
    assert [s.headline for s in related_stories(article)] == [
        both_tags.headline,
        tag_and_section.headline,
        tag_only.headline,
        section_only.headline,
    ]


def test_related_stories_find_a_tags_stories_among_a_large_archive(newsroom):
    newsroom["add"](200)
    article = Article.objects.prefetch_related("tags").get(pk=newsroom["story"].pk)
    related = related_stories(article)
    # The stories sharing both tags, its section's first, then the newest.
    both = (
        Article.objects.published()
        .filter(tags__name="Rare")
        .exclude(pk=article.pk)
        .order_by("-published_at")
    )
    expected = sorted(both, key=lambda s: s.section_id != article.section_id)[:4]
    assert [s.pk for s in related] == [s.pk for s in expected]


def headlines(client, url):
    html = client.get(url).content.decode()
    return [
        line.split(">")[-1]
        for line in html.split("</a></h")
        if "Archive story" in line.split(">")[-1]
    ]


def test_a_deep_page_shows_the_stories_at_its_depth(client, newsroom):
    newsroom["add"](200)
    city = [s for s in newsroom["added"] if s.section.slug == "city"]  # newest first
    assert headlines(client, "/city/?page=3") == [s.headline for s in city[39:59]]
    html = client.get("/city/?page=3").content.decode()
    assert "Page 3<" in html and 'href="?page=4" rel="next"' in html
    # Past the end: the last page, without a link to an older one.
    last = client.get("/city/?page=999").content.decode()
    assert city[-1].headline in last and 'rel="next"' not in last


def test_past_the_cap_older_stories_go_on_by_link_and_back(
    client, newsroom, monkeypatch
):
    monkeypatch.setattr(pagination, "MAX_PAGES", 3)
    newsroom["add"](200)
    city = [s for s in newsroom["added"] if s.section.slug == "city"]
    titles = [s.headline for s in city]
    assert headlines(client, "/city/?page=3") == titles[39:59]
    assert headlines(client, "/city/?page=40") == titles[39:59]  # the last numbered

    html = client.get("/city/?page=3").content.decode()
    assert f'href="?before={city[58].pk}" rel="next">Older stories' in html
    older = client.get(f"/city/?before={city[58].pk}").content.decode()
    assert headlines(client, f"/city/?before={city[58].pk}") == titles[59:79]
    assert f'href="?after={city[59].pk}" rel="prev">Newer stories' in older
    assert f'href="?before={city[78].pk}" rel="next"' in older
    assert headlines(client, f"/city/?after={city[59].pk}") == titles[39:59]
    # The oldest stories: no older link.
    oldest = client.get(f"/city/?before={city[-5].pk}").content.decode()
    assert headlines(client, f"/city/?before={city[-5].pk}") == titles[-4:]
    assert 'rel="next"' not in oldest and 'rel="prev"' in oldest
    # Back among the newest, or from no story at all: the first page.
    assert headlines(client, f"/city/?after={city[5].pk}") == titles[:19]
    assert headlines(client, "/city/?before=99999999") == titles[:19]


def test_an_authors_pages_and_feed_list_their_stories_newest_first(
    client, newsroom, monkeypatch
):
    """By publication time, not by id: an archive story imported today is
    older than the stories made before it. Another journalist's stories and
    drafts are not listed."""
    monkeypatch.setattr(pagination, "MAX_PAGES", 3)
    newsroom["add"](80)
    journalist = Byline.objects.filter(journalist__slug="prolific")[0].journalist
    imported = ArticleFactory(
        headline="Archive story imported",
        published_at=newsroom["added"][44].published_at + datetime.timedelta(minutes=1),
    )
    draft = ArticleFactory(headline="Archive story draft", draft=True)
    others = ArticleFactory(headline="Archive story by another")
    for story in (imported, draft):
        Byline.objects.create(article=story, journalist=journalist)
    Byline.objects.create(article=others, journalist=JournalistFactory())
    stories = [*newsroom["added"][:44], imported, *newsroom["added"][44:]]
    titles = [s.headline for s in stories]

    assert headlines(client, "/authors/prolific/") == titles[:19]  # and one more
    assert headlines(client, "/authors/prolific/?page=3") == titles[39:59]
    assert headlines(client, "/authors/prolific/?page=999") == titles[39:59]
    older = f"/authors/prolific/?before={stories[58].pk}"
    assert headlines(client, older) == titles[59:79]
    assert (
        headlines(client, f"/authors/prolific/?before={stories[-3].pk}")
        == (titles[-2:])
    )
    assert (
        headlines(client, f"/authors/prolific/?after={stories[59].pk}")
        == (titles[39:59])
    )
    feed = ET.fromstring(client.get("/feeds/authors/prolific/rss/").content)
    items = [item.findtext("title") for item in feed.iter("item")]
    assert items == [newsroom["story"].headline, *titles[:29]]


def test_each_month_of_the_sitemap_lists_that_months_stories(client, newsroom):
    newsroom["add"](200)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    months = [
        loc.text.removeprefix("http://testserver")
        for loc in index.findall("sm:sitemap/sm:loc", NS)
        if "sitemap-stories-" in loc.text
    ]
    by_month = {}
    for article in Article.objects.published().select_related("section"):
        by_month.setdefault(month_key(timezone.localdate(article.published_at)), [])
        by_month[month_key(timezone.localdate(article.published_at))].append(
            f"http://testserver{article.get_absolute_url()}"
        )
    assert months == [f"/sitemap-{key}.xml" for key in sorted(by_month, reverse=True)]
    for key, urls in by_month.items():
        urlset = ET.fromstring(client.get(f"/sitemap-{key}.xml").content)
        listed = [loc.text for loc in urlset.findall("sm:url/sm:loc", NS)]
        assert sorted(listed) == sorted(urls)
