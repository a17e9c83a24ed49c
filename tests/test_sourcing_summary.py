"""The sourcing report's summary stays what a rebuild from scratch gives, and
the report read from it equals the report computed straight from the quotes
(``tests/sourcing_direct.py``), on every path that changes what it counts:
the workflow's transitions, edits of a published story, its bylines and
quotes, deleting stories and sources, merging sources, bulk writes, the
importer, the demo loader and the rebuild command."""

import dataclasses
import datetime
import random

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from articles import publishing
from articles.models import Article, Byline, Quote
from people.models import Source
from sourcing.models import BylineSource, StorySource
from sourcing.report import ATTRIBUTES, Filters, build_report
from sourcing.summary import rebuild, refresh_story

from . import sourcing_direct
from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

PERIOD = Filters(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
EVERYTHING = Filters(datetime.date(2000, 1, 1), datetime.date(2100, 12, 31))
USER = User(is_staff=True, is_superuser=True, is_active=True)


def noon(day):
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(12)),
        timezone.get_default_timezone(),
    )


def report(filters=PERIOD, **changes):
    return build_report(dataclasses.replace(filters, **changes), user=USER)


def summary_rows():
    stories = sorted(
        StorySource.objects.values_list(
            "article_id", "day", "month", "section_id", "source_id", "quotes"
        ),
        key=repr,
    )
    counted = list(
        StorySource.objects.values("article_id")
        .annotate(n=Sum("stories"))
        .values_list("n", flat=True)
    )
    bylines = sorted(
        BylineSource.objects.values_list(
            "article_id", "day", "section_id", "journalist_id", "source_id", "quotes"
        ),
        key=repr,
    )
    return stories, bylines, counted


def up_to_date(filters=PERIOD):
    """Assert that the summary, as the paths left it, is what a rebuild gives
    and that the report from it (whole, per section, per journalist, by each
    attribute) is the report straight from the quotes; return the report."""
    kept = summary_rows()
    assert set(kept[2]) <= {1}  # each story counted once
    rebuild()
    assert summary_rows() == kept
    variants = [filters]
    variants += [
        dataclasses.replace(filters, section=article.section)
        for article in Article.objects.exclude(section=None)
    ]
    variants += [
        dataclasses.replace(filters, journalist=byline.journalist)
        for byline in Byline.objects.select_related("journalist")
    ]
    variants += [dataclasses.replace(filters, attribute=key) for key in ATTRIBUTES]
    for variant in variants:
        assert build_report(variant, user=USER) == sourcing_direct.build_report(
            variant, user=USER
        ), variant
    return build_report(filters, user=USER)


@pytest.fixture
def desk():
    city = SectionFactory(name="City", slug="city")
    sport = SectionFactory(name="Sport", slug="sport")
    ana = JournalistFactory(name="Ana Ruiz", slug="ana-ruiz")
    ben = JournalistFactory(name="Ben Hart", slug="ben-hart")
    wanda = SourceFactory(
        name="Wanda", gender="woman", expertise=Source.Expertise.OFFICIAL
    )
    mark = SourceFactory(name="Mark", gender="man", expertise=Source.Expertise.EXPERT)
    out = ArticleFactory(
        section=city,
        published_at=noon(datetime.date(2026, 1, 10)),
        first_published_at=noon(datetime.date(2026, 1, 10)),
    )
    BylineFactory(article=out, journalist=ana)
    QuoteFactory(article=out, source=wanda)
    QuoteFactory(article=out, source=None, text="Nobody knows who said this.")
    draft = ArticleFactory(section=city, draft=True, headline="The draft")
    BylineFactory(article=draft, journalist=ben)
    QuoteFactory(article=draft, source=wanda, text="One thing.")
    QuoteFactory(article=draft, source=mark, text="Another thing.")
    return {
        "city": city,
        "sport": sport,
        "ana": ana,
        "ben": ben,
        "wanda": wanda,
        "mark": mark,
        "out": out,
        "draft": draft,
    }


def test_the_summary_starts_up_to_date(desk):
    shown = up_to_date()
    assert (shown.stories, shown.quotes, shown.attributed) == (1, 2, 1)


def test_publish_unpublish_kill_restore_and_publish_again(desk):
    draft = desk["draft"]
    at = noon(datetime.date(2026, 2, 3))
    assert publishing.publish(article=draft, by=None, at=at)
    shown = up_to_date()
    assert (shown.stories, shown.quotes, shown.sources) == (2, 4, 2)
    assert [g.label for g in shown.by_journalist] == ["Ana Ruiz", "Ben Hart"]

    assert publishing.unpublish(article=draft, by=None)
    assert up_to_date().quotes == 2

    assert publishing.publish(article=draft, by=None, at=at)
    assert publishing.kill(article=draft, by=None, reason="Legal advice.")
    assert up_to_date().quotes == 2
    assert publishing.restore_killed(article=draft, by=None)
    assert up_to_date().quotes == 2
    assert publishing.publish(article=draft, by=None, at=at)
    assert up_to_date().quotes == 4


def test_an_embargo_changes_nothing_the_report_counts(desk):
    until = timezone.now() + datetime.timedelta(days=2)
    assert publishing.embargo(article=desk["out"], by=None, until=until)
    assert up_to_date().quotes == 2
    assert publishing.lift_embargo(article=desk["out"], by=None)
    assert up_to_date().quotes == 2


def test_a_scheduled_story_counts_on_its_day_as_the_direct_count_does(desk):
    today = timezone.localdate()
    ahead = timezone.now() + datetime.timedelta(days=3)
    assert publishing.publish(article=desk["draft"], by=None, at=ahead)
    assert desk["draft"].is_scheduled
    coming = Filters(today, today + datetime.timedelta(days=10))
    assert up_to_date(coming).quotes == 2
    # Its time coming changes nothing stored: a period ending before it
    # leaves it out, one with its day counts it, before and after it comes.
    assert report(coming, date_to=today).quotes == 0
    assert report(coming, date_from=timezone.localdate(ahead)).quotes == 2


def test_editing_a_published_story(desk):
    out, sport = desk["out"], desk["sport"]
    out.section = sport
    out.save()
    assert [g.label for g in up_to_date().by_section] == ["Sport"]

    BylineFactory(article=out, journalist=desk["ben"], position=1)
    assert [g.label for g in up_to_date().by_journalist] == ["Ana Ruiz", "Ben Hart"]
    out.bylines.get(journalist=desk["ana"]).delete()
    assert [g.label for g in up_to_date().by_journalist] == ["Ben Hart"]

    quote = QuoteFactory(article=out, source=desk["mark"], text="More.")
    assert up_to_date().quotes == 3
    quote.source = None
    quote.save()
    assert up_to_date().attributed == 1
    quote.delete()
    assert up_to_date().quotes == 2

    out.published_at = noon(datetime.date(2026, 5, 1))
    out.save()
    assert up_to_date().quotes == 0
    assert up_to_date(EVERYTHING).by_month[0].label == "2026-05"


def test_deleting_a_story_or_a_source(desk):
    up_to_date()
    desk["wanda"].delete()  # its quotes become unattributed
    shown = up_to_date()
    assert (shown.quotes, shown.attributed) == (2, 0)
    desk["out"].delete()
    assert up_to_date().quotes == 0
    assert not StorySource.objects.exists()


def test_merging_sources_moves_their_quotes_in_the_report(client, desk):
    editor = User.objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    assert publishing.publish(
        article=desk["draft"], by=None, at=noon(datetime.date(2026, 2, 3))
    )
    assert up_to_date().sources == 2
    response = client.post(
        "/admin/people/source/",
        {
            "action": "merge_sources",
            "_selected_action": [desk["wanda"].pk, desk["mark"].pk],
            "keep": desk["wanda"].pk,
            "confirm": "yes",
        },
    )
    assert response.status_code == 302
    assert not Source.objects.filter(pk=desk["mark"].pk).exists()
    shown = up_to_date()
    assert (shown.sources, shown.most_quoted[0][1:]) == (1, (3, 2))


def test_bulk_writes_that_send_no_model_signal(desk):
    out, draft = desk["out"], desk["draft"]
    Quote.objects.bulk_create(
        [Quote(article=out, source=desk["mark"], text=f"Bulk {n}.") for n in range(3)]
    )
    assert up_to_date().quotes == 5
    Byline.objects.bulk_create([Byline(article=out, journalist=desk["ben"])])
    assert len(up_to_date().by_journalist) == 2
    Quote.objects.filter(article=out, source=desk["mark"]).update(source=None)
    assert up_to_date().attributed == 1
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED, published_at=noon(datetime.date(2026, 3, 1))
    )
    assert up_to_date().quotes == 7
    Article.objects.filter(pk=draft.pk).update(section=desk["sport"])
    assert [g.label for g in up_to_date().by_section] == ["City", "Sport"]
    Article.objects.filter(pk=out.pk).update(status=Article.Status.DRAFT)
    assert up_to_date().quotes == 2


def test_refresh_story_is_what_other_paths_call(desk):
    # A path that writes in raw SQL says so with refresh_story.
    Quote.objects.filter(article=desk["out"]).order_by().delete()
    StorySource.objects.create(
        article_id=desk["out"].pk,
        day=datetime.date(2026, 1, 10),
        month=datetime.date(2026, 1, 1),
        quotes=99,
        stories=1,
    )
    refresh_story(desk["out"])
    assert up_to_date().quotes == 0


def test_the_rebuild_command_restores_a_summary_written_behind_its_back(desk):
    StorySource.objects.all().delete()
    BylineSource.objects.all().delete()
    assert report().quotes == 0
    call_command("rebuild_sourcing_summary", stdout=open("/dev/null", "w"))
    assert up_to_date().quotes == 2


def test_the_importer_and_its_refresh(tmp_path, settings):
    from .test_articles_import import BARRIER, run, write

    settings.MEDIA_ROOT = tmp_path
    path = write(tmp_path / "copy", "barrier.txt", BARRIER)
    out, err, error = run(path, "--publish")
    assert error is None, err
    shown = up_to_date(EVERYTHING)
    assert shown.stories == 1 and shown.quotes >= 1
    out, err, error = run(path, "--publish", "--update")
    assert error is None, err
    assert up_to_date(EVERYTHING).quotes == shown.quotes


def test_the_demo_loader(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))
    shown = up_to_date(EVERYTHING)
    assert shown.quotes == Quote.objects.filter(article__status="published").count()
    assert shown.quotes > 0


def test_oracle_random_newsroom_and_changes():
    """A random newsroom, then random changes: the report from the summary is
    the report from the quotes, for many filters, after each."""
    rng = random.Random(14)
    sections = [SectionFactory(name=f"S{n}", slug=f"s{n}") for n in range(3)]
    journalists = [JournalistFactory(name=f"J{n}", slug=f"j{n}") for n in range(4)]
    genders = ["woman", "Woman", "man", "", "unknown", "non-binary"]
    sources = [
        SourceFactory(
            name=f"Src {n}",
            gender=rng.choice(genders),
            age_band=rng.choice(["", *Source.AgeBand.values]),
            expertise=rng.choice(["", *Source.Expertise.values]),
            location=rng.choice(["", "Port Aldren", "Unknown"]),
        )
        for n in range(9)
    ]
    stories = []
    for n in range(30):
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(95))
        status = rng.choice(["published"] * 4 + ["draft", "killed"])
        article = ArticleFactory(
            section=rng.choice(sections),
            status=status,
            published_at=noon(day),
            first_published_at=noon(day),
            headline=f"Story {n}",
            slug=f"story-{n}",
        )
        for position, journalist in enumerate(
            rng.sample(journalists, rng.choice([0, 1, 1, 2, 3]))
        ):
            BylineFactory(article=article, journalist=journalist, position=position)
        for q in range(rng.randrange(5)):
            QuoteFactory(
                article=article,
                source=rng.choice([None, *sources]),
                text=f"Quote {n}.{q}",
            )
        stories.append(article)
    periods = [
        PERIOD,
        Filters(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
        Filters(datetime.date(2026, 1, 15), datetime.date(2026, 3, 2)),
    ]
    for period in periods:
        up_to_date(period)
    for _ in range(12):
        article = rng.choice(stories)
        change = rng.randrange(4)
        if change == 0:
            article.status = rng.choice(["published", "draft"])
            article.save()
        elif change == 1:
            article.section = rng.choice(sections)
            article.save()
        elif change == 2:
            QuoteFactory(article=article, source=rng.choice(sources), text="New.")
        else:
            Quote.objects.filter(article=article).update(source=rng.choice(sources))
    for period in periods:
        up_to_date(period)


@pytest.mark.parametrize("count", [2, 20])
def test_the_report_makes_the_same_queries_with_any_filters(
    desk, django_assert_max_num_queries, count
):
    for n in range(count):
        story = ArticleFactory(
            section=desk["sport"],
            published_at=noon(datetime.date(2026, 2, 1 + n % 27)),
            headline=f"More {n}",
            slug=f"more-{n}",
        )
        BylineFactory(article=story, journalist=desk["ana"])
        QuoteFactory(article=story, source=SourceFactory(gender=f"g{n}"))
    for filters in [
        PERIOD,
        dataclasses.replace(PERIOD, section=desk["sport"]),
        dataclasses.replace(PERIOD, journalist=desk["ana"], attribute="expertise"),
    ]:
        with django_assert_max_num_queries(4):
            build_report(filters, user=USER)


# Through the desk's forms: the story form with its inlines, and History.


@pytest.fixture
def editor(client):
    user = User.objects.create_user("ed", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    return client


def test_the_story_form_and_its_quote_inline(editor, desk):
    from .admin_forms import posted_back

    out = desk["out"]
    url = f"/admin/articles/article/{out.pk}/change/"
    page = editor.get(url)
    data = posted_back(page, section=desk["sport"].pk)
    n = int(data["quotes-TOTAL_FORMS"])
    data["quotes-TOTAL_FORMS"] = str(n + 1)
    data |= {
        f"quotes-{n}-text": "Added in the form.",
        f"quotes-{n}-kind": "direct",
        f"quotes-{n}-position": str(n),
        f"quotes-{n}-source": desk["mark"].pk,
        f"quotes-{n}-article": out.pk,
    }
    # The unattributed quote is attributed in the inline.
    for i in range(n):
        if not data.get(f"quotes-{i}-source"):
            data[f"quotes-{i}-source"] = desk["wanda"].pk
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    shown = up_to_date()
    assert (shown.quotes, shown.attributed, shown.sources) == (3, 3, 2)
    assert [g.label for g in shown.by_section] == ["Sport"]


def test_restoring_an_earlier_version_from_history(editor, desk):
    import reversion
    from reversion.models import Version

    from .admin_forms import posted_back

    out = desk["out"]
    with reversion.create_revision():
        reversion.add_to_revision(out)
    version = Version.objects.get_for_object(out).first()
    out.quotes.all().delete()
    assert up_to_date().quotes == 0
    url = f"/admin/articles/article/{out.pk}/history/{version.pk}/"
    page = editor.get(url)
    assert page.status_code == 200
    response = editor.post(url, posted_back(page), follow=True)
    assert response.status_code == 200
    assert out.quotes.count() == 2
    assert up_to_date().quotes == 2
