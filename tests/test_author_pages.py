"""A journalist's page and feed list exactly their published stories, newest
first, whichever path changed a story: the admin form and its bylines, the
bulk actions, ``QuerySet.update()``, the importer, a restore, the clock
reaching a scheduled time. The bylines carry their story's public time
(``Byline.story_published_at``) so the page reads one index; these tests
check it never drifts from the stories."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline
from articles.publishing import mark_published
from newsroom import page_cache

from .admin_forms import posted_back
from .factories import ArticleFactory, BylineFactory, JournalistFactory
from .markup import parse, words
from .test_articles_import import BARRIER, run, write
from .test_desk import (
    ADD,
    change_url,
    edit_form,
    member,
    run_action,
    signed_in,
    story_form,
    with_byline,
)
from .test_restore import keep_version, restore

pytestmark = pytest.mark.django_db


def page_headlines(client, journalist, **query):
    response = client.get(journalist.get_absolute_url(), query)
    assert response.status_code == 200
    return [
        words(heading.text)
        for heading in parse(response.content.decode()).find_all(
            "h3", **{"class": "story-card__headline"}
        )
    ]


def feed_headlines(client, journalist):
    feed = client.get(f"/feeds/authors/{journalist.slug}/rss/")
    assert feed.status_code == 200
    return [item.findtext("title") for item in ET.fromstring(feed.content).iter("item")]


def listed(client, journalist):
    """The page's headlines, checked against the feed's and against the
    stories as stored, so the copy on the bylines never drifts."""
    page = page_headlines(client, journalist)
    assert feed_headlines(client, journalist) == page
    expected = Article.objects.published().filter(bylines__journalist=journalist)
    assert page == [story.headline for story in expected.order_by("-published_at")]
    for byline in Byline.objects.select_related("article"):
        assert byline.story_published_at == byline.article.public_since, byline
    return page


def story_by(journalist, headline, hours_ago, **fields):
    article = ArticleFactory(
        headline=headline,
        published_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        **fields,
    )
    BylineFactory(article=article, journalist=journalist)
    return article


@pytest.fixture
def editor(client):
    return signed_in(client, member("ed", "Editor"))


@pytest.fixture
def mara():
    return JournalistFactory(name="Mara Quint", slug="mara-quint")


def test_the_page_lists_published_stories_newest_first_not_drafts_or_scheduled(
    client, mara
):
    story_by(mara, "Tram line opens", 5)
    story_by(mara, "Bridge closes for repairs", 1)
    story_by(mara, "Budget draft leaks", 2, draft=True)
    story_by(mara, "Harbour festival announced", -3)  # scheduled
    story_by(JournalistFactory(), "Someone else's story", 1)

    assert listed(client, mara) == ["Bridge closes for repairs", "Tram line opens"]


def test_a_scheduled_story_appears_when_its_time_arrives(client, mara):
    story_by(mara, "Tram line opens", 5)
    start = timezone.now()
    story_by(mara, "Harbour festival announced", -0.002)  # seven seconds ahead
    with time_machine.travel(start, tick=False) as clock:
        assert listed(client, mara) == ["Tram line opens"]
        clock.shift(datetime.timedelta(seconds=8))
        assert listed(client, mara) == ["Harbour festival announced", "Tram line opens"]


def test_publishing_editing_the_time_and_unpublishing_in_the_admin(
    client, editor, mara
):
    story_by(mara, "Tram line opens", 5)
    data = with_byline(story_form(), mara)
    assert client.post(ADD, data).status_code == 302
    draft = Article.objects.get(slug="night-buses-return")
    assert listed(client, mara) == ["Tram line opens"]

    client.post(change_url(draft), edit_form(client, draft, status="published"))
    assert listed(client, mara) == [
        "Night buses return to the old town",
        "Tram line opens",
    ]

    draft.refresh_from_db()  # the form sends back the status it has now
    earlier = timezone.localtime() - datetime.timedelta(hours=9)
    response = client.post(
        change_url(draft),
        edit_form(
            client,
            draft,
            published_at_0=earlier.strftime("%Y-%m-%d"),
            published_at_1=earlier.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    assert listed(client, mara) == [
        "Tram line opens",
        "Night buses return to the old town",
    ]

    later = timezone.localtime() + datetime.timedelta(days=1)
    draft.refresh_from_db()
    client.post(
        change_url(draft),
        edit_form(
            client,
            draft,
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    assert listed(client, mara) == ["Tram line opens"]  # rescheduled: not yet


def test_the_bulk_actions_unpublish_and_publish(client, editor, mara):
    tram = story_by(mara, "Tram line opens", 5)
    bridge = story_by(mara, "Bridge closes for repairs", 1)

    run_action(client, "unpublish", tram, bridge)
    assert listed(client, mara) == []
    run_action(client, "publish_now", tram)
    assert listed(client, mara) == ["Tram line opens"]


def test_changing_or_removing_a_byline_in_the_admin(client, editor, mara):
    teo = JournalistFactory(name="Teo Vance", slug="teo-vance")
    dara = JournalistFactory(name="Sok Dara", slug="sok-dara")
    story = story_by(mara, "Tram line opens", 5)
    BylineFactory(article=story, journalist=dara, position=1)

    changed = {"bylines-0-journalist": teo.pk}
    assert (
        client.post(change_url(story), edit_form(client, story, **changed)).status_code
        == 302
    )
    assert listed(client, mara) == []
    assert listed(client, teo) == ["Tram line opens"]

    removed = {"bylines-0-DELETE": "on"}
    assert (
        client.post(change_url(story), edit_form(client, story, **removed)).status_code
        == 302
    )
    assert list(story.bylines.values_list("journalist__name", flat=True)) == [
        "Sok Dara"
    ]
    assert listed(client, teo) == []
    assert listed(client, dara) == ["Tram line opens"]


def test_bulk_updates_of_stories_reach_their_bylines(client, mara):
    tram = story_by(mara, "Tram line opens", 5)
    bridge = story_by(mara, "Bridge closes for repairs", 1)
    story_by(mara, "Budget draft leaks", 2, draft=True)

    Article.objects.filter(pk=bridge.pk).update(status=Article.Status.DRAFT)
    assert listed(client, mara) == ["Tram line opens"]
    Article.objects.filter(status=Article.Status.DRAFT).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    assert listed(client, mara) == [
        "Budget draft leaks",
        "Bridge closes for repairs",
        "Tram line opens",
    ]
    tram.published_at = timezone.now() + datetime.timedelta(minutes=1)
    bridge.published_at = timezone.now() - datetime.timedelta(days=3)
    Article.objects.bulk_update([tram, bridge], ["published_at"])
    assert listed(client, mara) == ["Budget draft leaks", "Bridge closes for repairs"]


def test_a_story_saved_from_a_stale_copy_or_with_chosen_fields(client, mara):
    story = story_by(mara, "Tram line opens", 5)
    stale = Article.objects.get(pk=story.pk)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    stale.headline = "Tram line opens at last"
    stale.save(update_fields=["headline"])  # leaves the status alone
    assert listed(client, mara) == []

    by_hand = Article(
        **{
            field.attname: getattr(stale, field.attname)
            for field in Article._meta.concrete_fields
        }
    )
    by_hand.status = Article.Status.PUBLISHED
    by_hand.save()
    assert listed(client, mara) == ["Tram line opens at last"]


def test_an_imported_story_is_listed_under_its_author(client, tmp_path):
    write(tmp_path, "barrier.txt", BARRIER)
    run(tmp_path, "--publish")
    [author] = {byline.journalist for byline in Byline.objects.all()}
    assert listed(client, author) == [
        "Riverton opens flood barrier after a decade of delays"
    ]


def test_a_restored_version_keeps_the_story_listed(client, editor, mara):
    story = story_by(mara, "Tram line opens", 5, draft=True)
    draft_version = keep_version(story)  # its byline, copied while a draft
    mark_published(story, at=timezone.now() - datetime.timedelta(hours=2))
    story.save()
    keep_version(story)
    assert listed(client, mara) == ["Tram line opens"]

    restore(client, story, draft_version)
    assert listed(client, mara) == ["Tram line opens"]


def test_a_recovered_story_is_listed_again(client, editor, mara):
    """Recovery brings back the kept rows, here a byline whose copy of the
    time is out of date; the story saved by the recover form puts it right."""
    story = story_by(mara, "Tram line opens", 5)
    Byline.objects.update(story_published_at=None)  # as kept before the copy
    version = keep_version(story)
    story.delete()
    assert page_headlines(client, mara) == []

    url = reverse("admin:articles_article_recover", args=[version.pk])
    response = client.post(url, posted_back(client.get(url)))
    assert response.status_code == 302
    assert listed(client, mara) == ["Tram line opens"]


def test_the_page_and_feed_cost_the_same_for_a_journalist_of_25_or_85_stories(
    client, mara
):
    teo = JournalistFactory(name="Teo Vance", slug="teo-vance")

    def queries(url):
        page_cache.settle()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = [
        "/authors/mara-quint/",
        "/authors/mara-quint/?page=2",
        "/feeds/authors/mara-quint/atom/",
    ]
    for number in range(25):
        story_by(mara, f"Story {number}", number + 1)
        story_by(teo, f"Other {number}", number + 1)
    few = [queries(url) for url in urls]
    for number in range(60):
        story_by(mara, f"More {number}", number + 30)
    assert [queries(url) for url in urls] == few
    assert page_headlines(client, mara, page=2)[-1] == "More 14"
