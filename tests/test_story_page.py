"""The story page's hand-written queries (``articles/story_page.py``) take the
public rule from ``Article.objects.published_sql()``: it must say exactly what
``Article.objects.published()`` says, on SQLite and PostgreSQL."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.story_page import story_for_page

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def public_by_sql():
    condition, params = Article.objects.published_sql("a")
    table = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.id FROM {table} a WHERE {condition}", params)
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def stories():
    now = timezone.now()
    return {
        "published": ArticleFactory(),
        "draft": ArticleFactory(draft=True),
        "review": ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None),
        "scheduled": ArticleFactory(scheduled=True),
        "due in a minute": ArticleFactory(
            published_at=now + datetime.timedelta(minutes=1)
        ),
        "embargoed for a minute": ArticleFactory(
            embargoed_until=now + datetime.timedelta(minutes=1)
        ),
        "unpublished": ArticleFactory(
            status=Article.Status.DRAFT, published_at=now - datetime.timedelta(days=2)
        ),
    }


def test_the_hand_written_rule_is_the_querysets_rule(stories):
    shown = set(Article.objects.published().values_list("pk", flat=True))
    assert shown == {stories["published"].pk}
    assert public_by_sql() == shown


def test_both_follow_the_applications_clock(stories):
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        shown = set(Article.objects.published().values_list("pk", flat=True))
        assert stories["due in a minute"].pk in shown
        assert stories["embargoed for a minute"].pk in shown
        assert public_by_sql() == shown
        page = story_for_page(slug=stories["due in a minute"].slug)
        assert page is not None and page.pk == stories["due in a minute"].pk


def test_the_story_page_reader_finds_only_what_readers_may_see(stories):
    for name, story in stories.items():
        found = story_for_page(slug=story.slug)
        assert (found is not None) == (name == "published"), name
        # The desk's preview reads any story.
        assert story_for_page(pk=story.pk, published=False).pk == story.pk
