"""The uncached story page in-process: milliseconds and queries per request.

    .venv/bin/python bench/story_loop.py [--requests N] [--profile FILE]
        [--database-url URL] [--path /section/slug/] [--var-dir DIR]
        [--wagtail] [--instructions]

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

``--instructions`` does that itself: it prepares the database, then runs the
loop twice under callgrind (``--requests`` of them, default 40 here, and
none; ``PYTHONHASHSEED=0``) and prints the instructions per request.
``--wagtail`` does the same for Wagtail 8 serving the same story
(``bench/wagtail_site.py``: its virtual environment under /tmp, the site on
SQLite in ``wagtail/`` of the var folder, its ``loop.py`` run with that
environment's python) and prints both and the ratio, ours ÷ Wagtail's. Without
``--instructions`` it prints both loops' milliseconds.
"""

import argparse
import contextlib
import io
import json
import os
import re
import secrets
import statistics
import subprocess
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
    parser.add_argument(
        "--requests", type=int, help="default 500, 40 with --instructions"
    )
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--database-url")
    parser.add_argument("--path", help="default: the story bench/pages.py measures")
    parser.add_argument("--profile", help="write a cProfile of the timed requests")
    parser.add_argument(
        "--var-dir",
        help="keep the demo database and static files in this folder and reuse "
        "them on the next run (default: a temporary folder)",
    )
    parser.add_argument(
        "--wagtail",
        action="store_true",
        help="also run Wagtail 8 serving the same story (bench/wagtail_site.py)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="instructions per request under callgrind (valgrind)",
    )
    options = parser.parse_args()
    if options.requests is None:
        options.requests = 40 if options.instructions else 500

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
        wagtail = None
        if options.wagtail:
            wagtail = wagtail_site(var_dir, path)
        if options.instructions:
            return instructions(options, var_dir, path, wagtail)
        if wagtail is not None:
            subprocess.run(
                [
                    str(wagtail[0]),
                    str(wagtail[1] / "loop.py"),
                    "--requests",
                    str(options.requests),
                    "--warmup",
                    str(options.warmup),
                ],
                check=True,
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


def wagtail_site(var_dir, path):
    """(python, folder) of the Wagtail site serving the story at ``path``,
    built in ``var_dir/wagtail`` unless it is there already."""
    sys.path.insert(0, str(ROOT / "bench"))
    import wagtail_site as site
    from django.urls import resolve

    from articles.models import Article

    folder = var_dir / "wagtail"
    python = site.VENV / "bin" / "python"
    if (folder / "loop.json").exists() and python.exists():
        return python, folder
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    pk = Article.objects.get(slug=resolve(path).kwargs["slug"]).pk
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(site.EXPORT.format(pk=int(pk)), {})
    data = json.loads(out.getvalue().strip().splitlines()[-1])
    site.build(
        folder,
        data,
        secret_key=secrets.token_hex(32),
        log=lambda line: print(line, file=sys.stderr),
    )
    return python, folder


def callgrind(command, env):
    """Instructions ``command`` runs, counted by callgrind."""
    with tempfile.TemporaryDirectory(prefix="newsroom-callgrind-") as tmp:
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/out",
                *command,
            ],
            env=env,
            capture_output=True,
            text=True,
        )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"{' '.join(command)}:\n{done.stdout}{done.stderr}")
    return int(found.group(1)), done.stdout.strip()


def instructions(options, var_dir, path, wagtail):
    """Ours (and Wagtail's) instructions per request: ``--requests`` minus
    none, under callgrind."""
    env = {
        **os.environ,
        "NEWSROOM_CACHE_MAX_AGE": "0",
        "NEWSROOM_CACHE_S_MAXAGE": "0",
        "PYTHONHASHSEED": "0",
    }
    ours = [sys.executable, __file__, "--var-dir", str(var_dir), "--path", path]
    if options.database_url:
        ours += ["--database-url", options.database_url]
    runs = {"ours": ours}
    if wagtail is not None:
        runs["Wagtail 8"] = [str(wagtail[0]), str(wagtail[1] / "loop.py")]
    per_request = {}
    for name, command in runs.items():
        warm = ["--warmup", str(options.warmup)]
        total, line = callgrind(
            [*command, *warm, "--requests", str(options.requests)], env
        )
        base, _ = callgrind([*command, *warm, "--requests", "0"], env)
        per_request[name] = (total - base) / options.requests
        print(line)
        print(
            f"{name}: {per_request[name] / 1e6:.2f} M instructions per request "
            f"({options.requests} requests, callgrind)"
        )
    if wagtail is not None:
        print(
            f"ours ÷ Wagtail 8: {per_request['ours'] / per_request['Wagtail 8']:.3f} "
            f"(Wagtail ÷ ours {per_request['Wagtail 8'] / per_request['ours']:.2f}×)"
        )


if __name__ == "__main__":
    main()
