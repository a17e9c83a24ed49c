"""Load the demo newsroom (``content.yaml`` beside this file) into the database.

``load_demo()`` creates the content or brings it up to date, keyed on slugs,
and touches nothing else in the database. Each story is read into the
importer's ``StoryData`` and written by the importer's own step
(``articles.importing.store.write_story``); it is published through
``articles.publishing``, whose rules hold for the demo too. What the loader
wrote is fingerprinted (``demo.ledger``), so it never overwrites an editor's
work. Publication times are worked out from the current time when a story is
first created and kept as stored afterwards, so loading again never moves one.
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
from articles.importing.data import (
    CONTRIBUTOR_ROLE,
    QuoteData,
    SourceData,
    StoryData,
)
from articles.importing.store import Lookups, write_story
from articles.models import Article, Publication, Section, newsroom_timezone
from media.models import Photo
from media.renditions import make_renditions
from media.services import attach_picture
from people.models import Journalist, Source
from people.names import normalise_name

from . import pictures
from .ledger import Ledger, photo_state, story_state

CONTENT = Path(__file__).with_name("content.yaml")


@functools.cache
def content(path=CONTENT):
    """The demo's content as read from ``path``: a dict of "sections",
    "publications", "journalists", "sources" and "stories" (lists of dicts).

    Read once a process; ``load_demo`` never changes what it returns.
    """
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# The plain kinds: each one's key, model, defaults, and how a story's
# StoryData names one (the importer's ``Lookups`` keys).
PLAIN = [
    ("sections", "slug", Section, {}, "section", lambda data: data["slug"]),
    ("publications", "name", Publication, {}, "publication",
     lambda data: data["name"]),
    ("journalists", "slug", Journalist, {}, "journalist", lambda data: data["name"]),
    ("sources", "slug", Source, {"organisation": "", "on_record": True}, "source",
     lambda data: normalise_name(data["name"])),
]  # fmt: skip


def load_demo(*, stdout=None):
    """Create the demo newsroom, or bring it up to date; return what was done.

    An object an editor changed (text, status, bylines, caption, focal point,
    anything) is kept as it is, and one an editor deleted is not brought back.
    The result maps each kind of object ("sections", "publications",
    "journalists", "sources", "photos", "stories", "corrections") to counts of
    rows per outcome (``demo.ledger.OUTCOMES``), and holds "kept" and
    "left_out" (for each kind, the demo keys of objects kept or left out),
    "photo_files" (image files generated this run) and the overall "created"
    and "updated" totals. ``stdout``, if given, receives a line per story.
    """
    demo = content()
    now = timezone.now()
    with transaction.atomic():
        ledger = Ledger()
        # The story data names the demo's own rows, whatever an editor has
        # renamed them since.
        lookups, rows = Lookups(), {}
        for kind, key, model, defaults, lookup_kind, lookup_key in PLAIN:
            rows[kind] = {}
            for data in demo[kind]:
                values = {**defaults, **_without(data, key)}
                row = ledger.sync(kind, data[key], model, {key: data[key]}, values)
                rows[kind][data[key]] = row
                if row is not None:
                    lookups.add(lookup_kind, lookup_key(data), row)
        for data in demo["stories"]:
            photo = _sync_photo(ledger, data)
            outcome = _sync_story(ledger, lookups, rows, data, photo, now)
            if stdout is not None:
                stdout.write(f"{data['slug']}: {outcome}\n")
    tally = dict(ledger.tally)
    tally.update(
        kept=ledger.keys["kept"],
        left_out=ledger.keys["left out"],
        photo_files=ledger.photo_files,
        created=sum(count["created"] for count in ledger.tally.values()),
        updated=sum(count["updated"] for count in ledger.tally.values()),
    )
    return tally


def _without(data, *keys):
    return {key: value for key, value in data.items() if key not in keys}


def _sync_photo(ledger, data):
    """The story's lead photo, with a picture drawn by ``demo.pictures`` if it
    has no file yet; None if an editor deleted it. (Kept by the ledger, not
    written with the story: a photo an editor changed stays as they left it
    even while its story is the loader's.)"""
    spec, slug = data["photo"], data["slug"]
    key = f"demo-{slug}.jpg"
    values = {name: spec[name] for name in ("caption", "credit", "alt_text")}

    def picture(row, outcome):
        if row.image and row.image.storage.exists(row.image.name):
            # Only those missing (after an upgrade) or stale (a new focal point).
            make_renditions(row)
        elif outcome != "kept":
            scene = pictures.render_scene(slug, spec["scene"], tuple(spec["palette"]))
            attach_picture(photo=row, file=ContentFile(scene), name=f"{slug}.jpg")
            ledger.photo_files += 1
            return "updated" if outcome == "unchanged" else outcome
        return outcome

    return ledger.sync(
        "photos", key, Photo, {"original_filename": key},
        {**values, "focal_x": 0.5, "focal_y": 0.5},
        state=photo_state, finish=picture,
    )  # fmt: skip


def _sync_story(ledger, lookups, rows, data, photo, now):
    """Create, update, keep or leave out one demo story; returns the outcome."""
    key = data["slug"]
    journalists = [rows["journalists"][b["journalist"]] for b in data["bylines"]]
    sources = [rows["sources"][quote["source"]] for quote in data["quotes"]]
    publication = rows["publications"].get(data.get("publication"))
    section = rows["sections"][data["section"]]
    needs = [section, photo, *journalists, *sources]
    if data.get("publication"):
        needs.append(publication)
    article, record, deleted = ledger.find("stories", key, Article, {"slug": key})
    if deleted:
        return ledger.note("stories", key, "left out")
    if None in needs:
        # An editor deleted its photo, section, a journalist or a source: a
        # story still there has changed with it; a missing one cannot be made.
        return ledger.note("stories", key, "kept" if article else "left out")
    story = _story_data(data, article, now)
    wanted = {
        "slug": key,
        "headline": story.headline,
        "standfirst": story.standfirst,
        "body": story.body_html,
        "dateline": story.dateline,
        "section_id": section.pk,
        "lead_photo_id": photo.pk,
        "publication_id": getattr(publication, "pk", None),
        "canonical_url": story.canonical_url,
        "tags": sorted(story.tags),
        "bylines": [
            [journalist.pk, byline.get("role", "")]
            for journalist, byline in zip(journalists, data["bylines"], strict=True)
        ],
        "quotes": [
            [source.pk, quote.kind, quote.text]
            for source, quote in zip(sources, story.quotes, strict=True)
        ],
        "corrections": sorted(story.corrections),
    }
    stored = {"corrections": []}
    if article is None:
        article, outcome = Article(lead_photo=photo), "created"
    else:
        stored = story_state(article)
        if not ledger.untouched(record, stored, wanted):
            return ledger.note("stories", key, "kept")
        changed = any(stored[name] != value for name, value in wanted.items())
        outcome = "updated" if changed else "unchanged"
    for text in story.corrections:
        made = outcome != "unchanged" and text not in stored["corrections"]
        ledger.tally["corrections"]["created" if made else "unchanged"] += 1
    if outcome == "unchanged":
        if record is None:  # as the demo has it: the loader's again
            ledger.remember("stories", key, article, stored)
        return ledger.note("stories", key, outcome)
    if outcome == "updated":  # the importer's step only ever adds corrections
        article.corrections.exclude(text__in=story.corrections).delete()
    write_story(article, story, lookups)
    if outcome == "created" and data["publish"] is not None:
        # Once its bylines are there: the desk's rules hold for the demo too.
        result = publishing.publish(article=article, by=None, at=story.published_at)
        if not result.done:
            raise ValueError(f"demo story {key}: {result.message}")
    stored = story_state(Article.objects.get(pk=article.pk))
    ledger.remember("stories", key, article, stored)
    return ledger.note("stories", key, outcome)


def _story_data(data, article, now):
    """A story of the content file as the importer's ``StoryData``, with its
    relative times worked out from ``now`` if it is new (``article`` None);
    a stored story keeps its publication time and embargo."""
    demo, key = content(), data["slug"]
    names = {
        journalist["slug"]: journalist["name"] for journalist in demo["journalists"]
    }
    sources = {source["slug"]: source for source in demo["sources"]}
    roles = [byline.get("role", "") for byline in data["bylines"]]
    if roles != sorted(roles, key=bool) or len(set(filter(None, roles))) > 1:
        raise ValueError(
            f"demo story {key}: list its authors first, then its contributors, "
            "all with one role"
        )
    credits = [names[byline["journalist"]] for byline in data["bylines"]]
    authors = roles.count("")
    story = StoryData(
        format="demo", identity=key, slug=key, section=data["section"],
        headline=data["headline"], standfirst=data["standfirst"],
        # The body is stored sanitized, so compare with the sanitized form.
        body_html=sanitize_html(_tidy_body(data["body"])),
        dateline=data["dateline"], tags=list(data["tags"]),
        authors=credits[:authors], contributors=credits[authors:],
        contributor_role=next(filter(None, roles), CONTRIBUTOR_ROLE),
        publication=data.get("publication") or "",
        canonical_url=data.get("canonical_url", ""),
        sources=[
            SourceData(sources[slug]["name"], sources[slug]["description"],
                       sources[slug]["kind"])
            for slug in dict.fromkeys(quote["source"] for quote in data["quotes"])
        ],
        quotes=[
            QuoteData(quote["text"], quote["kind"], sources[quote["source"]]["name"])
            for quote in data["quotes"]
        ],
    )  # fmt: skip
    since = now
    if article is not None:
        since = article.published_at or now
        story.embargoed = article.embargoed_until
    elif data["publish"] is not None:
        since, date_only = _publication_time(data["publish"], now)
        if date_only:
            story.published_on = timezone.localdate(since, newsroom_timezone())
        else:
            story.published_at = since
    for correction in data.get("corrections", []):
        # Published ``hours_after`` the story, never later than now.
        when = since + datetime.timedelta(hours=correction["hours_after"])
        story.corrections.append(correction["text"])
        story.correction_times[correction["text"]] = min(when, now)
    return story


def _tidy_body(body):
    """One paragraph a line: the data wraps lines only to keep the source short."""
    text = " ".join(body.split())
    return re.sub(r">\s+<", ">\n<", text)


def _publication_time(publish, now):
    """A new story's publication time from its relative description, and
    whether it is a day without a time (the time is then its midnight)."""
    tz = newsroom_timezone()
    if "days_ahead" in publish:
        day = timezone.localdate(now, tz) + datetime.timedelta(publish["days_ahead"])
    else:
        day = timezone.localdate(now, tz) - datetime.timedelta(publish["days_ago"])
    time = datetime.time.min
    if not publish.get("date_only"):
        time = datetime.time.fromisoformat(publish["at"])
    moment = timezone.make_aware(datetime.datetime.combine(day, time), tz)
    return moment, bool(publish.get("date_only"))
