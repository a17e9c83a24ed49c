import datetime
from functools import partial
from html import escape as quick_escape  # what Django's escape does, unwrapped

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from reversion.errors import RevertError
from reversion.revisions import set_comment
from reversion_compare.admin import CompareVersionAdmin

from desk.story_form import StoryDeskMixin
from newsroom.admin_a11y import NamedRowsFormSet, name_split_boxes
from newsroom.admin_history import GuardedHistoryMixin
from newsroom.admin_lists import LargeTableAdminMixin
from people.admin import SourceAutocompleteSelect
from people.permissions import can_see_private_source_fields, source_label

from . import card_preview, desk_quotes, publishing, search
from .history import (
    StoryHistoryMixin,
    bring_back_words,
    keep_stored_version,
    record_story_change,
    story_words,
)
from .models import (
    Article,
    Byline,
    Correction,
    Publication,
    Quote,
    Section,
    StoryImport,
)
from .widgets import TagChipsField, add_length_hints, story_text_widgets

CONTENT_FIELDS = {"headline", "standfirst", "body", "dateline", "lead_photo"}

# What the body editor offers: the same tags the model's sanitizer keeps.
BODY_EDITOR = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Heading": {"levels": [2, 3]},
        "Link": {"enableTarget": False},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        # The browser's spelling check, which the editor turns off by default.
        "NoSpellCheck": False,
    }
}


def restoring(request):
    """Whether this request is History's restore form (``…/history/<id>/``)."""
    match = request.resolver_match
    return bool(match and match.url_name.endswith("_revision"))


def restored_words(request, article):
    """Whether the restore being saved changes what readers read."""
    restore = getattr(request, "newsroom_restore", None)
    if restore is None:
        return False
    return any(
        restore.before[attname] != getattr(article, attname)
        for attname in (Article._meta.get_field(f).attname for f in CONTENT_FIELDS)
    )


def is_autocomplete(request):
    match = request.resolver_match
    return bool(match and match.url_name == "autocomplete")


class ArticleAdminForm(forms.ModelForm):
    """The story form: a rich-text body, publishing rules and edit conflicts."""

    body = ProseEditorFormField(
        config=BODY_EDITOR,
        required=False,
        widget=AdminProseEditorWidget,
        help_text="Paragraphs, subheads, bold and italic, links, lists and block "
        "quotes. Pasted scripts, styles and tracking are removed on save.",
    )
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Sized for their content, with length hints; tags as chips (widgets.py).
    tags = TagChipsField(
        required=False,
        help_text="Press Enter or type a comma after each tag. Without the chips: "
        "tags separated by commas; one with a comma in it in double quotes.",
    )
    check_conflicts = True
    desk_user = None  # who is saving (set by ``ArticleAdmin.get_form``)

    class Meta:
        widgets = story_text_widgets()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_length_hints(self)
        name_split_boxes(self)
        if self.instance.pk:
            self.fields["loaded_version"].initial = version_token(self.instance)

    def clean(self):
        cleaned = super().clean()
        self.refuse_conflicting_edit(cleaned.get("loaded_version"))
        publishing = cleaned.get("status") == Article.Status.PUBLISHED
        if publishing and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        return cleaned

    def refuse_conflicting_edit(self, token):
        if not self.check_conflicts or not self.instance.pk or not token:
            return
        current = (
            Article.objects.filter(pk=self.instance.pk)
            .select_related("updated_by")
            .first()
        )
        if current is not None and version_token(current) != token:
            who = current.updated_by.get_username() if current.updated_by else "someone"
            when = date_format(timezone.localtime(current.updated_at), "j F Y, H:i:s")
            raise ValidationError(
                f"{who} changed this story at {when}, after you opened it. Your "
                "changes were not saved, so theirs are not lost: copy your edits, "
                "reload the story and make them again."
            )

    def _post_clean(self):
        super()._post_clean()
        # The rules of the transition this save is (``articles.publishing``);
        # the byline inline checks its own rows (``BylineFormSet``).
        for problem in publishing.edit_problems(
            article=self.instance, by=self.desk_user, has_bylines=True
        ):
            self.add_error(None, problem)
        # The constraint behind a rule says it again in its own words (a
        # published story's section): the rule's reason is enough.
        said = self._errors.get(NON_FIELD_ERRORS)
        if said and publishing.SECTION_PROBLEM in said:
            said.data = [
                error
                for error in said.as_data()
                if error.messages != ["A published story needs a section."]
            ]


def embargo_text(article, start="Embargoed"):
    """“Embargoed until 1 Dec 2026, 20:00”, in the newsroom's time."""
    when = date_format(timezone.localtime(article.embargoed_until), "j M Y, H:i")
    return f"{start} until {when}"


def version_token(article):
    return article.updated_at.isoformat() if article.updated_at else ""


class BylineFormSet(NamedRowsFormSet):
    def clean(self):
        super().clean()
        if self.instance.status != Article.Status.PUBLISHED:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("journalist")
            and not form.cleaned_data.get("DELETE")
        ]
        problems = publishing.byline_problems(has_bylines=bool(kept))
        if problems:
            raise ValidationError(problems)


class CorrectionFormSet(NamedRowsFormSet):
    """New corrections obey ``publishing.correct``'s rules before any is saved."""

    desk_user = None  # set by ``CorrectionInline.get_formset``

    def clean(self):
        super().clean()
        new = [
            form
            for form in self.forms
            if form.instance.pk is None and form.has_changed() and form.is_valid()
        ]
        if new:
            problems = publishing.correction_problems(self.instance, self.desk_user)
            if problems:
                raise ValidationError(problems)


class BylineForm(forms.ModelForm):
    def has_changed(self):
        # The byline filled in for a reporter counts even when left as it is.
        prefilled = not self.instance.pk and bool(self.initial.get("journalist"))
        return prefilled or super().has_changed()


class StoryPartInline:
    """An inline whose rows may be changed by those who may change the story."""

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and publishing.can_view(request.user, obj)

    def has_add_permission(self, request, obj=None):
        allowed = super().has_add_permission(request, obj)
        return allowed and publishing.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and publishing.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and publishing.can_edit(request.user, obj)


class SourcePickerMixin:
    """The quote's source: picked by autocomplete, named as the user may know it.

    Those who may not edit sources see an anonymous source by its public
    description, in the picker, in read-only rows and in lists.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            kwargs["widget"] = SourceAutocompleteSelect(db_field, self.admin_site)
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = partial(source_label, request.user)
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if can_see_private_source_fields(request.user):
            return fields
        if self.has_change_permission(request, obj):
            return fields
        return ["source_shown" if name == "source" else name for name in fields]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "source_shown"]

    @admin.display(description="source")
    def source_shown(self, quote):
        if quote.source is None:
            return "Unattributed"
        return quote.source.public_name


class BylineInline(StoryPartInline, admin.TabularInline):
    model = Byline
    form = BylineForm
    formset = BylineFormSet
    extra = 0
    autocomplete_fields = ["journalist"]
    fields = ["journalist", "role", "position"]

    def get_extra(self, request, obj=None, **kwargs):
        # A reporter's new story starts with their own byline filled in.
        has_profile = getattr(request.user, "journalist", None) is not None
        return 1 if obj is None and has_profile else 0


class QuoteInline(SourcePickerMixin, StoryPartInline, admin.StackedInline):
    """The story's quotes as a compact list, marked in the body, with “Find
    quotes” (``articles.desk_quotes``)."""

    model = Quote
    form = desk_quotes.DeskQuoteForm
    formset = desk_quotes.DeskQuoteFormSet
    template = "admin/articles/article/quote_inline.html"
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["text", "source", "kind", "position"]

    class Media:
        js = ["articles/quotes.js"]
        css = {"all": ["articles/quotes.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.desk_user = request.user
        return formset


class CorrectionInline(StoryPartInline, admin.TabularInline):
    """Corrections are added by those who publish; a restore never touches them.

    They are append-only: readers have seen them, so nobody removes one at the
    desk. A correction that is itself wrong gets another correction.
    """

    model = Correction
    formset = CorrectionFormSet
    extra = 0
    can_delete = False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.desk_user = request.user
        return formset

    def has_add_permission(self, request, obj=None):
        if restoring(request) or not publishing.can_publish(request.user):
            return False
        return super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not restoring(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class StoryImportInline(StoryPartInline, admin.StackedInline):
    """Where an imported story came from: read-only, for the desk's reference."""

    model = StoryImport
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["format", "identity", "filename", "imported_at"]
    readonly_fields = fields
    verbose_name_plural = "provenance"


class StateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("published", "Published"),
            ("today", "Published today"),
            ("scheduled", "Scheduled"),
            ("embargoed", "Embargoed"),
            ("review", "In review"),
            ("draft", "Draft"),
            ("killed", "Killed"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Article.Status.PUBLISHED)
        match self.value():
            case "published":
                return queryset.published()
            case "today":
                # Since midnight, newsroom time (the desk home's “Published today”).
                midnight = timezone.make_aware(
                    datetime.datetime.combine(timezone.localdate(), datetime.time.min)
                )
                return queryset.published().filter(published_at__gte=midnight)
            case "scheduled":
                return published.filter(published_at__gt=now)
            case "embargoed":
                return published.filter(embargoed_until__gt=now)
            case "review":
                return queryset.filter(status=Article.Status.IN_REVIEW)
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "killed":
                return queryset.filter(status=Article.Status.KILLED)
        return queryset


class MineFilter(admin.SimpleListFilter):
    """The stories I filed or have a byline on (the desk home's “My drafts”)."""

    title = "whose"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Mine (filed by me or with my byline)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            # One UNION of two index look-ups (filer, byline), not an OR.
            user = request.user
            filed = Article.objects.filter(created_by=user).order_by().values("pk")
            bylined = Byline.objects.filter(journalist__user=user).order_by()
            return queryset.filter(pk__in=filed.union(bylined.values("article_id")))
        return queryset


class PhotoFilter(admin.SimpleListFilter):
    title = "lead photo"
    parameter_name = "photo"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Has a photo"),
            ("no", "No photo"),
            ("missing-file", "Photo missing its file"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "yes":
                return queryset.filter(lead_photo__isnull=False)
            case "no":
                return queryset.filter(lead_photo__isnull=True)
            case "missing-file":
                return queryset.filter(lead_photo__image="")
        return queryset


class BylineFilter(admin.RelatedOnlyFieldListFilter):
    """Journalists with a byline on a story in the list.

    Over the whole list (the usual case) that is every journalist with any
    byline, one index probe for each of a few hundred journalists, rather
    than a DISTINCT over every byline of every story.
    """

    template = "admin/articles/article/byline_filter.html"

    def choices(self, changelist):
        """Django's choices, but the journalists' links made in one pass: it
        builds a query string and renders a template node for each of a few
        hundred journalists, 20 ms of a 57 ms list at a million stories. The
        same links: the list's other parameters and this journalist."""
        if changelist.add_facets:
            yield from super().choices(changelist)
            return
        choices = super().choices(changelist)
        yield next(choices)  # "All"
        base = changelist.get_query_string(
            remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]
        )
        joiner = "&" if base != "?" else ""
        selected = {str(value) for value in self.lookup_val or ()}
        # Escaped here rather than by ``format_html`` for each of them.
        href = escape(f"{base}{joiner}{self.lookup_kwarg}=")
        selected_class = ' class="selected"'
        yield {
            "html": mark_safe(
                "\n".join(
                    f"<li{selected_class if str(pk) in selected else ''}>"
                    f'<a href="{href}{quick_escape(str(pk))}">{quick_escape(name)}</a>'
                    "</li>"
                    for pk, name in self.lookup_choices
                )
            )
        }
        if self.include_empty_choice:
            yield {
                "selected": bool(self.lookup_val_isnull),
                "query_string": changelist.get_query_string(
                    {self.lookup_kwarg_isnull: "True"}, [self.lookup_kwarg]
                ),
                "display": self.empty_value_display,
            }

    def field_choices(self, field, request, model_admin):
        stories = model_admin.get_queryset(request)
        bylines = Byline.objects.filter(journalist=OuterRef("pk"))
        if stories.query.where:
            bylines = bylines.filter(article__in=stories)
        ordering = self.field_admin_ordering(field, request, model_admin)
        # ``field.get_choices`` with ``Exists(bylines)``, as (pk, name) rows
        # rather than a few hundred Journalist objects to name.
        journalists = field.remote_field.model._default_manager.filter(Exists(bylines))
        if ordering:
            journalists = journalists.order_by(*ordering)
        return list(journalists.values_list("pk", "name"))


def transition_message(result, saved):
    """What the desk is told after a save that was ``result`` (a
    ``publishing.Result``); ``saved`` is Django's own sentence."""
    article = result.article
    headline = article.headline
    preview = reverse("articles:preview", args=[article.pk])
    kind = result.event or result.comment
    if kind in ("published", "scheduled") and article.is_embargoed:
        return format_html(
            "Published under embargo — “{}” stays off the site: {}. "
            '<a href="{}">Preview it</a>.',
            headline,
            embargo_text(article, start="held back"),
            preview,
        )
    match kind:
        case "published":
            return format_html(
                'Published — “{}” is live. <a href="{}">View it on the site</a>.',
                headline,
                article.get_absolute_url(),
            )
        case "scheduled":
            return format_html(
                'Scheduled — “{}” is scheduled for {}. <a href="{}">Preview it</a>.',
                headline,
                publishing.when_text(article.published_at),
                preview,
            )
        case "updated":
            return format_html(
                '{} Readers see the change now: <a href="{}">view it on the site</a>.',
                saved,
                article.get_absolute_url(),
            )
        case "unpublished":
            return format_html(
                "Unpublished — “{}” is a draft again and no longer on the site.",
                headline,
            )
        case "submitted" | "Submitted for review":
            return format_html(
                "Submitted for review — “{}” waits for an editor. "
                '<a href="{}">Preview it</a>.',
                headline,
                preview,
            )
    return saved


@admin.register(Article)
class ArticleAdmin(
    # The desk's part: autosave, presence, after submitting (desk/story_form.py).
    StoryDeskMixin,
    LargeTableAdminMixin,
    # History in words: the revision comments of the form's saves, the
    # history list's lines and the compare view.
    StoryHistoryMixin,
    GuardedHistoryMixin,
    CompareVersionAdmin,
):
    form = ArticleAdminForm
    list_display = [
        "thumbnail",
        "headline",
        "state",
        "byline_names",
        "section",
        "published_at",
    ]
    list_display_links = ["headline"]
    # The story list shows none of these long texts (LargeTableAdminMixin).
    list_unread_fields = ["body", "standfirst", "seo_description"]
    list_filter = [
        StateFilter,
        MineFilter,
        "section",
        ("journalists", BylineFilter),
        PhotoFilter,
        "provenance__format",
        "published_at",
    ]
    list_select_related = ["section", "lead_photo", "killed_by"]
    list_per_page = 50
    # Shown as the search box; the search itself is ``desk_search``.
    search_fields = ["headline", "standfirst", "body"]
    search_help_text = (
        "Words of the headline, standfirst or body, or part of the headline. "
        f"Lists at most the {search.DESK_MAX_RESULTS:,} newest matches."
    )
    date_hierarchy = "published_at"
    search_hides_dates = True
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_photo", "publication"]
    readonly_fields = [
        "photo_preview",
        "first_published_at",
        "revised_at",
        "created_at",
        "updated_at",
        "preview_link",
        "kill_notice",
    ]
    inlines = [BylineInline, QuoteInline, CorrectionInline, StoryImportInline]
    actions = [
        "submit_for_review",
        "publish_now",
        "unpublish",
        "kill",
        "restore_killed",
    ]
    fieldsets = [
        (
            "Story",
            {"fields": ["headline", "slug", "standfirst", "body", "dateline"]},
        ),
        (
            "Picture and filing",
            {"fields": ["lead_photo", "photo_preview", "section", "tags"]},
        ),
        # Followed by the search and share-card preview (change_form.html).
        ("Search and sharing", {"fields": ["seo_title", "seo_description"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "featured",
                    "kill_notice",
                    ("published_at", "published_date_only"),
                    "embargoed_until",
                    "preview_link",
                    ("first_published_at", "revised_at"),
                    ("created_at", "updated_at"),
                    "loaded_version",
                ]
            },
        ),
        (
            "Syndication",
            {
                "fields": ["publication", "canonical_url", "provenance_note"],
                "classes": ["collapse"],
            },
        ),
    ]

    empty_value_display = "—"  # a draft's section, a time not set

    class Media:
        css = {"all": ["admin/story-form.css"]}
        js = ["articles/story-form.js", "articles/lead-photo-preview.js"]

    def get_urls(self):
        preview = path(
            "card-preview/",
            self.admin_site.admin_view(self.card_preview_view),
            name="articles_article_card_preview",
        )
        # “Find quotes” in the story form (``articles.desk_quotes``).
        find = partial(desk_quotes.find_quotes_view, model_admin=self)
        return [
            preview,
            path("find-quotes/", find, name="articles_article_find_quotes"),
            *super().get_urls(),
        ]

    def card_preview_view(self, request):
        return card_preview.preview_view(self, request)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        story = card_preview.stored_story(obj.pk) if obj is not None else None
        context["card_preview"] = card_preview.render(
            request, story or card_preview.new_story(), original=obj
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "bylines", queryset=Byline.objects.select_related("journalist")
                )
            )
        )

    def get_view_on_site_url(self, obj=None):
        # A draft in no section has no address to view.
        if obj is not None and obj.section_id is None:
            return None
        return super().get_view_on_site_url(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            # Stories imported or made elsewhere keep their state before this edit
            # (outside the revision the admin opens for the edit itself).
            keep_stored_version(Article, object_id, comment="Before the first edit")
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # Restoring a version from History is a deliberate overwrite.
        form.check_conflicts = not restoring(request)
        form.desk_user = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.is_killed:
            return fieldsets
        # Only a killed story has a kill to tell of.
        return [
            (name, {**options, "fields": without(options["fields"], "kill_notice")})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if restoring(request):
            # A restore brings back words, never the publishing state.
            fields += [
                "status",
                "published_at",
                "published_date_only",
                "embargoed_until",
            ]
        elif obj is not None and obj.is_killed:
            # A kill is undone only by an editor's restore (the list's action).
            fields += ["status"]
        elif not publishing.can_publish(request.user):
            fields += ["published_at", "published_date_only", "embargoed_until"]
        if restoring(request) or not publishing.can_feature(request.user):
            fields.append("featured")  # the editors' call; a restore keeps it
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            # A kill asks for a reason (the list's action), so it is no choice
            # here; publishing is one for those who may.
            hidden = {Article.Status.KILLED}
            if not publishing.can_publish(request.user):
                hidden.add(Article.Status.PUBLISHED)
            kwargs["choices"] = [
                (value, label)
                for value, label in Article.Status.choices
                if value not in hidden
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    # Who may do what: the rules are in ``articles.publishing``.

    def has_view_permission(self, request, obj=None):
        return publishing.can_view(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return publishing.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return publishing.can_delete(request.user, obj)

    def has_history_permission(self, request, obj):
        return publishing.can_view(request.user, obj)

    def has_restore_permission(self, request, obj):
        return publishing.can_restore(request.user, obj)

    def has_recover_permission(self, request):
        return publishing.can_recover(request.user)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        refused = [a for a in objs if not publishing.can_delete(request.user, a)]
        if refused:
            perms_needed = {*perms_needed, *(f"story “{a}”" for a in refused)}
        return deleted, counts, perms_needed, protected

    def get_search_results(self, request, queryset, search_term):
        """``desk_search``: bounded on any archive (the newest matches, capped)."""
        if is_autocomplete(request):
            # Picking a story for a quote (or any part) is an edit of that story.
            queryset = publishing.editable(request.user, queryset)
        terms = search.desk_terms(search_term)
        if not terms:
            return queryset, False
        ids, capped = search.desk_search_ids(queryset, terms)
        queryset = search.among(queryset, ids)
        request.desk_search_ids = ids
        if capped and not is_autocomplete(request):
            most = search.DESK_MAX_RESULTS
            self.message_user(
                request,
                f"More than {most:,} stories match “{search_term}”: these are "
                f"the {most:,} newest. Add a word, or a filter, to narrow the "
                "search.",
                messages.INFO,
            )
        return queryset, False

    def get_paginator(self, request, queryset, per_page, *args, **kwargs):
        ids = getattr(request, "desk_search_ids", None)
        newest_first = tuple(queryset.query.order_by) == ("-published_at", "-id")
        if ids is not None and newest_first and not queryset.query.is_sliced:
            return search.DeskResultsPaginator(queryset, per_page, *args, ids=ids)
        return super().get_paginator(request, queryset, per_page, *args, **kwargs)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restore an earlier version's words over the story as it is stored.

        The form shows the version's words for a last look; saving it keeps
        the story's status, publication times and corrections, and says what
        changed. Leaving without saving changes nothing.
        """
        article = self.stored_object(request, object_id)
        if not self.has_restore_permission(request, article):
            raise PermissionDenied
        version = self.stored_version(article, version_id)
        context = {
            "title": f"Restore “{version.object_repr}”",
            "revert": True,
            **(extra_context or {}),
        }
        try:
            with transaction.atomic():
                restore = bring_back_words(article=article, version=version)
                request.newsroom_restore = restore
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(str(article.pk)), request.path, context
                    )
                    if request.method != "POST" or response.status_code != 302:
                        raise _ShowOnly(response)
                    after = story_words(Article.objects.get(pk=article.pk))
                    message = restore.message(after)
                    set_comment(message)
        except _ShowOnly as shown:
            response = shown.response
            if hasattr(response, "render"):
                response.template_name = self.revision_form_template or (
                    self._reversion_get_template_list("revision_form.html")
                )
                response.render()
            return response
        except RevertError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(history_url(article))
        self.message_user(request, message)
        return response

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        """The form's “changed successfully” says what the save did when it
        was a step of the workflow (published, scheduled, unpublished,
        submitted, updated), with a link to where it can be seen."""
        result = getattr(request, "story_transition", None)
        if level == messages.SUCCESS and result is not None and result.done:
            request.story_transition = None  # once per save
            message = transition_message(result, message)
        return super().message_user(request, message, level, *args, **kwargs)

    def response_change(self, request, obj):
        if restoring(request):
            # The restore's own message says what changed.
            return HttpResponseRedirect(change_url(obj))
        return super().response_change(request, obj)

    def get_inlines(self, request, obj):
        imported = obj is not None and hasattr(obj, "provenance")
        return [i for i in self.inlines if imported or i is not StoryImportInline]

    def has_publish_permission(self, request):
        return publishing.can_publish(request.user)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        journalist = getattr(request.user, "journalist", None)
        if isinstance(inline, BylineInline) and not obj.pk and journalist:
            kwargs.setdefault("initial", [{"journalist": journalist, "position": 0}])
        return kwargs

    def has_restore_killed_permission(self, request):
        return publishing.can_restore_killed(request.user)

    def save_model(self, request, obj, form, change):
        changed = bool(CONTENT_FIELDS.intersection(form.changed_data))
        request.story_transition = publishing.save_edit(
            article=obj,
            by=request.user,
            content_changed=changed or restored_words(request, obj),
            has_bylines=True,  # checked by the byline inline (``BylineFormSet``)
        )
        if "embargoed_until" in form.changed_data:
            publishing.note_embargo_change(
                article=obj, previous=form.initial.get("embargoed_until")
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        # A new correction is ``publishing.correct``; one already there may
        # only have its wording fixed.
        for correction in formset.save(commit=False):
            if correction.pk is not None:
                correction.save()
                continue
            result = publishing.correct(
                article=form.instance,
                by=request.user,
                text=correction.text,
                at=correction.published_at,
            )
            if not result.done:  # the formset's clean checked the same rules
                raise ValueError(" ".join(result.reasons))

    @admin.display(description="")
    def thumbnail(self, article):
        photo = article.lead_photo
        if photo is None:
            return ""
        if not photo.has_file:
            return format_html('<span title="{}">No file</span>', photo.caption)
        return format_html(
            '<img src="{}" alt="" class="story-thumbnail">',
            photo.image.url,
        )

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        if article.is_killed:
            return publishing.kill_note(article)
        state = article.workflow_state
        if state == "embargoed":
            return embargo_text(article)
        if article.is_embargoed and state != "scheduled":
            return f"{state.capitalize()}; {embargo_text(article, start='embargoed')}"
        if article.is_scheduled:
            when = date_format(timezone.localtime(article.published_at), "j M Y, H:i")
            return f"Scheduled for {when}"
        return article.workflow_state.capitalize()

    def complete_rows(self, request, rows, lookups):
        # The page's bylines as names, in byline order: one query, no objects.
        names = {row.pk: [] for row in rows}
        bylines = (
            Byline.objects.filter(article__in=list(names))
            .order_by(*Byline._meta.ordering)
            .values_list("article_id", "journalist__name")
        )
        for article_id, name in bylines:
            names[article_id].append(name)
        for row in rows:
            row.listed_byline_names = names[row.pk]

    @admin.display(description="Bylines")
    def byline_names(self, article):
        names = getattr(article, "listed_byline_names", None)
        if names is None:
            names = [b.journalist.name for b in article.bylines.all()]
        return ", ".join(names)

    @admin.display(description="Lead photo as it will appear")
    def photo_preview(self, article):
        # Redrawn by articles/lead-photo-preview.js as the photo is chosen.
        return format_html(
            '<div class="lead-photo-card" data-preview-url="{}" aria-live="polite">'
            "{}</div>",
            reverse("admin:media_photo_preview"),
            self._photo_preview(article.lead_photo),
        )

    def _photo_preview(self, photo):
        if photo is None:
            return "No lead photo. Choose one above, or add one with the + button."
        image = (
            format_html(
                '<img src="{}" alt="{}" class="lead-photo-preview">',
                photo.image.url,
                photo.alt_text,
            )
            if photo.has_file
            else format_html("<strong>{}</strong>", "The picture file is missing.")
        )
        return format_html(
            "{}<p>{}</p><p><small>Photo: {}</small></p><p><small>Alt text: {}</small>"
            "</p>",
            image,
            photo.caption or "(no caption)",
            photo.credit or "(no credit)",
            photo.alt_text or "(none)",
        )

    @admin.display(description="Kill")
    def kill_notice(self, article):
        return publishing.kill_note(article) or "—"

    @admin.display(description="Preview")
    def preview_link(self, article):
        if not article.pk:
            return "Save the story to preview it."
        url = preview_url(article)
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Open the preview</a>', url
        )

    def _run_on(self, request, queryset, transition, **arguments):
        """``transition`` (``articles.publishing``) on each story; the stories
        it was done to, and a line for each refusal."""
        done, refused = [], []
        for article in queryset:
            result = transition(article=article, by=request.user, **arguments)
            if result.done:
                done.append(article)
            else:
                refused.append(f"“{article}”: {' '.join(result.reasons)}")
        return done, refused

    def _report(self, request, done, refused, singular, plural):
        if done:
            self.message_user(
                request, ngettext(singular, plural, len(done)) % len(done)
            )
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description="Submit selected stories for review")
    def submit_for_review(self, request, queryset):
        done, refused = self._run_on(request, queryset, publishing.submit_for_review)
        self._report(
            request,
            done,
            refused,
            "%d story was submitted for review.",
            "%d stories were submitted for review.",
        )

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        done, refused = self._run_on(
            request, queryset, publishing.publish, at=timezone.now()
        )
        self._report(
            request,
            done,
            refused,
            "%d story was published.",
            "%d stories were published.",
        )

    @admin.action(description="Unpublish selected stories", permissions=["publish"])
    def unpublish(self, request, queryset):
        done, refused = self._run_on(request, queryset, publishing.unpublish)
        self._report(
            request,
            done,
            refused,
            "%d story was unpublished and is now a draft.",
            "%d stories were unpublished and are now drafts.",
        )

    @admin.action(description="Kill selected stories…", permissions=["publish"])
    def kill(self, request, queryset):
        """Ask for the reason readers will see, then kill each story."""
        form = KillForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            done, refused = self._run_on(
                request, queryset, publishing.kill, reason=form.cleaned_data["reason"]
            )
            self._report(
                request,
                done,
                refused,
                "%d story was killed: its address now says it was withdrawn.",
                "%d stories were killed: their addresses now say they were withdrawn.",
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Kill stories",
            "opts": self.model._meta,
            "stories": list(queryset),
            "form": form,
            "action": "kill",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/articles/article/kill_confirmation.html", context
        )

    @admin.action(
        description="Restore selected killed stories as drafts",
        permissions=["restore_killed"],
    )
    def restore_killed(self, request, queryset):
        done, refused = self._run_on(request, queryset, publishing.restore_killed)
        self._report(
            request,
            done,
            refused,
            "%d killed story was restored and is a draft.",
            "%d killed stories were restored and are drafts.",
        )


class KillForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Readers see this at the story's address, e.g. “This story was "
        "withdrawn because it named a person it should not have.”",
    )


class _ShowOnly(Exception):  # noqa: N818 - a way out of the transaction, not an error
    """Leave the restore's transaction, undoing it, with a page to show."""

    def __init__(self, response):
        self.response = response


def without(names, name):
    return [each for each in names if each != name]


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def history_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def preview_url(article):
    try:
        return reverse("articles:preview", kwargs={"pk": article.pk})
    except NoReverseMatch:
        return article.get_absolute_url()


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["name", "url"]
    search_fields = ["name"]


class AttributedFilter(admin.SimpleListFilter):
    title = "attribution"
    parameter_name = "attributed"

    def lookups(self, request, model_admin):
        return [("no", "Unattributed (to settle)"), ("yes", "Attributed")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(source__isnull=self.value() == "no")
        return queryset


@admin.register(Quote)
class QuoteAdmin(SourcePickerMixin, admin.ModelAdmin):
    """Quotes across stories. Rights follow the story: a quote is changed,
    added or deleted by those who may edit its story, and each change is kept
    in the story's history."""

    list_display = ["__str__", "source", "kind", "article"]
    list_filter = [AttributedFilter, "kind"]
    list_select_related = ["source", "article"]
    search_fields = ["text", "source__name", "article__headline"]
    autocomplete_fields = ["source", "article"]
    fields = ["article", "text", "source", "kind", "position"]

    def has_view_permission(self, request, obj=None):
        story = obj.article if obj is not None else None
        allowed = super().has_view_permission(request, obj)
        return allowed and publishing.can_view(request.user, story)

    def has_add_permission(self, request):
        allowed = super().has_add_permission(request)
        return allowed and publishing.can_edit(request.user)

    def has_change_permission(self, request, obj=None):
        story = obj.article if obj is not None else None
        allowed = super().has_change_permission(request, obj)
        return allowed and publishing.can_edit(request.user, story)

    def has_delete_permission(self, request, obj=None):
        story = obj.article if obj is not None else None
        allowed = super().has_delete_permission(request, obj)
        return allowed and publishing.can_edit(request.user, story)

    def get_list_display(self, request):
        if can_see_private_source_fields(request.user):
            return self.list_display
        return ["source_shown" if f == "source" else f for f in self.list_display]

    def get_search_fields(self, request):
        if can_see_private_source_fields(request.user):
            return self.search_fields
        return ["text", "article__headline"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            # Only stories this user may edit can take a quote.
            kwargs["queryset"] = publishing.editable(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        refused = [q for q in objs if not self.has_delete_permission(request, q)]
        if refused:
            perms_needed = {*perms_needed, *(f"quote “{q}”" for q in refused)}
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        moved_from = form.initial.get("article") if change else None
        stories = {obj.article_id, moved_from} - {None}
        for pk in stories:
            keep_stored_version(Article, pk, comment="Before the first edit")
        super().save_model(request, obj, form, change)
        what = (
            f"Quote changed in Admin › Quotes ({', '.join(form.changed_data)})"
            if change
            else "Quote added in Admin › Quotes"
        )
        for article in Article.objects.filter(pk__in=stories):
            record_story_change(
                article=article, user=request.user, comment=f"{what}: “{obj}”"
            )

    def delete_model(self, request, obj):
        self.delete_queryset(request, Quote.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        quotes = list(queryset.select_related("article"))
        for quote_ in quotes:
            keep_stored_version(
                Article, quote_.article_id, comment="Before the first edit"
            )
        super().delete_queryset(request, queryset)
        for article in {q.article for q in quotes}:
            gone = [f"“{q}”" for q in quotes if q.article_id == article.pk]
            record_story_change(
                article=article,
                user=request.user,
                comment=f"Quote deleted in Admin › Quotes: {', '.join(gone)}",
            )
