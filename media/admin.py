from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from reversion.admin import VersionAdmin

from newsroom.admin_history import GuardedHistoryMixin
from newsroom.admin_lists import ChangeUrls, LargeTableAdminMixin

from .models import Photo, delete_files_on_commit
from .renditions import make_renditions
from .services import store_clean_file

# How many uses the photo list shows before “and N more”.
USES_IN_LIST = 3


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


class PhotoAdminForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = [
            "image",
            "caption",
            "credit",
            "alt_text",
            "focal_x",
            "focal_y",
            "original_filename",
        ]
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.01})
            for name in ("focal_x", "focal_y")
        }


@admin.register(Photo)
class PhotoAdmin(LargeTableAdminMixin, GuardedHistoryMixin, VersionAdmin):
    form = PhotoAdminForm
    list_display = [
        "thumbnail",
        "__str__",
        "credit",
        "where_used_short",
        "file_status",
        "created_at",
    ]
    list_display_links = ["thumbnail", "__str__"]
    list_per_page = 50
    list_filter = [MissingFileFilter, "created_at"]
    search_fields = ["caption", "credit", "alt_text", "original_filename"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "focal_point_picker",
        "where_used",
        "width",
        "height",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["image", "caption", "credit", "alt_text"]}),
        (
            "Focal point",
            {
                "fields": ["focal_point_picker", ("focal_x", "focal_y")],
                "description": "Click the subject of the picture, or type the "
                "values: crops (such as the social card) keep this point in view.",
            },
        ),
        ("Where it is used", {"fields": ["where_used"]}),
        (
            "Details",
            {
                "classes": ["collapse"],
                "fields": [
                    "original_filename",
                    ("width", "height"),
                    ("created_at", "updated_at"),
                ],
            },
        ),
    ]

    class Media:
        js = ["media/focal-point.js"]

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview, name="media_photo_preview"),
            *super().get_urls(),
        ]

    @method_decorator(require_safe)
    def preview_view(self, request):
        """``?photo=<id>``: the photo as the story form previews it (JSON),
        for staff who may view photos. 400 for a bad id, 404 for none."""
        raw = request.GET.get("photo", "")
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            return JsonResponse({"error": "Give a photo's number."}, status=400)
        photo = Photo.objects.prefetch_related("renditions").filter(pk=int(raw)).first()
        if not self.has_view_permission(request, photo):
            raise PermissionDenied
        if photo is None:
            return JsonResponse({"error": "No such photo."}, status=404)
        return JsonResponse(preview_data(photo))

    def get_queryset(self, request):
        article = Photo._meta.get_field("lead_articles").related_model
        journalist = Photo._meta.get_field("portraits").related_model
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                "renditions",
                Prefetch(
                    "lead_articles",
                    queryset=article.objects.only(
                        "pk", "headline", "slug", "section", "lead_photo"
                    ),
                ),
                Prefetch(
                    "portraits",
                    queryset=journalist.objects.only("pk", "name", "portrait"),
                ),
            )
        )

    def complete_rows(self, request, rows, lookups):
        article = Photo._meta.get_field("lead_articles").related_model
        journalist = Photo._meta.get_field("portraits").related_model
        prefetch_related_objects(
            rows,
            Prefetch("renditions", to_attr="listed_renditions"),
            Prefetch(
                "lead_articles",
                queryset=article.objects.only("pk", "headline", "lead_photo"),
                to_attr="listed_lead_articles",
            ),
            Prefetch(
                "portraits",
                queryset=journalist.objects.only("pk", "name", "portrait"),
                to_attr="listed_portraits",
            ),
        )
        # Each use's link, without a ``reverse`` for each.
        change_url = ChangeUrls()
        for photo in rows:
            for used_in in (*photo.listed_lead_articles, *photo.listed_portraits):
                used_in.listed_change_url = change_url(used_in)

    def save_model(self, request, obj, form, change):
        """Store a new picture cleaned, then bring the renditions up to date."""
        previous = getattr(form.initial.get("image"), "name", "") or ""
        source = None
        if obj.image and not obj.image._committed:
            upload = obj.image
            source = store_clean_file(photo=obj, file=upload.file, name=upload.name)
        super().save_model(request, obj, form, change)
        if previous and previous != obj.image.name:
            delete_files_on_commit([previous])
        if {"image", "focal_x", "focal_y"} & set(form.changed_data):
            make_renditions(obj, source=source)

    @admin.display(description="Picture")
    def thumbnail(self, photo):
        if not photo.has_file:
            return format_html('<span class="photo-missing">{}</span>', "No file yet")
        rendition = photo.thumbnail_rendition
        if rendition is None:
            return format_html('<span class="photo-pending">{}</span>', "Resizing…")
        return format_html(
            '<img src="{}" alt="{}" width="100" height="{}" loading="lazy">',
            rendition.file.url,
            photo.alt_text,
            round(100 * rendition.height / rendition.width),
        )

    @admin.display(description="File", boolean=True)
    def file_status(self, photo):
        return photo.has_file

    @admin.display(description="Used in")
    def where_used_short(self, photo):
        return self._uses(photo, limit=USES_IN_LIST)

    @admin.display(description="Used in")
    def where_used(self, photo):
        if photo.pk is None:
            return "Not used yet."
        return self._uses(photo, limit=None)

    @admin.display(description="Focal point")
    def focal_point_picker(self, photo):
        rendition = photo.fallback_rendition if photo.pk else None
        if rendition is None:
            # A new photo (the story form's pop-up too): focal-point.js shows
            # the chosen file here, from the browser, to be clicked.
            return format_html(
                '<div class="focal-point focal-point--pending">'
                '<p class="focal-point__hint">{}</p>'
                '<img alt="" hidden><span class="focal-point__marker"'
                ' aria-hidden="true" hidden data-focal-x="{}" data-focal-y="{}">'
                "</span></div>",
                "Choose the picture file above, then click its subject here.",
                photo.focal_x,
                photo.focal_y,
            )
        return format_html(
            '<div class="focal-point"><img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-point__marker" aria-hidden="true" hidden'
            ' data-focal-x="{}" data-focal-y="{}"></span></div>',
            rendition.file.url,
            photo.alt_text,
            rendition.width,
            rendition.height,
            photo.focal_x,
            photo.focal_y,
        )

    def _uses(self, photo, *, limit):
        articles = getattr(photo, "listed_lead_articles", None)
        journalists = getattr(photo, "listed_portraits", None)
        if articles is None:
            articles, journalists = photo.lead_articles.all(), photo.portraits.all()
        uses = [("Lead photo", article) for article in articles]
        uses += [("Portrait", journalist) for journalist in journalists]
        if not uses:
            return "—"
        shown = uses if limit is None else uses[:limit]
        links = format_html_join(
            mark_safe("<br>"),
            '{}: <a href="{}">{}</a>',
            (
                (
                    label,
                    getattr(obj, "listed_change_url", None) or _change_url(obj),
                    obj,
                )
                for label, obj in shown
            ),
        )
        if len(uses) > len(shown):
            return format_html("{}<br>and {} more", links, len(uses) - len(shown))
        return links


def preview_data(photo):
    """What the story form shows of a lead photo: a small image (the
    narrowest rendition, else the file), caption, credit and alt text, and
    what publishing will ask for."""
    image = None
    if photo.has_file:
        rendition = photo.thumbnail_rendition
        image = (
            {"url": rendition.file.url, "width": rendition.width,
             "height": rendition.height}
            if rendition is not None
            else {"url": photo.image.url, "width": photo.width,
                  "height": photo.height}
        )  # fmt: skip
    return {
        "id": photo.pk,
        "image": image,
        "caption": photo.caption,
        "credit": photo.credit,
        "alt_text": photo.alt_text,
        "focal_point": [photo.focal_x, photo.focal_y],
        "missing": photo.missing_details(),
        "change_url": _change_url(photo),
    }


def _listed_change_url(obj):
    return getattr(obj, "listed_change_url", None) or _change_url(obj)


def _change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
