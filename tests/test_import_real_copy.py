"""What real copy carries beyond the story is stored, and --publish applies the
desk's publishing rules: a story that fails them, or has no date of its own,
stays a draft and its report line says why. All copy here is our own."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Correction

pytestmark = pytest.mark.django_db

WIRE = """\
Coast

Harbour town votes to keep its last ferry running

Islanders packed the hall to save the crossing, which the operator says loses \
money every winter.

By Lena Ortiz

Posted: Jun 3, 2025 / 09:00 AM UTC

Updated: Jun 4, 2025 / 11:30 AM UTC

PORT ALDREN (AP) — Residents voted on Thursday to pay a yearly levy that keeps \
the island ferry sailing through the winter.

The operator had warned that the route would close in November unless the town \
found the money.

“Without the boat we are cut off for four months,” said Mara Ellis.

Jonah Pike contributed to this report.

Correction: An earlier version of this story gave the wrong levy.

This story originally appeared in the Kestrel Isles Gazette.
"""


def write(tmp_path, text, name="story.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_stories", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def without(text, *lines):
    for line in lines:
        assert line in text
        text = text.replace(line + "\n\n", "")
    return text


def test_agency_and_origin_are_stored_as_provenance_and_shown_to_readers(
    tmp_path, client
):
    run(write(tmp_path, WIRE), "--publish")

    article = Article.objects.get()
    assert article.dateline == "PORT ALDREN"
    assert article.provenance_note == (
        "AP; This story originally appeared in the Kestrel Isles Gazette."
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "originally appeared in the Kestrel Isles Gazette" in page
    assert "Residents voted on Thursday" in page
    assert "PORT ALDREN (AP)" not in page


def test_provenance_is_in_the_admin(tmp_path, admin_client):
    run(write(tmp_path, WIRE))
    article = Article.objects.get()

    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/")

    assert page.status_code == 200
    assert 'name="provenance_note"' in page.content.decode()


def test_end_notes_become_contributors_and_corrections(tmp_path, client):
    run(write(tmp_path, WIRE), "--publish")

    article = Article.objects.get()
    credits = [(b.journalist.name, b.role) for b in article.bylines.all()]
    assert credits == [("Lena Ortiz", ""), ("Jonah Pike", "Contributor")]
    assert list(Correction.objects.values_list("text", flat=True)) == [
        "Correction: An earlier version of this story gave the wrong levy."
    ]
    body = article.body
    assert "contributed" not in body and "Correction" not in body
    assert "originally appeared" not in body
    page = client.get(article.get_absolute_url()).content.decode()
    assert "gave the wrong levy" in page


def test_the_update_time_becomes_the_revised_time(tmp_path):
    run(write(tmp_path, WIRE))

    article = Article.objects.get()
    assert article.published_at == datetime.datetime(
        2025, 6, 3, 9, 0, tzinfo=datetime.UTC
    )
    assert article.revised_at == datetime.datetime(
        2025, 6, 4, 11, 30, tzinfo=datetime.UTC
    )


def test_importing_twice_adds_no_second_correction(tmp_path):
    path = write(tmp_path, WIRE)
    run(path)
    path.write_text(WIRE.replace("four months", "four long months"), "utf-8")
    run(path, "--update")

    assert Correction.objects.count() == 1


def test_publish_publishes_a_story_that_passes_the_desks_rules(tmp_path):
    _, err, error = run(write(tmp_path, WIRE), "--publish")

    assert error is None and "kept as a draft" not in err
    assert Article.objects.published().count() == 1


@pytest.mark.parametrize(
    ("changed", "reason"),
    [
        (
            lambda text: text.replace("PORT ALDREN (AP) — ", ""),
            "A published story needs a dateline.",
        ),
        (
            lambda text: without(
                text, "By Lena Ortiz", "Jonah Pike contributed to this report."
            ),
            "A published story needs at least one byline.",
        ),
        (
            lambda text: without(
                text,
                "Posted: Jun 3, 2025 / 09:00 AM UTC",
                "Updated: Jun 4, 2025 / 11:30 AM UTC",
            ),
            "The copy gives no date",
        ),
    ],
    ids=["no dateline", "no byline", "no date"],
)
def test_publish_keeps_a_story_that_fails_them_a_draft_and_says_why(
    tmp_path, changed, reason
):
    _, err, error = run(write(tmp_path, changed(WIRE)), "--publish")

    assert error is None
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()
    line = next(line for line in err.splitlines() if "kept as a draft" in line)
    assert "story.txt" in line and reason in line


def test_publish_keeps_a_story_whose_photo_has_no_credit_a_draft(tmp_path):
    text = WIRE.replace(
        "Coast\n\n", "ferry_at_dawn.jpg\n\nThe ferry leaves the quay at dawn.\n\n"
    )
    _, err, _ = run(write(tmp_path, text), "--publish")

    assert Article.objects.get().status == Article.Status.DRAFT
    assert "The lead photo needs a credit" in err


def test_a_story_without_a_date_is_imported_with_a_warning_and_no_date(tmp_path):
    text = without(
        WIRE,
        "Posted: Jun 3, 2025 / 09:00 AM UTC",
        "Updated: Jun 4, 2025 / 11:30 AM UTC",
    )
    _, err, error = run(write(tmp_path, text))

    assert error is None
    article = Article.objects.get()
    assert article.published_at is None
    assert "story.txt" in err and "date: none found in the copy" in err


def test_a_published_story_refreshed_from_copy_that_fails_the_rules_says_so(
    tmp_path,
):
    path = write(tmp_path, WIRE)
    run(path, "--publish")
    path.write_text(WIRE.replace("PORT ALDREN (AP) — ", ""), "utf-8")

    _, err, error = run(path, "--publish", "--update")

    assert error is None
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED and article.dateline == ""
    assert "still published, though: A published story needs a dateline." in err
