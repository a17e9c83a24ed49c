"""After a save in the story form the desk is told what happened, with a
link to where it can be seen."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, BylineFactory
from tests.test_desk import change_url, edit_form
from tests.test_embargo import embargo_fields

pytestmark = pytest.mark.django_db


def member(username, role):
    user = User.objects.create_user(username, password="s3cret-pass!", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def ready(**fields):
    article = ArticleFactory(draft=True, harbour=True, **fields)
    BylineFactory(article=article)
    return Article.objects.get(pk=article.pk)


def messages_after(client, article, **changes):
    data = edit_form(client, article, **changes)
    response = client.post(change_url(article), data, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def test_publishing_in_the_form_says_so_and_links_to_the_live_story(client):
    client.force_login(member("ed", "Editor"))
    article = ready()
    [message] = messages_after(client, article, status="published")
    article.refresh_from_db()
    assert message.startswith(f"Published — “{article.headline}” is live.")
    assert f'<a href="{article.get_absolute_url()}">View it on the site</a>' in message
    assert client.get(article.get_absolute_url()).status_code == 200


def test_scheduling_says_when_and_links_to_the_preview(client):
    client.force_login(member("ed", "Editor"))
    article = ready()
    ahead = timezone.localtime(timezone.now() + datetime.timedelta(days=2))
    [message] = messages_after(
        client,
        article,
        status="published",
        published_at_0=ahead.strftime("%Y-%m-%d"),
        published_at_1="09:30:00",
    )
    assert message.startswith(f"Scheduled — “{article.headline}” is scheduled for ")
    assert "09:30" in message
    assert reverse("articles:preview", args=[article.pk]) in message


def test_an_edit_to_a_live_story_says_readers_see_it(client):
    client.force_login(member("ed", "Editor"))
    article = ready()
    messages_after(client, article, status="published")
    article.refresh_from_db()
    [message] = messages_after(client, article, headline="Sea wall vote delayed")
    assert "was changed successfully" in message
    assert "Readers see the change now" in message
    assert article.get_absolute_url() in message


def test_unpublishing_says_the_story_left_the_site(client):
    client.force_login(member("ed", "Editor"))
    article = ready()
    messages_after(client, article, status="published")
    article.refresh_from_db()
    [message] = messages_after(client, article, status="draft")
    assert message == (
        f"Unpublished — “{article.headline}” is a draft again and no longer on "
        "the site."
    )


def test_a_reporter_submitting_is_told_an_editor_will_see_it(client):
    reporter = member("rita", "Reporter")
    client.force_login(reporter)
    article = ready(created_by=reporter)
    [message] = messages_after(client, article, status="review")
    assert message.startswith(f"Submitted for review — “{article.headline}” waits")
    assert reverse("articles:preview", args=[article.pk]) in message


def test_a_draft_saved_keeps_djangos_message(client):
    client.force_login(member("ed", "Editor"))
    article = ready()
    [message] = messages_after(client, article, standfirst="A new standfirst.")
    assert "was changed successfully" in message
    assert "Published" not in message


def test_publishing_under_an_embargo_does_not_say_live(client):
    client.force_login(member("ed", "Editor"))
    until = timezone.now() + datetime.timedelta(hours=6)
    article = ready(embargoed_until=until)
    [message] = messages_after(
        client, article, status="published", **embargo_fields(until)
    )
    assert message.startswith(
        f"Published under embargo — “{article.headline}” stays off the site: "
        "held back until "
    )
    assert "is live" not in message
    assert client.get(article.get_absolute_url()).status_code == 404
