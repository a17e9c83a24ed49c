"""The task and outbound settings: a value the site cannot use stops it at
start-up with the setting's name, never a failure later in a task."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TASKS_BACKEND", "celery"),
        ("NEWSROOM_SITE_URL", "https://news.example/path"),
        ("NEWSROOM_SITE_URL", "news.example"),
        ("WEBSUB_HUB_URL", "ftp://hub.example/"),
        ("INDEXNOW_KEY", "short"),
        ("INDEXNOW_KEY", "../../etc/passwd"),
    ],
)
def test_an_unusable_setting_stops_the_site_with_its_name(name, value):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_ALLOW")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, name: value},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name}" in result.stderr
