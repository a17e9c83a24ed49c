"""A story's History reads as words: what each version changed, and the
compare page's marked words by paragraph, tags, bylines, photo, quotes and
corrections; only for those allowed, in a fixed number of queries."""

import logging

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import publishing
from articles.history_diff import (
    block_diff,
    html_blocks,
    transition_line,
    what_changed,
    word_diff,
)
from articles.models import Article

from .admin_forms import posted_back
from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    PhotoFactory,
    QuoteFactory,
    SourceFactory,
)
from .markup import parse, table_rows, words

pytestmark = pytest.mark.django_db

BODY = (
    "<p>The ferry leaves at six every morning.</p>"
    "<p>Tickets cost two dollars for adults.</p>"
    "<p>The harbour master said the timetable holds all winter.</p>"
)


def member(username, role):
    user = User.objects.create_user(username, password="s3cret-pass!", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor():
    return member("ed", "Editor")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article):
    return reverse("admin:articles_article_compare", args=[article.pk])


def revision_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def versions_of(article):
    return list(Version.objects.get_for_object(article))  # newest first


def save_form(client, article, **changes):
    response = client.get(change_url(article))
    saved = client.post(change_url(article), posted_back(response, **changes))
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    return saved


def compared(client, article, older, newer):
    response = client.get(
        compare_url(article), {"version_id1": older.pk, "version_id2": newer.pk}
    )
    assert response.status_code == 200
    return response


def parts(response):
    """The compare page's parts: title → the texts of its rows, each with its
    added and removed words as a reader of the page sees them marked."""
    page = parse(response.content.decode())
    found = {}
    for section in page.find_all("section"):
        title = next(e for e in page.elements if e.tag == "h2" and e.parent is section)
        rows = [
            e
            for e in page.elements
            if e.tag in ("div", "li") and _within(e, section)
            if set(e.attrs.get("class", "").split()) & {"diff-row", "chip"}
        ]
        found[words(title.text)] = [
            {
                "class": row.attrs["class"],
                "text": words(row.text),
                "added": [words(i.text) for i in _inside(page, row, "ins")],
                "removed": [words(d.text) for d in _inside(page, row, "del")],
                "folded": _folded(row, section),
            }
            for row in rows
        ]
    return found


def _within(element, ancestor):
    while element is not None:
        if element is ancestor:
            return True
        element = element.parent
    return False


def _inside(page, row, tag):
    return [e for e in page.elements if e.tag == tag and _within(e, row)]


def _folded(row, section):
    element = row.parent
    while element is not None and element is not section:
        if element.tag == "details":
            return True
        element = element.parent
    return False


@pytest.fixture
def story(editor):
    """A published story with a byline, a lead photo, a quote of an anonymous
    source and two tags, as its first version in History."""
    article = ArticleFactory(
        headline="Ferry timetable stays the same",
        standfirst="The winter timetable starts in November.",
        body=BODY,
        lead_photo=PhotoFactory(caption="The morning ferry at the quay."),
    )
    BylineFactory(article=article, journalist=JournalistFactory(name="Ana Ruiz"))
    QuoteFactory(
        article=article,
        text="The timetable holds all winter.",
        source=SourceFactory(
            name="Piet Vos", on_record=False, description="a harbour official"
        ),
    )
    article.tags.add("ferries", "harbour")
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def edited(client, editor, story):
    """The story after one save of the form that changed a bit of everything."""
    client.force_login(editor)
    new_photo = PhotoFactory(caption="Passengers boarding in the rain.")
    bea = JournalistFactory(name="Bea Lind")
    when = timezone.localtime()
    save_form(
        client,
        story,
        headline="Ferry timetable changes in winter",
        standfirst="The winter timetable starts in December.",
        body=(
            "<p>The ferry leaves at seven every morning.</p>"
            "<p>Tickets cost two dollars for adults.</p>"
            "<p>The harbour master said the timetable holds all winter.</p>"
            "<p>A late boat runs on Fridays.</p>"
        ),
        tags="harbour, timetables",
        lead_photo=new_photo.pk,
        **{
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-journalist": bea.pk,
            "bylines-1-position": "1",
            "bylines-1-role": "Additional reporting",
            "quotes-0-text": "The timetable holds all winter and spring.",
            "quotes-TOTAL_FORMS": "2",
            "quotes-1-text": "Friday boats will be busy.",
            "quotes-1-kind": "paraphrase",
            "quotes-1-position": "1",
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-text": "The first ferry leaves at seven, not six.",
            "corrections-0-published_at_0": when.strftime("%Y-%m-%d"),
            "corrections-0-published_at_1": when.strftime("%H:%M:%S"),
        },
    )
    newer, older = versions_of(story)[:2]
    return story, older, newer


# The compare page -----------------------------------------------------------


def test_the_body_is_compared_by_paragraph_with_the_changed_words_marked(
    client, edited
):
    story, older, newer = edited
    response = compared(client, story, older, newer)
    body = parts(response)["Body"]

    changed = [row for row in body if "diff-row--changed" in row["class"]]
    assert [(row["removed"], row["added"]) for row in changed] == [
        (["[removed: six]"], ["[added: seven]"])
    ]
    assert "The ferry leaves at" in changed[0]["text"]
    added = [row for row in body if "diff-row--added" in row["class"]]
    assert [row["text"] for row in added] == ["[added: A late boat runs on Fridays.]"]
    # The two paragraphs that did not change are folded away, not dropped.
    folded = [row["text"] for row in body if row["folded"]]
    assert folded == [
        "Tickets cost two dollars for adults.",
        "The harbour master said the timetable holds all winter.",
    ]
    assert "2 paragraphs unchanged" in words(parse(response.content.decode()).text)
    # Rendered text, never the body's HTML.
    assert "&lt;p&gt;" not in response.content.decode()


def test_the_headline_and_standfirst_are_compared_word_by_word(client, edited):
    story, older, newer = edited
    found = parts(compared(client, story, older, newer))

    (headline,) = found["Headline"]
    assert headline["removed"] == ["[removed: stays the same]"]
    assert headline["added"] == ["[added: changes in winter]"]
    (standfirst,) = found["Standfirst"]
    assert (standfirst["removed"], standfirst["added"]) == (
        ["[removed: November]"],
        ["[added: December]"],
    )


def test_tags_are_compared_without_errors_in_the_log(client, edited, caplog):
    story, older, newer = edited
    with caplog.at_level(logging.WARNING):
        found = parts(compared(client, story, older, newer))
        client.get(history_url(story))

    chips = {row["text"]: row["class"].split()[-1] for row in found["Tags"]}
    assert chips == {
        "[removed: ferries]": "chip--removed",
        "harbour": "chip--same",
        "[added: timetables]": "chip--added",
    }
    assert [r.getMessage() for r in caplog.records] == []


def test_bylines_photo_quotes_and_corrections_are_compared_in_words(client, edited):
    story, older, newer = edited
    found = parts(compared(client, story, older, newer))

    assert [row["text"] for row in found["Bylines"]] == [
        "Ana Ruiz",
        "Byline added [added: Bea Lind (Additional reporting)]",
    ]
    photo = [row["text"] for row in found["Lead photo"]]
    assert photo == [
        "Before [removed: The morning ferry at the quay. (Photo: Ana Ruiz/The "
        "Newsroom)]",
        "After [added: Passengers boarding in the rain. (Photo: Ana Ruiz/The "
        "Newsroom)]",
    ]
    quotes = found["Quotes"]
    assert quotes[0]["text"].startswith("Quote changed")
    assert quotes[0]["added"] == ["[added: and spring]"]
    assert "Piet Vos" in quotes[0]["text"]  # an editor knows the anonymous source
    assert quotes[1]["text"] == (
        "Quote added [added: “Friday boats will be busy.” — unattributed, paraphrase]"
    )
    (correction,) = found["Corrections"]
    assert correction["text"].startswith("Correction added (")
    assert correction["added"] == ["[added: The first ferry leaves at seven, not six.]"]
    assert "Correction to" not in compared(client, story, older, newer).content.decode()


def test_the_compare_page_says_what_changed_and_so_does_the_saved_comment(
    client, edited
):
    story, older, newer = edited
    page = parse(compared(client, story, older, newer).content.decode())
    summary = [
        words(e.text)
        for e in page.elements
        if e.tag == "li"
        and e.parent
        and "story-compare__summary" in e.parent.attrs.get("class", "")
    ]
    expected = [
        "Updated after publication",
        "Headline, body and standfirst changed",
        "Lead photo changed",
        "Tags changed",
        "Bylines changed",
        "Quote added",
        "Quote changed",
        "Correction added: The first ferry leaves at seven, not six.",
    ]
    assert summary == expected
    assert newer.revision.comment == ". ".join(expected)


def test_an_anonymous_source_is_named_on_the_compare_page_only_to_those_who_may_know(
    client, edited
):
    story, older, newer = edited
    assert "Piet Vos" in compared(client, story, older, newer).content.decode()
    client.force_login(member("rita", "Reporter"))
    page = compared(client, story, older, newer).content.decode()
    assert "Piet Vos" not in page and "a harbour official" in page


# History lines -------------------------------------------------------------


def test_history_lines_say_what_each_version_changed(client, editor):
    article = ArticleFactory(draft=True, body=BODY, headline="Ferry timetable")
    BylineFactory(article=article)
    client.force_login(editor)
    save_form(client, article, headline="Ferry timetable for winter")
    save_form(
        client,
        article,
        body=BODY.replace("six", "seven"),
        standfirst="Now with a late boat.",
    )
    publishing.submit_for_review(article=Article.objects.get(pk=article.pk), by=editor)
    publishing.publish(article=Article.objects.get(pk=article.pk), by=editor)
    publishing.correct(
        article=Article.objects.get(pk=article.pk), by=editor, text="It is seven."
    )
    save_form(client, article, tags="ferries")
    publishing.unpublish(article=Article.objects.get(pk=article.pk), by=editor)
    publishing.kill(
        article=Article.objects.get(pk=article.pk), by=editor, reason="Wrong port."
    )

    rows = table_rows(
        client.get(history_url(article)).content.decode(), "change-history"
    )
    lines = [row.split(" ed ", 1)[1] if " ed " in row else row for row in rows]
    assert lines == [
        "Killed: Wrong port.",
        "Unpublished",
        "Tags changed",
        "Correction added: It is seven.",
        "Published",
        "Submitted for review",
        "Body and standfirst changed",
        "Headline changed",
        lines[-1],  # the story as first stored
    ]
    assert lines[-1].endswith("Before the first edit")


def test_old_generic_comments_read_as_what_changed(client, editor):
    """Versions saved before these lines said "Changed Status." or "Published.
    Changed Headline."; the list says what those versions changed."""
    import reversion

    article = ArticleFactory(draft=True)
    BylineFactory(article=article)
    for comment, change in [
        ("Added.", {}),
        ("Changed Status.", {"status": "review"}),
        (
            "Published. Changed Headline.",
            {"status": "published", "headline": "New", "published_at": timezone.now()},
        ),
    ]:
        for name, value in change.items():
            setattr(article, name, value)
        with reversion.create_revision():
            article.save()
            reversion.set_comment(comment)
    client.force_login(editor)

    rows = table_rows(
        client.get(history_url(article)).content.decode(), "change-history"
    )
    expected = ["Published. Headline changed", "Submitted for review", "Created"]
    assert len(rows) == len(expected)
    for row, line in zip(rows, expected, strict=True):
        assert row.endswith(line), row


def test_the_wording_lives_in_one_place():
    assert transition_line("sent_back", note="Needs a second source.") == (
        "Sent back: Needs a second source."
    )
    assert transition_line("killed", reason="Libel risk.") == "Killed: Libel risk."


# Text diffs, without the database -------------------------------------------


def test_word_diff_marks_whole_words():
    segments = word_diff("The council voted 9 to 2.", "The city council voted 9 to 3.")
    assert [(s.op, s.text) for s in segments if s.op != "same"] == [
        ("added", "city "),
        ("removed", "2"),
        ("added", "3"),
    ]


def test_blocks_are_the_text_a_reader_reads():
    blocks = html_blocks(
        "<h2>Sub</h2><p>One <strong>bold</strong> word.</p>"
        "<ul><li><p>First</p></li><li>Second</li></ul>"
        "<blockquote><p>Quoted.</p></blockquote>"
    )
    assert [(b.kind, b.text) for b in blocks] == [
        ("h", "Sub"),
        ("p", "One bold word."),
        ("li", "First"),
        ("li", "Second"),
        ("quote", "Quoted."),
    ]
    rewritten = block_diff(
        html_blocks("<p>Alpha beta gamma.</p>"),
        html_blocks("<p>Something else entirely here.</p>"),
    )
    assert [c.change for c in rewritten] == ["removed", "added"]


def test_what_changed_reads_status_changes_from_the_states():
    from articles.history_diff import StoryState

    draft = StoryState({"status": "review", "headline": "A"})
    back = StoryState({"status": "draft", "headline": "A"})
    assert what_changed(draft, back) == ["Withdrawn from review"]
    moved = StoryState({"status": "draft", "canonical_url": "https://a.example/"})
    assert what_changed(StoryState({"status": "draft"}), moved) == [
        "Original URL changed"
    ]
    assert what_changed(draft, back, "Sent back: Check the figures. Call him.") == [
        "Sent back: Check the figures. Call him."
    ]


# Who may ---------------------------------------------------------------


def test_a_reporter_may_read_history_but_never_restore_an_editors_story(client, edited):
    story, older, newer = edited
    headline = Article.objects.get(pk=story.pk).headline
    client.force_login(member("rita", "Reporter"))

    listing = client.get(history_url(story))
    assert listing.status_code == 200
    assert revision_url(story, older) not in listing.content.decode()
    page = compared(client, story, older, newer).content.decode()
    assert revision_url(story, older) not in page  # no restore link
    assert client.get(revision_url(story, older)).status_code == 403
    data = {"headline": "Rita's headline"}
    assert client.post(revision_url(story, older), data).status_code == 403
    assert Article.objects.get(pk=story.pk).headline == headline


@pytest.mark.parametrize("role", ["Photo editor", None])
def test_staff_without_story_rights_reach_no_history_page(client, edited, role):
    story, older, newer = edited
    headline = Article.objects.get(pk=story.pk).headline
    user = (
        member("pat", role)
        if role
        else User.objects.create_user("pat", password="s3cret-pass!", is_staff=True)
    )
    client.force_login(user)
    pages = [
        client.get(history_url(story)),
        client.get(
            compare_url(story), {"version_id1": older.pk, "version_id2": newer.pk}
        ),
        client.get(revision_url(story, older)),
        client.post(revision_url(story, older), {"headline": "Pat's"}),
    ]
    assert [page.status_code for page in pages] == [403, 403, 403, 403]
    assert Article.objects.get(pk=story.pk).headline == headline


def test_an_editor_may_open_a_version_from_the_list_and_restore_it(
    client, edited, editor
):
    story, older, newer = edited
    client.force_login(editor)
    listing = client.get(history_url(story)).content.decode()
    assert revision_url(story, older) in listing
    page = compared(client, story, older, newer).content.decode()
    assert revision_url(story, older) in page
    form = client.get(revision_url(story, older))
    assert form.status_code == 200
    restored = client.post(revision_url(story, older), posted_back(form))
    assert restored.status_code == 302
    assert Article.objects.get(pk=story.pk).headline == "Ferry timetable stays the same"


def test_versions_of_another_story_or_nonsense_are_not_found(client, edited, editor):
    story, older, newer = edited
    other = ArticleFactory()
    foreign = versions_of(story)[0]
    client.force_login(editor)
    assert (
        client.get(
            compare_url(other), {"version_id1": foreign.pk, "version_id2": foreign.pk}
        ).status_code
        == 404
    )
    assert (
        client.get(
            compare_url(story), {"version_id1": "six", "version_id2": newer.pk}
        ).status_code
        == 404
    )


# Query counts ----------------------------------------------------------


def story_with_versions(count, editor):
    article = ArticleFactory(draft=True, body=BODY)
    BylineFactory(article=article)
    QuoteFactory(article=article)
    article.tags.add("ferries")
    import reversion

    for number in range(count):
        with reversion.create_revision():
            article.headline = f"Ferry timetable, take {number}"
            article.save()
            reversion.add_to_revision(article)
            reversion.set_user(editor)
            reversion.set_comment("Changed Headline.")
    return article


def queries_of(client, url, data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(context.captured_queries), response


def test_history_and_compare_take_the_same_queries_for_2_or_20_versions(client, editor):
    counts = {}
    for count in (2, 20):
        article = story_with_versions(count, editor)
        client.force_login(editor)
        versions = versions_of(article)
        assert len(versions) == count
        client.get(history_url(article))  # the content types, cached once
        listing, response = queries_of(client, history_url(article))
        lines = response.content.decode().count("Headline changed")
        assert lines == count - 1  # the first version is "Created"
        compare, _ = queries_of(
            client,
            compare_url(article),
            {"version_id1": versions[-1].pk, "version_id2": versions[0].pk},
        )
        counts[count] = (listing, compare)

    assert counts[2] == counts[20]
    listing, compare = counts[20]
    assert listing <= 15 and compare <= 16
