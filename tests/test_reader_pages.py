"""The reader's site: story, home, section, tag, author, source, search, error
and preview pages, their metadata for machines, and what each costs in queries."""

import datetime
import json
import re
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from newsroom import page_cache

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    JournalistFactory,
    PhotoFactory,
    PublicationFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def json_ld(html):
    """Every JSON-LD block on the page, parsed."""
    blocks = re.findall(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.DOTALL
    )
    return [json.loads(block) for block in blocks]


def meta(html, key):
    match = re.search(
        rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html
    )
    return match and match.group(1)


@pytest.fixture
def story():
    """A fully dressed story: two authors, a contributor, photo, tags, a correction,
    a quote, published on a known day and updated afterwards."""
    article = ArticleFactory(
        harbour=True,
        dateline="PHNOM PENH",
        section=SectionFactory(name="City", slug="city"),
        published_at=datetime.datetime(2024, 3, 25, 1, 30, tzinfo=UTC),
        revised_at=datetime.datetime(2024, 3, 26, 9, 15, tzinfo=UTC),
    )
    BylineFactory(
        article=article,
        position=0,
        journalist__name="Mara Quint",
        journalist__slug="mq",
    )
    BylineFactory(
        article=article, position=1, journalist__name="Sok Dara", journalist__slug="sd"
    )
    BylineFactory(
        article=article,
        position=2,
        journalist__name="Teo Vance",
        journalist__slug="tv",
        role="Additional reporting",
    )
    article.tags.add("flood defences", "council")
    CorrectionFactory(
        article=article,
        text="The wall is 2km long, not 3km.",
        published_at=datetime.datetime(2024, 3, 27, 3, 0, tzinfo=UTC),
    )
    QuoteFactory(
        article=article,
        source=SourceFactory(name="Lina Chey", slug="lina-chey"),
        text="The wall will protect four thousand homes.",
    )
    return article


# The story page


def test_story_page_shows_byline_dateline_dates_photo_and_body(client, story):
    html = html_of(client.get(story.get_absolute_url()))

    assert (
        '<h1 class="story__headline">Harbour council approves new sea wall</h1>' in html
    )
    assert "The vote ends a two-year dispute over flood defences." in html
    assert 'By <a href="/authors/mq/" rel="author">Mara Quint</a> and ' in html
    assert '<a href="/authors/sd/" rel="author">Sok Dara</a>' in html
    assert 'Additional reporting: <a href="/authors/tv/">Teo Vance</a>' in html
    assert '<span class="dateline">PHNOM PENH —</span> Councillors voted' in html
    # Dates in the newsroom's time zone (Phnom Penh, UTC+7).
    published = '<time datetime="2024-03-25T08:30:00+07:00">25 March 2024, 08:30</time>'
    assert f"Published {published}" in html
    assert (
        'Updated <time datetime="2024-03-26T16:15:00+07:00">26 March 2024, 16:15</time>'
        in html
    )
    figure = html[html.index("<figure") : html.index("</figure>")]
    assert 'alt="Waves breaking over a low stone wall."' in figure
    assert 'width="800" height="450"' in figure
    caption = figure[figure.index("<figcaption>") :]
    assert "The old harbour wall at high tide." in caption
    assert "Photo: Ana Ruiz/The Newsroom" in caption
    assert "<p>Work begins in spring.</p>" in html


def test_story_page_without_an_update_shows_no_updated_line(client):
    article = ArticleFactory()
    assert "Updated" not in html_of(client.get(article.get_absolute_url()))


def test_story_page_links_tags_and_marks_corrections_with_their_date(client, story):
    html = html_of(client.get(story.get_absolute_url()))
    assert '<a href="/tags/flood-defences/" rel="tag">flood defences</a>' in html
    box = html[html.index('<section class="corrections"') :]
    box = box[: box.index("</section>")]
    assert '<h2 id="corrections-title">Corrections</h2>' in box
    assert '<time datetime="2024-03-27T10:00:00+07:00">27 March 2024</time>' in box
    assert "The wall is 2km long, not 3km." in box
    assert 'Quoted in this story: <a href="/sources/lina-chey/">Lina Chey</a>' in html


def test_story_page_lists_tags_in_the_order_the_desk_added_them(client):
    ArticleFactory().tags.add("Tide tables", "Harbour")  # the tags exist already
    article = ArticleFactory()
    for name in ["Ferries", "Harbour", "Storms", "Tide tables"]:
        article.tags.add(name)
    html = html_of(client.get(article.get_absolute_url()))
    nav = html[html.index('<nav class="tags"') :]
    assert re.findall(r'rel="tag">([^<]+)</a>', nav) == [
        "Ferries",
        "Harbour",
        "Storms",
        "Tide tables",
    ]
    assert json_ld(html)[0]["keywords"] == [
        "Ferries",
        "Harbour",
        "Storms",
        "Tide tables",
    ]


def test_syndicated_story_credits_the_original_and_points_canonical_at_it(client):
    article = ArticleFactory(
        publication=PublicationFactory(name="The Mekong Ledger"),
        canonical_url="https://ledger.example/2024/sea-wall",
    )
    html = html_of(client.get(article.get_absolute_url()))
    assert '<link rel="canonical" href="https://ledger.example/2024/sea-wall">' in html
    assert (
        'Originally published by <a href="https://ledger.example/2024/sea-wall">'
        "The Mekong Ledger</a>." in html
    )
    data = json_ld(html)[0]
    assert data["isBasedOn"] == "https://ledger.example/2024/sea-wall"
    assert data["sourceOrganization"]["name"] == "The Mekong Ledger"


def test_own_story_is_its_own_canonical(client, story):
    html = html_of(client.get(story.get_absolute_url()))
    canonical = f"http://testserver{story.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html


def test_story_page_lists_related_published_stories_only(client, story):
    shared = ArticleFactory(headline="Sea wall contractor named")
    shared.tags.add("flood defences")
    same_section = ArticleFactory(headline="Tram timetable changes")
    hidden = ArticleFactory(headline="Draft about the wall", draft=True)
    hidden.tags.add("flood defences")
    elsewhere = ArticleFactory(
        headline="Cup final tonight", section=SectionFactory(slug="sport")
    )

    html = html_of(client.get(story.get_absolute_url()))
    related = html[html.index('<aside class="related"') :]
    assert related.index(shared.headline) < related.index(same_section.headline)
    assert hidden.headline not in html
    assert elsewhere.headline not in related


def test_story_json_ld_describes_the_news_article(client, story):
    [data] = json_ld(html_of(client.get(story.get_absolute_url())))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.headline
    assert data["description"] == story.standfirst
    assert data["datePublished"] == "2024-03-25T08:30:00+07:00"
    assert data["dateModified"] == "2024-03-26T16:15:00+07:00"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Mara Quint",
            "url": "http://testserver/authors/mq/",
        },
        {"@type": "Person", "name": "Sok Dara", "url": "http://testserver/authors/sd/"},
    ]
    assert data["contributor"] == [
        {"@type": "Person", "name": "Teo Vance", "url": "http://testserver/authors/tv/"}
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["name"] == "The Newsroom"
    assert data["dateline"] == "PHNOM PENH"
    assert data["locationCreated"] == {"@type": "Place", "name": "PHNOM PENH"}
    image = data["image"]
    assert image["@type"] == "ImageObject"
    assert image["url"].startswith("http://testserver/uploads/")
    assert image["caption"] == "The old harbour wall at high tide."
    assert image["creditText"] == "Ana Ruiz/The Newsroom"
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The wall is 2km long, not 3km.",
            "datePublished": "2024-03-27T10:00:00+07:00",
        }
    ]


def test_json_ld_cannot_break_out_of_its_script_element(client):
    article = ArticleFactory(headline="Why </script><script>alert(1)</script> matters")
    html = html_of(client.get(article.get_absolute_url()))
    [data] = json_ld(html)
    assert data["headline"] == article.headline
    assert "<script>alert(1)" not in html


def test_markup_in_copy_is_shown_as_text_everywhere_on_the_page(client):
    """Escaped as Django escapes (``&quot;`` and ``&#x27;``), in text and in
    attributes, by the page and by the social tags alike."""
    article = ArticleFactory(
        headline='The "<b>bold</b>" harbour & the quay\'s end',
        standfirst="<img src=x onerror=alert(1)>",
        section__name="<i>Coast</i>",
    )
    html = html_of(client.get(article.get_absolute_url()))
    headline = (
        "The &quot;&lt;b&gt;bold&lt;/b&gt;&quot; harbour &amp; the quay&#x27;s end"
    )
    assert f'<h1 class="story__headline">{headline}</h1>' in html
    assert f"<title>{headline} — " in html
    assert f'<meta property="og:title" content="{headline}">' in html
    standfirst = "&lt;img src=x onerror=alert(1)&gt;"
    assert f'<meta name="description" content="{standfirst}">' in html
    assert f'<p class="story__standfirst">{standfirst}</p>' in html
    assert ': &lt;i&gt;Coast&lt;/i&gt; (RSS)"' in html
    assert "<b>bold" not in html and "<img src=x" not in html and "<i>Coast" not in html


def test_story_has_open_graph_and_twitter_card_tags(client, story):
    html = html_of(client.get(story.get_absolute_url()))
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:title") == story.headline
    assert meta(html, "og:description") == story.standfirst
    assert meta(html, "og:url") == f"http://testserver{story.get_absolute_url()}"
    assert meta(html, "og:image").startswith("http://testserver/uploads/")
    assert meta(html, "og:image:alt") == "Waves breaking over a low stone wall."
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:title") == story.headline
    assert meta(html, "article:published_time") == "2024-03-25T08:30:00+07:00"


def test_story_page_advertises_the_feeds_it_belongs_to(client, story):
    html = html_of(client.get(story.get_absolute_url()))
    assert 'type="application/rss+xml"' in html and 'href="/feeds/rss/"' in html
    assert 'href="/feeds/sections/city/rss/"' in html


def test_every_page_has_a_search_box_skip_link_and_landmarks(client, story):
    for url in [
        "/",
        story.get_absolute_url(),
        "/city/",
        "/authors/mq/",
        "/corrections/",
    ]:
        html = html_of(client.get(url))
        assert '<a class="skip-link" href="#content">Skip to content</a>' in html
        assert 'role="search"' in html and 'name="q"' in html
        assert '<main id="content"' in html and '<header class="masthead">' in html
        assert "<footer" in html
        assert html.count("<h1") == 1


# Home, sections, tags, authors, sources


def test_home_leads_with_the_latest_story_and_its_photo_then_sections(client):
    city = SectionFactory(name="City", slug="city", position=0)
    sport = SectionFactory(name="Sport", slug="sport", position=1)
    ArticleFactory(
        headline="Older city story",
        section=city,
        published_at=datetime.datetime(2024, 1, 1, tzinfo=UTC),
    )
    ArticleFactory(headline="Match report", section=sport)
    ArticleFactory(
        headline="Lead story", section=city, lead_photo=PhotoFactory(caption="Lead pic")
    )

    html = html_of(client.get("/"))
    lead_block = html[html.index('<article class="lead-story"') :]
    lead_block = lead_block[: lead_block.index("</article>")]
    assert "Lead story" in lead_block and "Lead pic" in lead_block
    assert "<figure" in lead_block and "<figcaption>" in lead_block
    assert html.index('id="home-section-city"') < html.index('id="home-section-sport"')
    assert html.index("Older city story") > html.index('id="home-section-city"')
    assert html.count(">Lead story<") == 1


def test_section_page_is_paginated(client):
    city = SectionFactory(name="City", slug="city")
    for n in range(23):
        ArticleFactory(
            headline=f"City story {n:02}",
            section=city,
            published_at=datetime.datetime(2024, 1, 1, tzinfo=UTC)
            + datetime.timedelta(hours=n),
        )
    first = html_of(client.get("/city/"))
    assert "City story 22" in first and "City story 03" in first
    assert "City story 02" not in first
    assert 'href="?page=2" rel="next"' in first
    second = html_of(client.get("/city/?page=2"))
    assert "City story 02" in second and "City story 22" not in second
    # Too high a number shows the last page; nonsense shows the first.
    assert "City story 02" in html_of(client.get("/city/?page=99"))
    assert "City story 22" in html_of(client.get("/city/?page=abc"))


def test_tag_page_lists_published_stories_with_that_tag(client):
    tagged = ArticleFactory(headline="Ferry fares rise")
    tagged.tags.add("Ferries")
    ArticleFactory(headline="Unrelated story")
    html = html_of(client.get(reverse("articles:tag", args=["ferries"])))
    assert "<h1" in html and "Ferries</h1>" in html
    assert "Ferry fares rise" in html and "Unrelated story" not in html
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_tag_used_only_on_drafts_has_no_page(client):
    ArticleFactory(draft=True).tags.add("Secret plans")
    assert client.get("/tags/secret-plans/").status_code == 404


def test_author_page_shows_portrait_role_bio_and_their_stories(client):
    journalist = JournalistFactory(
        name="Mara Quint",
        slug="mara-quint",
        role="Political correspondent",
        bio="Mara covers the council.",
        portrait=PhotoFactory(alt_text="Mara Quint, smiling", credit="Staff"),
    )
    BylineFactory(journalist=journalist, article__headline="Budget vote delayed")
    BylineFactory(journalist=journalist, article=ArticleFactory(draft=True))
    html = html_of(client.get("/authors/mara-quint/"))
    assert 'alt="Mara Quint, smiling"' in html
    assert "Political correspondent" in html and "Mara covers the council." in html
    assert "Budget vote delayed" in html
    assert 'href="/feeds/authors/mara-quint/rss/"' in html


def test_a_journalists_private_email_is_shown_on_no_public_surface(client):
    journalist = JournalistFactory(
        name="Mara Quint", slug="mara-quint", email="mara.quint@home-mail.example"
    )
    article = ArticleFactory(headline="Budget vote delayed", section__slug="city")
    BylineFactory(journalist=journalist, article=article)
    urls = [
        "/authors/mara-quint/",
        article.get_absolute_url(),  # its JSON-LD included
        "/",
        "/city/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/authors/mara-quint/rss/",
        "/feeds/authors/mara-quint/atom/",
        "/sitemap-authors.xml",
        "/api/stories/",
        f"/api/stories/{article.pk}/",
        f"/api/stories/{article.pk}/ninjs",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "Mara Quint" in text or "mara-quint" in text, url  # she is there
        assert "home-mail" not in text and "mara.quint@" not in text, url
    assert "application/ld+json" in client.get(article.get_absolute_url()).text


def test_source_page_lists_stories_with_what_the_source_said(client):
    source = SourceFactory(
        name="Lina Chey",
        slug="lina-chey",
        description="a hydrologist at the water board",
        contact_details="+855 12 345 678",
        notes="Prefers calls after six.",
    )
    QuoteFactory(
        source=source,
        article__headline="River levels fall",
        text="The river is lower than in any March on record.",
    )
    QuoteFactory(
        source=source,
        article=ArticleFactory(headline="Secret draft", draft=True),
        text="Never published.",
    )
    html = html_of(client.get(reverse("people:source", args=["lina-chey"])))
    assert "Lina Chey</h1>" in html and "A hydrologist at the water board" in html
    assert "River levels fall" in html
    assert "“The river is lower than in any March on record.”" in html
    assert "Secret draft" not in html and "Never published." not in html
    assert "+855" not in html and "Prefers calls" not in html


def test_a_source_is_linked_at_its_own_address_from_stories_and_the_desk(
    client, admin_client
):
    source = SourceFactory(name="Lina Chey", slug="lina-chey")
    quote = QuoteFactory(source=source, article__headline="River levels fall")
    anonymous = SourceFactory(slug="an-aide", on_record=False, description="an aide")

    assert source.get_absolute_url() == "/sources/lina-chey/"
    html = html_of(client.get(quote.article.get_absolute_url()))
    assert f'<a href="{source.get_absolute_url()}">Lina Chey</a>' in html
    assert client.get(source.get_absolute_url()).status_code == 200
    change = "admin:people_source_change"
    on_record = html_of(admin_client.get(reverse(change, args=[source.pk])))
    assert 'href="/sources/lina-chey/"' in on_record and "View on site" in on_record
    hidden = html_of(admin_client.get(reverse(change, args=[anonymous.pk])))
    assert "View on site" not in hidden and "/sources/an-aide/" not in hidden


def test_anonymous_sources_have_no_page_and_are_never_named(client):
    source = SourceFactory(
        name="Hidden Name", slug="hidden-name", on_record=False, description="an aide"
    )
    quote = QuoteFactory(source=source)
    assert client.get("/sources/hidden-name/").status_code == 404
    html = html_of(client.get(quote.article.get_absolute_url()))
    assert "Hidden Name" not in html and "/sources/hidden-name/" not in html


def test_source_quoted_only_in_drafts_has_no_page(client):
    QuoteFactory(
        source=SourceFactory(slug="draft-only"), article=ArticleFactory(draft=True)
    )
    assert client.get("/sources/draft-only/").status_code == 404


def test_corrections_page_lists_every_correction_with_its_story_and_date(client):
    old = CorrectionFactory(
        article__headline="Tram fares story",
        text="Fares rise 5%, not 50%.",
        published_at=datetime.datetime(2024, 2, 1, 3, tzinfo=UTC),
    )
    new = CorrectionFactory(article__headline="Ferry story", text="It sails at 9pm.")
    CorrectionFactory(article=ArticleFactory(draft=True), text="Draft correction.")
    html = html_of(client.get(reverse("articles:corrections")))
    assert html.index(new.text) < html.index(old.text)
    assert f'href="{old.article.get_absolute_url()}#correction-{old.pk}"' in html
    assert '<time datetime="2024-02-01T10:00:00+07:00">1 February 2024</time>' in html
    assert "Draft correction." not in html
    assert 'href="/feeds/corrections/rss/"' in html


# Search


def test_search_ranks_headline_above_standfirst_above_body(client, searchable):
    html = html_of(client.get("/search/", {"q": "mangrove"}))
    positions = [
        html.index(searchable[key].headline)
        for key in ("headline", "standfirst", "body")
    ]
    assert positions == sorted(positions)
    assert "Mangrove draft" not in html and "Cup final" not in html
    assert "3 stories matching “mangrove”" in html


def test_search_keeps_the_term_in_the_box_and_pages_with_it(client):
    for n in range(25):
        ArticleFactory(headline=f"Flood warning {n}")
    html = html_of(client.get("/search/", {"q": "flood"}))
    assert 'name="q" value="flood"' in html
    assert 'href="?q=flood&amp;page=2" rel="next"' in html
    second = html_of(client.get("/search/", {"q": "flood", "page": "2"}))
    assert "Page 2 of 2" in second and 'value="flood"' in second


def test_search_with_no_results_or_no_words_is_friendly(client):
    ArticleFactory()
    assert "No stories match “zzyzx”" in html_of(client.get("/search/?q=zzyzx"))
    html = html_of(client.get("/search/?q=+++"))
    assert 'id="search-query"' in html and "matching" not in html
    assert client.get("/search/", {"q": "x" * 5000}).status_code == 200


@pytest.mark.postgresql("the full-text index")
def test_postgresql_search_uses_the_full_text_index(searchable):
    from articles.search import search

    # Unfiltered, so the only index the planner could use is the search index:
    # this proves the query's expression is the one the index was built on.
    queryset = search(Article.objects.all(), "mangrove")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "article_search_idx" in plan


# Errors and preview


def test_unknown_pages_get_the_friendly_404_in_the_site_design(client):
    response = client.get("/city/no-such-story/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn’t find that page" in html and 'role="search"' in html
    assert '<link rel="stylesheet"' in html


def test_server_errors_get_the_friendly_500_page(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    with mock.patch("articles.views.latest_by_section", side_effect=RuntimeError):
        response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert '<link rel="stylesheet"' in html and "Skip to content" in html
    assert "Traceback" not in html and "RuntimeError" not in html


def staff_user(django_user_model, *, can_view=True):
    user = django_user_model.objects.create_user(
        "desk", password="pw-for-tests", is_staff=True
    )
    if can_view:
        user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_staff_preview_shows_an_unpublished_story_marked_as_preview(
    client, django_user_model, state
):
    article = ArticleFactory(headline="Embargoed budget", **{state: True})
    client.force_login(staff_user(django_user_model))
    response = client.get(reverse("articles:preview", args=[article.pk]))
    html = html_of(response)
    assert "Preview — not published" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert '<h1 class="story__headline">Embargoed budget</h1>' in html
    assert "no-store" in response["Cache-Control"]


def test_preview_sends_readers_and_unprivileged_staff_to_the_login(
    client, django_user_model
):
    article = ArticleFactory(draft=True)
    url = reverse("articles:preview", args=[article.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    client.force_login(staff_user(django_user_model, can_view=False))
    assert client.get(url).status_code == 302

    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.get(url).status_code == 302


def test_preview_of_a_missing_story_is_404_for_staff(client, django_user_model):
    client.force_login(staff_user(django_user_model))
    assert client.get(reverse("articles:preview", args=[999999])).status_code == 404


# Speed: a fixed number of queries, and no image processing on the request path


def dress(article, *, bylines, tags, quotes, corrections):
    for n in range(bylines):
        BylineFactory(article=article, position=n, role="" if n % 3 else "Photos")
    article.tags.add(*[f"tag {article.pk}-{n}" for n in range(tags)])
    for n in range(quotes):
        QuoteFactory(article=article, source=SourceFactory(on_record=n % 2 == 0))
    for _ in range(corrections):
        CorrectionFactory(article=article)
    return article


def count_queries(client, url):
    page_cache.settle()  # the cache's once-per-generation look-up (conftest.py)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_story_page_costs_the_same_however_much_it_carries(
    client, django_assert_max_num_queries
):
    small = dress(
        ArticleFactory(lead_photo=PhotoFactory()),
        bylines=1,
        tags=1,
        quotes=1,
        corrections=1,
    )
    large = dress(
        ArticleFactory(lead_photo=PhotoFactory()),
        bylines=10,
        tags=30,
        quotes=20,
        corrections=5,
    )
    for _ in range(6):
        ArticleFactory().tags.add(*large.tags.all()[:3])
    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, large.get_absolute_url()
    )
    # The story, its bylines, photo renditions, tags, corrections and quotes,
    # the related stories and the section menu.
    with django_assert_max_num_queries(8):
        client.get(large.get_absolute_url())


@pytest.mark.parametrize(
    "url",
    ["/", "/city/", "/tags/common/", "/authors/prolific/", "/sources/quoted/"],
)
def test_list_pages_cost_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, url
):
    journalist = JournalistFactory(slug="prolific")
    source = SourceFactory(slug="quoted")

    def add_stories(n):
        for _ in range(n):
            article = ArticleFactory(lead_photo=PhotoFactory())
            dress(article, bylines=3, tags=2, quotes=0, corrections=1)
            article.tags.add("common")
            BylineFactory(article=article, journalist=journalist, position=9)
            QuoteFactory(article=article, source=source)

    add_stories(2)
    few = count_queries(client, url)
    add_stories(10)
    assert count_queries(client, url) == few
    with django_assert_max_num_queries(8):
        client.get(url)


def test_search_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(12):
        dress(
            ArticleFactory(headline="Flood news", lead_photo=PhotoFactory()),
            bylines=3,
            tags=2,
            quotes=0,
            corrections=0,
        )
    # PostgreSQL: one more, the setting that turns JIT off for the search
    # (articles.search.ranked).
    with django_assert_max_num_queries(6 + (connection.vendor == "postgresql")):
        assert client.get("/search/?q=flood").status_code == 200


@contextmanager
def no_image_processing():
    """Fail loudly if anything opens an image with Pillow."""
    with mock.patch("PIL.Image.open", side_effect=AssertionError("image opened")):
        yield


def test_rendering_pages_never_processes_images(client, story):
    ArticleFactory(lead_photo=PhotoFactory())
    journalist = story.bylines.first().journalist
    journalist.portrait = PhotoFactory()
    journalist.save()
    urls = [
        "/",
        story.get_absolute_url(),
        "/city/",
        journalist.get_absolute_url(),
        "/feeds/rss/",
        "/feeds/atom/",
        f"/api/stories/{story.pk}/",
        f"/api/stories/{story.pk}/ninjs",
        "/api/stories/",
    ]
    with no_image_processing():
        for url in urls:
            assert client.get(url).status_code == 200, url
