import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from articles.models import Article, Quote, StoryImport
from media.models import Photo
from people.models import Journalist, Source
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db

BARRIER = """\
Riverton opens flood barrier after a decade of delays

The barrier protects 4,000 homes along the Tamsin river, officials said.

Lena Ortiz

Lena Ortiz

The Riverton Courier

flood_barrier_opening.jpg

Workers inspect the new barrier gates on Monday. PHOTO: CITY OF RIVERTON/ THE COURIER

June 3, 2025

RIVERTON – The city opened its long-delayed flood barrier on Monday, ending a \
decade of planning disputes.

Mara Ellis, a hydrologist at Tamsin University, described the gates as overdue.

“This is the most important thing the city has built in fifty years,” she said.

Mayor Tom Hale cut the ribbon at the ceremony.

scroll to top
"""

FERRY = """\
Ferry fares to rise by a fifth in autumn

Lena Ortiz and Jonah Pike

The Riverton Courier

September 9, 2025

RIVERTON — Ferry fares will rise by a fifth from October, the operator said.

Mara Ellis, a hydrologist at Tamsin University, said the ferries are overdue for \
new hulls.

“Older boats burn far more fuel,” Ellis said.
"""


def write(folder, name, text):
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    """Run import_stories; return (stdout, stderr, error or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_stories", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def run_json(*args):
    out, err, error = run(*args, "--json")
    return json.loads(out), err, error


@pytest.fixture
def copy(tmp_path):
    folder = tmp_path / "copy"
    write(folder, "barrier.txt", BARRIER)
    write(folder, "2025/ferry.txt", FERRY)
    return folder


@pytest.fixture
def images(tmp_path):
    folder = tmp_path / "images"
    folder.mkdir()
    Image.new("RGB", (640, 360), "navy").save(folder / "flood_barrier_opening.jpg")
    return folder


def test_import_stores_a_syndicated_story_as_a_draft_with_everything_it_carries(
    copy, images
):
    out, err, error = run(copy / "barrier.txt", "--images", images)

    assert error is None and err == ""
    assert "Imported 1 stories: 1 created" in out
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and not article.is_published()
    assert article.headline == "Riverton opens flood barrier after a decade of delays"
    assert article.standfirst.startswith("The barrier protects 4,000 homes")
    assert [b.journalist.name for b in article.bylines.all()] == ["Lena Ortiz"]
    assert article.publication.name == "The Riverton Courier"
    assert article.dateline == "RIVERTON"
    assert article.published_date_only and str(article.published_on) == "2025-06-03"
    assert article.body.startswith("<p>The city opened its long-delayed flood")
    assert "scroll to top" not in article.body
    photo = article.lead_photo
    assert photo.caption == "Workers inspect the new barrier gates on Monday."
    assert photo.credit == "CITY OF RIVERTON/ THE COURIER"
    assert photo.has_file and (photo.width, photo.height) == (640, 360)
    assert photo.original_filename == "flood_barrier_opening.jpg"
    provenance = article.provenance
    assert provenance.format == "text" and provenance.filename.endswith("barrier.txt")
    assert provenance.identity.startswith("text:")


def test_import_finds_who_said_what(copy):
    run(copy / "barrier.txt")
    article = Article.objects.get()

    source = Source.objects.get()
    assert source.name == "Mara Ellis"
    assert source.description == "a hydrologist at Tamsin University"
    direct = article.quotes.get(kind=Quote.Kind.DIRECT)
    assert direct.text.startswith("This is the most important thing")
    assert direct.source == source
    assert not Source.objects.filter(name__in=["Lena Ortiz", "Tom Hale"]).exists()


def test_the_same_source_in_two_stories_is_one_source(copy):
    run(copy)
    assert Article.objects.count() == 2
    assert list(Source.objects.values_list("name", flat=True)) == ["Mara Ellis"]
    assert Quote.objects.filter(source__name="Mara Ellis").count() >= 3
    assert Journalist.objects.filter(name="Lena Ortiz").count() == 1


def test_several_authors_become_ordered_bylines(copy):
    run(copy / "2025" / "ferry.txt")
    names = [b.journalist.name for b in Article.objects.get().bylines.all()]
    assert names == ["Lena Ortiz", "Jonah Pike"]


def test_running_the_same_import_again_changes_nothing(copy, images):
    run(copy, "--images", images)
    before = list(Article.objects.values_list("id", "updated_at"))
    counts = (Photo.objects.count(), Quote.objects.count(), Source.objects.count())

    report, _, error = run_json(copy, "--images", images)

    assert error is None
    assert (report["created"], report["unchanged"]) == (0, 2)
    assert list(Article.objects.values_list("id", "updated_at")) == before
    assert (Photo.objects.count(), Quote.objects.count(), Source.objects.count()) == (
        counts
    )


def test_update_leaves_copy_that_has_not_changed_alone(copy, images):
    from reversion.models import Version

    run(copy, "--images", images, "--update")

    def stored():
        return {
            "articles": list(Article.objects.values_list("id", "updated_at", "body")),
            "imports": list(
                StoryImport.objects.values_list(
                    "identity", "copy_checksum", "story_checksum"
                )
            ),
            "versions": [
                Version.objects.get_for_object(article).count()
                for article in Article.objects.order_by("id")
            ],
            "rows": (
                Photo.objects.count(),
                Quote.objects.count(),
                Source.objects.count(),
            ),
        }

    before = stored()
    report, out, error = run_json(copy, "--images", images, "--update")

    assert error is None
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 2)
    assert [story["status"] for story in report["stories"]] == ["unchanged"] * 2
    assert stored() == before
    assert len(before["articles"]) == 2 and before["versions"] == [0, 0]


def test_changed_copy_is_refreshed_only_with_update(copy):
    run(copy / "barrier.txt")
    write(copy, "barrier.txt", BARRIER.replace("ending a decade", "closing a decade"))

    report, _, _ = run_json(copy / "barrier.txt")
    assert report["stories"][0]["status"] == "skipped"
    assert "--update" in report["stories"][0]["error"]
    assert "ending a decade" in Article.objects.get().body

    report, _, _ = run_json(copy / "barrier.txt", "--update")
    assert report["updated"] == 1
    assert "closing a decade" in Article.objects.get().body
    assert Article.objects.count() == 1


def test_update_never_overwrites_a_story_an_editor_has_edited(copy):
    run(copy / "barrier.txt")
    article = Article.objects.get()
    article.headline = "Flood barrier finally opens"
    article.save()
    write(copy, "barrier.txt", BARRIER.replace("ending a decade", "closing a decade"))

    report, _, error = run_json(copy / "barrier.txt", "--update")

    assert error is None
    assert report["stories"][0]["status"] == "skipped"
    assert "edited in the newsroom" in report["stories"][0]["error"]
    article.refresh_from_db()
    assert article.headline == "Flood barrier finally opens"
    assert "ending a decade" in article.body


def test_dry_run_reports_and_writes_nothing(copy, images, uploads_in_tmp):
    report, _, error = run_json(copy, "--images", images, "--dry-run")

    assert error is None and report["dry_run"] is True
    assert report["created"] == 2
    assert all(story["id"] is None for story in report["stories"])
    assert not Article.objects.exists() and not Photo.objects.exists()
    assert not Source.objects.exists() and not Journalist.objects.exists()
    assert not list(Path(uploads_in_tmp).rglob("*.jpg"))


def test_publish_flag_publishes_on_the_copys_date(copy):
    run(copy / "barrier.txt", "--publish")
    article = Article.objects.published().get()
    assert str(article.published_on) == "2025-06-03"


def test_json_report_has_the_documented_shape(copy, tmp_path):
    bad = write(tmp_path, "empty.txt", "")
    report, _, error = run_json(copy, bad)

    assert error is not None
    assert set(report) >= {"created", "updated", "unchanged", "failed", "stories"}
    assert (report["created"], report["failed"]) == (2, 1)
    ferry = next(s for s in report["stories"] if s["file"].endswith("ferry.txt"))
    article = Article.objects.get(pk=ferry["id"])
    assert ferry == {
        "file": str(copy / "2025" / "ferry.txt"),
        "status": "created",
        "id": article.pk,
        "headline": article.headline,
        "url": article.get_absolute_url(),
    }
    failed = next(s for s in report["stories"] if s["status"] == "failed")
    assert failed["file"] == str(bad) and failed["id"] is None and failed["error"]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
        ("latin1.txt", "Caf\xe9 owners protest\n\nBody.".encode("latin-1"), "UTF-8"),
        ("invalid.json", b'{"uri": "urn:x", "headlines": [', "JSON"),
        ("impossible.txt", BARRIER.replace("June 3", "June 31").encode(), "date"),
    ],
)
def test_a_bad_file_gets_one_clear_line_and_the_rest_still_import(
    copy, tmp_path, name, content, problem
):
    bad = write(tmp_path / "bad", name, content)

    out, err, error = run(copy, bad)

    assert error is not None  # non-zero exit status
    lines = [line for line in err.splitlines() if "failed" in line]
    assert len(lines) == 1
    assert (
        lines[0].startswith(f"{bad}: failed:") and problem.lower() in lines[0].lower()
    )
    assert Article.objects.count() == 2
    assert "2 created" in out and "1 failed" in out


def test_a_missing_file_is_reported_not_a_traceback(tmp_path):
    _, err, error = run(tmp_path / "nope.txt")
    assert error is not None and "cannot read the file" in err


def test_a_story_that_fails_to_store_leaves_nothing_behind(copy, monkeypatch):
    from articles.importing import store

    real = store._publication

    def explode_for_ferry(name):
        publication = real(name)
        if Article.objects.filter(headline__startswith="Riverton").exists():
            raise RuntimeError("database went away")
        return publication

    monkeypatch.setattr(store, "_publication", explode_for_ferry)
    report, _, error = run_json(copy)

    assert error is not None and report["failed"] == 1
    assert list(Article.objects.values_list("headline", flat=True)) == [
        "Riverton opens flood barrier after a decade of delays"
    ]
    assert Quote.objects.exclude(article__headline__startswith="Riverton").count() == 0
    assert not Journalist.objects.filter(name="Jonah Pike").exists()


def test_a_story_that_fails_after_storing_its_picture_leaves_no_files(
    copy, images, monkeypatch, uploads_in_tmp
):
    from articles.importing import store

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(store, "_journalist", explode)
    report, _, error = run_json(copy / "barrier.txt", "--images", images)

    assert error is not None and report["failed"] == 1
    assert not Photo.objects.exists()
    assert [p for p in Path(uploads_in_tmp).rglob("*") if p.is_file()] == []


def test_a_picture_not_found_keeps_caption_and_credit_with_a_warning(copy, tmp_path):
    empty = tmp_path / "no-images"
    empty.mkdir()
    out, err, error = run(copy / "barrier.txt", "--images", empty)

    assert error is None
    assert "warning: picture “flood_barrier_opening.jpg” not found" in err
    photo = Article.objects.get().lead_photo
    assert not photo.has_file
    assert photo.caption == "Workers inspect the new barrier gates on Monday."
    assert photo.credit == "CITY OF RIVERTON/ THE COURIER"


def test_standard_input_is_read_with_a_dash(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(FERRY.encode())))
    report, _, error = run_json("-")
    assert error is None and report["stories"][0]["file"] == "-"
    assert Article.objects.get().headline == "Ferry fares to rise by a fifth in autumn"


def test_ninjs_items_are_imported_with_their_uri_as_identity(tmp_path):
    item = {
        "uri": "urn:newsroom-test:2025:tram-strike",
        "type": "text",
        "headlines": [{"role": "main", "value": "Tram drivers vote to strike"}],
        "descriptions": [{"role": "summary", "value": "Services stop on Friday."}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": "<p>Drivers voted on Tuesday.</p><p>Talks resume.</p>",
            }
        ],
        "by": "Jonah Pike",
        "located": "RIVERTON",
        "firstCreated": "2025-05-01T08:30:00+02:00",
        "copyrightHolder": "Riverton Wire",
    }
    path = write(tmp_path, "strike.json", json.dumps([item]))
    report, _, error = run_json(path, "--publish")

    assert error is None and report["created"] == 1
    article = Article.objects.published().get()
    assert article.headline == "Tram drivers vote to strike"
    assert article.dateline == "RIVERTON"
    assert article.body == "<p>Drivers voted on Tuesday.</p><p>Talks resume.</p>"
    assert article.published_at.isoformat() == "2025-05-01T06:30:00+00:00"
    assert article.provenance.identity == "urn:newsroom-test:2025:tram-strike"
    assert article.provenance.format == StoryImport.Format.NINJS

    report, _, _ = run_json(path)
    assert report["unchanged"] == 1


def test_the_seed_story_imports_exactly(tmp_path):
    seed = shared_file("seed/rcaf-delegation-china.txt")
    run(seed, "--images", tmp_path)
    article = Article.objects.get()

    assert article.headline == (
        "Royal Cambodian Armed Forces leading delegation to China to boost "
        "military ties"
    )
    assert [b.journalist.name for b in article.bylines.all()] == ["Samban Chandara"]
    assert article.publication.name == "The Phnom Penh Post"
    assert str(article.published_on) == "2024-03-25"
    assert article.dateline == "PHNOM PENH"
    assert article.lead_photo.caption == (
        "RCAF deputy commander General Mao Sophan (right) is visiting China "
        "from March 25-29."
    )
    assert article.lead_photo.credit == "ROYAL CAMBODIAN ARMY/ THE PHNOM PENH POST"
    assert article.body.count("<p>") == 12
    assert article.body.startswith("<p>General Mao Sophan, deputy commander")
    assert "scroll to top" not in article.body

    sources = {s.name: s for s in Source.objects.all()}
    assert sources["Seun Sam"].description == (
        "an international relations researcher at the Royal Academy of Cambodia"
    )
    assert sources["Seng Vanly"].description == (
        "a lecturer of international relations and regional politics observer"
    )
    for name in ["Mao Sophan", "Li Qiaoming", "Dong Jun", "Hun Manet", "Samban"]:
        assert not any(name in source for source in sources)

    def speaker(start):
        quote = article.quotes.get(kind="direct", text__startswith=start)
        return quote.source.name

    assert speaker("More than 100 countries") == "Seun Sam"
    assert speaker("There are both positive") == "Seng Vanly"
    assert "Cambodian Army" in speaker("This visit aims")


def test_the_shared_ninjs_samples_import(tmp_path):
    samples = sorted(shared_file("samples/ninjs").glob("*.json"))
    report, err, error = run_json(*samples)
    assert error is None, err
    assert report["created"] == 2
    assert Article.objects.filter(lead_photo__isnull=False).count() >= 1


def test_a_refresh_keeps_the_story_as_it_was_imported_in_its_history(copy):
    from reversion.models import Version

    run(copy / "barrier.txt")
    article = Article.objects.get()
    assert not Version.objects.get_for_object(article).exists()

    write(copy, "barrier.txt", BARRIER.replace("ending a decade", "closing a decade"))
    run(copy / "barrier.txt", "--update")

    newest, oldest = Version.objects.get_for_object(article)
    assert oldest.revision.comment == "Before refresh"
    assert "ending a decade" in oldest.field_dict["body"]
    assert newest.revision.comment == f"Refreshed from {copy / 'barrier.txt'}"
    assert "closing a decade" in newest.field_dict["body"]


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_bar_only_on_a_terminal(copy, terminal):
    out = Terminal() if terminal else io.StringIO()
    call_command("import_stories", str(copy), stdout=out, stderr=io.StringIO())
    shown = "2/2" in out.getvalue()
    assert shown == terminal
    assert "Imported 2 stories: 2 created" in out.getvalue()
