"""What the demo loader wrote, so that it never overwrites an editor's work.

Each demo object's fingerprint is kept (``articles.DemoRecord``) as the loader
left it. An object whose fingerprint no longer matches was changed by an
editor and is kept as it is; one whose record points nowhere was deleted by
an editor and is not brought back.
"""

from articles.importing.store import checksum
from articles.models import DemoRecord

KINDS = [
    "sections",
    "publications",
    "journalists",
    "sources",
    "photos",
    "stories",
    "corrections",
]
# What became of each demo object in a run. "kept": an editor changed it, so
# it was left as they left it; "left out": an editor deleted it (or something
# a story needs), so it was not brought back.
OUTCOMES = ["created", "updated", "unchanged", "kept", "left out"]


class Ledger:
    """Which object each demo key is, and whether it is still as the loader
    left it. Counts what became of each one (``tally``: kind → outcome →
    count; ``keys``: outcome → kind → the keys kept or left out;
    ``photo_files``: pictures drawn)."""

    def __init__(self):
        self.tally = {kind: dict.fromkeys(OUTCOMES, 0) for kind in KINDS}
        self.records = {(r.kind, r.key): r for r in DemoRecord.objects.all()}
        self.keys = {outcome: {kind: [] for kind in KINDS} for outcome in OUTCOMES}
        self.photo_files = 0

    def find(self, kind, key, model, lookup):
        """(the demo object or None, its record or None, whether an editor
        deleted it)."""
        record = self.records.get((kind, key))
        if record is not None:
            obj = model.objects.filter(pk=record.object_id).first()
            return obj, record, obj is None
        # Never loaded, or loaded before fingerprints were kept.
        return model.objects.filter(**lookup).first(), None, False

    def untouched(self, record, state, wanted):
        """Is the object whose ``state`` this is still as the loader left it?"""
        if record is not None:
            return checksum(state) == record.checksum
        # Loaded before fingerprints were kept (or made by someone else under a
        # demo name): the loader's only if it is exactly as the demo has it.
        return all(state.get(name) == value for name, value in wanted.items())

    def note(self, kind, key, outcome):
        self.tally[kind][outcome] += 1
        if outcome in ("kept", "left out"):
            self.keys[outcome][kind].append(key)
        return outcome

    def remember(self, kind, key, obj, state):
        DemoRecord.objects.update_or_create(
            kind=kind,
            key=key,
            defaults={"object_id": obj.pk, "checksum": checksum(state)},
        )

    def sync(self, kind, key, model, lookup, values, *, state=None, finish=None):
        """A demo object made of plain fields: created, brought up to date,
        kept or left out. Returns the object (None if an editor deleted it).

        ``state(obj)`` is what an editor can change in it (its fields unless
        given); ``finish(obj, outcome)``, if given, completes it (a photo's
        picture) and returns the outcome.
        """
        fields = [*lookup, *values]
        state = state or (lambda obj: fields_state(obj, fields))
        obj, record, deleted = self.find(kind, key, model, lookup)
        if deleted:
            self.note(kind, key, "left out")
            return None
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            outcome = "created"
        elif not self.untouched(record, state(obj), {**lookup, **values}):
            outcome = "kept"
        else:
            outcome = update(obj, values)
        if finish is not None:
            outcome = finish(obj, outcome)
        if outcome != "kept":
            self.remember(kind, key, obj, state(model.objects.get(pk=obj.pk)))
        self.note(kind, key, outcome)
        return obj


def update(obj, values):
    """Give ``obj`` the ``values`` it lacks, saving only if something changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return "updated" if changed else "unchanged"


def fields_state(obj, fields):
    return {name: getattr(obj, name) for name in fields}


PHOTO_FIELDS = [
    "original_filename", "caption", "credit", "alt_text", "focal_x", "focal_y",
]  # fmt: skip


def photo_state(photo):
    """Everything an editor can change in a demo photo, as stored."""
    return {**fields_state(photo, PHOTO_FIELDS), "image": photo.image.name or ""}


STORY_FIELDS = [
    "slug", "headline", "standfirst", "body", "dateline", "section_id",
    "lead_photo_id", "publication_id", "canonical_url",
]  # fmt: skip


def story_state(article):
    """Everything an editor can change in a demo story, as stored."""
    corrections = article.corrections.all()
    return {
        **fields_state(article, STORY_FIELDS),
        "status": article.status,
        "published_at": article.published_at,
        "published_date_only": article.published_date_only,
        "tags": sorted(article.tags.names()),
        "bylines": [
            [byline.journalist_id, byline.role]
            for byline in article.bylines.order_by("position", "id")
        ],
        "quotes": [
            [quote.source_id, quote.kind, quote.text]
            for quote in article.quotes.order_by("position", "id")
        ],
        "corrections": sorted(corrections.values_list("text", flat=True)),
        "correction_times": sorted(corrections.values_list("published_at", flat=True)),
    }
