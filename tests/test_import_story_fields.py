"""What a story's data may say about where it goes and who is credited (the
demo newsroom's stories say it; copy may too), stored by the importer's step."""

import datetime
from dataclasses import asdict

import pytest

from articles.importing.data import StoryData
from articles.importing.store import checksum, store_story
from articles.models import Article, StoryImport

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

CORRECTED = datetime.datetime(2024, 3, 6, 9, 30, tzinfo=datetime.UTC)


def story(**changes):
    return StoryData(
        format="text",
        identity="text:harbour",
        headline="Harbour reopens",
        published_on=datetime.date(2024, 3, 5),
        **changes,
    )


def test_a_story_that_names_its_section_slug_and_contributor_role_is_stored_so():
    data = story(
        section="harbour",
        slug="harbour-back-in-business",
        authors=["Ana Reyes"],
        contributors=["Tom Hale"],
        contributor_role="Additional reporting",
        corrections=["An earlier version gave the wrong date."],
        correction_times={"An earlier version gave the wrong date.": CORRECTED},
    )

    outcome = store_story(data)

    article = Article.objects.get(pk=outcome.article.pk)
    assert outcome.status == "created"
    assert article.get_absolute_url().endswith("/harbour/harbour-back-in-business/")
    assert [(b.journalist.name, b.role) for b in article.bylines.all()] == [
        ("Ana Reyes", ""),
        ("Tom Hale", "Additional reporting"),
    ]
    assert article.corrections.get().published_at == CORRECTED


def test_a_slug_the_copy_asks_for_that_is_taken_is_numbered():
    ArticleFactory(slug="harbour-back-in-business")

    outcome = store_story(story(slug="harbour-back-in-business"))

    assert outcome.article.slug == "harbour-back-in-business-2"


def test_copy_without_them_is_stored_as_before():
    outcome = store_story(story(contributors=["Tom Hale"]))

    article = outcome.article
    assert article.section.slug == "news"
    assert article.slug == "harbour-reopens"
    assert article.bylines.get().role == "Contributor"


def test_copy_fingerprinted_before_these_were_read_still_counts_unchanged():
    data = story(authors=["Ana Reyes"])
    store_story(data)
    # The fingerprint as it was taken before StoryData had them.
    new = {"section", "slug", "contributor_role", "correction_times"}
    before = {
        name: value
        for name, value in asdict(data).items()
        if name not in new | {"pub_status", "embargoed"}
    }
    StoryImport.objects.update(copy_checksum=checksum(before))

    assert store_story(data).status == "unchanged"
