"""Story history kept by django-reversion: first versions, traces, restores,
and the history pages (the list and the compare view) in words."""

from collections import defaultdict
from dataclasses import dataclass, field

import reversion
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version
from reversion.revisions import set_comment
from reversion_compare.forms import SelectDiffForm
from taggit.models import TaggedItem

from media.models import Photo
from people.models import Journalist, Source

from .history_diff import (
    Names,
    change_line,
    compare_states,
    history_line,
    is_generic,
    state_from_versions,
    state_of,
    what_changed,
)
from .models import Article, Byline, Correction, Publication, Quote, Section

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


# The history pages in words


def story_registration(options):
    """How a story is registered with django-reversion: each version also
    keeps the story's tag links (taggit's own field cannot be serialised)."""
    if not reversion.is_registered(TaggedItem):
        reversion.register(TaggedItem)
    follow = (*options.get("follow", ()), "tagged_items")
    return {**options, "follow": follow, "exclude": ("tags",)}


def story_states(versions):
    """The ``StoryState`` of each article version, in order: one query for
    the bylines, quotes, corrections and tags their revisions kept."""
    parts = ContentType.objects.get_for_models(
        Byline, Quote, Correction, TaggedItem
    ).values()
    related = defaultdict(list)
    kept = Version.objects.filter(
        revision_id__in={v.revision_id for v in versions}, content_type__in=parts
    ).select_related("content_type")
    for other in kept:
        related[other.revision_id].append(other)
    return [state_from_versions(v, related[v.revision_id]) for v in versions]


def history_lines(versions):
    """Each version's line in the history list, by version id: what it said
    of itself, or what changed from the version before it."""
    ordered = sorted(versions, key=lambda v: v.pk)
    lines, previous = {}, None
    for version, state in zip(ordered, story_states(ordered), strict=True):
        lines[version.pk] = history_line(previous, state, version.revision.comment)
        previous = state
    return lines


def stored_state(article_id):
    """The ``StoryState`` of a story as stored (None for a new one)."""
    article = Article.objects.filter(pk=article_id).first() if article_id else None
    return state_of(article) if article is not None else None


class StoryHistoryMixin:
    """The story's History in words. Put before ``GuardedHistoryMixin``.

    The list says what each version changed; compare shows the headline,
    standfirst and body by paragraph with the changed words marked, and the
    tags, bylines, lead photo, quotes and corrections in words; each save from
    the form gets the same words as its revision comment.
    """

    compare_template = "admin/articles/article/history_compare.html"
    object_history_template = "admin/articles/article/history_list.html"

    def reversion_register(self, model, **options):
        if model is Article:
            options = story_registration(options)
        super().reversion_register(model, **options)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            request.newsroom_story_before = stored_state(object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._say_what_changed(request, obj, None)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        before = getattr(request, "newsroom_story_before", None)
        self._say_what_changed(request, obj, before)
        return entry

    def _say_what_changed(self, request, obj, before):
        """The revision's comment: what the save changed ("Published.
        Headline changed"), with a transition's own words where the states
        cannot tell them (a send-back's note)."""
        if not reversion.is_active():
            return
        result = getattr(request, "story_transition", None)
        comment = result.comment if result is not None else ""
        set_comment(change_line(before, state_of(obj), comment))

    def history_view(self, request, object_id, extra_context=None):
        article = self.stored_object(request, object_id)
        restorable = self.has_restore_permission(request, article)
        context = {"restorable": restorable, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def _get_action_list(self, request, object_id, extra_context=None):
        """The versions, each with its line; a version's date opens it for a
        restore only for those who may restore."""
        actions = super()._get_action_list(request, object_id, extra_context)
        lines = history_lines([action["version"] for action in actions])
        restorable = (extra_context or {}).get("restorable", False)
        for action in actions:
            action["line"] = lines[action["version"].pk]
            if not restorable:
                action["url"] = None
        return actions

    def compare_view(self, request, object_id, extra_context=None):
        """Two versions of a story side by side, in words: for those who may
        see its history, and only versions of this story."""
        article = self.stored_object(request, object_id)
        if not self.has_history_permission(request, article):
            raise PermissionDenied
        form = SelectDiffForm(request.GET)
        if not form.is_valid():
            raise Http404("Choose two versions of this story to compare.")
        ids = {form.cleaned_data["version_id1"], form.cleaned_data["version_id2"]}
        versions = Version.objects.get_for_object(article)
        chosen = list(
            versions.filter(pk__in=ids).select_related("revision__user").order_by("pk")
        )
        if len(chosen) != len(ids):
            raise Http404("These versions do not belong to this story.")
        older, newer = chosen[0], chosen[-1]
        old, new = story_states([older, newer])
        names = Names.of([old, new], request.user)
        comment = newer.revision.comment
        summary = what_changed(old, new, comment) if older != newer else []
        note = "" if is_generic(comment) or comment == ". ".join(summary) else comment
        opts = self.opts
        history = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
            args=[quote(article.pk)],
        )
        earlier = versions.filter(pk__lt=older.pk).order_by("-pk").first()
        later = versions.filter(pk__gt=newer.pk).order_by("pk").first()
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": article,
            "title": f"Compare versions of “{article}”",
            "older": older,
            "newer": newer,
            "parts": compare_states(old, new, names) if older != newer else [],
            "summary": summary,
            # What the newer version said of itself, where that is more than
            # the summary (a restore's message, the importer's refresh).
            "note": note,
            "history_url": history,
            "restore_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=[quote(article.pk), older.pk],
            )
            if self.has_restore_permission(request, article)
            else None,
            "earlier_url": f"?version_id1={earlier.pk}&version_id2={older.pk}"
            if earlier
            else None,
            "later_url": f"?version_id1={newer.pk}&version_id2={later.pk}"
            if later
            else None,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.compare_template, context)
