"""Listening to ``articles.events.story_event``: each subscriber enqueues a
task and returns (the event is sent once the story's change is committed,
so this is the request's last moment: nothing slow happens here)."""

from django.conf import settings
from django.utils import timezone

from articles.events import PUBLIC_KINDS

from . import tasks
from .models import Timer

TIMERS = {"scheduled": Timer.Kind.GO_LIVE, "embargoed": Timer.Kind.EMBARGO_LIFT}


def on_story_event(sender, kind, article_id, details, **kwargs):
    occurred_at = timezone.now().isoformat()
    if kind in TIMERS:
        tasks.arm_timer.enqueue(TIMERS[kind].value, article_id)
    if kind not in PUBLIC_KINDS:
        return
    tasks.purge_pages.enqueue()
    tasks.fan_out.enqueue(kind, article_id, occurred_at)
    if settings.WEBSUB_HUB_URL:
        tasks.websub_ping.enqueue(article_id)
    if settings.INDEXNOW_KEY:
        tasks.indexnow_ping.enqueue(article_id)
