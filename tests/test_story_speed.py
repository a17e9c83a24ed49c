"""The uncached story page: a fixed number of queries however much the story
holds, and everything a reader, a crawler and a social card see still on it
(``bench/story_loop.py`` measures its time)."""

import json
import re

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone
from taggit.models import Tag

from articles.models import Byline
from media.services import attach_picture
from newsroom import page_cache

from .factories import (
    ArticleFactory,
    CorrectionFactory,
    JournalistFactory,
    PhotoFactory,
    QuoteFactory,
    SourceFactory,
)
from .markup import parse
from .picture_files import jpeg

pytestmark = pytest.mark.django_db

# Story, bylines with journalists, renditions, tags, corrections, quotes with
# sources, related stories, the section menu.
STORY_PAGE_QUERIES = 8


def story_holding(rows):
    """A story with a lead photo and its renditions, and ``rows`` bylines,
    quotes, tags and corrections; and a story sharing its tags."""
    photo = PhotoFactory(image="", alt_text="Waves over the harbour wall.")
    photo = attach_picture(
        photo=photo, file=ContentFile(jpeg((2000, 1200))), name="w.jpg"
    )
    story = ArticleFactory(lead_photo=photo, headline="Sea wall approved")
    for n in range(rows):
        Byline.objects.create(
            article=story,
            journalist=JournalistFactory(name=f"Reporter {n}", slug=f"reporter-{n}"),
            position=n,
            role="" if n % 2 == 0 else "Photography",
        )
        QuoteFactory(
            article=story,
            source=SourceFactory(name=f"Source {n}", slug=f"source-{n}"),
            position=n,
        )
        CorrectionFactory(article=story, text=f"Correction number {n}.")
    tags = [
        Tag.objects.create(name=f"Topic {n}", slug=f"topic-{n}") for n in range(rows)
    ]
    story.tags.set(tags)
    related = ArticleFactory(
        headline="Flood defences a year on",
        section=story.section,
        published_at=timezone.now() - timezone.timedelta(days=2),
    )
    related.tags.set(tags[:1])
    return story


@pytest.mark.parametrize("rows", [2, 20])
def test_the_uncached_story_page_costs_the_same_queries_whatever_it_holds(
    client, settings, rows, django_assert_num_queries
):
    settings.NEWSROOM_PAGE_CACHE = False
    story = story_holding(rows)
    # The clock held still: the next scheduled change, looked up once a
    # second when nothing is stored, is not looked up again mid-count on a
    # slow machine.
    with time_machine.travel(timezone.now(), tick=False):
        page_cache.settle()
        with django_assert_num_queries(STORY_PAGE_QUERIES):
            response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    page = parse(html)

    # What a reader sees: every byline, tag, correction and on-record source,
    # the related story, the picture in every width.
    for n in range(rows):
        assert f"Reporter {n}</a>" in html
        assert f'href="/tags/topic-{n}/"' in html
        assert f"Correction number {n}." in html
        assert f">Source {n}</a>" in html
    [related] = page.find_all("aside", **{"class": "related"})
    assert "Flood defences a year on" in related.text
    [picture] = page.find_all("picture")
    [source] = [e for e in page.find_all("source") if e.parent is picture]
    [img] = [e for e in page.find_all("img") if e.parent is picture]
    assert len(source.attrs["srcset"].split(",")) == 3  # every page width
    assert len(img.attrs["srcset"].split(",")) == 3

    # What a crawler and a social card read, under the page's CSP nonce.
    [script] = page.find_all("script", type="application/ld+json")
    nonce = script.attrs["nonce"]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    data = json.loads(script.text)
    assert data["headline"] == "Sea wall approved"
    assert (
        data["url"]
        == data["mainEntityOfPage"]
        == f"http://testserver{story.get_absolute_url()}"
    )
    assert data["keywords"] == [f"Topic {n}" for n in range(rows)]
    assert len(data["author"]) + len(data["contributor"]) == rows
    assert len(data["correction"]) == rows
    assert data["image"]["url"].startswith("http://testserver/")
    meta = {
        tag.attrs.get("property") or tag.attrs.get("name"): tag.attrs["content"]
        for tag in page.find_all("meta")
        if "content" in tag.attrs
    }
    assert meta["og:title"] == "Sea wall approved"
    assert meta["og:image"] == data["image"]["url"] == meta["twitter:image"]
    assert meta["og:image:alt"] == "Waves over the harbour wall."
    assert meta["twitter:card"] == "summary_large_image"

    # What caches read.
    assert response["ETag"].startswith('W/"') and response["Last-Modified"]
    assert re.search(r"public, max-age=\d+", response["Cache-Control"])
    assert response["X-Content-Type-Options"] == "nosniff"
    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_story_page_dates_read_as_djangos_date_filter_writes_them(client):
    from django.utils.dateformat import format as django_format

    story = ArticleFactory()
    html = client.get(story.get_absolute_url()).content.decode()
    moment = timezone.localtime(story.published_at)
    shown = f'<time datetime="{django_format(moment, "c")}">'
    assert shown + django_format(moment, "j F Y, H:i") + "</time>" in html
