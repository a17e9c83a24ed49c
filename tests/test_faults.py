"""Faults: with the database unreachable readers get 503 "try again shortly"
with Retry-After and the site's own page, the log gets one line per distinct
failure per interval, the site recovers on its own, and /healthz tells a load
balancer whether database, cache and storage work."""

import io
import json
import logging
import socket
from unittest import mock

import psycopg
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection, connections
from django.test import Client, RequestFactory
from django.urls import include, path

from articles.models import Section
from newsroom.logging import OncePerInterval
from newsroom.middleware import unavailable_response

from .factories import ArticleFactory, SectionFactory

UNAVAILABLE = "temporarily unavailable"


def closed_port():
    """A local TCP port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Outage:
    """The database made unreachable, and brought back.

    PostgreSQL: the connection is closed and pointed at a port nothing listens
    on, so every thread's next connection is refused by the operating system,
    as when the server is stopped. SQLite's in-memory test database cannot be
    closed without losing it, so there every connection attempt raises the
    error SQLite gives for a database file it cannot open.
    """

    def __init__(self):
        self._undo = None

    def begin(self):
        if connection.vendor == "postgresql":
            saved = {key: connection.settings_dict[key] for key in ("HOST", "PORT")}
            connection.close()
            connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))

            def undo():
                connection.settings_dict.update(saved)
                connection.close()

        else:
            patcher = mock.patch.object(
                type(connections["default"]),
                "ensure_connection",
                side_effect=OperationalError("unable to open database file"),
            )
            patcher.start()
            undo = patcher.stop
        self._undo = undo

    def end(self):
        if self._undo is not None:
            self._undo()
            self._undo = None


@pytest.fixture
def outage(transactional_db):
    outage = Outage()
    yield outage
    outage.end()


@pytest.fixture(autouse=True)
def log_filter():
    """The one filter the LOGGING setting puts on the fault loggers, emptied."""
    (found,) = {
        f
        for name in ("newsroom.faults", "django.request", "health_check")
        for f in logging.getLogger(name).filters
        if isinstance(f, OncePerInterval)
    }
    found.reset()
    yield found
    found.reset()


@pytest.fixture
def editor_client(django_user_model):
    user = django_user_model.objects.create_superuser(
        "desk", "desk@example.org", "a long desk password"
    )
    client = Client()
    client.force_login(user)
    return client


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.NEWSROOM_RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def assert_unavailable_page(response):
    assert_unavailable(response)
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert UNAVAILABLE in html
    assert '<header class="masthead">' in html
    assert settings.NEWSROOM_NAME in html
    assert "Traceback" not in html and "OperationalError" not in html


def fault_lines(caplog):
    """Error lines from the request and fault loggers."""
    return [
        record
        for record in caplog.records
        if record.name in ("django.request", "newsroom.faults")
        and record.levelno >= logging.ERROR
    ]


# The database is down.


def test_front_page_story_and_feed_answer_503_with_the_sites_own_page(outage, client):
    story = ArticleFactory(harbour=True)
    story_url = story.get_absolute_url()
    assert client.get(story_url).status_code == 200  # now in the page cache

    outage.begin()
    for url in ["/", f"{story_url}?from=home", "/feeds/rss/", "/corrections/"]:
        assert_unavailable_page(client.get(url))
    # A page the cache holds is still served, database or not.
    assert story.headline in client.get(story_url).content.decode()


def test_the_api_answers_503_in_json(outage, client):
    ArticleFactory()
    outage.begin()

    response = client.get("/api/stories/")

    assert_unavailable(response)
    assert response.json() == {
        "detail": "The service is temporarily unavailable.",
        "retry_after": settings.NEWSROOM_RETRY_AFTER_SECONDS,
    }


def test_the_api_answers_503_in_json_in_development_too(outage, client, settings):
    settings.DEBUG = True  # django-ninja would answer 500 with a traceback
    outage.begin()

    response = client.get("/api/stories/")

    assert_unavailable(response)
    assert "Traceback" not in response.content.decode()


def test_the_admin_answers_503_to_a_signed_in_editor(outage, editor_client):
    ArticleFactory()
    assert editor_client.get("/admin/articles/article/").status_code == 200

    outage.begin()

    assert_unavailable_page(editor_client.get("/admin/articles/article/"))
    assert_unavailable_page(editor_client.get("/admin/"))


def test_an_outage_met_outside_a_view_is_a_503_too(outage):
    # No view matches: the 404 page lists the sections, and that query fails
    # in Django's own error handling, past the middleware's process_exception.
    outage.begin()
    client = Client(raise_request_exception=False)

    assert_unavailable_page(client.get("/no/such/page/"))


def test_fifty_failing_requests_log_one_line_then_a_count_then_recovery(
    outage, client, caplog, log_filter, monkeypatch
):
    now = [1000.0]
    monkeypatch.setattr(log_filter, "clock", lambda: now[0])
    story_url = ArticleFactory().get_absolute_url()
    outage.begin()

    urls = ["/", story_url, "/feeds/rss/", "/api/stories/", "/search/?q=wall"]
    for number in range(50):
        assert client.get(urls[number % len(urls)]).status_code == 503

    (line,) = fault_lines(caplog)
    assert line.name == "newsroom.faults"
    assert line.getMessage().startswith("database unavailable: OperationalError: ")
    assert line.exc_info is None  # a line, not a traceback
    assert "repeated" not in line.getMessage()

    caplog.clear()
    now[0] += 61
    assert client.get("/").status_code == 503
    (line,) = fault_lines(caplog)
    assert line.getMessage().endswith("(repeated 49 times in the last 61 s)")

    # A page that needs no database is served, and is no sign of recovery.
    caplog.clear()
    assert client.get("/admin/login/").status_code == 200
    assert caplog.records == []

    outage.end()
    response = client.get(story_url)
    assert response.status_code == 200
    assert UNAVAILABLE not in response.content.decode()
    assert fault_lines(caplog) == []
    assert [r.getMessage() for r in caplog.records if r.name == "newsroom.faults"] == [
        "database available again; 51 requests answered 503 during the outage"
    ]


def test_two_different_failures_are_two_lines(log_filter, caplog):
    faults = logging.getLogger("newsroom.faults")
    for _ in range(10):
        for message in ["connection refused", "too many clients already"]:
            failure = OperationalError(message)
            faults.error(
                "database unavailable: %s", failure, extra={"failure": failure}
            )
    # Same failure, different numbers (a port, a process id): one line.
    for pid in range(10):
        faults.error("backend %s terminated", pid)

    assert [r.getMessage() for r in fault_lines(caplog)] == [
        "database unavailable: connection refused",
        "database unavailable: too many clients already",
        "backend 0 terminated",
    ]


def test_the_unavailable_page_needs_no_database(django_assert_num_queries, db):
    SectionFactory(name="Business", slug="business")
    request = RequestFactory().get("/business/")

    with django_assert_num_queries(0):
        response = unavailable_response(request)

    assert UNAVAILABLE in response.content.decode()
    assert "Business" not in response.content.decode()  # no section list


@pytest.mark.postgresql("SQLite has no server to drop us")
def test_a_connection_the_server_dropped_is_replaced_on_the_next_request(
    transactional_db,
):
    """Through Django's real WSGI handler: each request begins by checking the
    persistent connection (CONN_MAX_AGE with conn_health_checks)."""
    story_url = ArticleFactory().get_absolute_url()
    handler = WSGIHandler()

    def get(url, query=""):
        environ = RequestFactory()._base_environ(PATH_INFO=url, QUERY_STRING=query)
        environ["wsgi.input"] = io.BytesIO()
        status = []
        body = b"".join(handler(environ, lambda s, h: status.append(s)))
        return status[0], body.decode()

    assert get(story_url)[0] == "200 OK"
    old_pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [old_pid])

    status, body = get(story_url, "again")  # not in the page cache: rendered

    assert status == "200 OK" and UNAVAILABLE not in body
    assert connection.connection.info.backend_pid != old_pid


# Bugs are not outages.


def bad_sql(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT headline FROM no_such_table")


def duplicate_section(request):
    Section.objects.create(name="Sport", slug="sport")
    Section.objects.create(name="Sport", slug="sport")


def value_error(request):
    raise ValueError("a bug in a view")


urlpatterns = [
    path("broken/sql/", bad_sql),
    path("broken/integrity/", duplicate_section),
    path("broken/value/", value_error),
    path("", include("newsroom.urls")),
]
handler500 = "newsroom.views.server_error"


@pytest.mark.parametrize(
    "url, error",
    [
        # PostgreSQL: ProgrammingError; SQLite: OperationalError "no such table".
        ("/broken/sql/", "no_such_table"),
        ("/broken/integrity/", "IntegrityError"),
        ("/broken/value/", "ValueError"),
    ],
)
def test_a_bug_is_still_a_500_and_logged_with_its_traceback(
    db, settings, caplog, url, error
):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)

    response = client.get(url)

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Retry-After" not in response.headers
    (line,) = fault_lines(caplog)
    assert line.name == "django.request" and line.exc_info is not None
    assert error in f"{line.exc_info[0].__name__} {line.exc_info[1]}"


# /healthz


def health(client, url="/healthz", **headers):
    """GET /healthz (an async view, run by the test client in this thread)."""
    response = client.get(url, headers=headers)
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    return response


def by_check(response):
    """{"Database": "OK", …} from the JSON body."""
    return {key.split("(")[0]: value for key, value in response.json().items()}


def test_healthz_reports_database_cache_and_storage_ok(client, transactional_db):
    response = health(client, accept="application/json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert by_check(response) == {"Database": "OK", "Cache": "OK", "Storage": "OK"}
    # The storage probe cleans up after itself.
    uploads = settings.MEDIA_ROOT
    assert not uploads.exists() or not [p for p in uploads.rglob("*") if p.is_file()]


def test_healthz_json_by_query_and_a_page_for_people(client, transactional_db):
    assert by_check(health(client, "/healthz?format=json"))["Database"] == "OK"
    page = health(client, accept="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")


def test_healthz_is_503_with_the_database_down_and_tells_no_secrets(client, outage):
    outage.begin()

    response = health(client, accept="application/json")

    assert response.status_code == 503
    checks = by_check(response)
    assert checks["Database"].startswith("Unavailable")
    assert checks["Cache"] == checks["Storage"] == "OK"
    body = response.content.decode()
    for secret in [
        settings.SECRET_KEY,
        connection.settings_dict["NAME"],
        connection.settings_dict["USER"] or "postgres",
        "127.0.0.1",
    ]:
        assert str(secret) not in body


def test_healthz_is_503_when_uploads_cannot_be_stored(
    client, transactional_db, settings, tmp_path
):
    (tmp_path / "a-file").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "uploads"

    response = health(client, accept="application/json")

    assert response.status_code == 503
    checks = by_check(response)
    assert checks["Storage"] != "OK"
    assert checks["Database"] == checks["Cache"] == "OK"
    assert "a-file" not in json.dumps(response.json())


def test_no_section_may_take_the_healthz_address(db):
    section = Section(name="Health", slug="healthz")
    with pytest.raises(ValidationError, match="used by the site itself"):
        section.full_clean()
