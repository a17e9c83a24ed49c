"""The sourcing report: exact figures on a small known newsroom, the filters,
the CSV export, who may see it, and that sources' self-described attributes
never reach a public surface or the API."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from people.models import Source
from sourcing.forms import ReportFilterForm
from sourcing.report import CSV_COLUMNS, Filters, build_report

from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)
from .test_reader_visibility import START, walk

pytestmark = pytest.mark.django_db

REPORT = "/admin/sourcing/sourcingreport/"
CSV = "/admin/sourcing/sourcingreport/csv/"
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-02-28"}


def noon(day):
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(12)),
        timezone.get_default_timezone(),
    )


def story(section, day, journalists, **kwargs):
    article = ArticleFactory(
        section=section, published_at=noon(day), first_published_at=noon(day), **kwargs
    )
    for position, journalist in enumerate(journalists):
        BylineFactory(article=article, journalist=journalist, position=position)
    return article


def make_user(username, group=None, **flags):
    user = User.objects.create_user(username, **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def newsroom():
    """Three published stories in January–February 2026, plus a draft and an
    older story that the period leaves out."""
    city = SectionFactory(name="City", slug="city")
    sport = SectionFactory(name="Sport", slug="sport")
    ana = JournalistFactory(name="Ana Ruiz", slug="ana-ruiz")
    ben = JournalistFactory(name="Ben Hart", slug="ben-hart")
    wanda = SourceFactory(
        name="Wanda Official",
        gender="woman",
        age_band=Source.AgeBand.AGE_30_44,
        location="Port Aldren",
        expertise=Source.Expertise.OFFICIAL,
    )
    # Typed differently: counted with “woman”.
    wren = SourceFactory(
        name="Wren Expert", gender="  Woman ", expertise=Source.Expertise.EXPERT
    )
    mark = SourceFactory(
        name="Mark Official", gender="man", expertise=Source.Expertise.OFFICIAL
    )
    # Has told us nothing; the location typed as “unknown” means the same.
    uri = SourceFactory(name="Uri Unknown", location="unknown")
    secret = SourceFactory(
        name="Secret Name",
        on_record=False,
        description="a dock worker",
        gender="non-binary",
        expertise=Source.Expertise.AFFECTED,
    )
    a1 = story(city, datetime.date(2026, 1, 10), [ana])
    QuoteFactory(article=a1, source=wanda)
    QuoteFactory(article=a1, source=wanda, text="A second thing she said.")
    QuoteFactory(article=a1, source=mark)
    QuoteFactory(article=a1, source=None, text="Nobody knows who said this.")
    a2 = story(sport, datetime.date(2026, 2, 15), [ana, ben])
    QuoteFactory(article=a2, source=wren)
    QuoteFactory(article=a2, source=uri)
    QuoteFactory(article=a2, source=secret)
    a3 = story(city, datetime.date(2026, 2, 20), [ben])
    QuoteFactory(article=a3, source=mark)
    # Left out: a draft, and a story published before the period.
    draft = ArticleFactory(section=city, draft=True)
    QuoteFactory(article=draft, source=wanda)
    old = story(city, datetime.date(2025, 12, 1), [ana])
    QuoteFactory(article=old, source=uri)
    return {"city": city, "sport": sport, "ana": ana, "ben": ben}


def report_for(user=None, **data):
    form = ReportFilterForm({**PERIOD, **data})
    assert form.is_valid(), form.errors
    user = user or User(is_staff=True, is_superuser=True, is_active=True)
    return build_report(form.filters(), user=user)


def figures(rows):
    return [(r.value, r.quotes, r.quote_share, r.sources, r.source_share) for r in rows]


def test_totals_count_published_stories_in_the_period_and_unattributed_quotes(
    newsroom,
):
    report = report_for()
    assert report.stories == 3
    assert report.quotes == 8
    assert report.attributed == 7
    assert report.unattributed == 1
    assert report.unattributed_share == 12.5
    assert report.sources == 5


def test_gender_shares_count_spellings_together_and_unknown_last(newsroom):
    label, rows = report_for().attributes["gender"]
    assert label == "Gender"
    assert figures(rows) == [
        ("woman", 3, 42.9, 2, 40.0),
        ("man", 2, 28.6, 1, 20.0),
        ("non-binary", 1, 14.3, 1, 20.0),
        ("Unknown", 1, 14.3, 1, 20.0),
    ]


def test_choice_attributes_are_shown_by_label_with_unknown_counted(newsroom):
    report = report_for()
    assert figures(report.attributes["expertise"][1]) == [
        ("Official", 4, 57.1, 2, 40.0),
        ("Affected person", 1, 14.3, 1, 20.0),
        ("Expert", 1, 14.3, 1, 20.0),
        ("Unknown", 1, 14.3, 1, 20.0),
    ]
    assert figures(report.attributes["age_band"][1]) == [
        ("30–44", 2, 28.6, 1, 20.0),
        ("Unknown", 5, 71.4, 4, 80.0),
    ]
    assert figures(report.attributes["location"][1]) == [
        ("Port Aldren", 2, 28.6, 1, 20.0),
        ("Unknown", 5, 71.4, 4, 80.0),
    ]


def test_official_and_non_official_voices(newsroom):
    assert figures(report_for().official) == [
        ("Official", 4, 57.1, 2, 40.0),
        ("Non-official", 2, 28.6, 2, 40.0),
        ("Unknown", 1, 14.3, 1, 20.0),
    ]


def test_breakdowns_by_section_journalist_and_month(newsroom):
    report = report_for()
    by_section = {
        g.label: (g.quotes, g.sources, figures(g.rows)) for g in report.by_section
    }
    assert by_section == {
        "City": (4, 2, [("man", 2, 50.0, 1, 50.0), ("woman", 2, 50.0, 1, 50.0)]),
        "Sport": (
            3,
            3,
            [
                ("non-binary", 1, 33.3, 1, 33.3),
                ("woman", 1, 33.3, 1, 33.3),
                ("Unknown", 1, 33.3, 1, 33.3),
            ],
        ),
    }
    # A story with two bylines counts for both journalists.
    by_journalist = {
        g.label: (g.quotes, g.sources, figures(g.rows)) for g in report.by_journalist
    }
    assert by_journalist["Ana Ruiz"] == (
        6,
        5,
        [
            ("woman", 3, 50.0, 2, 40.0),
            ("man", 1, 16.7, 1, 20.0),
            ("non-binary", 1, 16.7, 1, 20.0),
            ("Unknown", 1, 16.7, 1, 20.0),
        ],
    )
    assert by_journalist["Ben Hart"][:2] == (4, 4)
    assert [g.label for g in report.by_month] == ["2026-01", "2026-02"]
    january, february = report.by_month
    assert (january.quotes, january.sources) == (3, 2)
    assert figures(january.rows) == [
        ("woman", 2, 66.7, 1, 50.0),
        ("man", 1, 33.3, 1, 50.0),
    ]
    assert (february.quotes, february.sources) == (4, 4)


def test_breakdowns_follow_the_chosen_attribute(newsroom):
    report = report_for(attribute="expertise")
    city = next(g for g in report.by_section if g.label == "City")
    assert figures(city.rows) == [("Official", 4, 100.0, 2, 100.0)]


def test_most_quoted_sources(newsroom):
    assert report_for().most_quoted[:3] == [
        ("Mark Official", 2, 2),
        ("Wanda Official", 2, 1),
        ("Secret Name", 1, 1),
    ]


def test_anonymous_sources_are_named_as_the_viewer_may_see_them(newsroom):
    reporter = make_user("rita", "Reporter", is_staff=True)
    names = [name for name, _, _ in report_for(user=reporter).most_quoted]
    assert "Secret Name" not in names
    assert "a dock worker" in names


def test_period_filter(newsroom):
    report = report_for(date_from="2026-02-01", date_to="2026-02-28")
    assert (report.stories, report.quotes, report.unattributed) == (2, 4, 0)
    # Both days are included.
    report = report_for(date_from="2026-01-10", date_to="2026-01-10")
    assert (report.stories, report.quotes) == (1, 4)


def test_section_filter(newsroom):
    report = report_for(section=newsroom["city"].pk)
    assert (report.stories, report.quotes, report.unattributed) == (2, 5, 1)
    assert [g.label for g in report.by_section] == ["City"]


def test_journalist_filter_counts_a_shared_story_once(newsroom):
    report = report_for(journalist=newsroom["ben"].pk)
    assert (report.stories, report.quotes, report.attributed) == (2, 4, 4)
    assert report.sources == 4


def test_default_period_is_the_last_90_days():
    now = timezone.now()
    recent = ArticleFactory(published_at=now - datetime.timedelta(days=10))
    QuoteFactory(article=recent)
    older = ArticleFactory(published_at=now - datetime.timedelta(days=120))
    QuoteFactory(article=older)
    form = ReportFilterForm({})
    assert form.is_valid()
    filters = form.filters()
    assert (filters.date_to - filters.date_from).days == 90
    report = build_report(filters, user=User(is_superuser=True, is_active=True))
    assert (report.stories, report.quotes) == (1, 1)


def test_an_empty_period_shows_zeros_not_errors(admin_client):
    report = build_report(
        Filters(datetime.date(2026, 1, 1), datetime.date(2026, 1, 2)),
        user=User(is_superuser=True),
    )
    assert (report.quotes, report.sources, report.unattributed_share) == (0, 0, 0.0)
    response = admin_client.get(REPORT, PERIOD)
    assert response.status_code == 200
    assert "No attributed quotes in this period." in response.content.decode()


def test_the_page_shows_tables_charts_and_the_csv_link(admin_client, newsroom):
    response = admin_client.get(REPORT, PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Gender: share of attributed quotes</title>" in page
    assert 'role="img"' in page
    assert "42.9%" in page
    assert "Unattributed quotes" in page
    assert "Wanda Official" in page
    assert f'href="{CSV}?date_from=2026-01-01&amp;date_to=2026-02-28"' in page
    assert "<script" not in page.split('id="content-main"')[1]


def test_bad_filters_get_a_form_error_not_a_server_error(admin_client):
    response = admin_client.get(
        REPORT, {"date_from": "2026-03-01", "date_to": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "The period must begin before it ends." in response.content.decode()
    assert admin_client.get(REPORT, {"date_from": "yesterday"}).status_code == 400
    assert admin_client.get(REPORT, {"section": "999999"}).status_code == 400
    assert admin_client.get(CSV, {"date_to": "nope"}).status_code == 400


def test_a_report_covers_at_most_a_year(admin_client):
    a_leap_year = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
    assert admin_client.get(REPORT, a_leap_year).status_code == 200
    longer = {"date_from": "2024-01-01", "date_to": "2025-01-01"}
    response = admin_client.get(REPORT, longer)
    assert response.status_code == 400
    assert "A report covers at most a year (366 days)" in response.content.decode()
    assert admin_client.get(CSV, longer).status_code == 400


def test_csv_has_the_documented_columns_and_the_same_figures(admin_client, newsroom):
    response = admin_client.get(CSV, {**PERIOD, "section": newsroom["city"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert (
        rows[0]
        == CSV_COLUMNS
        == [
            "table",
            "attribute",
            "group",
            "value",
            "quotes",
            "quote_share",
            "sources",
            "source_share",
        ]
    )
    assert ["summary", "", "", "quotes", "5", "", "", ""] in rows
    assert ["summary", "", "", "unattributed quotes", "1", "", "", ""] in rows
    assert ["attribute", "gender", "", "woman", "2", "50.0", "1", "50.0"] in rows
    assert ["attribute", "gender", "", "man", "2", "50.0", "1", "50.0"] in rows
    assert ["official", "expertise", "", "Official", "4", "100.0", "2", "100.0"] in rows
    assert ["section", "gender", "City", "woman", "2", "50.0", "1", "50.0"] in rows
    assert ["month", "gender", "2026-01", "man", "1", "33.3", "1", "50.0"] in rows
    assert [
        "journalist",
        "gender",
        "Ben Hart",
        "man",
        "1",
        "100.0",
        "1",
        "100.0",
    ] in rows
    assert ["most_quoted", "", "", "Mark Official", "2", "", "2", ""] in rows
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)


def test_csv_cells_that_look_like_formulas_are_defused(admin_client):
    article = ArticleFactory()
    QuoteFactory(article=article, source=SourceFactory(name="=HYPERLINK(1)"))
    rows = list(csv.reader(io.StringIO(admin_client.get(CSV).content.decode())))
    assert ["most_quoted", "", "", "'=HYPERLINK(1)", "1", "", "1", ""] in rows


def many_stories(count):
    section = SectionFactory(name="Busy", slug="busy")
    for n in range(count):
        article = story(
            section,
            datetime.date(2026, 1 + n % 2, 1 + n % 27),
            [JournalistFactory()],
            headline=f"Busy story {n}",
            slug=f"busy-story-{n}",
        )
        QuoteFactory(article=article, source=SourceFactory(gender=f"g{n}"))
        QuoteFactory(article=article, source=None)


@pytest.mark.parametrize("count", [2, 20])
def test_the_report_makes_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries, count
):
    many_stories(count)
    admin_client.get(REPORT, PERIOD)  # the session and such, once
    with django_assert_max_num_queries(18):
        response = admin_client.get(REPORT, PERIOD)
    assert response.status_code == 200
    assert "Busy story" not in response.content.decode()  # figures, not stories
    report = report_for()  # the form's look-ups are not in the count below
    assert report.stories == count
    filters = report.filters
    with CaptureQueriesContext(connection) as queries:
        build_report(filters, user=User(is_superuser=True))
    # From the summary: per source (totals, the five attributes, the top
    # sources) and three breakdowns.
    assert len(queries) == 4
    with django_assert_max_num_queries(18):
        assert admin_client.get(CSV, PERIOD).status_code == 200


# Who may see the report and the attributes.

ROLE_USERS = {
    "editor": ("Editor", True),
    "reporter": ("Reporter", True),
    "photo editor": ("Photo editor", True),
    "not staff": (None, False),
}


@pytest.mark.parametrize(
    "role,expected",
    [("editor", 200), ("reporter", 403), ("photo editor", 403), ("not staff", 302)],
)
def test_only_those_who_may_edit_sources_see_the_report(client, role, expected):
    group, staff = ROLE_USERS[role]
    client.force_login(make_user("someone", group, is_staff=staff))
    for url in (REPORT, CSV):
        response = client.get(url)
        assert response.status_code == expected, (role, url)
        if expected == 302:
            assert "/admin/login/" in response["Location"]
    index = client.get("/admin/").content.decode()
    assert ("Sourcing report" in index) == (expected == 200)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(REPORT)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_source_list_links_to_the_report_for_editors_only(client):
    SourceFactory()
    client.force_login(make_user("ed", "Editor", is_staff=True))
    assert REPORT in client.get("/admin/people/source/").content.decode()
    client.force_login(make_user("rita", "Reporter", is_staff=True))
    assert REPORT not in client.get("/admin/people/source/").content.decode()


MARKERS = {
    "gender": "zqgendermarker",
    "location": "zqlocationmarker",
    "other_attributes": "zqothermarker",
}


@pytest.fixture
def marked_source():
    source = SourceFactory(
        name="Lina Chey",
        slug="lina-chey",
        age_band=Source.AgeBand.AGE_65_PLUS,
        expertise=Source.Expertise.CIVIL_SOCIETY,
        **MARKERS,
    )
    return source


@pytest.mark.parametrize(
    "group,sees", [("Editor", True), ("Reporter", False), ("Photo editor", False)]
)
def test_attributes_in_the_source_form_only_for_those_who_may_edit_sources(
    client, marked_source, group, sees
):
    client.force_login(make_user("someone", group, is_staff=True))
    response = client.get(f"/admin/people/source/{marked_source.pk}/change/")
    if group == "Photo editor":
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert response.status_code == 200
    for marker in MARKERS.values():
        assert (marker in page) is sees
    assert ('name="gender"' in page) is sees
    assert ("Self-described (private)" in page) is sees
    assert ("65 and over" in page) is sees


def test_an_editor_records_self_described_attributes(client, marked_source):
    client.force_login(make_user("ed", "Editor", is_staff=True))
    url = f"/admin/people/source/{marked_source.pk}/change/"
    page = client.get(url).content.decode()
    # Common answers are offered, not imposed.
    assert 'list="id_gender_suggestions"' in page
    assert '<option value="non-binary">' in page
    response = client.post(
        url,
        {
            "name": "Lina Chey",
            "slug": "lina-chey",
            "kind": "person",
            "description": "",
            "organisation": "",
            "on_record": "on",
            "contact_details": "",
            "notes": "",
            "gender": "genderqueer",
            "age_band": "18-29",
            "location": "Northside",
            "expertise": "expert",
            "other_attributes": "first-time voter",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    marked_source.refresh_from_db()
    assert (marked_source.gender, marked_source.age_band) == ("genderqueer", "18-29")
    assert marked_source.expertise == "expert"


def test_no_public_surface_or_api_shows_self_described_attributes(
    client, marked_source
):
    author = JournalistFactory(name="Mara Quint", slug="mara-quint")
    section = SectionFactory(name="City", slug="city")
    article = ArticleFactory(headline="Harbour wall vote", section=section)
    BylineFactory(article=article, journalist=author)
    QuoteFactory(article=article, source=marked_source)
    article.tags.add("harbour", "shared")
    assert Article.objects.published().filter(pk=article.pk).exists()
    pages = walk(
        client,
        START
        + [
            f"/api/stories/{article.pk}/",
            f"/api/stories/{article.pk}/ninjs",
            "/search/?q=Lina",
            "/search/?q=civil",
        ],
    )
    ok = {url for url, response in pages.items() if response.status_code == 200}
    for expected in [
        article.get_absolute_url(),
        "/sources/lina-chey/",
        "/authors/mara-quint/",
        "/city/",
        "/tags/harbour/",
        f"/api/stories/{article.pk}/ninjs",
    ]:
        assert expected in ok, expected
    assert any(url.startswith("/sitemap-stories-") for url in ok)
    assert any(url.startswith("/feeds/") for url in ok)
    for url, response in pages.items():
        assert response.status_code < 500, url
        text = response.content.decode()
        for marker in [*MARKERS.values(), "65 and over", "Civil society"]:
            assert marker not in text, f"{marker} leaked on {url}"
