import datetime

import pytest
from django.urls import reverse

from articles.models import Article
from articles.queries import STORIES_PER_SECTION

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    PhotoFactory,
    SectionFactory,
)
from .markup import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    article = ArticleFactory(
        harbour=True,
        dateline="PORT ALDREN",
        section=SectionFactory(name="City", slug="city"),
    )
    BylineFactory(article=article, position=0, journalist__name="Mara Quint")
    BylineFactory(
        article=article,
        position=1,
        journalist__name="Teo Vance",
        role="Additional reporting",
    )
    article.set_publication_day(datetime.date(2024, 3, 25))
    article.save()
    return article


def test_story_page_shows_every_part_of_the_story(client, story):
    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Harbour council approves new sea wall</h1>" in html
    assert "The vote ends a two-year dispute over flood defences." in html
    assert ">Mara Quint</a>" in html
    assert "Additional reporting: <a" in html and ">Teo Vance</a>" in html
    assert '<span class="dateline">PORT ALDREN —</span> Councillors voted' in html
    assert '<time datetime="2024-03-25">25 March 2024</time>' in html
    assert 'alt="Waves breaking over a low stone wall."' in html
    assert "The old harbour wall at high tide." in html
    assert "Photo: Ana Ruiz/The Newsroom" in html
    body = [p.text for p in parse(html).find_all("p")]
    assert "Work begins in spring." in body  # the body's paragraphs, as paragraphs


def test_story_page_lists_corrections(client):
    correction = CorrectionFactory(text="The wall is 2km long, not 3km.")
    html = client.get(correction.article.get_absolute_url()).content.decode()
    assert "Corrections" in html and "The wall is 2km long, not 3km." in html


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_anonymous_reader_cannot_see_unpublished_story(client, state):
    article = ArticleFactory(**{state: True})
    assert client.get(article.get_absolute_url()).status_code == 404


def test_story_under_the_wrong_section_redirects_permanently(client, story):
    response = client.get("/sport/harbour-council-approves-sea-wall/")
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_home_lists_latest_published_stories_only(client):
    older = ArticleFactory(
        headline="Older story",
        published_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
    )
    newer = ArticleFactory(headline="Newer story")
    ArticleFactory(headline="Secret draft", draft=True)
    ArticleFactory(headline="Tomorrow's story", scheduled=True)

    html = client.get(reverse("articles:index")).content.decode()
    assert html.index(newer.headline) < html.index(older.headline)
    assert "Secret draft" not in html and "Tomorrow" not in html


def test_home_page_query_count_does_not_grow_with_stories(
    client, django_assert_max_num_queries
):
    for _ in range(15):
        BylineFactory(article=ArticleFactory(lead_photo=PhotoFactory()))
    with django_assert_max_num_queries(4):
        html = client.get(reverse("articles:index")).content.decode()
    shown = Article.objects.order_by("-published_at", "-id")[:STORIES_PER_SECTION]
    assert 1 < len(shown) < 15  # the section's latest stories, not all of them
    for article in shown:  # each with its byline, in the same few queries
        assert article.headline in html
        assert article.bylines.get().journalist.name in html


def test_section_page_lists_its_published_stories(client):
    city = SectionFactory(name="City", slug="city")
    ArticleFactory(headline="Tram line opens", section=city)
    ArticleFactory(headline="Cup final tonight", section=SectionFactory(slug="sport"))
    html = client.get(city.get_absolute_url()).content.decode()
    assert "Tram line opens" in html and "Cup final" not in html


def test_author_page_lists_their_published_stories(client):
    byline = BylineFactory(article__headline="Ferry fares rise")
    BylineFactory(
        journalist=byline.journalist, article=ArticleFactory(draft=True, headline="WIP")
    )
    html = client.get(byline.journalist.get_absolute_url()).content.decode()
    assert byline.journalist.name in html
    assert "Ferry fares rise" in html and "WIP" not in html


def test_unknown_address_gets_the_friendly_404_page(client):
    response = client.get("/no-such-section/")
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()
