"""Hostile input never takes a page down.

Out-of-window times, control characters and script addresses, through every
way in (the shell's ``save()``, the admin's forms, ``import_stories``), then a
walk over every public surface, feed and API answer — and the admin's story
pages — with what got in and with bad rows already stored around ``save()``.
"""

import datetime
import importlib
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DataError, connection
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Correction, Publication, Quote, Section
from articles.sitemaps import month_key
from media.models import Photo
from people.models import Journalist, Source

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    JournalistFactory,
    PhotoFactory,
    PublicationFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

PLUS_14 = datetime.timezone(datetime.timedelta(hours=14))
UTC = datetime.UTC

# Vertical tab, NUL, a C1 control, a non-character and a line separator.
DIRTY = "Tide\x0bgates\x00 open\x85on the\ufffe quay\u2028today"
CLEAN_LINE = "Tide gates open on the quay today"
CLEAN_TEXT = "Tide\ngates open\non the quay\ntoday"

BAD_URLS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\x0bscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://archive.example/story.txt",
    "//elsewhere.example/story",
]
BAD_TIMES = [
    datetime.datetime(1, 1, 1, tzinfo=PLUS_14),  # before year 1 in UTC
    datetime.datetime(1799, 12, 31, 9, 0, tzinfo=UTC),
    datetime.datetime(9999, 12, 31, 23, 59, tzinfo=PLUS_14),
    datetime.datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
]


def error_fields(excinfo):
    return set(excinfo.value.message_dict)


# The shell: any save() -------------------------------------------------------

# (factory, field, single line?) for every stored text of every content model.
TEXT_FIELDS = [
    (ArticleFactory, "headline", True),
    (ArticleFactory, "standfirst", False),
    (ArticleFactory, "dateline", True),
    (SectionFactory, "name", True),
    (SectionFactory, "description", False),
    (PublicationFactory, "name", True),
    (BylineFactory, "role", True),
    (QuoteFactory, "text", False),
    (CorrectionFactory, "text", False),
    (JournalistFactory, "name", True),
    (JournalistFactory, "role", True),
    (JournalistFactory, "bio", False),
    (SourceFactory, "name", True),
    (SourceFactory, "description", True),
    (SourceFactory, "organisation", True),
    (SourceFactory, "contact_details", False),
    (SourceFactory, "notes", False),
    (PhotoFactory, "caption", False),
    (PhotoFactory, "credit", True),
    (PhotoFactory, "alt_text", True),
    (PhotoFactory, "original_filename", True),
]


@pytest.mark.parametrize(
    ("factory", "field", "single_line"),
    TEXT_FIELDS,
    ids=[f"{f._meta.model.__name__}.{name}" for f, name, _ in TEXT_FIELDS],
)
def test_text_is_cleaned_whoever_saves_it(factory, field, single_line):
    row = factory()
    setattr(row, field, DIRTY)
    row.save()

    row.refresh_from_db()
    assert getattr(row, field) == (CLEAN_LINE if single_line else CLEAN_TEXT)


def test_text_written_in_bulk_is_cleaned_too():
    article = ArticleFactory()
    Quote.objects.bulk_create([Quote(article=article, text=DIRTY)])
    assert Quote.objects.get().text == CLEAN_TEXT


def test_a_source_is_matched_on_its_cleaned_name():
    source = SourceFactory(name="Dr\x0bAna\x00 Núñez")
    assert source.name == "Dr Ana Núñez"
    assert source.normalised_name == "ana nunez"


def test_tag_names_are_cleaned_and_empty_ones_dropped():
    article = ArticleFactory()
    article.tags.add("flood\x0bdefence", "\x00\ufffe", "sea\u2028wall")
    assert sorted(article.tags.names()) == ["flood defence", "sea wall"]


def test_body_html_loses_control_characters_and_never_gains_a_script_link():
    article = ArticleFactory(
        body="<p>Gates\x0bopen\x00.</p>"
        '<p><a href="java&#11;script:alert(1)">one</a> '
        '<a href="java\x0bscript:alert(2)">two</a> '
        '<a href="https://harbour.example/">three</a></p>'
    )
    article.refresh_from_db()
    assert "\x0b" not in article.body and "\x00" not in article.body
    assert "Gates\nopen." in article.body
    assert "script" not in article.body
    assert 'href="https://harbour.example/"' in article.body


def test_a_headline_of_nothing_but_control_characters_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        ArticleFactory(headline="\x0b\x00\ufffe")
    assert error_fields(excinfo) == {"headline"}
    assert not Article.objects.exists()


@pytest.mark.parametrize("url", BAD_URLS)
def test_only_web_addresses_are_stored_as_the_original_url(url):
    article = ArticleFactory(canonical_url="https://ledger.example/a/")
    article.canonical_url = url
    with pytest.raises(ValidationError) as excinfo:
        article.save()
    assert error_fields(excinfo) == {"canonical_url"}
    # One line that names the field, as the importer prints it.
    assert str(excinfo.value) == (
        "canonical_url: Enter a full web address starting with http:// or https://."
    )
    article.refresh_from_db()
    assert article.canonical_url == "https://ledger.example/a/"


@pytest.mark.parametrize("url", BAD_URLS)
def test_only_web_addresses_are_stored_as_a_publications_website(url):
    with pytest.raises(ValidationError) as excinfo:
        Publication.objects.create(name="The Quay Gazette", url=url)
    assert error_fields(excinfo) == {"url"}
    assert not Publication.objects.exists()


def test_a_web_address_is_stored():
    article = ArticleFactory(canonical_url="https://ledger.example/quay/?id=4")
    article.refresh_from_db()
    assert article.original_url == "https://ledger.example/quay/?id=4"


@pytest.mark.parametrize("field", ["published_at", "first_published_at", "revised_at"])
@pytest.mark.parametrize("moment", BAD_TIMES, ids=str)
def test_story_times_outside_the_window_are_refused(field, moment):
    article = ArticleFactory()
    stored = getattr(article, field)
    setattr(article, field, moment)
    with pytest.raises(ValidationError) as excinfo:
        article.save()
    assert error_fields(excinfo) == {field}
    assert "Enter a time between 1 January 1800 and" in str(excinfo.value)
    article.refresh_from_db()
    assert getattr(article, field) == stored


@pytest.mark.parametrize("moment", BAD_TIMES, ids=str)
def test_correction_times_outside_the_window_are_refused(moment):
    article = ArticleFactory()
    with pytest.raises(ValidationError) as excinfo:
        CorrectionFactory(article=article, published_at=moment)
    assert error_fields(excinfo) == {"published_at"}
    assert not Correction.objects.exists()


def test_a_bad_slug_is_refused_rather_than_breaking_every_list():
    with pytest.raises(ValidationError) as excinfo:
        ArticleFactory(slug="tide gates/open")
    assert error_fields(excinfo) == {"slug"}


def test_a_one_line_value_too_long_is_refused_on_every_database():
    with pytest.raises(ValidationError) as excinfo:
        ArticleFactory(headline="Quay " * 61)
    assert error_fields(excinfo) == {"headline"}
    assert "at most 300 characters" in str(excinfo.value)
    assert not Article.objects.exists()


def test_every_bad_field_is_named_at_once():
    article = ArticleFactory.build(
        section=SectionFactory(),
        canonical_url="javascript:alert(1)",
        published_at=datetime.datetime(9999, 1, 1, tzinfo=UTC),
        first_published_at=None,
    )
    with pytest.raises(ValidationError) as excinfo:
        article.save()
    assert error_fields(excinfo) == {"canonical_url", "published_at"}


# The admin's forms -----------------------------------------------------------

ADD = reverse("admin:articles_article_add")


def story_form(section, **overrides):
    data = {
        "headline": "Quay gates open for the first time",
        "slug": "quay-gates-open",
        "standfirst": "The gates were tested at high tide.",
        "body": "<p>The gates opened at noon.</p>",
        "dateline": "PORT ALDREN",
        "section": section.pk,
        "tags": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "canonical_url": "",
        "loaded_version": "",
    }
    for prefix in ("bylines", "quotes", "corrections", "provenance"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | overrides


def form_errors(response):
    assert response.status_code == 200, "the form was accepted"
    return response.context["adminform"].form.errors


def test_admin_refuses_a_year_9999_publication_time_with_a_form_error(admin_client):
    section = SectionFactory()
    response = admin_client.post(
        ADD,
        story_form(
            section,
            status="published",
            published_at_0="9999-12-31",
            published_at_1="23:59:00",
        ),
    )
    assert "Enter a time between 1 January 1800" in str(
        form_errors(response)["published_at"]
    )
    assert not Article.objects.exists()


def test_admin_refuses_a_year_9999_time_on_a_stored_story_and_its_pages_still_open(
    admin_client,
):
    article = ArticleFactory(scheduled=True, headline="Quay gates to open")
    change = reverse("admin:articles_article_change", args=[article.pk])
    form = admin_client.get(change).context["adminform"].form
    data = story_form(
        article.section,
        headline=article.headline,
        slug=article.slug,
        status="published",
        published_at_0="9999-12-31",
        published_at_1="23:59:00",
        loaded_version=form["loaded_version"].value(),
    )
    response = admin_client.post(change, data)

    assert "published_at" in form_errors(response)
    stored = article.published_at
    article.refresh_from_db()
    assert article.published_at == stored
    changelist = reverse("admin:articles_article_changelist")
    scheduled = admin_client.get(changelist, {"state": "scheduled"})
    assert scheduled.status_code == 200
    assert "Quay gates to open" in scheduled.content.decode()
    assert admin_client.get(change).status_code == 200
    assert (
        admin_client.get(reverse("articles:preview", args=[article.pk])).status_code
        == 200
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "ftp://archive.example/a"]
)
def test_admin_refuses_a_script_or_other_address_as_the_original_url(admin_client, url):
    response = admin_client.post(ADD, story_form(SectionFactory(), canonical_url=url))
    assert "canonical_url" in form_errors(response)
    assert not Article.objects.exists()


def test_admin_refuses_a_script_address_as_a_publications_website(admin_client):
    response = admin_client.post(
        reverse("admin:articles_publication_add"),
        {"name": "The Quay Gazette", "url": "javascript:alert(1)"},
    )
    assert "url" in response.context["adminform"].form.errors
    assert not Publication.objects.exists()


def test_admin_stores_cleaned_text_and_tags(admin_client):
    response = admin_client.post(
        ADD,
        story_form(
            SectionFactory(),
            headline="Quay\x0bgates\ufffe open",
            standfirst="Tested\x0bat high tide.",
            tags="flood\x0bdefence, quay",
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.headline == "Quay gates open"
    assert article.standfirst == "Tested\nat high tide."
    assert sorted(article.tags.names()) == ["flood defence", "quay"]


def test_admin_says_a_headline_of_control_characters_is_required(admin_client):
    response = admin_client.post(
        ADD, story_form(SectionFactory(), headline="\ufffe\ufdd0")
    )
    assert "headline" in form_errors(response)
    assert not Article.objects.exists()


# import_stories --------------------------------------------------------------


def ninjs_item(uri, headline, **extra):
    return {
        "uri": f"urn:hostile-test:{uri}",
        "type": "text",
        "headlines": [{"role": "main", "value": headline}],
        "descriptions": [{"role": "summary", "value": "Copy sent by the wire."}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": f"<p>{headline}, the harbour master said on Monday.</p>",
            }
        ],
        "by": "Wren Castell",
        "located": "PORT ALDREN",
        "firstCreated": "2026-11-20T08:00:00+07:00",
        "copyrightHolder": "Quay Wire",
        **extra,
    }


HOSTILE_NINJS = [
    ninjs_item("good", "Harbour dredging finishes early"),
    ninjs_item("year-one", "Year one story", firstCreated="0001-01-01T00:00:00+14:00"),
    ninjs_item(
        "year-9999", "Far future story", firstCreated="9999-12-31T23:59:59+14:00"
    ),
    ninjs_item(
        "script-link",
        "Script link story",
        links=[{"rel": "canonical", "href": "javascript:alert(document.domain)"}],
    ),
    ninjs_item("too-long", "Quay " * 100),
    ninjs_item(
        "data-link",
        "Data link story",
        links=[{"rel": "self", "href": "data:text/html,<script>alert(1)</script>"}],
    ),
]
# Control characters, a NUL and a non-character, as JSON escapes: the story
# imports, cleaned.
DIRTY_NINJS = """[{
  "uri": "urn:hostile-test:dirty",
  "type": "text",
  "headlines": [{"role": "main", "value": "Ferry\\u000bservice\\u0000 resumes\\ufffe"}],
  "descriptions": [{"role": "summary", "value": "Two\\u000bboats \\u0085return."}],
  "bodies": [{"role": "main", "contentType": "text/html",
              "value": "<p>The ferry\\u000b returned\\u0000 on Monday.</p>"}],
  "by": "Wren\\u000bCastell",
  "located": "PORT\\u000bALDREN",
  "firstCreated": "2026-11-21T08:00:00+07:00",
  "subjects": [{"name": "ferries\\u000bquay", "rel": "about"}],
  "links": [{"rel": "canonical", "href": "https://quaywire.example/ferry"}],
  "associations": [{"name": "pic", "type": "picture", "by": "Ana\\u000bRuiz\\u001b",
    "descriptions": [{"role": "caption", "value": "The ferry\\u000bat dawn\\ufdd0."},
                     {"role": "alt", "value": "A white\\u0000 ferry."}],
    "renditions": [{"name": "original", "href": "https://quaywire.example/f.jpg"}]}],
  "copyrightHolder": "Quay Wire"
}]"""

TEXT_COPY = """\
{headline}

Crews worked through the night on the quay.

Wren Castell

Quay Wire

{date}

PORT ALDREN – Crews finished work on the quay on Monday, the harbour master said.

The quay reopens to boats next week.
"""


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("import_stories", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        error = exc
    return out.getvalue(), err.getvalue(), error


@pytest.fixture
def hostile_copy(tmp_path):
    folder = tmp_path / "copy"
    folder.mkdir()
    (folder / "wire.json").write_text(json.dumps(HOSTILE_NINJS), encoding="utf-8")
    (folder / "dirty.json").write_text(DIRTY_NINJS, encoding="utf-8")
    for name, headline, date in [
        ("quay.txt", "Quay works finish on time", "November 23, 2026"),
        ("old.txt", "Quay works from before the archive", "January 1, 1799"),
        ("future.txt", "Quay works of the far future", "December 31, 9999"),
    ]:
        (folder / name).write_text(
            TEXT_COPY.format(headline=headline, date=date), encoding="utf-8"
        )
    return folder


def test_import_refuses_each_bad_story_with_one_line_naming_the_field(hostile_copy):
    out, err, error = run_import(hostile_copy, "--publish")

    assert error is not None  # the command exits non-zero when a story failed
    failed = [line for line in err.splitlines() if ": failed: " in line]
    assert len(failed) == 5, err
    wire, text = str(hostile_copy / "wire.json"), str(hostile_copy)
    for item, headline in [(2, "Year one story"), (3, "Far future story")]:
        assert any(
            line.startswith(f"{wire} item {item} (“{headline}”): failed: ")
            and "publication time: Enter a time between" in line
            for line in failed
        ), err
    assert any(
        line.startswith(f"{wire} item 5 ") and "headline: at most 300" in line
        for line in failed
    ), err
    for name in ("old.txt", "future.txt"):
        assert any(
            line.startswith(f"{text}/{name} ")
            and ": failed: publication time: Enter a time" in line
            for line in failed
        ), err
    # A script or data address is never stored: the story imports without it,
    # and its line says so.
    for item in (4, 6):
        assert any(
            line.startswith(f"{wire} item {item} ")
            and "is not an http(s) address; left out" in line
            for line in err.splitlines()
        ), err
    assert "Traceback" not in err
    assert "5 created" in out and "5 failed" in out
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "Data link story",
        "Ferry service resumes",
        "Harbour dredging finishes early",
        "Quay works finish on time",
        "Script link story",
    ]
    assert (
        not Article.objects.exclude(canonical_url="")
        .exclude(canonical_url__startswith="http")
        .exists()
    )


def test_imported_text_is_cleaned_and_only_web_addresses_kept(hostile_copy):
    run_import(hostile_copy / "dirty.json", "--publish")

    article = Article.objects.get()
    assert article.headline == "Ferry service resumes"
    assert article.standfirst == "Two\nboats \nreturn."
    assert article.dateline == "PORT ALDREN"
    assert article.body == "<p>The ferry\n returned on Monday.</p>"
    assert list(article.tags.names()) == ["ferries quay"]
    assert article.original_url == "https://quaywire.example/ferry"
    assert [b.journalist.name for b in article.bylines.all()] == ["Wren Castell"]
    photo = article.lead_photo
    assert (photo.caption, photo.credit, photo.alt_text) == (
        "The ferry at dawn.",  # a caption is one paragraph
        "Ana Ruiz",
        "A white ferry.",
    )


def test_a_lone_surrogate_in_ninjs_is_dropped_and_the_story_imports(tmp_path):
    item = DIRTY_NINJS.replace("Two\\u000bboats", "Two\\ud800boats")
    (tmp_path / "surrogate.json").write_text(item, encoding="utf-8")
    _, err, error = run_import(tmp_path / "surrogate.json")
    assert error is None, err
    assert Article.objects.get().standfirst == "Twoboats \nreturn."


def test_syndicated_text_with_control_characters_imports_cleaned(tmp_path):
    copy = TEXT_COPY.format(
        headline="Quay\x0bworks\x1b finish\x7f early", date="November 23, 2026"
    ).replace("on the quay.", "on the\x0cquay\x1f.")
    (tmp_path / "dirty.txt").write_bytes(copy.encode("utf-8"))

    _, err, error = run_import(tmp_path / "dirty.txt")

    assert error is None, err
    article = Article.objects.get()
    assert article.headline == "Quay works finish early"
    assert article.standfirst == "Crews worked through the night on the quay."


def test_a_nul_in_a_ninjs_byline_is_dropped_and_the_story_imports(tmp_path):
    item = DIRTY_NINJS.replace("Wren\\u000bCastell", "Wren\\u0000 Castell")
    (tmp_path / "nul.json").write_text(item, encoding="utf-8")
    _, err, error = run_import(tmp_path / "nul.json")
    assert error is None, err
    assert Journalist.objects.get().name == "Wren Castell"


def test_a_cleaned_import_is_unchanged_when_run_again(hostile_copy):
    run_import(hostile_copy / "dirty.json")
    out, _, error = run_import(hostile_copy / "dirty.json")
    assert error is None and "1 unchanged" in out
    assert Article.objects.count() == 1


# Every surface, afterwards ---------------------------------------------------


def public_surfaces(article, journalist, source, tag):
    story = article.get_absolute_url()
    section = article.section.slug
    return [
        "/",
        story,
        f"/{section}/",
        f"/tags/{tag.slug}/",
        f"/authors/{journalist.slug}/",
        f"/sources/{source.slug}/",
        "/search/?q=harbour",
        "/search/?q=tide",
        "/corrections/",
        "/robots.txt",
        f"/api/stories/{article.pk}/",
        f"/api/stories/{article.pk}/ninjs",
        "/api/stories/",
        "/api/openapi.json",
    ]


def xml_surfaces(article, journalist):
    section = article.section.slug
    return [
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/sections/{section}/rss/",
        f"/feeds/sections/{section}/atom/",
        f"/feeds/authors/{journalist.slug}/rss/",
        f"/feeds/authors/{journalist.slug}/atom/",
        "/feeds/corrections/rss/",
        "/feeds/corrections/atom/",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/sitemap-sections.xml",
        f"/sitemap-{month_key(timezone.localdate(article.published_at))}.xml",
        "/sitemap-authors.xml",
        "/sitemap-news.xml",
    ]


@pytest.fixture
def hostile_newsroom(hostile_copy):
    """What hostile copy leaves behind: the stories that imported, one made in
    the shell from dirty values, and rows made bad behind ``save()``'s back."""
    run_import(hostile_copy, "--publish")
    journalist = JournalistFactory(name="Wren\x0bCastell Jr", slug="wren-castell-jr")
    source = SourceFactory(name="Ines\x00 Marlow", slug="ines-marlow")
    article = ArticleFactory(
        headline="Harbour tide\x0bgates open",
        standfirst="Tide\x0bgates\x00 open.",
        section=SectionFactory(name="Quay\x0bSide", slug="quay"),
        publication=PublicationFactory(name="Quay\x0bLedger"),
        canonical_url="https://ledger.example/tide-gates/",
        lead_photo=PhotoFactory(caption="Gates\x0bat dawn", credit="Ana\x0bRuiz"),
    )
    BylineFactory(article=article, journalist=journalist)
    QuoteFactory(article=article, source=source, text="They\x0bhold.")
    CorrectionFactory(article=article, text="An earlier\x0bversion erred.")
    article.tags.add("tide\x0bgates")
    tag = Tag.objects.get(name="tide gates")
    return {"article": article, "journalist": journalist, "source": source, "tag": tag}


def store_bad_rows_behind_saves_back(newsroom):
    """Values ``save()`` would refuse, written with ``QuerySet.update()``, as a
    database from before these rules may hold them (PostgreSQL refuses NUL)."""
    nul = "\x00" if connection.vendor == "sqlite" else ""
    article = newsroom["article"]
    bad = f"Tide\x0bgates\x0c{nul} open\x1b\ufffe"
    Article.objects.filter(pk=article.pk).update(
        headline=bad,
        standfirst=bad,
        dateline="QUAY\x0b",
        canonical_url="javascript:alert(document.cookie)",
    )
    Publication.objects.filter(pk=article.publication_id).update(
        name=bad, url="javascript:alert(2)"
    )
    Section.objects.filter(pk=article.section_id).update(name=bad, description=bad)
    Photo.objects.filter(pk=article.lead_photo_id).update(
        caption=bad, credit=bad, alt_text=bad
    )
    Journalist.objects.filter(pk=newsroom["journalist"].pk).update(name=bad, bio=bad)
    Source.objects.filter(pk=newsroom["source"].pk).update(description=bad)
    Quote.objects.filter(article=article).update(text=bad)
    Correction.objects.filter(article=article).update(text=bad)
    Tag.objects.filter(pk=newsroom["tag"].pk).update(name=bad)


SCRIPT_LINK = re.compile(r"""(?:href|src|content|action)=["']?\s*javascript:""", re.I)


def assert_every_surface_answers(client, admin_client, newsroom):
    article, journalist = newsroom["article"], newsroom["journalist"]
    imported = list(Article.objects.published().exclude(pk=article.pk))
    assert imported  # the imported stories are on every surface too
    pages = public_surfaces(article, journalist, newsroom["source"], newsroom["tag"])
    pages += [story.get_absolute_url() for story in imported]
    pages += [f"/api/stories/{story.pk}/ninjs" for story in imported]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "javascript:" not in text.lower(), url
        if "json" in response["Content-Type"]:
            json.loads(text)
    for url in xml_surfaces(article, journalist):
        response = client.get(url)
        assert response.status_code == 200, url
        ET.fromstring(response.content)  # parses as XML
        assert "javascript:" not in response.content.decode().lower(), url
    changelist = reverse("admin:articles_article_changelist")
    for url in [
        changelist,
        f"{changelist}?state=scheduled",
        f"{changelist}?state=published",
        f"{changelist}?q=tide",
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("articles:preview", args=[article.pk]),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert not SCRIPT_LINK.search(response.content.decode()), url


def test_every_surface_renders_after_hostile_input(
    client, admin_client, hostile_newsroom
):
    assert_every_surface_answers(client, admin_client, hostile_newsroom)

    story = client.get(hostile_newsroom["article"].get_absolute_url()).content.decode()
    assert "Harbour tide gates open" in story
    assert '<link rel="canonical" href="https://ledger.example/tide-gates/">' in story
    assert 'href="https://ledger.example/tide-gates/">Quay Ledger</a>' in story
    rss = ET.fromstring(client.get("/feeds/rss/").content)
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert "Harbour tide gates open" in titles
    assert "Ferry service resumes" in titles


def test_every_surface_renders_with_bad_rows_already_stored(
    client, admin_client, hostile_newsroom
):
    store_bad_rows_behind_saves_back(hostile_newsroom)

    assert_every_surface_answers(client, admin_client, hostile_newsroom)

    article = hostile_newsroom["article"]
    story = client.get(article.get_absolute_url()).content.decode()
    # The script address is stored, but no page links to it: the canonical
    # link falls back to the story's own address and the credit is plain text.
    assert (
        f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">'
        in story
    )
    assert "Originally published by Tide" in story
    rss = ET.fromstring(client.get("/feeds/rss/").content)
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert "Tide\ngates\n open" in titles  # what XML can carry of the headline
    categories = [c.text for c in rss.iter("category")]
    assert "Tide\ngates\n open" in categories  # the tag's name, likewise
    news = ET.fromstring(client.get("/sitemap-news.xml").content)
    ns = {"news": "http://www.google.com/schemas/sitemap-news/0.9"}
    assert "Tide gates open" in [t.text for t in news.iterfind(".//news:title", ns)]
    api = client.get(f"/api/stories/{article.pk}/").json()
    assert api["publication"]["canonical_url"] is None
    ninjs = client.get(f"/api/stories/{article.pk}/ninjs").json()
    assert "uri" not in ninjs["infoSources"][0]


def test_a_story_scheduled_at_the_edge_of_the_window_shows_everywhere_for_the_desk(
    admin_client,
):
    """The latest time the window allows still renders on every admin page."""
    edge = timezone.now() + datetime.timedelta(days=365 * 10 - 1)
    article = ArticleFactory(published_at=edge, headline="Quay opening far ahead")
    changelist = reverse("admin:articles_article_changelist")
    for url in [
        f"{changelist}?state=scheduled",
        f"{changelist}?published_at__year={edge.year}",
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("articles:preview", args=[article.pk]),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "Quay opening far ahead" in response.content.decode(), url


def test_times_stored_before_the_rules_are_repaired_and_every_surface_renders(
    client, admin_client, hostile_newsroom
):
    """The issue's row: an imported ``0001-01-01T00:00:00+14:00`` stored as a day
    before year 1, which no query can read back; and year-9999 times."""
    article = hostile_newsroom["article"]
    victim = Article.objects.get(headline="Harbour dredging finishes early")
    year_zero = (
        "0001-01-01 00:00:00+14" if connection.vendor == "postgresql"
        else "0000-12-31 10:00:00"
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET published_at = %s WHERE id = %s",
            [year_zero, victim.pk],
        )
    far = datetime.datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    Article.objects.filter(pk=article.pk).update(revised_at=far)
    Correction.objects.filter(article=article).update(published_at=far)
    with pytest.raises((ValueError, OverflowError, DataError)):
        list(Article.objects.all())  # what every page did before the repair

    migration = importlib.import_module(
        "articles.migrations.0009_repair_out_of_window_times"
    )
    before = timezone.now()
    migration.repair(apps, None)

    victim = Article.objects.get(pk=victim.pk)
    assert victim.status == Article.Status.DRAFT and victim.published_at is None
    assert victim.headline == "Harbour dredging finishes early"  # nothing else lost
    assert victim.body and victim.bylines.exists()
    article.refresh_from_db()
    assert article.revised_at is None and article.is_published()
    correction = article.corrections.get()
    assert before <= correction.published_at <= timezone.now()
    assert_every_surface_answers(client, admin_client, hostile_newsroom)
    assert client.get(victim.get_absolute_url()).status_code == 404
