"""The one rule: drafts, stories in review, scheduled stories and stories
published and then unpublished appear nowhere public. This walks every public
surface, following every link it finds, with such stories present, and proves
that none of them leaks."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    JournalistFactory,
    PhotoFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

WEEK_AGO = timezone.now() - datetime.timedelta(days=7)

HIDDEN_STATES = {
    "draft": {"draft": True},
    "review": {"status": Article.Status.IN_REVIEW, "published_at": None},
    "scheduled": {"scheduled": True},
    # What the Unpublish action leaves: a draft whose publication times are past.
    "unpublished": {
        "status": Article.Status.DRAFT,
        "published_at": WEEK_AGO,
        "first_published_at": WEEK_AGO,
    },
}
MAX_PAGES = 400


@pytest.fixture
def newsroom():
    """Public stories, and for each hidden state a story with its own marker
    word, tag, author, source, photo and correction that exist nowhere else."""
    city = SectionFactory(name="City", slug="city")
    sport = SectionFactory(name="Sport", slug="sport")
    shared_author = JournalistFactory(name="Mara Quint", slug="mara-quint")
    shared_source = SourceFactory(name="Lina Chey", slug="lina-chey")
    public = []
    for n, section in enumerate([city, sport, city]):
        article = ArticleFactory(
            headline=f"Public story {n} about the harbour",
            section=section,
            lead_photo=PhotoFactory(caption=f"Public caption {n}"),
        )
        BylineFactory(article=article, journalist=shared_author)
        QuoteFactory(article=article, source=shared_source)
        article.tags.add("harbour", "shared")
        CorrectionFactory(article=article, text=f"Public correction {n}")
        public.append(article)

    hidden = {}
    for state, traits in HIDDEN_STATES.items():
        marker = f"zq{state}marker"
        article = ArticleFactory(
            headline=f"Harbour {marker} headline",
            slug=f"{marker}-slug",
            standfirst=f"Standfirst {marker}",
            body=f"<p>Body {marker} about the harbour.</p>",
            section=city,
            lead_photo=PhotoFactory(caption=f"Caption {marker}", credit=marker),
            **traits,
        )
        # Shared with public stories, so related stories and shared pages are tested.
        article.tags.add("harbour", "shared", f"tag-{marker}")
        BylineFactory(article=article, journalist=shared_author)
        BylineFactory(
            article=article,
            position=1,
            journalist__name=f"Author {marker}",
            journalist__slug=f"author-{marker}",
        )
        QuoteFactory(article=article, source=shared_source, text=f"Quote {marker}")
        QuoteFactory(
            article=article,
            source=SourceFactory(name=f"Source {marker}", slug=f"source-{marker}"),
            text=f"Other quote {marker}",
        )
        CorrectionFactory(article=article, text=f"Correction {marker}")
        hidden[state] = {"article": article, "marker": marker}
    return {"public": public, "hidden": hidden}


def links_in(url, response):
    """Every same-site address a page, feed, sitemap or API response points at."""
    content_type = response.get("Content-Type", "")
    text = response.content.decode()
    found = set()
    if "json" in content_type:
        found |= set(re.findall(r'"(http://testserver/[^"]*)"', text))
    elif "xml" in content_type:
        root = ET.fromstring(response.content)
        for element in root.iter():
            if element.text and element.text.strip().startswith("http://testserver/"):
                found.add(element.text.strip())
            for name in ("href", "url"):
                if element.get(name, "").startswith("http://testserver/"):
                    found.add(element.get(name))
    elif "text/plain" in content_type:
        found |= set(re.findall(r"http://testserver/\S+", text))
    else:
        found |= {urljoin(url, href) for href in re.findall(r'href="([^"#]+)', text)}
    addresses = set()
    for link in found:
        parts = urlsplit(link.replace("&amp;", "&"))
        if parts.netloc in ("", "testserver") and not parts.path.startswith(
            ("/admin/", "/static/", "/uploads/", "/api/docs")
        ):
            addresses.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return addresses


def walk(client, start):
    """Visit every public address reachable from ``start``; {address: response}."""
    seen, queue, pages = set(start), deque(start), {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        pages[url] = response
        if response.status_code != 200:
            continue
        for link in links_in(url, response) - seen:
            seen.add(link)
            queue.append(link)
    return pages


START = [
    "/",
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/corrections/rss/",
    "/feeds/corrections/atom/",
    "/corrections/",
    "/api/stories/",
    "/api/openapi.json",
    "/search/?q=harbour",
    # Words only hidden stories contain (the marker itself would be echoed back).
    "/search/?q=headline",
    "/search/?q=standfirst",
    "/search/?q=body",
    "/search/?q=harbour+headline",
    "/tags/harbour/",
    "/tags/shared/",
    "/authors/mara-quint/",
    "/sources/lina-chey/",
]


def test_no_public_surface_shows_drafts_stories_in_review_scheduled_or_unpublished(
    client, newsroom
):
    # The API's items carry no links to themselves: ask for every story by id.
    by_id = [
        f"/api/stories/{pk}/{suffix}"
        for pk in Article.objects.values_list("pk", flat=True)
        for suffix in ("", "ninjs")
    ]
    pages = walk(client, START + by_id)

    # The walk really covered the site: every kind of public surface was reached.
    ok = {url for url, response in pages.items() if response.status_code == 200}
    for public in newsroom["public"]:
        assert public.get_absolute_url() in ok
        assert f"/api/stories/{public.pk}/" in ok
        assert f"/api/stories/{public.pk}/ninjs" in ok
    for expected in [
        "/city/",
        "/sport/",
        "/feeds/sections/city/rss/",
        "/feeds/authors/mara-quint/atom/",
        "/sitemap-authors.xml",
        "/sources/lina-chey/",
        "/tags/shared/",
    ]:
        assert expected in ok, expected
    assert any(url.startswith("/sitemap-stories-") for url in ok)  # a month's
    assert len(ok) > 40

    markers = [hidden["marker"] for hidden in newsroom["hidden"].values()]
    for url, response in pages.items():
        assert response.status_code < 500, url
        text = response.content.decode()
        for marker in markers:
            assert marker not in text, f"{marker} leaked on {url}"


def test_hidden_stories_own_pages_and_entries_answer_404(client, newsroom):
    for hidden in newsroom["hidden"].values():
        article, marker = hidden["article"], hidden["marker"]
        for url in [
            article.get_absolute_url(),
            f"/api/stories/{article.pk}/",
            f"/api/stories/{article.pk}/ninjs",
            f"/tags/tag-{marker}/",
            f"/sources/source-{marker}/",
        ]:
            assert client.get(url).status_code == 404, url
        # Their own author exists, with no stories to show and an empty feed.
        author = client.get(f"/authors/author-{marker}/").content.decode()
        assert marker not in author.replace(f"Author {marker}", "").replace(
            f"author-{marker}", ""
        )
        feed = client.get(f"/feeds/authors/author-{marker}/rss/")
        assert b"<item>" not in feed.content


def test_api_counts_only_published_stories(client, newsroom):
    data = client.get("/api/stories/").json()
    assert data["count"] == len(newsroom["public"])
    text = json.dumps(data)
    # The markers, not just "zq": photo files' random suffixes may hold those two.
    for hidden in newsroom["hidden"].values():
        assert hidden["marker"] not in text


def test_a_scheduled_story_appears_everywhere_once_its_time_comes(client, newsroom):
    article = newsroom["hidden"]["scheduled"]["article"]
    Article.objects.filter(pk=article.pk).update(published_at=article.created_at)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.headline in client.get("/").content.decode()
    assert article.headline in client.get("/feeds/rss/").content.decode()
    assert client.get(f"/api/stories/{article.pk}/").status_code == 200
