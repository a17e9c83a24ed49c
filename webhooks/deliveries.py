"""Signed webhooks: one delivery per event and endpoint, retried for a day.

The body is built once, when the event is fanned out, and kept: every
attempt sends the same bytes, signed with the endpoint's secret.
"""

import datetime
import json

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from newsroom.logging import one_line

from . import story
from .models import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    Delivery,
    DeliveryAttempt,
    Endpoint,
    sign,
)

# Events after which the story is on no public surface: receivers get what
# identifies it, not its content.
GONE = ("unpublished", "killed")
EXCERPT_BYTES = 500
USER_AGENT = "Newsroom-Webhooks/1"


def fan_out(*, kind, article_id, occurred_at):
    """A delivery (and its task) for each active endpoint that hears ``kind``."""
    from .tasks import deliver

    endpoints = [e for e in Endpoint.objects.filter(active=True) if e.hears(kind)]
    if not endpoints:
        return 0
    article = Article.objects.select_related("section").filter(pk=article_id).first()
    if article is None:
        return 0
    if kind in GONE:
        represented = story.notice(article)
    else:
        represented = story.api_representation(article_id)
        if represented is None:  # no longer public: a later event says so
            return 0
    body = json.dumps(
        {"event": kind, "occurred_at": occurred_at, "story": represented},
        ensure_ascii=False,
    )
    with transaction.atomic():
        for endpoint in endpoints:
            delivery = Delivery.objects.create(
                endpoint=endpoint, event=kind, article=article, body=body
            )
            deliver.enqueue(delivery.pk)
    return len(endpoints)


def headers(delivery, body):
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.uuid),
        SIGNATURE_HEADER: sign(delivery.endpoint.secret, body),
    }


def backoff(attempts):
    """Seconds to wait after the ``attempts``-th failure: 1 min, 2, 4, …"""
    delay = settings.WEBHOOK_RETRY_FIRST_SECONDS * 2 ** (attempts - 1)
    return min(delay, settings.WEBHOOK_RETRY_MAX_SECONDS)


def send(url, body, request_headers):
    """POST; (status code, excerpt of the response, error)."""
    timeout = settings.NEWSROOM_OUTBOUND_TIMEOUT
    try:
        with requests.post(
            url,
            data=body,
            headers=request_headers,
            timeout=(timeout, timeout),
            allow_redirects=False,
            stream=True,
        ) as response:
            excerpt = next(response.iter_content(EXCERPT_BYTES), b"")[:EXCERPT_BYTES]
            text = excerpt.decode("utf-8", "replace")
            return response.status_code, one_line(text, EXCERPT_BYTES), ""
    except requests.RequestException as exc:
        return None, "", one_line(f"{type(exc).__name__}: {exc}")


def deliver(*, delivery_id):
    """One attempt; on failure, the next is enqueued or the delivery given up."""
    from .tasks import deliver as deliver_task

    delivery = (
        Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return "nothing to do"
    if not delivery.endpoint.active:
        delivery.status = Delivery.Status.FAILED
        delivery.error = "The endpoint was switched off."
        delivery.next_retry_at = None
        delivery.finished_at = timezone.now()
        delivery.save()
        return delivery.status
    body = delivery.body.encode()
    attempted_at = timezone.now()
    code, excerpt, error = send(delivery.endpoint.url, body, headers(delivery, body))
    delivered = code is not None and 200 <= code < 300
    if code is not None and not delivered:
        error = f"The endpoint answered {code}."
    number = delivery.attempts + 1
    retry_at = None
    if not delivered:
        retry_at = timezone.now() + datetime.timedelta(seconds=backoff(number))
        give_up_at = delivery.created_at + datetime.timedelta(
            seconds=settings.WEBHOOK_RETRY_FOR_SECONDS
        )
        if retry_at > give_up_at:
            retry_at = None
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=number,
            attempted_at=attempted_at,
            response_code=code,
            response_excerpt=excerpt,
            error=error,
            next_retry_at=retry_at,
        )
        delivery.attempts = number
        delivery.response_code = code
        delivery.error = error
        delivery.next_retry_at = retry_at
        if delivered:
            delivery.status = Delivery.Status.DELIVERED
        elif retry_at is None:
            delivery.status = Delivery.Status.FAILED
        if delivery.status != Delivery.Status.PENDING:
            delivery.finished_at = timezone.now()
        delivery.save()
        if retry_at is not None:
            deliver_task.using(run_after=retry_at).enqueue(delivery.pk)
    return delivery.status
