"""Anonymous pages from Django's cache framework, and never a stale one.

``PageCacheMiddleware`` keeps the public pages an anonymous reader gets (story,
home, sections, tags, authors, sources, search, corrections, feeds, sitemaps,
robots.txt, the API) in the ``default`` cache, keyed as Django's own cache
middleware keys them (``get_cache_key`` / ``learn_cache_key``: the URL and the
headers the response varies on) under a key prefix that holds the cache's
*generation*, a random token stored in the cache itself.

Invalidation. Every write to a content table (any table of ``articles``,
``people``, ``media`` and ``taggit``: stories, bylines, quotes, corrections,
redirects, sections, publications, journalists, sources, photos, renditions,
tags) gives the cache a new token once the write is committed, so no page
stored before it is ever served again. The writes are seen where they are made,
in the SQL Django sends (an execute wrapper on every connection), so every path
is covered: model saves and deletes, ``QuerySet.update()``, ``bulk_create()``,
many-to-many changes, restores from History, raw SQL. Why it cannot serve a
stale page: a request reads the token *before* it reads anything from the
database, and stores its page under the token it read; a change is committed
before its new token is stored, and tokens are never reused. So a page stored
under the current token was read from the database after every change whose
token came before it, and a page read before a change is under a token that
is no longer current. A token that goes missing (evicted, a cache restart) is
replaced by a new one, and the request that replaces it stores nothing.

Time. A scheduled story appears when its publication time comes, and a story
leaves the news sitemap two days after it: no write marks either. Each page
expires no later than the next such moment (``articles.publishing.
next_public_change``, looked up once per token and process, and again once that
moment has passed), checked against the application's clock both when a page
is stored and when it is served; browsers' and CDNs' lifetimes are cut short
to match.

Never cached: a request with a session cookie or an Authorization header (the
desk), anything under the admin, preview, health check, uploads and static
files, a method other than GET/HEAD, a response that is not a 200, sets a
cookie, says private/no-cache/no-store, or was made for a signed-in user.

Headers. Each page served (from the cache or not) carries ``Cache-Control:
public, max-age, s-maxage, stale-while-revalidate``, ``Expires``, a weak
``ETag`` (the page's bytes without its CSP nonce, so a page rendered again
unchanged keeps its ETag) and ``Last-Modified`` (when it was rendered), and a
conditional GET that matches gets a 304. A stored page keeps the
Content-Security-Policy header it was rendered with, so its nonce and its
header always match; a 304 carries no CSP header, so the browser keeps the pair
it has.

Failures. If the cache cannot be reached (Redis gone), pages are rendered as
if there were no cache, one log line per interval says so (``newsroom.
faults``), and this process leaves the cache alone for
``NEWSROOM_CACHE_RETRY_SECONDS``; the first time it reaches the cache again it
starts a new generation, since a change made meanwhile could not say so.
"""

import collections
import copy
import functools
import hashlib
import logging
import math
import os
import re
import secrets
import threading
import time
from http.cookies import SimpleCookie

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.signals import connection_created
from django.urls import reverse
from django.utils import translation
from django.utils.cache import (
    cc_delim_re,
    get_cache_key,
    get_conditional_response,
    has_vary_header,
    learn_cache_key,
    patch_cache_control,
)
from django.utils.http import http_date

from .logging import one_line

logger = logging.getLogger("newsroom.faults")

GENERATION_KEY = "newsroom.pages.generation"
# Tables whose rows readers see, by app: a write to any of them is a change.
CONTENT_APPS = ("articles", "people", "media", "taggit")
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "TRUNCATE")
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}
CONDITIONAL_HEADERS = frozenset(
    (
        "HTTP_IF_NONE_MATCH",
        "HTTP_IF_MODIFIED_SINCE",
        "HTTP_IF_MATCH",
        "HTTP_IF_UNMODIFIED_SINCE",
    )
)


class _Health:
    """This process's view of the cache: when to try it again after a
    failure, and whether a new generation is owed once it is back."""

    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = 0.0
        self.bump_owed = False

    def usable(self):
        return time.monotonic() >= self.retry_at

    def failed(self, exc, doing):
        with self.lock:
            self.retry_at = time.monotonic() + settings.NEWSROOM_CACHE_RETRY_SECONDS
            self.bump_owed = True
        logger.error(
            "page cache unavailable (%s): %s: %s; serving pages without it",
            doing,
            type(exc).__name__,
            one_line(exc),
            extra={"failure": exc},
        )


health = _Health()


def reset():
    """Forget failures and look-ups (for tests)."""
    health.retry_at = 0.0
    health.bump_owed = False
    with _next_change_lock:
        _next_change.clear()
    recent.clear()
    with tracked.lock:
        tracked.forget()


def page_cache():
    return caches["default"]


def new_generation():
    """Start a new generation: no page stored before now is served again."""
    if not health.usable():
        health.bump_owed = True
        return False
    try:
        cache = page_cache()
        cache.set(GENERATION_KEY, secrets.token_hex(8), None)
        if tracked.works_with(cache):
            # A turn of Redis's loop after the SET's: by its reply the SET's
            # invalidations have been written to every tracking connection.
            cache._cache.get_client(write=True).ping()
    except Exception as exc:  # any cache failure: pages still get served
        health.failed(exc, "invalidating")
        return False
    health.bump_owed = False
    return True


def current_generation():
    """The token pages are stored under now, or None: store and serve nothing."""
    if not health.usable():
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    if getattr(connection, "newsroom_pages_written", False):
        connection.newsroom_pages_written = False
        health.bump_owed = True
    if health.bump_owed and not new_generation():
        return None
    try:
        cache = page_cache()
        token = tracked.get(cache) if tracked.works_with(cache) else None
        if token is None:
            token = cache.get(GENERATION_KEY)
        if token is None:
            # Gone (evicted, a cache restart): a new one, used from the next
            # request on (this one's reads may predate a change).
            page_cache().add(GENERATION_KEY, secrets.token_hex(8), None)
    except Exception as exc:
        health.failed(exc, "reading")
        return None
    return token


class _TrackedToken:
    """The generation token of a Redis cache, kept in this process between
    changes, so that a page this process holds costs no round trip to Redis.

    The token is read over a connection of its own that has asked Redis to say
    when the key changes (client-side caching: RESP3 and ``CLIENT TRACKING``,
    Redis 6 or later; redis-py's own client-side cache needs Redis 7.4). Any
    byte that arrives on it unasked (an invalidation, a flush, the connection
    closing) drops the kept token, and the next request reads it again, which
    also asks to be told of the next change. Why this is never stale: Redis
    queues the invalidation to this connection while it executes the writer's
    ``SET`` and writes it out in that turn of its loop; the writer, once its
    change is committed and its ``SET`` answered, asks Redis once more
    (``PING``), and that answer comes from a later turn, after the
    invalidation was written. On one machine a reader's request that comes
    after the writer's finds the invalidation waiting (a poll of the socket,
    about a microsecond); between machines the invalidation is on the wire
    ahead of the writer's reply, which then still has to reach the reader's
    client and come back as a request. ``NEWSROOM_CACHE_TOKEN_TRACKING=false``
    reads the token from Redis for every request instead. A connection that goes quiet
    without closing (a network partition) cannot say so, so the kept token is
    also read again after ``NEWSROOM_CACHE_TOKEN_RECHECK_SECONDS``.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.server = None
        self.connection = None
        self.token = None
        self.read_at = 0.0
        self.pid = os.getpid()

    @staticmethod
    def works_with(cache):
        return settings.NEWSROOM_CACHE_TOKEN_TRACKING and isinstance(
            cache, DjangoRedisCache
        )

    def get(self, cache):
        """The token, or None where it is not known (missing, or Redis could
        not tell): the caller then reads it as before. Raises what a read from
        the cache raises."""
        client = cache._cache  # Django's RedisCacheClient: servers and options
        server = client._servers[0]  # the one Django writes to
        with self.lock:
            if self.pid != os.getpid():  # forked (a preloading server): not ours
                self.server = self.connection = self.token = None
                self.pid = os.getpid()
            try:
                if self.server != server or self.connection is None:
                    self._connect(client, server)
                elif self.connection.can_read():
                    self._drain()
                    self.token = None
                if (
                    self.token is None
                    or time.monotonic() - self.read_at
                    >= settings.NEWSROOM_CACHE_TOKEN_RECHECK_SECONDS
                ):
                    self.connection.send_command("GET", cache.make_key(GENERATION_KEY))
                    raw = self.connection.read_response()
                    self.token = None if raw is None else client._serializer.loads(raw)
                    self.read_at = time.monotonic()
                return self.token
            except Exception:
                self.forget()
                raise

    def _connect(self, client, server):
        self.forget()
        pool = client._pool_class.from_url(
            server, **{**client._pool_options, "protocol": 3}
        )
        connection = pool.get_connection()
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()
        self.server, self.connection = server, connection

    def _drain(self):
        while self.connection.can_read():
            self.connection.read_response(push_request=True, timeout=0)

    def forget(self):
        if self.connection is not None:
            try:
                self.connection.disconnect()
            except Exception:  # noqa: S110 - going away anyway
                pass
        self.server = self.connection = self.token = None


tracked = _TrackedToken()


# Writes, seen in the SQL every connection sends.

_content_tables = None


def content_tables(connection):
    """A pattern matching a quoted content table name in ``connection``'s SQL."""
    global _content_tables
    if _content_tables is None:
        names = {
            model._meta.db_table
            for label in CONTENT_APPS
            for model in apps.get_app_config(label).get_models(
                include_auto_created=True
            )
        }
        quoted = sorted(
            (re.escape(connection.ops.quote_name(name)) for name in names),
            key=len,
            reverse=True,
        )
        _content_tables = re.compile("|".join(quoted))
    return _content_tables


def _after_commit():
    connection = connections[DEFAULT_DB_ALIAS]
    connection.newsroom_pages_written = False
    forget_unstored_change()
    new_generation()


def watch_writes(execute, sql, params, many, context):
    """Execute wrapper: a committed write to a content table starts a new
    generation; one in a transaction does so when the transaction commits."""
    result = execute(sql, params, many, context)
    if (
        isinstance(sql, str)
        and sql.lstrip()[:8].upper().startswith(WRITES)
        and content_tables(context["connection"]).search(sql)
    ):
        connection = context["connection"]
        forget_unstored_change()
        if not connection.in_atomic_block:
            new_generation()
        else:
            # Also before this thread's next page (the writer reading its own
            # uncommitted change: tests, or a shell in a transaction).
            connection.newsroom_pages_written = True
            if not any(entry[1] is _after_commit for entry in connection.run_on_commit):
                connection.on_commit(_after_commit)
    return result


def install_watch(sender=None, connection=None, **kwargs):
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def watch_all_connections():
    """Called once at start-up (``articles.apps``)."""
    connection_created.connect(install_watch, dispatch_uid="newsroom-page-cache")
    for connection in connections.all(initialized_only=True):
        install_watch(connection=connection)


# The next moment pages change by themselves, per generation and process.

_next_change = {}
_next_change_lock = threading.Lock()


# With no generation (the page cache off, or unreachable) nothing is stored,
# and the moment only cuts the headers' lifetimes short: it is looked up
# again after this many seconds, after any write this process makes, and
# once it has passed.
UNSTORED_RECHECK_SECONDS = 1.0


def forget_unstored_change():
    with _next_change_lock:
        _next_change.pop(None, None)


def next_change(token, now):
    """When pages next change with no write (a timestamp), or None."""
    from articles.publishing import next_public_change

    if token is None:  # nothing is stored: only the headers' lifetimes
        if not (settings.NEWSROOM_CACHE_MAX_AGE or settings.NEWSROOM_CACHE_S_MAXAGE):
            return None  # no lifetime to cut
        with _next_change_lock:
            known, looked = _next_change.get(None, (False, 0.0))
        fresh = looked <= now < looked + UNSTORED_RECHECK_SECONDS
        if known is not False and fresh and (known is None or known > now):
            return known
        moment = next_public_change(now)
        with _next_change_lock:
            _next_change[None] = (moment, now)
        return moment
    with _next_change_lock:
        known = _next_change.get(token, False)
    if known is not False and (known is None or known > now):
        return known
    moment = next_public_change(now)
    with _next_change_lock:
        if len(_next_change) > 16:
            _next_change.clear()
        _next_change[token] = moment
    return moment


def settle():
    """Do now what the next request would do once per generation (start the
    generation this thread's writes owe, look up the next change), so that a
    count of one page's queries counts the page's own (tests)."""
    stored = settings.NEWSROOM_PAGE_CACHE and settings.NEWSROOM_PAGE_CACHE_SECONDS
    token = (current_generation() or current_generation()) if stored else None
    next_change(token, time.time())


def _copy_response(response):
    """A copy of a stored page to serve (or to keep): its own headers, body
    list and closers, so serving it changes nothing kept. The same state a
    pickled copy has (a TemplateResponse drops its template and context), a
    few times cheaper than unpickling."""
    page = copy.copy(response)
    headers = copy.copy(response.headers)
    headers._store = dict(response.headers._store)
    page.headers = headers
    page._container = list(response._container)
    page._resource_closers = []
    page.cookies = SimpleCookie()
    return page


class _Recent:
    """This process's copies of the pages it last stored or fetched, under the
    same generation prefix as in the cache, so exactly as valid: a hit then
    costs one look-up in the cache (the generation), not three."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages = collections.OrderedDict()

    @staticmethod
    def _key(prefix, request):
        # The address as sent. Only requests Django answered 200 put pages
        # here (a Host not in ALLOWED_HOSTS is a 400), so only those match.
        meta = request.META
        return (
            prefix,
            request.scheme,
            meta.get("HTTP_HOST"),
            meta.get("PATH_INFO"),
            meta.get("QUERY_STRING"),
            translation.get_language(),
        )

    def get(self, prefix, request):
        key = self._key(prefix, request)
        with self.lock:
            variants = self.pages.get(key)
            if variants:
                self.pages.move_to_end(key)
        for names, values, page, expires, rendered in variants or ():
            if tuple(request.META.get(name) for name in names) == values:
                return _copy_response(page), expires, rendered
        return None

    def put(self, prefix, request, response, expires, rendered):
        size = settings.NEWSROOM_PAGE_CACHE_LOCAL_ENTRIES
        if size <= 0:
            return
        names = tuple(
            "HTTP_" + header.upper().replace("-", "_")
            for header in cc_delim_re.split(response.get("Vary", ""))
            if header
        )
        values = tuple(request.META.get(name) for name in names)
        variant = (names, values, _copy_response(response), expires, rendered)
        key = self._key(prefix, request)
        with self.lock:
            kept = [v for v in self.pages.get(key, ()) if v[:2] != (names, values)]
            self.pages[key] = [*kept[-3:], variant]
            self.pages.move_to_end(key)
            while len(self.pages) > size:
                self.pages.popitem(last=False)

    def clear(self):
        with self.lock:
            self.pages.clear()


recent = _Recent()


def _directives(response):
    return {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
        if part.strip()
    }


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = tuple(
            prefix
            for prefix in (
                reverse("admin:index"),
                reverse("articles:preview", args=[0]).rsplit("0", 1)[0],
                reverse("healthz"),
                settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else None,
                "/" + settings.STATIC_URL.lstrip("/"),
            )
            if prefix
        )

    def __call__(self, request):
        if not self.public_request(request):
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and "Cache-Control" not in response:
                # The desk's view of a public page: not for a CDN.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        stored = settings.NEWSROOM_PAGE_CACHE and settings.NEWSROOM_PAGE_CACHE_SECONDS
        token = current_generation() if stored else None
        prefix = f"newsroom.pages.{token}" if token else None
        now = time.time()
        if prefix:
            entry = self.lookup(request, prefix, now)
            if entry is not None:
                return self.serve(request, *entry, now)
        response = self.get_response(request)
        if not self.storable(request, response):
            return response
        now = time.time()
        try:
            moment = next_change(token, now)
        except DatabaseError:  # the page is served; the outage shows elsewhere
            return response
        expires = now + settings.NEWSROOM_PAGE_CACHE_SECONDS
        if moment is not None:
            expires = min(expires, moment)
        self.describe(request, response, now)
        if prefix and request.method == "GET" and expires - now >= 1:
            self.store(request, prefix, response, expires, now)
        return self.serve(request, response, expires, now, now)

    def public_request(self, request):
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(self.excluded)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    @staticmethod
    def storable(request, response):
        user = getattr(request, "user", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not (_directives(response) & UNCACHEABLE_DIRECTIVES)
            and not has_vary_header(response, "*")
            and not (user is not None and user.is_authenticated)
        )

    @staticmethod
    def describe(request, response, now):
        """A weak ETag from the bytes less the CSP nonce, and Last-Modified.
        The body is made one piece: a feed is written in hundreds, and the
        server sends each piece in a call of its own (a cached feed was served
        at a sixth of the rate of a cached story of the same size)."""
        body = response.content
        response.content = body
        nonce = getattr(request, "_csp_nonce", None)
        if isinstance(nonce, str) and nonce:
            body = body.replace(nonce.encode(), b"")
        response.headers["ETag"] = f'W/"{hashlib.md5(body).hexdigest()}"'
        response.headers["Last-Modified"] = http_date(now)

    @staticmethod
    def lookup(request, prefix, now):
        entry = recent.get(prefix, request)
        if entry is None:
            cache = page_cache()
            try:
                key = get_cache_key(request, prefix, "GET", cache=cache)
                entry = cache.get(key) if key else None
            except Exception as exc:
                health.failed(exc, "reading")
                return None
            if entry is None:
                return None
            recent.put(prefix, request, *entry)
        response, expires, rendered = entry
        return (response, expires, rendered) if now < expires else None

    @staticmethod
    def store(request, prefix, response, expires, now):
        cache = page_cache()
        timeout = math.ceil(expires - now)
        try:
            key = learn_cache_key(request, response, timeout, prefix, cache=cache)
            cache.set(key, (response, expires, now), timeout)
        except Exception as exc:
            health.failed(exc, "storing")
            return
        recent.put(prefix, request, response, expires, now)

    @staticmethod
    def serve(request, response, expires, rendered, now):
        """Lifetimes cut to the page's own, then 304 if the client has it."""
        left = max(0, math.floor(expires - now))
        max_age = min(settings.NEWSROOM_CACHE_MAX_AGE, left)
        s_maxage = min(settings.NEWSROOM_CACHE_S_MAXAGE, left)
        stale = min(settings.NEWSROOM_CACHE_STALE_SECONDS, left - s_maxage)
        response.headers["Expires"] = _http_date(int(now) + max_age)
        response.headers["Cache-Control"] = (
            f"public, max-age={max_age}, s-maxage={s_maxage}"
            + (f", stale-while-revalidate={stale}" if stale > 0 else "")
        )
        if not any(name in request.META for name in CONDITIONAL_HEADERS):
            return response  # not a conditional request: nothing to compare
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(rendered),
            response=response,
        )


@functools.lru_cache(maxsize=64)
def _http_date(seconds):
    """``http_date`` of a whole second, formatted once (a hit's Expires)."""
    return http_date(seconds)
