import datetime
import html
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from taggit.utils import edit_string_for_tags

from articles.models import Article, Byline, Correction, DemoRecord, Quote, Section
from demo.loader import content
from media.models import Photo
from people.models import Journalist, Source

from .picture_files import jpeg
from .test_desk import change_url, edit_form
from .test_media_uploads import photo_form

SECTIONS = content()["sections"]
SOURCES = content()["sources"]
STORIES = content()["stories"]
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


@pytest.fixture
def quick_pictures(monkeypatch):
    """Small plain demo pictures: what they show does not matter to these tests,
    and drawing ten 1600×900 scenes would take most of their time."""
    monkeypatch.setattr(
        "demo.pictures.render_scene", lambda seed, scene, palette: jpeg((320, 180))
    )


EDITED_SLUG = "seafront-tram-line-to-reopen"
EDITED_PHOTO = f"demo-{EDITED_SLUG}.jpg"


@pytest.mark.django_db
def test_an_editors_edits_in_the_admin_survive_setup(admin_client, quick_pictures):
    load()
    story = Article.objects.get(slug=EDITED_SLUG)
    data = edit_form(
        admin_client,
        story,
        headline="Seafront trams back in May, not April",
        body="<p>The council now says May.</p>",
        tags=edit_string_for_tags(story.tags.all()),
    )
    response = admin_client.post(change_url(story), data)
    assert response.status_code == 302
    photo = story.lead_photo
    response = admin_client.post(
        reverse("admin:media_photo_change", args=[photo.pk]),
        photo_form(
            caption="The first test tram, photographed in the rain.",
            credit=photo.credit,
            alt_text=photo.alt_text,
            original_filename=photo.original_filename,
            focal_x="0.2",
            focal_y="0.7",
        ),
    )
    assert response.status_code == 302
    before = row_counts()

    output = load()

    story.refresh_from_db()
    photo.refresh_from_db()
    assert story.headline == "Seafront trams back in May, not April"
    assert story.body == "<p>The council now says May.</p>"
    assert photo.caption == "The first test tram, photographed in the rain."
    assert (photo.focal_x, photo.focal_y) == (0.2, 0.7)
    assert row_counts() == before
    assert f"Kept 1 story an editor changed: {EDITED_SLUG}." in output
    assert f"Kept 1 photo an editor changed: {EDITED_PHOTO}." in output
    assert "(0 created, 0 updated)" in output


@pytest.mark.django_db
def test_no_kind_of_editors_change_to_demo_content_is_overwritten(quick_pictures):
    load()
    berth = Article.objects.get(slug="harbour-authority-container-berth-plan")
    berth.bylines.filter(role="").delete()  # an author taken off
    quotes_before = berth.quotes.count()
    quote = berth.quotes.first()
    quote.text = "A quote the desk corrected."
    quote.save()
    berth.quotes.create(text="An extra quote", kind=Quote.Kind.PARAPHRASE)
    tram = Article.objects.get(slug=EDITED_SLUG)
    tram.status = Article.Status.DRAFT  # taken down
    tram.save()
    tram.tags.add("editors-pick")
    Journalist.objects.filter(slug="mara-quill").update(bio="Mara left in May.")
    Source.objects.filter(slug="sam-okoro").update(description="a baker")
    Section.objects.filter(slug="sport").update(name="Sports", slug="sports")

    output = load()

    assert [(b.journalist.slug, b.role) for b in berth.bylines.all()] == [
        ("mara-quill", "Additional reporting")
    ]
    texts = list(berth.quotes.values_list("text", flat=True))
    assert len(texts) == quotes_before + 1
    assert "A quote the desk corrected." in texts and "An extra quote" in texts
    tram.refresh_from_db()
    assert tram.status == Article.Status.DRAFT
    assert "editors-pick" in tram.tags.names()
    assert Journalist.objects.get(slug="mara-quill").bio == "Mara left in May."
    assert Source.objects.get(slug="sam-okoro").description == "a baker"
    assert not Section.objects.filter(slug="sport").exists()
    assert Section.objects.get(slug="sports").name == "Sports"
    assert Article.objects.filter(section__slug="sports").exists()
    assert (
        "Kept 2 stories an editor changed: seafront-tram-line-to-reopen, "
        "harbour-authority-container-berth-plan." in output
    )
    assert "Kept 1 journalist an editor changed: mara-quill." in output
    assert "Kept 1 source an editor changed: sam-okoro." in output
    assert "Kept 1 section an editor changed: sport." in output


@pytest.mark.django_db
def test_a_demo_fix_still_reaches_content_nobody_touched(quick_pictures, monkeypatch):
    load()
    edited = Article.objects.get(slug=EDITED_SLUG)
    edited.standfirst = "The desk's own standfirst."
    edited.save()  # from the shell: no admin, still an editor's change
    untouched = STORIES[1]
    fixed = "A corrected standfirst from a newer demo."
    for story in (STORIES[0], untouched):
        monkeypatch.setitem(story, "standfirst", fixed)
    monkeypatch.setitem(untouched["photo"], "caption", "A corrected caption.")
    monkeypatch.setitem(SECTIONS[0], "description", "A corrected description.")

    output = load()

    edited.refresh_from_db()
    assert edited.standfirst == "The desk's own standfirst."
    story = Article.objects.get(slug=untouched["slug"])
    assert story.standfirst == fixed
    assert story.lead_photo.caption == "A corrected caption."
    assert Section.objects.get(slug=SECTIONS[0]["slug"]).description == (
        "A corrected description."
    )
    assert "(0 created, 1 updated)" in output
    assert f"Kept 1 story an editor changed: {EDITED_SLUG}." in output
    # Updated by the loader, it is still the loader's: the next fix reaches it.
    monkeypatch.setitem(untouched, "standfirst", "Fixed once more.")
    load()
    story.refresh_from_db()
    assert story.standfirst == "Fixed once more."


@pytest.mark.django_db
def test_demo_content_an_editor_deleted_is_not_brought_back(quick_pictures):
    load()
    Article.objects.get(slug=DRAFT_SLUG).delete()
    photo_story = Article.objects.get(slug=SCHEDULED_SLUG)
    photo_story.lead_photo.delete()
    before = row_counts()

    output = load()

    assert not Article.objects.filter(slug=DRAFT_SLUG).exists()
    photo_story.refresh_from_db()
    assert photo_story.lead_photo is None
    assert row_counts() == before
    assert "Did not bring back 1 story an editor deleted" in output
    assert DRAFT_SLUG in output
    assert f"Did not bring back 1 photo an editor deleted: demo-{SCHEDULED_SLUG}.jpg"
    assert f"Kept 1 story an editor changed: {SCHEDULED_SLUG}." in output


@pytest.mark.django_db
def test_an_install_loaded_before_fingerprints_keeps_its_edits(quick_pictures):
    load()
    DemoRecord.objects.all().delete()  # as an older loader left it
    Article.objects.filter(slug=EDITED_SLUG).update(headline="The desk's headline")

    output = load()

    assert Article.objects.get(slug=EDITED_SLUG).headline == "The desk's headline"
    assert f"Kept 1 story an editor changed: {EDITED_SLUG}." in output
    assert "(0 created, 0 updated)" in output
    # Everything else was exactly the demo's, and is the loader's again.
    assert DemoRecord.objects.filter(kind="stories").count() == len(STORIES) - 1


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
