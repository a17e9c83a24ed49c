import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from media.models import Photo
from media.renditions import make_renditions, pending


class Command(BaseCommand):
    help = (
        "Make every photo's missing renditions and drop stale ones: run it after "
        "changing NEWSROOM_PHOTO_WIDTHS or upgrading. Photos already up to date "
        "are left alone, so it is safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be made and dropped, changing nothing.",
        )
        parser.add_argument(
            "--photo",
            type=int,
            action="append",
            metavar="ID",
            help="Only this photo (by id); may be given more than once.",
        )

    def handle(self, *args, **options):
        photos = Photo.objects.order_by("pk")
        if options["photo"]:
            photos = photos.filter(pk__in=options["photo"])
        dry_run = options["dry_run"]
        seen = made = dropped = 0
        failures = []
        show_bar = self.stdout.isatty() and options["verbosity"] > 0
        with tqdm(
            total=photos.count(), unit="photo", disable=not show_bar, file=sys.stdout
        ) as bar:
            for photo in photos.iterator(chunk_size=100):
                try:
                    if dry_run:
                        missing, stale = pending(photo)
                        made, dropped = made + len(missing), dropped + len(stale)
                    else:
                        with transaction.atomic():
                            result = make_renditions(photo)
                        made, dropped = made + result.made, dropped + result.dropped
                except OSError as error:
                    failures.append(f"photo {photo.pk} ({photo.image.name}): {error}")
                seen += 1
                bar.update()
        if options["verbosity"] > 0:
            verb = ("would make", "would drop") if dry_run else ("made", "dropped")
            self.stdout.write(
                self.style.SUCCESS(
                    f"{seen} photos: {verb[0]} {made} renditions, "
                    f"{verb[1]} {dropped} stale ones."
                )
            )
        for failure in failures:
            self.stderr.write(f"could not read the picture of {failure}")
        if failures:
            raise CommandError(
                f"{len(failures)} photos could not be read: upload their files "
                "again in the admin, then run this command once more."
            )
