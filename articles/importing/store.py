"""Store what the readers produced: one story per transaction, nothing lost.

``store_story`` decides whether a story is new, unchanged, changed (and may be
refreshed), or edited by the desk since it was imported (and is left alone).
"""

import hashlib
import json
import time
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

import reversion
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ValidationError,
)
from django.core.files import File
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.utils import timezone

from media.models import Photo
from media.services import attach_picture, discard_files
from media.validation import validate_picture
from people.models import Journalist, Source
from people.names import ascii_slug, normalise_name

from .. import publishing
from ..history import keep_stored_version
from ..models import (
    Article,
    Byline,
    Correction,
    Publication,
    Quote,
    Section,
    StoryImport,
)
from ..publishing import note_embargo_change
from .data import CONTRIBUTOR_ROLE, ParseError

DEFAULT_SECTION = {"slug": "news", "name": "News"}


@dataclass
class Outcome:
    """What happened to one story; ``status`` is created/updated/unchanged/
    skipped/failed."""

    status: str
    article: Article | None = None
    headline: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    field: str = ""  # the value a failure is about, when it is about one
    item: int | None = None  # the story's place in a list of items (from 1)


class DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def checksum(value):
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def story_checksum(article, bylines=None, quotes=None):
    """Fingerprint of what an editor can change in an imported story.

    ``bylines`` ([(name, role)]) and ``quotes`` ([(text, kind, source id)]) are
    read from the database unless the caller has just written them.
    """
    if bylines is None:
        bylines = article.bylines.order_by("position").values_list(
            "journalist__name", "role"
        )
    if quotes is None:
        quotes = article.quotes.order_by("position").values_list(
            "text", "kind", "source_id"
        )
    photo = article.lead_photo
    return checksum(
        {
            "headline": article.headline,
            "standfirst": article.standfirst,
            "body": article.body,
            "dateline": article.dateline,
            "slug": article.slug,
            "section": article.section_id,
            "bylines": [list(row) for row in bylines],
            "photo": photo and [photo.caption, photo.credit, photo.alt_text],
            "quotes": [list(row) for row in quotes],
        }
    )


class Lookups:
    """Sections, publications, journalists and sources already stored in this run.

    A row joins the cache only once its transaction commits, so a story that
    fails or a dry run never leaves a cached row that does not exist.
    """

    def __init__(self):
        self.rows = {}

    def add(self, kind, key, row):
        """Use ``row`` for ``key`` in this run (one the caller already has)."""
        self.rows[(kind, key)] = row

    def get(self, kind, key, make):
        found = self.rows.get((kind, key))
        if found is None:
            found = make()
            transaction.on_commit(lambda: self.rows.setdefault((kind, key), found))
        return found


# Fields read since copy was first fingerprinted, with the values that mean
# "the copy does not say": left out of the fingerprint at those, so that copy
# imported before they were read still matches.
LATER_FIELDS = {
    "pub_status": ("", "usable"),
    "embargoed": (None,),
    "contributor_role": (CONTRIBUTOR_ROLE,),
    "section": ("",),
    "slug": ("",),
    "correction_times": ({},),
}


def copy_checksum(story):
    """Fingerprint of the copy as read. A publishing status of "usable" (or
    none), an embargo the copy does not have and the other ``LATER_FIELDS``
    at their defaults are left out, so that copy imported before they were
    read still matches."""
    copy = {
        name: value
        for name, value in asdict(story).items()
        if name not in LATER_FIELDS or value not in LATER_FIELDS[name]
    }
    return checksum(copy)


def store_story(story, *, filename="", images_dir=None, publish=False, update=False,
                dry_run=False, lookups=None):  # fmt: skip
    """Create, refresh or leave alone the article for ``story``.

    The agency's publishing status rules over the rest: a kill notice
    (``canceled``) kills the story it names, ``withheld`` takes it down, and a
    killed story is never brought back by its copy. Publishing goes through
    ``articles.publishing.publish``, whose rules the importer obeys.

    Pass one ``Lookups`` for a whole run to save repeated queries.
    """
    lookups = lookups or Lookups()
    copy_sum = copy_checksum(story)
    existing = (
        StoryImport.objects.select_related("article__section")
        .filter(identity=story.identity)
        .first()
    )
    if existing is None and story.pub_status == "canceled":
        return Outcome(
            "skipped",
            None,
            story.headline,
            error="a kill notice (pubStatus canceled) for a story never imported; "
            "nothing stored",
        )
    if existing is not None:
        article = existing.article
        if article.status == Article.Status.KILLED:
            return Outcome(
                "skipped",
                article,
                story.headline,
                error="killed; a killed story never comes back by re-import "
                "(an editor may restore it), left alone",
            )
        if existing.copy_checksum == copy_sum:
            return Outcome("unchanged", article, story.headline)
        if story.pub_status in ("canceled", "withheld"):
            return _agency_notice(story, existing, copy_sum, filename, dry_run)
        if not update:
            return Outcome(
                "skipped",
                article,
                story.headline,
                error="the copy has changed since it was imported; "
                "use --update to refresh it",
            )
        if story_checksum(article) != existing.story_checksum:
            return Outcome(
                "skipped",
                article,
                story.headline,
                error="edited in the newsroom since it was imported; left alone",
            )
    outcome = Outcome("updated" if existing else "created", headline=story.headline)
    if existing and not dry_run:
        keep_stored_version(Article, existing.article_id, comment="Before refresh")
    # A new story's first version is its import record; a refresh is history.
    history = reversion.create_revision() if existing else nullcontext()
    stored = []  # picture files written for this story, if any
    was_public = bool(existing and existing.article.is_published())
    try:
        with transaction.atomic():
            with history:
                if existing:
                    reversion.set_comment(f"Refreshed from {filename or story.format}")
                outcome.article = _write(
                    story,
                    existing,
                    filename=filename,
                    images_dir=images_dir,
                    copy_sum=copy_sum,
                    warnings=outcome.warnings,
                    dry_run=dry_run,
                    lookups=lookups,
                    stored=stored,
                )
            if was_public:
                publishing.refreshed(article=outcome.article, by=None)
            if story.pub_status == "withheld":
                outcome.warnings.append(
                    "withheld by the agency (pubStatus withheld): kept as a draft"
                )
            elif publish:
                _publish_if_ready(outcome.article, story, outcome.warnings)
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    except ValidationError as error:
        discard_files(stored)  # the story was rolled back: so are its pictures
        raise refusal(error) from None
    except BaseException:
        discard_files(stored)
        raise
    return outcome


def _agency_notice(story, existing, copy_sum, filename, dry_run):
    """A kill notice kills the story, ``withheld`` unpublishes it: the copy's
    words are not stored, only that the notice was read (so that reading it
    again changes nothing)."""
    article = existing.article
    outcome = Outcome("updated", article, story.headline)
    try:
        with transaction.atomic():
            if story.pub_status == "canceled":
                who = story.publication or "The agency"
                result = publishing.kill(
                    article=article, by=None, reason=f"{who} withdrew this story."
                )
                outcome.warnings.append(
                    "killed: the copy is the agency's kill notice (pubStatus canceled)"
                )
            elif article.status == Article.Status.PUBLISHED:
                result = publishing.unpublish(article=article, by=None)
                outcome.warnings.append(
                    "unpublished: the agency withholds it (pubStatus withheld)"
                )
            else:
                result = None
                outcome.warnings.append(
                    "the agency withholds it (pubStatus withheld): kept as a draft"
                )
            if result is not None and not result.done:  # the rules said no
                outcome.status = "skipped"
                outcome.error = " ".join(result.reasons)
                outcome.warnings = []
                return outcome
            existing.copy_checksum = copy_sum
            existing.filename = filename
            existing.imported_at = timezone.now()
            existing.save()
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return outcome


def refusal(error, prefix="", model=Article):
    """A model's ValidationError as a ParseError naming the field(s) at fault
    as the admin does ("original URL: …", "photo alt text: …")."""
    if not hasattr(error, "error_dict"):
        return ParseError(" ".join(error.messages), field=prefix.strip())
    problems = [
        ((prefix + _label(model, name)).strip(), " ".join(messages))
        for name, messages in error.message_dict.items()
    ]
    (field_name, message), *others = problems
    message += "".join(f"; {other}: {text}" for other, text in others)
    return ParseError(message, field=field_name)


def _label(model, name):
    if name == NON_FIELD_ERRORS:
        return ""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # say it as it is
        return name.replace("_", " ")


@contextmanager
def _refused_as(prefix, model):
    """Name the model in a ValidationError raised inside: "photo credit: …"."""
    try:
        yield
    except ValidationError as error:
        raise refusal(error, prefix, model) from None


def _write(
    story, existing, *, filename, images_dir, copy_sum, warnings, dry_run,
    lookups, stored,
):  # fmt: skip
    article = existing.article if existing else Article()
    bylines, quotes = write_story(
        article,
        story,
        lookups,
        images_dir=images_dir,
        warnings=warnings,
        store_file=not dry_run,
        stored=stored,
    )
    record = existing or StoryImport(article=article, identity=story.identity)
    record.format = story.format
    record.filename = filename
    record.imported_at = timezone.now()
    record.copy_checksum = copy_sum
    record.story_checksum = story_checksum(
        article,
        bylines=[(byline.journalist.name, byline.role) for byline in bylines],
        quotes=[(quote.text, quote.kind, quote.source_id) for quote in quotes],
    )
    record.save()
    return article


def write_story(article, story, lookups, *, images_dir=None, warnings=None,
                store_file=True, stored=None):  # fmt: skip
    """Write ``story`` onto ``article`` (new, or stored): its fields, tags,
    lead photo, bylines, quotes and corrections. Returns the bylines and
    quotes written.

    The one writing step of the importer and the demo loader; each decides
    beforehand whether the story should be written at all (and keeps its own
    record of what it wrote). A stored story's bylines and quotes are
    replaced, its corrections added to, its slug kept, and its section kept
    unless the story names one. Sections, publications, journalists and
    sources come from ``lookups`` (a ``Lookups``), made when missing.
    """
    warnings = [] if warnings is None else warnings
    new = article.pk is None
    if story.section:
        with _refused_as("section ", Section):
            article.section = lookups.get(
                "section", story.section, lambda: _section(story.section)
            )
    elif new:
        article.section = lookups.get("section", "", _default_section)
    if new:
        article.slug = (
            _numbered(Article, story.slug)
            if story.slug
            else (_unique_slug(story.headline))
        )
    article.headline = story.headline
    article.standfirst = story.standfirst
    article.body = story.body_html
    article.dateline = story.dateline
    article.canonical_url = story.canonical_url
    with _refused_as("publication ", Publication):
        article.publication = (
            lookups.get("publication", story.publication, lambda: _publication(story))
            if story.publication
            else None
        )
    article.provenance_note = provenance(story)
    if story.published_on:
        article.set_publication_day(story.published_on)
    elif story.published_at:
        article.published_at = story.published_at
        article.published_date_only = False
    # The agency's embargo, as the copy now gives it (a refresh that no
    # longer carries one lifts it).
    stored_embargo = article.embargoed_until
    article.embargoed_until = story.embargoed
    if (
        story.updated_at
        and article.published_at
        and story.updated_at > article.published_at
    ):
        article.revised_at = story.updated_at
    with _refused_as("photo ", Photo):
        article.lead_photo = _photo(
            story,
            images_dir,
            warnings,
            article.lead_photo,
            store_file=store_file,
            stored=stored,
        )
    credits = [(name, "") for name in story.authors]
    credits += [(name, story.contributor_role) for name in story.contributors]
    article.save()
    note_embargo_change(article=article, previous=stored_embargo)
    if story.tags:
        article.tags.set(story.tags)

    if not new:
        article.bylines.all().delete()
        article.quotes.all().delete()
    bylines = []
    with _refused_as("author ", Journalist):
        for name, role in credits:
            journalist = lookups.get("journalist", name, lambda n=name: _journalist(n))
            # Two spellings of one name in a byline (“Ana Núñez and Ana
            # Nunez”) are one credit.
            if all(byline.journalist != journalist for byline in bylines):
                bylines.append(
                    Byline(
                        article=article,
                        journalist=journalist,
                        position=len(bylines),
                        role=role,
                    )
                )
    Byline.objects.bulk_create(bylines)
    known = () if new else set(article.corrections.values_list("text", flat=True))
    Correction.objects.bulk_create(
        Correction(
            article=article,
            text=text,
            published_at=story.correction_times.get(text) or _correction_time(story),
        )
        for text in _unique_texts(story.corrections)
        if text not in known
    )
    with _refused_as("source ", Source):
        sources = {
            data.name: lookups.get(
                "source", normalise_name(data.name), lambda d=data: _source(d)
            )
            for data in story.sources
        }
    quotes = [
        Quote(
            article=article,
            source=sources.get(quote.speaker),
            text=quote.text,
            kind=quote.kind,
            position=position,
        )
        for position, quote in enumerate(story.quotes)
    ]
    Quote.objects.bulk_create(quotes)
    return bylines, quotes


def provenance(story):
    """The line readers see under a syndicated story about where it came from:
    the wire agency of its dateline and what the copy says of its origin."""
    parts = [story.agency, story.provenance]
    return "; ".join(part.strip() for part in parts if part and part.strip())


def _publish_if_ready(article, story, warnings):
    """Publish the story through ``publishing.publish`` when it passes the
    desk's rules and has a date of its own; otherwise keep it a draft and say
    why. A story already published that now fails them stays so, said."""
    if article.status == Article.Status.PUBLISHED:
        problems = publishing.publishing_problems(article)
        if problems:
            warnings.append("still published, though: " + " ".join(problems))
        return
    problems = []
    if story.published_at is None and story.published_on is None:
        problems.append(
            "The copy gives no date, and a story is not published with an invented one."
        )
    if not problems:
        result = publishing.publish(article=article, by=None)
        if result.done:
            return
        problems = list(result.reasons)
    else:
        problems[:0] = publishing.publishing_problems(article)
    warnings.append("kept as a draft: " + " ".join(problems))


def _correction_time(story):
    return story.updated_at or timezone.now()


def _unique_texts(texts):
    seen = set()
    for text in texts:
        if text and text not in seen:
            seen.add(text)
            yield text


def _default_section():
    section, _ = Section.objects.get_or_create(
        slug=DEFAULT_SECTION["slug"], defaults={"name": DEFAULT_SECTION["name"]}
    )
    return section


def _section(name):
    """The section of that slug (or named so), else a new one of that name."""
    slug = ascii_slug(name, max_length=100) or "section"
    section, _ = Section.objects.get_or_create(slug=slug, defaults={"name": name})
    return section


def _unique_slug(headline):
    """The headline's slug, numbered if taken (exact look-ups use the index)."""
    return _numbered(Article, ascii_slug(headline, max_length=80) or "story")


def _numbered(model, base):
    """``base``, or ``base-2``, ``base-3``… whichever no ``model`` row has."""
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _publication(story):
    publication, _ = Publication.objects.get_or_create(name=story.publication)
    return publication


def _journalist(name):
    """The journalist of that name, or a spelling of it (“Ana Nunez” for “Ana
    Núñez”), else a new one. Names in any script get an ASCII slug of their
    own: “王伟” and “汪伟” share a transliteration but are two journalists."""
    journalist = Journalist.objects.filter(name__iexact=name).first()
    if journalist is not None:
        return journalist
    base = ascii_slug(name, max_length=190) or "journalist"
    same_slug = Journalist.objects.filter(slug=base).first()
    if same_slug is not None and normalise_name(same_slug.name) == normalise_name(name):
        return same_slug
    return Journalist.objects.create(name=name, slug=_numbered(Journalist, base))


def _source(data):
    key = normalise_name(data.name)
    source = Source.objects.filter(normalised_name=key).first()
    if source is not None:
        if data.description and not source.description:
            source.description = data.description
            source.save(update_fields=["description"])
        return source
    return Source.objects.create(
        name=data.name,
        slug=_numbered(Source, ascii_slug(data.name, max_length=180) or "source"),
        description=data.description,
        kind=data.kind,
        organisation=data.name if data.kind == Source.Kind.ORGANISATION else "",
    )


def _photo(story, images_dir, warnings, current, *, store_file, stored):
    data = story.photo
    if data is None:
        return current
    photo = current or Photo()
    photo.caption = data.caption
    photo.credit = data.credit
    photo.alt_text = data.alt_text or data.caption
    photo.original_filename = data.filename
    path = _find_image(images_dir, data.filename)
    if path is None:
        if not photo.has_file:
            where = f" under {images_dir}" if images_dir else " (no --images given)"
            warnings.append(
                f"picture “{data.filename or data.href}” not found{where}; "
                "the photo keeps its caption and credit and is marked missing its file"
            )
    elif not photo.has_file and store_file:
        with path.open("rb") as handle:
            picture = File(handle, name=path.name)
            try:
                validate_picture(picture)
            except ValidationError as error:
                warnings.append(
                    f"picture “{path.name}” was refused: {' '.join(error.messages)} "
                    "The photo keeps its caption and credit and is marked missing "
                    "its file."
                )
            else:
                attach_picture(
                    photo=photo, file=picture, name=path.name, written=stored
                )
                return photo
    photo.save()
    return photo


def _find_image(images_dir, filename):
    if not images_dir or not filename:
        return None
    name = Path(filename).name
    candidate = Path(images_dir) / name
    return candidate if candidate.is_file() else None


# Waiting for the database


class DatabaseUnavailable(Exception):
    """The database did not answer, after every retry; the message says so."""


class Retrying:
    """Run each story's store step, waiting for the database when it is away.

    A step that fails because the database cannot be reached (a lost or
    refused connection, a locked SQLite file) is tried again after ``delay``
    seconds, then after twice that, and so on, ``retries`` times. Each try is
    a whole story in its own transaction, so a failed try leaves nothing
    behind. Once one story has run out of retries the database is taken to be
    down: every later story fails at once, without more waiting.
    """

    def __init__(self, *, retries, delay, on_wait=None, sleep=None):
        self.retries = retries
        self.delay = delay
        self.on_wait = on_wait or (lambda message: None)
        self.sleep = sleep or time.sleep
        self.given_up = ""  # why, once the database is taken to be down

    def __call__(self, step):
        if self.given_up:
            raise DatabaseUnavailable(f"not tried: {self.given_up}")
        for attempt in range(self.retries + 1):
            try:
                return step()
            except (OperationalError, InterfaceError) as error:
                _drop_connection()
                reason = _first_line(error)
                if attempt == self.retries:
                    tries = "1 try" if attempt == 0 else f"{attempt + 1} tries"
                    self.given_up = f"the database was unavailable after {tries}"
                    raise DatabaseUnavailable(
                        f"database unavailable ({reason}); gave up after {tries}, "
                        "and the stories after this one are not tried: import "
                        "them again once the database is back"
                    ) from None
                wait = self.delay * 2**attempt
                self.on_wait(
                    f"database unavailable ({reason}); retrying in {wait:g} s "
                    f"(retry {attempt + 1} of {self.retries})"
                )
                self.sleep(wait)


def _drop_connection():
    """Close a connection that failed, so the next try opens a fresh one.

    Inside an outer transaction (a test's) the connection is left to it.
    """
    if connection.in_atomic_block:
        return
    try:
        connection.close()
    except DatabaseError:
        pass


def _first_line(error):
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
