"""Reader pages served by gunicorn under load, beside Django's hello-world.

    .venv/bin/python bench/pages.py [--database-url URL] [--cache-url URL]

Serves the site with gunicorn and production settings (DEBUG=false) on
127.0.0.1 twice, with the page cache and without it
(``NEWSROOM_PAGE_CACHE=false``: every page rendered, same headers), and the
minimal Django project in ``bench/hello/`` as the framework's ceiling, all with
the same gunicorn settings. The database is ``--database-url`` as it is, or a
fresh SQLite with the demo stories. The cache is ``--cache-url``, by default
Redis database 4 at 127.0.0.1:6379 when it answers, else the embedded folder.
``wrk`` drives each page for ``--duration`` seconds, the pages interleaved, for
``--rounds`` rounds; the medians of req/s, p50 and p99 are printed, with req/s
as a ratio to hello-world.

``--wagtail`` also builds a throwaway Wagtail 8 site in /tmp serving the same
story (``bench/wagtail_site.py``: its own virtual environment from PyPI, SQLite
or ``--wagtail-database-url``) and measures it in the same rounds, beside our
story uncached. ``--output FILE`` writes the medians as JSON.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def run(args, env, **kwargs):
    return subprocess.run(
        args, env=env, cwd=ROOT, check=True, capture_output=True, text=True, **kwargs
    )


def site_env(options, var_dir):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "NEWSROOM_VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
    }
    for name in ("DATABASE_URL", "CACHE_URL", "REDIS_URL"):
        env.pop(name, None)
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
    if options.cache_url:
        env["CACHE_URL"] = options.cache_url
    return env


def prepare(env, fresh):
    manage = [PYTHON, "manage.py"]
    if fresh:
        run([*manage, "migrate", "--noinput"], env)
        run([*manage, "load_demo"], env)
    run([*manage, "collectstatic", "--noinput"], env)
    script = (
        "from articles.models import Article\n"
        "s = Article.objects.published().select_related('section')"
        ".order_by('-published_at')[5]\n"
        "print(s.get_absolute_url())\n"
        "print(s.headline.split()[0].lower())\n"
    )
    out = run([*manage, "shell", "-v", "0", "-c", script], env).stdout.split()
    return out[0], out[1]


def export_story(env, path):
    """The story at ``path`` and its section's stories, as JSON, for Wagtail."""
    import wagtail_site

    pk = run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            "from django.urls import resolve\n"
            "from articles.models import Article\n"
            f"m = resolve({path!r})\n"
            "print(Article.objects.get(slug=m.kwargs['slug']).pk)",
        ],
        env,
    ).stdout.split()[-1]
    script = wagtail_site.EXPORT.format(pk=int(pk))
    out = run([PYTHON, "manage.py", "shell", "-v", "0", "-c", script], env).stdout
    return json.loads(out.strip().splitlines()[-1])


def serve(module, port, env, options, cwd=ROOT, gunicorn=None):
    args = [
        str(gunicorn or BIN / "gunicorn"),
        module,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(options.workers),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(args, env=env, cwd=cwd)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn {module} did not start") from None
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn {module} did not answer on port {port}")


def check(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, (url, response.status)
        return response.headers


LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1, "s": 1000}


def wrk(url, options):
    out = subprocess.run(
        [
            options.wrk,
            f"-t{options.threads}",
            f"-c{options.connections}",
            f"-d{options.duration}s",
            "--latency",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: float(v) * UNITS[u] for p, v, u in LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  ! {url}: {errors.group(1)} non-2xx responses", file=sys.stderr)
    return rate, latency.get("50"), latency.get("99")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite with demo")
    parser.add_argument(
        "--cache-url",
        help="default: Redis db 4 if it answers; 'embedded': the folder under var/",
    )
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pause", type=float, default=3, help="seconds between runs")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    parser.add_argument(
        "--wagtail", action="store_true", help="also serve the story with Wagtail 8"
    )
    parser.add_argument(
        "--wagtail-database-url",
        help="PostgreSQL for the Wagtail site (dropped and made afresh); "
        "default SQLite",
    )
    parser.add_argument("--output", help="write the medians to this JSON file")
    options = parser.parse_args()
    if options.cache_url is None and redis_answers():
        options.cache_url = "redis://127.0.0.1:6379/4"
    if options.cache_url == "embedded":
        options.cache_url = ""
    if options.cache_url and options.cache_url.startswith("redis"):
        import redis

        redis.Redis.from_url(options.cache_url).flushdb()  # the bench's own db

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        var_dir = Path(tmp) / "var"
        env = site_env(options, var_dir)
        story, word = prepare(env, fresh=not options.database_url)
        uncached_env = {**env, "NEWSROOM_PAGE_CACHE": "false"}
        hello_env = {
            k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"
        }
        cached, uncached, hello = (
            options.port,
            options.port + 1,
            options.port + 2,
        )
        wagtail = options.port + 3
        wagtail_story = None
        if options.wagtail:
            sys.path.insert(0, str(ROOT / "bench"))
            import wagtail_site

            wagtail_dir = Path(tmp) / "wagtail"
            wagtail_gunicorn, wagtail_env, wagtail_story = wagtail_site.build(
                wagtail_dir,
                export_story(env, story),
                secret_key=secrets.token_hex(32),
                database_url=options.wagtail_database_url,
                log=lambda line: print(line, file=sys.stderr),
            )
        processes = [
            serve("newsroom.wsgi", cached, env, options),
            serve("newsroom.wsgi", uncached, uncached_env, options),
            serve("hello.wsgi", hello, hello_env, options, cwd=ROOT / "bench"),
        ]
        if wagtail_story:
            processes.append(
                serve(
                    "site_wsgi",
                    wagtail,
                    wagtail_env,
                    options,
                    cwd=wagtail_dir,
                    gunicorn=wagtail_gunicorn,
                )
            )
        try:
            base = "http://127.0.0.1:{}"
            targets = {
                "hello-world": base.format(hello) + "/",
                **(
                    {"Wagtail 8, story": base.format(wagtail) + wagtail_story}
                    if wagtail_story
                    else {}
                ),
                "story, uncached": base.format(uncached) + story,
                "story, cached": base.format(cached) + story,
                "home, cached": base.format(cached) + "/",
                "home, uncached": base.format(uncached) + "/",
                f"search “{word}”, cached": base.format(cached) + f"/search/?q={word}",
                f"search “{word}”, uncached": base.format(uncached)
                + f"/search/?q={word}",
                "RSS feed, cached": base.format(cached) + "/feeds/rss/",
                "RSS feed, uncached": base.format(uncached) + "/feeds/rss/",
            }
            for url in targets.values():
                check(url)
            headers = check(targets["story, cached"])
            print(f"story {story}: Cache-Control: {headers['Cache-Control']}")
            results = {name: [] for name in targets}
            for number in range(options.rounds):
                print(f"round {number + 1}/{options.rounds}", file=sys.stderr)
                for name, url in targets.items():
                    results[name].append(wrk(url, options))
                    # Let the workers finish what wrk left queued before the
                    # next page's run (a slow page's backlog would overlap it).
                    time.sleep(options.pause)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)

    database = (options.database_url or "sqlite (fresh, demo)").split("@")[-1]
    print(
        f"\ngunicorn {options.workers} sync workers; wrk -t{options.threads} "
        f"-c{options.connections} -d{options.duration}s, {options.rounds} "
        f"interleaved rounds (medians); database {database}; cache "
        f"{options.cache_url or 'embedded folder'}\n"
    )
    medians = {
        name: {
            "req_s": statistics.median(r[0] for r in runs),
            "p50_ms": statistics.median(r[1] for r in runs),
            "p99_ms": statistics.median(r[2] for r in runs),
            "runs": [list(r) for r in runs],
        }
        for name, runs in results.items()
    }
    hello_rate = medians["hello-world"]["req_s"]
    print("| page | req/s | × hello-world | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for name, row in medians.items():
        print(
            f"| {name} | {row['req_s']:,.0f} | {row['req_s'] / hello_rate:.2f} | "
            f"{row['p50_ms']:.2f} | {row['p99_ms']:.2f} |"
        )
    if "Wagtail 8, story" in medians:
        ratio = (
            medians["story, uncached"]["req_s"] / medians["Wagtail 8, story"]["req_s"]
        )
        print(f"\nstory uncached ÷ Wagtail 8: {ratio:.2f}× (goal ≥ 4×)")
    print(
        "story cached ÷ hello-world: "
        f"{medians['story, cached']['req_s'] / hello_rate:.2f}× (goal ≥ 0.7×)"
    )
    if options.output:
        Path(options.output).write_text(
            json.dumps(
                {
                    "command": " ".join(sys.argv),
                    "workers": options.workers,
                    "wrk": f"-t{options.threads} -c{options.connections} "
                    f"-d{options.duration}s",
                    "rounds": options.rounds,
                    "database": database,
                    "cache": options.cache_url or "embedded folder",
                    "load_average": os.getloadavg(),
                    "pages": medians,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
