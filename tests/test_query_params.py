"""No query string on any public or API address can make the site answer 5xx,
and the API answers only the statuses its OpenAPI document lists."""

import datetime
import re

import pytest

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

# Raw query-string values, percent-escaped as a client would send them.
ODD_VALUES = [
    "%00",
    "harbour%00",
    "%0B%0C%1B",
    "-1",
    "0",
    "NaN",
    "-inf",
    "1e309",
    "1.5",
    "99999999999999999999",
    "9" * 5000,
    "%FF%FE%FD",  # not UTF-8
    "%ED%A0%80",  # an encoded lone surrogate
    "%C0%AF",  # an overlong encoding
    "%EF%BF%BE",  # U+FFFE
    "%E2%80%AE%E2%80%8F",  # direction overrides
    "x" * 10240,
    "%25%25%25",
    "%22%27%3Cscript%3E",
    "a%20%26%20b%20%7C%20!c%20%3A*",  # tsquery operators
    "%5B%5D",
]
ARRAYS = [
    "q=harbour&q=tide&page=1&page=2&p=1&p=2",
    "q[]=harbour&page[]=2&p[]=2",
    "page&q&p",
    "=&&==",
]
NAMES = ["q", "page", "p", "before", "after"]

SECTION, STORY, AUTHOR, SOURCE, TAG = "city", "tide-gates", "mara-quint", "ina", "quay"
STORY_PATH = f"/{SECTION}/{STORY}/"

PUBLIC = [
    "/",
    STORY_PATH,
    f"/{SECTION}/",
    f"/tags/{TAG}/",
    f"/authors/{AUTHOR}/",
    f"/sources/{SOURCE}/",
    "/search/",
    "/corrections/",
    "/robots.txt",
    "/feeds/rss/",
    "/feeds/atom/",
    f"/feeds/sections/{SECTION}/rss/",
    f"/feeds/sections/{SECTION}/atom/",
    f"/feeds/authors/{AUTHOR}/rss/",
    f"/feeds/authors/{AUTHOR}/atom/",
    "/feeds/corrections/rss/",
    "/feeds/corrections/atom/",
    "/sitemap.xml",
    "/sitemap-pages.xml",
    "/sitemap-sections.xml",
    "/sitemap-stories-2024-03.xml",
    "/sitemap-authors.xml",
    "/sitemap-news.xml",
    "/api/openapi.json",
    "/api/docs",
    "/no-such-section/",
]
API = ["/api/stories/", "/api/stories/{id}/", "/api/stories/{id}/ninjs"]


@pytest.fixture
def newsroom():
    article = ArticleFactory(
        headline="Harbour tide gates open",
        slug=STORY,
        section=SectionFactory(name="City", slug=SECTION),
        published_at=datetime.datetime(2024, 3, 25, 1, 30, tzinfo=datetime.UTC),
    )
    BylineFactory(article=article, journalist=JournalistFactory(slug=AUTHOR))
    QuoteFactory(article=article, source=SourceFactory(slug=SOURCE))
    CorrectionFactory(article=article)
    article.tags.add(TAG)
    return article


def query_strings():
    for value in ODD_VALUES:
        yield "&".join(f"{name}={value}" for name in NAMES)
    yield from ARRAYS


def answers(client, path):
    """{query string: status} for every odd query string on ``path``."""
    return {
        query: client.get(f"{path}?{query}").status_code for query in query_strings()
    }


@pytest.mark.parametrize("path", PUBLIC)
def test_no_query_string_makes_a_public_address_fail(client, newsroom, path):
    statuses = answers(client, path)

    assert {q[:60]: s for q, s in statuses.items() if s >= 500} == {}
    if path != "/no-such-section/":
        assert 200 in statuses.values()  # the page itself was reached


def documented_statuses(client):
    """{path template: set of statuses} from the API's OpenAPI document."""
    schema = client.get("/api/openapi.json").json()
    return {
        path: {int(code) for code in operation["get"]["responses"]}
        for path, operation in schema["paths"].items()
    }


def test_every_api_operation_documents_its_error_answers(client):
    schema = client.get("/api/openapi.json").json()
    operations = [ops["get"] for ops in schema["paths"].values()]
    assert len(operations) == len(API)
    for operation in operations:
        responses = operation["responses"]
        # One story's address also answers 410 Gone once the story is killed.
        one_story = "story_id" in str(operation.get("parameters", ""))
        expected = {"200", "404", "422"} | ({"410"} if one_story else set())
        assert set(responses) == expected, operation["operationId"]
        for code in expected - {"200"}:
            body = responses[code]["content"]["application/json"]["schema"]
            assert "$ref" in body, (operation["operationId"], code)


@pytest.mark.parametrize("template", API)
def test_the_api_answers_only_documented_statuses_whatever_the_query(
    client, newsroom, template
):
    documented = documented_statuses(client)[template.replace("{id}", "{story_id}")]
    path = template.format(id=newsroom.pk)

    statuses = answers(client, path)

    undocumented = {q[:60]: s for q, s in statuses.items() if s not in documented}
    assert undocumented == {}
    assert 200 in statuses.values()


@pytest.mark.parametrize(
    "story_id", ["0", "-1", "99999999999999999999", "1e3", "abc", "%00", "9" * 400]
)
def test_an_odd_story_id_is_a_documented_answer_not_a_failure(client, story_id):
    documented = documented_statuses(client)
    for suffix in ("/", "/ninjs"):
        response = client.get(f"/api/stories/{story_id}{suffix}")
        assert response.status_code in documented["/api/stories/{story_id}" + suffix]
        assert response.status_code in (404, 422)


def test_a_nul_in_a_search_is_dropped_and_the_words_still_found(
    client, newsroom, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/search/?q=%00tide%00%20gates")
    assert response.status_code == 200
    assert "Harbour tide gates open" in response.content.decode()

    response = client.get("/search/?q=%00")
    assert response.status_code == 200
    assert "Harbour tide gates open" not in response.content.decode()


def test_a_huge_search_is_trimmed_and_costs_no_more_queries(
    client, newsroom, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/search/?q=" + "tide%20" * 2000)
    assert response.status_code == 200
    assert "Harbour tide gates open" in response.content.decode()


@pytest.mark.parametrize("page", ["-1", "NaN", "%00", "9" * 5000, "1e309"])
def test_an_odd_page_number_shows_a_page_of_stories(client, newsroom, page):
    response = client.get(f"/{SECTION}/?page={page}")
    assert response.status_code == 200
    assert "Harbour tide gates open" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "%00", "0", "99999", "9" * 5000])
def test_an_odd_sitemap_page_is_not_found(client, newsroom, page):
    assert client.get(f"/sitemap-stories-2024-03.xml?p={page}").status_code == 404


@pytest.mark.parametrize("page", ["abc", "%00", "0", "-1", "9" * 5000])
def test_an_odd_api_page_is_refused_naming_the_parameter(client, newsroom, page):
    response = client.get(f"/api/stories/?page={page}")
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", "page"]]


def test_an_api_page_past_the_last_is_not_found(client, newsroom):
    response = client.get("/api/stories/?page=99999999999999999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_the_search_page_echoes_no_control_characters(client, newsroom):
    text = client.get("/search/?q=tide%0Bgates%1B").content.decode()
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    assert 'value="tide gates"' in text
