from django.core.management.base import BaseCommand

from articles.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: sections, journalists, sources, photos and stories "
        "set in the fictional city of Port Aldren. Safe to run again: it brings the "
        "demo content up to date and leaves everything else alone."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        result = load_demo(stdout=self.stdout if verbosity >= 2 else None)
        if verbosity >= 1:
            stories = result["stories"]
            total = sum(stories.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo newsroom ready: {total} stories ({stories['created']} "
                    f"created, {stories['updated']} updated), "
                    f"{_total(result, 'sections')} sections, "
                    f"{_total(result, 'journalists')} journalists, "
                    f"{_total(result, 'sources')} sources, "
                    f"{_total(result, 'photos')} photos "
                    f"({result['photo_files']} new image files)."
                )
            )


def _total(result, kind):
    return sum(result[kind].values())
