"""RSS and Atom feeds, sitemaps, the Google News sitemap and robots.txt:
valid, namespaced XML with the expected entries."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.sitemaps import AuthorSitemap, StorySitemap, month_key

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    JournalistFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "media": "http://search.yahoo.com/mrss/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml_of(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)


@pytest.fixture
def story():
    article = ArticleFactory(
        headline="Harbour council approves new sea wall",
        standfirst="The vote ends a two-year dispute over flood defences, "
        "and work on the wall begins in spring.",
        section=SectionFactory(name="City", slug="city"),
        lead_photo=PhotoFactory(
            caption="The old harbour wall at high tide.", credit="Ana Ruiz"
        ),
        published_at=datetime.datetime(2024, 3, 25, 1, 30, tzinfo=UTC),
        revised_at=datetime.datetime(2024, 3, 26, 9, 15, tzinfo=UTC),
    )
    BylineFactory(article=article, journalist__name="Mara Quint", journalist__slug="mq")
    BylineFactory(
        article=article, journalist__name="Sok Dara", journalist__slug="sd", position=1
    )
    article.tags.add("flood defences")
    return article


def test_latest_rss_feed_carries_standfirst_authors_dates_and_photo(client, story):
    ArticleFactory(headline="A draft", draft=True)
    channel = xml_of(client.get("/feeds/rss/")).find("channel")
    [item] = channel.findall("item")

    assert item.findtext("title") == story.headline
    assert item.findtext("link") == f"http://testserver{story.get_absolute_url()}"
    assert item.findtext("description") == story.standfirst
    assert item.findtext("dc:creator", namespaces=NS) == "Mara Quint and Sok Dara"
    assert item.findtext("pubDate") == "Mon, 25 Mar 2024 01:30:00 +0000"
    categories = [c.text for c in item.findall("category")]
    assert categories == ["City", "flood defences"]
    photo = item.find("media:content", NS)
    assert photo.get("url").startswith("http://testserver/uploads/")
    assert photo.get("medium") == "image" and photo.get("width") == "800"
    caption = photo.findtext("media:description", namespaces=NS)
    assert caption == "The old harbour wall at high tide."
    assert photo.findtext("media:credit", namespaces=NS) == "Ana Ruiz"


def test_latest_atom_feed_has_authors_published_and_updated_times(client, story):
    feed = xml_of(client.get("/feeds/atom/"))
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    [entry] = feed.findall("atom:entry", NS)
    assert entry.findtext("atom:title", namespaces=NS) == story.headline
    assert entry.findtext("atom:summary", namespaces=NS) == story.standfirst
    assert (
        entry.findtext("atom:published", namespaces=NS) == "2024-03-25T01:30:00+00:00"
    )
    assert entry.findtext("atom:updated", namespaces=NS) == "2024-03-26T09:15:00+00:00"
    author = entry.find("atom:author", NS)
    assert author.findtext("atom:name", namespaces=NS) == "Mara Quint and Sok Dara"
    assert author.findtext("atom:uri", namespaces=NS) == "http://testserver/authors/mq/"
    assert entry.find("media:content", NS) is not None


def test_section_feed_lists_only_that_sections_stories(client, story):
    ArticleFactory(headline="Cup final", section=SectionFactory(slug="sport"))
    for url in ["/feeds/sections/city/rss/", "/feeds/sections/city/atom/"]:
        text = client.get(url).content.decode()
        ET.fromstring(text)
        assert story.headline in text and "Cup final" not in text
    assert client.get("/feeds/sections/nope/rss/").status_code == 404


def test_author_feed_lists_only_their_published_stories(client, story):
    BylineFactory(journalist__slug="someone-else", article__headline="Other story")
    BylineFactory(
        journalist=story.bylines.first().journalist,
        article=ArticleFactory(headline="Their draft", draft=True),
    )
    for url in ["/feeds/authors/mq/rss/", "/feeds/authors/mq/atom/"]:
        text = client.get(url).content.decode()
        ET.fromstring(text)
        assert story.headline in text
        assert "Other story" not in text and "Their draft" not in text
    assert client.get("/feeds/authors/nobody/rss/").status_code == 404


def test_a_story_published_then_unpublished_leaves_every_feed(
    client, admin_client, story
):
    author = story.bylines.first().journalist
    gone = ArticleFactory(
        headline="Ferry timetable withdrawn",
        section=story.section,
        published_at=datetime.datetime(2024, 3, 24, 8, 0, tzinfo=UTC),
        first_published_at=datetime.datetime(2024, 3, 24, 8, 0, tzinfo=UTC),
    )
    BylineFactory(article=gone, journalist=author)
    CorrectionFactory(article=story, text="The wall is 2km long.")
    CorrectionFactory(article=gone, text="The ferry leaves at nine.")
    feeds = [
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/sections/city/rss/",
        "/feeds/authors/mq/atom/",
        "/feeds/corrections/rss/",
    ]
    for url in feeds[:4]:
        assert "Ferry timetable withdrawn" in client.get(url).content.decode(), url

    # The Unpublish action: back to draft, its publication times left as they were.
    admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [gone.pk]},
    )
    gone.refresh_from_db()
    assert gone.status == "draft" and gone.first_published_at < timezone.now()

    for url in feeds:
        root = xml_of(client.get(url))
        text = ET.tostring(root, encoding="unicode")
        assert "Ferry" not in text and "The ferry leaves" not in text, url
        assert story.headline in text, url


def test_corrections_feed_lists_each_correction_with_its_story(client, story):
    correction = CorrectionFactory(article=story, text="The wall is 2km, not 3km.")
    CorrectionFactory(article=ArticleFactory(draft=True), text="Hidden correction")
    channel = xml_of(client.get("/feeds/corrections/rss/")).find("channel")
    [item] = channel.findall("item")
    assert item.findtext("title") == f"Correction: {story.headline}"
    assert item.findtext("description") == "The wall is 2km, not 3km."
    assert item.findtext("link").endswith(f"{story.get_absolute_url()}#corrections")
    assert item.findtext("guid").endswith(f"#correction-{correction.pk}")
    atom = xml_of(client.get("/feeds/corrections/atom/"))
    assert len(atom.findall("atom:entry", NS)) == 1


def test_pages_advertise_their_feeds(client, story):
    home = client.get("/").content.decode()
    assert 'type="application/atom+xml"' in home and 'href="/feeds/atom/"' in home
    section = client.get("/city/").content.decode()
    assert 'href="/feeds/sections/city/rss/"' in section
    assert 'href="/feeds/sections/city/atom/"' in section
    author = client.get("/authors/mq/").content.decode()
    assert 'href="/feeds/authors/mq/atom/"' in author
    corrections = client.get("/corrections/").content.decode()
    assert 'href="/feeds/corrections/atom/"' in corrections


def test_sitemap_index_lists_a_sitemap_of_stories_a_month_and_the_public_pages(
    client, story
):
    older = ArticleFactory(
        headline="January story",
        published_at=datetime.datetime(2024, 1, 10, 3, tzinfo=UTC),
        revised_at=datetime.datetime(2024, 4, 2, 3, tzinfo=UTC),
    )
    last_of_january = ArticleFactory(
        headline="Last January story",
        published_at=datetime.datetime(2024, 1, 31, 16, 59, tzinfo=UTC),  # 23:59 local
    )
    ArticleFactory(
        headline="Secret draft", slug="secret-draft", draft=True, published_at=None
    )
    ArticleFactory(headline="Tomorrow's story", scheduled=True)

    index = xml_of(client.get("/sitemap.xml"))
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    entries = {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext(
            "sm:lastmod", namespaces=NS
        )
        for entry in index.findall("sm:sitemap", NS)
    }
    months = [url for url in entries if "sitemap-stories-" in url]
    # Newest month first; February 2024 had no story, so it has no sitemap.
    assert months == [
        "http://testserver/sitemap-stories-2024-03.xml",
        "http://testserver/sitemap-stories-2024-01.xml",
    ]
    # A month's lastmod is its latest publication or revision.
    assert entries["http://testserver/sitemap-stories-2024-03.xml"].startswith(
        "2024-03-26"
    )
    assert entries["http://testserver/sitemap-stories-2024-01.xml"].startswith(
        "2024-04-02"
    )
    for name in ("pages", "sections", "authors"):
        assert f"http://testserver/sitemap-{name}.xml" in entries

    january = xml_of(client.get("/sitemap-stories-2024-01.xml"))
    locations = [loc.text for loc in january.findall("sm:url/sm:loc", NS)]
    assert locations == [  # the month in the newsroom's time zone, newest first
        f"http://testserver{last_of_january.get_absolute_url()}",
        f"http://testserver{older.get_absolute_url()}",
    ]
    march = xml_of(client.get("/sitemap-stories-2024-03.xml"))
    assert [loc.text for loc in march.findall("sm:url/sm:loc", NS)] == [
        f"http://testserver{story.get_absolute_url()}"
    ]
    assert march.findtext("sm:url/sm:lastmod", namespaces=NS) == "2024-03-26"
    for month in entries:
        assert "secret-draft" not in client.get(month).content.decode()
    # The old single stories sitemap points at the index; nonsense is not found.
    assert client.get("/sitemap-stories.xml").headers["Location"] == "/sitemap.xml"
    for name in ("stories-2024-13", "stories-2024-1", "stories-0001-01", "nothing"):
        assert client.get(f"/sitemap-{name}.xml").status_code == 404

    sections = xml_of(client.get("/sitemap-sections.xml"))
    assert [loc.text for loc in sections.findall("sm:url/sm:loc", NS)] == [
        "http://testserver/city/"
    ]
    authors = xml_of(client.get("/sitemap-authors.xml"))
    assert "http://testserver/authors/mq/" in [
        loc.text for loc in authors.findall("sm:url/sm:loc", NS)
    ]


def test_a_months_sitemap_is_paginated_past_its_limit(client, monkeypatch):
    for day in range(1, 6):
        ArticleFactory(
            headline=f"May story {day}",
            slug=f"may-story-{day}",
            published_at=datetime.datetime(2024, 5, day, 3, tzinfo=UTC),
        )
    monkeypatch.setattr(StorySitemap, "limit", 2)

    pages = []
    for page in ("1", "2", "3"):
        urlset = xml_of(client.get("/sitemap-stories-2024-05.xml", {"p": page}))
        pages.append(
            [loc.text.rsplit("/", 2)[1] for loc in urlset.findall("sm:url/sm:loc", NS)]
        )
    assert pages == [
        ["may-story-5", "may-story-4"],
        ["may-story-3", "may-story-2"],
        ["may-story-1"],
    ]
    assert client.get("/sitemap-stories-2024-05.xml", {"p": "4"}).status_code == 404


def test_news_sitemap_lists_the_last_two_days_of_stories(client, story):
    recent = ArticleFactory(headline="Ferry <fares> & tolls rise")
    recent.tags.add("ferries")
    ArticleFactory(
        headline="Last week's story",
        published_at=datetime.datetime.now(UTC) - datetime.timedelta(days=3),
    )
    ArticleFactory(headline="Tomorrow's story", scheduled=True)

    urlset = xml_of(client.get(reverse("articles:news_sitemap")))
    assert urlset.tag == f"{{{NS['sm']}}}urlset"
    [url] = urlset.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS).endswith(recent.get_absolute_url())
    news = url.find("news:news", NS)
    publication = news.find("news:publication", NS)
    assert publication.findtext("news:name", namespaces=NS) == "The Newsroom"
    assert publication.findtext("news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Ferry <fares> & tolls rise"
    published = news.findtext("news:publication_date", namespaces=NS)
    assert datetime.datetime.fromisoformat(published) == recent.published_at


def test_robots_txt_points_at_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text
    assert "Disallow: /preview/" in text and "Disallow: /admin/" in text


def test_feed_and_sitemap_queries_do_not_grow_with_stories(
    client, django_assert_max_num_queries
):
    journalist = JournalistFactory(slug="busy")
    for _ in range(12):
        article = ArticleFactory(lead_photo=PhotoFactory())
        BylineFactory(article=article, journalist=journalist)
        BylineFactory(article=article, position=1)
        article.tags.add("one", "two")
        CorrectionFactory(article=article)
    for url in [
        "/feeds/rss/",
        "/feeds/authors/busy/atom/",
        "/feeds/corrections/rss/",
        f"/sitemap-{month_key(timezone.localdate())}.xml",
        "/sitemap-news.xml",
    ]:
        with django_assert_max_num_queries(7):
            assert client.get(url).status_code == 200, url


def test_a_months_sitemap_gives_each_story_the_local_day_of_its_last_change(client):
    """The day in the newsroom's time zone of its latest publication or
    revision (the month is that of its publication)."""
    late = ArticleFactory(  # 00:30 on 10 June in Phnom Penh, 17:30 on the 9th UTC
        slug="late-night-vote",
        published_at=datetime.datetime(2024, 6, 9, 17, 30, tzinfo=UTC),
    )
    revised = ArticleFactory(
        slug="ferry-timetable",
        published_at=datetime.datetime(2024, 6, 2, 3, tzinfo=UTC),
        revised_at=datetime.datetime(2024, 7, 1, 4, 15, tzinfo=UTC),
    )
    response = client.get("/sitemap-stories-2024-06.xml")
    urlset = xml_of(response)
    lastmods = {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in urlset.findall("sm:url", NS)
    }
    assert lastmods == {
        f"http://testserver{late.get_absolute_url()}": "2024-06-10",
        f"http://testserver{revised.get_absolute_url()}": "2024-07-01",
    }
    assert "ferry-timetable" not in client.get("/sitemap-stories-2024-07.xml").text


def test_the_index_lists_every_page_of_a_long_sitemap_and_no_draft_author(
    client, monkeypatch
):
    for name in ("Ana Ruiz", "Mara Quint", "Teo Vance"):
        BylineFactory(journalist__name=name, article__headline=f"Story by {name}")
    BylineFactory(
        journalist__name="Drafts Only",
        journalist__slug="drafts-only",
        article=ArticleFactory(draft=True),
    )
    monkeypatch.setattr(AuthorSitemap, "limit", 2)

    index = xml_of(client.get("/sitemap.xml"))
    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert [url for url in locations if "authors" in url] == [
        "http://testserver/sitemap-authors.xml",
        "http://testserver/sitemap-authors.xml?p=2",
    ]
    listed = [
        loc.text
        for page in ("1", "2")
        for loc in xml_of(client.get("/sitemap-authors.xml", {"p": page})).findall(
            "sm:url/sm:loc", NS
        )
    ]
    assert len(listed) == 3 and not any("drafts-only" in url for url in listed)
