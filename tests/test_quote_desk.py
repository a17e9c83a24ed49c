"""Quotes in the story form: the compact list, “Find quotes” and its rules."""

import json

import lxml.html
import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.desk_quotes import MAX_BODY_CHARS, first_words
from articles.models import Article
from people.models import Source

from .admin_forms import posted_back
from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    QuoteFactory,
    SourceFactory,
)
from .markup import words

pytestmark = pytest.mark.django_db

FIND = reverse("admin:articles_article_find_quotes")

# A story as a reporter types it in the desk: two speakers, one of them
# already a source, one new; a statement; an anonymous source named in copy.
BODY = (
    "<p>The harbour pool will close for a year, the council said.</p>"
    "<p>“We have no choice but to shut it,” said Marta Lindqvist, the council's "
    "leisure director. “The roof is failing.”</p>"
    "<p>Swimmers were angry. “It is a scandal,” said Tom Reyes, a lifeguard.</p>"
)


def member(username, role=None, **extra):
    user = User.objects.create_user(
        username, password="s3cret-pass!", is_staff=True, **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor():
    return member("ed", "Editor")


@pytest.fixture
def reporter():
    user = member("rita", "Reporter")
    JournalistFactory(name="Rita Reporter", slug="rita", user=user)
    return user


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def find(client, body=BODY, story=None, existing=(), **extra):
    payload = {"body": body, "story": story, "existing": list(existing)}
    return client.post(
        FIND, json.dumps(payload), content_type="application/json", **extra
    )


def texts(response):
    return [p["text"] for p in response.json()["proposals"]]


def own_draft(user, body=BODY):
    article = ArticleFactory(draft=True, body="<p>An older body.</p>")
    BylineFactory(article=article, journalist=user.journalist)
    Article.objects.filter(pk=article.pk).update(body=body)
    article.refresh_from_db()
    return article


# The finder on the body as typed


def test_find_quotes_reads_the_body_as_typed_not_as_saved(editor):
    article = ArticleFactory(draft=True, body="<p>Nothing quoted here.</p>")
    response = find(signed_in(editor), story=article.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert texts(response) == [
        "The harbour pool will close for a year",
        "We have no choice but to shut it",
        "The roof is failing.",
        "It is a scandal",
    ]
    assert not article.quotes.exists()  # nothing is stored by the finder


def test_find_quotes_names_a_known_source_and_proposes_a_new_one(editor):
    marta = SourceFactory(name="Marta Lindqvist", slug="marta")
    proposals = find(signed_in(editor)).json()["proposals"]
    council, first, _, reyes = proposals
    assert council["kind"] == "paraphrase"
    assert (council["source"], council["new_source"]) == (None, None)
    assert first["kind"] == "direct"
    assert first["source"] == {"id": marta.pk, "label": "Marta Lindqvist"}
    assert first["new_source"] is None
    assert reyes["source"] is None
    assert reyes["new_source"] == {
        "name": "Tom Reyes",
        "kind": "person",
        "description": "a lifeguard",
    }
    assert not Source.objects.filter(name="Tom Reyes").exists()


def test_quotes_already_in_the_story_or_the_form_are_not_proposed_twice(editor):
    article = ArticleFactory(draft=True, body=BODY)
    QuoteFactory(article=article, text="We have no choice but to shut it")
    client = signed_in(editor)
    # The row typed in the form but not saved yet, with other quotation marks.
    response = find(client, story=article.pk, existing=['"it is a SCANDAL!"'])
    assert texts(response) == [
        "The harbour pool will close for a year",
        "The roof is failing.",
    ]
    assert response.json()["already"] == 2
    again = find(
        client,
        story=article.pk,
        existing=[
            "The harbour pool will close for a year",
            "The roof is failing.",
            "It is a scandal",
        ],
    )
    assert again.json()["proposals"] == []


def test_a_new_story_may_be_searched_by_who_may_add_stories(reporter):
    response = find(signed_in(reporter), story=None)
    assert response.status_code == 200
    assert len(texts(response)) == 4


# Who may ask


def test_the_finder_is_for_signed_in_staff_only(client):
    assert find(client).status_code == 403
    outsider = User.objects.create_user("out", password="s3cret-pass!")
    assert find(signed_in(outsider)).status_code == 403


def test_a_reporter_may_not_search_a_story_they_may_not_change(reporter):
    someone_elses = ArticleFactory(draft=True)
    published_own = own_draft(reporter)
    Article.objects.filter(pk=published_own.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    client = signed_in(reporter)
    assert find(client, story=someone_elses.pk).status_code == 403
    assert find(client, story=published_own.pk).status_code == 403
    assert find(client, story=own_draft(reporter).pk).status_code == 200


def test_staff_without_the_right_to_add_stories_cannot_search_a_new_one():
    viewer = member("vic")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = signed_in(viewer)
    assert find(client, story=None).status_code == 403
    assert find(client, story=ArticleFactory().pk).status_code == 403
    assert find(signed_in(member("pia", "Photo editor"))).status_code == 403


def test_the_finder_needs_the_csrf_token(editor):
    client = signed_in(editor, enforce_csrf_checks=True)
    assert find(client).status_code == 403
    client.get(reverse("admin:articles_article_add"))
    token = client.cookies["csrftoken"].value
    assert find(client, HTTP_X_CSRFTOKEN=token).status_code == 200


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"not json", 400),
        (b"[1, 2]", 400),
        (json.dumps({"body": 12}).encode(), 400),
        (json.dumps({"body": "", "existing": "one"}).encode(), 400),
        (json.dumps({"body": "", "existing": ["x"] * 501}).encode(), 400),
        (json.dumps({"body": "", "story": "twelve"}).encode(), 400),
        (json.dumps({"body": "", "story": 987654}).encode(), 404),
        (json.dumps({"body": "x" * (MAX_BODY_CHARS + 1)}).encode(), 413),
        (b" " * (600 * 1024), 413),
    ],
)
def test_bad_requests_get_a_clear_4xx(editor, data, status):
    response = signed_in(editor).post(FIND, data, content_type="application/json")
    assert response.status_code == status
    assert response.json()["error"]


def test_the_finder_only_answers_posts(editor):
    assert signed_in(editor).get(FIND).status_code == 405


# Anonymous sources


@pytest.fixture
def anonymous():
    return SourceFactory(
        name="Tom Reyes",
        slug="source-17",
        on_record=False,
        description="a lifeguard at the pool",
        notes="Met him at the café; do not call before noon.",
    )


def test_a_reporter_does_not_learn_that_a_name_is_an_anonymous_source(
    reporter, anonymous
):
    response = find(signed_in(reporter))
    reyes = response.json()["proposals"][3]
    assert reyes["source"] is None
    # Told exactly what a name the desk does not have would be told.
    assert reyes["new_source"] == {
        "name": "Tom Reyes",
        "kind": "person",
        "description": "a lifeguard",
    }
    raw = response.content.decode()
    assert "a lifeguard at the pool" not in raw
    assert "source-17" not in raw and str(anonymous.pk) not in json.dumps(reyes)
    assert "café" not in raw


def test_an_editor_is_offered_the_anonymous_source_by_its_name(editor, anonymous):
    reyes = find(signed_in(editor)).json()["proposals"][3]
    assert reyes["source"] == {"id": anonymous.pk, "label": "Tom Reyes"}


def test_the_source_picker_names_anonymous_sources_by_description(reporter, anonymous):
    url = reverse("admin:people_source_autocomplete")
    params = {
        "term": "lifeguard",
        "app_label": "articles",
        "model_name": "quote",
        "field_name": "source",
    }
    answer = signed_in(reporter).get(url, params).json()
    assert [r["text"] for r in answer["results"]] == ["a lifeguard at the pool"]
    assert "Tom Reyes" not in json.dumps(answer)
    assert (
        not signed_in(reporter).get(url, {**params, "term": "Reyes"}).json()["results"]
    )


# Accepted proposals are saved with the story


def change(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def with_new_quote(client, article, **row):
    page = client.get(change(article))
    data = posted_back(page)
    n = int(data["quotes-TOTAL_FORMS"])
    data["quotes-TOTAL_FORMS"] = str(n + 1)
    data |= {f"quotes-{n}-{key}": value for key, value in row.items()}
    data[f"quotes-{n}-article"] = article.pk
    return client.post(change(article), data)


def test_an_accepted_quote_with_a_new_source_is_stored_when_the_story_is_saved(
    reporter,
):
    article = own_draft(reporter)
    response = with_new_quote(
        signed_in(reporter),
        article,
        text="It is a scandal",
        kind="direct",
        position=3,
        new_source_name="Tom Reyes",
        new_source_kind="person",
        new_source_description="a lifeguard",
    )
    assert response.status_code == 302, response.context["errors"]
    quote = article.quotes.get()
    assert quote.text == "It is a scandal"
    assert (quote.source.name, quote.source.description) == ("Tom Reyes", "a lifeguard")


def test_an_accepted_quote_takes_a_source_the_desk_has(editor):
    article = ArticleFactory(draft=True, body=BODY)
    marta = SourceFactory(name="Marta Lindqvist", slug="marta")
    response = with_new_quote(
        signed_in(editor),
        article,
        text="The roof is failing.",
        kind="direct",
        position=0,
        new_source_name="Dr Marta Lindqvist",  # the same person, by the importer's key
    )
    assert response.status_code == 302
    assert article.quotes.get().source == marta
    assert Source.objects.count() == 1


def test_a_picked_source_wins_over_a_proposed_new_one(editor):
    article = ArticleFactory(draft=True, body=BODY)
    picked = SourceFactory(name="Council press office", slug="press")
    with_new_quote(
        signed_in(editor),
        article,
        text="The roof is failing.",
        kind="direct",
        position=0,
        source=picked.pk,
        new_source_name="Tom Reyes",
    )
    assert article.quotes.get().source == picked
    assert not Source.objects.filter(name="Tom Reyes").exists()


def test_a_reporter_saving_a_name_of_an_anonymous_source_leaves_it_unattributed(
    reporter, anonymous
):
    article = own_draft(reporter)
    with_new_quote(
        signed_in(reporter),
        article,
        text="It is a scandal",
        kind="direct",
        position=0,
        new_source_name="Tom Reyes",
    )
    quote = article.quotes.get()
    assert quote.source is None
    assert Source.objects.count() == 1


def test_staff_who_may_not_add_sources_are_told_to_pick_one(reporter):
    Group.objects.get(name="Reporter").permissions.remove(
        Permission.objects.get(codename="add_source")
    )
    article = own_draft(reporter)
    response = with_new_quote(
        signed_in(User.objects.get(pk=reporter.pk)),
        article,
        text="It is a scandal",
        kind="direct",
        position=0,
        new_source_name="Tom Reyes",
    )
    assert response.status_code == 200
    assert "You may not add sources" in words(page_of(response).text_content())
    assert not article.quotes.exists()


# The compact list


def page_of(response):
    return lxml.html.fromstring(response.content.decode())


def has_class(name):
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def quote_rows(page):
    return page.xpath(
        f'//div[@id="quotes-group"]//div[{has_class("quote-row")}'
        f" and not({has_class('empty-form')})]"
    )


def line_of(row):
    (toggle,) = row.xpath(f".//button[{has_class('quote-toggle')}]")
    return words(toggle.text_content())


def test_the_story_form_lists_each_quote_on_one_line(editor):
    article = ArticleFactory(draft=True, body=BODY)
    marta = SourceFactory(name="Marta Lindqvist", slug="marta")
    long_text = (
        "We have no choice but to shut it for a year while the roof is "
        "rebuilt from the beams up"
    )
    QuoteFactory(article=article, source=marta, text=long_text)
    QuoteFactory(
        article=article, source=None, text="The roof is failing.", kind="paraphrase"
    )
    page = page_of(signed_in(editor).get(change(article)))
    rows = quote_rows(page)
    assert [line_of(row) for row in rows] == [
        f"Marta Lindqvist Direct quote {first_words(long_text)}",
        "Unattributed Paraphrase The roof is failing.",
    ]
    assert first_words(long_text).endswith("for a year while …")
    # The full text, the picker, the kind and delete are on each row.
    first = rows[0]
    (text,) = first.xpath('.//textarea[@name="quotes-0-text"]')
    assert text.text_content().strip() == long_text
    assert first.xpath(f".//div[{has_class('quote-details')} and @hidden]")
    assert first.xpath(
        f'.//div[{has_class("quote-summary")}]//input[@name="quotes-0-DELETE"]'
    )
    (picker,) = first.xpath('.//select[@name="quotes-0-source"]')
    assert picker.get("data-ajax--url") == reverse("admin:people_source_autocomplete")
    assert [o.text for o in picker.xpath("./option[@selected]")] == ["Marta Lindqvist"]
    assert first.xpath('.//select[@name="quotes-0-kind"]')
    (group,) = page.xpath('//div[@id="quotes-group"]')
    assert group.get("data-find-url") == FIND
    assert group.get("data-story") == str(article.pk)


def test_a_reporter_sees_an_anonymous_source_by_description_in_the_list(
    reporter, anonymous
):
    article = own_draft(reporter)
    QuoteFactory(article=article, source=anonymous, text="It is a scandal")
    page = page_of(signed_in(reporter).get(change(article)))
    (row,) = quote_rows(page)
    assert line_of(row).startswith("a lifeguard at the pool")
    (group,) = page.xpath('//div[@id="quotes-group"]')
    assert "Tom Reyes" not in lxml.html.tostring(group, encoding="unicode")


@pytest.mark.parametrize("count", [2, 20])
def test_the_quote_list_costs_the_same_for_2_or_20_quotes(
    editor, count, django_assert_max_num_queries
):
    article = ArticleFactory(draft=True, body=BODY)
    for n in range(count):
        QuoteFactory(article=article, text=f"Quote number {n} of the story.")
    client = signed_in(editor)
    client.get(change(article))  # sessions, content types and such are warm
    # The whole form: its other parts (the desk's box and presence, the search
    # and share preview, history's state) cost the same for any number of quotes.
    with django_assert_max_num_queries(20):
        response = client.get(change(article))
    assert len(quote_rows(page_of(response))) == count


def test_a_reporter_reading_someone_elses_story_sees_the_list_without_the_finder(
    reporter, anonymous
):
    article = ArticleFactory(draft=True, body=BODY)  # not theirs: read only
    QuoteFactory(article=article, source=anonymous, text="It is a scandal")
    page = page_of(signed_in(reporter).get(change(article)))
    (row,) = quote_rows(page)
    assert line_of(row).startswith("a lifeguard at the pool")
    assert not row.xpath(".//textarea | .//select")
    (group,) = page.xpath('//div[@id="quotes-group"]')
    assert group.get("data-find-url") is None
    assert not page.xpath(f"//button[{has_class('quote-find')}]")
    assert "Tom Reyes" not in lxml.html.tostring(group, encoding="unicode")


@pytest.mark.parametrize("speakers", [2, 20])
def test_finding_quotes_costs_the_same_for_2_or_20_speakers(
    editor, speakers, django_assert_max_num_queries
):
    article = ArticleFactory(draft=True)
    for n in range(speakers):
        QuoteFactory(article=article, text=f"Stored quote {n}.")
        SourceFactory(name=f"Speaker Number{n}", slug=f"speaker-{n}")
    body = "".join(
        f"<p>“The pool matters to family {n},” said Speaker Number{n}, a swimmer.</p>"
        for n in range(speakers)
    )
    client = signed_in(editor)
    find(client, body=body, story=article.pk)
    with django_assert_max_num_queries(9):
        response = find(client, body=body, story=article.pk)
    proposals = response.json()["proposals"]
    assert len(proposals) == speakers
    assert all(p["source"] for p in proposals)
