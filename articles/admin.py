from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import ngettext

from .models import (
    Article,
    Byline,
    Correction,
    Publication,
    Quote,
    Section,
    StoryImport,
)

CONTENT_FIELDS = {"headline", "standfirst", "body", "dateline", "lead_photo"}


class ArticleAdminForm(forms.ModelForm):
    """The admin builds the fields; this fills in a missing publication time."""

    def clean(self):
        cleaned = super().clean()
        publishing = cleaned.get("status") == Article.Status.PUBLISHED
        if publishing and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        return cleaned


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["journalist"]


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["source"]


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0


class StoryImportInline(admin.StackedInline):
    """Where an imported story came from: read-only, for the desk's reference."""

    model = StoryImport
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["format", "identity", "filename", "imported_at"]
    readonly_fields = fields
    verbose_name_plural = "provenance"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "section",
        "status",
        "published_at",
        "is_published",
    ]
    list_filter = ["status", "section", "provenance__format", "published_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_photo", "publication"]
    readonly_fields = ["first_published_at", "revised_at", "created_at", "updated_at"]
    inlines = [BylineInline, QuoteInline, CorrectionInline, StoryImportInline]
    actions = ["publish_now"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body", "dateline"]}),
        ("Picture and filing", {"fields": ["lead_photo", "section", "tags"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    ("published_at", "published_date_only"),
                    ("first_published_at", "revised_at"),
                    ("created_at", "updated_at"),
                ]
            },
        ),
        (
            "Syndication",
            {"fields": ["publication", "canonical_url"], "classes": ["collapse"]},
        ),
    ]

    @admin.display(boolean=True, description="Public")
    def is_published(self, article):
        return article.is_published()

    def save_model(self, request, obj, form, change):
        was_public = change and Article.objects.published().filter(pk=obj.pk).exists()
        if obj.status == Article.Status.PUBLISHED:
            obj.publish()
        if CONTENT_FIELDS.intersection(form.changed_data):
            obj.record_change(was_public=was_public)
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected stories now")
    def publish_now(self, request, queryset):
        count = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            article.publish(at=timezone.now())
            article.save(update_fields=["status", "published_at", "first_published_at"])
            count += 1
        self.message_user(
            request,
            ngettext("%d story was published.", "%d stories were published.", count)
            % count,
        )


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
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "kind", "article"]
    list_filter = [AttributedFilter, "kind"]
    list_select_related = ["source", "article"]
    search_fields = ["text", "source__name", "article__headline"]
    autocomplete_fields = ["source", "article"]
