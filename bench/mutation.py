"""Mutation testing of the modules that hold the rules, one module at a time.

    .venv/bin/python bench/mutation.py [MODULE ...] [--report-only]
        [--sample N [--seed S]] [--one-run] [--max-children 1]

Needs the ``mutation`` extra (``pip install -e ".[dev,mutation]"``; ``make
mutation`` does it). mutmut 3 copies the packages into ``mutants/`` (git-ignored)
and, for each mutant, runs only the tests from ``[tool.mutmut]`` in
``pyproject.toml`` that reach the mutated function, on SQLite. Results are kept
in ``mutants/`` (naming a module re-runs its mutants); delete the folder to
start over. Prints killed / survived / timeout per module ("other": not run yet,
no tests, suspicious), then the diff of every mutant that was run and not
killed. Run by hand; CI does not run it.
"""

import argparse
import collections
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = [sys.executable, "-m", "mutmut"]

# Module -> the mutant names mutmut gives its functions (fnmatch patterns).
# articles/models.py holds much besides the visibility rule: only the queryset's
# published() and the story's is_published are mutated there.
MODULES = {
    "visibility": [
        "articles.models.xǁArticleQuerySetǁpublished__mutmut_*",
        "articles.models.xǁArticleǁis_published__mutmut_*",
    ],
    "queries": ["articles.queries.*"],
    "fields": ["articles.fields.*"],
    "html": ["articles.html.*"],
    "publishing": ["articles.publishing.*"],
    "people-permissions": ["people.permissions.*"],
    "admin-history": ["newsroom.admin_history.*"],
    "validation": ["newsroom.validation.*"],
    "import-store": ["articles.importing.store.*"],
    "import-checks": ["articles.importing.checks.*"],
    "media-images": ["media.images.*"],
    "media-containers": ["media.containers.*"],
    "media-validation": ["media.validation.*"],
}


def mutmut(*args, capture=False):
    # The tests run in mutants/, one folder deeper: tell them where ../shared is.
    env = {"NEWSROOM_SHARED": str(ROOT.parent / "shared"), **os.environ}
    return subprocess.run(
        [*MUTMUT, *args],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=capture,
        check=False,
    )


def statuses():
    """Every mutant mutmut knows, with its status (``mutmut results --all``)."""
    out = mutmut("results", "--all", "true", capture=True).stdout
    found = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            found[name] = status
    return found


def matches(name, patterns):
    from fnmatch import fnmatch

    return any(fnmatch(name, pattern) for pattern in patterns)


def sample(known, module, size, seed):
    """``size`` of the module's mutants, the same ones for the same seed."""
    names = sorted(name for name in known if matches(name, MODULES[module]))
    if len(names) <= size:
        return names
    return sorted(random.Random(seed).sample(names, size))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", choices=[[], *MODULES], default=[])
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="run only N of each module's mutants, drawn with --seed (mutmut must "
        "have run once, so that the mutants exist)",
    )
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--one-run",
        action="store_true",
        help="all chosen modules in one mutmut run (one clean run of their tests "
        "instead of one a module)",
    )
    options = parser.parse_args()
    chosen = options.modules or list(MODULES)

    if not options.report_only and options.one_run:
        known = statuses() if options.sample else {}
        names = []
        for module in chosen:
            if options.sample:
                names += sample(known, module, options.sample, options.seed)
            else:
                names += MODULES[module]
        started = time.monotonic()
        print(f"== {' '.join(chosen)}: {len(names)} names", flush=True)
        result = mutmut("run", "--max-children", str(options.max_children), *names)
        print(f"== {time.monotonic() - started:.0f} s", flush=True)
        if result.returncode:
            print(f"mutmut stopped with exit code {result.returncode}")
            return result.returncode
    elif not options.report_only:
        known = statuses() if options.sample else {}
        for module in chosen:
            started = time.monotonic()
            names = MODULES[module]
            if options.sample:
                names = sample(known, module, options.sample, options.seed)
                print(f"== {module}: a sample of {len(names)} (seed {options.seed})")
            print(f"== {module}", flush=True)
            result = mutmut("run", "--max-children", str(options.max_children), *names)
            print(f"== {module}: {time.monotonic() - started:.0f} s", flush=True)
            if result.returncode:
                print(f"mutmut stopped with exit code {result.returncode}")
                return result.returncode

    known = statuses()
    survivors = []
    print()
    print(f"{'module':<20}{'mutants':>8}{'killed':>8}{'survived':>9}{'timeout':>8}"
          f"{'other':>7}")  # fmt: skip
    for module in chosen:
        counts = collections.Counter(
            status for name, status in known.items() if matches(name, MODULES[module])
        )
        total = sum(counts.values())
        other = total - counts["killed"] - counts["survived"] - counts["timeout"]
        print(f"{module:<20}{total:>8}{counts['killed']:>8}{counts['survived']:>9}"
              f"{counts['timeout']:>8}{other:>7}")  # fmt: skip
        survivors += sorted(
            name
            for name, status in known.items()
            if matches(name, MODULES[module])
            and status not in ("killed", "not checked")
        )
    for name in survivors:
        print()
        print(mutmut("show", name, capture=True).stdout.rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
