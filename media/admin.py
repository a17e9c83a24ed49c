from django.contrib import admin
from django.utils.html import format_html

from .models import Photo


class MissingFileFilter(admin.SimpleListFilter):
    title = "file"
    parameter_name = "file"

    def lookups(self, request, model_admin):
        return [("missing", "Missing its file"), ("present", "Has its file")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(image="")
        if self.value() == "present":
            return queryset.exclude(image="")
        return queryset


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "file_status", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = [MissingFileFilter, "created_at"]
    search_fields = ["caption", "credit", "alt_text", "original_filename"]
    date_hierarchy = "created_at"
    readonly_fields = ["thumbnail", "width", "height", "created_at", "updated_at"]
    fields = [
        "image",
        "thumbnail",
        "caption",
        "credit",
        "alt_text",
        "original_filename",
        ("width", "height"),
        ("created_at", "updated_at"),
    ]

    @admin.display(description="Picture")
    def thumbnail(self, photo):
        if not photo.has_file:
            return format_html('<span class="photo-missing">{}</span>', "No file yet")
        return format_html(
            '<img src="{}" alt="{}" style="max-height:60px;max-width:100px">',
            photo.image.url,
            photo.alt_text,
        )

    @admin.display(description="File", boolean=True)
    def file_status(self, photo):
        return photo.has_file
