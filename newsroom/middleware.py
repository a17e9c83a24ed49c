"""A database outage answers 503 "try again shortly", not 500 "we broke".

While the database is unreachable every page, feed, API call and admin page
fails the same way. ``DatabaseOutageMiddleware`` answers those requests with
503 Service Unavailable, a ``Retry-After`` header and the site's own page (JSON
for the API), never cached, and logs one line per distinct failure (the
``OncePerInterval`` filter in ``newsroom/logging.py`` holds back the repeats).
Programming and integrity errors are bugs, not outages: they stay 500s.

Recovery needs nothing from us: Django checks a persistent connection before
reusing it (``conn_health_checks``) and connects afresh when it has none, so
the first request after the database comes back is served normally. The
middleware then logs that the outage is over (the first query that succeeds)
and how many requests it answered 503.
"""

import logging
import sys
import threading

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

from .logging import one_line

try:
    import psycopg
except ImportError:  # pragma: no cover - psycopg is a dependency
    OUTAGE_ERRORS = (OperationalError, InterfaceError)
else:
    # Django wraps the driver's errors; these are the raw ones, should any
    # escape the wrapper (a connection made outside the ORM).
    OUTAGE_ERRORS = (
        OperationalError,
        InterfaceError,
        psycopg.OperationalError,
        psycopg.InterfaceError,
    )

# SQLite reports some mistakes in our own SQL or schema as OperationalError;
# those are bugs (a missing migration, a bad query) and must stay 500s.
SQLITE_BUGS = (
    "no such table",
    "no such column",
    "no such function",
    "has no column named",
    "syntax error",
)

logger = logging.getLogger("newsroom.faults")


def is_database_outage(exc):
    """Whether ``exc`` means the database cannot be reached or used right now."""
    if not isinstance(exc, OUTAGE_ERRORS):
        return False
    message = str(exc).lower()
    return not any(bug in message for bug in SQLITE_BUGS)


def unavailable_response(request):
    """503 with Retry-After: JSON for the API, the site's own page otherwise.

    The page is rendered without touching the database (no section list).
    """
    retry_after = settings.NEWSROOM_RETRY_AFTER_SECONDS
    match = request.resolver_match
    if match is not None and "api" in match.namespaces:
        response = JsonResponse(
            {
                "detail": "The service is temporarily unavailable.",
                "retry_after": retry_after,
            },
            status=503,
        )
    else:
        html = loader.render_to_string(
            "503.html", {"retry_after": retry_after}, request=request
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def leave_outages_to_the_middleware(request, exc):
    """A django-ninja exception handler: let a database error reach Django.

    Ninja answers any error in an API view itself (with a traceback when
    DEBUG is on); re-raised, the error reaches ``DatabaseOutageMiddleware``
    like any other view's.
    """
    raise exc


class DatabaseOutageMiddleware:
    """Turn a database outage raised while answering a request into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._lock = threading.Lock()
        self._answered = 0  # requests answered 503 since the outage began
        # An outage raised outside the view (a middleware, the 404 page) is
        # past process_exception; Django's handler turns it into a 500 and
        # announces it with this signal, still inside its ``except`` block.
        got_request_exception.connect(
            self._note_outage, dispatch_uid="newsroom-database-outage"
        )

    def __call__(self, request):
        if self._answered:
            response = self._watch_for_recovery(request)
        else:
            response = self.get_response(request)
        exc = getattr(request, "_newsroom_database_outage", None)
        if exc is not None and response.status_code == 500:
            response = self._unavailable(request, exc)
        return response

    def _watch_for_recovery(self, request):
        """Answer ``request``; if a query of it succeeds, the outage is over.

        (A page that needs no database, such as the admin's sign-in form,
        is served during an outage too, and says nothing about it.)
        """
        succeeded = []

        def note_success(execute, sql, params, many, context):
            result = execute(sql, params, many, context)
            succeeded.append(True)
            return result

        with connection.execute_wrapper(note_success):
            response = self.get_response(request)
        if succeeded:
            self._recovered()
        return response

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, exc):
        with self._lock:
            self._answered += 1
        logger.error(
            "database unavailable: %s: %s",
            type(exc).__name__,
            one_line(exc),
            extra={"failure": exc},
        )
        response = unavailable_response(request)
        # Logged just above (at most once per interval): tell django.request
        # not to log an error line for this response as well.
        response._has_been_logged = True
        return response

    def _recovered(self):
        with self._lock:
            answered, self._answered = self._answered, 0
        if answered:
            logger.info(
                "database available again; %s answered 503 during the outage",
                f"{answered:,} request{'' if answered == 1 else 's'}",
            )

    @staticmethod
    def _note_outage(sender, request=None, **kwargs):
        exc = sys.exc_info()[1]
        if request is not None and is_database_outage(exc):
            request._newsroom_database_outage = exc
