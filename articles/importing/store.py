"""Store what the readers produced: one story per transaction, nothing lost.

``store_story`` decides whether a story is new, unchanged, changed (and may be
refreshed), or edited by the desk since it was imported (and is left alone).
"""

import hashlib
import json
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from media.models import Photo
from media.services import attach_picture, discard_files, stored_files
from media.validation import validate_picture
from people.models import Journalist, Source
from people.names import normalise_name

from ..history import keep_stored_version
from ..models import Article, Byline, Publication, Quote, Section, StoryImport

DEFAULT_SECTION = {"slug": "news", "name": "News"}
CONTRIBUTOR_ROLE = "Contributor"


@dataclass
class Outcome:
    """What happened to one story; ``status`` is created/updated/unchanged/
    skipped/failed."""

    status: str
    article: Article | None = None
    headline: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)


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

    def get(self, kind, key, make):
        found = self.rows.get((kind, key))
        if found is None:
            found = make()
            transaction.on_commit(lambda: self.rows.setdefault((kind, key), found))
        return found


def store_story(story, *, filename="", images_dir=None, publish=False, update=False,
                dry_run=False, lookups=None):  # fmt: skip
    """Create, refresh or leave alone the article for ``story``.

    Pass one ``Lookups`` for a whole run to save repeated queries.
    """
    lookups = lookups or Lookups()
    copy_sum = checksum(asdict(story))
    existing = (
        StoryImport.objects.select_related("article__section")
        .filter(identity=story.identity)
        .first()
    )
    if existing is not None:
        article = existing.article
        if existing.copy_checksum == copy_sum:
            return Outcome("unchanged", article, story.headline)
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
    try:
        with transaction.atomic(), history:
            if existing:
                reversion.set_comment(f"Refreshed from {filename or story.format}")
            outcome.article = _write(
                story,
                existing,
                filename=filename,
                images_dir=images_dir,
                publish=publish,
                copy_sum=copy_sum,
                warnings=outcome.warnings,
                dry_run=dry_run,
                lookups=lookups,
                stored=stored,
            )
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    except Exception:
        discard_files(stored)  # the story was rolled back: so are its pictures
        raise
    return outcome


def _write(
    story, existing, *, filename, images_dir, publish, copy_sum, warnings, dry_run,
    lookups, stored,
):  # fmt: skip
    article = existing.article if existing else Article()
    if not existing:
        article.section = lookups.get("section", "", _default_section)
        article.slug = _unique_slug(story.headline)
    article.headline = story.headline
    article.standfirst = story.standfirst
    article.body = story.body_html
    article.dateline = story.dateline
    article.canonical_url = story.canonical_url
    article.publication = (
        lookups.get("publication", story.publication, lambda: _publication(story))
        if story.publication
        else None
    )
    if story.published_on:
        article.set_publication_day(story.published_on)
    elif story.published_at:
        article.published_at = story.published_at
        article.published_date_only = False
    if publish:
        article.publish()
    article.lead_photo = _photo(
        story,
        images_dir,
        warnings,
        article.lead_photo,
        store_file=not dry_run,
        stored=stored,
    )
    article.save()
    if story.tags:
        article.tags.set(story.tags)

    if existing:
        article.bylines.all().delete()
        article.quotes.all().delete()
    credits = [(name, "") for name in story.authors]
    credits += [(name, CONTRIBUTOR_ROLE) for name in story.contributors]
    bylines = [
        Byline(
            article=article,
            journalist=lookups.get("journalist", name, lambda n=name: _journalist(n)),
            position=position,
            role=role,
        )
        for position, (name, role) in enumerate(credits)
    ]
    Byline.objects.bulk_create(bylines)
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


def _default_section():
    section, _ = Section.objects.get_or_create(
        slug=DEFAULT_SECTION["slug"], defaults={"name": DEFAULT_SECTION["name"]}
    )
    return section


def _unique_slug(headline):
    """The headline's slug, numbered if taken (exact look-ups use the index)."""
    base = slugify(headline)[:80].strip("-") or "story"
    slug, number = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _publication(story):
    publication, _ = Publication.objects.get_or_create(name=story.publication)
    return publication


def _journalist(name):
    slug = slugify(name)[:190] or "journalist"
    journalist = Journalist.objects.filter(name__iexact=name).first()
    if journalist is None:
        journalist, _ = Journalist.objects.get_or_create(
            slug=slug, defaults={"name": name}
        )
    return journalist


def _source(data):
    key = normalise_name(data.name)
    source = Source.objects.filter(normalised_name=key).first()
    if source is not None:
        if data.description and not source.description:
            source.description = data.description
            source.save(update_fields=["description"])
        return source
    base = slugify(data.name)[:180] or "source"
    slug, number = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return Source.objects.create(
        name=data.name,
        slug=slug,
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
                attach_picture(photo=photo, file=picture, name=path.name)
                stored.extend(stored_files(photo))
                return photo
    photo.save()
    return photo


def _find_image(images_dir, filename):
    if not images_dir or not filename:
        return None
    name = Path(filename).name
    candidate = Path(images_dir) / name
    return candidate if candidate.is_file() else None
