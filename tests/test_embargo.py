"""Embargoes: a published story held back until a time of its own.

Until its embargo lifts, the story is on no public surface — walked here as a
reader walks the site, following every link — and once it lifts it is on all
of them, served fresh by the page cache with nobody saving anything. The desk
sees the embargo; only those who may change the story preview it; the
importer takes it from ninjs and NewsML-G2 copy.
"""

import datetime
import io
import json
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import publishing
from articles.events import story_event
from articles.importing.newsml import read_newsml
from articles.importing.ninjs import read_ninjs
from articles.models import Article, Byline
from articles.sitemaps import month_key
from newsroom import page_cache
from people.models import Journalist

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    JournalistFactory,
    PhotoFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)
from .test_desk import CHANGELIST, change_url, edit_form, member
from .test_reader_visibility import START, walk

pytestmark = pytest.mark.django_db

MARKER = "zqembargomarker"
LIFTS_IN = datetime.timedelta(hours=2)


@pytest.fixture
def newsroom():
    """A public story, and a published story under embargo for two more hours
    with its own section, tag, journalist, on-record source, photo and
    correction. It shares a tag with the public story, so it would be among
    that story's related stories."""
    now = timezone.now()
    city = SectionFactory(name="City", slug="city")
    inquiry = SectionFactory(name="Inquiry", slug="inquiry")
    public = ArticleFactory(
        headline="Harbour wall repairs begin",
        slug="harbour-wall-repairs",
        section=city,
        published_at=now - datetime.timedelta(hours=3),
    )
    public.tags.add("harbour")
    BylineFactory(article=public, journalist=JournalistFactory(slug="mara-quint"))
    embargoed = ArticleFactory(
        headline=f"Report {MARKER} finds the harbour wall unsafe",
        slug=f"{MARKER}-report",
        standfirst=f"Standfirst {MARKER}.",
        body=f"<p>Body {MARKER}: the quillwort survey.</p>",
        section=inquiry,
        lead_photo=PhotoFactory(caption=f"Caption {MARKER}"),
        published_at=now - datetime.timedelta(hours=1),
        embargoed_until=now + LIFTS_IN,
    )
    embargoed.tags.add("harbour", "Sea defences")
    BylineFactory(
        article=embargoed,
        journalist=JournalistFactory(name="Vera Lind", slug="vera-lind"),
    )
    QuoteFactory(
        article=embargoed,
        source=SourceFactory(name="Owen Hart", slug="owen-hart", on_record=True),
        text=f"Quote {MARKER}",
    )
    CorrectionFactory(article=embargoed, text=f"Correction {MARKER}")
    return {"public": public, "embargoed": embargoed}


def surfaces(story):
    """The embargoed story's own addresses and the lists it would be on."""
    return {
        "story": story.get_absolute_url(),
        "home": "/",
        "section": "/inquiry/",
        "tag": "/tags/sea-defences/",
        "shared tag": "/tags/harbour/",
        "author": "/authors/vera-lind/",
        "source": "/sources/owen-hart/",
        "search": "/search/?q=quillwort",
        "search for what it shares": "/search/?q=harbour",
        "corrections": "/corrections/",
        "feed": "/feeds/rss/",
        "atom feed": "/feeds/atom/",
        "section feed": "/feeds/sections/inquiry/rss/",
        "section atom feed": "/feeds/sections/inquiry/atom/",
        "author feed": "/feeds/authors/vera-lind/rss/",
        "author atom feed": "/feeds/authors/vera-lind/atom/",
        "corrections feed": "/feeds/corrections/rss/",
        "corrections atom feed": "/feeds/corrections/atom/",
        "month sitemap": reverse(
            "articles:sitemap_section", args=[month_key(story.published_on)]
        ),
        "news sitemap": "/sitemap-news.xml",
        "api list": "/api/stories/",
        "api detail": f"/api/stories/{story.pk}/",
        "ninjs": f"/api/stories/{story.pk}/ninjs",
        "related stories": "/city/harbour-wall-repairs/",
    }


# What shows the story once it is out, and how (the marker, or its address or
# section for the sitemaps that list addresses only).
SHOWN_BY = {
    "sitemap index": ("/sitemap.xml", None),
    "sections sitemap": ("/sitemap-sections.xml", "/inquiry/"),
    "authors sitemap": ("/sitemap-authors.xml", "/authors/vera-lind/"),
}


def structured_data(html):
    """The JSON-LD blocks of a page, parsed."""
    found = re.findall(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S
    )
    return [json.loads(block) for block in found]


def test_an_embargoed_story_is_on_no_public_surface_until_it_lifts(client, newsroom):
    story = newsroom["embargoed"]
    urls = surfaces(story)
    by_id = [f"/api/stories/{story.pk}/", f"/api/stories/{story.pk}/ninjs"]
    pages = walk(client, START + list(urls.values()) + by_id)

    ok = {url for url, response in pages.items() if response.status_code == 200}
    assert len(ok) > 30  # the walk covered the site
    for expected in ["/", "/inquiry/", "/authors/vera-lind/", "/sitemap-sections.xml"]:
        assert expected in ok, expected
    for url, response in pages.items():
        assert response.status_code < 500, url
        assert MARKER not in response.content.decode(), f"leaked on {url}"
    for name in ["story", "tag", "source", "api detail", "ninjs"]:
        assert pages[urls[name]].status_code == 404, name
    assert b"/inquiry/" not in pages["/sitemap-sections.xml"].content
    authors = client.get("/sitemap-authors.xml").content
    assert b"/authors/vera-lind/" not in authors
    assert client.get("/api/stories/").json()["count"] == 1
    assert not Article.objects.published().filter(pk=story.pk).exists()
    assert not Article.objects.get(pk=story.pk).is_published()

    # Two hours on, with nobody saving anything, it is on every one of them,
    # and the pages read (and cached) above are not served again.
    with time_machine.travel(timezone.now() + LIFTS_IN + datetime.timedelta(1 / 24)):
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, name
            assert MARKER in response.content.decode(), name
        for name, (url, shown) in SHOWN_BY.items():
            response = client.get(url)
            assert response.status_code == 200, name
            if shown:
                assert shown in response.content.decode(), name
        page = client.get(story.get_absolute_url()).content.decode()
        [article_data] = [d for d in structured_data(page) if "headline" in d]
        assert article_data["headline"] == story.headline
        assert client.get("/api/stories/").json()["count"] == 2
        assert Article.objects.get(pk=story.pk).is_published()


def test_the_page_cache_keeps_no_page_past_the_embargos_end(client, newsroom):
    story = newsroom["embargoed"]
    start = timezone.now()
    Article.objects.filter(pk=story.pk).update(
        embargoed_until=start + datetime.timedelta(seconds=5)
    )
    with time_machine.travel(start, tick=False) as clock:
        page_cache.settle()
        first = client.get("/")
        assert MARKER not in first.content.decode()
        # Neither this cache nor a browser or CDN keeps it past the lifting.
        assert first["Cache-Control"] == "public, max-age=5, s-maxage=5"
        assert MARKER not in client.get("/").content.decode()
        clock.shift(datetime.timedelta(seconds=3))
        assert MARKER not in client.get("/").content.decode()
        clock.shift(datetime.timedelta(seconds=3))
        assert MARKER in client.get("/").content.decode()
        assert client.get(story.get_absolute_url()).status_code == 200


def test_an_embargo_ending_before_a_scheduled_time_changes_nothing(client):
    now = timezone.now()
    story = ArticleFactory(
        published_at=now + datetime.timedelta(hours=3),
        embargoed_until=now + datetime.timedelta(hours=1),
    )
    assert story.workflow_state == "scheduled"
    with time_machine.travel(now + datetime.timedelta(hours=2)):
        assert client.get(story.get_absolute_url()).status_code == 404
    with time_machine.travel(now + datetime.timedelta(hours=4)):
        assert client.get(story.get_absolute_url()).status_code == 200


def test_bylines_carry_the_time_the_story_comes_out(newsroom):
    story = newsroom["embargoed"]
    [byline] = Byline.objects.filter(article=story)
    assert byline.story_published_at == story.embargoed_until
    # Every path that changes the embargo reaches the bylines: save, update,
    # bulk_update.
    story.embargoed_until = None
    story.save()
    byline.refresh_from_db()
    assert byline.story_published_at == story.published_at
    later = story.published_at + datetime.timedelta(days=1)
    Article.objects.filter(pk=story.pk).update(embargoed_until=later)
    byline.refresh_from_db()
    assert byline.story_published_at == later
    story.embargoed_until = story.published_at - datetime.timedelta(hours=1)
    Article.objects.bulk_update([story], ["embargoed_until"])
    byline.refresh_from_db()
    assert byline.story_published_at == story.published_at


# Preview -------------------------------------------------------------------


def test_only_those_who_may_change_an_embargoed_story_preview_it(client, newsroom):
    story = newsroom["embargoed"]
    url = reverse("articles:preview", args=[story.pk])
    refused = client.get(url)
    assert refused.status_code == 302 and "/admin/login/" in refused["Location"]

    other = member("rita", "Reporter")
    client.force_login(other)
    refused = client.get(url)
    assert refused.status_code == 302 and MARKER not in refused.content.decode()
    # Not embargoed, the same reporter previews it like any story.
    public = client.get(reverse("articles:preview", args=[newsroom["public"].pk]))
    assert public.status_code == 200

    author = member("vera", "Reporter")
    Journalist.objects.filter(slug="vera-lind").update(user=author)
    client.force_login(author)
    assert MARKER in client.get(url).content.decode()

    client.force_login(member("ed", "Editor"))
    shown = client.get(url)
    assert shown.status_code == 200 and MARKER in shown.content.decode()
    assert shown["X-Robots-Tag"] == "noindex, nofollow"


# The desk ------------------------------------------------------------------


def test_the_desk_sees_the_embargo_in_the_list_and_on_the_form(client, newsroom):
    story = newsroom["embargoed"]
    client.force_login(member("ed", "Editor"))
    until = timezone.localtime(story.embargoed_until).strftime("%-d %b %Y, %H:%M")
    listed = client.get(CHANGELIST).content.decode()
    assert f"Embargoed until {until}" in listed
    embargoed = client.get(CHANGELIST, {"state": "embargoed"}).content.decode()
    assert story.headline in embargoed
    assert newsroom["public"].headline not in embargoed
    published = client.get(CHANGELIST, {"state": "published"}).content.decode()
    assert newsroom["public"].headline in published
    assert story.headline not in published

    form = client.get(change_url(story)).content.decode()
    assert "Embargoed until" in form
    assert 'name="embargoed_until_0"' in form
    assert Article.objects.get(pk=story.pk).workflow_state == "embargoed"


def embargo_fields(moment):
    local = timezone.localtime(moment) if moment else None
    return {
        "embargoed_until_0": local.strftime("%Y-%m-%d") if local else "",
        "embargoed_until_1": local.strftime("%H:%M:%S") if local else "",
    }


def events_sent():
    sent = []

    def record(sender, kind, article_id, details, **kwargs):
        sent.append((kind, article_id, details))

    story_event.connect(record, weak=False)
    return sent, lambda: story_event.disconnect(record)


def test_an_editor_sets_and_lifts_an_embargo_on_the_form(
    client, newsroom, django_capture_on_commit_callbacks
):
    public = newsroom["public"]
    client.force_login(member("ed", "Editor"))
    until = (timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)
    sent, stop = events_sent()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            data = edit_form(client, public) | embargo_fields(until)
            response = client.post(change_url(public), data)
        assert response.status_code == 302
        public.refresh_from_db()
        assert public.embargoed_until == until
        assert client.get("/api/stories/").json()["count"] == 0
        assert sent == [("embargoed", public.pk, {"until": until})]

        with django_capture_on_commit_callbacks(execute=True):
            data = edit_form(client, public) | embargo_fields(None)
            response = client.post(change_url(public), data)
        assert response.status_code == 302
        public.refresh_from_db()
        assert public.embargoed_until is None
        assert sent[-1] == ("embargo_lifted", public.pk, {"until": until})
    finally:
        stop()
    client.logout()
    assert client.get(public.get_absolute_url()).status_code == 200


def test_a_reporter_cannot_set_an_embargo(client):
    reporter = member("rita", "Reporter")
    draft = ArticleFactory(draft=True, created_by=reporter)
    client.force_login(reporter)
    form = client.get(change_url(draft)).content.decode()
    assert 'name="embargoed_until_0"' not in form  # shown, not editable
    until = timezone.now() + datetime.timedelta(days=1)
    data = edit_form(client, draft) | embargo_fields(until)
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.embargoed_until is None
    refused = publishing.embargo(article=draft, by=reporter, until=until)
    assert not refused.done
    assert refused.reasons == ("Only editors who may publish can set an embargo.",)


# The transitions -------------------------------------------------------------


def test_embargo_and_lift_are_one_revision_each_and_say_so(
    newsroom, django_capture_on_commit_callbacks
):
    story = newsroom["public"]
    editor = member("ed", "Editor")
    until = timezone.now() + datetime.timedelta(hours=6)
    sent, stop = events_sent()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            publishing.embargo(article=story, by=editor, until=until)
        assert not Article.objects.published().filter(pk=story.pk).exists()
        [version] = Version.objects.get_for_object(story)
        assert version.revision.comment.startswith("Embargoed until ")
        assert version.revision.user == editor
        with django_capture_on_commit_callbacks(execute=True):
            publishing.lift_embargo(article=story, by=editor)
        assert Article.objects.published().filter(pk=story.pk).exists()
        assert Version.objects.get_for_object(story).count() == 2
    finally:
        stop()
    assert sent == [
        ("embargoed", story.pk, {"until": until}),
        ("embargo_lifted", story.pk, {"until": until}),
    ]


def test_an_embargo_must_end_in_the_future(newsroom):
    story = newsroom["public"]
    past = publishing.embargo(
        article=story, by=None, until=timezone.now() - datetime.timedelta(1)
    )
    assert not past.done and "has passed" in past.message
    naive = publishing.embargo(
        article=story,
        by=None,
        until=datetime.datetime(2030, 1, 1, 12),  # noqa: DTZ001
    )
    assert not naive.done and "time zone" in naive.message
    story.refresh_from_db()
    assert story.embargoed_until is None


# Importing -------------------------------------------------------------------

NAR = "http://iptc.org/std/nar/2006-10-01/"


def ninjs_item(**extra):
    return {
        "uri": "urn:newsroom-test:2026:tide-report",
        "type": "text",
        "headlines": [{"role": "main", "value": "Tide report warns of higher seas"}],
        "bodies": [
            {"role": "main", "contentType": "text/html", "value": "<p>Seas rise.</p>"}
        ],
        "by": "Jonah Pike",
        "located": "RIVERTON",
        "firstCreated": "2026-11-30T08:30:00+00:00",
        **extra,
    }


def newsml_item(embargoed):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="{NAR}" guid="urn:newsml:riverton-wire.example:2026:levee-3"
    version="1" standard="NewsML-G2" standardversion="2.33" xml:lang="en">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <firstCreated>2026-11-30T09:00:00Z</firstCreated>
    <embargoed>{embargoed}</embargoed>
  </itemMeta>
  <contentMeta>
    <located><name>Westmarch</name></located>
    <creator><name>Lena Ortiz</name></creator>
    <headline>Levee inspection finds cracks</headline>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml"><body>
        <p>Inspectors found cracks in the levee on Monday.</p>
      </body></html>
    </inlineXML>
  </contentSet>
</newsItem>
"""


def import_file(path):
    out = io.StringIO()
    call_command("import_stories", str(path), "--publish", stdout=out, stderr=out)
    return out.getvalue()


def test_importing_ninjs_sets_the_embargo_and_holds_the_story_back(
    client, tmp_path, django_capture_on_commit_callbacks
):
    until = timezone.now() + datetime.timedelta(hours=5)
    path = tmp_path / "tide.json"
    path.write_text(json.dumps(ninjs_item(embargoedUntil=until.isoformat())))
    sent, stop = events_sent()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_file(path)
    finally:
        stop()
    story = Article.objects.get()
    assert story.status == Article.Status.PUBLISHED
    assert story.embargoed_until == until
    assert story.workflow_state == "embargoed"
    assert client.get(story.get_absolute_url()).status_code == 404
    assert ("embargoed", story.pk, {"until": until}) in sent

    # The agency lifts it: the refreshed copy has none, and the story is out.
    path.write_text(json.dumps(ninjs_item(versionCreated="2026-11-30T10:00:00Z")))
    out = io.StringIO()
    call_command("import_stories", str(path), "--update", stdout=out, stderr=out)
    story.refresh_from_db()
    assert story.embargoed_until is None
    assert client.get(story.get_absolute_url()).status_code == 200


def test_importing_newsml_sets_the_embargo(client, tmp_path):
    until = timezone.now() + datetime.timedelta(hours=5)
    path = tmp_path / "levee.xml"
    path.write_text(newsml_item(until.isoformat()))
    import_file(path)
    story = Article.objects.get()
    assert story.embargoed_until == until
    assert client.get(story.get_absolute_url()).status_code == 404
    client.force_login(member("ed", "Editor"))
    assert "Embargoed until" in client.get(CHANGELIST).content.decode()


def test_readers_take_every_spelling_of_the_embargo():
    [v3] = read_ninjs(
        json.dumps(ninjs_item(embargoedUntil="2026-12-24T18:00:00+01:00"))
    )
    assert v3.embargoed == datetime.datetime(2026, 12, 24, 17, tzinfo=datetime.UTC)
    [v2] = read_ninjs(json.dumps(ninjs_item(embargoed="2026-12-24T17:00:00Z")))
    assert v2.embargoed == v3.embargoed
    # A day alone is held from its start in UTC.
    [day] = read_ninjs(json.dumps(ninjs_item(embargoed="2026-12-24")))
    assert day.embargoed == datetime.datetime(2026, 12, 24, tzinfo=datetime.UTC)
    [none] = read_ninjs(json.dumps(ninjs_item()))
    assert none.embargoed is None

    from articles.importing.markup import parse_xml

    [item] = read_newsml(parse_xml(newsml_item("2026-12-24T17:00:00Z").encode()))
    assert item.embargoed == v3.embargoed


def test_an_unreadable_embargo_refuses_the_item_rather_than_publish_it(tmp_path):
    from articles.importing.data import ParseError
    from articles.importing.markup import parse_xml

    with pytest.raises(ParseError) as refused:
        read_ninjs(json.dumps(ninjs_item(embargoedUntil="tomorrow noon")))
    assert refused.value.field == "embargoedUntil"
    with pytest.raises(ParseError) as refused:
        read_newsml(parse_xml(newsml_item("after the vote").encode()))
    assert refused.value.field == "embargoed"
    path = tmp_path / "levee.xml"
    path.write_text(newsml_item("after the vote"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_stories", str(path), "--publish", stdout=out, stderr=err)
    assert "embargoed: not a date and time: 'after the vote'" in err.getvalue()
    assert not Article.objects.exists()


@pytest.mark.postgresql("index-only scans")
def test_the_public_lists_still_read_their_index_alone(newsroom):
    """The embargo sits in the reader's indexes beside the publication time,
    so a list's ids, a count and a section's newest come from the index alone
    (``article_published_idx``, ``article_section_latest_idx``)."""
    from django.db import connection

    published = Article.objects.published()
    newest = published.order_by("-published_at", "-id").values("pk")[:20]
    section = published.filter(section=newsroom["public"].section).order_by(
        "-published_at", "-id"
    )
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        # Plain index scans off too: on a table this small the planner may
        # prefer one; the question is whether the index alone can answer.
        cursor.execute("SET enable_indexscan = off")
        try:
            plans = [newest.explain(), section.values("pk")[:4].explain()]
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
            cursor.execute("RESET enable_indexscan")
    assert "Index Only Scan using article_published_idx" in plans[0]
    assert "Index Only Scan using article_section_latest_idx" in plans[1]


@pytest.mark.parametrize("numbered_pages", [50, 1], ids=["by number", "by keyset"])
def test_an_authors_pages_follow_when_stories_came_out(
    client, monkeypatch, numbered_pages
):
    """A journalist's list is in the order their stories came out: a story
    whose embargo lifted after its publication time comes in where it lifted,
    and paging on (by number, and past the numbered pages by ``?before=``)
    shows every story once."""
    monkeypatch.setattr("people.views.PAGE_SIZE", 1)
    monkeypatch.setattr("newsroom.pagination.MAX_PAGES", numbered_pages)
    now = timezone.now()
    vera = JournalistFactory(name="Vera Lind", slug="vera-lind")
    stories = {}
    for headline, hours_ago, lifted_ago in [
        ("Tide tables", 5, None),
        ("Levee report", 4, 1),  # embargoed until an hour ago
        ("Ferry timetable", 3, None),
    ]:
        lifted = now - datetime.timedelta(hours=lifted_ago) if lifted_ago else None
        stories[headline] = ArticleFactory(
            headline=headline,
            published_at=now - datetime.timedelta(hours=hours_ago),
            embargoed_until=lifted,
        )
        BylineFactory(article=stories[headline], journalist=vera)
    seen, url = [], "/authors/vera-lind/"
    for _ in range(4):
        page = client.get(url.replace("&amp;", "&")).content.decode()
        seen += [headline for headline in stories if headline in page]
        following = re.search(r'<a href="([^"]+)" rel="next"', page)
        if not following:
            break
        url = "/authors/vera-lind/" + following.group(1)
    assert seen == ["Levee report", "Ferry timetable", "Tide tables"]
    feed = client.get("/feeds/authors/vera-lind/rss/").content.decode()
    assert [feed.index(f"<title>{h}</title>") for h in seen] == sorted(
        feed.index(f"<title>{h}</title>") for h in seen
    )


def test_copy_imported_before_embargoes_were_read_is_still_unchanged(tmp_path):
    from dataclasses import asdict

    from articles.importing.store import LATER_FIELDS, checksum
    from articles.models import StoryImport

    path = tmp_path / "tide.json"
    path.write_text(json.dumps(ninjs_item()))
    import_file(path)
    # The fingerprint as it was taken before StoryData had an embargo (or
    # any field added since).
    [story] = read_ninjs(path.read_text())
    before = {k: v for k, v in asdict(story).items() if k not in LATER_FIELDS}
    StoryImport.objects.update(copy_checksum=checksum(before))
    assert "1 unchanged" in import_file(path)
