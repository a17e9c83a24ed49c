"""Benchmark: pages of two ``bench/scale.py`` databases timed in turn.

    .venv/bin/python bench/scale_pair.py --small nr_bench_1k --large nr_bench_1m
        [--pages author,sitemap_index] [--rounds 15]

On a machine shared with other work a page's time swings by 2× from one
minute to the next, so two runs of ``bench/scale.py`` minutes apart compare
the load as much as the archive. Here one process times each page once in
the small database, once in the large one, and so on for ``--rounds``
(a connection to each kept open, the page requested once untimed after each
switch; the desk lists by a superuser signed in to each), and prints
the median and the fastest of each, and their ratios: both saw the same load;
then the median CPU ms of the measuring process itself for each (Python's
share, which waiting for a core does not inflate).
Both databases must exist and be filled (``bench/scale.py --keep``).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", required=True, help="e.g. a 1,000-story database")
    parser.add_argument("--large", required=True, help="e.g. a 1,000,000-story one")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/x"
    )
    parser.add_argument("--pages", help="Comma-separated page names (default all).")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    scale.configure_django(scale.admin_url(args.database_url, args.small))
    import copy

    from django.core.management import call_command
    from django.db import connections
    from django.db.utils import load_backend
    from django.test import Client
    from django.test.utils import setup_test_environment

    # Collected afresh: a manifest from an older checkout lacks new files.
    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    # A connection to each database, kept open: requests switch between them.
    wrappers = {}
    for name in (args.small, args.large):
        settings = copy.deepcopy(connections.settings["default"])
        settings["NAME"] = name
        wrappers[name] = load_backend(settings["ENGINE"]).DatabaseWrapper(
            settings, "default"
        )

    def use(name):
        connections["default"] = wrappers[name]

    addresses = {}
    reader = Client()
    # The desk lists need a signed-in user: a session in each database.
    desk = {}
    for name in (args.small, args.large):
        use(name)
        addresses[name], admin_user, _ = scale.sample_addresses(0)
        desk[name] = Client()
        desk[name].force_login(admin_user)
    wanted = args.pages.split(",") if args.pages else list(addresses[args.small])
    print(
        f"{'page':<18} {args.small + ' median/fastest':>26} "
        f"{args.large + ' median/fastest':>28} {'ratio':>11}"
    )
    for page in wanted:
        times = {args.small: [], args.large: []}
        cpu = {args.small: [], args.large: []}
        for _ in range(args.rounds):
            for name in (args.small, args.large):
                use(name)
                client = desk[name] if page.startswith("admin") else reader
                for url in addresses[name][page]:
                    client.get(url)  # connects and warms; not timed
                spent = used = 0.0
                for url in addresses[name][page]:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    client.get(url)
                    spent = max(spent, time.perf_counter() - started)
                    used = max(used, time.process_time() - cpu_started)
                times[name].append(spent * 1000)
                cpu[name].append(used * 1000)
        small, large = times[args.small], times[args.large]
        print(
            f"{page:<18} {statistics.median(small):>17.1f} / {min(small):>6.1f} "
            f"{statistics.median(large):>19.1f} / {min(large):>6.1f} "
            f"{statistics.median(large) / statistics.median(small):>5.1f} / "
            f"{min(large) / min(small):>3.1f}   CPU "
            f"{statistics.median(cpu[args.small]):.1f} / "
            f"{statistics.median(cpu[args.large]):.1f}"
        )


if __name__ == "__main__":
    main()
