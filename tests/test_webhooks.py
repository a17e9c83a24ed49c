"""Signed webhooks: what a receiver on 127.0.0.1 gets for each event, the
retries when it fails, and who sees the delivery log at the desk."""

import datetime
import hashlib
import hmac
import json
from itertools import pairwise

import pytest
import requests
from django.contrib.auth.models import Group, User
from django.urls import reverse

from articles.events import PUBLIC_KINDS
from articles.models import Article
from webhooks.models import Delivery, Endpoint

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    QuoteFactory,
)
from .markup import words

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return lambda moment: time_machine.move_to(moment, tick=False)


def endpoint_for(receiver, events=PUBLIC_KINDS, **fields):
    fields = {"name": "Partner app", "url": receiver.url, **fields}
    return Endpoint.objects.create(events=list(events), **fields)


def full_story():
    story = ArticleFactory(harbour=True)
    BylineFactory(article=story, journalist__name="Mara Quint")
    QuoteFactory(article=story)
    CorrectionFactory(article=story)
    return story


def test_a_published_story_reaches_the_endpoint_signed_with_its_api_body(
    tasks, receiver, client, clock
):
    endpoint = endpoint_for(receiver)
    story = full_story()
    tasks.emit("published", story)
    assert receiver.received == []  # nothing is sent in the request itself
    tasks.run()

    [request] = receiver.received
    expected = hmac.new(endpoint.secret.encode(), request.body, hashlib.sha256)
    assert request.headers["X-Newsroom-Signature"] == f"sha256={expected.hexdigest()}"
    assert request.headers["X-Newsroom-Event"] == "published"
    delivery = Delivery.objects.get()
    assert request.headers["X-Newsroom-Delivery"] == str(delivery.uuid)
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    body = request.json()
    assert body["event"] == "published"
    assert datetime.datetime.fromisoformat(body["occurred_at"]) == START
    assert body["story"] == client.get(f"/api/stories/{story.pk}/").json()
    assert body["story"]["bylines"][0]["name"] == "Mara Quint"
    assert delivery.status == Delivery.Status.DELIVERED
    assert (delivery.attempts, delivery.response_code) == (1, 200)


def test_each_endpoint_gets_the_body_signed_with_its_own_secret(tasks, receiver):
    first = endpoint_for(receiver, url=f"{receiver.url}/first")
    second = endpoint_for(receiver, name="Other", url=f"{receiver.url}/second")
    tasks.emit("updated", ArticleFactory())
    tasks.run()
    by_path = {request.path: request for request in receiver.received}
    assert by_path["/hook/first"].body == by_path["/hook/second"].body

    def signature(endpoint, body):
        digest = hmac.new(endpoint.secret.encode(), body, hashlib.sha256).hexdigest()
        return f"sha256={digest}"

    for endpoint, other in ((first, second), (second, first)):
        request = by_path[f"/hook/{endpoint.url.rsplit('/', 1)[1]}"]
        sent = request.headers["X-Newsroom-Signature"]
        assert sent == signature(endpoint, request.body)
        assert sent != signature(other, request.body)


def test_a_killed_story_is_named_not_shown(tasks, receiver):
    endpoint_for(receiver, events=["killed"])
    story = ArticleFactory(headline="Minister resigns", slug="minister-resigns")
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    tasks.emit("published", story)  # not heard by this endpoint
    tasks.emit("killed", story, reason="Legal")
    tasks.run()

    [request] = receiver.received
    assert request.json()["event"] == "killed"
    assert request.json()["story"] == {
        "id": story.pk,
        "slug": "minister-resigns",
        "url": f"http://testserver{story.get_absolute_url()}",
        "headline": "Minister resigns",
    }


def test_a_failed_delivery_is_tried_again_after_a_minute(tasks, receiver, clock):
    endpoint_for(receiver)
    receiver.answers = [500]
    tasks.emit("corrected", ArticleFactory())
    tasks.run()

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert (delivery.attempts, delivery.response_code) == (1, 500)
    assert delivery.next_retry_at == START + datetime.timedelta(minutes=1)
    [attempt] = delivery.attempt_log.all()
    assert attempt.response_code == 500
    assert attempt.response_excerpt == "Something broke here"
    assert attempt.error == "The endpoint answered 500."

    tasks.run()  # not due yet
    assert len(receiver.received) == 1
    clock(START + datetime.timedelta(minutes=1))
    tasks.run()

    first, second = receiver.received
    assert second.body == first.body
    assert second.headers["X-Newsroom-Delivery"] == first.headers["X-Newsroom-Delivery"]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert (delivery.attempts, delivery.response_code) == (2, 200)
    assert delivery.next_retry_at is None
    assert [a.response_code for a in delivery.attempt_log.all()] == [500, 200]


def test_an_endpoint_that_keeps_failing_is_tried_with_growing_waits_for_a_day(
    tasks, receiver, clock
):
    endpoint_for(receiver)
    receiver.answers = [503] * 100
    tasks.emit("published", ArticleFactory())
    tasks.run()
    delivery = Delivery.objects.get()
    while delivery.next_retry_at is not None:
        clock(delivery.next_retry_at)
        tasks.run()
        delivery.refresh_from_db()

    assert delivery.status == Delivery.Status.FAILED
    attempts = list(delivery.attempt_log.all())
    assert len(receiver.received) == len(attempts) == delivery.attempts
    times = [attempt.attempted_at for attempt in attempts]
    waits = [(later - earlier).total_seconds() for earlier, later in pairwise(times)]
    assert waits[:4] == [60, 120, 240, 480]
    assert waits == sorted(waits)
    assert times[-1] - times[0] <= datetime.timedelta(days=1)
    assert times[-1] - times[0] > datetime.timedelta(hours=18)


def test_an_unreachable_endpoint_records_the_error_and_retries(tasks, receiver):
    receiver.server.server_close()  # nothing listens there any more
    endpoint_for(receiver)
    tasks.emit("published", ArticleFactory())
    tasks.run()
    delivery = Delivery.objects.get()
    [attempt] = delivery.attempt_log.all()
    assert attempt.response_code is None
    assert "ConnectionError" in attempt.error
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.next_retry_at is not None


def test_nothing_is_sent_unless_configured(tasks, receiver, monkeypatch):
    sent = []
    monkeypatch.setattr(
        requests.Session, "request", lambda self, *a, **k: sent.append((a, k))
    )
    endpoint_for(receiver, active=False)
    endpoint_for(receiver, events=["killed"])
    story = ArticleFactory()
    for kind in PUBLIC_KINDS:
        if kind != "killed":
            tasks.emit(kind, story)
    tasks.run()
    assert sent == []
    assert receiver.received == []
    assert not Delivery.objects.exists()


def test_an_event_for_a_story_no_longer_public_is_not_sent_with_its_content(
    tasks, receiver
):
    endpoint_for(receiver)
    story = ArticleFactory()
    tasks.emit("published", story)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    tasks.run()
    assert receiver.received == []


# The desk.


def member(username, role=None):
    user = User.objects.create_user(username, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def test_an_editor_reads_the_delivery_log_and_a_reporter_cannot(
    tasks, receiver, client
):
    endpoint_for(receiver)
    receiver.answers = [502]
    tasks.emit("published", ArticleFactory(headline="Ferry timetable changes"))
    tasks.run()
    delivery = Delivery.objects.get()
    log = reverse("admin:webhooks_delivery_changelist")
    entry = reverse("admin:webhooks_delivery_change", args=[delivery.pk])

    client.force_login(member("ed", "Editor"))
    page = words(client.get(log).content.decode())
    assert "Ferry timetable changes" in page
    assert "502" in page
    detail = client.get(entry)
    assert detail.status_code == 200
    assert "Something broke here" in words(detail.content.decode())
    assert client.post(entry, {}).status_code == 403  # read-only
    assert client.get(reverse("admin:webhooks_delivery_add")).status_code == 403

    client.force_login(member("rita", "Reporter"))
    assert client.get(log).status_code == 403
    assert client.get(entry).status_code == 403
    assert client.get(reverse("admin:webhooks_endpoint_changelist")).status_code == 403


def test_an_editor_adds_an_endpoint_and_sees_its_secret(client):
    client.force_login(member("ed", "Editor"))
    response = client.post(
        reverse("admin:webhooks_endpoint_add"),
        {
            "name": "Partner app",
            "url": "https://partner.example/hooks",
            "events": ["published", "killed"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["published", "killed"]
    assert len(endpoint.secret) == 64
    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in page.content.decode()


@pytest.mark.parametrize(
    "url", ["ftp://partner.example/hooks", "javascript:alert(1)", "not a url"]
)
def test_an_endpoint_address_must_be_http_or_https(client, url):
    client.force_login(member("ed", "Editor"))
    response = client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"name": "Partner", "url": url, "events": ["published"], "active": "on"},
    )
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert not Endpoint.objects.exists()


def test_a_reporter_cannot_add_an_endpoint(client):
    client.force_login(member("rita", "Reporter"))
    response = client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"name": "Mine", "url": "https://me.example/", "events": ["published"]},
    )
    assert response.status_code == 403
    assert not Endpoint.objects.exists()


def test_the_signature_format_is_the_documented_one():
    from webhooks.models import sign

    body = json.dumps({"event": "published"}).encode()
    assert sign("s3cret", body) == (
        "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    )


@pytest.mark.parametrize("count", [2, 12])
def test_the_delivery_log_costs_the_same_for_any_number_of_rows(
    client, django_assert_max_num_queries, count
):
    endpoint = Endpoint.objects.create(
        name="Partner", url="https://partner.example/", events=["published"]
    )
    for _ in range(count):
        Delivery.objects.create(
            endpoint=endpoint, event="published", article=ArticleFactory(), body="{}"
        )
    client.force_login(member("ed", "Editor"))
    log = reverse("admin:webhooks_delivery_changelist")
    client.get(log)  # the session and permissions, once
    with django_assert_max_num_queries(11):
        response = client.get(log)
    assert words(response.content.decode()).count("Partner") >= count


@pytest.mark.parametrize("role", ["Reporter", "Photo editor", None])
def test_no_door_of_the_webhook_admin_opens_for_anyone_but_editors(client, role):
    endpoint = Endpoint.objects.create(
        name="Partner", url="https://partner.example/", events=["published"]
    )
    delivery = Delivery.objects.create(endpoint=endpoint, event="published", body="{}")
    doors = [
        ("get", "admin:webhooks_endpoint_changelist", []),
        ("get", "admin:webhooks_endpoint_add", []),
        ("post", "admin:webhooks_endpoint_add", []),
        ("get", "admin:webhooks_endpoint_change", [endpoint.pk]),
        ("post", "admin:webhooks_endpoint_change", [endpoint.pk]),
        ("get", "admin:webhooks_endpoint_history", [endpoint.pk]),
        ("post", "admin:webhooks_endpoint_delete", [endpoint.pk]),
        ("get", "admin:webhooks_delivery_changelist", []),
        ("get", "admin:webhooks_delivery_change", [delivery.pk]),
        ("get", "admin:webhooks_delivery_history", [delivery.pk]),
        ("post", "admin:webhooks_delivery_delete", [delivery.pk]),
    ]
    client.force_login(member("someone", role))
    for method, name, args in doors:
        response = getattr(client, method)(reverse(name, args=args), {})
        assert response.status_code == 403, (method, name)
    endpoint.refresh_from_db()
    assert endpoint.name == "Partner"
    assert Delivery.objects.count() == 1


def test_an_editor_cannot_delete_a_delivery(client):
    endpoint = Endpoint.objects.create(
        name="Partner", url="https://partner.example/", events=["published"]
    )
    delivery = Delivery.objects.create(endpoint=endpoint, event="published", body="{}")
    client.force_login(member("ed", "Editor"))
    url = reverse("admin:webhooks_delivery_delete", args=[delivery.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Delivery.objects.count() == 1


def test_an_editor_replaces_a_secret_and_the_next_delivery_is_signed_with_it(
    client, tasks, receiver
):
    endpoint = endpoint_for(receiver)
    old = endpoint.secret
    client.force_login(member("ed", "Editor"))
    response = client.post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "replace_secrets", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    assert "1 endpoint has a new secret" in words(response.content.decode())
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    tasks.emit("published", ArticleFactory())
    tasks.run()
    [request] = receiver.received
    digest = hmac.new(endpoint.secret.encode(), request.body, hashlib.sha256)
    assert request.headers["X-Newsroom-Signature"] == f"sha256={digest.hexdigest()}"
