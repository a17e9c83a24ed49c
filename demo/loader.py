"""Load the demo newsroom (``content.yaml`` beside this file) into the database.

``load_demo()`` creates the content or brings it up to date, keyed on slugs,
and touches nothing else in the database. It never overwrites an editor's
work: what it wrote is fingerprinted (``articles.DemoRecord``), and a demo
object changed since is left as the editor left it. Publication times are
worked out from the current time when a story is first created and kept as
stored afterwards, so loading again never moves a story.
"""

import datetime
import functools
import re
from pathlib import Path

import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from articles import publishing
from articles.html import sanitize_html
from articles.importing.store import checksum
from articles.models import (
    Article,
    Byline,
    Correction,
    DemoRecord,
    Publication,
    Quote,
    Section,
    newsroom_timezone,
)
from media.models import Photo
from media.renditions import make_renditions
from media.services import attach_picture
from people.models import Journalist, Source

from . import pictures

CONTENT = Path(__file__).with_name("content.yaml")


@functools.cache
def content(path=CONTENT):
    """The demo's content as read from ``path``: a dict of "sections",
    "publications", "journalists", "sources" and "stories" (lists of dicts).

    Read once a process; ``load_demo`` never changes what it returns.
    """
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


DEMO_KINDS = [
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


def load_demo(*, stdout=None):
    """Create the demo newsroom, or bring it up to date; return what was done.

    Never overwrites an editor's work: each demo object's fingerprint is kept
    (``DemoRecord``) as the loader left it, and an object whose fingerprint no
    longer matches — an editor changed its text, status, bylines, caption,
    focal point, anything — is kept as it is. An object an editor deleted is
    not brought back.

    The result maps each kind of object ("sections", "publications",
    "journalists", "sources", "photos", "stories", "corrections") to counts of
    rows per outcome (``OUTCOMES``), and holds "kept" and "left_out" (for each
    kind, the demo keys of objects kept or left out), "photo_files" (image
    files generated this run) and the overall "created" and "updated" totals.
    ``stdout``, if given, receives a line per story.
    """
    demo = content()
    now = timezone.now()
    tally = {kind: dict.fromkeys(OUTCOMES, 0) for kind in DEMO_KINDS}
    with transaction.atomic():
        ledger = Ledger(tally)
        sections = {
            data["slug"]: ledger.sync(
                "sections", data["slug"], Section, {"slug": data["slug"]},
                _without(data, "slug"),
            )
            for data in demo["sections"]
        }  # fmt: skip
        publications = {
            data["name"]: ledger.sync(
                "publications", data["name"], Publication, {"name": data["name"]},
                {"url": data["url"]},
            )
            for data in demo["publications"]
        }  # fmt: skip
        journalists = {
            data["slug"]: ledger.sync(
                "journalists", data["slug"], Journalist, {"slug": data["slug"]},
                _without(data, "slug"),
            )
            for data in demo["journalists"]
        }  # fmt: skip
        sources = {
            data["slug"]: ledger.sync(
                "sources", data["slug"], Source, {"slug": data["slug"]},
                {"organisation": "", "on_record": True, **_without(data, "slug")},
            )
            for data in demo["sources"]
        }  # fmt: skip
        for story in map(_story, demo["stories"]):
            photo = _sync_photo(ledger, story)
            outcome = _sync_story(
                ledger, story, sections, publications, journalists, sources, photo, now
            )
            if stdout is not None:
                stdout.write(f"{story['slug']}: {outcome}\n")
    counts = list(tally.values())
    tally["kept"] = ledger.keys["kept"]
    tally["left_out"] = ledger.keys["left out"]
    tally["photo_files"] = ledger.photo_files
    tally["created"] = sum(count["created"] for count in counts)
    tally["updated"] = sum(count["updated"] for count in counts)
    return tally


def _story(data):
    """A story of the content file with its bylines as (journalist slug, role)
    and its quotes as (source slug, kind, text), as the loader compares them."""
    return {
        **data,
        "bylines": [
            (byline["journalist"], byline.get("role", "")) for byline in data["bylines"]
        ],
        "quotes": [
            (quote["source"], quote["kind"], quote["text"]) for quote in data["quotes"]
        ],
    }


def _without(data, *keys):
    return {key: value for key, value in data.items() if key not in keys}


class Ledger:
    """Which object each demo key is, and whether it is still as the loader
    left it (``DemoRecord``). Counts what became of each one."""

    def __init__(self, tally):
        self.tally = tally
        self.records = {(r.kind, r.key): r for r in DemoRecord.objects.all()}
        self.keys = {outcome: {kind: [] for kind in DEMO_KINDS} for outcome in OUTCOMES}
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

    def sync(self, kind, key, model, lookup, values):
        """A plain demo object: created, brought up to date, kept or left out.

        Returns the object (None if an editor deleted it).
        """
        fields = [*lookup, *values]
        obj, record, deleted = self.find(kind, key, model, lookup)
        if deleted:
            self.note(kind, key, "left out")
            return None
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            outcome = "created"
        elif not self.untouched(record, _fields_state(obj, fields), values):
            self.note(kind, key, "kept")
            return obj
        else:
            outcome = _update(obj, values)
        stored = model.objects.get(pk=obj.pk)
        self.remember(kind, key, obj, _fields_state(stored, fields))
        self.note(kind, key, outcome)
        return obj


def _update(obj, values):
    """Give ``obj`` the ``values`` it lacks, saving only if something changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return "updated" if changed else "unchanged"


def _fields_state(obj, fields):
    return {name: getattr(obj, name) for name in fields}


PHOTO_FIELDS = [
    "original_filename", "caption", "credit", "alt_text", "focal_x", "focal_y",
]  # fmt: skip


def _photo_state(photo):
    return {**_fields_state(photo, PHOTO_FIELDS), "image": photo.image.name or ""}


def _sync_photo(ledger, story):
    """The story's lead photo, with a generated picture if it has no file yet.

    A photo an editor changed (caption, credit, alt text, focal point, file)
    is kept as it is; None if an editor deleted it.
    """
    spec = story["photo"]
    key = f"demo-{story['slug']}.jpg"
    values = {
        "caption": spec["caption"],
        "credit": spec["credit"],
        "alt_text": spec["alt_text"],
        "focal_x": 0.5,
        "focal_y": 0.5,
    }
    photo, record, deleted = ledger.find(
        "photos", key, Photo, {"original_filename": key}
    )
    if deleted:
        ledger.note("photos", key, "left out")
        return None
    if photo is None:
        photo = Photo.objects.create(original_filename=key, **values)
        outcome = "created"
    elif not ledger.untouched(
        record, _photo_state(photo), {"original_filename": key, **values}
    ):
        outcome = "kept"
    else:
        outcome = _update(photo, values)
    if photo.image and photo.image.storage.exists(photo.image.name):
        # Only those missing (after an upgrade) or stale (a new focal point).
        make_renditions(photo)
    elif outcome != "kept":
        content = ContentFile(
            pictures.render_scene(story["slug"], spec["scene"], tuple(spec["palette"]))
        )
        attach_picture(photo=photo, file=content, name=f"{story['slug']}.jpg")
        ledger.photo_files += 1
        if outcome == "unchanged":
            outcome = "updated"
    if outcome != "kept":
        stored = Photo.objects.get(pk=photo.pk)
        ledger.remember("photos", key, photo, _photo_state(stored))
    ledger.note("photos", key, outcome)
    return photo


STORY_FIELDS = [
    "slug", "headline", "standfirst", "body", "dateline", "section_id",
    "lead_photo_id", "publication_id", "canonical_url",
]  # fmt: skip


def _story_state(article):
    """Everything an editor can change in a demo story, as stored."""
    return {
        **_fields_state(article, STORY_FIELDS),
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
        "corrections": sorted(article.corrections.values_list("text", flat=True)),
        "correction_times": sorted(
            article.corrections.values_list("published_at", flat=True)
        ),
    }


def _sync_story(
    ledger, story, sections, publications, journalists, sources, photo, now
):
    """Create, update, keep or leave out one demo story; returns the outcome."""
    key = story["slug"]
    needs = [
        sections[story["section"]],
        photo,
        *(journalists[slug] for slug, _ in story["bylines"]),
        *(sources[slug] for slug, _, _ in story["quotes"]),
    ]
    if story.get("publication"):
        needs.append(publications[story["publication"]])
    article, record, deleted = ledger.find("stories", key, Article, {"slug": key})
    if deleted:
        return ledger.note("stories", key, "left out")
    if None in needs:
        # An editor deleted its photo, section, a journalist or a source: a
        # story still there has changed with it; a missing one cannot be made.
        return ledger.note("stories", key, "kept" if article else "left out")
    values = {
        "headline": story["headline"],
        "standfirst": story["standfirst"],
        # The body is stored sanitized, so compare with the sanitized form.
        "body": sanitize_html(_tidy_body(story["body"])),
        "dateline": story["dateline"],
        "section_id": sections[story["section"]].pk,
        "lead_photo_id": photo.pk,
        "publication_id": getattr(
            publications.get(story.get("publication")), "pk", None
        ),
        "canonical_url": story.get("canonical_url", ""),
    }
    wanted = {
        **values,
        "slug": key,
        "tags": sorted(story["tags"]),
        "bylines": [[journalists[slug].pk, role] for slug, role in story["bylines"]],
        "quotes": [
            [sources[slug].pk, kind, text] for slug, kind, text in story["quotes"]
        ],
        "corrections": sorted(c["text"] for c in story.get("corrections", [])),
    }
    if article is None:
        article = Article(slug=key, **values)
        publish_at = _schedule(article, story["publish"], now)
        article.save()
        outcome = "created"
    else:
        if not ledger.untouched(record, _story_state(article), wanted):
            return ledger.note("stories", key, "kept")
        outcome = _update(article, values)
    related_changed = _sync_tags(article, story["tags"])
    related_changed |= _sync_bylines(article, story["bylines"], journalists)
    related_changed |= _sync_quotes(article, story["quotes"], sources)
    related_changed |= _sync_corrections(
        article, story.get("corrections", []), now, ledger.tally
    )
    if related_changed and outcome == "unchanged":
        outcome = "updated"
    if outcome == "created" and story["publish"] is not None:
        # Once its bylines are there: the desk's rules hold for the demo too.
        result = publishing.publish(article=article, by=None, at=publish_at)
        if not result.done:
            raise ValueError(f"demo story {key}: {result.message}")
    stored = Article.objects.get(pk=article.pk)
    ledger.remember("stories", key, article, _story_state(stored))
    return ledger.note("stories", key, outcome)


def _tidy_body(body):
    """One paragraph a line: the data wraps lines only to keep the source short."""
    text = " ".join(body.split())
    return re.sub(r">\s+<", ">\n<", text)


def _schedule(article, publish, now):
    """A new story's publication time from its relative description: set on
    the story for a day without a time (and None returned), else returned,
    for ``publishing.publish``."""
    if publish is None:
        return None
    tz = newsroom_timezone()
    if "days_ahead" in publish:
        day = timezone.localdate(now, tz) + datetime.timedelta(publish["days_ahead"])
    else:
        day = timezone.localdate(now, tz) - datetime.timedelta(publish["days_ago"])
    if publish.get("date_only"):
        article.set_publication_day(day)
        return None
    time = datetime.time.fromisoformat(publish["at"])
    return timezone.make_aware(datetime.datetime.combine(day, time), tz)


def _sync_tags(article, names):
    if set(article.tags.names()) == set(names):
        return False
    article.tags.set(names)
    return True


def _sync_bylines(article, bylines, journalists):
    """Make the story's bylines exactly ``bylines``, keeping rows that match."""
    changed = False
    wanted = {}
    for position, (slug, role) in enumerate(bylines):
        wanted[journalists[slug].pk] = (position, role)
    for byline in list(article.bylines.all()):
        if byline.journalist_id not in wanted:
            byline.delete()
            changed = True
            continue
        position, role = wanted.pop(byline.journalist_id)
        if (byline.position, byline.role) != (position, role):
            byline.position, byline.role = position, role
            byline.save()
            changed = True
    for journalist_id, (position, role) in wanted.items():
        Byline.objects.create(
            article=article, journalist_id=journalist_id, position=position, role=role
        )
        changed = True
    return changed


def _sync_quotes(article, quotes, sources):
    """Make the story's quotes exactly ``quotes``, in order, reusing rows."""
    changed = False
    existing = list(article.quotes.order_by("position", "id"))
    for position, (slug, kind, text) in enumerate(quotes):
        values = {
            "source": sources[slug],
            "kind": kind,
            "text": text,
            "position": position,
        }
        if position < len(existing):
            quote = existing[position]
            if any(getattr(quote, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(quote, name, value)
                quote.save()
                changed = True
        else:
            Quote.objects.create(article=article, **values)
            changed = True
    for quote in existing[len(quotes) :]:
        quote.delete()
        changed = True
    return changed


def _sync_corrections(article, corrections, now, tally):
    """Make the story's corrections the demo's; a correction keeps its time
    once made."""
    texts = [correction["text"] for correction in corrections]
    removed, _ = article.corrections.exclude(text__in=texts).delete()
    changed = bool(removed)
    for correction in corrections:
        when = (article.published_at or now) + datetime.timedelta(
            hours=correction["hours_after"]
        )
        _, created = Correction.objects.get_or_create(
            article=article,
            text=correction["text"],
            defaults={"published_at": min(when, now)},
        )
        tally["corrections"]["created" if created else "unchanged"] += 1
        changed |= created
    return changed
