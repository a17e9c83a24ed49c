"""Both of search's branches, each tested on every database it can run on.

``search()`` takes PostgreSQL's full-text branch there and the simple match
everywhere else. The simple match is plain Django lookups, so its ranking is
tested here on SQLite and PostgreSQL alike; the full-text branch needs
PostgreSQL, and CI runs the suite on both."""

import datetime
from io import StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search as search_module
from articles.models import Article
from articles.search import _full_text, _simple, search
from newsroom import page_cache

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


# The stored search document (PostgreSQL): current after every kind of write.


def found(text):
    return headlines(search(Article.objects.published(), text))


@postgresql_only
def test_the_stored_document_follows_every_edit_of_a_story():
    story = ArticleFactory(headline="Lighthouse keeper retires")
    assert found("lighthouse") == ["Lighthouse keeper retires"]

    story.headline = "Harbour pilot retires"
    story.save()
    assert found("lighthouse") == []
    assert found("pilot") == ["Harbour pilot retires"]

    # Writes that bypass save(): a queryset update and a bulk insert.
    Article.objects.filter(pk=story.pk).update(standfirst="Forty years at sea.")
    assert found("forty years") == ["Harbour pilot retires"]
    imported = ArticleFactory.build(
        headline="Quayside market reopens", section=story.section
    )
    Article.objects.bulk_create([imported])
    assert found("quayside") == ["Quayside market reopens"]


@postgresql_only
def test_an_imported_story_is_found_by_its_words(tmp_path):
    from django.core.management import call_command

    copy = tmp_path / "orchard.txt"
    copy.write_text(
        "Orchard growers count the cost of the frost\n\n"
        "Apple blossom was lost across the valley.\n\n"
        "By Tam Reeve\n\n"  # --publish publishes only what the desk would
        "June 3, 2025\n\n"
        "VALE — Growers said the late frost took half the crop.\n",
        encoding="utf-8",
    )
    call_command(
        "import_stories", str(copy), "--publish", stdout=StringIO(), stderr=StringIO()
    )
    assert found("orchard") == ["Orchard growers count the cost of the frost"]
    assert found("blossom") == ["Orchard growers count the cost of the frost"]


@postgresql_only
def test_the_search_reads_the_stored_document_not_the_text(searchable):
    # The query's plan names the stored column, never to_tsvector over a field.
    plan = search(Article.objects.published(), "mangrove").explain(verbose=True)
    assert "search_document" in plan
    assert "to_tsvector" not in plan


# The cap: at most MAX_RESULTS stories are ranked, the newest matches.


@pytest.fixture
def cap(monkeypatch):
    monkeypatch.setattr(search_module, "MAX_RESULTS", 3)
    return 3


def test_more_matches_than_the_cap_ranks_the_newest_and_says_so(client, cap):
    now = timezone.now()
    old = ArticleFactory(
        headline="Tide tables for the year",
        published_at=now - datetime.timedelta(days=400),
    )
    for days, field in ((1, "body"), (2, "standfirst"), (3, "headline"), (4, "body")):
        text = {field: "<p>The tide turned.</p>" if field == "body" else "Tide turns"}
        ArticleFactory(
            headline=text.get("headline", f"Story {days}"),
            standfirst=text.get("standfirst", "Nothing to add."),
            body=text.get("body", "<p>Nothing here.</p>"),
            published_at=now - datetime.timedelta(days=days),
        )

    html = client.get("/search/", {"q": "tide"}).content.decode()

    assert "More than 3 stories match “tide”" in html
    assert "Showing the 3 newest of them, best matches first." in html
    # The three newest matches, headline before standfirst before body; the
    # older ones (even a headline match) are left out.
    shown = [h for h in ("Tide turns", "Story 2", "Story 1") if h in html]
    assert shown == ["Tide turns", "Story 2", "Story 1"]
    assert html.index("Tide turns") < html.index("Story 2") < html.index("Story 1")
    assert "Story 4" not in html and old.headline not in html


def test_stories_readers_cannot_see_take_no_place_under_the_cap(client, cap):
    for n in range(4):
        ArticleFactory(headline=f"Tide draft {n}", draft=True)
        ArticleFactory(headline=f"Tide embargo {n}", scheduled=True)
    ArticleFactory(headline="Tide gauge installed")

    html = client.get("/search/", {"q": "tide"}).content.decode()

    assert "1 story matching “tide”" in html and "More than" not in html
    assert "Tide gauge installed" in html
    assert "Tide embargo" not in html and "Tide draft" not in html


def test_exactly_the_cap_is_not_called_more(client, cap):
    for n in range(3):
        ArticleFactory(headline=f"Tide mill {n}")
    html = client.get("/search/", {"q": "tide"}).content.decode()
    assert "3 stories matching “tide”" in html and "More than" not in html


def test_every_page_of_results_costs_the_same_few_queries_however_many_match(
    client, cap, monkeypatch, django_assert_max_num_queries
):
    def queries(url):
        page_cache.settle()  # the page's own queries, not the cache's
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    ArticleFactory(headline="Tide chart")
    few = queries("/search/?q=tide")
    for n in range(30):
        ArticleFactory(headline=f"Tide report {n}")
    assert queries("/search/?q=tide") == few
    # Another page costs no more (the site's freshness look-ups, made on the
    # first request, may be remembered); past the cap's last page, the last.
    monkeypatch.setattr(search_module, "MAX_RESULTS", 25)
    assert queries("/search/?q=tide&page=2") <= few
    with django_assert_max_num_queries(6 + (connection.vendor == "postgresql")):
        html = client.get("/search/?q=tide&page=99").content.decode()
    assert "Page 2 of 2" in html


def test_the_matches_are_found_and_ranked_once_for_the_count_and_the_page(
    client, monkeypatch
):
    monkeypatch.setattr(search_module, "MAX_RESULTS", 25)
    for n in range(30):
        ArticleFactory(headline=f"Tide report {n}")
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/search/?q=tide&page=2").content.decode()
    assert "More than 25 stories match" in html and "Page 2 of 2" in html
    # One query reads the matches (ids and ranks); the stories of the page are
    # then loaded by id, not searched again.
    searching = [q["sql"] for q in captured if "tide" in q["sql"].lower()]
    assert len(searching) == 1


def test_a_page_shows_the_stories_in_the_order_search_ranks_them(client, searchable):
    from articles.queries import story_list
    from articles.search import ResultsPaginator

    stories = story_list()
    ranked = list(search(stories, "mangrove"))
    page = ResultsPaginator(search(stories, "mangrove"), 2, stories=stories).page(1)
    assert headlines(page) == headlines(ranked[:2])
    assert [story.rank for story in page] == [story.rank for story in ranked[:2]]
    assert page.paginator.count == 3 and page.has_next()


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"tide',
        "tide & | ! ( ) : * <-> <2>",
        "tide:A",
        "-tide",
        "or",
        "the",
        "'; DROP TABLE articles_article; --",
        "\\",
        "tide\x00gates",
        "ti\u0301de 潮 🌊",
        "tide " * 500,
    ],
)
def test_hostile_or_odd_searches_answer_normally(client, text):
    ArticleFactory(headline="Tide gates open")
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    assert 'id="search-query"' in response.content.decode()


@pytest.mark.parametrize(
    "ages",
    [
        # days since publication of each story with the word: few in all (read
        # whole), many but few lately (the year's span), many but few in the
        # year (all time).
        [1, 2, 400, 800, 2000],
        [1, 2, *range(200, 212)],
        [1, *range(500, 513)],
    ],
    ids=["few in all", "many in the year", "many long ago"],
)
def test_the_cap_takes_the_newest_matches_however_far_back_they_are(cap, ages):
    now = timezone.now()
    for days in ages:
        ArticleFactory(
            headline=f"Tide {days} days ago",
            published_at=now - datetime.timedelta(days=days, hours=1),
        )
    ArticleFactory(headline="Harbour news", published_at=now - datetime.timedelta(1))

    found = set(headlines(search(Article.objects.published(), "tide")))

    # The cap's stories and one more (to know there were more), the newest.
    assert found == {f"Tide {days} days ago" for days in sorted(ages)[: cap + 1]}
