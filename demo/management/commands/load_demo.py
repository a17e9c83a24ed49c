from django.core.management.base import BaseCommand, CommandError

from demo.loader import load_demo

# How the summary names one and several of each kind of demo object.
NAMES = {
    "sections": ("section", "sections"),
    "publications": ("publication", "publications"),
    "journalists": ("journalist", "journalists"),
    "sources": ("source", "sources"),
    "photos": ("photo", "photos"),
    "stories": ("story", "stories"),
}


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: sections, journalists, sources, photos and stories "
        "set in the fictional city of Port Aldren. Safe to run again: it brings "
        "demo content nobody has touched up to date, never overwrites what an "
        "editor changed, does not bring back what an editor deleted, and leaves "
        "everything else alone."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        try:
            result = load_demo(stdout=self.stdout if verbosity >= 2 else None)
        except ValueError as error:  # the content file asks for what cannot be
            raise CommandError(f"{error}; nothing was loaded.") from None
        if verbosity < 1:
            return
        stories = result["stories"]
        present = sum(stories[o] for o in ("created", "updated", "unchanged", "kept"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {present} stories ({stories['created']} "
                f"created, {stories['updated']} updated), "
                f"{_present(result, 'sections')} sections, "
                f"{_present(result, 'journalists')} journalists, "
                f"{_present(result, 'sources')} sources, "
                f"{_present(result, 'photos')} photos "
                f"({result['photo_files']} new image files)."
            )
        )
        for kind, keys in result["kept"].items():
            if keys:
                self.stdout.write(
                    self.style.WARNING(
                        f"Kept {_count(kind, keys)} an editor changed: "
                        f"{', '.join(keys)}."
                    )
                )
        for kind, keys in result["left_out"].items():
            if keys:
                also = (
                    " (or whose photo, section, journalist or source an editor deleted)"
                    if kind == "stories"
                    else ""
                )
                self.stdout.write(
                    self.style.WARNING(
                        f"Did not bring back {_count(kind, keys)} an editor "
                        f"deleted{also}: {', '.join(keys)}."
                    )
                )


def _count(kind, keys):
    return f"{len(keys)} {NAMES[kind][len(keys) != 1]}"


def _present(result, kind):
    counts = result[kind]
    return sum(counts[o] for o in ("created", "updated", "unchanged", "kept"))
