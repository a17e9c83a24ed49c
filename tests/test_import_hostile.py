"""The importer under hostile files and faults: every bad story fails alone,
with one line naming the file, the item and the field, and nothing partial
or orphaned is left behind."""

import datetime
import importlib
import io
import json
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from PIL import Image

from articles.importing import store
from articles.importing.checks import check_story
from articles.importing.data import PhotoData, QuoteData, SourceData, StoryData
from articles.models import Article, StoryImport
from media.models import Photo
from media.services import stored_files
from people.models import Journalist, Source
from people.names import normalise_name
from tests.test_articles_import import BARRIER, FERRY, run, run_json, write

pytestmark = pytest.mark.django_db


def item(number=1, **changes):
    """A ninjs 3.x item with every field the importer stores, changes applied
    (a change of None removes the field)."""
    data = {
        "uri": f"urn:hostile-test:{number}",
        "type": "text",
        "headlines": [{"role": "main", "value": f"Harbour reopens, day {number}"}],
        "descriptions": [{"role": "summary", "value": "Ships return at dawn."}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": "<p>The harbour reopened on Monday.</p>",
            }
        ],
        "by": "Lena Ortiz",
        "located": "RIVERTON",
        "firstCreated": "2025-06-03T08:00:00Z",
        "copyrightHolder": "The Riverton Courier",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def picture(**changes):
    """An associated picture for ``item(associations=[picture()])``."""
    data = {
        "type": "picture",
        "uri": "urn:hostile-test:picture",
        "creditline": "Jane Roe/The Courier",
        "descriptions": [
            {"role": "caption", "value": "Boats in the harbour."},
            {"role": "alt", "value": "Fishing boats moored at a quay."},
        ],
        "renditions": [{"href": "https://cdn.example/harbour.jpg", "width": 800}],
    }
    data.update(changes)
    return data


def failed_lines(err):
    return [line for line in err.splitlines() if ": failed: " in line]


# One bad item in a list


def test_a_bad_item_in_a_list_fails_alone_and_the_rest_import(tmp_path):
    feed = write(
        tmp_path,
        "feed.json",
        json.dumps([item(1), item(2, headlines=[]), "not a story", item(4)]),
    )

    out, err, error = run(feed)

    assert error is not None  # non-zero exit status
    assert failed_lines(err) == [
        f"{feed} item 2 (“urn:hostile-test:2”): failed: headline: missing in "
        "urn:hostile-test:2",
        f"{feed} item 3: failed: expected an object, not a string",
    ]
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "Harbour reopens, day 1",
        "Harbour reopens, day 4",
    ]
    assert "2 created" in out and "2 failed" in out


def test_json_report_numbers_the_items_of_a_list_and_names_the_field(tmp_path):
    long_headline = "Harbour " * 500
    feed = write(
        tmp_path,
        "feed.json",
        json.dumps([item(1), item(2, headlines=[{"value": long_headline}])]),
    )

    report, _, error = run_json(feed)

    assert error is not None and (report["created"], report["failed"]) == (1, 1)
    good, bad = report["stories"]
    assert (good["item"], good["status"]) == (1, "created")
    assert bad == {
        "file": str(feed),
        "status": "failed",
        "id": None,
        "headline": long_headline.strip(),
        "url": None,
        "item": 2,
        "error": "headline: at most 300 characters (got 3,999)",
        "field": "headline",
    }


# Over-long values: checked against the model before the database sees them

LONG = {
    "uri": ({"uri": "urn:hostile:" + "u" * 600}, 500, 612),
    "headline": ({"headlines": [{"value": "H" * 4000}]}, 300, 4000),
    "dateline": ({"located": "R" * 150}, 100, 150),
    "authors": ({"by": "A" * 250}, 200, 250),
    "contributors": (
        {"people": [{"name": "C" * 260, "rel": "contributor"}]},
        200,
        260,
    ),
    "publication": ({"copyrightHolder": "P" * 201}, 200, 201),
    "photo credit": ({"associations": [picture(creditline="c" * 300)]}, 255, 300),
    "photo alt text": (
        {"associations": [picture(descriptions=[{"role": "alt", "value": "a" * 501}])]},
        500,
        501,
    ),
    "photo file name": (
        {
            "associations": [
                picture(renditions=[{"href": "https://cdn.example/" + "f" * 300}])
            ]
        },
        255,
        300,
    ),
}


@pytest.mark.parametrize("field", LONG)
def test_an_over_long_value_fails_its_story_with_a_line_naming_file_item_and_field(
    tmp_path, field
):
    changes, limit, got = LONG[field]
    feed = write(tmp_path, "feed.json", json.dumps([item(1), item(2, **changes)]))

    _, err, error = run(feed)

    assert error is not None
    [line] = failed_lines(err)
    assert line.startswith(f"{feed} item 2 (“")
    assert f": failed: {field}: at most {limit:,} characters " in line
    assert f"(got {got:,}" in line
    assert "varying" not in line and "too long" not in line  # no database message
    assert list(Article.objects.values_list("headline", flat=True)) == [
        "Harbour reopens, day 1"
    ]
    assert not Photo.objects.exists()
    assert set(Journalist.objects.values_list("name", flat=True)) == {"Lena Ortiz"}


def test_several_over_long_values_are_all_named_in_one_line(tmp_path):
    path = write(
        tmp_path,
        "story.json",
        json.dumps(item(headlines=[{"value": "H" * 301}], located="R" * 101)),
    )

    _, err, _ = run(path)

    [line] = failed_lines(err)
    assert line.endswith(
        ": failed: headline: at most 300 characters (got 301); "
        "dateline: at most 100 characters (got 101)"
    )
    assert f"{path} (“HHHH" in line  # the headline is shown, cut short
    assert len(line) < 300


def test_an_over_long_file_name_fails_with_the_field_named(tmp_path):
    folder = tmp_path
    for part in "abc":
        folder = folder / (part * 200)
    path = write(folder, "story.json", json.dumps(item()))

    _, err, error = run(path)

    assert error is not None
    [line] = failed_lines(err)
    assert ": failed: file: at most 500 characters (got " in line
    assert not Article.objects.exists()


def test_a_model_validation_error_comes_out_as_the_field_it_is_about(
    tmp_path, monkeypatch
):
    real_save = Article.save

    def refuse_day_two(article, *args, **kwargs):
        if article.headline.endswith("day 2"):
            raise ValidationError(
                {"canonical_url": ["Enter a full web address starting with http://."]}
            )
        return real_save(article, *args, **kwargs)

    monkeypatch.setattr(Article, "save", refuse_day_two)
    feed = write(tmp_path, "feed.json", json.dumps([item(1), item(2), item(3)]))

    report, _, error = run_json(feed)

    assert error is not None
    assert [s["status"] for s in report["stories"]] == ["created", "failed", "created"]
    bad = report["stories"][1]
    assert bad["error"] == (
        "original URL: Enter a full web address starting with http://."
    )
    assert bad["field"] == "original URL" and bad["item"] == 2
    assert not StoryImport.objects.filter(identity="urn:hostile-test:2").exists()


def test_a_photo_validation_error_names_the_photo_field(tmp_path, monkeypatch):
    def refuse(photo, *args, **kwargs):
        raise ValidationError({"credit": ["Name who took the picture."]})

    monkeypatch.setattr(Photo, "save", refuse)
    path = write(tmp_path, "story.json", json.dumps(item(associations=[picture()])))

    _, err, _ = run(path)

    [line] = failed_lines(err)
    assert line.endswith(": failed: photo credit: Name who took the picture.")


# Values that only decorate a story are left out with a warning


def test_a_canonical_link_that_is_not_http_is_left_out_with_a_warning(tmp_path):
    links = [{"rel": "canonical", "href": "javascript:alert(1)"}]
    path = write(tmp_path, "story.json", json.dumps(item(links=links)))

    _, err, error = run(path)

    assert error is None
    assert (
        "warning: original URL: “javascript:alert(1)” is not an http(s) address" in err
    )
    assert Article.objects.get().canonical_url == ""


def test_an_over_long_tag_is_left_out_and_the_others_kept(tmp_path):
    path = write(
        tmp_path, "story.json", json.dumps(item(keywords=["harbour", "t" * 101]))
    )

    _, err, error = run(path)

    assert error is None
    assert "warning: tags: “ttt" in err and "101 characters, over the 100" in err
    assert list(Article.objects.get().tags.names()) == ["harbour"]


def test_a_long_caption_without_alt_text_gives_a_shortened_alt_text(tmp_path):
    caption = "Boats wait in the harbour for the storm to pass. " * 14
    art = picture(descriptions=[{"role": "caption", "value": caption}])
    path = write(tmp_path, "story.json", json.dumps(item(associations=[art])))

    _, err, error = run(path)

    assert error is None and "warning: photo alt text: the copy gives none" in err
    photo = Article.objects.get().lead_photo
    assert photo.caption == caption.strip()
    assert len(photo.alt_text) <= 500 and photo.alt_text.endswith("to pass.")


def test_a_long_caption_of_one_sentence_gives_its_opening_words_as_alt_text(
    tmp_path,
):
    """No sentence ends early enough: the alt text is the caption's opening,
    cut after a whole word and marked as cut."""
    caption = "Lifeboat crews " + "and harbour volunteers " * 30 + "at dawn"
    art = picture(descriptions=[{"role": "caption", "value": caption}])
    path = write(tmp_path, "story.json", json.dumps(item(associations=[art])))

    _, err, error = run(path)

    assert error is None and "warning: photo alt text: the copy gives none" in err
    alt = Article.objects.get().lead_photo.alt_text
    assert len(alt) <= 500 and alt.endswith("…")
    assert alt.startswith("Lifeboat crews and harbour volunteers")
    assert caption.startswith(alt.removesuffix("…") + " ")


def story_data(**changes):
    """A story as a reader gives it, dated so that only the change warns."""
    changes = {"published_on": datetime.date(2024, 3, 5)} | changes
    data = StoryData(
        format="text", identity="text:1", headline="Harbour reopens", **changes
    )
    return data


def test_a_source_the_database_cannot_hold_is_left_out_and_its_quotes_kept():
    long_name = "Mara " * 60
    story = story_data(
        sources=[
            SourceData(long_name.strip()),
            SourceData("Owen Hart", description="d" * 501),
            SourceData("“…”"),
        ],
        quotes=[
            QuoteData("It is overdue.", "direct", speaker=long_name.strip()),
            QuoteData("Work begins soon.", "paraphrase", speaker="Owen Hart"),
        ],
    )

    warnings = check_story(story)

    assert [source.name for source in story.sources] == ["Owen Hart"]
    assert story.sources[0].description == ""
    assert [quote.speaker for quote in story.quotes] == [None, "Owen Hart"]
    assert len(warnings) == 3
    assert "299 characters, over the 200" in warnings[0]
    assert "kept unattributed" in warnings[0]
    assert "description of “Owen Hart” is 501 characters" in warnings[1]
    assert "has no letters" in warnings[2]


def test_a_source_name_of_exactly_the_limit_is_stored_and_one_more_is_refused():
    """200 characters (the most a source's name may have) is a name; 201 is
    left out with one line saying so, and its quote kept unattributed."""
    at_limit = "Mara " * 39 + "Olsen"  # 200 characters, its key as long
    over = at_limit + "n"
    assert (len(at_limit), len(normalise_name(at_limit))) == (200, 200)
    story = story_data(
        sources=[SourceData(at_limit), SourceData(over)],
        quotes=[
            QuoteData("The wall will hold.", "direct", speaker=at_limit),
            QuoteData("It will not.", "direct", speaker=over),
        ],
    )

    warnings = check_story(story)
    store.store_story(story)

    [warning] = warnings  # one line, for the name over the limit only
    assert warning.startswith("sources: the name “Mara Mara")
    assert "is 201 characters, over the 200 a source's name may have" in warning
    assert warning.endswith(
        "left out, and the quotes found for it are kept unattributed"
    )
    assert list(Source.objects.values_list("name", flat=True)) == [at_limit]
    quotes = Article.objects.get().quotes.order_by("position")
    assert [(q.text, q.source and q.source.name) for q in quotes] == [
        ("The wall will hold.", at_limit),
        ("It will not.", None),
    ]


def test_a_story_within_every_limit_passes_the_check_untouched():
    story = story_data(
        authors=["A" * 200],
        dateline="R" * 100,
        photo=PhotoData(filename="f" * 255, credit="c" * 255, alt_text="a" * 500),
    )

    assert check_story(story) == []


# Dates, control characters, URLs


@pytest.mark.parametrize(
    "moment", ["1700-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00", "0001-01-01"]
)
def test_a_date_outside_the_sane_window_fails_its_story_alone(tmp_path, moment):
    feed = write(
        tmp_path, "feed.json", json.dumps([item(1), item(2, firstCreated=moment)])
    )

    _, err, error = run(feed)

    assert error is not None
    [line] = failed_lines(err)
    assert line.startswith(f"{feed} item 2 (“Harbour reopens, day 2”): failed: ")
    assert "publication time: Enter a time between 1 January 1800 and" in line
    assert Article.objects.count() == 1


def test_control_characters_are_removed_before_storing(tmp_path):
    hostile = item(
        headlines=[{"value": "Harbour\u0000 reopens\u0007 at\u000b dawn\ufffe"}],
        by="Lena\u001b Ortiz",
        bodies=[{"contentType": "text/html", "value": "<p>Ships\u0000 return.</p>"}],
    )
    path = write(tmp_path, "story.json", json.dumps(hostile))

    _, err, error = run(path)

    assert error is None and err == ""
    article = Article.objects.get()
    assert article.headline == "Harbour reopens at dawn"
    assert article.body == "<p>Ships return.</p>"
    assert [b.journalist.name for b in article.bylines.all()] == ["Lena Ortiz"]


def test_control_characters_in_text_copy_are_removed(tmp_path):
    copy = BARRIER.replace("Riverton opens", "Riverton\x07 opens\x0b")
    path = write(tmp_path, "barrier.txt", copy)

    _, _, error = run(path)

    assert error is None
    assert Article.objects.get().headline == (
        "Riverton opens flood barrier after a decade of delays"
    )


# Nesting and size


def test_deeply_nested_json_gets_one_line_and_the_run_goes_on(tmp_path):
    deep = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    good = write(tmp_path, "good.json", json.dumps(item()))

    out, err, error = run(deep, good)

    assert error is not None
    assert failed_lines(err) == [
        f"{deep}: failed: the JSON is nested too deeply to read (a ninjs item is "
        "a few levels deep; this one is far deeper)"
    ]
    assert "1 created" in out and Article.objects.count() == 1


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(tmp_path, settings):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 2000
    big = write(tmp_path, "big.txt", BARRIER + "More copy. " * 200)
    small = write(tmp_path, "small.txt", FERRY)
    assert len(FERRY.encode()) <= 2000 < big.stat().st_size

    out, err, error = run(big, small)

    assert error is not None
    assert failed_lines(err) == [
        f"{big}: failed: too large to import: {big.stat().st_size / 1024:.1f} kB, "
        "over the limit of 2 kB for one file (NEWSROOM_IMPORT_MAX_BYTES); split it "
        "into smaller files"
    ]
    assert list(Article.objects.values_list("headline", flat=True)) == [
        "Ferry fares to rise by a fifth in autumn"
    ]


def test_a_huge_file_is_refused_without_being_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # 50 MB, sparse: no disk space used
        handle.truncate(50 * 1024 * 1024)

    _, err, error = run(huge)

    assert error is not None
    assert "failed: too large to import: 50 MB, over the limit of 5 MB" in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_an_endless_input_is_read_only_up_to_the_limit(settings):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 1000

    _, err, error = run("/dev/zero")  # would never end if read whole

    assert error is not None
    assert "failed: too large to import: more than the limit of 1,000 bytes" in err


def test_standard_input_is_read_only_up_to_the_limit(monkeypatch, settings):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 1000
    stdin = io.BytesIO(b"x" * 100_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))

    _, err, error = run("-")

    assert error is not None
    assert "-: failed: too large to import: more than the limit of 1,000 bytes" in err
    assert stdin.tell() <= 1001 + 8192  # no more than one buffer past the limit


# Encodings


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_unicode_copy_with_a_byte_order_mark_is_decoded(tmp_path, encoding):
    copy = FERRY.replace("Ferry fares", "Ferry fares at Café Øresund")
    data = copy.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = write(tmp_path, "ferry.txt", data)

    _, err, error = run(path)

    assert error is None, err
    assert Article.objects.get().headline.startswith("Ferry fares at Café Øresund")


def test_copy_in_windows_1252_is_refused_with_one_line_unless_its_encoding_is_given(
    tmp_path,
):
    copy = FERRY.replace("Ferry fares", "Café’s ferry fares")
    path = write(tmp_path, "ferry.txt", copy.encode("cp1252"))

    _, err, error = run(path)

    assert error is not None
    assert failed_lines(err) == [
        f"{path}: failed: not UTF-8 text (byte 0xe9 at offset 3); if it is in "
        "another encoding, name it with --encoding (e.g. --encoding cp1252)"
    ]
    assert not Article.objects.exists()

    _, err, error = run(path, "--encoding", "cp1252")

    assert error is None, err
    assert Article.objects.get().headline.startswith("Café’s ferry fares")


def test_invalid_bytes_in_the_named_encoding_are_refused(tmp_path):
    path = write(tmp_path, "ferry.txt", b"Ferry fares rise\n\nFares rise\x81.")

    _, err, error = run(path, "--encoding", "cp1252")

    assert error is not None
    assert failed_lines(err) == [
        f"{path}: failed: not CP1252 text (byte 0x81 at offset 28)"
    ]


@pytest.mark.parametrize("encoding", ["klingon", "rot13"])
def test_an_unknown_encoding_is_refused_before_anything_is_read(tmp_path, encoding):
    path = write(tmp_path, "ferry.txt", FERRY)

    _, _, error = run(path, "--encoding", encoding)

    assert f"--encoding {encoding}: no such encoding" in str(error)
    assert not Article.objects.exists()


# Names in any script


def test_a_chinese_byline_gives_two_journalists_with_their_own_pages(tmp_path, client):
    path = write(tmp_path, "story.json", json.dumps(item(by="王伟 and 李娜")))

    _, err, error = run(path, "--publish")

    assert error is None, err
    article = Article.objects.get()
    journalists = [b.journalist for b in article.bylines.order_by("position")]
    assert [j.name for j in journalists] == ["王伟", "李娜"]
    assert [j.slug for j in journalists] == ["wangwei", "lina"]
    for journalist in journalists:
        page = client.get(journalist.get_absolute_url())
        assert page.status_code == 200
        assert journalist.name in page.content.decode()
        assert article.headline in page.content.decode()


def test_a_chinese_byline_in_syndicated_text_gives_two_journalists(tmp_path):
    copy = FERRY.replace("Lena Ortiz and Jonah Pike", "王伟 and 李娜")
    path = write(tmp_path, "ferry.txt", copy)

    _, err, error = run(path)

    assert error is None, err
    article = Article.objects.get()
    assert [b.journalist.name for b in article.bylines.all()] == ["王伟", "李娜"]
    assert article.publication.name == "The Riverton Courier"


def test_names_that_transliterate_alike_are_still_two_journalists(tmp_path):
    write(tmp_path, "copy/one.json", json.dumps(item(1, by="王伟")))
    write(tmp_path, "copy/two.json", json.dumps(item(2, by="汪伟")))

    _, err, error = run(tmp_path / "copy")

    assert error is None, err
    assert sorted(Journalist.objects.values_list("name", "slug")) == [
        ("汪伟", "wangwei-2"),
        ("王伟", "wangwei"),
    ]


def test_two_khmer_authors_are_never_merged(tmp_path):
    write(tmp_path, "copy/one.json", json.dumps(item(1, by="សុខ ចាន់ដារ៉ា")))
    write(tmp_path, "copy/two.json", json.dumps(item(2, by="សាខ ចាន់ដារ៉ា")))
    write(tmp_path, "copy/three.json", json.dumps(item(3, by="សុខ ចាន់ដារ៉ា")))

    _, err, error = run(tmp_path / "copy")

    assert error is None, err
    assert Journalist.objects.count() == 2
    for number, name in [(1, "សុខ ចាន់ដារ៉ា"), (2, "សាខ ចាន់ដារ៉ា"), (3, "សុខ ចាន់ដារ៉ា")]:
        story = Article.objects.get(provenance__identity=f"urn:hostile-test:{number}")
        assert [b.journalist.name for b in story.bylines.all()] == [name]
    assert all(Journalist.objects.values_list("slug", flat=True))


def test_an_accent_dropped_byline_is_still_the_same_journalist(tmp_path):
    write(tmp_path, "copy/one.json", json.dumps(item(1, by="Ana Núñez")))
    write(tmp_path, "copy/two.json", json.dumps(item(2, by="Ana Nunez")))

    run(tmp_path / "copy")

    assert list(Journalist.objects.values_list("name", "slug")) == [
        ("Ana Núñez", "ana-nunez")
    ]


@pytest.mark.parametrize(
    "byline", ["Lena Ortiz, Lena\u001b Ortiz", "Ana Núñez and Ana Nunez"]
)
def test_two_spellings_of_one_name_in_a_byline_are_one_credit(tmp_path, byline):
    path = write(tmp_path, "story.json", json.dumps(item(by=byline)))

    _, err, error = run(path)

    assert error is None, err
    assert Article.objects.get().bylines.count() == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("សុខ", "សាខ"),  # Khmer vowel signs
        ("सीता", "सिता"),  # Devanagari vowel signs
        ("Йован", "Иован"),  # a Cyrillic letter with a breve is another letter
    ],
)
def test_names_that_differ_by_a_vowel_sign_are_two_sources(first, second):
    assert normalise_name(first) != normalise_name(second)
    Source.objects.create(name=first, slug="one")
    Source.objects.create(name=second, slug="two")  # the key is unique

    assert Source.objects.count() == 2


def test_latin_and_greek_accents_and_arabic_vowel_points_still_fold():
    assert normalise_name("Dr. Ana Núñez") == normalise_name("ana nunez")
    assert normalise_name("Σωκράτης") == normalise_name("ΣΩΚΡΑΤΗΣ")
    assert normalise_name("محمّد") == normalise_name("محمد")


def test_the_data_migration_recomputes_stale_source_keys():
    migration = importlib.import_module(
        "people.migrations.0003_source_normalised_name_keeps_letter_marks"
    )
    source = Source.objects.create(name="សុខ", slug="sok")
    latin = Source.objects.create(name="Ana Núñez", slug="ana")
    Source.objects.filter(pk=source.pk).update(normalised_name="ស ខ")  # old key

    from django.apps import apps

    migration.recompute_keys(apps, None)

    source.refresh_from_db()
    latin.refresh_from_db()
    assert (source.normalised_name, latin.normalised_name) == ("សុខ", "ana nunez")


# The database going away


@pytest.fixture
def images(tmp_path):
    folder = tmp_path / "images"
    folder.mkdir()
    Image.new("RGB", (640, 360), "navy").save(folder / "flood_barrier_opening.jpg")
    return folder


@pytest.fixture
def copy(tmp_path):
    folder = tmp_path / "copy"
    write(folder, "barrier.txt", BARRIER)
    write(folder, "2025/ferry.txt", FERRY)
    return folder


@pytest.fixture
def waits(monkeypatch, settings):
    """The waits between tries, recorded instead of slept."""
    settings.NEWSROOM_IMPORT_DB_RETRIES = 3
    settings.NEWSROOM_IMPORT_DB_RETRY_DELAY = 1
    slept = []
    monkeypatch.setattr(store.time, "sleep", slept.append)
    return slept


def lose_the_database(monkeypatch, times):
    """Make the store step lose its connection ``times`` times (after the
    story's picture files are written), then work again."""
    real = store._journalist
    calls = []

    def journalist(name):
        calls.append(name)
        if len(calls) <= times:
            raise OperationalError("server closed the connection unexpectedly")
        return real(name)

    monkeypatch.setattr(store, "_journalist", journalist)
    return calls


def files_on_disk(folder):
    return {
        str(path.relative_to(folder))
        for path in Path(folder).rglob("*")
        if path.is_file()
    }


def test_the_import_waits_for_the_database_and_then_stores_the_story(
    copy, images, monkeypatch, uploads_in_tmp, waits
):
    lose_the_database(monkeypatch, times=2)

    out, err, error = run(copy / "barrier.txt", "--images", images)

    assert error is None
    assert err.splitlines() == [
        "database unavailable (server closed the connection unexpectedly); "
        "retrying in 1 s (retry 1 of 3)",
        "database unavailable (server closed the connection unexpectedly); "
        "retrying in 2 s (retry 2 of 3)",
    ]
    assert waits == [1, 2]
    assert "1 created" in out
    photo = Article.objects.get().lead_photo
    assert photo.has_file
    # The two failed tries wrote the picture and its renditions too: all gone.
    assert files_on_disk(uploads_in_tmp) == set(stored_files(photo))


def test_a_database_that_stays_away_fails_each_story_alone_and_leaves_no_files(
    copy, images, monkeypatch, uploads_in_tmp, waits
):
    calls = lose_the_database(monkeypatch, times=10**6)

    report, err, error = run_json(copy, "--images", images)

    assert error is not None  # non-zero exit status
    assert waits == [1, 2, 4]
    assert len(calls) == 4  # the first story, tried four times; the next one not
    assert [line.split(";")[1] for line in err.splitlines()] == [
        " retrying in 1 s (retry 1 of 3)",
        " retrying in 2 s (retry 2 of 3)",
        " retrying in 4 s (retry 3 of 3)",
    ]
    barrier, ferry = report["stories"]
    assert barrier["status"] == ferry["status"] == "failed"
    assert barrier["error"].startswith(
        "database unavailable (server closed the connection unexpectedly); gave up "
        "after 4 tries"
    )
    assert ferry["error"] == "not tried: the database was unavailable after 4 tries"
    assert ferry["headline"] == "Ferry fares to rise by a fifth in autumn"
    assert not Article.objects.exists() and not Photo.objects.exists()
    assert files_on_disk(uploads_in_tmp) == set()


def test_a_database_that_stays_away_gets_one_line_per_story(copy, monkeypatch, waits):
    lose_the_database(monkeypatch, times=10**6)

    out, err, error = run(copy)

    assert error is not None
    lines = failed_lines(err)
    assert len(lines) == 2
    assert lines[0].startswith(
        f"{copy / 'barrier.txt'} (“Riverton opens flood barrier after a decade of "
        "delays”): failed: database unavailable"
    )
    assert lines[1] == (
        f"{copy / '2025' / 'ferry.txt'} (“Ferry fares to rise by a fifth in "
        "autumn”): failed: not tried: the database was unavailable after 4 tries"
    )
    assert "2 failed" in out


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql("needs a server connection to lose")
def test_a_connection_really_lost_is_reopened_and_the_story_stored(
    copy, monkeypatch, waits
):
    real = store._journalist
    lost = []

    def journalist(name):
        if not lost:
            lost.append(name)
            connection.connection.close()  # the server is gone, as far as we know
        return real(name)

    monkeypatch.setattr(store, "_journalist", journalist)

    out, err, error = run(copy / "barrier.txt")

    assert error is None, err
    assert "database unavailable" in err and "retrying in 1 s (retry 1 of 3)" in err
    assert Article.objects.get().bylines.get().journalist.name == "Lena Ortiz"
