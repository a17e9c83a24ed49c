"""Review notifications: who hears about each step of a story through review
(desk notices, and e-mail when the newsroom sends it), the editors' send
back, and marking notices read (each member their own)."""

import pytest
from django.core import mail
from django.urls import reverse
from reversion.models import Version

from articles import publishing
from articles.models import Article
from desk.models import Notice

from .factories import ArticleFactory, BylineFactory, JournalistFactory
from .test_desk import member

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run a transition and its on-commit work (the events, the notices)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def newsroom(django_user_model):
    """Two editors, the reporter who filed the story, a bylined colleague with
    an account, a bylined stringer without one, and a photo editor."""
    people = {
        "ed": member("ed", "Editor"),
        "eve": member("eve", "Editor"),
        "rita": member("rita", "Reporter"),
        "ray": member("ray", "Reporter"),
        "pia": member("pia", "Photo editor"),
    }
    people["rita"].email = "rita@newsroom.example"
    people["rita"].first_name, people["rita"].last_name = "Rita", "Reporter"
    people["rita"].save()
    people["ed"].first_name, people["ed"].last_name = "Ed", "Itor"
    people["ed"].save()
    rita = JournalistFactory(name="Rita Reporter", slug="rita", user=people["rita"])
    ray = JournalistFactory(name="Ray Reporter", slug="ray", user=people["ray"])
    stringer = JournalistFactory(name="Sam Stringer", slug="sam")
    story = ArticleFactory(
        headline="Ferry service to end in March",
        draft=True,
        created_by=people["rita"],
    )
    for position, journalist in enumerate([rita, ray, stringer]):
        BylineFactory(article=story, journalist=journalist, position=position)
    people["story"] = story
    return people


def told(user):
    return list(Notice.objects.filter(recipient=user).values_list("kind", flat=True))


def fresh(article):
    return Article.objects.get(pk=article.pk)


def test_submitting_tells_the_editors_and_nobody_else(newsroom, committing):
    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))

    assert told(newsroom["ed"]) == ["submitted"]
    assert told(newsroom["eve"]) == ["submitted"]
    for name in ("rita", "ray", "pia"):
        assert told(newsroom[name]) == []
    notice = Notice.objects.get(recipient=newsroom["ed"])
    assert (
        notice.message
        == "Rita Reporter submitted “Ferry service to end in March” for review."
    )
    assert notice.story == story and notice.read_at is None


def test_submitting_from_the_story_form_tells_the_editors_too(
    newsroom, client, committing
):
    from .test_publishing_service import form

    story = newsroom["story"]
    committing(lambda: form(status="review")(client, newsroom["rita"], story))

    assert fresh(story).status == Article.Status.IN_REVIEW
    assert told(newsroom["ed"]) == ["submitted"]


def test_publishing_tells_the_filer_and_bylined_journalists_with_accounts(
    newsroom, committing
):
    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    result = committing(
        lambda: publishing.publish(article=fresh(story), by=newsroom["ed"])
    )

    assert result.done
    assert told(newsroom["rita"]) == ["published"]
    assert told(newsroom["ray"]) == ["published"]
    assert told(newsroom["ed"]) == ["submitted"]  # not told of their own act
    assert told(newsroom["pia"]) == []
    message = Notice.objects.get(recipient=newsroom["ray"]).message
    assert (
        message
        == "Ed Itor published “Ferry service to end in March”: it is live on the site."
    )


def test_sending_back_tells_the_filer_with_the_note(newsroom, committing):
    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    note = "Get the operator's side before this runs."

    result = committing(
        lambda: publishing.send_back(article=fresh(story), by=newsroom["ed"], note=note)
    )

    assert result.done and result.event == "sent_back"
    assert fresh(story).status == Article.Status.DRAFT
    assert told(newsroom["rita"]) == ["sent_back"]
    assert told(newsroom["ray"]) == []
    assert note in Notice.objects.get(recipient=newsroom["rita"]).message
    version = Version.objects.get_for_object_reference(Article, story.pk).first()
    assert version.revision.comment == f"Sent back: {note}"


def test_an_imported_story_sent_back_tells_its_bylined_journalists(
    newsroom, committing
):
    story = newsroom["story"]
    story.created_by = None
    story.status = Article.Status.IN_REVIEW
    story.save()
    committing(
        lambda: publishing.send_back(article=story, by=newsroom["ed"], note="Cut it")
    )
    assert told(newsroom["rita"]) == ["sent_back"]
    assert told(newsroom["ray"]) == ["sent_back"]
    assert told(newsroom["eve"]) == []


def test_send_back_is_refused_to_reporters_and_outside_review(newsroom, committing):
    story = newsroom["story"]
    refused = publishing.send_back(article=story, by=newsroom["ed"], note="Not yet.")
    assert not refused.done and "Only a story in review" in refused.message

    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    story = fresh(story)
    by_reporter = publishing.send_back(article=story, by=newsroom["rita"], note="Hm")
    assert not by_reporter.done and "Only an editor" in by_reporter.message
    no_note = publishing.send_back(article=story, by=newsroom["ed"], note="  ")
    assert not no_note.done and "the reporter reads the note" in no_note.message
    assert fresh(story).status == Article.Status.IN_REVIEW
    assert told(newsroom["rita"]) == []


def test_the_send_back_button_and_form(newsroom, client, committing):
    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    send_back = reverse("desk:send_back", args=[story.pk])
    change = reverse("admin:articles_article_change", args=[story.pk])

    client.force_login(newsroom["ed"])
    assert send_back in client.get(change).content.decode()
    assert client.get(send_back).status_code == 200
    response = committing(
        lambda: client.post(send_back, {"note": "Needs the March date confirmed."})
    )
    assert response.status_code == 302
    assert fresh(story).status == Article.Status.DRAFT
    assert told(newsroom["rita"]) == ["sent_back"]
    followed = client.get(response["Location"])
    assert "was sent back to the reporter" in followed.content.decode()


def test_reporters_get_no_button_and_a_refusal(newsroom, client, committing):
    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    send_back = reverse("desk:send_back", args=[story.pk])
    change = reverse("admin:articles_article_change", args=[story.pk])

    client.force_login(newsroom["rita"])
    assert send_back not in client.get(change).content.decode()
    assert client.get(send_back).status_code == 403
    assert client.post(send_back, {"note": "Sending myself back"}).status_code == 403
    assert fresh(story).status == Article.Status.IN_REVIEW


def test_an_empty_note_is_a_form_error(newsroom, client, committing):
    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    client.force_login(newsroom["ed"])
    response = client.post(reverse("desk:send_back", args=[story.pk]), {"note": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert fresh(story).status == Article.Status.IN_REVIEW


def test_webhooks_ignore_the_desks_own_events(newsroom, committing, tasks):
    from django_tasks_db.models import DBTaskResult

    story = newsroom["story"]
    before = DBTaskResult.objects.count()
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    committing(
        lambda: publishing.send_back(
            article=fresh(story), by=newsroom["ed"], note="More"
        )
    )
    assert DBTaskResult.objects.count() == before  # no fan-out, purge or ping


def test_notices_go_by_email_when_configured(newsroom, committing, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.NEWSROOM_NOTICE_EMAIL = True
    settings.NEWSROOM_SITE_URL = "https://news.example"
    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    assert mail.outbox == []  # the editors have no address

    committing(
        lambda: publishing.send_back(
            article=fresh(story), by=newsroom["ed"], note="Check the timetable."
        )
    )

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["rita@newsroom.example"]
    assert "Sent back" in sent.subject and "Ferry service" in sent.subject
    assert "Check the timetable." in sent.body
    assert (
        f"https://news.example/admin/articles/article/{story.pk}/change/" in sent.body
    )


def test_no_email_unless_configured(newsroom, committing, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.NEWSROOM_NOTICE_EMAIL = False
    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    committing(
        lambda: publishing.send_back(article=fresh(story), by=newsroom["ed"], note="No")
    )
    assert told(newsroom["rita"]) == ["sent_back"]
    assert mail.outbox == []


def test_notices_show_on_the_desk_home_with_the_unread_count_in_the_header(
    newsroom, client, committing
):
    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    client.force_login(newsroom["ed"])

    home = client.get(HOME).content.decode()
    assert "Rita Reporter submitted" in home
    assert 'desk-badge">1<' in home
    # Every desk page's header shows it.
    changelist = client.get(reverse("admin:articles_article_changelist"))
    assert 'desk-badge">1<' in changelist.content.decode()


def test_only_the_recipient_marks_a_notice_read(newsroom, client, committing):
    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    notice = Notice.objects.get(recipient=newsroom["ed"])
    url = reverse("desk:notice_read", args=[notice.pk])

    client.force_login(newsroom["eve"])
    assert client.post(url).status_code == 404
    client.force_login(newsroom["rita"])
    assert client.post(url).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None

    client.force_login(newsroom["ed"])
    assert client.get(url).status_code == 405  # a write is a POST
    response = client.post(url, {"next": HOME})
    assert response.status_code == 302 and response["Location"] == HOME
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "desk-badge" not in client.get(HOME).content.decode()
    # Eve's own notice is still unread.
    assert Notice.objects.get(recipient=newsroom["eve"]).read_at is None


def test_marking_read_needs_the_csrf_token(newsroom, committing):
    from django.test import Client

    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    notice = Notice.objects.get(recipient=newsroom["ed"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(newsroom["ed"])
    assert client.post(reverse("desk:notice_read", args=[notice.pk])).status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read_and_the_notices_page(newsroom, client, committing):
    story = newsroom["story"]
    committing(lambda: publishing.submit_for_review(article=story, by=newsroom["rita"]))
    committing(lambda: publishing.publish(article=fresh(story), by=newsroom["eve"]))
    client.force_login(newsroom["ed"])
    page = client.get(reverse("desk:notices")).content.decode()
    assert "Rita Reporter submitted" in page and "1 unread" in page

    client.post(reverse("desk:notices_read"))
    assert Notice.objects.filter(recipient=newsroom["ed"], read_at=None).count() == 0
    assert Notice.objects.filter(recipient=newsroom["rita"], read_at=None).count() == 1


def test_the_desk_pages_are_for_staff_only(newsroom, client, django_user_model):
    reader = django_user_model.objects.create_user("reader", password="x")
    client.force_login(reader)
    for url in (
        reverse("desk:notices"),
        reverse("desk:send_back", args=[newsroom["story"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(reverse("desk:notices_read"))
    assert response.status_code == 302 and "login" in response["Location"]
