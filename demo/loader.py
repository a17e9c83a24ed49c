"""Load the demo newsroom (``content.yaml`` beside this file) into the database.

``load_demo()`` creates the content or brings it up to date, keyed on slugs,
and touches nothing else in the database. Each story is read into the
importer's ``StoryData`` and written by the importer's own step
(``articles.importing.store.write_story``); publishing goes through
``articles.publishing``. It never overwrites an editor's work: what it wrote
is fingerprinted (``articles.DemoRecord``), and a demo object changed since is
left as the editor left it. Publication times are worked out from the current
time when a story is first created and kept as stored afterwards, so loading
again never moves a story.
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
from articles.importing.data import PhotoData, QuoteData, SourceData, StoryData
from articles.importing.store import Lookups, checksum, write_story
from articles.models import Article, DemoRecord, Publication, Section, newsroom_timezone
from media.models import Photo
from media.renditions import make_renditions
from media.services import attach_picture
from people.models import Journalist, Source
from people.names import normalise_name

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
        # The demo's own rows, by its keys: what the stories' StoryData name
        # (a journalist by name, a source by its normalised name) is these.
        lookups = Lookups()
        rows = {}
        kinds = [
            ("sections", "slug", Section, "section", lambda d: d["slug"], {}),
            ("publications", "name", Publication, "publication",
             lambda d: d["name"], {}),
            ("journalists", "slug", Journalist, "journalist", lambda d: d["name"], {}),
            ("sources", "slug", Source, "source", lambda d: normalise_name(d["name"]),
             {"organisation": "", "on_record": True}),
        ]  # fmt: skip
        for kind, key, model, lookup_kind, lookup_key, defaults in kinds:
            rows[kind] = {}
            for data in demo[kind]:
                obj = ledger.sync(
                    kind, data[key], model, {key: data[key]},
                    {**defaults, **_without(data, key)},
                )  # fmt: skip
                rows[kind][data[key]] = obj
                if obj is not None:
                    lookups.add(lookup_kind, lookup_key(data), obj)
        names = {data["slug"]: data["name"] for data in demo["journalists"]}
        sources = {data["slug"]: data for data in demo["sources"]}
        for data in demo["stories"]:
            photo = _sync_photo(ledger, data)
            outcome = _sync_story(
                ledger, lookups, data, rows, names, sources, photo, now
            )
            if stdout is not None:
                stdout.write(f"{data['slug']}: {outcome}\n")
    counts = list(tally.values())
    tally["kept"] = ledger.keys["kept"]
    tally["left_out"] = ledger.keys["left out"]
    tally["photo_files"] = ledger.photo_files
    tally["created"] = sum(count["created"] for count in counts)
    tally["updated"] = sum(count["updated"] for count in counts)
    return tally


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
    data = PhotoData(key, spec["caption"], spec["credit"], spec["alt_text"])
    values = {
        "caption": data.caption,
        "credit": data.credit,
        "alt_text": data.alt_text,
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


def _sync_story(ledger, lookups, data, rows, names, sources, photo, now):
    """Create, update, keep or leave out one demo story; returns the outcome."""
    key = data["slug"]
    needs = [
        rows["sections"][data["section"]],
        photo,
        *(rows["journalists"][byline["journalist"]] for byline in data["bylines"]),
        *(rows["sources"][quote["source"]] for quote in data["quotes"]),
    ]
    if data.get("publication"):
        needs.append(rows["publications"][data["publication"]])
    article, record, deleted = ledger.find("stories", key, Article, {"slug": key})
    if deleted:
        return ledger.note("stories", key, "left out")
    if None in needs:
        # An editor deleted its photo, section, a journalist or a source: a
        # story still there has changed with it; a missing one cannot be made.
        return ledger.note("stories", key, "kept" if article else "left out")
    story = _story_data(data, names, sources, article, now)
    publication = rows["publications"].get(data.get("publication"))
    wanted = {
        "slug": key,
        "headline": story.headline,
        "standfirst": story.standfirst,
        "body": story.body_html,
        "dateline": story.dateline,
        "section_id": rows["sections"][data["section"]].pk,
        "lead_photo_id": photo.pk,
        "publication_id": getattr(publication, "pk", None),
        "canonical_url": story.canonical_url,
        "tags": sorted(story.tags),
        "bylines": [
            [rows["journalists"][byline["journalist"]].pk, byline.get("role", "")]
            for byline in data["bylines"]
        ],
        "quotes": [
            [rows["sources"][quote["source"]].pk, quote["kind"], quote["text"]]
            for quote in data["quotes"]
        ],
        "corrections": sorted(story.corrections),
    }
    stored = {"corrections": []}
    if article is None:
        article = Article(lead_photo=photo)
        outcome = "created"
    else:
        stored = _story_state(article)
        if not ledger.untouched(record, stored, wanted):
            return ledger.note("stories", key, "kept")
        changed = any(stored[name] != value for name, value in wanted.items())
        outcome = "updated" if changed else "unchanged"
    for text in story.corrections:
        made = outcome != "unchanged" and text not in stored["corrections"]
        ledger.tally["corrections"]["created" if made else "unchanged"] += 1
    if outcome == "unchanged":
        if record is None:  # the loader's again: fingerprint it
            ledger.remember("stories", key, article, stored)
        return ledger.note("stories", key, outcome)
    # Corrections are only ever added by the importer's step: one the demo
    # no longer has goes here.
    if outcome == "updated":
        article.corrections.exclude(text__in=story.corrections).delete()
    write_story(article, story, lookups)
    if outcome == "created" and data["publish"] is not None:
        # Once its bylines are there: the desk's rules hold for the demo too.
        result = publishing.publish(article=article, by=None, at=story.published_at)
        if not result.done:
            raise ValueError(f"demo story {key}: {result.message}")
    stored = Article.objects.get(pk=article.pk)
    ledger.remember("stories", key, article, _story_state(stored))
    return ledger.note("stories", key, outcome)


def _story_data(data, names, sources, article, now):
    """A story of the content file as the importer's ``StoryData``, its
    relative publication and correction times worked out (from ``now`` for a
    new story; a stored story keeps its times and embargo)."""
    key = data["slug"]
    roles = [byline.get("role", "") for byline in data["bylines"]]
    if roles != sorted(roles, key=bool) or len(set(filter(None, roles))) > 1:
        raise ValueError(
            f"demo story {key}: its bylines are its authors, then contributors "
            "of one role"
        )
    published_at = published_on = None
    if article is not None:
        since = article.published_at or now
    elif data["publish"] is not None:
        since, date_only = _publication_time(data["publish"], now)
        if date_only:
            published_on = timezone.localdate(since, newsroom_timezone())
        else:
            published_at = since
    else:
        since = now
    quoted = {quote["source"]: sources[quote["source"]] for quote in data["quotes"]}
    corrections = data.get("corrections", [])
    return StoryData(
        format="demo",
        identity=key,
        slug=key,
        section=data["section"],
        headline=data["headline"],
        standfirst=data["standfirst"],
        # The body is stored sanitized, so compare with the sanitized form.
        body_html=sanitize_html(_tidy_body(data["body"])),
        dateline=data["dateline"],
        authors=[names[b["journalist"]] for b in data["bylines"] if not b.get("role")],
        contributors=[names[b["journalist"]] for b in data["bylines"] if b.get("role")],
        contributor_role=next(filter(None, roles), ""),
        publication=data.get("publication") or "",
        canonical_url=data.get("canonical_url", ""),
        published_at=published_at,
        published_on=published_on,
        embargoed=article.embargoed_until if article is not None else None,
        tags=list(data["tags"]),
        sources=[
            SourceData(name=source["name"], description=source.get("description", ""),
                       kind=source.get("kind", "person"))
            for source in quoted.values()
        ],
        quotes=[
            QuoteData(text=quote["text"], kind=quote["kind"],
                      speaker=sources[quote["source"]]["name"])
            for quote in data["quotes"]
        ],
        corrections=[correction["text"] for correction in corrections],
        correction_times={
            correction["text"]: min(
                since + datetime.timedelta(hours=correction["hours_after"]), now
            )
            for correction in corrections
        },
    )  # fmt: skip


def _tidy_body(body):
    """One paragraph a line: the data wraps lines only to keep the source short."""
    text = " ".join(body.split())
    return re.sub(r">\s+<", ">\n<", text)


def _publication_time(publish, now):
    """A new story's publication time from its relative description, and
    whether it is a day without a time (then the time is its midnight)."""
    tz = newsroom_timezone()
    if "days_ahead" in publish:
        day = timezone.localdate(now, tz) + datetime.timedelta(publish["days_ahead"])
    else:
        day = timezone.localdate(now, tz) - datetime.timedelta(publish["days_ago"])
    if publish.get("date_only"):
        midnight = datetime.datetime.combine(day, datetime.time.min)
        return timezone.make_aware(midnight, tz), True
    time = datetime.time.fromisoformat(publish["at"])
    return timezone.make_aware(datetime.datetime.combine(day, time), tz), False
