"""The workflow's one home (``articles.publishing``): each transition obeys
the same rules whichever path calls it — a direct call by a user, the shell
(``by=None``), the change list's action, the story form, the importer — keeps
exactly one revision and emits one event."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from reversion.models import Version

from articles import publishing
from articles.events import story_event
from articles.history import keep_stored_version
from articles.models import Article, Correction

from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    PhotoFactory,
)
from .test_desk import change_url, edit_form, member, run_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def hear(django_capture_on_commit_callbacks):
    """``hear(action)``: run ``action``, committing; (its result, the events)."""

    def run(action):
        events = []

        def listen(sender, kind, article_id, details, **kwargs):
            events.append((kind, article_id))

        story_event.connect(listen, dispatch_uid="test-publishing-service")
        try:
            with django_capture_on_commit_callbacks(execute=True):
                result = action()
        finally:
            story_event.disconnect(dispatch_uid="test-publishing-service")
        return result, events

    return run


@pytest.fixture
def editor():
    return member("ed", "Editor")


@pytest.fixture
def reporter():
    user = member("rita", "Reporter")
    JournalistFactory(name="Rita Reporter", slug="rita", user=user)
    return user


def story(*, bylined=True, history=True, **fields):
    """A story with a byline and a first version (so that each path's own
    revision is the only new one)."""
    article = ArticleFactory(**fields)
    if bylined:
        BylineFactory(article=article)
    if history:
        keep_stored_version(Article, article.pk, comment="Filed")
    return article


def revisions(article):
    return Version.objects.get_for_object_reference(Article, article.pk).count()


def last_comment(article):
    version = Version.objects.get_for_object_reference(Article, article.pk).first()
    return version.revision.comment


def fresh(article):
    return Article.objects.get(pk=article.pk)


# Each path, as a function of (client, user, article) that does the transition.


def call(transition, **arguments):
    def run(client, user, article):
        return transition(article=article, by=user, **arguments)

    return run


def shell(transition, **arguments):
    def run(client, user, article):
        return transition(article=article, by=None, **arguments)

    return run


def action(name):
    def run(client, user, article):
        client.force_login(user)
        return run_action(client, name, article)

    return run


def form(**changes):
    def run(client, user, article):
        client.force_login(user)
        data = edit_form(client, article, **changes)
        return client.post(change_url(article), data, follow=True)

    return run


PUBLISH_PATHS = {
    "call": call(publishing.publish),
    "shell": shell(publishing.publish),
    "action": action("publish_now"),
    "form": form(status="published"),
}


@pytest.mark.parametrize("path", PUBLISH_PATHS)
def test_every_path_publishes_a_ready_story_with_one_revision_and_one_event(
    client, editor, hear, path
):
    article = story(draft=True)
    before = revisions(article)

    _, events = hear(lambda: PUBLISH_PATHS[path](client, editor, article))

    article = fresh(article)
    assert article.is_published()
    assert article.first_published_at == article.published_at
    assert events == [("published", article.pk)]
    assert revisions(article) == before + 1
    assert last_comment(article).startswith("Published")
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("path", PUBLISH_PATHS)
def test_every_path_refuses_to_publish_a_story_without_dateline_or_byline(
    client, editor, hear, path
):
    article = story(draft=True, bylined=False, dateline="")
    before = revisions(article)

    result, events = hear(lambda: PUBLISH_PATHS[path](client, editor, article))

    assert fresh(article).status == Article.Status.DRAFT
    assert events == []
    assert revisions(article) == before
    said = (
        " ".join(result.reasons)
        if isinstance(result, publishing.Result)
        else result.content.decode()
    )
    assert "needs a dateline" in said and "at least one byline" in said


@pytest.mark.parametrize("path", ["call", "form"])
def test_a_reporter_cannot_publish_by_any_path(client, reporter, hear, path):
    article = story(draft=True, created_by=reporter)

    result, events = hear(lambda: PUBLISH_PATHS[path](client, reporter, article))

    assert fresh(article).status == Article.Status.DRAFT and events == []
    if path == "call":
        assert result.reasons == ("You may not publish stories.",)


def test_the_reporter_has_no_publish_action(client, reporter):
    article = story(draft=True, created_by=reporter)
    client.force_login(reporter)
    response = run_action(client, "publish_now", article)
    assert fresh(article).status == Article.Status.DRAFT
    assert "No action selected" in response.content.decode()


def test_publishing_for_a_time_ahead_schedules_and_says_so(editor, hear, client):
    article = story(draft=True)
    ahead = timezone.now() + datetime.timedelta(days=2)

    result, events = hear(
        lambda: publishing.publish(article=article, by=editor, at=ahead)
    )

    assert result.done and result.event == "scheduled"
    assert "is scheduled for" in result.message
    assert events == [("scheduled", article.pk)]
    assert fresh(article).is_scheduled
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_published_story_is_not_published_again(editor, hear):
    article = story()
    result, events = hear(lambda: publishing.publish(article=article, by=editor))
    assert not result.done and result.reasons == ("It is already published.",)
    assert "was not published" in result.message and events == []


UNPUBLISH_PATHS = {
    "call": call(publishing.unpublish),
    "shell": shell(publishing.unpublish),
    "action": action("unpublish"),
    "form": form(status="draft"),
}


@pytest.mark.parametrize("path", UNPUBLISH_PATHS)
def test_every_path_unpublishes_with_one_revision_and_one_event(
    client, editor, hear, path
):
    article = story()
    before = revisions(article)

    _, events = hear(lambda: UNPUBLISH_PATHS[path](client, editor, article))

    assert fresh(article).status == Article.Status.DRAFT
    assert events == [("unpublished", article.pk)]
    assert revisions(article) == before + 1
    assert last_comment(article).startswith("Unpublished")
    assert client.get(article.get_absolute_url()).status_code == 404


SUBMIT_PATHS = {
    "call": call(publishing.submit_for_review),
    "shell": shell(publishing.submit_for_review),
    "action": action("submit_for_review"),
    "form": form(status="review"),
}


@pytest.mark.parametrize("path", SUBMIT_PATHS)
def test_every_path_submits_a_reporters_draft_with_one_revision_and_one_event(
    client, reporter, hear, path
):
    article = story(draft=True, created_by=reporter)
    before = revisions(article)

    _, events = hear(lambda: SUBMIT_PATHS[path](client, reporter, article))

    assert fresh(article).status == Article.Status.IN_REVIEW
    # Nothing public changed: the desk's own event, for the editors' notices.
    assert events == [("submitted", article.pk)]
    assert revisions(article) == before + 1
    assert last_comment(article).startswith("Submitted for review")


@pytest.mark.parametrize("path", ["call", "action"])
def test_a_reporter_may_not_submit_someone_elses_draft(client, reporter, hear, path):
    article = story(draft=True)

    result, _ = hear(lambda: SUBMIT_PATHS[path](client, reporter, article))

    assert fresh(article).status == Article.Status.DRAFT
    said = (
        result.message
        if isinstance(result, publishing.Result)
        else result.content.decode()
    )
    assert "only submit your own drafts" in said


def test_withdraw_sends_a_story_in_review_back_to_its_author(reporter, editor, hear):
    own = story(status=Article.Status.IN_REVIEW, created_by=reporter)
    other = story(status=Article.Status.IN_REVIEW)

    mine, events = hear(lambda: publishing.withdraw(article=own, by=reporter))
    theirs = publishing.withdraw(article=other, by=reporter)
    by_editor = publishing.withdraw(article=other, by=editor)

    assert mine.done and fresh(own).status == Article.Status.DRAFT and events == []
    assert not theirs.done and "author or an editor" in theirs.message
    assert by_editor.done and fresh(other).status == Article.Status.DRAFT
    assert not publishing.withdraw(article=fresh(own), by=editor).done


def test_editing_a_published_story_in_the_form_emits_updated(client, editor, hear):
    article = story(harbour=True)
    before = revisions(article)

    response, events = hear(
        lambda: form(headline="Harbour council approves taller sea wall")(
            client, editor, article
        )
    )

    assert response.status_code == 200
    article = fresh(article)
    assert article.headline == "Harbour council approves taller sea wall"
    assert article.revised_at is not None
    assert events == [("updated", article.pk)]
    assert revisions(article) == before + 1
    assert last_comment(article).startswith("Updated after publication")


def test_editing_a_draft_in_the_form_emits_nothing(client, editor, hear):
    article = story(draft=True)
    _, events = hear(lambda: form(headline="A new headline")(client, editor, article))
    assert fresh(article).headline == "A new headline" and events == []


def test_a_correction_through_the_form_or_a_call_emits_corrected(client, editor, hear):
    article = story()
    before = revisions(article)
    client.force_login(editor)
    data = edit_form(client, article) | {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-text": "The wall is 4 metres high, not 3.",
        "corrections-0-published_at_0": timezone.localdate().isoformat(),
        "corrections-0-published_at_1": "08:00:00",
    }

    _, events = hear(lambda: client.post(change_url(article), data, follow=True))
    result, called = hear(
        lambda: publishing.correct(
            article=fresh(article), by=editor, text="It opens in May."
        )
    )

    assert events == [("corrected", article.pk)]
    assert called == [("corrected", article.pk)] and result.done
    assert revisions(article) == before + 2
    assert last_comment(article) == "Correction added: It opens in May."
    page = client.get(article.get_absolute_url()).content.decode()
    assert "The wall is 4 metres high, not 3." in page and "It opens in May." in page


def test_a_draft_takes_no_correction_by_any_path(client, editor, reporter, hear):
    article = story(draft=True)
    client.force_login(editor)
    data = edit_form(client, article) | {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-text": "A wrong name.",
        "corrections-0-published_at_0": timezone.localdate().isoformat(),
        "corrections-0-published_at_1": "08:00:00",
    }

    response, events = hear(lambda: client.post(change_url(article), data))
    called = publishing.correct(article=article, by=editor, text="A wrong name.")
    by_reporter = publishing.correct(article=story(), by=reporter, text="A wrong name.")

    assert "Only a published story takes a correction." in response.content.decode()
    assert not called.done and not by_reporter.done and events == []
    assert "those who publish" in by_reporter.message
    assert not Correction.objects.exists()


def import_ninjs(tmp_path, *options, **fields):
    item = {
        "uri": "urn:wire.example:ferry-7",
        "headline": "Ferry crossings resume after repairs",
        "located": "PORT ALDREN",
        "by": "Lena Ortiz",
        "firstCreated": "2025-06-03T18:30:00Z",
        "body_text": "Ferries crossed the bay again.\n\nThe pier held.",
        **fields,
    }
    item = {name: value for name, value in item.items() if value is not None}
    path = tmp_path / "ferry.json"
    path.write_text(json.dumps(item), "utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_stories", str(path), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_importer_publishes_through_the_service_with_one_revision_and_an_event(
    tmp_path, hear
):
    (_, err), events = hear(lambda: import_ninjs(tmp_path, "--publish"))

    article = Article.objects.get()
    assert article.is_published() and err == ""
    assert events == [("published", article.pk)]
    assert revisions(article) == 1 and last_comment(article) == "Published"


@pytest.mark.parametrize(
    "fields, reason",
    [
        ({"located": None}, "A published story needs a dateline."),
        ({"by": None}, "A published story needs at least one byline."),
    ],
    ids=["no dateline", "no byline"],
)
def test_importer_publish_refuses_a_story_the_rules_refuse_and_keeps_a_draft(
    tmp_path, hear, fields, reason
):
    (_, err), events = hear(lambda: import_ninjs(tmp_path, "--publish", **fields))

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and events == []
    assert "ferry.json" in err and "kept as a draft" in err and reason in err


def test_the_shell_is_bound_by_the_rules_of_the_story_not_of_people(hear):
    unready = story(draft=True, bylined=False)
    ready = story(draft=True, lead_photo=PhotoFactory(credit=""))

    refused = publishing.publish(article=unready, by=None)
    photo = publishing.publish(article=ready, by=None)

    assert not refused.done and publishing.BYLINE_PROBLEM in refused.reasons
    assert not photo.done and "The lead photo needs a credit" in photo.message


def test_a_refresh_of_a_published_story_by_import_emits_updated(tmp_path, hear):
    import_ninjs(tmp_path, "--publish")

    (_, err), events = hear(
        lambda: import_ninjs(
            tmp_path,
            "--publish",
            "--update",
            body_text="Ferries crossed the bay again.\n\nThe new pier held.",
        )
    )

    article = Article.objects.get()
    assert "The new pier held." in article.body and err == ""
    assert events == [("updated", article.pk)]
    assert last_comment(article).startswith("Refreshed from")


def test_the_demo_publishes_through_the_service(settings, tmp_path, hear):
    settings.MEDIA_ROOT = tmp_path
    _, events = hear(lambda: call_command("load_demo", stdout=io.StringIO()))

    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    kinds = {pk: kind for kind, pk in events}
    assert published.exists()
    for article in published:
        expected = "scheduled" if article.is_scheduled else "published"
        assert kinds[article.pk] == expected, article.slug
        assert last_comment(article).startswith(expected.capitalize())
    assert len(events) == published.count()
