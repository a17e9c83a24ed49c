"""Benchmark: the unattributed-quotes queue in an archive of N stories on PostgreSQL.

    .venv/bin/python bench/unattributed_queue.py --stories 1000000 [--keep]
        [--database-url URL] [--database-name NAME] [--no-fill] [--runs 5]

Fills a fresh database with bench/scale.py's fill (N published stories, two
quotes each, one quote in 40 without a source), then times the queue's page
as an editor requests it (in-process, DEBUG off): the first page, a page deep
in the queue (by its keyset cursor), a section and a status filter. Prints
the queries and the median milliseconds of each (with every story read
afresh, and with the stories' readings in the cache), and the plan of the page's
quote query with and without the partial index ``quote_unattributed_idx``.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import (  # noqa: E402
    admin_url,
    configure_django,
    create_database,
    drop_database,
    fill,
)

QUEUE = "/admin/sourcing/unattributedquote/"


def timed(run, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # warm-up
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = run()
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return len(queries), statistics.median(times)


def plan(connection, sql, params):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def page_sql(filters):
    from sourcing.queue import page_query

    return page_query(filters).query.sql_with_params()


def measure(runs):
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from articles.models import Article, Quote, Section
    from sourcing.queue import Filters

    static_root = Path(os.environ["STATIC_ROOT"])
    if not (static_root / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    stories = Article.objects.count()
    waiting = Quote.objects.filter(source__isnull=True).count()
    middle = (
        Quote.objects.filter(source__isnull=True)
        .order_by("-article_id", "id")
        .values_list("article_id", "id")[waiting // 2]
    )
    section = Section.objects.order_by("-position", "-pk").first()
    print(
        f"\n{stories:,} stories, {waiting:,} unattributed quotes; "
        f"median of {runs} runs after a warm-up"
    )
    print(f"{'page':<52} {'queries':>7} {'ms':>9}")

    def cold(query):
        cache.clear()  # every story on the page read afresh
        return client.get(QUEUE, query)

    for name, query in [
        ("first page", {}),
        ("a page half-way down (cursor)", {"after": f"{middle[0]}-{middle[1]}"}),
        (f"section {section.name!r}", {"section": section.pk}),
        ("status: in review", {"status": "review"}),
    ]:
        for how, run in [
            ("stories read afresh", lambda q=query: cold(q)),
            ("readings cached", lambda q=query: client.get(QUEUE, q)),
        ]:
            queries, ms = timed(run, runs)
            print(f"{name + ', ' + how:<52} {queries:>7} {ms:>9.1f}")

    filters = Filters(after=middle)
    sql, params = page_sql(filters)
    print("\nThe page's quote query, half-way down, with the partial index:")
    print("\n".join("  " + line for line in plan(connection, sql, params)))
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("DROP INDEX quote_unattributed_idx")
        print("\n… and without it (quote_source_article_idx only):")
        print("\n".join("  " + line for line in plan(connection, sql, params)))
        cursor.execute("ROLLBACK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/",
        help="The PostgreSQL server (any database name in it is replaced).",
    )
    parser.add_argument("--database-name", help="Default: nr_queue_bench_<stories>.")
    parser.add_argument("--keep", action="store_true", help="Keep the database.")
    parser.add_argument(
        "--no-fill",
        action="store_true",
        help="Measure the database as it is (it must exist and be filled).",
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    name = args.database_name or f"nr_queue_bench_{args.stories}"
    server = args.database_url.rstrip("/") + "/x"
    database_url = admin_url(server, name)
    if not args.no_fill:
        print(f"Creating {name} with {args.stories:,} stories")
        create_database(server, name)
    configure_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    try:
        if not args.no_fill:
            call_command("migrate", verbosity=0, interactive=False)
            counts = fill(connection, args.stories)
            print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        measure(args.runs)
    finally:
        connection.close()
        if not args.keep and not args.no_fill:
            drop_database(server, name)


if __name__ == "__main__":
    main()
