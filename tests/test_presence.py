"""Who else has a story open: heartbeats from the story form, shown to the
others, forgotten when the form closes or stops beating."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from desk.models import StoryPresence
from desk.story_desk import STALE_AFTER, desk_time
from tests.factories import ArticleFactory, BylineFactory, JournalistFactory
from tests.test_desk import change_url

pytestmark = pytest.mark.django_db


def member(username, role="Editor", **names):
    user = User.objects.create_user(username, is_staff=True, **names)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def beat(client, article):
    return client.post(reverse("desk:presence", args=[article.pk]))


def others(client, article):
    response = beat(client, article)
    assert response.status_code == 200
    return [other["text"] for other in response.json()["others"]]


def test_a_second_editor_is_told_who_has_the_story_open():
    article = ArticleFactory(draft=True)
    ana = signed_in(member("ana", first_name="Ana", last_name="Ruiz"))
    ed = signed_in(member("ed"))
    assert others(ana, article) == []  # alone
    opened = StoryPresence.objects.get().opened_at
    assert others(ed, article) == [
        f"Ana Ruiz has had this story open since {desk_time(opened)}."
    ]
    # And Ana learns about Ed at her next heartbeat.
    assert others(ana, article) == [
        f"ed has had this story open since {desk_time(opened)}."
    ]


def test_since_is_when_the_form_was_opened_not_the_last_heartbeat():
    article = ArticleFactory(draft=True)
    ana = signed_in(member("ana", first_name="Ana", last_name="Ruiz"))
    ed = signed_in(member("ed"))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        beat(ana, article)
    for minutes in (0.3, 0.6, 0.9, 1.2):  # heartbeats, each within STALE_AFTER
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            beat(ana, article)
    with time_machine.travel(start + datetime.timedelta(minutes=1.3)):
        [line] = others(ed, article)
    assert line == f"Ana Ruiz has had this story open since {desk_time(start)}."


def test_a_form_that_stops_beating_expires():
    article = ArticleFactory(draft=True)
    ana = signed_in(member("ana", first_name="Ana", last_name="Ruiz"))
    ed = signed_in(member("ed"))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        beat(ana, article)
    later = start + STALE_AFTER + datetime.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert others(ed, article) == []
    # The expired row is gone; Ana coming back counts from then.
    assert list(StoryPresence.objects.values_list("user__username", flat=True)) == [
        "ed"
    ]
    with time_machine.travel(later, tick=False):
        beat(ana, article)
        [line] = others(ed, article)
    assert line.endswith(f"since {desk_time(later)}.")


def test_closing_the_form_says_so_at_once():
    article = ArticleFactory(draft=True)
    ana = signed_in(member("ana", first_name="Ana", last_name="Ruiz"))
    ed = signed_in(member("ed"))
    beat(ana, article)
    leave = reverse("desk:presence_leave", args=[article.pk])
    assert ana.post(leave).status_code == 200
    assert others(ed, article) == []


def test_presence_is_per_story():
    article, elsewhere = ArticleFactory(draft=True), ArticleFactory(draft=True)
    ana = signed_in(member("ana", first_name="Ana", last_name="Ruiz"))
    ed = signed_in(member("ed"))
    beat(ana, elsewhere)
    assert others(ed, article) == []


def test_a_reader_who_may_not_change_the_story_is_shown_as_reading():
    reporter = member("rita", "Reporter", first_name="Rita", last_name="Ramos")
    article = ArticleFactory(draft=True)  # not hers: she may only read it
    rita = signed_in(reporter)
    assert beat(rita, article).json()["others"] == []
    [line] = others(signed_in(member("ed")), article)
    assert line.startswith("Rita Ramos has been reading this story since ")


def test_only_staff_who_may_read_stories_send_heartbeats():
    article = ArticleFactory(draft=True)
    url = reverse("desk:presence", args=[article.pk])
    assert Client().post(url).status_code == 403  # signed out
    photo = signed_in(member("pia", "Photo editor"))  # no right to stories
    assert photo.post(url).json() == {"error": "You may not read this story."}
    not_staff = User.objects.create_user("reader")
    assert signed_in(not_staff).post(url).status_code == 403
    assert not StoryPresence.objects.exists()
    ed = signed_in(member("ed"))
    assert ed.get(url).status_code == 405
    assert ed.post(reverse("desk:presence", args=[999999])).status_code == 404


def test_heartbeats_need_the_csrf_token():
    article = ArticleFactory(draft=True)
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(member("ed"))
    assert beat(guarded, article).status_code == 403
    leave = reverse("desk:presence_leave", args=[article.pk])
    assert guarded.post(leave).status_code == 403
    guarded.get(change_url(article))
    token = guarded.cookies["csrftoken"].value
    # As the browser's beacon sends it when the page goes: a form field.
    response = guarded.post(leave, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_a_heartbeat_takes_fixed_queries(count, django_assert_max_num_queries):
    article = ArticleFactory(draft=True)
    BylineFactory.create_batch(count, article=article)
    for n in range(count):
        beat(signed_in(member(f"editor{n}")), article)
    ed = signed_in(member("ed"))
    beat(ed, article)
    with django_assert_max_num_queries(14):
        assert len(beat(ed, article).json()["others"]) == count


def test_the_story_form_sends_heartbeats_the_add_form_does_not(client):
    reporter = member("rita", "Reporter")
    journalist = JournalistFactory(user=reporter)
    article = ArticleFactory(draft=True)
    BylineFactory(article=article, journalist=journalist)
    client.force_login(reporter)
    page = client.get(change_url(article)).content.decode()
    assert f'data-presence-url="{reverse("desk:presence", args=[article.pk])}"' in (
        page
    )
    add = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "data-presence-url" not in add
