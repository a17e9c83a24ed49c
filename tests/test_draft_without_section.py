"""A draft may be saved without a section; it goes out only with one.

A story's address begins with its section, so a story without one has no
address: it is saved, listed ("—"), previewed and restored at the desk, but
publishing, scheduling and embargo refuse it with the reason
(``publishing.section_problems``, part of ``publishing_problems``), and the
database refuses a published story without a section from any other path.
"""

import datetime

import pytest
import reversion
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles import publishing
from articles.models import Article, ArticleRedirect
from webhooks import story as webhook_story

from .factories import ArticleFactory, BylineFactory, SectionFactory
from .test_desk import (
    ADD,
    CHANGELIST,
    change_url,
    edit_form,
    member,
    page_messages,
    run_action,
    signed_in,
    story_form,
    with_byline,
)

pytestmark = pytest.mark.django_db

MARKER = "zqnosectionmarker"


def draft_without_section(**kwargs):
    article = ArticleFactory(
        draft=True,
        section=None,
        headline=f"Ferry timetable {MARKER}",
        slug="ferry-timetable",
        **kwargs,
    )
    BylineFactory(article=article)
    return article


def test_reporter_saves_a_new_draft_without_a_section(client):
    reporter = member("rita", "Reporter")
    signed_in(client, reporter)
    response = client.post(ADD, story_form(section=""))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="night-buses-return")
    assert article.section is None
    assert article.status == Article.Status.DRAFT
    assert article.get_absolute_url() is None

    form = client.get(change_url(article))
    assert form.status_code == 200
    # No "View on site" for a story with no address.
    assert (
        reverse(
            "admin:view_on_site", args=[form.context["content_type_id"], article.pk]
        )
        not in form.content.decode()
    )


def test_the_desk_list_shows_a_dash_for_a_story_without_a_section(client):
    draft_without_section()
    ArticleFactory(headline="Harbour story", section=SectionFactory(name="Port"))
    signed_in(client, member("ed", "Editor"))
    response = client.get(CHANGELIST)
    rows = {
        row.split("</th>")[0].rsplit(">", 2)[-2]: row
        for row in response.content.decode().split('<tr class="')[1:]
        if "</th>" in row
    }
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Ferry timetable {MARKER}" in html
    ferry = next(row for row in rows.values() if MARKER in row)
    assert '<td class="field-section nowrap">—</td>' in ferry or (
        '<td class="field-section">—</td>' in ferry
    )


def test_preview_shows_a_draft_without_a_section_and_says_it_needs_one(client):
    article = draft_without_section()
    signed_in(client, member("ed", "Editor"))
    response = client.get(reverse("articles:preview", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Ferry timetable {MARKER}" in html
    assert "No section yet" in html and "needs a section" in html
    assert 'rel="canonical"' not in html  # no address to name
    assert '"articleSection"' not in html


def test_editor_cannot_publish_from_the_form_without_a_section_and_is_told_why(
    client,
):
    article = draft_without_section()
    signed_in(client, member("ed", "Editor"))
    response = client.post(
        change_url(article), edit_form(client, article, section="", status="published")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert list(errors) == [publishing.SECTION_PROBLEM]  # said once
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_editor_cannot_schedule_from_the_form_without_a_section(client):
    article = draft_without_section()
    signed_in(client, member("ed", "Editor"))
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    response = client.post(
        change_url(article),
        edit_form(
            client,
            article,
            section="",
            status="published",
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    assert (
        publishing.SECTION_PROBLEM
        in response.context["adminform"].form.non_field_errors()
    )
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_an_embargo_set_in_the_form_needs_a_section(client):
    article = draft_without_section()
    signed_in(client, member("ed", "Editor"))
    until = timezone.localtime(timezone.now() + datetime.timedelta(hours=3))
    response = client.post(
        change_url(article),
        edit_form(
            client,
            article,
            section="",
            embargoed_until_0=until.strftime("%Y-%m-%d"),
            embargoed_until_1=until.strftime("%H:%M:%S"),
        ),
    )
    assert (
        publishing.SECTION_PROBLEM
        in response.context["adminform"].form.non_field_errors()
    )
    assert Article.objects.get(pk=article.pk).embargoed_until is None


def test_the_transitions_refuse_a_story_without_a_section_with_the_reason():
    article = draft_without_section()
    editor = member("ed", "Editor")
    now = timezone.now()
    for result in [
        publishing.publish(article=article, by=editor),
        publishing.publish(
            article=article, by=None, at=now + datetime.timedelta(days=1)
        ),
        publishing.embargo(
            article=article, by=editor, until=now + datetime.timedelta(hours=2)
        ),
    ]:
        assert not result.done
        assert publishing.SECTION_PROBLEM in result.reasons
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.embargoed_until is None

    article.section = SectionFactory(name="Transport", slug="transport")
    article.save()
    assert publishing.publish(article=article, by=editor).done
    assert article.get_absolute_url() == "/transport/ferry-timetable/"


def test_the_publish_action_names_the_missing_section(client):
    article = draft_without_section()
    signed_in(client, member("ed", "Editor"))
    response = run_action(client, "publish_now", article)
    assert any(
        MARKER in line and "needs a section" in line for line in page_messages(response)
    )
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_the_database_refuses_a_published_story_without_a_section():
    article = draft_without_section()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.PUBLISHED, published_at=timezone.now()
        )


def test_no_public_surface_shows_a_draft_without_a_section(client):
    draft = draft_without_section()
    for url in [f"/api/stories/{draft.pk}/", f"/api/stories/{draft.pk}/ninjs"]:
        assert client.get(url).status_code == 404, url
    ArticleFactory(headline="Harbour wall repairs begin")
    for url in [
        "/",
        "/feeds/rss/",
        "/sitemap.xml",
        "/api/stories/",
        "/search/?q=ferry",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        assert MARKER.encode() not in body, url


def test_a_story_taken_down_and_moved_out_of_its_section_keeps_its_old_address():
    """Its old address is remembered; it answers again (a redirect) once the
    story is out again, in whatever section."""
    editor = member("ed", "Editor")
    article = ArticleFactory(
        slug="ferry-timetable", section=SectionFactory(slug="city")
    )
    BylineFactory(article=article)
    article = Article.objects.get(pk=article.pk)
    assert publishing.unpublish(article=article, by=editor).done
    article.section = None
    article.save()  # no address, no crash
    assert ArticleRedirect.objects.filter(old_path="/city/ferry-timetable/").exists()

    article.section = SectionFactory(name="Transport", slug="transport")
    article.save()
    assert publishing.publish(article=article, by=editor).done
    from django.test import Client

    response = Client().get("/city/ferry-timetable/")
    assert response.status_code == 301
    assert response["Location"] == "/transport/ferry-timetable/"


def test_restoring_a_version_without_a_section_onto_a_published_story_keeps_it(client):
    article = draft_without_section()
    with reversion.create_revision():
        article.save()
    article.section = SectionFactory(name="Transport", slug="transport")
    article.save()
    editor = member("ed", "Editor")
    assert publishing.publish(article=article, by=editor).done
    first = reversion.models.Version.objects.get_for_object(article).last()
    signed_in(client, editor)
    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    shown = client.get(url)
    assert shown.status_code == 200
    from .admin_forms import posted_back

    response = client.post(url, posted_back(shown))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.section.slug == "transport"


def test_a_kill_of_a_draft_without_a_section_tells_webhooks_it_has_no_address():
    article = draft_without_section()
    assert publishing.kill(article=article, by=None, reason="Legal advice.").done
    assert webhook_story.notice(article)["url"] is None


def test_the_importer_files_copy_without_a_section_in_the_default_section(tmp_path):
    """Imported copy may be published at once, so it always gets a section."""
    from articles.importing.data import StoryData
    from articles.importing.store import store_story

    story = StoryData(
        format="text",
        identity="agency-ferry-1",
        headline="Ferry timetable changes",
        body_html="<p>The ferry runs later.</p>",
        dateline="PORT ALDREN",
        authors=["Ana Ruiz"],
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    outcome = store_story(story, publish=True)
    assert outcome.status == "created", outcome
    article = outcome.article
    assert article.section is not None
    assert article.is_published()
    assert article.get_absolute_url().startswith(f"/{article.section.slug}/")


def test_a_new_story_with_a_byline_and_no_section_can_be_submitted_for_review(client):
    reporter = member("rita", "Reporter")
    signed_in(client, reporter)
    from .factories import JournalistFactory

    journalist = JournalistFactory(user=reporter)
    response = client.post(
        ADD, with_byline(story_form(section="", status="review"), journalist)
    )
    assert response.status_code == 302
    assert (
        Article.objects.get(slug="night-buses-return").status
        == Article.Status.IN_REVIEW
    )


def test_pings_for_a_story_with_no_address_name_no_section_feed(settings):
    """A story taken down and moved out of its section in one save: the pings
    that follow (WebSub, IndexNow) name no section feed and no address."""
    from webhooks import pings

    article = draft_without_section()
    feeds = pings.story_feeds(article)
    assert feeds and not any("/sections/" in feed for feed in feeds)
    settings.INDEXNOW_KEY = "0123456789abcdef0123456789abcdef"
    assert pings.indexnow(article_id=article.pk) is None
