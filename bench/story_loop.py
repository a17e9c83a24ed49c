"""The uncached story page in-process: milliseconds and queries per request.

    .venv/bin/python bench/story_loop.py [--requests N] [--profile FILE]
        [--database-url URL] [--path /section/slug/]

Production settings as ``bench/pages.py`` serves them (DEBUG off, the page
cache off, ``ALLOWED_HOSTS`` set, a secret key), the demo stories in a fresh
SQLite under a temporary folder unless ``--database-url`` is given, and the
story ``bench/pages.py`` measures (the sixth newest). Each request goes
through Django's WSGI handler, every middleware included, as gunicorn calls
it; the loop prints the median and the best milliseconds per request, the
process's CPU time per request and the queries per request. ``--profile FILE``
writes a cProfile of the timed requests (``python -m pstats FILE``).
Instruction counts, steadier than time on a shared machine:
``perf stat -e instructions`` (where the kernel allows it) or
``valgrind --tool=callgrind`` around a run with ``--requests`` fixed, minus a
run with ``--requests 0`` (``--var-dir`` keeps the prepared database for both),
with ``NEWSROOM_CACHE_MAX_AGE=0 NEWSROOM_CACHE_S_MAXAGE=0`` in the environment:
at valgrind's speed the once-a-second look-up of the next scheduled change
would otherwise run on every request.
"""

import argparse
import io
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(var_dir, database_url):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_hex(32),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        NEWSROOM_PAGE_CACHE="false",
        NEWSROOM_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
    )
    for name in ("CACHE_URL", "REDIS_URL", "DATABASE_URL"):
        os.environ.pop(name, None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def environ(path):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8191",
        "HTTP_HOST": "127.0.0.1:8191",
        "HTTP_USER_AGENT": "story_loop",
        "HTTP_ACCEPT": "*/*",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--database-url")
    parser.add_argument("--path", help="default: the story bench/pages.py measures")
    parser.add_argument("--profile", help="write a cProfile of the timed requests")
    parser.add_argument(
        "--var-dir",
        help="keep the demo database and static files in this folder and reuse "
        "them on the next run (default: a temporary folder)",
    )
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsroom-story-loop-") as tmp:
        var_dir = Path(options.var_dir or Path(tmp) / "var").resolve()
        fresh = not (var_dir / "static").exists()
        configure(var_dir, options.database_url)
        from django.core.management import call_command

        if fresh:
            if not options.database_url:
                call_command("migrate", verbosity=0, interactive=False)
                call_command("load_demo", verbosity=0)
            call_command("collectstatic", verbosity=0, interactive=False)
        from django.core.handlers.wsgi import WSGIHandler
        from django.db import connection

        from articles.models import Article

        path = options.path or (
            Article.objects.published()
            .select_related("section")
            .order_by("-published_at")[5]
            .get_absolute_url()
        )
        handler = WSGIHandler()
        statuses = []

        def request():
            out = handler(environ(path), lambda status, _: statuses.append(status))
            body = b"".join(out)
            out.close()
            return body

        body = b""
        for _ in range(options.warmup):
            body = request()
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            request()
        times = []
        profiler = None
        if options.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        cpu = time.process_time()
        for _ in range(options.requests):
            start = time.perf_counter()
            request()
            times.append(time.perf_counter() - start)
        cpu = time.process_time() - cpu
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(options.profile)
        bad = [s for s in statuses if not s.startswith("200")]
        if bad:
            raise SystemExit(f"{path}: {bad[0]}")
        if times:
            print(
                f"{path}: {len(body):,} bytes, {len(queries)} queries; "
                f"{len(times)} requests: median {statistics.median(times) * 1000:.3f} "
                f"ms, best {min(times) * 1000:.3f} ms, CPU "
                f"{cpu / len(times) * 1000:.3f} ms per request"
            )


if __name__ == "__main__":
    main()
