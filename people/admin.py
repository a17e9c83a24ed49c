from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Max
from django.template.response import TemplateResponse
from django.utils.translation import ngettext
from reversion_compare.admin import CompareVersionAdmin

from .models import Journalist, Source


@admin.register(Journalist)
class JournalistAdmin(CompareVersionAdmin):
    list_display = ["name", "role", "story_count", "is_active", "user"]
    list_filter = ["is_active"]
    list_select_related = ["user"]
    search_fields = ["name", "role", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["portrait", "user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "role", "bio", "portrait", "is_active"]}),
        (
            "Private — never shown to readers",
            {"fields": ["email", "user"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("bylines"))

    @admin.display(description="Stories", ordering="story_count")
    def story_count(self, journalist):
        return journalist.story_count


@admin.register(Source)
class SourceAdmin(CompareVersionAdmin):
    list_display = [
        "name",
        "kind",
        "organisation",
        "on_record",
        "quote_count",
        "last_quoted",
    ]
    list_filter = ["kind", "on_record", "organisation"]
    search_fields = ["name", "description", "organisation"]
    actions = ["merge_sources"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "description", "organisation"]}),
        (
            "On the record",
            {
                "fields": ["on_record"],
                "description": "An anonymous source's name and address never "
                "appear on the public site; give them a neutral slug.",
            },
        ),
        (
            "Private — never shown to readers",
            {"fields": ["contact_details", "notes"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                quote_count=Count("quotes"),
                last_quoted_at=Max("quotes__article__published_at"),
            )
        )

    def get_prepopulated_fields(self, request, obj=None):
        # An anonymous source's slug is public: never derive it from the name.
        if obj is not None and not obj.on_record:
            return {}
        return {"slug": ["name"]}

    @admin.display(description="Quotes", ordering="quote_count")
    def quote_count(self, source):
        return source.quote_count

    @admin.display(description="Last quoted", ordering="last_quoted_at")
    def last_quoted(self, source):
        return source.last_quoted_at

    @admin.action(description="Merge selected sources into one", permissions=["change"])
    def merge_sources(self, request, queryset):
        sources = list(queryset.order_by("pk"))
        if len(sources) < 2:
            self.message_user(
                request, "Select at least two sources to merge.", messages.WARNING
            )
            return None
        keep_id = request.POST.get("keep")
        kept = next((s for s in sources if str(s.pk) == keep_id), None)
        if request.POST.get("confirm") != "yes" or kept is None:
            return TemplateResponse(
                request,
                "admin/people/source/merge_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Merge sources",
                    "opts": self.model._meta,
                    "sources": sources,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        merged = [s for s in sources if s.pk != kept.pk]
        with transaction.atomic():
            for duplicate in merged:
                duplicate.quotes.update(source=kept)
                duplicate.delete()
        self.message_user(
            request,
            ngettext(
                "Merged %(count)d source into “%(name)s”; its quotes moved there.",
                "Merged %(count)d sources into “%(name)s”; their quotes moved there.",
                len(merged),
            )
            % {"count": len(merged), "name": kept.name},
        )
        return None
