"""A scheduled story's go-live and an embargo's end: one event at the moment,
through a timer task the worker runs; none if the story changed first."""

import datetime

import pytest

from articles.models import Article
from newsroom import page_cache
from webhooks.models import Timer

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


def seconds(n):
    return START + datetime.timedelta(seconds=n)


def fired(events, kind="published"):
    return [event for event in events if event[0] == kind]


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)

    def move_to(moment):
        time_machine.move_to(moment, tick=False)

    return move_to


def schedule(tasks, story, at):
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.PUBLISHED, published_at=at
    )
    story.refresh_from_db()
    tasks.emit("scheduled", story, at=at)


def test_a_scheduled_story_fires_one_published_at_its_time_and_none_before(
    tasks, clock, story_events
):
    story = ArticleFactory(published_at=seconds(5))
    tasks.emit("scheduled", story, at=story.published_at)
    tasks.run()
    assert fired(story_events) == []
    clock(seconds(4))
    tasks.run()
    assert fired(story_events) == []
    assert tasks.waiting().count() == 1  # the timer, for 09:00:05

    clock(seconds(5))
    tasks.run()
    assert fired(story_events) == [("published", story.pk)]

    clock(seconds(3600))
    tasks.run()
    assert fired(story_events) == [("published", story.pk)]
    assert not Timer.objects.exists()


def test_rescheduling_fires_at_the_new_time_only(tasks, clock, story_events):
    story = ArticleFactory(published_at=seconds(5))
    tasks.emit("scheduled", story)
    tasks.run()
    schedule(tasks, story, seconds(60))
    tasks.run()

    clock(seconds(5))
    tasks.run()
    assert fired(story_events) == []
    clock(seconds(60))
    tasks.run()
    assert fired(story_events) == [("published", story.pk)]


def test_scheduled_again_for_the_first_time_fires_once(tasks, clock, story_events):
    story = ArticleFactory(published_at=seconds(5))
    tasks.emit("scheduled", story)
    tasks.run()
    schedule(tasks, story, seconds(60))
    tasks.run()
    schedule(tasks, story, seconds(5))
    tasks.run()

    clock(seconds(120))
    tasks.run()
    assert fired(story_events) == [("published", story.pk)]


def test_unpublishing_before_the_time_cancels_the_go_live(tasks, clock, story_events):
    story = ArticleFactory(published_at=seconds(5))
    tasks.emit("scheduled", story)
    tasks.run()
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    tasks.emit("unpublished", story)
    tasks.run()

    clock(seconds(5))
    tasks.run()
    assert fired(story_events) == []
    assert not Timer.objects.exists()


def test_a_timer_whose_story_was_deleted_does_nothing(tasks, clock, story_events):
    story = ArticleFactory(published_at=seconds(5))
    tasks.emit("scheduled", story)
    tasks.run()
    Article.objects.filter(pk=story.pk).delete()
    clock(seconds(5))
    tasks.run()
    assert fired(story_events) == []


def test_go_live_starts_a_new_page_cache_generation(tasks, clock):
    story = ArticleFactory(published_at=seconds(5))
    tasks.emit("scheduled", story)
    tasks.run()
    page_cache.page_cache().set(page_cache.GENERATION_KEY, "before", None)
    tasks.run()
    assert page_cache.page_cache().get(page_cache.GENERATION_KEY) == "before"

    clock(seconds(5))
    tasks.run()
    assert page_cache.page_cache().get(page_cache.GENERATION_KEY) != "before"


def embargo(monkeypatch, story, until):
    Article.objects.filter(pk=story.pk).update(embargoed_until=until)
    story.refresh_from_db()


def test_a_story_going_live_under_embargo_is_announced_when_the_embargo_lifts(
    tasks, clock, story_events, monkeypatch
):
    """Partners hear nothing at the publication time while the embargo holds:
    one ``embargo_lifted`` at its end, no ``published`` before it."""
    story = ArticleFactory(published_at=seconds(5))
    embargo(monkeypatch, story, seconds(20))
    tasks.emit("scheduled", story)
    tasks.emit("embargoed", story, until=seconds(20))
    tasks.run()
    clock(seconds(5))
    tasks.run()
    assert fired(story_events) == []
    assert fired(story_events, "embargo_lifted") == []
    clock(seconds(20))
    tasks.run()
    assert fired(story_events) == []
    assert fired(story_events, "embargo_lifted") == [("embargo_lifted", story.pk)]


def test_an_embargo_ends_with_one_embargo_lifted_at_its_time(
    tasks, clock, story_events, monkeypatch
):
    story = ArticleFactory(published_at=seconds(-3600))
    embargo(monkeypatch, story, seconds(10))
    tasks.emit("embargoed", story, until=seconds(10))
    clock(seconds(9))
    tasks.run()
    assert fired(story_events, "embargo_lifted") == []

    clock(seconds(10))
    tasks.run()
    assert fired(story_events, "embargo_lifted") == [("embargo_lifted", story.pk)]
    clock(seconds(100))
    tasks.run()
    assert len(fired(story_events, "embargo_lifted")) == 1


def test_an_embargo_moved_later_does_not_lift_at_the_first_time(
    tasks, clock, story_events, monkeypatch
):
    story = ArticleFactory(published_at=seconds(-3600))
    embargo(monkeypatch, story, seconds(10))
    tasks.emit("embargoed", story)
    tasks.run()
    embargo(monkeypatch, story, seconds(50))
    tasks.emit("embargoed", story)
    tasks.run()

    clock(seconds(10))
    tasks.run()
    assert fired(story_events, "embargo_lifted") == []
    clock(seconds(50))
    tasks.run()
    assert fired(story_events, "embargo_lifted") == [("embargo_lifted", story.pk)]


def test_a_backend_that_cannot_wait_says_there_is_no_timer(
    settings, django_capture_on_commit_callbacks, story_events, caplog
):
    from articles.events import emit

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    story = ArticleFactory(scheduled=True)
    with django_capture_on_commit_callbacks(execute=True):
        emit("scheduled", story)
    assert "cannot run a task later: no go-live timer" in caplog.text
    assert not Timer.objects.exists()
    assert fired(story_events) == []
