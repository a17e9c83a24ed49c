"""Benchmark: the sourcing report's time in an archive of N stories on PostgreSQL.

    .venv/bin/python bench/sourcing_report.py --stories 1000000 [--keep]
        [--database-url URL] [--database-name NAME] [--runs 5]
        [--no-fill [--describe] [--rebuild]]

Fills a fresh database with bench/scale.py's fill (N published stories, two
quotes each, a pool of 3,000 sources; the fill rebuilds the report's summary
at its end), gives the sources self-described attributes (a spread of values
and blanks, set by id: this is test data), then times, for a few periods,
the report's figures alone (``sourcing.report.build_report``) and the whole
desk page and its CSV as an editor requests them (in-process, DEBUG off).
Prints the machine's load, the summary's size, and the queries and median
milliseconds of each.

``--no-fill`` measures an existing archive (migrated: the migration fills
the summary); ``--describe`` gives its sources the attributes first,
``--rebuild`` rebuilds the summary first (``rebuild_sourcing_summary``).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
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

GENDERS = ["woman", "man", "non-binary", "", "woman", "man", ""]
AGE_BANDS = ["", "18-29", "30-44", "45-64", "65+", ""]
EXPERTISE = ["official", "expert", "affected", "business", "civil-society", ""]


def describe_sources(connection):
    """Self-described attributes on the filled sources, spread by id."""
    with connection.cursor() as cursor:
        for column, values in [
            ("gender", GENDERS),
            ("age_band", AGE_BANDS),
            ("expertise", EXPERTISE),
        ]:
            cases = " ".join(f"WHEN {n} THEN %s" for n in range(len(values)))
            cursor.execute(
                f"UPDATE people_source SET {column} = "
                f"CASE (id %% {len(values)}) {cases} END",
                values,
            )
        cursor.execute(
            "UPDATE people_source SET location = "
            "CASE (id % 4) WHEN 0 THEN 'Port Aldren' WHEN 1 THEN 'Northside' "
            "ELSE '' END"
        )
        cursor.execute("ANALYZE people_source")


def timed(run, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # warm-up
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
    return len(queries), statistics.median(times)


def measure(runs):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from articles.models import Article
    from sourcing.forms import today
    from sourcing.report import Filters, build_report

    static_root = Path(os.environ["STATIC_ROOT"])
    if not (static_root / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    count = Article.objects.published().count()
    first = Article.objects.published().order_by("published_at").first()
    end = today()
    periods = {
        "last 30 days": end - timedelta(days=30),
        "last 90 days (default)": end - timedelta(days=90),
        "last 365 days": end - timedelta(days=365),
    }
    if first is not None:
        # The report's longest period, as far back as the archive goes: its
        # cost is the period's, not the archive's.
        oldest = first.published_at.date()
        periods["the archive's first year"] = (oldest, oldest + timedelta(days=365))

    from sourcing.models import BylineSource, StorySource

    print(
        f"\n{count:,} published stories; summary: "
        f"{StorySource.objects.count():,} story rows, "
        f"{BylineSource.objects.count():,} byline rows"
    )
    print(f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print(f"median of {runs} runs after a warm-up")
    print(f"{'period':<24} {'what':<8} {'queries':>7} {'ms':>9}")
    for name, start in periods.items():
        start, stop = start if isinstance(start, tuple) else (start, end)
        filters = Filters(date_from=start, date_to=stop)
        query = {"date_from": start.isoformat(), "date_to": stop.isoformat()}
        for what, run in [
            ("figures", lambda f=filters: build_report(f, user=user)),
            (
                "page",
                lambda q=query: client.get("/admin/sourcing/sourcingreport/", q),
            ),
            (
                "csv",
                lambda q=query: client.get("/admin/sourcing/sourcingreport/csv/", q),
            ),
        ]:
            queries, ms = timed(run, runs)
            print(f"{name:<24} {what:<8} {queries:>7} {ms:>9.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/",
        help="The PostgreSQL server (any database name in it is replaced).",
    )
    parser.add_argument("--database-name", help="Default: nr_sourcing_bench_<stories>.")
    parser.add_argument("--keep", action="store_true", help="Keep the database.")
    parser.add_argument(
        "--no-fill",
        action="store_true",
        help="Measure the database as it is (it must exist and be filled).",
    )
    parser.add_argument(
        "--describe",
        action="store_true",
        help="With --no-fill: give the sources their attributes first.",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="With --no-fill: rebuild the report's summary first.",
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    name = args.database_name or f"nr_sourcing_bench_{args.stories}"
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
            describe_sources(connection)
        else:
            if args.describe:
                describe_sources(connection)
            if args.rebuild:
                started = time.perf_counter()
                call_command("rebuild_sourcing_summary")
                print(f"  (in {time.perf_counter() - started:.1f} s)")
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE sourcing_storysource")
                    cursor.execute("ANALYZE sourcing_bylinesource")
        measure(args.runs)
    finally:
        connection.close()
        if not args.keep and not args.no_fill:
            drop_database(server, name)


if __name__ == "__main__":
    main()
