"""Killing a story: its address answers 410 Gone with the reason, it leaves
every public surface, the desk sees who killed it, when and why, only an
editor brings it back, and the agency's kill notice does the same by import."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import publishing
from articles.events import story_event
from articles.models import Article

from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)
from .importing.test_structured_readers import NEWSML_XHTML
from .test_desk import CHANGELIST, change_url, edit_form, member, run_action
from .test_reader_visibility import START, walk

pytestmark = pytest.mark.django_db

MARKER = "zqkilledmarker"
REASON = "It named a witness the court had ordered anonymous."


@pytest.fixture
def editor():
    return member("ed", "Editor")


@pytest.fixture
def reporter():
    return member("rita", "Reporter")


@pytest.fixture
def stories():
    """A public story, and one to kill sharing its author, source and tag."""
    city = SectionFactory(name="City", slug="city")
    author = JournalistFactory(name="Mara Quint", slug="mara-quint")
    source = SourceFactory(name="Lina Chey", slug="lina-chey")
    made = []
    for headline in ["Public harbour story", f"Harbour {MARKER} headline"]:
        article = ArticleFactory(
            headline=headline,
            slug=headline.lower().replace(" ", "-"),
            body=f"<p>Body about the harbour {headline}.</p>",
            section=city,
        )
        article.tags.add("harbour")
        BylineFactory(article=article, journalist=author)
        QuoteFactory(article=article, source=source, text=f"Said {headline}")
        made.append(article)
    return made


def kill_from_the_list(client, user, article, reason=REASON):
    client.force_login(user)
    asked = run_action(client, "kill", article)
    answered = client.post(
        CHANGELIST,
        {
            "action": "kill",
            "_selected_action": [article.pk],
            "confirm": "yes",
            "reason": reason,
        },
        follow=True,
    )
    return asked, answered


def test_an_editor_kills_from_the_list_giving_a_reason_readers_see(
    client, editor, stories
):
    public, doomed = stories
    asked, answered = kill_from_the_list(client, editor, doomed)

    assert "Reason readers see" in asked.content.decode()
    assert "1 story was killed" in answered.content.decode()
    client.logout()
    page = client.get(doomed.get_absolute_url())
    assert page.status_code == 410
    text = page.content.decode()
    assert "This story has been withdrawn" in text and REASON in text
    assert doomed.headline in text and "Body about the harbour" not in text
    assert client.get(f"/api/stories/{doomed.pk}/").status_code == 410
    ninjs = client.get(f"/api/stories/{doomed.pk}/ninjs")
    assert ninjs.status_code == 410 and ninjs.json() == {
        "detail": "This story was withdrawn."
    }
    assert client.get(public.get_absolute_url()).status_code == 200


def test_a_killed_story_moved_before_says_gone_at_its_old_address_too(
    client, editor, stories
):
    _, doomed = stories
    old_address = doomed.get_absolute_url()
    doomed.slug = "harbour-story-renamed"
    doomed.save()
    publishing.kill(article=doomed, by=editor, reason=REASON)

    for address in [old_address, doomed.get_absolute_url()]:
        page = client.get(address)
        assert page.status_code == 410 and REASON in page.content.decode(), address


def test_a_kill_without_a_reason_asks_again_and_kills_nothing(client, editor, stories):
    _, doomed = stories
    _, answered = kill_from_the_list(client, editor, doomed, reason="  ")
    assert "This field is required" in answered.content.decode()
    assert Article.objects.get(pk=doomed.pk).status == Article.Status.PUBLISHED


def test_a_killed_story_leaves_every_public_surface(client, editor, stories):
    public, doomed = stories
    before = walk(client, START)
    assert any(MARKER in r.content.decode() for r in before.values())

    publishing.kill(article=doomed, by=editor, reason=REASON)
    pages = walk(client, START + [f"/api/stories/{doomed.pk}/"])

    reached = {url for url, response in pages.items() if response.status_code == 200}
    for url in ["/", "/city/", "/feeds/rss/", "/sitemap-news.xml", "/tags/harbour/"]:
        assert url in reached, url
    assert any(url.startswith("/sitemap-stories-") for url in reached)
    assert public.get_absolute_url() in reached
    for url, response in pages.items():
        assert MARKER not in response.content.decode(), url
    assert client.get("/api/stories/").json()["count"] == 1


def test_the_desk_sees_who_killed_the_story_when_and_why(client, editor, stories):
    _, doomed = stories
    publishing.kill(article=doomed, by=editor, reason=REASON)
    killed_at = Article.objects.get(pk=doomed.pk).killed_at
    when = timezone.localtime(killed_at).strftime("%-d %B %Y, %H:%M")
    note = f"Killed by ed at {when}: {REASON}"
    client.force_login(editor)

    listing = client.get(CHANGELIST + "?state=killed").content.decode()
    form = client.get(change_url(doomed)).content.decode()

    assert note in listing and note in form
    assert 'name="status"' not in form  # a kill is undone by restore alone


def test_a_kill_is_one_revision_and_one_event(
    editor, stories, django_capture_on_commit_callbacks
):
    _, doomed = stories
    heard = []

    def listen(sender, kind, article_id, details, **kwargs):
        heard.append((kind, article_id, details["reason"]))

    story_event.connect(listen, dispatch_uid="test-kill")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = publishing.kill(article=doomed, by=editor, reason=REASON)
    finally:
        story_event.disconnect(dispatch_uid="test-kill")

    assert result.done and result.event == "killed"
    assert heard == [("killed", doomed.pk, REASON)]
    versions = Version.objects.get_for_object_reference(Article, doomed.pk)
    assert versions.count() == 1
    assert versions.get().revision.comment == f"Killed: {REASON}"
    assert versions.get().revision.user == editor


def test_reporters_may_neither_kill_nor_restore(client, reporter, editor, stories):
    _, doomed = stories
    refused = publishing.kill(article=doomed, by=reporter, reason=REASON)
    publishing.kill(article=doomed, by=editor, reason=REASON)
    not_restored = publishing.restore_killed(
        article=Article.objects.get(pk=doomed.pk), by=reporter
    )
    client.force_login(reporter)
    names = {
        name
        for name, _ in client.get(CHANGELIST)
        .context["action_form"]
        .fields["action"]
        .choices
    }

    assert not refused.done and refused.reasons == ("You may not kill stories.",)
    assert not not_restored.done
    assert "Only an editor restores a killed story." in not_restored.message
    assert not names & {"kill", "restore_killed"}


def test_an_editor_restores_a_killed_story_as_a_draft(client, editor, stories):
    _, doomed = stories
    publishing.kill(article=doomed, by=editor, reason=REASON)
    client.force_login(editor)

    response = run_action(client, "restore_killed", doomed)

    article = Article.objects.get(pk=doomed.pk)
    assert "1 killed story was restored and is a draft." in response.content.decode()
    assert article.status == Article.Status.DRAFT and article.kill_reason == ""
    client.logout()
    assert client.get(doomed.get_absolute_url()).status_code == 404
    assert publishing.publish(article=article, by=editor).done
    assert client.get(doomed.get_absolute_url()).status_code == 200


def test_a_killed_story_is_not_published_or_unkilled_by_the_form(
    client, editor, stories
):
    _, doomed = stories
    publishing.kill(article=doomed, by=editor, reason=REASON)
    article = Article.objects.get(pk=doomed.pk)

    assert not publishing.publish(article=article, by=editor).done
    client.force_login(editor)
    data = edit_form(client, article, status="published")
    client.post(change_url(article), data)
    assert Article.objects.get(pk=doomed.pk).status == Article.Status.KILLED
    assert publishing.edit_problems(
        article=Article(
            **{
                f.attname: getattr(article, f.attname)
                for f in Article._meta.concrete_fields
            }
            | {"status": Article.Status.PUBLISHED}
        ),
        by=editor,
    ) == ["A killed story comes back only when an editor restores it."]


def test_the_killed_notice_is_not_kept_in_the_page_cache(settings, client, stories):
    settings.NEWSROOM_PAGE_CACHE = True
    public, doomed = stories
    publishing.kill(article=doomed, by=None, reason=REASON)

    stored = client.get(public.get_absolute_url())
    gone = client.get(doomed.get_absolute_url())

    # A page the cache keeps is described (ETag) on the way in; a 410 is not.
    assert stored.status_code == 200 and "ETag" in stored
    assert gone.status_code == 410 and "ETag" not in gone
    assert "public" not in gone.get("Cache-Control", "")


# The agency's notices, by re-import


def ninjs_item(tmp_path, **fields):
    item = {
        "uri": "urn:wire.example:ferry-7",
        "headline": "Ferry crossings resume after repairs",
        "located": "PORT ALDREN",
        "by": "Lena Ortiz",
        "copyrightHolder": "Riverton Wire",
        "firstCreated": "2025-06-03T18:30:00Z",
        "body_text": "Ferries crossed the bay again.\n\nThe pier held.",
        **fields,
    }
    path = tmp_path / "ferry.json"
    path.write_text(json.dumps(item), "utf-8")
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_stories", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_reimporting_a_canceled_ninjs_item_kills_the_story_for_good(client, tmp_path):
    run(ninjs_item(tmp_path), "--publish")
    article = Article.objects.get()
    assert client.get(article.get_absolute_url()).status_code == 200

    _, err = run(ninjs_item(tmp_path, pubStatus="canceled"), "--publish")

    article = Article.objects.get()
    assert article.status == Article.Status.KILLED and article.killed_by is None
    assert article.kill_reason == "Riverton Wire withdrew this story."
    assert "kill notice" in err
    page = client.get(article.get_absolute_url())
    assert page.status_code == 410 and "Riverton Wire withdrew" in page.content.decode()
    assert "Killed by the importer" in publishing.kill_note(article)

    # Usable copy again, even refreshed and published: the kill stands.
    _, err = run(ninjs_item(tmp_path, pubStatus="usable"), "--publish", "--update")
    assert Article.objects.get().status == Article.Status.KILLED
    lines = [line for line in err.splitlines() if "never comes back" in line]
    assert len(lines) == 1 and "ferry.json" in lines[0]


def test_reimporting_a_withheld_item_unpublishes_the_story(client, tmp_path):
    run(ninjs_item(tmp_path), "--publish")

    _, err = run(ninjs_item(tmp_path, pubstatus="withheld"), "--publish")

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and "withholds it" in err
    assert client.get(article.get_absolute_url()).status_code == 404
    # Read again, the notice changes nothing.
    _, again = run(ninjs_item(tmp_path, pubstatus="withheld"), "--publish")
    assert again == "" and Article.objects.get().status == Article.Status.DRAFT


def test_a_new_withheld_item_is_stored_as_a_draft_even_with_publish(tmp_path):
    _, err = run(ninjs_item(tmp_path, pubStatus="withheld"), "--publish")
    assert Article.objects.get().status == Article.Status.DRAFT
    assert "withheld by the agency" in err


def test_a_kill_notice_for_a_story_never_imported_stores_nothing(tmp_path):
    _, err = run(ninjs_item(tmp_path, pubStatus="canceled"), "--publish")
    assert not Article.objects.exists()
    assert "never imported; nothing stored" in err


def test_a_newsml_item_with_stat_canceled_kills_the_story(client, tmp_path):
    path = tmp_path / "ferry.xml"
    path.write_bytes(NEWSML_XHTML)
    run(path, "--publish")
    assert Article.objects.get().is_published()

    path.write_bytes(
        NEWSML_XHTML.replace(
            b'<itemClass qcode="ninat:text"/>',
            b'<itemClass qcode="ninat:text"/><pubStatus qcode="stat:canceled"/>',
        )
    )
    _, err = run(path)

    article = Article.objects.get()
    assert article.status == Article.Status.KILLED and "kill notice" in err
    assert client.get(article.get_absolute_url()).status_code == 410
    assert client.get(reverse("articles:latest_rss")).content.count(b"<item>") == 0


def test_readers_parse_the_publishing_status():
    from articles.importing.data import pub_status

    assert pub_status("stat:canceled") == "canceled"
    assert pub_status("http://cv.iptc.org/newscodes/pubstatusg2/withheld") == (
        "withheld"
    )
    assert pub_status("Usable") == "usable"
    assert pub_status("stat:unknown") == pub_status(None) == ""


def test_the_desk_list_of_killed_stories_costs_the_same_for_more_rows(client, editor):
    client.force_login(editor)
    killers = [member(f"ed{n}", "Editor") for n in range(6)]

    def kill_some(count):
        for killer in killers[:count]:
            article = ArticleFactory()
            publishing.kill(article=article, by=killer, reason=REASON)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CHANGELIST + "?state=killed").status_code == 200
        return len(captured)

    kill_some(2)
    few = queries()
    kill_some(6)
    assert queries() == few
