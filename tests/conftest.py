"""Rules and fixtures for the whole suite.

A test that cannot run here (``../shared`` missing, no Chromium, a library
not installed) skips with the reason, unless ``NEWSROOM_REQUIRE_ALL=1`` (CI):
then every such skip is a failure with the same reason. The one skip that
stays a skip is a test marked ``postgresql`` on another database, since CI
runs the suite on both; the run's summary counts those.

Every test passes alone and in any order (``-p randomly``, see the README):
state that lives outside the test database is reset here before each test.
"""

import contextlib
import importlib
import logging
import os
from pathlib import Path

import pytest

REQUIRE_ALL = os.environ.get("NEWSROOM_REQUIRE_ALL") == "1"

# Other publishers' texts and IPTC's schema, beside the project (never copied in).
# NEWSROOM_SHARED points elsewhere: the mutation run's copy of the project is one
# folder deeper (bench/mutation.py sets it).
SHARED = Path(
    os.environ.get("NEWSROOM_SHARED")
    or Path(__file__).resolve().parents[1].parent / "shared"
)

# Reports of the tests skipped as being for the other database.
_database_skips = pytest.StashKey[list]()


def unavailable(what):
    """Skip: ``what`` is not available here; a failure under NEWSROOM_REQUIRE_ALL."""
    if REQUIRE_ALL:
        pytest.fail(f"{what}: required when NEWSROOM_REQUIRE_ALL=1 (CI)", pytrace=False)
    pytest.skip(what)


def shared_file(relative):
    """The path of ``relative`` (e.g. ``"seed/rcaf-delegation-china.txt"``) in
    ``../shared``; the test skips without it, or fails under the switch."""
    path = SHARED / relative
    if not path.exists():
        unavailable(f"{path} is missing (../shared)")
    return path


def database_vendor():
    from django.db import connection

    return connection.vendor


def pytest_configure(config):
    config.stash[_database_skips] = []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    marker = item.get_closest_marker("postgresql")
    if marker and database_vendor() != "postgresql":
        pytest.skip(f"PostgreSQL only: {marker.args[0]}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and not hasattr(report, "wasxfail"):
        if item.get_closest_marker("postgresql") and (
            database_vendor() != "postgresql"
        ):
            item.config.stash[_database_skips].append(report)
        elif REQUIRE_ALL:
            _skip_fails(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped (``pytest.importorskip`` at its top, say)."""
    report = yield
    if report.skipped and REQUIRE_ALL:
        _skip_fails(report)
    return report


def _skip_fails(report):
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
    report.outcome = "failed"
    report.longrepr = (
        f"{reason.removeprefix('Skipped: ')}\n"
        "Skipped, but NEWSROOM_REQUIRE_ALL=1 (CI) allows no skip except a "
        "PostgreSQL-only test on SQLite."
    )


def pytest_terminal_summary(terminalreporter, config):
    if REQUIRE_ALL:
        skipped = config.stash[_database_skips]
        terminalreporter.write_sep(
            "-",
            f"NEWSROOM_REQUIRE_ALL=1: {len(skipped)} PostgreSQL-only tests skipped "
            f"on {database_vendor()}; any other skip is a failure",
        )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Under a mutmut run (``make mutation``) a mutant's tests run quickest
    first: mutmut stops at the first failure, so a mutant a quick test kills is
    done quickly. The times are those mutmut recorded (``mutmut-stats.json``)."""
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return
    import json

    try:
        durations = json.loads(Path("mutmut-stats.json").read_text())[
            "duration_by_test"
        ]
    except (OSError, ValueError, KeyError):
        return
    items.sort(key=lambda item: durations.get(item.nodeid, float("inf")))


# The database as migrations leave it, also after a flush.


def _make_roles(**kwargs):
    from django.contrib.auth.models import Group, Permission

    for name in ("articles.migrations.0005_roles", "webhooks.migrations.0001_initial"):
        importlib.import_module(name).grant_roles(Group, Permission)


@pytest.fixture(scope="session", autouse=True)
def roles_after_every_flush():
    """The desk's roles (groups) come from a data migration. A transactional
    test (``transactional_db``, ``live_server``) empties the database when it
    ends, and only what ``post_migrate`` makes comes back (permissions, content
    types): make the roles there too, so that every test finds them whichever
    tests ran before it."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    # After the last app's permissions are made: the roles use every app's.
    last = [app for app in apps.get_app_configs() if app.models_module][-1]
    post_migrate.connect(_make_roles, sender=last, dispatch_uid="tests-roles")
    yield
    post_migrate.disconnect(sender=last, dispatch_uid="tests-roles")


# State outside the test database, reset before each test.


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into var/uploads."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_log_limits():
    """The fault loggers' once-a-minute limit forgets what earlier tests logged,
    so a test's first failure is always logged."""
    from newsroom.logging import OncePerInterval

    for name in ("django.request", "health_check", "newsroom.faults"):
        for log_filter in logging.getLogger(name).filters:
            if isinstance(log_filter, OncePerInterval):
                log_filter.reset()


@pytest.fixture(autouse=True)
def empty_caches(settings, tmp_path):
    """Django's caches start empty (the health check and the page cache write
    to them), the embedded one in a temporary folder, never var/cache; and the
    page cache forgets any failure an earlier test made it see."""
    from django.core.cache import caches

    from newsroom import page_cache

    if not settings.CACHE_URL:
        settings.CACHES = {"default": page_cache_folder(tmp_path / "cache")}
    # The whole suite reads pages through the page cache, as production does.
    settings.NEWSROOM_PAGE_CACHE = True
    for cache in caches.all():
        cache.clear()
    page_cache.reset()


def page_cache_folder(path):
    from newsroom.settings import file_cache

    return file_cache(path)


# Query counts: a page's own queries. The page cache looks up the next
# scheduled change once per generation (newsroom/page_cache.py), on the first
# request after a write: settled before the count begins.


def _settled(assert_queries):
    @contextlib.contextmanager
    def counting(*args, **kwargs):
        from newsroom import page_cache

        page_cache.settle()
        with assert_queries(*args, **kwargs) as context:
            yield context

    return counting


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    return _settled(django_assert_num_queries)


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    return _settled(django_assert_max_num_queries)


@pytest.fixture
def searchable():
    """Stories a search for “mangrove” finds in the headline, the standfirst
    and the body, a draft it must not find, and one it must pass over."""
    from .factories import ArticleFactory

    return {
        "headline": ArticleFactory(
            headline="Mangrove planting begins on the coast",
            standfirst="Volunteers start work at dawn.",
            body="<p>Hundreds turned out with spades.</p>",
        ),
        "standfirst": ArticleFactory(
            headline="Weekend volunteers",
            standfirst="Students put mangrove seedlings in by the river.",
            body="<p>The work continues next week.</p>",
        ),
        "body": ArticleFactory(
            headline="Council budget approved",
            standfirst="Spending rises.",
            body="<p>The money includes a fund for mangrove restoration.</p>",
        ),
        "draft": ArticleFactory(
            headline="Mangrove draft", body="<p>mangrove</p>", draft=True
        ),
        "other": ArticleFactory(headline="Cup final", body="<p>Football.</p>"),
    }


# What happens at go-live (webhooks/): events, the task worker, a receiver.


@pytest.fixture
def tasks(django_capture_on_commit_callbacks, settings):
    """Send events and run due tasks through the database backend's worker
    (``tests/outbound.py``); addresses sent out begin http://testserver, as
    the test client's pages do."""
    from .outbound import Tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSROOM_SITE_URL = "http://testserver"
    settings.WEBSUB_HUB_URL = ""
    settings.INDEXNOW_KEY = ""
    return Tasks(django_capture_on_commit_callbacks)


@pytest.fixture
def receiver():
    from .outbound import Receiver

    with Receiver() as running:
        yield running


@pytest.fixture
def story_events():
    """Every story event sent, as (kind, story id)."""
    from articles.events import story_event

    events = []

    def listen(sender, kind, article_id, details, **kwargs):
        events.append((kind, article_id))

    story_event.connect(listen, dispatch_uid="tests-story-events")
    yield events
    story_event.disconnect(dispatch_uid="tests-story-events")
