"""Benchmark: import a generated archive of syndicated-text stories.

    .venv/bin/python bench/import_stories.py [--stories 10000] [--no-postgres]
        [--no-sqlite] [--database-url URL ...]

Writes a corpus in the syndicated layout to a temporary folder, then runs
``manage.py import_stories`` on it in a fresh SQLite database and, when it
answers at 127.0.0.1:5432, a fresh PostgreSQL database, printing stories per
second and the importer's peak memory. Run it with 2,000 and 10,000 stories to
see that memory does not grow with the number of files.

``--database-url`` imports the same corpus into a database that already holds
an archive too (migrated first, never dropped; the stories stay in it): a
copy of a ``bench/scale.py`` million, say, to see that the rate holds when
every slug and identity is looked for among a million.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACES = ["PORT ALDREN", "RIVERTON", "WESTMARCH", "KESTREL BAY", "HOLLINS CROSS"]
TOPICS = ["harbour", "tram line", "school board", "water plant", "market hall"]
PEOPLE = [
    ("Mara Ellis", "a hydrologist at Tamsin University"),
    ("Owen Hart", "a transport planner with the regional authority"),
    ("Priya Nand", "chair of the Westmarch traders' association"),
    ("Lucas Brandt", "a councillor for the harbour ward"),
]
AUTHORS = ["Lena Ortiz", "Jonah Pike", "Ada Mensah", "Teo Vance"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July"]


def story(number, rng):
    topic = rng.choice(TOPICS)
    place = rng.choice(PLACES)
    name, description = rng.choice(PEOPLE)
    surname = name.split()[-1]
    author = rng.choice(AUTHORS)
    day = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2019, 2025)}"
    paragraphs = [
        f"{place} – The council approved the {topic} plan number {number} on "
        "Tuesday after a long debate.",
        f"{name}, {description}, said the decision was overdue.",
        f"“We have waited years for this and the town deserves it,” {surname} said.",
        f"He added that work on the {topic} would begin within months.",
        "Opponents said the cost had doubled since the plan was first drawn up.",
        "The council will publish the final budget next month.",
    ]
    return "\n\n".join(
        [
            f"Council approves {topic} plan {number} for {place.title()}",
            f"The vote on the {topic} ends months of argument over its cost.",
            author,
            author,
            "The Riverton Courier",
            f"plan_{number}.jpg",
            f"The {topic} site seen from the river. PHOTO: RIVERTON COURIER",
            day,
            *paragraphs,
            "scroll to top",
        ]
    )


def write_corpus(folder, count, first=0):
    rng = random.Random(2024 + first)
    for number in range(first, first + count):
        sub = folder / f"{number // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"story-{number:05d}.txt").write_text(story(number, rng))


def import_into(database_url, corpus, count):
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [*manage, "import_stories", str(corpus), "--publish", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        stderr=subprocess.DEVNULL,  # one "picture not found" warning per story
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time is steadier than wall time on a machine shared with other work.
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, count / seconds, cpu, max(after.ru_maxrss, before.ru_maxrss) / 1024


def postgres_ready():
    return (
        subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False
        ).returncode
        == 0
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--postgres-name",
        default="newsroom_bench_import",
        help="The PostgreSQL database to drop and create for the run.",
    )
    parser.add_argument(
        "--first-number",
        type=int,
        default=0,
        help="Number the stories from this one, so that a second run into a "
        "kept database imports new stories rather than finding them unchanged.",
    )
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--database-url",
        action="append",
        default=[],
        metavar="URL",
        help="Also import into this existing database (it keeps the stories); "
        "may be given more than once.",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        write_corpus(corpus, args.stories, args.first_number)
        runs = [] if args.no_sqlite else [("SQLite", f"sqlite:///{tmp}/bench.sqlite3")]
        if not args.no_postgres and postgres_ready():
            name = args.postgres_name
            for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
                subprocess.run(
                    ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql],
                    check=True,
                )
            runs.append(("PostgreSQL", f"postgres://postgres@127.0.0.1:5432/{name}"))
        for url in args.database_url:
            runs.append((url.rstrip("/").rpartition("/")[2], url))
        cores = os.cpu_count()
        print(f"Importing {args.stories:,} syndicated-text stories ({cores} cores)")
        for label, url in runs:
            seconds, rate, cpu, peak_mb = import_into(url, corpus, args.stories)
            print(
                f"{label:>14}: {seconds:6.1f} s  {rate:7.0f} stories/s  "
                f"importer CPU {cpu:6.1f} s  peak memory {peak_mb:5.0f} MB"
            )


if __name__ == "__main__":
    main()
