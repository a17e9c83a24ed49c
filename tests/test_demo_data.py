"""The demo newsroom loaded from its data file (demo/content.yaml) is the one
the Python-coded demo (articles/demo.py, before issue 12) made: the figures
and texts below were read from a database that demo had loaded."""

import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, Byline, Correction, DemoRecord, Quote
from media.models import Photo
from people.models import Journalist, Source

from .picture_files import jpeg


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def quick_pictures(monkeypatch):
    monkeypatch.setattr(
        "demo.pictures.render_scene", lambda seed, scene, palette: jpeg((320, 180))
    )


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


# What the Python-coded demo stored: story slug → its bylines (journalist
# slug, role), in order.
BYLINES_BEFORE = {
    "aldren-bay-seagrass-recovery": [("niamh-oduya", "")],
    "aldren-rovers-clinch-promotion": [("mara-quill", "")],
    "aldren-university-tidal-energy-spinout": [("tobias-wren", "")],
    "harbour-authority-container-berth-plan": [
        ("tobias-wren", ""),
        ("mara-quill", "Additional reporting"),
    ],
    "harbour-swim-record-field": [("niamh-oduya", "")],
    "lantern-point-parking-charges": [("mara-quill", "")],
    "quay-street-traders-rent-relief": [("tobias-wren", "")],
    "seafront-tram-line-to-reopen": [("mara-quill", "")],
    "skerry-isles-night-ferry-year-round": [("mara-quill", "")],
    "upland-farmers-wetland-buffers": [("niamh-oduya", "Additional reporting")],
}
# A SHA-256 of every story's text as it stored it (see ``stored_text``).
TEXT_DIGEST_BEFORE = "742020a2ab6a66702786508fd409ad1a0b6a018fd5495cf61192326322d3ee29"


def stored_text():
    """Each story's slug, headline, standfirst, dateline, body (as stored,
    sanitized), tags, quotes, corrections, photo texts, publication and
    section, newest slug order, as one JSON text."""
    rows = []
    for article in Article.objects.order_by("slug"):
        photo = article.lead_photo
        rows.append(
            [
                article.slug,
                article.headline,
                article.standfirst,
                article.dateline,
                article.body,
                sorted(article.tags.names()),
                [
                    [getattr(quote.source, "slug", None), quote.kind, quote.text]
                    for quote in article.quotes.order_by("position")
                ],
                sorted(article.corrections.values_list("text", flat=True)),
                [photo.original_filename, photo.caption, photo.credit, photo.alt_text],
                article.publication.name if article.publication else None,
                article.canonical_url,
                article.section.slug,
            ]
        )
    return json.dumps(rows, ensure_ascii=False, sort_keys=True)


@pytest.mark.django_db
def test_the_demo_from_its_data_file_is_the_demo_it_was(quick_pictures):
    load()

    assert {
        model.__name__: model.objects.count()
        for model in (Article, Byline, Quote, Correction, Photo, Source, Journalist)
    } == {
        "Article": 10,
        "Byline": 11,
        "Quote": 18,
        "Correction": 1,
        "Photo": 10,
        "Source": 11,
        "Journalist": 4,
    }
    bylines = {
        article.slug: [
            (byline.journalist.slug, byline.role)
            for byline in article.bylines.order_by("position")
        ]
        for article in Article.objects.all()
    }
    assert bylines == BYLINES_BEFORE
    tram = Article.objects.get(slug="seafront-tram-line-to-reopen")
    assert tram.headline == (
        "Seafront tram line to reopen in April after two-year rebuild"
    )
    assert tram.lead_photo.caption == (
        "A test tram stands at the Northcliff terminus on Marine Parade, beside "
        "the rebuilt sea wall."
    )
    assert tram.lead_photo.credit == "Jonah Pike"
    assert (tram.lead_photo.focal_x, tram.lead_photo.focal_y) == (0.5, 0.5)
    assert Photo.objects.exclude(caption="").count() == 10
    assert set(Article.objects.values_list("status", flat=True)) == {
        "published",
        "draft",
    }
    assert Article.objects.get(slug="lantern-point-parking-charges").status == "draft"
    assert Article.objects.get(
        slug="quay-street-traders-rent-relief"
    ).published_date_only
    assert not Source.objects.get(slug="anonymous-harbour-official").on_record
    digest = hashlib.sha256(stored_text().encode()).hexdigest()
    assert digest == TEXT_DIGEST_BEFORE, "a story's stored text differs"


def snapshot():
    """Every demo row as stored, all fields (but when a fingerprint was last
    confirmed: that is the one thing a run is meant to change)."""
    rows = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Article, Byline, Quote, Correction, Photo, Source, Journalist)
    }
    rows["DemoRecord"] = list(
        DemoRecord.objects.order_by("pk").values("kind", "key", "object_id", "checksum")
    )
    return rows


@pytest.mark.django_db
def test_loading_the_data_file_again_changes_nothing(
    quick_pictures, django_assert_max_num_queries
):
    load()
    before = snapshot()

    # A fixed cost a demo story (its photo, bylines, quotes, tags and
    # fingerprint checked): 41 a story as of issue 12, 412 in all.
    with django_assert_max_num_queries(45 * Article.objects.count()):
        output = load()

    assert snapshot() == before
    assert "(0 created, 0 updated)" in output
    assert "(0 new image files)" in output
