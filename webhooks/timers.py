"""Go-live and embargo timers: an event at a moment nobody saves anything.

``arm`` (run as a task when a story is scheduled or embargoed) reads the
moment from the story as stored and enqueues ``fire`` for that moment, under a
new token; arming again replaces the token, so only the latest timer of a
kind for a story can fire. ``fire`` checks the story again: still published,
with the same time (or embargo end) as when it was armed. If the time was
changed or the story unpublished first, it does nothing.
"""

import logging

from django.db import transaction
from django.utils import timezone

from articles.events import emit
from articles.models import Article

from .models import Timer

logger = logging.getLogger("newsroom.faults")

EVENTS = {Timer.Kind.GO_LIVE: "published", Timer.Kind.EMBARGO_LIFT: "embargo_lifted"}


def moment(kind, article):
    """When ``article`` goes live (or its embargo ends), or None if it won't."""
    if article.status != Article.Status.PUBLISHED:
        return None
    if kind == Timer.Kind.GO_LIVE:
        return article.published_at
    return article.embargoed_until


def arm(*, kind, article_id):
    from .tasks import fire_timer

    if not fire_timer.get_backend().supports_defer:
        logger.warning(
            "TASKS_BACKEND cannot run a task later: no go-live timer for story %s",
            article_id,
        )
        return None
    article = Article.objects.filter(pk=article_id).first()
    due = moment(kind, article) if article else None
    with transaction.atomic():
        if due is None:
            Timer.objects.filter(article_id=article_id, kind=kind).delete()
            return None
        timer, _ = Timer.objects.update_or_create(
            article=article, kind=kind, defaults={"due_at": due, "token": _token()}
        )
        fire_timer.using(run_after=due).enqueue(str(timer.token))
    return str(timer.token)


def _token():
    return Timer._meta.get_field("token").default()


def fire(*, token):
    """Emit the timer's event if the story still matches; what happened."""
    from .tasks import fire_timer

    with transaction.atomic():
        timer = (
            Timer.objects.select_for_update()
            .select_related("article")
            .filter(token=token)
            .first()
        )
        if timer is None:
            return "replaced or cancelled"
        article = timer.article
        if moment(timer.kind, article) != timer.due_at:
            timer.delete()
            return "the story changed: not fired"
        if timer.due_at > timezone.now():  # early (a clock apart): wait again
            fire_timer.using(run_after=timer.due_at).enqueue(token)
            return "not yet"
        if timer.kind == Timer.Kind.EMBARGO_LIFT and article.published_at > (
            timezone.now()
        ):
            timer.delete()
            return "not live yet: its go-live says so"
        embargo = article.embargoed_until
        if timer.kind == Timer.Kind.GO_LIVE and embargo and embargo > timezone.now():
            timer.delete()
            return "still under embargo: its lift says so"
        timer.delete()
        emit(EVENTS[timer.kind], article)
    return EVENTS[timer.kind]
