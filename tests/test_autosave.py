"""The story form's autosave: a draft copy that is the user's own, never a
revision, never the story itself, and gone once the story is saved."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from desk.models import StoryAutosave
from desk.story_desk import MAX_AUTOSAVE_BYTES
from tests.factories import ArticleFactory, BylineFactory, JournalistFactory
from tests.test_desk import ADD, change_url, edit_form, story_form, with_byline

pytestmark = pytest.mark.django_db

NEW = reverse("desk:autosave_new")
FIELDS = {
    "headline": "Night ferries return to the harbour",
    "standfirst": "Two crossings restart in May.",
    "body": "<p>The ferries restart in <strong>May</strong>.</p>",
    "section": "",
    "tags": "ferries, harbour",
    "published_date_only": "",
}


def member(username, role=None, **names):
    user = User.objects.create_user(username, is_staff=True, **names)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def autosave_url(article):
    return reverse("desk:autosave", args=[article.pk])


def send(client, url, fields=None, **extra):
    payload = {"fields": fields or FIELDS, "labels": {}, "base_version": ""} | extra
    return client.post(url, json.dumps(payload), content_type="application/json")


def reporter_with_draft():
    reporter = member("rita", "Reporter", first_name="Rita", last_name="Ramos")
    journalist = JournalistFactory(name="Rita Ramos", slug="rita", user=reporter)
    article = ArticleFactory(draft=True, harbour=True)
    BylineFactory(article=article, journalist=journalist)
    return reporter, Article.objects.get(pk=article.pk)


def stored(article):
    row = Article.objects.get(pk=article.pk)
    return (row.headline, row.standfirst, row.body, row.status, row.updated_at)


def test_reporter_autosaves_their_draft_and_gets_the_copy_back(client):
    reporter, article = reporter_with_draft()
    client.force_login(reporter)
    response = send(client, autosave_url(article))
    assert response.status_code == 200
    assert response.json()["saved_at_text"]

    copy = client.get(autosave_url(article)).json()["autosave"]
    assert copy["fields"] == FIELDS
    # “10:42:07” as it is kept, “10:42” as it is offered back.
    assert response.json()["saved_at_text"].startswith(copy["saved_at_text"])
    assert len(response.json()["saved_at_text"]) == len(copy["saved_at_text"]) + 3
    assert copy["story_changed_since"] is None


def test_a_second_autosave_replaces_the_first(client):
    reporter, article = reporter_with_draft()
    client.force_login(reporter)
    send(client, autosave_url(article))
    send(client, autosave_url(article), FIELDS | {"headline": "Ferries are back"})
    assert StoryAutosave.objects.count() == 1
    copy = client.get(autosave_url(article)).json()["autosave"]
    assert copy["fields"]["headline"] == "Ferries are back"


def test_autosave_is_never_a_revision_and_never_changes_the_story(client):
    reporter, article = reporter_with_draft()
    before = stored(article)
    versions = Version.objects.count()
    entries = LogEntry.objects.count()
    client.force_login(reporter)
    fields = FIELDS | {"status": "published"}  # a copy that asks to publish
    for _ in range(3):
        assert send(client, autosave_url(article), fields).status_code == 200
    assert stored(article) == before
    assert Version.objects.count() == versions
    assert LogEntry.objects.count() == entries
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404


def test_autosave_does_not_trigger_the_edit_conflict_refusal(client):
    editor = member("ed", "Editor")
    article = ArticleFactory(draft=True, harbour=True)
    BylineFactory(article=article)
    client.force_login(editor)
    data = edit_form(client, article, headline="Sea wall vote delayed")
    send(client, autosave_url(article))  # while the form is open
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get(pk=article.pk).headline == "Sea wall vote delayed"


def test_saving_the_story_clears_its_autosave(client):
    editor = member("ed", "Editor")
    article = ArticleFactory(draft=True, harbour=True)
    BylineFactory(article=article)
    other = ArticleFactory(draft=True)
    client.force_login(editor)
    send(client, autosave_url(article))
    send(client, autosave_url(other))
    send(client, NEW)
    response = client.post(change_url(article), edit_form(client, article))
    assert response.status_code == 302
    assert client.get(autosave_url(article)).json()["autosave"] is None
    # Only that story's copy goes.
    assert client.get(autosave_url(other)).json()["autosave"] is not None
    assert client.get(NEW).json()["autosave"] is not None


def test_a_refused_save_keeps_the_autosave(client):
    editor = member("ed", "Editor")
    article = ArticleFactory(draft=True, harbour=True)
    client.force_login(editor)
    send(client, autosave_url(article))
    data = edit_form(client, article, status="published", body="")  # no body
    response = client.post(change_url(article), data)
    assert response.status_code == 200  # the form again, with the reasons
    assert client.get(autosave_url(article)).json()["autosave"] is not None


def test_adding_the_story_clears_the_new_story_autosave(client):
    reporter = member("rita", "Reporter")
    journalist = JournalistFactory(name="Rita Ramos", slug="rita", user=reporter)
    client.force_login(reporter)
    assert send(client, NEW).status_code == 200
    assert client.get(NEW).json()["autosave"]["fields"] == FIELDS
    response = client.post(ADD, with_byline(story_form(), journalist))
    assert response.status_code == 302
    assert client.get(NEW).json()["autosave"] is None
    assert not StoryAutosave.objects.exists()


def test_the_copy_warns_when_the_story_was_saved_after_it(client):
    reporter, article = reporter_with_draft()
    editor = member("ed", "Editor", first_name="Ana", last_name="Ruiz")
    client.force_login(reporter)
    loaded = edit_form(client, article)["loaded_version"]
    send(client, autosave_url(article), base_version=loaded)
    assert (
        client.get(autosave_url(article)).json()["autosave"]["story_changed_since"]
        is None
    )

    other = Client()
    other.force_login(editor)
    data = edit_form(other, article, headline="Sea wall vote delayed")
    assert other.post(change_url(article), data).status_code == 302
    changed = client.get(autosave_url(article)).json()["autosave"][
        "story_changed_since"
    ]
    assert changed["by"] == "Ana Ruiz"


@pytest.mark.parametrize(
    ("role", "own", "status", "allowed"),
    [
        ("Reporter", True, Article.Status.DRAFT, True),
        ("Reporter", False, Article.Status.DRAFT, False),  # someone else's
        ("Reporter", True, Article.Status.IN_REVIEW, False),  # submitted
        ("Reporter", True, Article.Status.PUBLISHED, False),
        ("Editor", False, Article.Status.DRAFT, True),
        ("Editor", False, Article.Status.PUBLISHED, True),
        ("Photo editor", False, Article.Status.DRAFT, False),
    ],
)
def test_who_may_autosave_a_story(client, role, own, status, allowed):
    user = member("someone", role)
    unpublished = status != Article.Status.PUBLISHED
    article = ArticleFactory(draft=unpublished, status=status)
    if own:
        journalist = JournalistFactory(user=user)
        BylineFactory(article=article, journalist=journalist)
    client.force_login(user)
    expected = 200 if allowed else 403
    assert send(client, autosave_url(article)).status_code == expected
    assert client.get(autosave_url(article)).status_code == expected
    assert StoryAutosave.objects.exists() == allowed
    assert client.delete(autosave_url(article)).status_code == expected


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Reporter", True), ("Editor", True), ("Photo editor", False)],
)
def test_who_may_autosave_a_new_story(client, role, allowed):
    client.force_login(member("someone", role))
    response = send(client, NEW)
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert response.json() == {"error": "You may not add stories."}


def test_only_staff_reach_autosave(client):
    article = ArticleFactory(draft=True)
    for url in (NEW, autosave_url(article)):
        assert client.get(url).status_code == 403  # signed out
        assert send(client, url).status_code == 403
    reader = User.objects.create_user("reader")
    reader.user_permissions.add(
        *Group.objects.get(name="Editor").permissions.all()
    )  # every right, but not staff
    client.force_login(reader)
    response = send(client, autosave_url(article))
    assert response.status_code == 403
    assert response.json() == {"error": "Sign in to the desk first."}
    assert not StoryAutosave.objects.exists()


def test_a_user_only_ever_sees_their_own_autosave(client):
    article = ArticleFactory(draft=True)
    ana, ed = member("ana", "Editor"), member("ed", "Editor")
    client.force_login(ana)
    send(client, autosave_url(article), FIELDS | {"headline": "Ana's headline"})
    send(client, NEW, FIELDS | {"headline": "Ana's new story"})

    client.force_login(ed)
    assert client.get(autosave_url(article)).json() == {"autosave": None}
    assert client.get(NEW).json() == {"autosave": None}
    client.delete(autosave_url(article))  # Ed's discard is of Ed's copy only
    send(client, autosave_url(article), FIELDS | {"headline": "Ed's headline"})
    assert client.get(autosave_url(article)).json()["autosave"]["fields"][
        "headline"
    ] == ("Ed's headline")

    client.force_login(ana)
    assert client.get(autosave_url(article)).json()["autosave"]["fields"][
        "headline"
    ] == ("Ana's headline")
    assert client.get(NEW).json()["autosave"]["fields"]["headline"] == (
        "Ana's new story"
    )


def test_discard_removes_the_copy(client):
    reporter, article = reporter_with_draft()
    client.force_login(reporter)
    send(client, autosave_url(article))
    assert client.delete(autosave_url(article)).json() == {"autosave": None}
    assert client.get(autosave_url(article)).json() == {"autosave": None}


def test_autosave_needs_the_csrf_token(client):
    reporter, article = reporter_with_draft()
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(reporter)
    assert send(guarded, autosave_url(article)).status_code == 403
    assert guarded.delete(autosave_url(article)).status_code == 403
    assert not StoryAutosave.objects.exists()

    guarded.get(change_url(article))  # the form sets the CSRF cookie
    token = guarded.cookies["csrftoken"].value
    response = guarded.post(
        autosave_url(article),
        json.dumps({"fields": FIELDS}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert StoryAutosave.objects.count() == 1


def test_an_oversize_copy_is_refused_with_413(client):
    reporter, article = reporter_with_draft()
    client.force_login(reporter)
    huge = FIELDS | {"body": "<p>" + "word " * (MAX_AUTOSAVE_BYTES // 5) + "</p>"}
    response = send(client, autosave_url(article), huge)
    assert response.status_code == 413
    assert "too long to autosave" in response.json()["error"]
    assert not StoryAutosave.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "status", "error"),
    [
        ("{not json", "application/json", 400, "That is not JSON."),
        ("[1, 2]", "application/json", 400, "Send a JSON object"),
        ('{"fields": "headline"}', "application/json", 400, "“fields” must be"),
        ('{"fields": {"headline": 3}}', "application/json", 400, "must be text"),
        ('{"fields": {"a b": "x"}}', "application/json", 400, "is not a field"),
        ('{"fields": {"tags": [1]}}', "application/json", 400, "must be text"),
        ('{"fields": {}, "base_version": 7}', "application/json", 400, "base_v"),
        ('{"fields": {}, "labels": []}', "application/json", 400, "“labels”"),
        ("headline=x", "application/x-www-form-urlencoded", 415, "application/json"),
        (b"\xff\xfe", "application/json", 400, "That is not JSON."),
    ],
)
def test_bad_input_gets_a_json_4xx(client, body, content_type, status, error):
    reporter, article = reporter_with_draft()
    client.force_login(reporter)
    response = client.post(autosave_url(article), body, content_type=content_type)
    assert response.status_code == status
    assert error in response.json()["error"]
    assert not StoryAutosave.objects.exists()


def test_too_many_fields_are_refused(client):
    reporter, article = reporter_with_draft()
    client.force_login(reporter)
    fields = {f"field_{n}": "x" for n in range(201)}
    assert send(client, autosave_url(article), fields).status_code == 400


def test_an_unknown_story_is_a_json_404(client):
    client.force_login(member("ed", "Editor"))
    response = client.get(reverse("desk:autosave", args=[999999]))
    assert response.status_code == 404
    assert response.json() == {"error": "No such story."}


def test_other_methods_are_refused(client):
    reporter, article = reporter_with_draft()
    client.force_login(reporter)
    assert client.put(autosave_url(article)).status_code == 405


def test_the_story_form_wires_up_autosave(client):
    reporter, article = reporter_with_draft()
    client.force_login(reporter)
    page = client.get(change_url(article)).content.decode()
    assert f'data-autosave-url="{autosave_url(article)}"' in page
    assert 'src="/static/desk/story_form.js"' in page
    assert f'data-autosave-url="{NEW}"' in client.get(ADD).content.decode()


def test_the_history_restore_form_does_not_autosave(client):
    editor = member("ed", "Editor")
    article = ArticleFactory(draft=True, harbour=True)
    BylineFactory(article=article)
    client.force_login(editor)
    client.post(change_url(article), edit_form(client, article, headline="New"))
    version = Version.objects.get_for_object(article).last()
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "data-autosave-url" not in response.content.decode()


@pytest.mark.parametrize("bylines", [2, 20])
def test_reading_the_copy_takes_fixed_queries(
    client, django_assert_max_num_queries, bylines
):
    reporter, article = reporter_with_draft()
    BylineFactory.create_batch(bylines - 1, article=article)
    client.force_login(reporter)
    send(client, autosave_url(article))
    client.get(autosave_url(article))
    # The session, the user and their permissions (2), the story with its
    # bylines and their journalists, the copy.
    with django_assert_max_num_queries(8):
        assert client.get(autosave_url(article)).status_code == 200


def test_a_copy_arriving_after_the_users_own_save_is_not_kept(client):
    reporter, article = reporter_with_draft()
    client.force_login(reporter)
    loaded = edit_form(client, article)["loaded_version"]
    data = edit_form(client, article, headline="Sea wall vote delayed")
    assert client.post(change_url(article), data).status_code == 302
    # The form's last autosave, sent as the page went, arrives late.
    response = send(client, autosave_url(article), base_version=loaded)
    assert response.status_code == 409
    assert "reload" in response.json()["error"]
    assert not StoryAutosave.objects.exists()
