"""Rewrite the sourcing report's summary from the stories as stored.

    manage.py rebuild_sourcing_summary

For after a bulk load in raw SQL (``bench/scale.py``'s COPY) or a change of
the newsroom's time zone; every other path keeps the summary up to date by
itself (``sourcing.summary``). Set-based SQL in one transaction: the report
reads the old rows until it commits.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from sourcing.models import BylineSource, StorySource
from sourcing.summary import rebuild


class Command(BaseCommand):
    help = "Rewrite the sourcing report's summary from the stories as stored."

    def handle(self, *args, **options):
        started = time.perf_counter()
        with transaction.atomic():
            rebuild()
        self.stdout.write(
            f"Sourcing summary rebuilt: {StorySource.objects.count():,} story rows, "
            f"{BylineSource.objects.count():,} byline rows in "
            f"{time.perf_counter() - started:.1f} s."
        )
