"""Restoring an earlier version from History brings back words, nothing else.

The story keeps its status, publication times and owner; corrections are
append-only and no restore removes or changes one; the message says what
changed and what was kept.
"""

import datetime

import pytest
import reversion
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from articles.models import Article, Correction
from articles.publishing import mark_published

from .admin_forms import posted_back
from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    JournalistFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = User.objects.create_user("ed", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    return user


def keep_version(article):
    with reversion.create_revision():
        reversion.add_to_revision(article)
    return Version.objects.get_for_object(article).first()


def revert_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def restore(client, article, version, **changes):
    """Open the restore form of ``version`` and save it as shown."""
    page = client.get(revert_url(article, version))
    assert page.status_code == 200
    return client.post(
        revert_url(article, version), posted_back(page, **changes), follow=True
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def story():
    """A story filed as a draft, then published with a correction: the issue's
    case. Its first version is the draft."""
    article = ArticleFactory(
        draft=True,
        headline="Sea wall vote delayed",
        body="<p>The vote was put off.</p>",
        section=SectionFactory(name="City", slug="city"),
    )
    BylineFactory(article=article, journalist=JournalistFactory(name="Mara Quint"))
    draft_version = keep_version(article)
    article.headline = "Sea wall approved"
    article.body = "<p>Councillors voted 9 to 2.</p>"
    mark_published(article, at=timezone.now() - datetime.timedelta(hours=2))
    article.save()
    CorrectionFactory(article=article, text="The vote was 9 to 2, not 8 to 3.")
    keep_version(article)
    return article, draft_version


def test_restoring_a_draft_version_of_a_published_story_keeps_it_online(
    client, editor, story
):
    article, draft_version = story
    published_at = article.published_at
    first_published_at = article.first_published_at

    response = restore(client, article, draft_version)

    article.refresh_from_db()
    assert article.headline == "Sea wall vote delayed"
    assert article.body == "<p>The vote was put off.</p>"
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == published_at
    assert article.first_published_at == first_published_at
    assert article.revised_at is not None  # readers see it was updated
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "The vote was 9 to 2, not 8 to 3." in page.content.decode()
    when = date_format(
        timezone.localtime(draft_version.revision.date_created), "j F Y, H:i"
    )
    assert messages_of(response) == [
        f"Restored the version of {when}: headline, body changed. "
        "Status kept: Published. Corrections kept: 1."
    ]


def test_a_restore_never_removes_or_changes_a_correction(client, editor, story):
    article, draft_version = story
    correction = article.corrections.get()
    Correction.objects.filter(pk=correction.pk).update(text="Amended correction.")

    restore(client, article, draft_version)

    assert list(article.corrections.values_list("text", flat=True)) == [
        "Amended correction."
    ]


def test_restore_brings_back_the_versions_quotes_and_bylines(client, editor):
    article = ArticleFactory(draft=True)
    author = JournalistFactory(name="Teo Vance")
    BylineFactory(article=article, journalist=author)
    said = QuoteFactory(article=article, text="We will build it.")
    version = keep_version(article)
    said.delete()
    QuoteFactory(article=article, text="A quote added later.")
    article.bylines.all().delete()
    BylineFactory(article=article, journalist=JournalistFactory(name="Ana Ruiz"))

    response = restore(client, article, version)

    assert list(article.quotes.values_list("text", flat=True)) == ["We will build it."]
    assert [b.journalist for b in article.bylines.all()] == [author]
    [message] = messages_of(response)
    assert ": bylines, quotes changed. Status kept: Draft." in message


def test_the_restore_form_changes_nothing_until_it_is_saved(client, editor, story):
    article, draft_version = story

    page = client.get(revert_url(article, draft_version))

    assert page.status_code == 200
    assert "Sea wall vote delayed" in page.content.decode()
    article.refresh_from_db()
    assert article.headline == "Sea wall approved"
    assert article.corrections.count() == 1
    assert article.is_published()


def test_status_cannot_be_changed_through_a_restore(client, editor, story):
    article, draft_version = story

    restore(client, article, draft_version, status="draft")

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_a_restore_that_would_break_a_published_story_is_refused_with_reasons(
    client, editor, story
):
    article, _ = story
    Article.objects.filter(pk=article.pk).update(dateline="")
    article.refresh_from_db()
    no_dateline = keep_version(article)
    Article.objects.filter(pk=article.pk).update(dateline="PORT ALDREN")

    page = client.get(revert_url(article, no_dateline))
    response = client.post(revert_url(article, no_dateline), posted_back(page))

    assert response.status_code == 200
    assert "needs a dateline" in str(response.context["errors"])
    article.refresh_from_db()
    assert article.dateline == "PORT ALDREN"


def test_restore_keeps_an_anonymous_sources_quote_when_the_source_is_gone(
    client, editor
):
    article = ArticleFactory(draft=True)
    source = SourceFactory(name="Gone Source")
    QuoteFactory(article=article, source=source, text="Something said.")
    version = keep_version(article)
    article.quotes.all().delete()
    source.delete()

    restore(client, article, version)

    assert list(article.quotes.values_list("text", "source")) == [
        ("Something said.", None)
    ]


def test_restore_message_when_the_words_are_the_same(client, editor, story):
    article, _ = story
    current = keep_version(article)

    response = restore(client, article, current)

    [message] = messages_of(response)
    assert ": nothing differed. Status kept: Published. Corrections kept: 1." in (
        message
    )
    assert Version.objects.get_for_object(article).first().revision.comment == (message)
