"""The desk home (the admin's index for staff): what waits for each member,
a few rows and a count per section, each a link into the filtered list."""

import datetime

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from articles import publishing
from articles.models import Article
from desk import queries
from desk.models import Notice, Submission

from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    PhotoFactory,
    QuoteFactory,
)
from .markup import words
from .test_desk import member

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


@pytest.fixture
def editor():
    return member("ed", "Editor")


@pytest.fixture
def reporter():
    user = member("rita", "Reporter")
    JournalistFactory(name="Rita Reporter", slug="rita", user=user)
    return user


@pytest.fixture
def photo_editor():
    return member("pia", "Photo editor")


def home(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response


def page(response):
    return lxml.html.fromstring(response.content.decode())


def having(name):
    """XPath for elements with the class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def section(response, key):
    """The section ``key`` of the desk home (None if the member has none)."""
    found = page(response).xpath(f"//section[{having('desk-section--' + key)}]")
    return found[0] if found else None


def text(element):
    return words(element.text_content())


def count(response, key):
    return text(section(response, key).xpath(f".//*[{having('desk-count')}]")[0])


def headlines(response, key):
    return [
        text(a) for a in section(response, key).xpath(f".//li[{having('desk-row')}]/a")
    ]


def heading_link(response, key):
    return section(response, key).xpath(".//h2/a/@href")[0]


def first_row(response, key):
    return text(section(response, key).xpath(f".//li[{having('desk-row')}]")[0])


def results(response):
    """The text of the admin list's table of results."""
    return text(page(response).xpath("//table[@id='result_list']")[0])


def in_review(headline, *, by=None, ago):
    article = ArticleFactory(headline=headline, draft=True)
    article.status = Article.Status.IN_REVIEW
    article.save()
    Submission.objects.create(
        story=article,
        submitted_by=by,
        submitted_at=timezone.now() - datetime.timedelta(hours=ago),
    )
    return article


def test_the_review_queue_is_oldest_first_with_who_submitted_and_when(
    client, editor, reporter
):
    in_review("Newer story on the bridge", by=reporter, ago=1)
    in_review("Oldest story on the ferry", by=reporter, ago=5)
    ArticleFactory(headline="Just a draft", draft=True)

    response = home(client, editor)

    assert headlines(response, "review") == [
        "Oldest story on the ferry",
        "Newer story on the bridge",
    ]
    assert count(response, "review") == "2"
    first = first_row(response, "review")
    assert "Submitted" in first and "by rita" in first
    assert (
        heading_link(response, "review")
        == reverse("admin:articles_article_changelist") + "?state=review"
    )


def test_a_submission_through_the_workflow_is_recorded_for_the_queue(
    client, editor, reporter, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Filed by Rita", draft=True, created_by=reporter)
    BylineFactory(article=article, journalist=reporter.journalist)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.submit_for_review(article=article, by=reporter)

    submission = Submission.objects.get(story=article)
    assert submission.submitted_by == reporter
    assert "by rita" in text(section(home(client, editor), "review"))


def test_an_editor_sees_scheduled_embargoed_and_published_today(client, editor):
    now = timezone.now()
    ArticleFactory(headline="Goes out tomorrow", scheduled=True)
    ArticleFactory(
        headline="Held until Friday",
        embargoed_until=now + datetime.timedelta(days=2),
    )
    ArticleFactory(
        headline="Out this morning", published_at=now - datetime.timedelta(minutes=5)
    )
    ArticleFactory(
        headline="Out last week", published_at=now - datetime.timedelta(days=7)
    )

    response = home(client, editor)

    assert headlines(response, "scheduled") == ["Goes out tomorrow"]
    assert "Goes out" in text(section(response, "scheduled"))
    assert headlines(response, "embargoed") == ["Held until Friday"]
    assert "Embargo lifts" in text(section(response, "embargoed"))
    today = headlines(response, "today")
    assert "Out this morning" in today and "Out last week" not in today
    assert "Held until Friday" not in today  # embargoed: not out


def test_each_link_opens_the_list_filtered_to_the_same_stories(client, editor):
    ArticleFactory(headline="Goes out tomorrow", scheduled=True)
    ArticleFactory(headline="Out this morning")
    ArticleFactory(
        headline="Out last week",
        published_at=timezone.now() - datetime.timedelta(days=7),
    )
    response = home(client, editor)

    for key, expected in [
        ("scheduled", "Goes out tomorrow"),
        ("today", "Out this morning"),
    ]:
        listed = client.get(heading_link(response, key))
        assert listed.status_code == 200
        assert expected in results(listed)
        assert "Out last week" not in results(listed)


def test_a_reporter_sees_only_their_own_drafts_and_stories_in_review(client, reporter):
    filed = ArticleFactory(headline="Rita filed this", draft=True, created_by=reporter)
    bylined = ArticleFactory(headline="Rita's byline is on this", draft=True)
    BylineFactory(article=bylined, journalist=reporter.journalist)
    ArticleFactory(headline="Someone else's draft", draft=True)
    waiting = in_review("Rita's story waits", ago=2)
    waiting.created_by = reporter
    waiting.save()
    in_review("Another reporter's story waits", ago=3)
    ArticleFactory(headline="Secret scheduled story", scheduled=True)

    response = home(client, reporter)
    shown = text(page(response).xpath(f"//div[{having('desk-sections')}]")[0])

    assert sorted(headlines(response, "drafts")) == sorted(
        [filed.headline, bylined.headline]
    )
    assert headlines(response, "my-review") == ["Rita's story waits"]
    assert "Someone else's draft" not in shown
    assert "Another reporter's story waits" not in shown
    assert "Secret scheduled story" not in shown
    for key in ("review", "scheduled", "embargoed", "today", "quotes", "photos"):
        assert section(response, key) is None
    # The "mine" filter the link opens lists the same drafts.
    listed = results(client.get(heading_link(response, "drafts")))
    assert filed.headline in listed and bylined.headline in listed
    assert "Someone else's draft" not in listed


def test_quotes_to_settle_and_photos_without_a_file(client, editor, photo_editor):
    QuoteFactory(source=None, text="We will not close the ferry.")
    QuoteFactory(text="Attributed and settled.")
    PhotoFactory(image="", caption="Council chamber, file to come")
    PhotoFactory(caption="Has its file")

    response = home(client, editor)
    assert headlines(response, "quotes") == ["We will not close the ferry."]
    assert count(response, "quotes") == "1"
    quotes = results(client.get(heading_link(response, "quotes")))
    assert "We will not close the ferry." in quotes
    assert "Attributed and settled." not in quotes

    response = home(client, photo_editor)
    assert headlines(response, "photos") == ["Council chamber, file to come"]
    assert section(response, "review") is None and section(response, "drafts") is None
    photos = results(client.get(heading_link(response, "photos")))
    assert "Council chamber" in photos and "Has its file" not in photos


def test_the_app_list_stays_below_the_desk_sections(client, editor):
    shown = page(home(client, editor))
    assert shown.xpath("//*[@id='desk-models']")
    assert shown.xpath(f"//*[{having('app-articles')}]")  # Django's list of models
    assert "Desk home" in shown.findtext(".//title")


def test_counts_are_capped(client, editor, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    for n in range(5):
        in_review(f"Waiting {n}", ago=n)
    response = home(client, editor)
    assert count(response, "review") == "3+"
    assert len(headlines(response, "review")) == 5


def test_non_staff_are_sent_to_sign_in(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x")
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 302 and "login" in response["Location"]


def fill(n, editor, reporter):
    """``n`` rows in every section the editor and the reporter see."""
    now = timezone.now()
    for i in range(n):
        in_review(f"Review {i}", by=reporter, ago=i)
        ArticleFactory(headline=f"Scheduled {i}", scheduled=True)
        ArticleFactory(
            headline=f"Embargoed {i}", embargoed_until=now + datetime.timedelta(days=1)
        )
        ArticleFactory(
            headline=f"Today {i}", published_at=now - datetime.timedelta(seconds=i + 1)
        )
        draft = ArticleFactory(headline=f"Draft {i}", draft=True, created_by=reporter)
        BylineFactory(article=draft, journalist=reporter.journalist)
        QuoteFactory(source=None, article=draft)
        PhotoFactory(image="")
        Notice.objects.create(
            recipient=editor, story=draft, kind="submitted", message=f"Notice {i}"
        )
        Notice.objects.create(
            recipient=reporter, story=draft, kind="published", message=f"Notice {i}"
        )


@pytest.mark.parametrize("rows", [2, 20])
def test_the_desk_home_costs_the_same_queries_for_2_rows_or_20(
    client, editor, reporter, rows, django_assert_max_num_queries
):
    fill(rows, editor, reporter)
    for user, bound in [(editor, 21), (reporter, 11)]:
        client.force_login(user)
        client.get(HOME)  # the header's unread count is cached from here
        with django_assert_max_num_queries(bound):
            response = client.get(HOME)
        assert response.status_code == 200
        assert len(headlines(response, "notices")) == min(rows, queries.ROWS)
