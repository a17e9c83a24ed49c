"""The page cache (newsroom/page_cache.py): anonymous pages come from the
cache, and a change readers should see shows on the very next request.

The invalidation tests run on the embedded cache (a folder) and on Redis
(127.0.0.1:6379, database 3: started here if it is not answering; required
under NEWSROOM_REQUIRE_ALL=1).
"""

import datetime
import logging
import os
import pickle
import shutil
import socket
import subprocess
import time

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Byline, Quote
from articles.publishing import mark_published
from articles.sitemaps import month_key
from newsroom import page_cache
from newsroom.page_cache import PageCacheMiddleware
from newsroom.settings import cache_from_url
from tests.conftest import unavailable

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    JournalistFactory,
    PublicationFactory,
    QuoteFactory,
    SourceFactory,
)

# Another database where several checkouts share one Redis (helpers).
REDIS_TEST_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_redis():
    if redis_answers():
        return
    if shutil.which("redis-server"):
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1"]
            + ["--port", "6379", "--save", "", "--appendonly", "no"],
            check=False,
            capture_output=True,
        )
        for _ in range(50):
            if redis_answers():
                return
            time.sleep(0.1)
    unavailable("Redis is not answering at 127.0.0.1:6379 and could not be started")


@pytest.fixture(params=["embedded", "redis"])
def backend(request, settings):
    """Each invalidation test on both caches."""
    if request.param == "redis":
        ensure_redis()
        settings.CACHES = {"default": cache_from_url(REDIS_TEST_URL)}
        from django.core.cache import caches

        caches["default"].clear()
        page_cache.reset()
    return request.param


@pytest.fixture
def story(db):
    story = ArticleFactory(harbour=True)
    BylineFactory(article=story, journalist=JournalistFactory(name="Dara Sok"))
    story.tags.add("Flooding")
    QuoteFactory(article=story, source=SourceFactory(name="Mina Chey", on_record=True))
    return Article.objects.get(pk=story.pk)


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def pages_of(story):
    return {
        "story": story.get_absolute_url(),
        "home": reverse("articles:index"),
        "section": story.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["flooding"]),
        "author": story.journalists.get().get_absolute_url(),
        "source": reverse("people:source", args=[story.quotes.get().source.slug]),
        "search": reverse("articles:search") + "?q=harbour",
        "feed": reverse("articles:latest_rss"),
        # The month's sitemap of stories the story is listed in.
        "sitemap": reverse(
            "articles:sitemap_section", args=[month_key(story.published_on)]
        ),
        "news sitemap": reverse("articles:news_sitemap"),
        "api": "/api/stories/",
        "corrections": reverse("articles:corrections"),
    }


def seen_then_changed(client, urls, change):
    """Each page read (and so cached) twice, the change made, each read again."""
    for url in urls:
        text(client, url)
        text(client, url)
    change()
    return {url: text(client, url) for url in urls}


def test_a_page_served_again_comes_from_the_cache(
    client, story, django_assert_num_queries
):
    url = story.get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_an_edit_shows_on_every_page_at_once(backend, client, story):
    urls = pages_of(story)
    del urls["corrections"]

    def edit():
        story.headline = "Harbour council doubles the sea wall"
        story.save()

    after = seen_then_changed(client, urls.values(), edit)
    for name, url in urls.items():
        if name == "sitemap":  # addresses only
            continue
        assert "doubles the sea wall" in after[url], name


def test_an_edit_by_queryset_update_shows_at_once(backend, client, story):
    url = story.get_absolute_url()
    after = seen_then_changed(
        client,
        [url],
        lambda: Article.objects.filter(pk=story.pk).update(headline="Wall delayed"),
    )
    assert "Wall delayed" in after[url]


def test_publishing_shows_the_story_everywhere(backend, client, story):
    draft = ArticleFactory(headline="Ferry service resumes", draft=True)
    urls = [reverse("articles:index"), reverse("articles:latest_rss"), "/api/stories/"]
    after = seen_then_changed(
        client, urls, lambda: mark_published(draft) or draft.save()
    )
    for url in urls:
        assert "Ferry service resumes" in after[url], url
    assert "Ferry service resumes" in text(client, draft.get_absolute_url())


def test_unpublishing_in_the_admin_takes_the_story_down(
    backend, client, admin_client, story
):
    url = story.get_absolute_url()
    home = reverse("articles:index")
    for page in (url, url, home, home):
        text(client, page)
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [story.pk]},
    )
    assert response.status_code == 302
    assert client.get(url).status_code == 404
    assert story.headline not in text(client, home)


def test_a_new_correction_shows_on_the_story_and_the_corrections_page(
    backend, client, story
):
    urls = [story.get_absolute_url(), reverse("articles:corrections")]
    after = seen_then_changed(
        client,
        urls,
        lambda: CorrectionFactory(article=story, text="The wall is 2 km long."),
    )
    for url in urls:
        assert "The wall is 2 km long." in after[url], url


def test_a_changed_caption_and_credit_show_at_once(backend, client, story):
    photo = story.lead_photo

    def change():
        photo.caption = "The new wall under construction."
        photo.credit = "Bopha Lim/The Newsroom"
        photo.save()

    url = story.get_absolute_url()
    after = seen_then_changed(client, [url], change)
    assert "The new wall under construction." in after[url]
    assert "Bopha Lim" in after[url]


def test_a_new_byline_and_a_renamed_journalist_show_at_once(backend, client, story):
    url = story.get_absolute_url()
    after = seen_then_changed(
        client,
        [url],
        lambda: BylineFactory(
            article=story, journalist=JournalistFactory(name="Kosal Vann"), position=1
        ),
    )
    assert "Kosal Vann" in after[url]
    journalist = story.journalists.get(name="Dara Sok")
    author = journalist.get_absolute_url()

    def rename():
        journalist.name = "Dara Sok Chan"
        journalist.save()

    after = seen_then_changed(client, [url, author], rename)
    assert "Dara Sok Chan" in after[url] and "Dara Sok Chan" in after[author]


def test_bylines_written_in_bulk_show_at_once(backend, client, story):
    url = story.get_absolute_url()
    after = seen_then_changed(
        client,
        [url],
        lambda: Byline.objects.bulk_create(
            [
                Byline(
                    article=story,
                    journalist=JournalistFactory(name="Srey Pov"),
                    position=2,
                )
            ]
        ),
    )
    assert "Srey Pov" in after[url]


def test_a_renamed_source_shows_at_once(backend, client, story):
    source = story.quotes.get().source
    urls = [story.get_absolute_url(), reverse("people:source", args=[source.slug])]

    def rename():
        source.name = "Mina Chey Rath"
        source.save()

    after = seen_then_changed(client, urls, rename)
    for url in urls:
        assert "Mina Chey Rath" in after[url], url


def test_a_quote_moved_to_another_source_by_update_shows_at_once(
    backend, client, story
):
    other = SourceFactory(name="Vuthy Keo", on_record=True)
    url = story.get_absolute_url()
    after = seen_then_changed(
        client, [url], lambda: Quote.objects.filter(article=story).update(source=other)
    )
    assert "Vuthy Keo" in after[url]


def test_tags_added_and_renamed_show_at_once(backend, client, story):
    url = story.get_absolute_url()
    after = seen_then_changed(client, [url], lambda: story.tags.add("Sea level"))
    assert "Sea level" in after[url]
    tag_url = reverse("articles:tag", args=["flooding"])

    def rename():
        Tag.objects.filter(slug="flooding").update(name="Floods")

    after = seen_then_changed(client, [url, tag_url], rename)
    assert "Floods" in after[url] and "Floods" in after[tag_url]


def test_a_renamed_section_and_publication_show_at_once(backend, client, story):
    url = story.get_absolute_url()
    section = story.section

    def rename():
        section.name = "Metro"
        section.save()
        story.publication = PublicationFactory(name="The Coast Herald")
        story.save()

    after = seen_then_changed(client, [url, section.get_absolute_url()], rename)
    assert "Metro" in after[url] and "The Coast Herald" in after[url]
    assert "Metro" in after[section.get_absolute_url()]


def test_a_scheduled_story_goes_live_on_time_with_no_write(backend, client, story):
    start = timezone.now()
    ArticleFactory(
        headline="Tide gates open", published_at=start + datetime.timedelta(seconds=5)
    )
    home = reverse("articles:index")
    with time_machine.travel(start, tick=False) as clock:
        first = client.get(home)
        assert "Tide gates open" not in first.content.decode()
        # Neither this cache nor a browser or CDN keeps it past the go-live.
        assert first["Cache-Control"] == "public, max-age=5, s-maxage=5"
        assert "Tide gates open" not in text(client, home)
        clock.shift(datetime.timedelta(seconds=3))
        assert "Tide gates open" not in text(client, home)
        clock.shift(datetime.timedelta(seconds=3))
        assert "Tide gates open" in text(client, home)
        assert "Tide gates open" in text(client, reverse("articles:latest_rss"))


def test_the_desk_is_never_served_from_the_cache(
    client, admin_client, story, django_assert_max_num_queries
):
    url = story.get_absolute_url()
    text(client, url)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    page_cache.settle()
    cached_before = client.get(url)
    assert cached_before.status_code == 404  # the change reached readers
    Article.objects.filter(pk=story.pk).update(status=Article.Status.PUBLISHED)
    text(client, url)  # in the cache again
    with django_assert_max_num_queries(50) as queries:
        response = admin_client.get(url)
    assert len(queries) > 0  # rendered, not taken from the cache
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_preview_is_never_cached(admin_client, story):
    url = reverse("articles:preview", args=[story.pk])
    first = admin_client.get(url)
    story.headline = "Preview shows the change"
    story.save()
    assert "Preview shows the change" in admin_client.get(url).content.decode()
    assert "no-cache" in first["Cache-Control"] or "no-store" in first["Cache-Control"]


def test_a_reporter_signed_in_sees_a_draft_preview_not_a_cached_page(
    client, django_user_model, story
):
    reporter = django_user_model.objects.create_user("r", password="x" * 20)
    reporter.is_staff = True
    reporter.save()
    reporter.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(reporter)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_a_response_that_sets_a_cookie_is_neither_stored_nor_served(rf, db):
    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse("<p>Hello</p>")
        response.set_cookie("seen", "1")
        return response

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(rf.get("/corrections/"))
        assert response.cookies["seen"].value == "1"
    assert len(calls) == 2


def test_an_admin_page_and_a_post_are_not_cached(client, story):
    calls = []

    def view(request):
        calls.append(request.method)
        return HttpResponse("ok")

    middleware = PageCacheMiddleware(view)
    factory = RequestFactory()
    for _ in range(2):
        middleware(factory.get("/admin/"))
        middleware(factory.post("/search/"))
    assert calls == ["GET", "POST", "GET", "POST"]


def test_headers_for_browsers_and_cdns(client, story):
    response = client.get(story.get_absolute_url())
    directives = {
        part.strip().split("=")[0]: part.strip().partition("=")[2]
        for part in response["Cache-Control"].split(",")
    }
    assert "public" in directives
    assert int(directives["max-age"]) > 0 and int(directives["s-maxage"]) > 0
    assert int(directives["stale-while-revalidate"]) > 0
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["Expires"].endswith("GMT")


@pytest.mark.parametrize("cached", [True, False])
def test_a_repeated_conditional_get_answers_304(client, settings, story, cached):
    settings.NEWSROOM_PAGE_CACHE = cached
    url = story.get_absolute_url()
    first = client.get(url)
    by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert "Content-Security-Policy" not in by_etag  # the browser keeps its pair
    if cached:  # Last-Modified is when the page was rendered: the cached copy's
        by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        assert by_date.status_code == 304


def test_a_precondition_that_fails_on_a_cached_page_answers_412(client, story):
    url = story.get_absolute_url()
    first = client.get(url)
    client.get(url)  # stored: the next one is a hit
    assert client.get(url, headers={"if-match": '"another"'}).status_code == 412
    unchanged = client.get(url, headers={"if-unmodified-since": first["Last-Modified"]})
    assert unchanged.status_code == 200


def test_a_page_from_the_cache_keeps_the_security_headers(
    client, settings, story, django_assert_num_queries
):
    """The cache is the first middleware: a hit runs no other, so the headers
    the security middleware gave the page are stored with it, and a request
    for http:// is still redirected to https://."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
    url = story.get_absolute_url()
    first = client.get(url, secure=True)
    with django_assert_num_queries(0):
        again = client.get(url, secure=True)
    for header in (
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Frame-Options",
        "Content-Security-Policy",
    ):
        assert again[header] == first[header], header
    assert again.content == first.content
    plain = client.get(url)
    assert plain.status_code == 301
    assert plain["Location"] == f"https://testserver{url}"


@pytest.mark.parametrize("cached", [True, False])
def test_a_feed_is_sent_in_one_piece(client, settings, story, cached):
    """The feed writer makes hundreds of pieces, and the WSGI server sends
    each in a call of its own: the page goes out as one."""
    settings.NEWSROOM_PAGE_CACHE = cached
    url = reverse("articles:latest_rss")
    first = client.get(url)
    again = client.get(url)
    assert len(list(first)) == 1 and len(list(again)) == 1
    assert again.content == first.content and story.headline in again.text


def test_a_page_rendered_again_unchanged_keeps_its_etag(client, story):
    url = reverse("articles:index")
    first = client.get(url)
    JournalistFactory(name="Nobody on the home page")  # a write: a new generation
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_a_changed_page_answers_a_conditional_get_in_full(client, story):
    url = story.get_absolute_url()
    first = client.get(url)
    story.headline = "Sea wall plan revised"
    story.save()
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert "Sea wall plan revised" in again.content.decode()


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_redis_gone_pages_still_served_and_logged_once(client, settings, story, caplog):
    settings.CACHES = {
        "default": cache_from_url(f"redis://127.0.0.1:{closed_port()}/3")
    }
    page_cache.reset()
    url = story.get_absolute_url()
    with caplog.at_level(logging.ERROR, logger="newsroom.faults"):
        for _ in range(3):
            assert story.headline in text(client, url)
        settings.NEWSROOM_CACHE_RETRY_SECONDS = 0  # try the cache on every request
        for _ in range(3):
            assert story.headline in text(client, url)
        story.headline = "Changed while Redis is away"
        story.save()  # the invalidation fails too, and is logged, not raised
        assert "Changed while Redis is away" in text(client, url)
    failures = [r for r in caplog.records if "page cache unavailable" in r.message]
    assert len(failures) == 1


def test_after_an_outage_the_cache_starts_a_new_generation(
    transactional_db, client, settings, story
):
    url = story.get_absolute_url()
    text(client, url)
    page_cache.health.failed(ConnectionError("gone"), "reading")  # as if Redis left
    story.headline = "Edited during the outage"
    story.save()  # its invalidation could not be stored
    from django.core.cache import caches

    assert caches["default"].get(page_cache.GENERATION_KEY) is not None
    page_cache.health.retry_at = 0  # the cache is back, with the old generation
    assert "Edited during the outage" in text(client, url)


def test_a_lost_generation_is_replaced_and_nothing_stale_is_served(client, story):
    from django.core.cache import caches

    url = story.get_absolute_url()
    text(client, url)
    caches["default"].delete(page_cache.GENERATION_KEY)  # evicted
    Article.objects.filter(pk=story.pk).update(headline="After the eviction")
    assert "After the eviction" in text(client, url)
    assert "After the eviction" in text(client, url)


@pytest.mark.parametrize("why", ["cache off", "cache unreachable"])
def test_with_nothing_stored_the_next_change_is_looked_up_once_a_second(
    client, settings, story, monkeypatch, why
):
    """No page is stored, so the next scheduled change only cuts the headers'
    lifetimes: it is not looked up (two queries) for every page."""
    if why == "cache off":
        settings.NEWSROOM_PAGE_CACHE = False
    else:
        page_cache.health.failed(ConnectionError("gone"), "reading")
        settings.NEWSROOM_CACHE_RETRY_SECONDS = 3600
    from articles import publishing

    looked_up = []
    real = publishing.next_public_change

    def counted(now):
        looked_up.append(now)
        return real(now)

    monkeypatch.setattr(publishing, "next_public_change", counted)
    url = story.get_absolute_url()
    home = reverse("articles:index")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for address in (url, home, url):
            assert client.get(address)["Cache-Control"].startswith("public, max-age=30")
        assert len(looked_up) == 1
        clock.shift(datetime.timedelta(seconds=2))
        client.get(url)
        assert len(looked_up) == 2
        # A write here is seen at once: a story scheduled now cuts the lifetimes.
        ArticleFactory(
            headline="Tide gates open",
            published_at=start + datetime.timedelta(seconds=7),
        )
        assert client.get(home)["Cache-Control"] == "public, max-age=5, s-maxage=5"
        assert len(looked_up) == 3
        clock.shift(datetime.timedelta(seconds=6))
        assert "Tide gates open" in text(client, home)
        assert client.get(home)["Cache-Control"].startswith("public, max-age=30")
        assert len(looked_up) == 4


@pytest.fixture
def on_redis(settings):
    ensure_redis()
    settings.CACHES = {"default": cache_from_url(REDIS_TEST_URL)}
    from django.core.cache import caches

    caches["default"].clear()
    page_cache.reset()
    yield caches["default"]
    page_cache.reset()


def redis_commands(monkeypatch):
    """The commands this process sends Redis from here on, by name."""
    import redis.connection

    sent = []
    real = redis.connection.AbstractConnection.send_command

    def send_command(self, *args, **kwargs):
        sent.append(str(args[0]))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(
        redis.connection.AbstractConnection, "send_command", send_command
    )
    return sent


def test_with_redis_a_page_held_here_costs_no_round_trip(
    on_redis, client, story, monkeypatch
):
    url = story.get_absolute_url()
    text(client, url)
    text(client, url)
    sent = redis_commands(monkeypatch)
    for _ in range(5):
        assert story.headline in text(client, url)
    assert sent == []


def test_with_redis_a_change_made_elsewhere_shows_on_the_next_request(
    on_redis, client, story, monkeypatch
):
    """Another process's write: it stores a new token, and Redis tells this
    process's tracking connection, so the kept page is not served again."""
    import redis

    url = story.get_absolute_url()
    text(client, url)
    text(client, url)
    # Written past this process's watch on its SQL, as another process would.
    connection.connection.execute(
        "UPDATE articles_article SET headline = 'Changed by another worker' "
        f"WHERE id = {int(story.pk)}"
    )
    other = redis.Redis.from_url(REDIS_TEST_URL)
    other.set(on_redis.make_key(page_cache.GENERATION_KEY), pickle.dumps("elsewhere"))
    other.ping()
    assert "Changed by another worker" in text(client, url)


def test_with_redis_the_kept_token_is_read_again_after_the_recheck_time(
    on_redis, client, settings, story, monkeypatch
):
    url = story.get_absolute_url()
    text(client, url)
    text(client, url)
    sent = redis_commands(monkeypatch)
    text(client, url)
    assert sent == []
    page_cache.tracked.read_at -= settings.NEWSROOM_CACHE_TOKEN_RECHECK_SECONDS
    text(client, url)
    assert sent.count("GET") == 1


def test_with_tracking_off_the_token_is_read_for_every_request(
    on_redis, client, settings, story, monkeypatch
):
    settings.NEWSROOM_CACHE_TOKEN_TRACKING = False
    url = story.get_absolute_url()
    text(client, url)
    sent = redis_commands(monkeypatch)
    for _ in range(3):
        text(client, url)
    assert sent.count("GET") == 3


def test_with_redis_a_dropped_tracking_connection_still_serves_pages(
    on_redis, client, settings, story
):
    """Redis restarting closes every connection: the page is served (and
    fresh), and the next request reconnects."""
    import redis

    settings.NEWSROOM_CACHE_RETRY_SECONDS = 0
    url = story.get_absolute_url()
    text(client, url)
    text(client, url)
    redis.Redis.from_url(REDIS_TEST_URL).client_kill_filter(_type="normal", skipme=True)
    Article.objects.filter(pk=story.pk).update(headline="After the restart")
    for _ in range(3):
        assert "After the restart" in text(client, url)
