"""The background tasks (Django's task framework): each a thin call into the
module that does the work, so a task's arguments stay plain JSON."""

from django_tasks import task

from newsroom import page_cache

from . import deliveries, pings, timers


@task()
def arm_timer(kind, article_id):
    return timers.arm(kind=kind, article_id=article_id)


@task()
def fire_timer(token):
    return timers.fire(token=token)


@task()
def purge_pages():
    """A new page-cache generation: no page stored before the event is served
    again (where a CDN or proxy purge would also go)."""
    return page_cache.new_generation()


@task()
def fan_out(kind, article_id, occurred_at):
    return deliveries.fan_out(kind=kind, article_id=article_id, occurred_at=occurred_at)


@task()
def deliver(delivery_id):
    return deliveries.deliver(delivery_id=delivery_id)


@task()
def websub_ping(article_id):
    return pings.websub(article_id=article_id)


@task()
def indexnow_ping(article_id):
    return pings.indexnow(article_id=article_id)
