"""Repair times stored before they had to be sane (migration 0008's rule).

A time outside the window (before 1800, or more than NEWSROOM_MAX_YEARS_AHEAD
years ahead) may be unreadable — an imported ``0001-01-01T00:00:00+14:00`` is
stored as a day before year 1 — and took every page that read the row down.
Such times are replaced without being read, in SQL:

- a story's publication time: the story goes back to draft with no time, for
  the desk to give it a real one (its text, bylines and history are kept);
- its first publication or update time: cleared;
- a correction's time: set to now (the correction itself is kept).
"""

import datetime

from django.conf import settings
from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def outside(field, earliest, latest):
    return Q(**{f"{field}__lt": earliest}) | Q(**{f"{field}__gt": latest})


def repair(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Correction = apps.get_model("articles", "Correction")
    now = timezone.now()
    earliest = datetime.datetime(
        settings.NEWSROOM_EARLIEST_YEAR, 1, 1, tzinfo=datetime.UTC
    )
    latest = now + datetime.timedelta(days=365 * settings.NEWSROOM_MAX_YEARS_AHEAD)
    Article.objects.filter(outside("published_at", earliest, latest)).update(
        status="draft", published_at=None, published_date_only=False
    )
    for field in ("first_published_at", "revised_at"):
        Article.objects.filter(outside(field, earliest, latest)).update(**{field: None})
    Correction.objects.filter(outside("published_at", earliest, latest)).update(
        published_at=now
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_http_urls_and_sane_times"),
    ]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop, elidable=True),
    ]
