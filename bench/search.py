"""Benchmark: the search page on an existing PostgreSQL archive.

    .venv/bin/python bench/search.py --database-url URL
        [--words council,market,harbour,…] [--pages 1,2,50,999] [--runs 7]
        [--explain]

For each word: how many published stories contain it, then the search page
for it at each page number, requested in-process with Django's test client
(DEBUG off, production settings): SQL queries and median milliseconds.
``--explain`` prints EXPLAIN ANALYZE of the queries one search page runs.
The database is only read; fill one with bench/scale.py first.
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

# The same production-like settings as the scale benchmark (page cache off).
from scale import configure_django  # noqa: E402

# From a word in every story of bench/scale.py's archive to a rare one.
WORDS = "council,market,government,harbour,tram,kaloto,mipa council,zzyzx"


def matching(word):
    """How many published stories contain ``word`` (counted, not capped)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article WHERE status = 'published' "
            "AND published_at <= now() AND search_document @@ "
            "websearch_to_tsquery('english', %s)",
            [word],
        )
        return cursor.fetchone()[0]


def timed(client, url, runs):
    """Queries and median ms of ``url``, after one untimed request."""
    from django.db import connection

    captured = []

    def note(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return len(captured), statistics.median(times), captured


def explain(queries):
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in queries:
            if "search_document" not in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--words", default=WORDS, help="Comma-separated searches.")
    parser.add_argument("--pages", default="1,2,50,999", help="Page numbers.")
    parser.add_argument("--runs", type=int, default=7, help="Timed runs a page.")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE.")
    parser.add_argument("--no-count", action="store_true", help="Skip the counts.")
    args = parser.parse_args()
    if not args.database_url:
        sys.exit("Give --database-url (or DATABASE_URL).")
    configure_django(args.database_url)

    from urllib.parse import urlencode

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    if not (Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    client = Client()
    print(f"{'search':<16} {'stories':>9} {'page':>5} {'queries':>7} {'ms':>8}")
    for word in args.words.split(","):
        count = "" if args.no_count else f"{matching(word):,}"
        for page in args.pages.split(","):
            url = "/search/?" + urlencode({"q": word, "page": page})
            queries, ms, captured = timed(client, url, args.runs)
            print(f"{word:<16} {count:>9} {page:>5} {queries:>7} {ms:>8.1f}")
            if args.explain and page == args.pages.split(",")[0]:
                explain(captured)


if __name__ == "__main__":
    main()
