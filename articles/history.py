"""Story history kept by django-reversion: first versions, traces, restores."""

from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from media.models import Photo
from people.models import Journalist, Source

from .models import Article, Byline, Publication, Quote, Section

# What a restore brings back, with the names the desk gives them. The
# publishing state (status, publication times, "updated"), who filed the story,
# its corrections and its import record are always kept as stored.
WORDS = {
    "headline": "headline",
    "slug": "address",
    "standfirst": "standfirst",
    "seo_title": "SEO title",
    "seo_description": "SEO description",
    "body": "body",
    "dateline": "dateline",
    "section_id": "section",
    "lead_photo_id": "lead photo",
    "publication_id": "publication",
    "canonical_url": "original URL",
}
PARTS = {"bylines": "bylines", "quotes": "quotes"}


def keep_stored_version(model, pk, *, comment):
    """Record a row's stored state as a version if it has no history yet.

    Stories created by the importer or from the shell have no version until
    someone changes them; this keeps the state they had before that change.
    """
    if not reversion.is_registered(model):
        return
    if Version.objects.get_for_object_reference(model, pk).exists():
        return
    stored = model.objects.filter(pk=pk).first()
    if stored is None:
        return
    with reversion.create_revision():
        reversion.add_to_revision(stored)
        reversion.set_comment(comment)


def record_story_change(*, article, user, comment):
    """Add a version of ``article`` (with its bylines, quotes and corrections)
    to its history, for changes made to those parts outside the story form."""
    with reversion.create_revision():
        reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(comment)


def story_words(article):
    """The parts of a story a restore may change, as comparable values."""
    words = {name: getattr(article, name) for name in WORDS}
    words["bylines"] = tuple(
        article.bylines.order_by("position", "pk").values_list(
            "journalist_id", "role", "position"
        )
    )
    words["quotes"] = tuple(
        article.quotes.order_by("position", "pk").values_list(
            "text", "source_id", "kind", "position"
        )
    )
    return words


def changed_words(before, after):
    """The desk's names for what differs between two ``story_words``."""
    labels = WORDS | PARTS
    return [label for name, label in labels.items() if before[name] != after[name]]


@dataclass
class Restore:
    """What a restore of ``version`` over a stored story did, for the message."""

    version: Version
    before: dict
    status: str
    corrections: int
    notes: list = field(default_factory=list)

    def message(self, after):
        when = date_format(
            timezone.localtime(self.version.revision.date_created), "j F Y, H:i"
        )
        changed = changed_words(self.before, after)
        what = f"{', '.join(changed)} changed" if changed else "nothing differed"
        text = (
            f"Restored the version of {when}: {what}. Status kept: {self.status}. "
            f"Corrections kept: {self.corrections}."
        )
        return " ".join([text, *self.notes])


def bring_back_words(*, article, version):
    """Put the words of ``version`` back into ``article`` as stored.

    Call inside a transaction. The story keeps its publishing state, owner,
    corrections (which are never removed or changed) and import record; its
    bylines and quotes become those of the version. What can no longer be
    brought back (a journalist or section since deleted, an address another
    story has taken) stays as stored and is said in ``Restore.notes``.
    """
    restore = Restore(
        version=version,
        before=story_words(article),
        status=article.workflow_state.capitalize(),
        corrections=article.corrections.count(),
    )
    old = version.field_dict
    for name in WORDS:
        setattr(article, name, old.get(name, getattr(article, name)))
    if article.section_id is None:
        if article.status == Article.Status.PUBLISHED:
            # A story out keeps an address (``publishing.section_problems``).
            article.section_id = restore.before["section_id"]
            restore.notes.append(
                "That version had no section, which a published story needs: "
                "the section is kept."
            )
    elif not Section.objects.filter(pk=article.section_id).exists():
        article.section_id = restore.before["section_id"]
        restore.notes.append("Its section no longer exists: the section is kept.")
    photo = article.lead_photo_id
    if photo and not Photo.objects.filter(pk=photo).exists():
        article.lead_photo_id = None
        restore.notes.append("Its lead photo was deleted since: no lead photo.")
    publication = article.publication_id
    if publication and not Publication.objects.filter(pk=publication).exists():
        article.publication_id = restore.before["publication_id"]
    if Article.objects.exclude(pk=article.pk).filter(slug=article.slug).exists():
        article.slug = restore.before["slug"]
        restore.notes.append("Its old address is now another story's: address kept.")
    article.save()
    _bring_back_parts(article, version.revision, restore)
    return restore


def _bring_back_parts(article, revision, restore):
    """The bylines and quotes of ``revision`` replace the story's current ones."""
    old = {Byline: [], Quote: []}
    types = ContentType.objects.get_for_models(*old)
    for model, content_type in types.items():
        for version in revision.version_set.filter(content_type=content_type):
            data = version.field_dict
            if data.get("article_id") == article.pk:
                old[model].append(data)
    article.bylines.exclude(pk__in=[d["id"] for d in old[Byline]]).delete()
    article.quotes.exclude(pk__in=[d["id"] for d in old[Quote]]).delete()
    journalists = set(
        Journalist.objects.filter(
            pk__in=[d["journalist_id"] for d in old[Byline]]
        ).values_list("pk", flat=True)
    )
    sources = set(
        Source.objects.filter(
            pk__in=[d["source_id"] for d in old[Quote] if d["source_id"]]
        ).values_list("pk", flat=True)
    )
    for data in old[Byline]:
        if data["journalist_id"] not in journalists:
            restore.notes.append("A byline's journalist was deleted since.")
            continue
        article.bylines.filter(journalist_id=data["journalist_id"]).exclude(
            pk=data["id"]
        ).delete()
        Byline(**data).save()
    for data in old[Quote]:
        if data["source_id"] not in sources:
            data["source_id"] = None
        Quote(**data).save()
