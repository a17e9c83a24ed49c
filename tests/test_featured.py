"""The "Featured" pin: an editor pins a story as the home page's lead.

The home page leads with the story pinned most recently among those readers
may see (published, its time come, no embargo ahead); pinning and unpinning
are editors' changes, kept in the story's history, and the next anonymous
request to the cached home page shows them.
"""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import publishing
from articles.models import Article
from newsroom import page_cache
from newsroom.settings import cache_from_url

from .factories import ArticleFactory, BylineFactory, PhotoFactory, SectionFactory
from .test_cache import ensure_redis
from .test_desk import (
    CHANGELIST,
    change_url,
    edit_form,
    member,
    page_messages,
    signed_in,
)

pytestmark = pytest.mark.django_db

HOME = reverse("articles:index")
REDIS_URL = "redis://127.0.0.1:6379/8"  # this work's own Redis database


def lead_headline(client):
    html = client.get(HOME).content.decode()
    found = re.search(r'id="lead-story-title"><a href="[^"]*">([^<]*)</a>', html)
    return found.group(1) if found else None


@pytest.fixture
def stories():
    """The newest story has a photo (so it leads unpinned); two older ones."""
    now = timezone.now()
    city = SectionFactory(name="City", slug="city")
    newest = ArticleFactory(
        headline="Newest with a photo",
        section=city,
        published_at=now - datetime.timedelta(minutes=5),
        lead_photo=PhotoFactory(),
    )
    older = ArticleFactory(
        headline="Older council story",
        section=SectionFactory(name="Business", slug="business"),
        published_at=now - datetime.timedelta(days=3),
    )
    oldest = ArticleFactory(
        headline="Oldest harbour story",
        section=city,
        published_at=now - datetime.timedelta(days=9),
    )
    for story in (newest, older, oldest):
        BylineFactory(article=story)
    return {"newest": newest, "older": older, "oldest": oldest}


def pin(story, when=None):
    with time_machine.travel(when or timezone.now(), tick=False):
        result = publishing.feature(article=story, by=member_editor())
    assert result.done, result.message
    return result


def member_editor():
    from django.contrib.auth.models import User

    found = User.objects.filter(username="pinning-editor").first()
    return found or member("pinning-editor", "Editor")


def test_without_a_pin_the_newest_story_with_a_photo_leads(client, stories):
    assert lead_headline(client) == "Newest with a photo"


def test_a_pinned_story_leads_the_home_page(client, stories):
    pin(stories["oldest"])
    assert lead_headline(client) == "Oldest harbour story"
    html = client.get(HOME).content.decode()
    # It leads, and is not shown a second time in its section.
    assert html.count("Oldest harbour story") == 1


def test_the_newest_pin_wins_and_unpinning_it_brings_back_the_one_before(
    client, stories
):
    now = timezone.now()
    pin(stories["older"], now - datetime.timedelta(hours=2))
    pin(stories["oldest"], now - datetime.timedelta(hours=1))
    assert lead_headline(client) == "Oldest harbour story"
    assert publishing.feature(
        article=stories["oldest"], by=member_editor(), featured=False
    ).done
    assert lead_headline(client) == "Older council story"


@pytest.mark.parametrize("state", ["draft", "scheduled", "embargoed", "killed"])
def test_a_pinned_story_leads_only_while_readers_may_see_it(client, stories, state):
    story = stories["oldest"]
    pin(story)
    changes = {
        "draft": {"status": Article.Status.DRAFT},
        "scheduled": {"published_at": timezone.now() + datetime.timedelta(hours=1)},
        "embargoed": {"embargoed_until": timezone.now() + datetime.timedelta(hours=1)},
        "killed": {"status": Article.Status.KILLED},
    }[state]
    Article.objects.filter(pk=story.pk).update(**changes)
    assert lead_headline(client) == "Newest with a photo"
    assert "Oldest harbour story" not in client.get(HOME).content.decode()


def test_a_pinned_scheduled_story_leads_once_it_is_out(client, stories):
    story = stories["oldest"]
    pin(story)
    due = timezone.now() + datetime.timedelta(hours=1)
    Article.objects.filter(pk=story.pk).update(published_at=due)
    assert lead_headline(client) == "Newest with a photo"
    with time_machine.travel(due + datetime.timedelta(minutes=1)):
        assert lead_headline(client) == "Oldest harbour story"


def test_an_editor_pins_a_story_in_the_form_and_history_says_so(client, stories):
    story = stories["older"]
    signed_in(client, member_editor())
    response = client.post(change_url(story), edit_form(client, story, featured="on"))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.featured and story.featured_at is not None
    comments = [v.revision.comment for v in Version.objects.get_for_object(story)]
    assert any(c.startswith("Pinned as the home page's lead") for c in comments)
    assert lead_headline(client.__class__()) == "Older council story"

    response = client.post(change_url(story), edit_form(client, story))  # unticked
    assert response.status_code == 302
    story.refresh_from_db()
    assert not story.featured and story.featured_at is None
    comments = [v.revision.comment for v in Version.objects.get_for_object(story)]
    assert any(c.startswith("Unpinned from the home page's lead") for c in comments)


def test_a_reporter_cannot_pin_a_story_by_the_form_or_otherwise(client):
    reporter = member("rita", "Reporter")
    story = ArticleFactory(draft=True, created_by=reporter, headline="Rita's draft")
    signed_in(client, reporter)
    form = client.get(change_url(story))
    assert "featured" not in form.context["adminform"].form.fields
    response = client.post(change_url(story), edit_form(client, story, featured="on"))
    assert response.status_code == 302
    story.refresh_from_db()
    assert not story.featured

    refused = publishing.feature(article=story, by=reporter)
    assert not refused.done and refused.reasons == (publishing.FEATURE_REFUSAL,)
    story.featured = True  # as a forged save would try
    assert publishing.FEATURE_REFUSAL in publishing.edit_problems(
        article=story, by=reporter
    )


def test_the_editors_form_shows_the_featured_box(client, stories):
    signed_in(client, member_editor())
    form = client.get(change_url(stories["older"]))
    assert "featured" in form.context["adminform"].form.fields
    assert "home page" in form.content.decode()


def test_the_desk_list_still_loads_with_pinned_stories(client, stories):
    pin(stories["older"])
    signed_in(client, member_editor())
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert page_messages(response) == []


@pytest.mark.parametrize("count", [2, 20])
def test_the_home_page_costs_the_same_with_a_pin(client, settings, count):
    """The pinned lead comes in the sections' own query: no query more with a
    pin than without, and the same for 2 stories or 20."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.NEWSROOM_PAGE_CACHE = False
    sections = [SectionFactory(name=f"S{n}", slug=f"s{n}") for n in range(3)]
    made = [
        ArticleFactory(
            section=sections[n % 3],
            headline=f"Story {n}",
            published_at=timezone.now() - datetime.timedelta(hours=n + 1),
        )
        for n in range(count)
    ]
    client.get(HOME)  # settle what is read once per process
    with CaptureQueriesContext(connection) as unpinned:
        client.get(HOME)
    pin(made[-1])
    client.get(HOME)  # (after any write: when the site next changes by itself)
    with CaptureQueriesContext(connection) as pinned:
        response = client.get(HOME)
    assert len(pinned) == len(unpinned) <= 6
    assert lead_headline(client) == made[-1].headline
    assert response.status_code == 200


@pytest.fixture(params=["embedded", "redis"])
def cache_backend(request, settings):
    if request.param == "redis":
        ensure_redis()
        settings.CACHES = {"default": cache_from_url(REDIS_URL)}
        from django.core.cache import caches

        caches["default"].clear()
        page_cache.reset()
    return request.param


def test_pinning_and_unpinning_show_on_the_next_anonymous_request(
    cache_backend, client, stories, django_assert_num_queries
):
    assert lead_headline(client) == "Newest with a photo"
    with django_assert_num_queries(0):  # served from the page cache
        assert lead_headline(client) == "Newest with a photo"
    pin(stories["oldest"])
    assert lead_headline(client) == "Oldest harbour story"
    assert publishing.feature(
        article=stories["oldest"], by=member_editor(), featured=False
    ).done
    assert lead_headline(client) == "Newest with a photo"


@pytest.mark.postgresql("the partial index's plan")
def test_the_pinned_lead_is_read_from_its_small_index(stories):
    from django.db import connection

    from articles.queries import pinned_lead

    pin(stories["older"])
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = pinned_lead().explain()
        finally:
            cursor.execute("RESET enable_seqscan")
    # An index look-up, never a scan of every story (which index the planner
    # takes over a handful of rows varies: the pin's own or the published one).
    assert "Seq Scan" not in plan
    assert "Index" in plan


def test_restoring_an_earlier_version_keeps_the_pin(client, stories):
    """A restore brings back words, never the publishing state: the pin stays."""
    import reversion

    from .admin_forms import posted_back

    story = stories["older"]
    with reversion.create_revision():
        story.save()
    first = Version.objects.get_for_object(story).first()
    pin(story)
    editor = member_editor()
    signed_in(client, editor)
    url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
    shown = client.get(url)
    assert "featured" not in shown.context["adminform"].form.fields
    response = client.post(url, posted_back(shown, headline="Older council story"))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.featured
    assert lead_headline(client.__class__()) == "Older council story"
