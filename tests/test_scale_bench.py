"""``bench/scale.py`` still fills and measures an archive: its COPY names every
column a story needs, so a new required field breaks this test, not the next
person's million-story run."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.postgresql("the bench fills PostgreSQL by COPY")
def test_the_scale_bench_fills_and_measures_a_small_archive(tmp_path):
    output = tmp_path / "scale.json"
    # The server the suite runs on; the bench makes (and drops) its own database.
    server = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=""))
    done = subprocess.run(
        [
            sys.executable,
            "bench/scale.py",
            "--stories",
            "150",
            "--database-url",
            server,
            "--database-name",
            f"nr_scale_test_{os.getpid()}",
            "--pages",
            "story,home,author",
            "--runs",
            "1",
            "--warmup",
            "0",
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "150 published stories" in done.stdout
    assert {"story", "home", "author"} <= set(json.loads(output.read_text())["pages"])
