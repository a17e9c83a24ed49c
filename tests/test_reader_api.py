"""The read-only content API: its OpenAPI schema, the story list and detail, and
the IPTC ninjs 3.x export (valid against IPTC's schema, readable by our importer)."""

import datetime
import json

import pytest
from django.utils import timezone

from articles.importing.ninjs import read_ninjs
from tests.conftest import shared_file

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    PhotoFactory,
    PublicationFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NINJS_SCHEMA = "samples/ninjs/schema/ninjs-schema_3.1.json"


@pytest.fixture
def story():
    article = ArticleFactory(
        harbour=True,
        dateline="PHNOM PENH",
        section=SectionFactory(name="City", slug="city"),
        publication=PublicationFactory(name="The Mekong Ledger"),
        canonical_url="https://ledger.example/sea-wall",
        published_at=datetime.datetime(2024, 3, 25, 1, 30, tzinfo=UTC),
    )
    BylineFactory(article=article, journalist__name="Mara Quint", journalist__slug="mq")
    BylineFactory(
        article=article,
        journalist__name="Teo Vance",
        journalist__slug="tv",
        position=1,
        role="Additional reporting",
    )
    article.tags.add("flood defences", "council")
    QuoteFactory(
        article=article,
        source=SourceFactory(
            name="Lina Chey",
            slug="lina-chey",
            description="a hydrologist",
            contact_details="+855 12 345 678",
            notes="Prefers evening calls",
        ),
        text="The wall will protect four thousand homes.",
    )
    QuoteFactory(
        article=article,
        source=SourceFactory(
            name="Secret Official",
            slug="secret-official",
            on_record=False,
            description="a senior ministry official",
        ),
        text="The budget was cut twice.",
        kind="paraphrase",
        position=1,
    )
    QuoteFactory(article=article, source=None, text="Nobody knows yet.", position=2)
    CorrectionFactory(
        article=article,
        text="The wall is 2km long.",
        published_at=datetime.datetime(2024, 3, 27, 3, tzinfo=UTC),
    )
    return article


# The OpenAPI schema, and responses checked against it


@pytest.fixture
def openapi(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def validate_against_openapi(openapi, instance, ref):
    """Validate ``instance`` against a component of the OpenAPI 3.1 schema."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = {"$ref": ref, "components": openapi["components"]}
    jsonschema.Draft202012Validator(schema).validate(instance)


def test_openapi_schema_documents_the_story_endpoints(openapi):
    assert openapi["openapi"].startswith("3.")
    paths = openapi["paths"]
    assert set(paths) >= {
        "/api/stories/",
        "/api/stories/{story_id}/",
        "/api/stories/{story_id}/ninjs",
    }
    assert all(set(methods) == {"get"} for methods in paths.values())
    story = openapi["components"]["schemas"]["StoryOut"]["properties"]
    assert set(story) == {
        "id", "url", "headline", "standfirst", "body_html", "dateline",
        "published_at", "updated_at", "section", "tags", "bylines", "publication",
        "lead_photo", "sources", "quotes", "corrections",
    }  # fmt: skip
    serialized = json.dumps(openapi)
    assert "contact_details" not in serialized and "notes" not in serialized


def test_story_detail_gives_every_field_and_matches_the_schema(client, story, openapi):
    response = client.get(f"/api/stories/{story.pk}/")
    assert response.status_code == 200
    data = response.json()
    validate_against_openapi(openapi, data, "#/components/schemas/StoryOut")

    assert data["id"] == story.pk
    assert data["url"] == f"http://testserver{story.get_absolute_url()}"
    assert data["headline"] == story.headline
    assert data["standfirst"] == story.standfirst
    assert data["body_html"] == story.body
    assert data["dateline"] == "PHNOM PENH"
    published = datetime.datetime.fromisoformat(data["published_at"])
    assert published == story.published_at
    assert datetime.datetime.fromisoformat(data["updated_at"]) == story.published_at
    assert data["section"] == {
        "name": "City",
        "slug": "city",
        "url": "http://testserver/city/",
    }
    assert sorted(data["tags"]) == ["council", "flood defences"]
    assert data["bylines"] == [
        {"name": "Mara Quint", "url": "http://testserver/authors/mq/", "role": ""},
        {
            "name": "Teo Vance",
            "url": "http://testserver/authors/tv/",
            "role": "Additional reporting",
        },
    ]
    assert data["publication"] == {
        "name": "The Mekong Ledger",
        "canonical_url": "https://ledger.example/sea-wall",
    }
    photo = data["lead_photo"]
    assert photo["url"].startswith("http://testserver/uploads/")
    assert photo["caption"] == "The old harbour wall at high tide."
    assert photo["credit"] == "Ana Ruiz/The Newsroom"
    assert photo["alt_text"] == "Waves breaking over a low stone wall."
    assert (photo["width"], photo["height"]) == (800, 450)
    assert data["quotes"] == [
        {
            "text": "The wall will protect four thousand homes.",
            "source": "Lina Chey",
            "kind": "direct",
        },
        {
            "text": "The budget was cut twice.",
            "source": "a senior ministry official",
            "kind": "paraphrase",
        },
        {"text": "Nobody knows yet.", "source": None, "kind": "direct"},
    ]
    assert data["corrections"] == [
        {"text": "The wall is 2km long.", "published_at": "2024-03-27T03:00:00Z"}
    ]


def test_api_never_names_anonymous_sources_or_shows_private_fields(client, story):
    data = client.get(f"/api/stories/{story.pk}/").json()
    assert data["sources"] == [
        {
            "name": "Lina Chey",
            "description": "a hydrologist",
            "on_record": True,
            "url": "http://testserver/sources/lina-chey/",
        },
        {
            "name": "a senior ministry official",
            "description": "",
            "on_record": False,
            "url": None,
        },
    ]
    for url in [
        f"/api/stories/{story.pk}/",
        "/api/stories/",
        f"/api/stories/{story.pk}/ninjs",
    ]:
        text = client.get(url).content.decode()
        assert "Secret Official" not in text and "secret-official" not in text
        assert "+855" not in text and "Prefers evening calls" not in text


def test_story_list_is_paginated_newest_first_and_matches_the_schema(client, openapi):
    for n in range(23):
        ArticleFactory(
            headline=f"Story {n:02}",
            published_at=datetime.datetime(2024, 1, 1, tzinfo=UTC)
            + datetime.timedelta(hours=n),
        )
    first = client.get("/api/stories/").json()
    paged = openapi["paths"]["/api/stories/"]["get"]["responses"]["200"]["content"]
    validate_against_openapi(
        openapi, first, paged["application/json"]["schema"]["$ref"]
    )
    assert first["count"] == 23 and first["pages"] == 2 and first["page"] == 1
    assert [item["headline"] for item in first["items"][:2]] == ["Story 22", "Story 21"]
    assert len(first["items"]) == 20
    assert first["next"] == "http://testserver/api/stories/?page=2"
    assert first["previous"] is None

    second = client.get(first["next"]).json()
    assert [item["headline"] for item in second["items"]] == [
        "Story 02",
        "Story 01",
        "Story 00",
    ]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/stories/?page=1"


def test_bad_pages_and_ids_are_client_errors_not_tracebacks(client, story):
    assert client.get("/api/stories/?page=5").status_code == 404
    assert client.get("/api/stories/?page=0").status_code == 422
    assert client.get("/api/stories/?page=abc").status_code == 422
    assert client.get("/api/stories/999999/").status_code == 404
    assert client.get("/api/stories/999999/ninjs").status_code == 404
    assert client.get("/api/stories/nope/").status_code in (404, 422)


def test_empty_archive_gives_an_empty_first_page(client):
    data = client.get("/api/stories/").json()
    assert data["count"] == 0 and data["items"] == [] and data["pages"] == 1


def test_api_queries_do_not_grow_with_stories_or_their_parts(
    client, django_assert_max_num_queries, story
):
    for _ in range(15):
        article = ArticleFactory(lead_photo=PhotoFactory())
        for position in range(4):
            BylineFactory(article=article, position=position)
        article.tags.add(*[f"tag {n}" for n in range(6)])
        for _ in range(5):
            QuoteFactory(article=article)
        CorrectionFactory(article=article)
    with django_assert_max_num_queries(9):
        listing = client.get("/api/stories/").json()
    assert listing["count"] == 16 and len(listing["items"]) == 16
    assert all(
        len(item["bylines"]) == 4 and len(item["tags"]) == 6
        for item in listing["items"]
        if item["id"] != story.pk
    )  # every part of every story is there, fetched in a fixed number of queries
    with django_assert_max_num_queries(8):
        detail = client.get(f"/api/stories/{story.pk}/").json()
    assert detail["id"] == story.pk and detail["headline"] == story.headline


# ninjs


def test_ninjs_export_is_valid_ninjs_3_1(client, story):
    schema = json.loads(shared_file(NINJS_SCHEMA).read_text())
    jsonschema = pytest.importorskip("jsonschema")
    response = client.get(f"/api/stories/{story.pk}/ninjs")
    assert response.status_code == 200
    item = response.json()
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(item), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]

    assert item["uri"] == f"http://testserver{story.get_absolute_url()}"
    assert item["type"] == "text"
    assert item["headlines"] == [{"role": "main", "value": story.headline}]
    assert item["located"] == "PHNOM PENH"
    assert item["firstCreated"] == "2024-03-25T08:30:00+07:00"
    assert item["copyrightHolder"] == "The Mekong Ledger"
    [picture] = item["associations"]
    assert picture["type"] == "picture"
    assert picture["by"] == "Ana Ruiz/The Newsroom"


def test_ninjs_export_survives_a_round_trip_through_our_importer(client, story):
    item = client.get(f"/api/stories/{story.pk}/ninjs").json()
    [read] = read_ninjs(json.dumps(item))

    assert read.headline == story.headline
    assert read.standfirst == story.standfirst
    assert read.body_html == story.body
    assert read.paragraphs == [
        "Councillors voted 9 to 2 on Tuesday.",
        "Work begins in spring.",
    ]
    assert read.authors == ["Mara Quint"]
    assert read.contributors == ["Teo Vance"]
    assert read.dateline == "PHNOM PENH"
    assert read.published_at == story.published_at
    assert read.publication == "The Mekong Ledger"
    assert read.canonical_url == "https://ledger.example/sea-wall"
    assert sorted(read.tags) == ["council", "flood defences"]
    assert read.photo.caption == "The old harbour wall at high tide."
    assert read.photo.credit == "Ana Ruiz/The Newsroom"
    assert read.photo.alt_text == "Waves breaking over a low stone wall."
    assert read.photo.href.startswith("http://testserver/uploads/")


def test_ninjs_of_a_date_only_story_keeps_its_day(client):
    article = ArticleFactory()
    article.set_publication_day(datetime.date(2024, 3, 25))
    article.save()
    item = client.get(f"/api/stories/{article.pk}/ninjs").json()
    assert item["firstCreated"] == "2024-03-25T00:00:00+07:00"
    [read] = read_ninjs(json.dumps(item))
    assert timezone.localdate(read.published_at) == datetime.date(2024, 3, 25)


def test_api_photo_lists_its_stored_renditions(client):
    from media.renditions import make_renditions

    article = ArticleFactory(lead_photo=PhotoFactory())
    make_renditions(article.lead_photo)

    photo = client.get(f"/api/stories/{article.pk}/").json()["lead_photo"]

    formats = {rendition["format"] for rendition in photo["renditions"]}
    assert formats == {"webp", "jpeg"}
    for rendition in photo["renditions"]:
        assert rendition["url"].startswith("http://testserver/uploads/")
        assert rendition["width"] <= 800
    assert photo["social"]["url"].startswith("http://testserver/uploads/")


def test_our_ninjs_imports_back_with_bylines_publication_and_photo(
    client, story, tmp_path
):
    from io import StringIO

    from django.core.management import call_command

    from articles.models import Article

    path = tmp_path / "partner.json"
    path.write_text(client.get(f"/api/stories/{story.pk}/ninjs").content.decode())
    call_command("import_stories", str(path), stdout=StringIO(), stderr=StringIO())

    copy = Article.objects.exclude(pk=story.pk).get()
    assert copy.headline == story.headline and copy.body == story.body
    assert [(b.journalist.name, b.role) for b in copy.bylines.all()] == [
        ("Mara Quint", ""),
        ("Teo Vance", "Contributor"),
    ]
    assert copy.publication.name == "The Mekong Ledger"
    assert copy.canonical_url == "https://ledger.example/sea-wall"
    assert copy.lead_photo.caption == story.lead_photo.caption
    assert copy.lead_photo.credit == story.lead_photo.credit
