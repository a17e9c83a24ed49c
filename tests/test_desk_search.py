"""The desk's story search (``articles.search.desk_search``): what an editor
types in the admin's story list finds stories of every status by a word of
the headline, standfirst or body, a piece of the headline or a byline, and
never lists more than the newest ``DESK_MAX_RESULTS`` of them."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.models import Article

from .factories import ArticleFactory, BylineFactory, JournalistFactory
from .markup import parse, words

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def member(username, role):
    user = User.objects.create_user(username, password="s3cret-pass!", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def listed(client, query, **params):
    """The headlines the story list shows for ``query`` (and filters)."""
    response = client.get(CHANGELIST, {"q": query, **params})
    assert response.status_code == 200
    page = parse(response.content.decode())
    return {
        words(cell.text) for cell in page.find_all("th", **{"class": "field-headline"})
    }


@pytest.fixture
def stories():
    now = timezone.now()
    return {
        "headline": ArticleFactory(
            headline="Lighthouse keepers strike",
            standfirst="Talks broke down.",
            body="<p>Nobody came.</p>",
        ),
        "standfirst": ArticleFactory(
            headline="A quiet week",
            standfirst="The lighthouse stays dark for repairs.",
            body="<p>Work goes on.</p>",
        ),
        "body": ArticleFactory(
            headline="Ferry times change",
            standfirst="New timetable from Monday.",
            body="<p>Boats will pass the old lighthouse later.</p>",
        ),
        "draft": ArticleFactory(
            headline="Lighthouse museum plans",
            standfirst="Not yet approved.",
            body="<p>A draft.</p>",
            draft=True,
        ),
        "scheduled": ArticleFactory(
            headline="Lighthouse reopens",
            standfirst="Next week.",
            body="<p>Soon.</p>",
            published_at=now + datetime.timedelta(days=2),
        ),
        "other": ArticleFactory(
            headline="Market day moves",
            standfirst="The square is closed.",
            body="<p>Stalls go to the quay.</p>",
        ),
    }


def test_a_word_finds_stories_by_headline_standfirst_and_body_of_any_status(
    client, stories
):
    client.force_login(member("ed", "Editor"))
    found = listed(client, "lighthouse")
    assert found == {
        stories[kind].headline
        for kind in ("headline", "standfirst", "body", "draft", "scheduled")
    }


def test_a_piece_of_a_headline_finds_the_story(client, stories):
    client.force_login(member("ed", "Editor"))
    assert listed(client, "eepers") == {"Lighthouse keepers strike"}
    assert listed(client, "useum pla") == {"Lighthouse museum plans"}
    assert listed(client, "arke") == {"Market day moves"}


def test_every_word_must_match_and_filters_still_apply(client, stories):
    client.force_login(member("ed", "Editor"))
    assert listed(client, "lighthouse museum") == {"Lighthouse museum plans"}
    assert listed(client, '"lighthouse keepers" strike') == {
        "Lighthouse keepers strike"
    }
    assert listed(client, "lighthouse", state="draft") == {"Lighthouse museum plans"}
    assert listed(client, "lighthouse", state="scheduled") == {"Lighthouse reopens"}
    assert listed(client, "nothing-like-this") == set()


def test_a_journalists_name_finds_their_stories(client, stories):
    BylineFactory(article=stories["other"], journalist__name="Tomasz Wierzba")
    client.force_login(member("ed", "Editor"))
    assert listed(client, "Wierzba") == {"Market day moves"}
    assert listed(client, "tomasz wierz") == {"Market day moves"}


def test_a_reporter_finds_drafts_too_and_the_picker_only_what_they_may_edit(
    client, stories
):
    user = member("rita", "Reporter")
    mine = ArticleFactory(headline="Lighthouse diary", draft=True, created_by=user)
    client.force_login(user)
    # Reporters read every story at the desk, drafts included.
    assert {"Lighthouse museum plans", "Lighthouse diary"} <= listed(
        client, "lighthouse"
    )
    # Picking a story for a quote is an edit: their own drafts only.
    picker = reverse("admin:autocomplete")
    response = client.get(
        picker,
        {
            "app_label": "articles",
            "model_name": "quote",
            "field_name": "article",
            "term": "lighthouse",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [mine.headline]


def test_those_who_may_not_read_stories_get_no_search(client, stories):
    client.force_login(member("pia", "Photo editor"))
    assert client.get(CHANGELIST, {"q": "lighthouse"}).status_code == 403


def test_more_matches_than_the_cap_lists_the_newest_and_says_so(client, monkeypatch):
    monkeypatch.setattr(search, "DESK_MAX_RESULTS", 3)
    now = timezone.now()
    for hours in range(1, 6):
        ArticleFactory(
            headline=f"Tide report {hours}",
            published_at=now - datetime.timedelta(hours=hours),
        )
    client.force_login(member("ed", "Editor"))
    response = client.get(CHANGELIST, {"q": "tide"})
    page = response.content.decode()
    assert listed(client, "tide") == {"Tide report 1", "Tide report 2", "Tide report 3"}
    assert "More than 3 stories match “tide”: these are the 3 newest." in page
    assert "3 results" in page
    # Narrowed below the cap: every match, and no message.
    narrowed = client.get(CHANGELIST, {"q": "tide 5"}).content.decode()
    assert "Tide report 5" in narrowed and "More than" not in narrowed


def test_desk_search_on_its_own_returns_the_newest_matches(monkeypatch):
    monkeypatch.setattr(search, "DESK_MAX_RESULTS", 2)
    now = timezone.now()
    made = [
        ArticleFactory(
            headline=f"Harbour dredging {n}",
            published_at=now - datetime.timedelta(days=n),
        )
        for n in range(1, 5)
    ]
    ArticleFactory(headline="Unrelated")
    found, capped = search.desk_search(Article.objects.all(), "dredging")
    assert capped
    assert set(found.values_list("pk", flat=True)) == {made[0].pk, made[1].pk}
    found, capped = search.desk_search(Article.objects.all(), "dredging 4")
    assert not capped and list(found) == [made[3]]
    everything, capped = search.desk_search(Article.objects.all(), "   ")
    assert not capped and everything.count() == 5


def test_a_name_many_journalists_share_finds_no_bylines(monkeypatch):
    monkeypatch.setattr(search, "DESK_NAMED_JOURNALISTS", 2)
    story = ArticleFactory(headline="Parade route", body="<p>Crowds.</p>")
    for name in ("Ann Lee", "Lee Park", "Lee Young"):
        BylineFactory(article=story, journalist=JournalistFactory(name=name))
    assert not search.desk_search(Article.objects.all(), "Lee")[0].exists()
    assert list(search.desk_search(Article.objects.all(), "Lee Park")[0]) == [story]


def test_the_byline_filter_keeps_the_search_and_other_filters(client, stories):
    from urllib.parse import parse_qs, urlsplit

    from .markup import parse

    BylineFactory(article=stories["draft"], journalist__name="Tomasz Wierzba")
    BylineFactory(article=stories["body"], journalist__name="Ana Ruiz")
    client.force_login(member("ed", "Editor"))
    page = client.get(CHANGELIST, {"q": "lighthouse", "state": "draft", "o": "2"})
    links = {
        a.text.strip(): a.attrs["href"]
        for a in parse(page.content.decode()).find_all("a")
        if "journalists__id__exact=" in a.attrs.get("href", "")
    }
    assert set(links) == {"Tomasz Wierzba", "Ana Ruiz"}
    for name, href in links.items():
        params = parse_qs(urlsplit(href).query)
        assert params.pop("journalists__id__exact") == [
            str(JournalistFactory._meta.model.objects.get(name=name).pk)
        ]
        assert params == {"q": ["lighthouse"], "state": ["draft"], "o": ["2"]}
    followed = client.get(CHANGELIST + links["Tomasz Wierzba"]).content.decode()
    assert (
        "Lighthouse museum plans" in followed and "Ferry times change" not in followed
    )
    chosen = [
        li.text.strip()
        for li in parse(followed).find_all("li", **{"class": "selected"})
    ]
    assert "Tomasz Wierzba" in chosen and "Ana Ruiz" not in chosen


@pytest.mark.parametrize(
    "query",
    [
        "!!!",
        "a & | ! ( )",
        "'",
        '"unclosed',
        "%_%",
        "the of and",
        "x" * 500,
        "\x00tide",
    ],
)
def test_odd_searches_answer_a_list_not_an_error(client, stories, query):
    client.force_login(member("ed", "Editor"))
    response = client.get(CHANGELIST, {"q": query})
    assert response.status_code == 200
    found = listed(client, query)
    assert found <= {a.headline for a in stories.values()}
    if query == "%_%":
        assert found == set()  # wildcards are letters to find, not patterns


def test_pages_of_search_results_go_newest_first_and_sorting_still_works(client):
    now = timezone.now()
    for hours in range(1, 56):  # 55 matches: two pages of 50
        ArticleFactory(
            headline=f"Quay works {hours:02d}",
            published_at=now - datetime.timedelta(hours=hours),
        )
    client.force_login(member("ed", "Editor"))
    first = listed(client, "quay")
    second = listed(client, "quay", p="2")
    assert first == {f"Quay works {n:02d}" for n in range(1, 51)}
    assert second == {f"Quay works {n:02d}" for n in range(51, 56)}
    page = client.get(CHANGELIST, {"q": "quay"}).content.decode()
    assert "55 results" in page
    # Sorted by headline, descending (the list's second column): all 55 are
    # sorted, not only a page of them.
    by_headline = listed(client, "quay", o="-2")
    assert by_headline == {f"Quay works {n:02d}" for n in range(6, 56)}
