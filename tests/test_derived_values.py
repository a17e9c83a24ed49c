"""A value derived from a story means the same on every surface that shows it:
the last update time, and who is quoted (issue 12: one definition each, on
the model)."""

import datetime

import pytest
from django.utils import timezone

from articles.sitemaps import month_key

from .factories import ArticleFactory, PhotoFactory, QuoteFactory, SourceFactory
from .test_reader_feeds import NS, xml_of
from .test_reader_pages import html_of, json_ld, meta

pytestmark = pytest.mark.django_db


def moments_shown(client, story):
    """The story's last update time as each surface gives it (the month
    sitemap gives only the local day)."""
    page = html_of(client.get(story.get_absolute_url()))
    [article_ld] = [block for block in json_ld(page) if "dateModified" in block]
    api = client.get(f"/api/stories/{story.pk}/").json()
    ninjs = client.get(f"/api/stories/{story.pk}/ninjs").json()
    atom = xml_of(client.get("/feeds/atom/"))
    [entry] = atom.findall("atom:entry", NS)
    [news] = xml_of(client.get("/sitemap-news.xml")).findall("sm:url", NS)
    parse = datetime.datetime.fromisoformat
    return {
        "JSON-LD dateModified": parse(article_ld["dateModified"]),
        "Open Graph article:modified_time": parse(meta(page, "article:modified_time")),
        "API updated_at": parse(api["updated_at"]),
        "ninjs versionCreated": parse(ninjs["versionCreated"]),
        "Atom updated": parse(entry.findtext("atom:updated", namespaces=NS)),
        "news sitemap lastmod": parse(news.findtext("sm:lastmod", namespaces=NS)),
    }


def month_sitemap_day(client, story):
    month = month_key(story.published_on)
    [url] = xml_of(client.get(f"/sitemap-{month}.xml")).findall("sm:url", NS)
    return url.findtext("sm:lastmod", namespaces=NS)


@pytest.mark.parametrize("revised", [True, False], ids=["revised", "never revised"])
def test_every_surface_gives_a_story_the_same_last_update_time(client, revised):
    now = timezone.now().replace(microsecond=0)
    published = now - datetime.timedelta(hours=20)
    story = ArticleFactory(
        published_at=published,
        revised_at=now - datetime.timedelta(hours=2) if revised else None,
    )
    expected = story.revised_at if revised else published

    shown = moments_shown(client, story)

    assert shown == dict.fromkeys(shown, expected)
    assert month_sitemap_day(client, story) == str(timezone.localdate(expected))


def test_who_is_quoted_is_the_same_on_the_page_in_the_api_and_in_ninjs(client):
    story = ArticleFactory(lead_photo=PhotoFactory())
    first = SourceFactory(name="Lina Chey", slug="lina-chey")
    second = SourceFactory(name="Sok Dara", slug="sok-dara")
    aide = SourceFactory(name="Hidden Name", on_record=False, description="an aide")
    for position, source in enumerate([second, aide, first, second, None]):
        QuoteFactory(article=story, source=source, position=position)

    page = html_of(client.get(story.get_absolute_url()))
    api = client.get(f"/api/stories/{story.pk}/").json()
    ninjs = client.get(f"/api/stories/{story.pk}/ninjs").json()

    assert (
        'Quoted in this story: <a href="/sources/sok-dara/">Sok Dara</a>, '
        '<a href="/sources/lina-chey/">Lina Chey</a>'
    ) in page
    # The API names everyone quoted, an anonymous source by description.
    assert [source["name"] for source in api["sources"]] == [
        "Sok Dara",
        "an aide",
        "Lina Chey",
    ]
    quoted = [person["name"] for person in ninjs.get("people", [])]
    assert [name for name in quoted if name in {"Sok Dara", "Lina Chey"}] == [
        "Sok Dara",
        "Lina Chey",
    ]
    assert "Hidden Name" not in page + str(api) + str(ninjs)
