from django.contrib import admin

from .models import Journalist, Source


@admin.register(Journalist)
class JournalistAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "is_active", "user"]
    list_filter = ["is_active"]
    list_select_related = ["user"]
    search_fields = ["name", "role", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["portrait", "user"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "on_record"]
    list_filter = ["kind", "on_record", "organisation"]
    search_fields = ["name", "description", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "description", "organisation"]}),
        ("On the record", {"fields": ["on_record"]}),
        (
            "Private — never shown to readers",
            {"fields": ["contact_details", "notes"]},
        ),
    ]
