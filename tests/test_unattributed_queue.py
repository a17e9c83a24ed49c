"""The unattributed-quotes queue (Admin › Sourcing › Unattributed quotes):
each quote in its sentence with the people named near it, one click to
attribute, the story's history saying so, and who may do what."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Quote
from people.models import Source
from sourcing.context import StoryReading, locate
from sourcing.queue import COUNT_CAP, PAGE_SIZE
from sourcing.report import Filters, build_report

from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)
from .markup import ancestors, parse, table_rows, words

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:sourcing_unattributedquote_changelist")

BODY = (
    "<p>The council voted on Tuesday. Mayor Jane Doe, who chaired the meeting, "
    "spoke first.</p>"
    "<p>“We will build the wall,” she said. Tom Hill, a fisherman, disagreed. "
    "“It is too late for the harbour,” he said.</p>"
    "<p>Work begins in spring, according to the Harbour Authority. "
    "Maria Lopez was at the meeting.</p>"
)
LATE = "It is too late for the harbour"


def attribute_url(quote):
    return reverse("admin:sourcing_unattributedquote_attribute", args=[quote.pk])


def member(username, role=None):
    user = User.objects.create_user(username, password="s3cret-pass!", is_staff=True)
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


@pytest.fixture
def desk(reporter):
    """A published story with one quote to settle and one attributed, and a
    reporter's own draft quoting an anonymous source."""
    city = SectionFactory(name="City", slug="city")
    sport = SectionFactory(name="Sport", slug="sport")
    tom = SourceFactory(name="Tom Hill", slug="tom-hill", description="a fisherman")
    jane = SourceFactory(name="Jane Doe", slug="jane-doe", description="the mayor")
    secret = SourceFactory(
        name="Nadia Secret",
        slug="source-7",
        on_record=False,
        description="a council insider",
    )
    harbour = ArticleFactory(
        headline="Harbour wall vote", section=city, body=BODY, slug="harbour-wall"
    )
    BylineFactory(article=harbour, journalist=JournalistFactory(name="Ana Ruiz"))
    QuoteFactory(
        article=harbour, source=jane, text="We will build the wall", position=0
    )
    late = QuoteFactory(article=harbour, source=None, text=LATE, position=1)

    draft = ArticleFactory(
        draft=True,
        headline="Stadium roof",
        section=sport,
        slug="stadium-roof",
        created_by=reporter,
        body="<p>The roof leaks, a council insider said.</p>"
        "<p>“Nobody wants to pay for it,” one official said. Nadia Secret "
        "declined to comment.</p>",
    )
    QuoteFactory(article=draft, source=secret, text="The roof leaks", position=0)
    roof = QuoteFactory(
        article=draft, source=None, text="Nobody wants to pay for it", position=1
    )
    return {
        "tom": tom,
        "jane": jane,
        "secret": secret,
        "harbour": harbour,
        "late": late,
        "draft": draft,
        "roof": roof,
    }


def row_of(html, quote):
    """The queue's row of ``quote``: its text, <mark>s and buttons."""
    page = parse(html)
    rows = [
        tr for tr in page.find_all("tr") if tr.attrs.get("id") == f"quote-{quote.pk}"
    ]
    if not rows:
        return None
    row = rows[0]

    def inside(tag):
        return [e for e in page.elements if e.tag == tag and row in ancestors(e)]

    return {
        "text": words(row.text),
        "marks": [words(m.text) for m in inside("mark")],
        "buttons": [words(b.text) for b in inside("button")],
        "forms": [f.attrs.get("action") for f in inside("form")],
        "quoted": [words(b.text) for b in inside("blockquote")],
        "suggested": [words(li.text) for li in inside("li")],
    }


def test_the_queue_shows_each_quote_in_its_sentence_with_the_names_near_it(
    client, editor, desk
):
    client.force_login(editor)
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    row = row_of(html, desk["late"])
    assert row["marks"] == [LATE]
    assert row["quoted"] == [
        "Tom Hill, a fisherman, disagreed. “It is too late for the harbour,” he "
        "said. Work begins in spring, according to the Harbour Authority."
    ]
    # Nearest first: who is named beside it, who spoke before it, the
    # organisation of the next paragraph (not yet a source: offered to make);
    # Maria Lopez, a name the finder cannot place and no source, is not.
    assert row["buttons"] == [
        "Tom Hill",
        "Jane Doe",
        "Harbour Authority (new source)",
        "Attribute",  # the picker's
    ]
    assert "Harbour wall vote" in row["text"] and "City" in row["text"]
    assert "Published" in row["text"]
    # Newest story first; only unattributed quotes.
    listed = table_rows(html, "unattributed-quotes")
    assert len(listed) == 2
    assert listed[0].startswith("Stadium roof")
    assert "We will build the wall”" not in html.split('id="quote-')[1]
    assert "2 unattributed quotes" in words(parse(html).text)


def test_one_click_attributes_the_quote_and_the_history_says_so(client, editor, desk):
    client.force_login(editor)
    report_filters = Filters(
        date_from=timezone.localdate() - datetime.timedelta(days=2),
        date_to=timezone.localdate() + datetime.timedelta(days=1),
    )
    assert build_report(report_filters, user=editor).unattributed == 1

    response = client.post(
        attribute_url(desk["late"]),
        {"source": desk["tom"].pk, "next": QUEUE + "?status=published"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == QUEUE + "?status=published"
    desk["late"].refresh_from_db()
    assert desk["late"].source == desk["tom"]
    shown = words(parse(response.content.decode()).text)
    assert "Quote attributed to Tom Hill: “It is too late for the harbour”" in shown
    assert row_of(response.content.decode(), desk["late"]) is None
    assert build_report(report_filters, user=editor).unattributed == 0

    history = client.get(
        reverse("admin:articles_article_history", args=[desk["harbour"].pk])
    )
    lines = table_rows(history.content.decode(), "change-history")
    assert "Quote attributed to Tom Hill: “It is too late for the harbour”" in lines[0]
    assert lines[-1].endswith("Before the first edit")


def test_a_suggested_name_becomes_a_new_source(client, editor, desk):
    client.force_login(editor)
    client.post(
        attribute_url(desk["late"]),
        {"new_name": "Harbour Authority", "new_kind": "organisation"},
    )
    desk["late"].refresh_from_db()
    assert desk["late"].source.name == "Harbour Authority"
    assert desk["late"].source.kind == Source.Kind.ORGANISATION


def test_the_picker_attributes_to_any_source(client, editor, desk):
    other = SourceFactory(name="Olga Other", slug="olga-other")
    client.force_login(editor)
    html = client.get(QUEUE).content.decode()
    pickers = [
        s
        for s in parse(html).find_all("select")
        if s.attrs.get("name") == "source"
        and "admin-autocomplete" in s.attrs.get("class", "")
    ]
    assert len(pickers) == 2
    assert len({s.attrs["id"] for s in pickers}) == 2
    response = client.post(attribute_url(desk["late"]), {"source": other.pk})
    assert response.status_code == 302
    desk["late"].refresh_from_db()
    assert desk["late"].source == other
    # Attributed already: a second click says so and changes nothing.
    response = client.post(
        attribute_url(desk["late"]), {"source": desk["tom"].pk}, follow=True
    )
    assert "attributed that quote in the meantime" in response.content.decode()
    desk["late"].refresh_from_db()
    assert desk["late"].source == other


def test_a_reporter_attributes_in_their_own_draft_only(client, reporter, desk):
    client.force_login(reporter)
    html = client.get(QUEUE).content.decode()
    published = row_of(html, desk["late"])
    assert published["forms"] == []  # a published story: for those who publish
    assert "You may not change this story" in published["text"]
    assert "Tom Hill" in published["text"]  # suggestions still shown
    own = row_of(html, desk["roof"])
    assert own["forms"] and all(f == attribute_url(desk["roof"]) for f in own["forms"])

    forged = client.post(attribute_url(desk["late"]), {"source": desk["tom"].pk})
    assert forged.status_code == 403
    desk["late"].refresh_from_db()
    assert desk["late"].source is None

    client.post(attribute_url(desk["roof"]), {"source": desk["jane"].pk})
    desk["roof"].refresh_from_db()
    assert desk["roof"].source == desk["jane"]


@pytest.mark.parametrize("role", ["Photo editor", None])
def test_staff_without_story_rights_neither_see_nor_post(client, desk, role):
    user = member("pat", role)
    client.force_login(user)
    assert client.get(QUEUE).status_code == 403
    assert (
        "Unattributed quotes" not in client.get(reverse("admin:index")).content.decode()
    )
    forged = client.post(attribute_url(desk["late"]), {"source": desk["tom"].pk})
    assert forged.status_code == 403
    desk["late"].refresh_from_db()
    assert desk["late"].source is None


def test_signed_out_visitors_are_sent_to_sign_in(client, desk):
    assert client.get(QUEUE).status_code == 302
    response = client.post(attribute_url(desk["late"]), {"source": desk["tom"].pk})
    assert response.status_code == 302
    desk["late"].refresh_from_db()
    assert desk["late"].source is None


def test_a_get_never_attributes(client, editor, desk):
    client.force_login(editor)
    assert client.get(attribute_url(desk["late"])).status_code == 405


def test_an_anonymous_sources_name_is_only_for_those_who_may_know_it(
    client, reporter, editor, desk
):
    client.force_login(reporter)
    html = client.get(QUEUE).content.decode()
    row = row_of(html, desk["roof"])
    # The story's anonymous source, by its public description; the name the
    # copy mentions is that source's, so it is not offered at all.
    assert row["buttons"] == ["a council insider", "Attribute"]
    assert "Nadia Secret" not in " ".join(row["buttons"])

    client.force_login(editor)
    row = row_of(client.get(QUEUE).content.decode(), desk["roof"])
    assert row["buttons"] == ["Nadia Secret", "Attribute"]

    # Attributed by an editor, the history (which reporters read) keeps the
    # public description, never the name.
    client.post(attribute_url(desk["roof"]), {"source": desk["secret"].pk})
    client.force_login(reporter)
    history = client.get(
        reverse("admin:articles_article_history", args=[desk["draft"].pk])
    ).content.decode()
    assert "Quote attributed to a council insider: “Nobody wants to pay for it”" in (
        words(parse(history).text)
    )
    assert "Nadia Secret" not in history


def test_a_name_not_yet_a_source_is_offered_only_to_those_who_may_add_sources(
    client, desk
):
    user = member("viewer")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "change_article",
                "view_article",
                "view_source",
                "change_quote",
            ]
        )
    )
    client.force_login(user)
    row = row_of(client.get(QUEUE).content.decode(), desk["late"])
    assert row["suggested"] == [
        "Tom Hill named in the same paragraph",
        "Jane Doe named in the same paragraph",
    ]
    # Nor does a forged POST make one.
    story = ArticleFactory(draft=True, created_by=user, body=BODY)
    quote = QuoteFactory(article=story, source=None, text=LATE)
    response = client.post(
        attribute_url(quote), {"new_name": "Harbour Authority"}, follow=True
    )
    assert "You may not add sources" in response.content.decode()
    quote.refresh_from_db()
    assert quote.source is None
    assert not Source.objects.filter(name="Harbour Authority").exists()


def test_hostile_body_and_quote_text_are_shown_as_text(client, editor):
    story = ArticleFactory(
        headline="<b>Bold</b> headline",
        body="<p>Ann Lee spoke. “&lt;img src=x onerror=alert(1)&gt; is fine,” "
        "she said.</p>",
    )
    quote = QuoteFactory(
        article=story, source=None, text="<img src=x onerror=alert(1)> is fine"
    )
    lost = QuoteFactory(
        article=story, source=None, text="<script>alert(2)</script> never typed"
    )
    client.force_login(editor)
    html = client.get(QUEUE).content.decode()
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; is fine" in html
    assert row_of(html, quote)["marks"] == ["<img src=x onerror=alert(1)> is fine"]
    missing = row_of(html, lost)
    assert "Not found in the story's text" in missing["text"]
    assert missing["marks"] == ["<script>alert(2)</script> never typed"]
    assert "<b>Bold</b> headline" in missing["text"]


def test_a_quote_not_word_for_word_is_marked_where_it_is_closest():
    reading = StoryReading.of(BODY)
    context = locate(reading.paragraphs, "it was too late for the harbour, he warned")
    assert context.found and not context.exact
    assert context.marked.startswith("It is too late for the harbour")
    assert not locate(reading.paragraphs, "Nothing of the kind").found


def test_filters_by_section_and_status_and_pages_by_keyset(client, editor, desk):
    client.force_login(editor)
    sport = desk["draft"].section
    html = client.get(QUEUE, {"section": sport.pk}).content.decode()
    assert [r[:12] for r in table_rows(html, "unattributed-quotes")] == ["Stadium roof"]
    html = client.get(QUEUE, {"status": "published"}).content.decode()
    assert [r[:17] for r in table_rows(html, "unattributed-quotes")] == [
        "Harbour wall vote"
    ]
    assert client.get(QUEUE, {"after": "nonsense"}).status_code == 400

    stories = ArticleFactory.create_batch(PAGE_SIZE, section=desk["harbour"].section)
    for story in stories:
        QuoteFactory(article=story, source=None, text="Something was said")
    first = client.get(QUEUE).content.decode()
    assert len(table_rows(first, "unattributed-quotes")) == PAGE_SIZE
    nexts = [a for a in parse(first).find_all("a") if a.attrs.get("rel") == "next"]
    second = client.get(QUEUE + nexts[0].attrs["href"]).content.decode()
    rows = table_rows(second, "unattributed-quotes")
    assert len(rows) == 2  # the two oldest stories' quotes
    assert rows[0].startswith("Stadium roof") and rows[1].startswith("Harbour")
    assert f"{PAGE_SIZE + 2} unattributed quotes" in words(parse(second).text)


def test_the_count_stops_at_its_cap(monkeypatch, client, editor, desk):
    monkeypatch.setattr("sourcing.queue.COUNT_CAP", 1)
    client.force_login(editor)
    html = client.get(QUEUE).content.decode()
    assert "More than 1 unattributed quotes" in words(parse(html).text)
    # Filtered, the count is of the newest quotes only (the draft's).
    html = client.get(QUEUE, {"status": "draft"}).content.decode()
    assert "1 unattributed quote among the newest 1" in words(parse(html).text)
    html = client.get(QUEUE, {"status": "published"}).content.decode()
    assert "0 unattributed quotes among the newest 1" in words(parse(html).text)
    assert len(table_rows(html, "unattributed-quotes")) == 1  # the list is whole
    assert COUNT_CAP == 1000


def page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_a_page_makes_the_same_queries_for_2_or_30_quotes(client, reporter, editor):
    for _ in range(2):
        story = ArticleFactory(body=BODY)
        BylineFactory(article=story)
        QuoteFactory(article=story, source=None, text=LATE)
        QuoteFactory(article=story, text="We will build the wall")
    SourceFactory(name="Tom Hill", slug="tom-hill")
    for user in (editor, reporter):
        client.force_login(user)
        page_queries(client)  # sessions and caches settle
        few = page_queries(client)
        for _ in range(14):
            story = ArticleFactory(body=BODY, created_by=reporter, draft=True)
            BylineFactory(article=story)
            QuoteFactory(article=story, source=None, text=LATE)
            QuoteFactory(article=story, source=None, text="We will build the wall")
            QuoteFactory(article=story, text="Work begins in spring")
        assert Quote.objects.filter(source=None).count() >= 30
        assert page_queries(client) == few
        Article.objects.filter(status=Article.Status.DRAFT).delete()


def test_the_report_links_its_unattributed_figure_to_the_queue(client, editor, desk):
    client.force_login(editor)
    html = client.get(reverse("admin:sourcing_sourcingreport_changelist")).content
    links = [a.attrs.get("href") for a in parse(html.decode()).find_all("a")]
    assert QUEUE + "?status=published" in links
