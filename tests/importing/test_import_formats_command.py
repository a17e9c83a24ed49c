"""import_stories on NewsML-G2, NITF, JSON-LD and web pages: what the desk sees."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, StoryImport
from tests.importing.test_structured_readers import (
    JSONLD,
    NEWSML_XHTML,
    NITF_LATIN1,
    PAGE_JSONLD,
    XXE,
    newsml_message,
    page,
)

pytestmark = pytest.mark.django_db


def run(*paths, **options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_stories", *map(str, paths), stdout=out, stderr=err, **options
        )
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_newsml_item_is_stored_with_its_dateline_byline_and_date(tmp_path):
    (tmp_path / "ferry.xml").write_bytes(NEWSML_XHTML)
    _, err, error = run(tmp_path / "ferry.xml")
    assert error is None, err
    article = Article.objects.get()
    assert article.headline == "Ferry crossings resume after harbour repairs"
    assert article.dateline == "Port Aldren"
    assert article.publication.name == "Riverton Wire"
    assert [b.journalist.name for b in article.bylines.all()] == ["Lena Ortiz"]
    assert article.published_at.isoformat() == "2025-06-03T16:30:00+00:00"
    assert "<h2>Repairs ahead of time</h2>" in article.body
    assert article.provenance.format == StoryImport.Format.NEWSML
    assert article.status == Article.Status.DRAFT
    assert article.quotes.get().source.name == "Owen Hart"


def test_newsml_message_picture_becomes_the_lead_photo(tmp_path):
    (tmp_path / "tram.xml").write_bytes(newsml_message())
    run(tmp_path / "tram.xml")
    photo = Article.objects.get().lead_photo
    assert photo.caption == "The tram depot at Westmarch on Monday."
    assert photo.credit == "Ada Mensah/Riverton Wire"


def test_nitf_in_iso_8859_1_keeps_its_accents(tmp_path):
    (tmp_path / "cafe.xml").write_bytes(NITF_LATIN1)
    _, err, error = run(tmp_path / "cafe.xml")
    assert error is None, err
    article = Article.objects.get()
    assert article.headline == "Café Süd reopens on the Ærø ferry quay"
    assert "façade" in article.body
    assert article.dateline == "KESTREL BAY"


def test_jsonld_file_is_imported_not_refused_as_ninjs(tmp_path):
    (tmp_path / "library.json").write_text(json.dumps(JSONLD), encoding="utf-8")
    _, err, error = run(tmp_path / "library.json")
    assert error is None, err
    article = Article.objects.get()
    assert article.headline == "Westmarch library extends its opening hours"
    assert article.provenance.format == StoryImport.Format.JSONLD
    assert article.canonical_url == JSONLD["url"]


def test_web_page_is_imported_with_its_metadata(tmp_path):
    head = f'<script type="application/ld+json">{json.dumps(PAGE_JSONLD)}</script>'
    (tmp_path / "market.html").write_bytes(page(head))
    _, err, error = run(tmp_path / "market.html", format="html")
    assert error is None, err
    article = Article.objects.get()
    assert article.headline == "Market hall reopens in Hollins Cross"
    assert article.dateline == "HOLLINS CROSS"
    assert article.body.count("<p>") == 5
    assert "<script" not in article.body
    assert article.provenance.format == StoryImport.Format.HTML


def test_reimporting_a_newsml_item_changes_nothing(tmp_path):
    (tmp_path / "ferry.xml").write_bytes(NEWSML_XHTML)
    run(tmp_path / "ferry.xml")
    out, _, _ = run(tmp_path / "ferry.xml")
    assert "1 unchanged" in out
    assert Article.objects.count() == 1


def test_unknown_xml_is_refused_in_one_line_and_the_rest_imports(tmp_path):
    (tmp_path / "a-feed.xml").write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>'
    )
    (tmp_path / "b-ferry.xml").write_bytes(NEWSML_XHTML)
    _, err, error = run(tmp_path)
    assert error is not None
    lines = [line for line in err.splitlines() if "a-feed.xml" in line]
    assert len(lines) == 1
    assert "an XML file whose root is <rss>, not a news format" in lines[0]
    assert Article.objects.count() == 1


def test_xml_asked_for_as_text_is_refused_not_imported(tmp_path):
    (tmp_path / "ferry.txt").write_bytes(NEWSML_XHTML)
    _, err, error = run(tmp_path / "ferry.txt", format="text")
    assert error is not None
    assert "XML, not plain text: its root is <newsItem>" in err
    assert not Article.objects.exists()


def test_xml_with_entities_is_refused(tmp_path):
    (tmp_path / "xxe.xml").write_bytes(XXE)
    _, err, error = run(tmp_path / "xxe.xml")
    assert error is not None
    assert "declares entities" in err
    assert not Article.objects.exists()


def test_a_named_format_that_does_not_fit_is_refused(tmp_path):
    (tmp_path / "cafe.xml").write_bytes(NITF_LATIN1)
    _, err, error = run(tmp_path / "cafe.xml", format="newsml")
    assert error is not None
    assert "NITF, not NewsML-G2: use --format nitf (or auto)" in err


def test_a_story_without_a_date_is_imported_with_a_warning(tmp_path):
    undated = {k: v for k, v in JSONLD.items() if k != "datePublished"}
    (tmp_path / "undated.json").write_text(json.dumps(undated), encoding="utf-8")
    _, err, error = run(tmp_path / "undated.json")
    assert error is None
    assert err.count("warning: date: none found in the copy") == 1
    assert len(set(err.splitlines())) == len(err.splitlines())  # each said once
    assert Article.objects.get().published_at is None


def test_xml_nested_without_end_is_refused_in_one_line(tmp_path):
    depth = 100_000
    data = (
        b'<?xml version="1.0"?><nitf>' + b"<p>" * depth + b"</p>" * depth + b"</nitf>"
    )
    (tmp_path / "deep.xml").write_bytes(data)
    _, err, error = run(tmp_path / "deep.xml")
    assert error is not None
    lines = [line for line in err.splitlines() if "deep.xml" in line]
    assert len(lines) == 1 and "nested too deeply" in lines[0]
    assert "Traceback" not in err


def test_a_newsml_item_read_from_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(NEWSML_XHTML)))
    _, err, error = run("-")
    assert error is None, err
    assert Article.objects.get().provenance.format == StoryImport.Format.NEWSML
