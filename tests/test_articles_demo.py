import datetime
import html
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.demo import SOURCES, STORIES
from articles.models import Article, Byline, Correction, Quote
from media.models import Photo
from people.models import Journalist, Source

DEMO_SLUGS = [story["slug"] for story in STORIES]
DRAFT_SLUG = "lantern-point-parking-charges"
SCHEDULED_SLUG = "aldren-university-tidal-energy-spinout"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, Byline, Quote, Photo, Source, Journalist, Correction)
    }


@pytest.mark.django_db
def test_load_demo_reports_a_summary():
    output = load()

    assert "Demo newsroom ready: 10 stories (10 created, 0 updated)" in output


@pytest.mark.django_db
def test_loading_twice_creates_no_duplicates_and_keeps_files_and_times():
    load()
    before = row_counts()
    files = dict(Photo.objects.values_list("pk", "image"))
    times = dict(Article.objects.values_list("slug", "published_at"))

    output = load()

    assert row_counts() == before
    assert dict(Photo.objects.values_list("pk", "image")) == files
    assert dict(Article.objects.values_list("slug", "published_at")) == times
    assert "(0 created, 0 updated)" in output
    assert "(0 new image files)" in output


@pytest.mark.django_db
def test_loading_again_restores_demo_bylines_and_quotes_without_duplicates():
    load()
    story = Article.objects.get(slug="harbour-authority-container-berth-plan")
    story.bylines.filter(role="").delete()
    story.quotes.first().delete()
    story.quotes.create(text="An extra quote", kind=Quote.Kind.PARAPHRASE)

    load()

    assert [(b.journalist.slug, b.role) for b in story.bylines.all()] == [
        ("tobias-wren", ""),
        ("mara-quill", "Additional reporting"),
    ]
    assert story.quotes.count() == 2
    assert not story.quotes.filter(text="An extra quote").exists()


@pytest.mark.django_db
def test_loading_leaves_other_content_alone():
    load()
    section = Article.objects.get(slug=DEMO_SLUGS[0]).section
    other = Article.objects.create(headline="Other", slug="other", section=section)

    load()

    assert Article.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_demo_has_at_least_eight_published_stories_but_not_the_draft_or_scheduled():
    load()
    published = set(Article.objects.published().values_list("slug", flat=True))

    assert len(published & set(DEMO_SLUGS)) >= 8
    draft = Article.objects.get(slug=DRAFT_SLUG)
    scheduled = Article.objects.get(slug=SCHEDULED_SLUG)
    assert draft.status == Article.Status.DRAFT
    assert scheduled.is_scheduled
    assert scheduled.published_at > timezone.now() + datetime.timedelta(days=2)
    assert DRAFT_SLUG not in published
    assert SCHEDULED_SLUG not in published


@pytest.mark.django_db
def test_every_published_demo_story_is_complete():
    load()
    stories = Article.objects.published().filter(slug__in=DEMO_SLUGS)

    for story in stories:
        assert story.bylines.exists(), story.slug
        assert story.dateline and story.dateline == story.dateline.upper(), story.slug
        assert story.body.startswith("<p>"), story.slug
        photo = story.lead_photo
        assert photo is not None, story.slug
        assert photo.caption and photo.credit and photo.alt_text, story.slug
        assert photo.has_file and photo.image.storage.exists(photo.image.name)
        assert (photo.width, photo.height) == (1600, 900)
        assert story.quotes.exists(), story.slug


@pytest.mark.django_db
def test_direct_quotes_appear_in_the_body():
    load()

    quotes = Quote.objects.filter(article__slug__in=DEMO_SLUGS, kind="direct")
    assert quotes.exists()
    for quote in quotes:
        # Copy turns a quote's closing full stop into a comma before "said".
        words = quote.text.rstrip(".,")
        body = html.unescape(quote.article.body)
        assert f"“{words}" in body, quote.text
        if quote.source.on_record:
            assert quote.source.name in body, quote.text


@pytest.mark.django_db
def test_demo_covers_date_only_syndicated_and_corrected_stories():
    load()
    demo = Article.objects.published().filter(slug__in=DEMO_SLUGS)

    assert demo.filter(published_date_only=True).exists()
    syndicated = demo.get(publication__isnull=False)
    assert syndicated.canonical_url.startswith("https://")
    assert demo.filter(corrections__isnull=False).exists()
    assert demo.filter(bylines__role="Additional reporting").exists()
    oldest = min(story.published_at for story in demo)
    assert timezone.now() - oldest <= datetime.timedelta(days=22)


@pytest.mark.django_db
def test_anonymous_source_is_off_the_record_and_never_named_publicly():
    load()
    data = next(source for source in SOURCES if source.get("on_record") is False)
    source = Source.objects.get(slug=data["slug"])

    assert source.on_record is False
    surname = source.name.split()[-1].lower()
    assert surname not in source.public_name.lower()
    assert surname not in source.slug
    for story in Article.objects.filter(slug__in=DEMO_SLUGS):
        public_text = " ".join([story.headline, story.standfirst, story.body])
        assert surname not in public_text.lower(), story.slug
