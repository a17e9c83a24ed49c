"""Both of search's branches, each tested on every database it can run on.

``search()`` takes PostgreSQL's full-text branch there and the simple match
everywhere else. The simple match is plain Django lookups, so its ranking is
tested here on SQLite and PostgreSQL alike; the full-text branch needs
PostgreSQL, and CI runs the suite on both."""

import pytest
from django.db import connection

from articles.models import Article
from articles.search import _full_text, _simple, search

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.postgresql("full-text search")


def headlines(queryset):
    return [article.headline for article in queryset]


def test_simple_match_ranks_headline_then_standfirst_then_body(searchable):
    found = _simple(Article.objects.published(), "mangrove")

    assert headlines(found) == [
        "Mangrove planting begins on the coast",
        "Weekend volunteers",
        "Council budget approved",
    ]
    # 4, 2 and 1 for the word in each field; 10 more for the whole query in
    # the headline.
    assert [article.rank for article in found] == [14, 2, 1]


def test_simple_match_needs_every_word_and_puts_the_whole_phrase_first(searchable):
    ArticleFactory(
        headline="On the coast, mangrove roots hold the sand",
        standfirst="Planting works.",
    )
    published = Article.objects.published()

    # Both words, in any field, in any order; the headline with the phrase leads.
    found = _simple(published, "mangrove planting")
    assert headlines(found) == [
        "Mangrove planting begins on the coast",
        "On the coast, mangrove roots hold the sand",
    ]
    assert [article.rank for article in found] == [18, 6]
    # Case does not matter; a word no story has empties the list.
    assert headlines(_simple(published, "MANGROVE Roots")) == [
        "On the coast, mangrove roots hold the sand"
    ]
    assert not _simple(published, "mangrove zzyzx").exists()


@postgresql_only
def test_full_text_ranks_headline_then_standfirst_then_body(searchable):
    found = list(_full_text(Article.objects.published(), "mangrove"))

    assert headlines(found) == [
        "Mangrove planting begins on the coast",
        "Weekend volunteers",
        "Council budget approved",
    ]
    ranks = [article.rank for article in found]
    assert ranks[0] > ranks[1] > ranks[2] > 0


@postgresql_only
def test_full_text_finds_other_forms_of_a_word_and_reads_web_search_syntax(searchable):
    published = Article.objects.published()

    # English stemming: "plants" finds "planting", "restored" finds "restoration".
    assert headlines(_full_text(published, "plants")) == [
        "Mangrove planting begins on the coast"
    ]
    assert headlines(_full_text(published, "restored")) == ["Council budget approved"]
    # A minus leaves stories with that word out; quotes ask for the phrase.
    assert set(headlines(_full_text(published, "mangrove -budget"))) == {
        "Mangrove planting begins on the coast",
        "Weekend volunteers",
    }
    assert headlines(_full_text(published, '"mangrove seedlings"')) == [
        "Weekend volunteers"
    ]


def test_each_database_searches_with_its_own_branch(searchable):
    published = Article.objects.published()
    found = headlines(search(published, "plants"))
    if connection.vendor == "postgresql":
        assert found == ["Mangrove planting begins on the coast"]
    else:
        # The simple match looks for the letters as typed: no stemming.
        assert found == []
        assert headlines(search(published, "plant")) == [
            "Mangrove planting begins on the coast"
        ]
    assert not search(published, "   ").exists()
