"""The source directory at the desk: a source's quotes page (what the source
is, how often and when they were quoted, every quote newest story first, 50 a
page) and the source list's filters by where they were quoted (the story's
section, journalist and date), for everyone who may view sources, an
anonymous source's name only for those who may edit them."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from articles import publishing
from articles.models import Article
from people import source_record
from people.models import Source

from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("admin:people_source_changelist")


def quotes_url(source):
    return reverse("admin:people_source_quotes", args=[source.pk])


def noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def story(headline, day, section, journalists=(), **kwargs):
    at = noon(day) if day else None
    article = ArticleFactory(
        headline=headline,
        section=section,
        published_at=at,
        first_published_at=at,
        **kwargs,
    )
    for position, journalist in enumerate(journalists):
        BylineFactory(article=article, journalist=journalist, position=position)
    return article


def make_user(username, group=None):
    user = User.objects.create_user(username, password="s3cret-pass!", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reporter():
    return make_user("rita", "Reporter")


@pytest.fixture
def editor():
    return make_user("ed", "Editor")


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def table_rows(html):
    """Each row of the quotes table as its cells' text."""
    body = html.split('<table class="source-quotes"', 1)[1].split("</table>")[0]
    body = body.split("<tbody>", 1)[1]
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def summary_of(html):
    """The summary's terms and descriptions, as a dict."""
    block = html.split('<dl class="source-summary">', 1)[1].split("</dl>")[0]
    return dict(
        (text_of(term), text_of(value))
        for term, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)
    )


def listed_names(html):
    """The names in the source list, in order."""
    return [
        text_of(name)
        for name in re.findall(r'<th class="field-[a-z_]*name">(.*?)</th>', html, re.S)
    ]


@pytest.fixture
def newsroom():
    """Mara Ellis, quoted four times in three stories (one still a draft) in
    two sections by two journalists; a second source in one of them."""
    city = SectionFactory(name="City", slug="city")
    sport = SectionFactory(name="Sport", slug="sport")
    ana = JournalistFactory(name="Ana Ruiz", slug="ana-ruiz")
    ben = JournalistFactory(name="Ben Hart", slug="ben-hart")
    mara = SourceFactory(
        name="Mara Ellis",
        slug="mara-ellis",
        description="a hydrologist",
        organisation="Water Board",
    )
    teo = SourceFactory(name="Teo Vance", slug="teo-vance", organisation="Rowing Club")
    flood = story("River breaks its banks", datetime.date(2026, 1, 10), city, [ana])
    final = story("Rowers win the final", datetime.date(2026, 2, 20), sport, [ben, ana])
    draft = story("Dam inquiry opens", None, city, [ben], draft=True)
    QuoteFactory(article=flood, source=mara, position=0, text="The river rose.")
    QuoteFactory(
        article=flood,
        source=mara,
        position=1,
        text="She said the gauges were right.",
        kind="paraphrase",
    )
    QuoteFactory(article=final, source=mara, position=0, text="A fine race.")
    QuoteFactory(article=final, source=teo, position=1, text="We trained all year.")
    QuoteFactory(article=draft, source=mara, position=0, text="The dam held.")
    return {
        "mara": mara,
        "teo": teo,
        "stories": (flood, final, draft),
        "sections": (city, sport),
        "journalists": (ana, ben),
    }


def test_the_quotes_page_shows_the_source_and_every_quote_newest_story_first(
    client, editor, newsroom
):
    flood, final, draft = newsroom["stories"]
    client.force_login(editor)

    response = client.get(quotes_url(newsroom["mara"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert summary_of(html) == {
        "Name": "Mara Ellis",
        "Kind": "Person",
        "Organisation": "Water Board",
        "On the record": "On the record",
        "Quotes": "4",
        "Stories": "3",
        "First quoted": "10 Jan 2026",
        "Last quoted": "20 Feb 2026",
    }
    assert table_rows(html) == [
        [
            "Dam inquiry opens",
            "Not published",
            "City",
            "Ben Hart",
            "Draft",
            "The dam held.",
            "Direct quote",
        ],
        [
            "Rowers win the final",
            "20 Feb 2026",
            "Sport",
            "Ben Hart, Ana Ruiz",
            "Published",
            "A fine race.",
            "Direct quote",
        ],
        [
            "River breaks its banks",
            "10 Jan 2026",
            "City",
            "Ana Ruiz",
            "Published",
            "The river rose.",
            "Direct quote",
        ],
        [
            "River breaks its banks",
            "10 Jan 2026",
            "City",
            "Ana Ruiz",
            "Published",
            "She said the gauges were right.",
            "Paraphrase",
        ],
    ]
    # Each headline links to the story's desk page.
    for article in (draft, final, flood):
        change = reverse("admin:articles_article_change", args=[article.pk])
        assert f'<a href="{change}">{article.headline}</a>' in html
    assert "<caption>Quotes of Mara Ellis</caption>" in html
    assert '<th scope="col">Journalists</th>' in html
    assert 'aria-label="Pages of quotes"' not in html  # one page


def test_a_source_never_quoted_says_so(client, editor):
    source = SourceFactory(name="Nobody Yet")
    client.force_login(editor)

    html = client.get(quotes_url(source)).content.decode()

    assert summary_of(html)["Quotes"] == "0"
    assert summary_of(html)["First quoted"] == "Never"
    assert "No story quotes this source yet." in html


def test_the_form_and_the_list_lead_to_the_quotes_page(client, editor, newsroom):
    mara = newsroom["mara"]
    client.force_login(editor)
    url = quotes_url(mara)

    form = client.get(reverse("admin:people_source_change", args=[mara.pk]))
    listed = client.get(LIST)

    html = form.content.decode()
    assert f'<a href="{url}">Every quote (4)</a>' in html
    assert summary_of(html)["Stories"] == "3"
    assert summary_of(html)["Last quoted"] == "20 Feb 2026"
    assert f'<a href="{url}" title="Every quote of this source">4</a>' in (
        listed.content.decode()
    )


def test_quotes_come_fifty_a_page_and_the_pages_link_both_ways(
    client, editor, monkeypatch
):
    monkeypatch.setattr(source_record, "PER_PAGE", 2)
    section = SectionFactory(name="City", slug="city")
    source = SourceFactory(name="Mara Ellis")
    for number in range(1, 4):
        article = story(f"Story {number}", datetime.date(2026, 1, number), section)
        for position in range(2):
            QuoteFactory(
                article=article,
                source=source,
                position=position,
                text=f"{number}.{position}",
            )
    client.force_login(editor)

    def page(query=""):
        html = client.get(quotes_url(source) + query).content.decode()
        quotes = [row[5] for row in table_rows(html)] if "<tbody>" in html else []
        links = dict(
            (label, href.replace("&amp;", "&"))
            for href, label in re.findall(
                r'<a href="(\?[^"]*)"(?: rel="\w+")?>([^<]+)</a>', html
            )
        )
        return quotes, links

    first, links = page()
    assert first == ["3.0", "3.1"]
    assert set(links) == {"Older quotes"}
    second, links = page(links["Older quotes"])
    assert second == ["2.0", "2.1"]
    assert set(links) == {"Newest", "Newer quotes", "Older quotes"}
    third, third_links = page(links["Older quotes"])
    assert third == ["1.0", "1.1"]
    assert set(third_links) == {"Newest", "Newer quotes"}
    back, links = page(third_links["Newer quotes"])
    assert back == ["2.0", "2.1"]
    back, links = page(links["Newer quotes"])
    assert back == ["3.0", "3.1"]
    assert set(links) == {"Older quotes"}
    # A cursor that is not one is the first page.
    assert page("?before=nonsense")[0] == ["3.0", "3.1"]


def test_the_page_makes_the_same_queries_for_2_or_30_quotes(
    client, editor, django_assert_max_num_queries
):
    section = SectionFactory(name="City", slug="city")
    ana = JournalistFactory(name="Ana Ruiz")
    few, many = SourceFactory(name="Few Quotes"), SourceFactory(name="Many Quotes")
    for number in range(30):
        article = story(f"Story {number}", datetime.date(2026, 1, 1), section, [ana])
        QuoteFactory(article=article, source=many)
        if number < 2:
            QuoteFactory(article=article, source=few)
    client.force_login(editor)
    client.get(quotes_url(few))  # the session and permissions, once

    with django_assert_max_num_queries(9) as small:
        client.get(quotes_url(few))
    with django_assert_max_num_queries(len(small)):
        response = client.get(quotes_url(many))
    assert len(table_rows(response.content.decode())) == 30


# Who sees what


@pytest.fixture
def anonymous_source():
    city = SectionFactory(name="City", slug="city")
    ana = JournalistFactory(name="Ana Ruiz", slug="ana-ruiz")
    source = SourceFactory(
        name="Secret Whistleblower",
        slug="source-7",
        description="an official close to the inquiry",
        organisation="Ministry",
        on_record=False,
    )
    article = story("Inquiry widens", datetime.date(2026, 1, 10), city, [ana])
    QuoteFactory(article=article, source=source, text="There is more to come.")
    return source


def test_a_reporter_sees_an_anonymous_source_by_its_description_only(
    client, reporter, anonymous_source
):
    client.force_login(reporter)

    page = client.get(quotes_url(anonymous_source)).content.decode()
    form = client.get(
        reverse("admin:people_source_change", args=[anonymous_source.pk])
    ).content.decode()
    searched = client.get(LIST, {"q": "inquiry", "section": "", "journalist": ""})
    filtered = client.get(
        LIST,
        {
            "section": str(anonymous_source.quotes.get().article.section_id),
            "quoted_from": "2026-01-01",
        },
    ).content.decode()

    assert "Secret Whistleblower" not in page
    assert summary_of(page)["Name"] == "an official close to the inquiry"
    assert summary_of(page)["On the record"] == "Off the record (anonymous)"
    assert "<caption>Quotes of an official close to the inquiry</caption>" in page
    assert "There is more to come." in page
    assert "Secret Whistleblower" not in form
    assert searched.status_code == 200
    assert listed_names(searched.content.decode()) == [
        "an official close to the inquiry"
    ]
    assert "Secret Whistleblower" not in searched.content.decode()
    assert "Secret Whistleblower" not in filtered
    assert listed_names(filtered) == ["an official close to the inquiry"]


def test_an_editor_sees_an_anonymous_source_by_name(client, editor, anonymous_source):
    client.force_login(editor)

    page = client.get(quotes_url(anonymous_source)).content.decode()

    assert summary_of(page)["Name"] == "Secret Whistleblower"


@pytest.mark.parametrize(
    ("group", "status"), [("Reporter", 200), ("Editor", 200), (None, 403)]
)
def test_the_quotes_page_is_for_those_who_may_view_sources(
    client, newsroom, group, status
):
    client.force_login(make_user("someone", group))

    response = client.get(quotes_url(newsroom["mara"]))

    assert response.status_code == status


def test_the_quotes_page_asks_a_visitor_to_log_in(client, newsroom):
    response = client.get(quotes_url(newsroom["mara"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_unknown_source_is_not_found(client, editor):
    client.force_login(editor)

    response = client.get(reverse("admin:people_source_quotes", args=[999]))

    assert response.status_code == 404


# Finding sources


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({}, ["Mara Ellis", "Teo Vance"]),
        ({"section": "city"}, ["Mara Ellis"]),
        ({"section": "sport"}, ["Mara Ellis", "Teo Vance"]),
        ({"journalist": "ana"}, ["Mara Ellis", "Teo Vance"]),
        ({"journalist": "ben"}, ["Mara Ellis", "Teo Vance"]),
        ({"quoted_from": "2026-02-01"}, ["Mara Ellis", "Teo Vance"]),
        ({"quoted_to": "2026-01-31"}, ["Mara Ellis"]),
        ({"quoted_from": "2026-01-10", "quoted_to": "2026-01-10"}, ["Mara Ellis"]),
        ({"quoted_from": "2026-03-01"}, []),
        ({"quoted_from": "2026-02-20", "quoted_to": ""}, ["Mara Ellis", "Teo Vance"]),
        # Combined: in the same story.
        ({"section": "sport", "journalist": "ben"}, ["Mara Ellis", "Teo Vance"]),
        ({"section": "city", "journalist": "ana"}, ["Mara Ellis"]),
        ({"section": "sport", "quoted_to": "2026-01-31"}, []),
        ({"journalist": "ana", "quoted_to": "2026-01-31"}, ["Mara Ellis"]),
        # Mara is quoted in a City story and in February, not in both at once.
        ({"section": "city", "quoted_from": "2026-02-01"}, []),
        # With the list's other filters and its search.
        ({"section": "sport", "q": "rowing"}, ["Teo Vance"]),
        ({"section": "city", "q": "rowing"}, []),
        ({"journalist": "ben", "organisation": "Water Board"}, ["Mara Ellis"]),
    ],
)
def test_the_list_finds_sources_by_where_they_were_quoted(
    client, editor, newsroom, query, names
):
    city, sport = newsroom["sections"]
    ana, ben = newsroom["journalists"]
    keys = {"city": city.pk, "sport": sport.pk, "ana": ana.pk, "ben": ben.pk}
    client.force_login(editor)

    response = client.get(LIST, {k: keys.get(v, v) for k, v in query.items()})

    assert response.status_code == 200
    assert listed_names(response.content.decode()) == names


def test_the_filters_read_published_stories_and_follow_publishing(client, editor):
    """The filters say where a source was quoted in what readers saw: a draft
    counts for none of them until it is published, and no longer once it is
    withdrawn (the sourcing summary they read follows the workflow)."""
    city = SectionFactory(name="City", slug="city")
    ben = JournalistFactory(name="Ben Hart")
    source = SourceFactory(name="Dana Draft")
    draft = story("Draft", None, city, [ben], draft=True)
    QuoteFactory(article=draft, source=source)
    client.force_login(editor)
    queries = [
        {"section": city.pk},
        {"journalist": ben.pk},
        {"quoted_from": "2000-01-01"},
        {"section": city.pk, "journalist": ben.pk, "quoted_to": "2100-01-01"},
    ]

    def found():
        return [listed_names(client.get(LIST, q).content.decode()) for q in queries]

    assert found() == [[], [], [], []]
    publishing.publish(article=draft, by=editor)
    assert found() == [["Dana Draft"]] * 4
    publishing.unpublish(article=Article.objects.get(pk=draft.pk), by=editor)
    assert found() == [[], [], [], []]


def test_the_filters_offer_sections_journalists_and_a_labelled_period(
    client, reporter, newsroom
):
    JournalistFactory(name="Never Bylined")
    client.force_login(reporter)

    html = client.get(
        LIST, {"q": "ellis", "quoted_from": "2026-01-01"}
    ).content.decode()

    sidebar = html.split('id="changelist-filter"', 1)[1].split("</nav>")[0]
    text = text_of(sidebar)
    assert "By story’s section All City Sport" in text
    assert "By story’s journalist All Ana Ruiz Ben Hart" in text
    assert "Never Bylined" not in text  # no byline: would find no one
    assert '<label for="source-quoted-from">From</label>' in sidebar
    assert (
        '<input type="date" name="quoted_from" id="source-quoted-from"'
        ' value="2026-01-01">'
    ) in sidebar
    assert '<label for="source-quoted-to">To</label>' in sidebar
    # The search goes along with the form; the dates are the form's own.
    assert '<input type="hidden" name="q" value="ellis">' in sidebar
    assert 'type="hidden" name="quoted_from"' not in sidebar
    assert "<script" not in sidebar and "style=" not in sidebar
    # No counts beside the choices (a count over every source for each).
    assert "Show counts" not in html


@pytest.mark.parametrize(
    "query", [{"quoted_from": "last tuesday"}, {"section": "city"}, {"journalist": "x"}]
)
def test_a_value_that_is_not_one_is_an_error_not_a_crash(
    client, editor, newsroom, query
):
    client.force_login(editor)

    response = client.get(LIST, query)

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_filtered_list_makes_the_same_queries_for_few_or_many_sources(
    client, editor, django_assert_max_num_queries
):
    city = SectionFactory(name="City", slug="city")
    ana = JournalistFactory(name="Ana Ruiz")
    article = story("One", datetime.date(2026, 1, 5), city, [ana])
    QuoteFactory(article=article, source=SourceFactory(name="First"))
    query = {"section": city.pk, "journalist": ana.pk, "quoted_from": "2026-01-01"}
    client.force_login(editor)
    client.get(LIST, query)

    with django_assert_max_num_queries(14) as few:
        client.get(LIST, query)
    for number in range(20):
        QuoteFactory(article=article, source=SourceFactory(name=f"Source {number}"))
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST, query)
    assert len(listed_names(response.content.decode())) == 21


# Merging


def test_after_a_merge_the_kept_source_shows_both_sources_quotes(
    client, editor, newsroom
):
    mara, teo = newsroom["mara"], newsroom["teo"]
    client.force_login(editor)

    client.post(
        LIST,
        {
            "action": "merge_sources",
            "_selected_action": [mara.pk, teo.pk],
            "keep": mara.pk,
            "confirm": "yes",
        },
    )

    assert not Source.objects.filter(pk=teo.pk).exists()
    html = client.get(quotes_url(mara)).content.decode()
    assert summary_of(html)["Quotes"] == "5"
    assert summary_of(html)["Stories"] == "3"  # Teo was quoted in one of them
    assert [row[5] for row in table_rows(html)] == [
        "The dam held.",
        "A fine race.",
        "We trained all year.",
        "The river rose.",
        "She said the gauges were right.",
    ]
    sport = newsroom["sections"][1]
    assert listed_names(client.get(LIST, {"section": sport.pk}).content.decode()) == [
        "Mara Ellis"
    ]
